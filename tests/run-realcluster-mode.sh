#!/usr/bin/env bash
# Real-cluster mode of the integration tests, proven in CI: starts the TestKit sandbox as a separate process (a cluster
# the tests cannot reach into, exactly like a real one), points KAFKACATALOG_TEST_BOOTSTRAP at it and runs the
# real-cluster-capable test classes of tests/KafkaCatalog.IntegrationTests (already built: --no-build).
# [TestKitFact]s are reported skipped in this pass; they ran in the normal pass.
#   usage: tests/run-realcluster-mode.sh [results-dir]   (writes IntegrationTests.RealCluster.trx there)
#   env:   CONFIGURATION (Debug), REALCLUSTER_SASL=1 (sandbox with SASL/SCRAM-SHA-512 instead of PLAINTEXT)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
config="${CONFIGURATION:-Debug}"
results="${1:-$root/out/test-results}"
mkdir -p "$results"

# The classes whose fixtures may target a real cluster (RealCapable*Fixture / AclClusterFixture, KafkaTestTarget).
classes=(KafkaTestTargetTests TopicServiceTests ClusterServiceTests TopicAdminServiceTests ConsumerGroupServiceTests
  MessageServiceTests ConsumerGroupOffsetTests OffsetResetTests AclServiceTests AclWithoutAuthorizerTests BadInputTests)
filter="$(printf 'FullyQualifiedName~.%s.|' "${classes[@]}")"
filter="${filter%|}"

testkit="$(ls "tests/KafkaCatalog.TestKit/bin/$config"/*/KafkaCatalog.TestKit.dll 2>/dev/null | head -1 || true)"
if [ -z "$testkit" ]; then
  echo "KafkaCatalog.TestKit is not built ($config); build the solution first" >&2
  exit 1
fi

# --auto-create-topics: like a default-configured Apache Kafka broker, so a client that lets a metadata request create a
# misspelled topic is caught (TestKit in-process never auto-creates).
serve=(serve --acls --auto-create-topics --ignore-stdin)
[ "${REALCLUSTER_SASL:-0}" = 1 ] && serve+=(--sasl --sasl-user "it-admin:it-$RANDOM-secret")
out="$results/realcluster-sandbox.log"
dotnet "$testkit" "${serve[@]}" >"$out" 2>&1 &
sandbox=$!
trap 'kill "$sandbox" 2>/dev/null || true; wait "$sandbox" 2>/dev/null || true' EXIT

setting() { sed -n "s/^$1=//p" "$out" | head -1; }
for _ in $(seq 1 600); do
  grep -q '^Ready\.' "$out" && break
  kill -0 "$sandbox" 2>/dev/null || { echo "the sandbox exited:" >&2; cat "$out" >&2; exit 1; }
  sleep 0.1
done
bootstrap="$(setting bootstrap.servers)"
[ -n "$bootstrap" ] || { echo "no bootstrap.servers= line from the sandbox within 60 s:" >&2; cat "$out" >&2; exit 1; }
echo "sandbox pid $sandbox: $bootstrap ($(setting security.protocol))"

export KAFKACATALOG_TEST_BOOTSTRAP="$bootstrap"
export KAFKACATALOG_TEST_ACLS=1   # the sandbox runs with --acls and the test principal is a super user
export KAFKACATALOG_TEST_SECURITY_PROTOCOL="$(setting security.protocol)"
if [ "${REALCLUSTER_SASL:-0}" = 1 ]; then
  export KAFKACATALOG_TEST_SASL_MECHANISM=SCRAM-SHA-512
  export KAFKACATALOG_TEST_SASL_USERNAME="$(setting sasl.username)"
  export KAFKACATALOG_TEST_SASL_PASSWORD="$(setting sasl.password)"
fi

dotnet test tests/KafkaCatalog.IntegrationTests/KafkaCatalog.IntegrationTests.csproj -c "$config" --no-build -nologo \
  --filter "$filter" --blame-hang-timeout 5m \
  --logger "trx;LogFileName=IntegrationTests.RealCluster.trx" --results-directory "$results"
