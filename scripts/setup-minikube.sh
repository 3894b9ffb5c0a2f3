#!/usr/bin/env bash
# Starts a Minikube cluster for Todo and installs what the chart needs around it: Dapr (Helm chart, with its
# CRDs), a single-broker Redpanda (Kafka API) with the three topics, and PostgreSQL
# (deploy/minikube/postgres.yaml). Idempotent: rerun it to converge. Then: scripts/deploy-monitoring.sh,
# scripts/deploy-logging.sh (optional), scripts/deploy-local.sh, scripts/test-e2e-minikube.sh.
#
# Env: MINIKUBE_PROFILE=todo  MINIKUBE_CPUS=4  MINIKUBE_MEMORY=8192  KUBERNETES_VERSION=v1.33.5
#      DAPR_VERSION=1.18.2  REDPANDA_CHART_VERSION (empty = latest)
set -euo pipefail
# shellcheck source=scripts/lib-k8s.sh source-path=SCRIPTDIR/..
source "$(dirname "${BASH_SOURCE[0]}")/lib-k8s.sh"
need minikube kubectl
DAPR_VERSION="${DAPR_VERSION:-1.18.2}"
KUBERNETES_VERSION="${KUBERNETES_VERSION:-v1.33.5}"

if minikube -p "$MINIKUBE_PROFILE" status >/dev/null 2>&1; then
  log "minikube profile $MINIKUBE_PROFILE is running"
else
  log "starting minikube ($MINIKUBE_PROFILE, Kubernetes $KUBERNETES_VERSION)"
  minikube start -p "$MINIKUBE_PROFILE" --cpus "${MINIKUBE_CPUS:-4}" --memory "${MINIKUBE_MEMORY:-8192}" \
    --kubernetes-version "$KUBERNETES_VERSION" --addons metrics-server
fi
kubectl config use-context "$MINIKUBE_PROFILE" >/dev/null

log "Dapr $DAPR_VERSION (dapr-system)"
"$HELM" repo add dapr https://dapr.github.io/helm-charts --force-update >/dev/null
"$HELM" upgrade --install dapr dapr/dapr --version "$DAPR_VERSION" --namespace dapr-system --create-namespace \
  --set global.ha.enabled=false --wait --timeout 10m

log "Redpanda, one broker without TLS or SASL (redpanda)"
"$HELM" repo add redpanda https://charts.redpanda.com --force-update >/dev/null
redpanda_version=()
[[ -n "${REDPANDA_CHART_VERSION:-}" ]] && redpanda_version=(--version "$REDPANDA_CHART_VERSION")
"$HELM" upgrade --install redpanda redpanda/redpanda "${redpanda_version[@]}" --namespace redpanda --create-namespace \
  --set statefulset.replicas=1 --set tls.enabled=false --set external.enabled=false --set console.enabled=false \
  --set resources.cpu.cores=1 --set resources.memory.container.max=2Gi \
  --set storage.persistentVolume.size=5Gi --set statefulset.initContainers.setDataDirOwnership.enabled=true \
  --wait --timeout 15m
# The topics of docs/architecture.md §5, as scripts/kafka-start.sh makes them locally; the broker does not auto-create.
for spec in task-events:3 reminders:1 task-updates:3; do
  kubectl -n redpanda exec redpanda-0 -c redpanda -- \
    rpk topic create "${spec%%:*}" --partitions "${spec##*:}" --replicas 1 >/dev/null 2>&1 \
    || kubectl -n redpanda exec redpanda-0 -c redpanda -- rpk topic describe "${spec%%:*}" >/dev/null
done

log "PostgreSQL ($TODO_NAMESPACE)"
kubectl create namespace "$TODO_NAMESPACE" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
password="$(secret_value "$TODO_NAMESPACE" postgres-credentials password)"
[[ -n "$password" ]] || password="$(random_secret)"
apply_secret "$TODO_NAMESPACE" postgres-credentials --from-literal=password="$password"
kubectl apply -f "$ROOT/deploy/minikube/postgres.yaml"
kubectl -n "$TODO_NAMESPACE" rollout status statefulset/postgres --timeout 5m

log "ready: next scripts/deploy-monitoring.sh (optional), scripts/deploy-logging.sh (optional), scripts/deploy-local.sh"
