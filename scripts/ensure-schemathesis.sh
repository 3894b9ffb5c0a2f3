#!/usr/bin/env bash
# Makes sure Schemathesis (the OpenAPI fuzzer scripts/fuzz-api.sh runs) can run, and says where it comes from,
# so that the fuzzing step needs nothing installed by hand.
#
#  - SCHEMATHESIS set: used as is (a path to a `schemathesis` executable).
#  - Otherwise: a Python virtual environment in .cache/schemathesis (git-ignored) with the version pinned in
#    scripts/schemathesis-requirements.txt, made with the newest python3 (3.10 or later) -m venv and pip from
#    PyPI on first use, and made again when the requirements file changes. When it is present and current, nothing is installed.
#    Parallel runs wait for each other on a lock instead of racing for the folder.
#
# Progress goes to stderr; on success the last stdout line is the executable's path.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "ensure-schemathesis: $*" >&2; }

if [[ -n "${SCHEMATHESIS:-}" ]]; then
  if [[ -x "$SCHEMATHESIS" ]] || command -v "$SCHEMATHESIS" >/dev/null; then
    say "using $SCHEMATHESIS ($("$SCHEMATHESIS" --version 2>&1 | head -n 1))"
    echo "$SCHEMATHESIS"
    exit 0
  fi
  say "SCHEMATHESIS=$SCHEMATHESIS is not an executable; unset it to use (or install) the pinned one"
  exit 1
fi

REQUIREMENTS="scripts/schemathesis-requirements.txt"
VENV="$PWD/.cache/schemathesis"
BIN="$VENV/bin/schemathesis"
# The venv remembers which requirements it was made from: a changed pin makes it anew.
STAMP="$VENV/requirements.sha256"
wanted="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)"

current() { [[ -x "$BIN" && -f "$STAMP" && "$(cat "$STAMP")" == "$wanted" ]]; }

report() {
  say "using $BIN ($("$BIN" --version 2>&1 | head -n 1))"
  echo "$BIN"
}

if current; then report; exit 0; fi

mkdir -p .cache
exec 9>".cache/ensure-schemathesis.lock"
flock 9
if current; then report; exit 0; fi

# The newest Python 3.10+ with venv (SCHEMATHESIS_PYTHON first when set): Hypothesis, under Schemathesis,
# reads source with `ast` when it reports a flaky case, which some 3.11 releases fail at ("AST constructor
# recursion depth mismatch"); 3.12 and later do not.
python=""
candidates=(python3.13 python3.12)
if [[ -n "${SCHEMATHESIS_PYTHON:-}" ]]; then candidates=("$SCHEMATHESIS_PYTHON" "${candidates[@]}"); fi
# pyenv's shims only run the versions it has selected; its other installs are used directly.
if command -v pyenv >/dev/null; then
  for installed in "$(pyenv root)"/versions/3.1[2-9]*/bin/python3; do [[ -x "$installed" ]] && candidates+=("$installed"); done
fi
candidates+=(python3 python)
for candidate in "${candidates[@]}"; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys, venv; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
    python="$candidate"
    break
  fi
done
if [[ -z "$python" ]]; then
  say "no Python 3.10 or later with the venv module on PATH. Install one (Debian/Ubuntu: sudo apt-get install -y python3 python3-venv),"
  say "or set SCHEMATHESIS=/path/to/schemathesis."
  exit 1
fi

say "making $VENV with $python ($("$python" --version 2>&1)) and installing $(grep -v '^#' "$REQUIREMENTS" | xargs) from PyPI ..."
rm -rf "$VENV"
"$python" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$REQUIREMENTS" >&2
echo "$wanted" >"$STAMP"
report
