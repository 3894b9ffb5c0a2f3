#!/usr/bin/env bash
# Installs or upgrades kube-prometheus-stack (release monitoring, namespace monitoring) with
# helm/monitoring/values.yaml. Grafana's admin password is generated once into Secret grafana-admin.
# With KAFKA_BROKERS (host:port, plaintext, no SASL: e.g. minikube's Redpanda) it also installs
# prometheus-kafka-exporter, whose kafka_consumergroup_lag the Kafka-lag alert reads; on a cloud broker use
# its own lag metrics or Strimzi's kafkaExporter instead. Works on the current kubectl context.
#
# Env: KUBE_PROMETHEUS_STACK_VERSION=81.6.2  KAFKA_BROKERS (optional)
set -euo pipefail
# shellcheck source=scripts/lib-k8s.sh source-path=SCRIPTDIR/..
source "$(dirname "${BASH_SOURCE[0]}")/lib-k8s.sh"
need kubectl
VERSION="${KUBE_PROMETHEUS_STACK_VERSION:-81.6.2}"

kubectl create namespace monitoring --dry-run=client -o yaml | kubectl apply -f - >/dev/null
password="$(secret_value monitoring grafana-admin admin-password)"
[[ -n "$password" ]] || password="$(random_secret)"
apply_secret monitoring grafana-admin --from-literal=admin-user=admin --from-literal=admin-password="$password"

"$HELM" repo add prometheus-community https://prometheus-community.github.io/helm-charts --force-update >/dev/null
log "kube-prometheus-stack $VERSION"
"$HELM" upgrade --install monitoring prometheus-community/kube-prometheus-stack --version "$VERSION" \
  --namespace monitoring -f "$ROOT/helm/monitoring/values.yaml" --wait --timeout 15m
if [[ -n "${KAFKA_BROKERS:-}" ]]; then
  log "prometheus-kafka-exporter for $KAFKA_BROKERS"
  "$HELM" upgrade --install kafka-exporter prometheus-community/prometheus-kafka-exporter --namespace monitoring \
    --set "kafkaServer[0]=$KAFKA_BROKERS" --set prometheus.serviceMonitor.enabled=true \
    --set prometheus.serviceMonitor.namespace=monitoring --set rbac.pspEnabled=false --wait --timeout 5m
fi
log "Grafana: kubectl -n monitoring port-forward svc/monitoring-grafana 3000:80 (admin / the password in Secret grafana-admin)"
