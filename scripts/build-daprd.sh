#!/usr/bin/env bash
# Builds our Kafka-only Dapr sidecar (tools/daprd) to .cache/bin/daprd.
# Skips the build when the binary is newer than every file under tools/daprd.
# Needs Go >= the `go` line of tools/daprd/go.mod and the Go module proxy.
# Cold (empty module cache) this takes several minutes on 2 cores.
#
# Env: DAPRD_BIN (output path), FORCE=1 (rebuild anyway).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/tools/daprd"
OUT="${DAPRD_BIN:-$ROOT/.cache/bin/daprd}"

if [[ "${FORCE:-0}" != 1 && -x "$OUT" ]]; then
  newer="$(find "$SRC" -type f -newer "$OUT" -print -quit)"
  if [[ -z "$newer" ]]; then
    echo "build-daprd: $OUT is up to date"
    exit 0
  fi
fi

command -v go >/dev/null || { echo "build-daprd: go not found on PATH" >&2; exit 1; }

# The dapr version we link against, stamped into the binary (`daprd --version`).
dapr_version="$(awk '$1 == "github.com/dapr/dapr" { print $2; exit }' "$SRC/go.mod")"
dapr_version="${dapr_version#v}"

mkdir -p "$(dirname "$OUT")"
echo "build-daprd: building $OUT (dapr ${dapr_version:-unknown}) ..."
start=$SECONDS
cd "$SRC"
GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath \
  -ldflags "-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=${dapr_version:-edge}" \
  -o "$OUT.tmp" .
mv -f "$OUT.tmp" "$OUT"
echo "build-daprd: built $OUT in $((SECONDS - start))s"
