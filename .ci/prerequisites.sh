#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian 12 machine (idempotent): kafka-python and kcat for the
# conformance suite, and the compression libraries TestKit decodes with. The native Kafka client comes
# from the librdkafka.redist NuGet package, so no -dev package and no native build is needed;
# LIBRDKAFKA_FROM_SOURCE=1 also builds librdkafka from source (GSSAPI; see .ci/build-librdkafka.sh).
set -euo pipefail

if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
pkgs=(python3 python3-kafka kcat liblz4-1 libzstd1 libsnappy1v5)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "[prerequisites] apt-get install ${missing[*]}" >&2
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >&2
fi

command -v dotnet >/dev/null || { echo "[prerequisites] the .NET SDK (dotnet) is required" >&2; exit 1; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The pinned PowerShell (.config/dotnet-tools.json): `dotnet tool run pwsh`.
(cd "$here/.." && dotnet tool restore >&2)
if [ "${LIBRDKAFKA_FROM_SOURCE:-0}" = 1 ]; then
  bash "$here/build-librdkafka.sh" >/dev/null
fi
