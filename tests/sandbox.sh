#!/usr/bin/env bash
# The sandbox: the embedded 3-broker Kafka cluster from TestKit with sample topics, messages and consumer groups,
# ACLs on, and the Atlan and Polaris emulators, so the whole README tour can be tried. It installs the module from
# its package (Install-PSResource, into a folder of its own) and prints the lines that connect a pwsh to it.
#   On a terminal: opens pwsh with the module imported by name and connected to all three; `exit` stops the sandbox.
#   Without one (CI, a pipe): each line of standard input goes to the sandbox (chaos commands such as
#   `stop-broker 2`; see README) and the end of input stops it. Keep it running with: sleep infinity | bash tests/sandbox.sh &
# Extra arguments go to the cluster's `serve` (e.g. --sasl, --tls, --brokers 5). Nothing is left running afterwards.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash .ci/prerequisites.sh
args=()
for a in "$@"; do args+=(-ServeArgument "$a"); done
exec dotnet tool run pwsh -NoProfile -File build.ps1 -Task Demo "${args[@]}"
