#!/usr/bin/env bash
# Makes sure `promtool` (Prometheus's checker) can run, and says where it comes from. Used by
# scripts/check-monitoring.sh and, once per run, by the test suite (test/support/ensure-promtool.ts), so that
# `npm ci && npm test` needs nothing installed by hand.
#
#  - PROMTOOL set, or promtool on PATH: used as is.
#  - Otherwise, on a machine with apt-get, as root or with passwordless sudo (CI runners): Debian's
#    `prometheus` package is installed (it ships promtool), with `apt-get update` first when the package
#    lists do not know it yet. Parallel runs wait for each other on a lock instead of racing for dpkg's.
#    (On a host with a running init, the package also installs a Prometheus service; containers, where
#    tests usually run as root, have none to start it.)
#  - Otherwise: a clear failure saying how to install it.
#
# Progress goes to stderr; on success the last stderr line names the promtool and its version.
set -euo pipefail

say() { echo "ensure-promtool: $*" >&2; }

found() {
  if [[ -n "${PROMTOOL:-}" ]]; then
    [[ -x "$PROMTOOL" ]] || command -v "$PROMTOOL" >/dev/null
  else
    command -v promtool >/dev/null
  fi
}

report() {
  local tool="${PROMTOOL:-promtool}"
  say "using $(command -v "$tool") ($("$tool" --version 2>&1 | head -n 1))"
}

if found; then report; exit 0; fi

if [[ -n "${PROMTOOL:-}" ]]; then
  say "PROMTOOL=$PROMTOOL is not an executable; unset it to use (or install) promtool from PATH"
  exit 1
fi

# Root installs directly; a CI runner's user (GitHub's) has passwordless sudo; anyone else is asked to.
as_root=()
if [[ "$(id -u)" != 0 ]] && command -v sudo >/dev/null && sudo -n true 2>/dev/null; then as_root=(sudo -n); fi
if ! command -v apt-get >/dev/null || { [[ "$(id -u)" != 0 ]] && ((${#as_root[@]} == 0)); }; then
  say "promtool not found on PATH. The monitoring checks need it. Install Debian/Ubuntu's prometheus package"
  say "(sudo apt-get install -y prometheus), or put Prometheus's release binary on PATH, or set PROMTOOL=/path/to/promtool."
  exit 1
fi

# One installer at a time (several test runs may start together on a fresh machine); whoever waited finds
# promtool installed.
exec 9>"${TMPDIR:-/tmp}/todo-ensure-promtool.lock"
flock 9
if found; then report; exit 0; fi

apt_get() { "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=600 "$@" >&2; }
say "promtool not found; installing Debian's prometheus package (it contains promtool) with ${as_root[*]:+${as_root[*]} }apt-get ..."
if ! apt-cache show prometheus >/dev/null 2>&1; then
  say "the package lists do not know prometheus yet: apt-get update first"
  apt_get update
fi
if ! apt_get install -y --no-install-recommends prometheus; then
  say "install failed; refreshing the package lists (apt-get update) and trying once more"
  apt_get update
  apt_get install -y --no-install-recommends prometheus
fi
if ! found; then
  say "the prometheus package is installed but promtool is still not on PATH ($PATH)"
  exit 1
fi
report
