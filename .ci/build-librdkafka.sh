#!/usr/bin/env bash
# Builds librdkafka from the source shipped in the npm package @confluentinc/kafka-javascript
# (deps/librdkafka) and caches the shared library outside the clone, keyed by version.
# Idempotent: a cached library whose version string matches is reused.
# Prints the path of the cached library on its last line.
set -euo pipefail

LIBRDKAFKA_VERSION="${LIBRDKAFKA_VERSION:-2.15.1}"
NPM_PACKAGE="${LIBRDKAFKA_NPM_PACKAGE:-@confluentinc/kafka-javascript@1.10.1}"
CACHE_ROOT="${KAFKACATALOG_NATIVE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kafkacatalog}"
RID="${KAFKACATALOG_RID:-linux-x64}"
OUT_DIR="$CACHE_ROOT/librdkafka/$LIBRDKAFKA_VERSION/$RID"
OUT_LIB="$OUT_DIR/librdkafka.so"

log() { echo "[librdkafka] $*" >&2; }

version_of() {
  # Asks the library itself: rd_kafka_version_str() is what Confluent.Kafka reports too.
  local v
  v=$(python3 -c 'import ctypes,sys
l=ctypes.CDLL(sys.argv[1]); l.rd_kafka_version_str.restype=ctypes.c_char_p
print(l.rd_kafka_version_str().decode())' "$1" 2>/dev/null) || return 1
  [ "$v" = "$LIBRDKAFKA_VERSION" ]
}

if [ -f "$OUT_LIB" ] && version_of "$OUT_LIB"; then
  log "cached: $OUT_LIB"
  echo "$OUT_LIB"
  exit 0
fi

need_pkgs=()
for p in build-essential libssl-dev libsasl2-dev zlib1g-dev libzstd-dev liblz4-dev libcurl4-openssl-dev pkg-config python3 binutils; do
  dpkg -s "$p" >/dev/null 2>&1 || need_pkgs+=("$p")
done
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  log "installing ${need_pkgs[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
  $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${need_pkgs[@]}" >&2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log "fetching $NPM_PACKAGE"
( cd "$work" && npm pack "$NPM_PACKAGE" --silent >/dev/null 2>&1 ) || { log "npm pack $NPM_PACKAGE failed"; exit 1; }
tar -xzf "$work"/*.tgz -C "$work"
src="$work/package/deps/librdkafka"
[ -x "$src/configure" ] || { log "no deps/librdkafka in $NPM_PACKAGE"; exit 1; }
grep -q "$LIBRDKAFKA_VERSION" "$src/CHANGELOG.md" 2>/dev/null || log "warning: CHANGELOG does not mention $LIBRDKAFKA_VERSION"

log "configuring and building (about 75 s on 2 cores)"
start=$(date +%s)
(
  cd "$src"
  ./configure --prefix=/usr/local >&2
  make -j"$(nproc)" libs >/dev/null 2>&1
)
end=$(date +%s)
built="$src/src/librdkafka.so.1"
[ -f "$built" ] || { log "build produced no $built"; exit 1; }
mkdir -p "$OUT_DIR"
cp "$built" "$OUT_LIB.tmp"
mv "$OUT_LIB.tmp" "$OUT_LIB"
version_of "$OUT_LIB" || { log "built library does not report version $LIBRDKAFKA_VERSION"; exit 1; }
log "built in $((end - start)) s: $OUT_LIB"
echo "$OUT_LIB"
