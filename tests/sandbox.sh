#!/usr/bin/env bash
# Starts the sandbox: the embedded Kafka cluster from TestKit with sample topics, messages and
# consumer groups. Where pwsh exists, it also opens PowerShell with the built module imported and
# connected to the sandbox. Stop with Ctrl+C.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash .ci/prerequisites.sh
dotnet build KafkaCatalog.sln -nologo -clp:ErrorsOnly -v:q
if command -v pwsh >/dev/null 2>&1 && [ -t 0 ]; then
  exec pwsh -NoProfile -File build.ps1 -Task Demo
fi
exec dotnet run --no-build --project tests/KafkaCatalog.TestKit -- serve "$@"
