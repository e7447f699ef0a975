#!/usr/bin/env bash
# Measures librdkafka aborts on the consumer-group paths: runs the IntegrationTests chaos probe
# (tests/KafkaCatalog.IntegrationTests/KafkaGroups/GroupChaosProbe.cs) RUNS times per path, each run
# ROUNDS rounds of "start the call, stop a broker (or drop the connections) mid-call, start it again"
# in one child process, and prints one line per path:
#   path  runs  aborted-runs  rounds-done  ok  error  unexpected  hang  librdkafka
# A run that ends with a signal (SIGABRT 134, SIGSEGV 139) or any exit code other than 0 is an abort.
#
# usage: tests/tools/abort-probe.sh [-r RUNS] [-n ROUNDS] [-d INTEGRATION_TESTS_BIN_DIR] [PATH...]
#   PATH: listings list describe offsets lag reset remove delete-offsets completion catalog all
#         raw-list raw-describe raw-offsets (default: every product path)
# Build first (dotnet build tests/KafkaCatalog.IntegrationTests); for another librdkafka, build that
# project with -p:LibrdkafkaVersion=X.Y.Z and pass its bin directory with -d.
set -u
here="$(cd "$(dirname "$0")/../.." && pwd)"
runs=5 rounds=20 dir="$here/tests/KafkaCatalog.IntegrationTests/bin/Debug/net10.0"
while getopts "r:n:d:" opt; do
  case "$opt" in
    r) runs="$OPTARG" ;;
    n) rounds="$OPTARG" ;;
    d) dir="$OPTARG" ;;
    *) sed -n '2,14p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
paths=("$@")
[ ${#paths[@]} -eq 0 ] && paths=(listings list describe offsets lag reset remove delete-offsets completion catalog)
dll="$dir/KafkaCatalog.IntegrationTests.dll"
[ -f "$dll" ] || { echo "no $dll: build tests/KafkaCatalog.IntegrationTests first" >&2; exit 2; }
log="${ABORT_PROBE_LOG:-$(mktemp -d)}"
mkdir -p "$log"
printf '%-15s %4s %7s %6s %5s %5s %10s %4s %s\n' path runs aborted rounds ok error unexpected hang librdkafka
for path in "${paths[@]}"; do
  aborted=0 done_rounds=0 ok=0 err=0 unexpected=0 hang=0 version=?
  for ((i = 1; i <= runs; i++)); do
    out="$log/$path-$i.out"
    (cd "$dir" && timeout 900 dotnet exec "$dll" probe chaos "$rounds" "$path") >"$out" 2>&1
    rc=$?
    [ "$rc" -ne 0 ] && aborted=$((aborted + 1)) && echo "  $path run $i: exit $rc ($(grep -m1 -E 'Assert|double free|corrupt|\*\*\*' "$out" || echo 'see log'))" >&2
    version=$(sed -n 's/^PROBE librdkafka=//p' "$out" | head -1)
    done_rounds=$((done_rounds + $(grep -c '^PROBE round=' "$out")))
    ok=$((ok + $(grep -c '^PROBE round=.*|ok:' "$out")))
    err=$((err + $(grep -c '^PROBE round=.*|error:' "$out")))
    unexpected=$((unexpected + $(grep -c '^PROBE round=.*|unexpected:' "$out")))
    hang=$((hang + $(grep -c '^PROBE round=.*|hang' "$out")))
  done
  printf '%-15s %4d %7d %6d %5d %5d %10d %4d %s\n' "$path" "$runs" "$aborted" "$done_rounds" "$ok" "$err" "$unexpected" "$hang" "$version"
done
echo "logs: $log" >&2
