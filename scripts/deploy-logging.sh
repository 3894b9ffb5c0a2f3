#!/usr/bin/env bash
# Installs or upgrades Loki (single binary, 30-day retention) and Promtail in namespace logging, with
# helm/logging/loki-values.yaml and helm/logging/promtail-values.yaml. Grafana (deploy-monitoring.sh) has Loki
# as a data source already.
#
# Env: LOKI_CHART_VERSION, PROMTAIL_CHART_VERSION (empty = latest)
set -euo pipefail
# shellcheck source=scripts/lib-k8s.sh source-path=SCRIPTDIR/..
source "$(dirname "${BASH_SOURCE[0]}")/lib-k8s.sh"
need kubectl

loki_version=() promtail_version=()
[[ -n "${LOKI_CHART_VERSION:-}" ]] && loki_version=(--version "$LOKI_CHART_VERSION")
[[ -n "${PROMTAIL_CHART_VERSION:-}" ]] && promtail_version=(--version "$PROMTAIL_CHART_VERSION")
"$HELM" repo add grafana https://grafana.github.io/helm-charts --force-update >/dev/null

log "Loki"
"$HELM" upgrade --install loki grafana/loki "${loki_version[@]}" --namespace logging \
  --create-namespace -f "$ROOT/helm/logging/loki-values.yaml" --wait --timeout 15m
log "Promtail"
"$HELM" upgrade --install promtail grafana/promtail "${promtail_version[@]}" --namespace logging \
  -f "$ROOT/helm/logging/promtail-values.yaml" --wait --timeout 10m
log "logs: Grafana > Explore > Loki, e.g. {namespace=\"todo\", component=\"api\"} | json | level=\"error\""
