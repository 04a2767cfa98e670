#!/usr/bin/env bash
# Makes sure Debian's chromium (and a font with Chinese glyphs, so pages and screenshots are
# readable) is installed for the browser tests. Installs only from Debian's own packages; the
# browser is never downloaded from anywhere else.
set -euo pipefail

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
need=()
[ -x "$CHROMIUM" ] || need+=(chromium)
# fc-list answers only when fontconfig is there; chromium depends on it, so ask after installing.
if ! { command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -q .; }; then
  need+=(fonts-wqy-microhei)
fi
[ ${#need[@]} -eq 0 ] && exit 0

# Two test files may ask at once; apt allows one installer at a time.
exec 9>"${TMPDIR:-/tmp}/ensure-chromium.lock"
flock 9 2>/dev/null || true
[ -x "$CHROMIUM" ] && { command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -q .; } && exit 0

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=(sudo -n); else
    echo "ensure-chromium: ${need[*]} missing and not root; install them with: apt-get install -y ${need[*]}" >&2
    exit 1
  fi
else
  SUDO=()
fi

echo "ensure-chromium: installing ${need[*]} from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
[ -x "$CHROMIUM" ] || { echo "ensure-chromium: $CHROMIUM is still missing after the install" >&2; exit 1; }
