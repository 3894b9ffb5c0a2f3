#!/usr/bin/env bash
# Schema-driven fuzzing of the HTTP API (`npm run test:fuzz`, a CI step): `todo serve all` on its own embedded
# PostgreSQL in a throw-away DATA_DIR, a valid token from `todo token`, then Schemathesis (scripts/
# ensure-schemathesis.sh) against the document the server serves at /api/openapi.json, every operation in it,
# with every check (`--checks all`) and every phase: the documented examples, the coverage of each
# schema's boundaries, random positive and negative inputs, and stateful sequences that follow the
# document's links (a created task's id into its reads and commands). Any 5xx, any answer the document does
# not describe, any negative input accepted fails it (exit status 1). The answers no schema can judge are
# configured in scripts/schemathesis.toml, each with its reason. A min_position wait is cut to 1 s so that
# the fuzzer's made-up positions do not hold the run up, and the sign-in limits are lifted: a 429 that
# comes once the fuzzer has made enough attempts would make the same case answer differently on replay. Strings are generated without NUL: the server
# refuses U+0000 in every string (PostgreSQL cannot store it), which no schema in the document spells.
#
# Bounded: FUZZ_MAX_EXAMPLES cases per operation and phase (default 60), and a hard FUZZ_MAX_SECONDS
# (default 900) on the whole run. FUZZ_SEED fixes the random seed (default: a fixed one, so CI is
# repeatable; FUZZ_SEED=random for a new one). Reports (JUnit, NDJSON) go to FUZZ_REPORT_DIR
# (default .ci/out/schemathesis); the server's log to FUZZ_REPORT_DIR/server.log.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH" # the project's Node 24 (the `node` devDependency)

say() { echo "fuzz-api: $*" >&2; }

schemathesis="$(scripts/ensure-schemathesis.sh)"
report_dir="${FUZZ_REPORT_DIR:-.ci/out/schemathesis}"
mkdir -p "$report_dir"
data_dir="$(mktemp -d "${TMPDIR:-/tmp}/todo-fuzz-XXXXXX")"
chmod 755 "$data_dir" # as root the embedded PostgreSQL runs as the postgres user, which must reach the folder
server_pid=""
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$data_dir"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
base="http://127.0.0.1:$port"
secret="fuzz-secret-that-is-long-enough-for-hs256-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
# Its own embedded PostgreSQL in DATA_DIR, whatever DATABASE_URL the caller has: the fuzzer writes junk.
server_env=(env -u DATABASE_URL DATA_DIR="$data_dir" AUTH_JWT_SECRET="$secret" HOST=127.0.0.1 PORT="$port"
  LOG_LEVEL=warn BETTER_AUTH_URL="$base" READ_YOUR_WRITES_TIMEOUT_MS=1000
  AUTH_SIGNIN_MAX_PER_IP=1000000 AUTH_SIGNIN_MAX_PER_ACCOUNT=1000000)

say "starting todo serve all on $base (DATA_DIR $data_dir)"
"${server_env[@]}" node app/main.ts serve all >"$report_dir/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do
  curl -fsS "$base/health" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { say "the server exited:"; cat "$report_dir/server.log" >&2; exit 1; }
  sleep 0.2
done
curl -fsS "$base/health" >/dev/null || { say "the server did not answer /health"; exit 1; }

token="$("${server_env[@]}" node app/main.ts token --user fuzz-user --email fuzz@example.com --expires 2h 2>/dev/null)"

seed=()
case "${FUZZ_SEED:-1913}" in random) ;; *) seed=(--seed "${FUZZ_SEED:-1913}") ;; esac
say "running $($schemathesis --version) against $base/api/openapi.json"
status=0
timeout --kill-after=30 "${FUZZ_MAX_SECONDS:-900}" "$schemathesis" --config-file scripts/schemathesis.toml run "$base/api/openapi.json" \
  --checks all \
  --phases examples,coverage,fuzzing,stateful \
  --max-examples "${FUZZ_MAX_EXAMPLES:-60}" \
  "${seed[@]}" \
  --generation-database none \
  --generation-allow-x00 false \
  --workers 2 \
  --request-timeout 30 \
  --header "Authorization: Bearer $token" \
  --report junit,ndjson --report-dir "$report_dir" \
  --no-color || status=$?

errors="$(grep -cE '"level":"(error|fatal)"' "$report_dir/server.log" || true)"
if [[ "$status" == 124 || "$status" == 137 ]]; then say "Schemathesis overran ${FUZZ_MAX_SECONDS:-900} s"; fi
say "Schemathesis exit status $status; error lines in the server's log: $errors (see $report_dir/server.log)"
exit "$status"
