#!/usr/bin/env bash
# Installs what the build and the tests need on a fresh Debian 12 machine (idempotent):
# the native build's -dev packages, kafka-python and kcat for the conformance suite, and the
# librdkafka 2.15.1 native library (built once, cached outside the clone).
set -euo pipefail

if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
pkgs=(build-essential pkg-config python3 binutils libssl-dev libsasl2-dev libsasl2-modules zlib1g-dev libzstd-dev liblz4-dev libsnappy-dev libcurl4-openssl-dev python3-kafka kcat)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "[prerequisites] apt-get install ${missing[*]}" >&2
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >&2
fi

command -v dotnet >/dev/null || { echo "[prerequisites] the .NET SDK (dotnet) is required" >&2; exit 1; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$here/build-librdkafka.sh" >/dev/null
