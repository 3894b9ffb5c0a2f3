#!/usr/bin/env bash
# Shared by the cluster scripts (source it): tool lookup and logging. Not run on its own.
# shellcheck disable=SC2034  # ROOT and HELM are used by the scripts that source this file

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# minikube profile and namespaces used by every script.
MINIKUBE_PROFILE="${MINIKUBE_PROFILE:-todo}"
TODO_NAMESPACE="${TODO_NAMESPACE:-todo}"

log() { echo "$(basename "$0"): $*"; }
die() { echo "$(basename "$0"): $*" >&2; exit 1; }

need() {
  local tool
  for tool in "$@"; do command -v "$tool" >/dev/null || die "$tool is needed on PATH"; done
}

# helm on PATH, else the one scripts/install-ops-tools.sh builds from the Go module proxy.
find_helm() {
  if command -v helm >/dev/null; then command -v helm; return; fi
  local cached="${OPS_TOOLS:-$ROOT/.cache/ops-tools}/bin/helm"
  [[ -x "$cached" ]] || "$ROOT/scripts/install-ops-tools.sh" >&2
  echo "$cached"
}
HELM="$(find_helm)"

# A Secret from literals, created or updated in place (kubectl apply keeps it idempotent).
apply_secret() {
  local namespace="$1" name="$2"; shift 2
  kubectl -n "$namespace" create secret generic "$name" "$@" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
}

# One key of an existing Secret, decoded; empty when the Secret or key is missing.
secret_value() {
  kubectl -n "$1" get secret "$2" -o "jsonpath={.data.$3}" 2>/dev/null | base64 -d 2>/dev/null || true
}

random_secret() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
