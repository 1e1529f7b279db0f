#!/usr/bin/env bash
# Installs what fuzz/run.sh needs (fuzz/README.md); not part of CI, which replays the fuzz regression inputs only:
# Debian's afl++ (afl-fuzz) and the SharpFuzz instrumentation tool pinned in dotnet-tools.json. Idempotent.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v afl-fuzz >/dev/null; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-fuzz: need root to apt-get install afl++" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends afl++ >/dev/null
fi
(cd "$repo" && dotnet tool restore >/dev/null)
afl-fuzz -h 2>&1 | head -1
(cd "$repo" && dotnet tool list --local | grep -i sharpfuzz)
