#!/usr/bin/env bash
# End-to-end smoke test of the local Dapr + Kafka setup: starts Kafka
# (scripts/kafka-start.sh), builds/starts our daprd (scripts/build-daprd.sh)
# with a tiny node subscriber app, publishes one CloudEvent to task-events via
# the sidecar, and waits until the app received it. Stops what it started.
#
# Env: SMOKE_APP_PORT=6001 SMOKE_HTTP_PORT=3501 SMOKE_GRPC_PORT=50002
#      SMOKE_METRICS_PORT=9091 SMOKE_TIMEOUT=60 (seconds per wait)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP_PORT="${SMOKE_APP_PORT:-6001}"
HTTP_PORT="${SMOKE_HTTP_PORT:-3501}"
GRPC_PORT="${SMOKE_GRPC_PORT:-50002}"
METRICS_PORT="${SMOKE_METRICS_PORT:-9091}"
TIMEOUT="${SMOKE_TIMEOUT:-60}"
DAPRD="${DAPRD_BIN:-$ROOT/.cache/bin/daprd}"
WORK="$ROOT/.cache/dapr-smoke"
KAFKA_PID_FILE="${KAFKA_HOME:-$ROOT/.cache/kafka}/kafka.pid"

log() { echo "dapr-smoke: $*"; }
mkdir -p "$WORK"

kafka_was_running=0
if [[ -f "$KAFKA_PID_FILE" ]] &&
  [[ "$(tr '\0' ' ' 2>/dev/null <"/proc/$(cat "$KAFKA_PID_FILE")/cmdline")" == *" kafka.Kafka "* ]]; then
  kafka_was_running=1
fi
app_pid="" daprd_pid=""
cleanup() {
  local rc=$?
  set +e
  [[ -n "$daprd_pid" ]] && kill "$daprd_pid" 2>/dev/null && wait "$daprd_pid" 2>/dev/null
  [[ -n "$app_pid" ]] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null
  ((kafka_was_running)) || "$ROOT/scripts/kafka-stop.sh" || true
  if ((rc != 0)); then
    log "FAILED (rc=$rc); daprd log tail:"
    tail -n 20 "$WORK/daprd.log" 2>/dev/null || true
  fi
  exit "$rc"
}
trap cleanup EXIT

wait_for() { # wait_for <description> <command...>
  local what="$1" deadline=$((SECONDS + TIMEOUT))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || { log "timed out after ${TIMEOUT}s waiting for $what"; return 1; }
    sleep 0.5
  done
}

"$ROOT/scripts/build-daprd.sh"
"$ROOT/scripts/kafka-start.sh"

# The subscriber: GET /dapr/subscribe -> task-events on /events; logs each delivery.
: >"$WORK/app.log"
PORT="$APP_PORT" node -e '
const http = require("http");
http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    console.log(req.method, req.url, body);
    res.setHeader("content-type", "application/json");
    if (req.method === "GET" && req.url === "/dapr/subscribe")
      return res.end(JSON.stringify([{ pubsubname: "kafka-pubsub", topic: "task-events", route: "/events" }]));
    if (req.method === "POST" && req.url === "/events") return res.end(JSON.stringify({ status: "SUCCESS" }));
    res.statusCode = 404;
    res.end();
  });
}).listen(Number(process.env.PORT), "127.0.0.1");
' >>"$WORK/app.log" 2>&1 &
app_pid=$!

"$DAPRD" --app-id smoke --app-port "$APP_PORT" \
  --dapr-http-port "$HTTP_PORT" --dapr-grpc-port "$GRPC_PORT" --metrics-port "$METRICS_PORT" \
  --dapr-listen-addresses 127.0.0.1 --metrics-listen-address 127.0.0.1 \
  --dapr-internal-grpc-listen-address 127.0.0.1 \
  --resources-path "$ROOT/dapr-components/local" --log-level info >"$WORK/daprd.log" 2>&1 &
daprd_pid=$!

healthy() { [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/v1.0/healthz")" == 204 ]]; }
wait_for "daprd healthz 204" healthy
log "daprd healthy (GET /v1.0/healthz -> 204)"
# healthz is 204 even when a component failed to load: check the metadata too.
has_pubsub() { curl -s "http://127.0.0.1:$HTTP_PORT/v1.0/metadata" | grep -q '"name":"kafka-pubsub"'; }
wait_for "kafka-pubsub in /v1.0/metadata" has_pubsub
subscribed() { grep -q 'app is subscribed to the following topics' "$WORK/daprd.log"; }
wait_for "subscription" subscribed

id="smoke-$(date +%s%N)"
code="$(curl -s -o /dev/null -w '%{http_code}' -X POST \
  "http://127.0.0.1:$HTTP_PORT/v1.0/publish/kafka-pubsub/task-events?metadata.partitionKey=abc" \
  -H 'Content-Type: application/cloudevents+json' \
  -d "{\"specversion\":\"1.0\",\"id\":\"$id\",\"source\":\"/smoke\",\"type\":\"smoke\",\"datacontenttype\":\"application/json\",\"data\":{\"a\":1}}")"
log "publish $id -> HTTP $code"
[[ "$code" == 204 ]]

delivered() { grep -q "\"id\":\"$id\"" "$WORK/app.log"; }
wait_for "delivery of $id" delivered
log "delivered: $(grep "\"id\":\"$id\"" "$WORK/app.log")"
log "OK"
