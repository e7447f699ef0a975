#!/usr/bin/env bash
# README's test command, and what CI runs (.ci/run): installs the machine prerequisites and the pinned
# tools (PowerShell 7.6.10 as a dotnet tool; build.ps1 restores Pester 5.9.1), then hands over to the one
# test driver, `build.ps1 -Task Test`, which builds, packages, runs every xunit project, the real-cluster
# pass and the Pester suites against the installed package, and ends with "N passed, N failed, N skipped"
# computed from the results files. Exits non-zero when anything failed.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
config="${CONFIGURATION:-Debug}"

if ! bash .ci/prerequisites.sh; then
  echo "prerequisites failed"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# No stdin: nothing in the run may wait for input.
dotnet tool run pwsh -NoProfile -NonInteractive -File build.ps1 -Task Test -Configuration "$config" "$@" </dev/null 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if ! tail -n 1 "$log" | grep -qE '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$'; then
  echo "the test driver stopped before its summary (exit code $status)"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
exit "$status"
