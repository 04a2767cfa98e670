#!/usr/bin/env bash
# Makes sure Debian's LibreOffice Calc is installed for the test that opens an .xlsx export the way
# a user's spreadsheet would (soffice --headless --convert-to csv). Installs only Debian's own
# packages, without recommends; nothing is downloaded from anywhere else.
set -euo pipefail

SOFFICE="${SOFFICE_PATH:-/usr/bin/soffice}"
[ -x "$SOFFICE" ] && exit 0

# Two test files (or two developers' runs) may ask at once; apt allows one installer at a time.
exec 9>"${TMPDIR:-/tmp}/ensure-libreoffice.lock"
flock 9 2>/dev/null || true
[ -x "$SOFFICE" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=(sudo -n); else
    echo "ensure-libreoffice: soffice missing and not root; install it with: apt-get install -y libreoffice-calc-nogui" >&2
    exit 1
  fi
else
  SUDO=()
fi

echo "ensure-libreoffice: installing libreoffice-calc-nogui from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
# Debian's apt lock is shared with other installers (ensure-chromium.sh): wait for it instead of failing.
"${SUDO[@]}" apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends libreoffice-calc-nogui >/dev/null
[ -x "$SOFFICE" ] || { echo "ensure-libreoffice: $SOFFICE is still missing after the install" >&2; exit 1; }
