#!/usr/bin/env bash
# Builds the image inside Minikube and installs or upgrades the todo chart with values-minikube.yaml.
# Creates Secret todo-secrets (DATABASE_URL of the PostgreSQL from setup-minikube.sh, an HS256 secret kept
# across runs). ServiceMonitor, PrometheusRule and dashboards are on only when kube-prometheus-stack's CRDs
# are there (scripts/deploy-monitoring.sh).
#
# Env: MINIKUBE_PROFILE=todo  TODO_NAMESPACE=todo  RELEASE=todo  TAG (default: dev-<commit>-<time>)
set -euo pipefail
# shellcheck source=scripts/lib-k8s.sh source-path=SCRIPTDIR/..
source "$(dirname "${BASH_SOURCE[0]}")/lib-k8s.sh"
need minikube kubectl git
RELEASE="${RELEASE:-todo}"
TAG="${TAG:-dev-$(git -C "$ROOT" rev-parse --short HEAD)-$(date +%Y%m%d%H%M%S)}"
kubectl config use-context "$MINIKUBE_PROFILE" >/dev/null

log "building todo:$TAG inside minikube"
minikube -p "$MINIKUBE_PROFILE" image build -t "todo:$TAG" "$ROOT"

password="$(secret_value "$TODO_NAMESPACE" postgres-credentials password)"
[[ -n "$password" ]] || die "no Secret postgres-credentials in $TODO_NAMESPACE: run scripts/setup-minikube.sh first"
auth_secret="$(secret_value "$TODO_NAMESPACE" todo-secrets AUTH_JWT_SECRET)"
[[ -n "$auth_secret" ]] || auth_secret="$(random_secret)"
apply_secret "$TODO_NAMESPACE" todo-secrets \
  --from-literal=DATABASE_URL="postgres://todo:$password@postgres.$TODO_NAMESPACE.svc.cluster.local:5432/todo" \
  --from-literal=AUTH_JWT_SECRET="$auth_secret"

monitoring=true
kubectl get crd servicemonitors.monitoring.coreos.com prometheusrules.monitoring.coreos.com >/dev/null 2>&1 \
  || { monitoring=false; log "kube-prometheus-stack CRDs absent: ServiceMonitor, PrometheusRule and dashboards off"; }

log "helm upgrade --install $RELEASE ($TODO_NAMESPACE)"
"$HELM" upgrade --install "$RELEASE" "$ROOT/helm/todo" --namespace "$TODO_NAMESPACE" --create-namespace \
  -f "$ROOT/helm/todo/values-minikube.yaml" --set image.tag="$TAG" \
  --set metrics.serviceMonitor.enabled="$monitoring" --set metrics.daprServiceMonitor.enabled="$monitoring" \
  --set metrics.prometheusRule.enabled="$monitoring" --set metrics.dashboards.enabled="$monitoring" \
  --wait --timeout 10m
kubectl -n "$TODO_NAMESPACE" get pods -l "app.kubernetes.io/instance=$RELEASE"
log "deployed todo:$TAG; try it: kubectl -n $TODO_NAMESPACE port-forward svc/$RELEASE-api 8000:8000"
