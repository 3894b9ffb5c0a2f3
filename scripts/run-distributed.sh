#!/usr/bin/env bash
# Runs Todo distributed on this machine: Kafka (scripts/kafka-start.sh), our daprd (scripts/build-daprd.sh),
# and the five services as separate processes, each with its own sidecar, TRANSPORT=dapr. The api starts
# the embedded PostgreSQL in DATA_DIR (or uses DATABASE_URL); the others connect to it. Ctrl-C stops all.
#
# Env: DATA_DIR=./.data-distributed  DATABASE_URL (optional)  AUTH_JWT_SECRET (optional: generated)
#      LOGS=./.cache/distributed (one log per process)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DATA_DIR="${DATA_DIR:-$ROOT/.data-distributed}"
LOGS="${LOGS:-$ROOT/.cache/distributed}"
DAPRD="${DAPRD_BIN:-$ROOT/.cache/bin/daprd}"
# The project's pinned Node 24 (the node devDependency), not whatever node is on PATH.
NODE="$ROOT/node_modules/.bin/node"
[[ -x "$NODE" ]] || { echo "run-distributed: run npm ci first ($NODE is missing)" >&2; exit 1; }
mkdir -p "$DATA_DIR" "$LOGS"
export TRANSPORT=dapr HOST=127.0.0.1
# One issuer for the account tokens on every service (each would default to its own port): the api's URL.
export BETTER_AUTH_URL="${BETTER_AUTH_URL:-http://localhost:8000}"
# Kept where a single Todo keeps its generated secret, so `DATA_DIR=<this DATA_DIR> npm run token` agrees.
export AUTH_JWT_SECRET="${AUTH_JWT_SECRET:-$(umask 077; cat "$DATA_DIR/auth-secret" 2>/dev/null || "$NODE" -e 'process.stdout.write(require("crypto").randomBytes(32).toString("base64url"))' | tee "$DATA_DIR/auth-secret")}"

pids=()
cleanup() {
  set +e
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  "$ROOT/scripts/kafka-stop.sh"
}
trap cleanup EXIT INT TERM

"$ROOT/scripts/build-daprd.sh"
"$ROOT/scripts/kafka-start.sh"

# service app-port dapr-http dapr-grpc metrics [app-id]  (metrics ports clear of Kafka's 9092/9093)
start() {
  local service="$1" port="$2" http="$3" grpc="$4" metrics="$5" app_id="${6:-$1}"
  PORT="$port" DAPR_HTTP_PORT="$http" "$NODE" app/main.ts serve "$service" >"$LOGS/$service.log" 2>&1 &
  local app=$!
  pids+=("$app")
  until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do
    kill -0 "$app" 2>/dev/null || { echo "run-distributed: $service did not start:" >&2; tail -n 20 "$LOGS/$service.log" >&2; exit 1; }
    sleep 0.3
  done
  "$DAPRD" --app-id "$app_id" --app-port "$port" --dapr-http-port "$http" --dapr-grpc-port "$grpc" \
    --metrics-port "$metrics" --resources-path "$ROOT/dapr-components/local" \
    --dapr-listen-addresses 127.0.0.1 --metrics-listen-address 127.0.0.1 \
    --dapr-internal-grpc-listen-address 127.0.0.1 >"$LOGS/$service.daprd.log" 2>&1 &
  pids+=($!)
  echo "run-distributed: $service on http://127.0.0.1:$port (sidecar :$http, logs $LOGS/$service*.log)"
}

start api 8000 3500 50001 9190
if [[ -z "${DATABASE_URL:-}" ]]; then
  until [[ -s "$DATA_DIR/postgres.url" ]]; do sleep 0.3; done
  DATABASE_URL="$(cat "$DATA_DIR/postgres.url")"
  export DATABASE_URL
fi
start recurring 8001 3501 50011 9191
start notification 8002 3502 50021 9192
# Every sync instance needs an app id (consumer group) of its own to see every change.
start sync 8003 3503 50031 9193 "sync-$(hostname)-$$"
start audit 8004 3504 50041 9194

echo "run-distributed: token: $("$NODE" app/main.ts token --user demo --email demo@example.com)"
echo "run-distributed: more tokens: DATA_DIR=$DATA_DIR npm run token -- --user ID"
echo "run-distributed: ready; Ctrl-C stops everything"
wait -n "${pids[@]}"
