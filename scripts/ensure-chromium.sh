#!/usr/bin/env bash
# Makes sure a Chromium for the web app's browser tests can run, and says where it comes from. Used once per
# test run by test/support/ensure-chromium.ts, so that `npm ci && npm test` needs nothing installed by hand.
# Browser downloads (`npx playwright install`) are not possible everywhere this runs; Debian's package is.
#
#  - CHROMIUM set, or chromium on PATH: used as is.
#  - Otherwise, on a machine with apt-get, as root or with passwordless sudo (CI runners): Debian's
#    `chromium` package is installed, with `apt-get update` first when the package lists do not know it yet.
#    Parallel runs wait for each other on a lock instead of racing for dpkg's.
#  - Otherwise: a clear failure saying how to install it.
#
# Progress goes to stderr; on success the last stdout line is the browser's path.
set -euo pipefail

say() { echo "ensure-chromium: $*" >&2; }

browser() {
  if [[ -n "${CHROMIUM:-}" ]]; then
    if [[ -x "$CHROMIUM" ]]; then echo "$CHROMIUM"; else command -v "$CHROMIUM"; fi
  else
    command -v chromium
  fi
}

report() {
  local path
  path="$(browser)"
  say "using $path ($("$path" --version 2>/dev/null | head -n 1))"
  echo "$path"
}

if browser >/dev/null 2>&1; then report; exit 0; fi

if [[ -n "${CHROMIUM:-}" ]]; then
  say "CHROMIUM=$CHROMIUM is not an executable; unset it to use (or install) chromium from PATH"
  exit 1
fi

as_root=()
if [[ "$(id -u)" != 0 ]] && command -v sudo >/dev/null && sudo -n true 2>/dev/null; then as_root=(sudo -n); fi
if ! command -v apt-get >/dev/null || { [[ "$(id -u)" != 0 ]] && ((${#as_root[@]} == 0)); }; then
  say "chromium not found on PATH. The web app's browser tests need it. Install Debian/Ubuntu's chromium package"
  say "(sudo apt-get install -y chromium), or set CHROMIUM=/path/to/chrome."
  exit 1
fi

# One installer at a time; whoever waited finds chromium installed.
exec 9>"${TMPDIR:-/tmp}/todo-ensure-chromium.lock"
flock 9
if browser >/dev/null 2>&1; then report; exit 0; fi

apt_get() { "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=600 "$@" >&2; }
say "chromium not found; installing Debian's chromium package with ${as_root[*]:+${as_root[*]} }apt-get (about 100 MB) ..."
if ! apt-cache show chromium >/dev/null 2>&1; then
  say "the package lists do not know chromium yet: apt-get update first"
  apt_get update
fi
if ! apt_get install -y --no-install-recommends chromium fonts-liberation; then
  say "install failed; refreshing the package lists (apt-get update) and trying once more"
  apt_get update
  apt_get install -y --no-install-recommends chromium fonts-liberation
fi
if ! browser >/dev/null 2>&1; then
  say "the chromium package is installed but chromium is still not on PATH ($PATH)"
  exit 1
fi
report
