#!/usr/bin/env bash
# End-to-end check of a Todo deployed by scripts/deploy-local.sh: through a port-forward to the api it creates
# a daily recurring task and completes it, then waits (bounded) for the recurring service to create the next
# occurrence (task-events over Kafka and Dapr) and for the audit service to record both tasks, and checks
# that the api serves Prometheus metrics. Exits non-zero on the first failed step.
#
# Env: MINIKUBE_PROFILE=todo  TODO_NAMESPACE=todo  RELEASE=todo  E2E_PORT=18000  E2E_TIMEOUT_SECONDS=120
set -euo pipefail
# shellcheck source=scripts/lib-k8s.sh source-path=SCRIPTDIR/..
source "$(dirname "${BASH_SOURCE[0]}")/lib-k8s.sh"
need kubectl curl node
RELEASE="${RELEASE:-todo}"
PORT="${E2E_PORT:-18000}"
TIMEOUT="${E2E_TIMEOUT_SECONDS:-120}"
BASE="http://127.0.0.1:$PORT"
kubectl config use-context "$MINIKUBE_PROFILE" >/dev/null
passed=0

step() { log "ok: $*"; passed=$((passed + 1)); }
fail() { log "FAILED: $*" >&2; echo "e2e: $passed passed, 1 failed" >&2; exit 1; }

# A field of a JSON document on stdin, by a JavaScript expression over `d`.
json() { node -e 'let s="";process.stdin.on("data",c=>s+=c).on("end",()=>{const d=JSON.parse(s);const v=('"$1"');process.stdout.write(v===undefined||v===null?"":String(v))})'; }

# curl METHOD PATH [BODY]: prints the body, fails on a non-2xx status.
call() {
  local method="$1" path="$2" body="${3:-}"
  local args=(-sS --fail-with-body -X "$method" "$BASE$path" -H "Authorization: Bearer $TOKEN")
  [[ -n "$body" ]] && args+=(-H 'Content-Type: application/json' -d "$body")
  curl "${args[@]}"
}

# until_found DESCRIPTION COMMAND...: reruns COMMAND every 2 s until it prints something, at most TIMEOUT s.
until_found() {
  local what="$1" deadline=$((SECONDS + TIMEOUT)) out; shift
  while ((SECONDS < deadline)); do
    out="$("$@" || true)"
    if [[ -n "$out" ]]; then echo "$out"; return; fi
    sleep 2
  done
  fail "$what: nothing after ${TIMEOUT}s"
}

kubectl -n "$TODO_NAMESPACE" rollout status "deployment/$RELEASE-api" --timeout 5m >/dev/null
kubectl -n "$TODO_NAMESPACE" port-forward "svc/$RELEASE-api" "$PORT:8000" >/dev/null 2>&1 &
forward=$!
trap 'kill "$forward" 2>/dev/null || true' EXIT
ready() { curl -sf "$BASE/ready" >/dev/null && echo ready; }
until_found "api /ready through the port-forward" ready >/dev/null
step "api is ready"

USER_ID="e2e-$(date +%s)"
TOKEN="$(kubectl -n "$TODO_NAMESPACE" exec "deploy/$RELEASE-api" -c api -- \
  node app/main.ts token --user "$USER_ID" --email "$USER_ID@example.com")"
[[ -n "$TOKEN" ]] || fail "no token from the api pod"
step "token for $USER_ID"

due_day="$(node -e 'process.stdout.write(new Date(Date.now() + 2 * 86400000).toISOString().slice(0, 10))')"
first="$(call POST /api/tasks "{\"title\":\"e2e: water the plants\",\"due\":{\"datetime\":\"${due_day}T09:00\",\"timezone\":\"UTC\"},\"recurrence\":{\"rrule\":\"FREQ=DAILY\",\"anchor\":\"due\"}}" | json d.task_id)" \
  || fail "create a recurring task"
[[ -n "$first" ]] || fail "create answered without task_id"
step "created recurring task $first"

call POST "/api/tasks/$first/complete" >/dev/null || fail "complete $first"
step "completed $first"

next_occurrence() { call GET '/api/tasks?sort=due&order=asc' | json "d.items.find(i => i.series_id === '$first' && i.id !== '$first')?.id"; }
next="$(until_found "the next occurrence (recurring service)" next_occurrence)"
status="$(call GET "/api/tasks/$next" | json d.status)"
[[ "$status" == open ]] || fail "next occurrence $next is $status, not open"
step "recurring service created the next occurrence $next (open)"

audited() {
  call GET '/api/audit?limit=200' | json "(() => {
    const of = (id) => d.items.filter(e => e.task_id === id).map(e => e.action).sort().join(',');
    return of('$first') === 'completed,created' && of('$next') === 'created' ? 'yes' : '';
  })()"
}
until_found "audit entries for both tasks (audit service)" audited >/dev/null
step "audit service recorded created+completed of $first and created of $next"

metrics="$(curl -sf "$BASE/metrics")" || fail "api /metrics failed"
grep -q '^http_requests_total' <<<"$metrics" || fail "api /metrics has no http_requests_total"
step "api serves Prometheus metrics"

echo "e2e: $passed passed, 0 failed"
