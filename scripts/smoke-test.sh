#!/usr/bin/env bash
# Smoke test of a deployed release, against the current kubectl context, read-only (no data written): every
# service's Deployment is rolled out and answers /ready through a port-forward; the api also serves its
# OpenAPI document and Prometheus metrics. Used after helm upgrade in .github/workflows/deploy.yml (a
# failure there rolls the release back).
#
# Env: NAMESPACE=todo  RELEASE=todo  SERVICES="api recurring notification sync audit"  SMOKE_TIMEOUT_SECONDS=60
set -euo pipefail
NAMESPACE="${NAMESPACE:-todo}"
RELEASE="${RELEASE:-todo}"
SERVICES="${SERVICES:-api recurring notification sync audit}"
TIMEOUT="${SMOKE_TIMEOUT_SECONDS:-60}"
log() { echo "smoke-test: $*"; }
die() { echo "smoke-test: FAILED: $*" >&2; exit 1; }

forwards=()
stop_forwards() {
  local pid
  for pid in "${forwards[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap stop_forwards EXIT

# forward SERVICE LOCAL_PORT: a port-forward to the service's http port, waited for (bounded).
forward() {
  local service="$1" local_port="$2" deadline=$((SECONDS + TIMEOUT))
  kubectl -n "$NAMESPACE" port-forward "svc/$RELEASE-$service" "$local_port:http" >/dev/null 2>&1 &
  forwards+=($!)
  until curl -sf "http://127.0.0.1:$local_port/health" >/dev/null; do
    ((SECONDS < deadline)) || die "$service: no /health through the port-forward after ${TIMEOUT}s"
    sleep 1
  done
}

port=18100
for service in $SERVICES; do
  kubectl -n "$NAMESPACE" rollout status "deployment/$RELEASE-$service" --timeout "${TIMEOUT}s" >/dev/null \
    || die "$service: deployment not rolled out"
  forward "$service" "$port"
  curl -sf "http://127.0.0.1:$port/ready" >/dev/null || die "$service: /ready is not 200 (database unreachable?)"
  log "ok: $service ready"
  if [[ "$service" == api ]]; then
    # Read whole, then searched: grep -q closing the pipe early would fail curl under pipefail.
    openapi="$(curl -sf "http://127.0.0.1:$port/api/openapi.json")" || die "api: /api/openapi.json failed"
    [[ "$openapi" == *'"openapi"'* ]] || die "api: /api/openapi.json is no OpenAPI document"
    metrics="$(curl -sf "http://127.0.0.1:$port/metrics")" || die "api: /metrics failed"
    grep -q '^http_requests_total' <<<"$metrics" || die "api: no http_requests_total metric"
    log "ok: api serves /api/openapi.json and /metrics"
  fi
  port=$((port + 1))
done
log "all checks passed"
