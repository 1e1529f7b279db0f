#!/usr/bin/env bash
# Installs what the test suite needs from outside NuGet: Debian's headless Chromium for the admin console's
# browser tests (Playwright drives /usr/bin/chromium; no browser download is possible here). Idempotent.
set -euo pipefail
if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "install-prerequisites: need root to apt-get install chromium (browser tests will report it missing)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
/usr/bin/chromium --version
