#!/usr/bin/env bash
# Offline checks of everything under helm/, the Dockerfile, the shell scripts and the GitHub workflows, with
# tools from package registries (scripts/install-ops-tools.sh). Exits non-zero if any check fails.
#
#  1. hadolint on the Dockerfile.
#  2. helm lint --strict and helm template of helm/todo with each values-<cluster>.yaml.
#  3. kubeconform -strict on every rendered manifest, for each Kubernetes version in KUBE_VERSIONS, against
#     the Kubernetes schemas (PyPI kubernetes-validate) and schemas converted from the CRDs of
#     prometheus-operator (ServiceMonitor, PrometheusRule) and Dapr (Component, Resiliency). A kind with no
#     schema fails the check (no -ignore-missing-schemas). A deliberately broken manifest must be rejected.
#  4. scripts/check-rendered.py: what schemas cannot say (Dapr annotations, probes, hooks, secret refs,
#     alert templates left intact, one dashboard ConfigMap per JSON file, ...).
#  5. helm/monitoring and helm/logging values: YAML parse plus their key settings; deploy/minikube manifests
#     through kubeconform.
#  6. shellcheck on scripts/*.sh and .ci/ scripts; actionlint on .github/workflows.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export OPS_TOOLS="${OPS_TOOLS:-$ROOT/.cache/ops-tools}"
# Kubernetes versions the manifests must be valid for: the oldest and the newest minor we support.
export KUBE_VERSIONS="${KUBE_VERSIONS:-1.33.0 1.35.0}"
CLUSTERS="minikube oke aks gke"

scripts/install-ops-tools.sh
BIN="$OPS_TOOLS/bin"
K8S_SCHEMAS="$OPS_TOOLS/schemas/kubernetes/{{ .NormalizedKubernetesVersion }}-local{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json"
CRD_SCHEMAS="$OPS_TOOLS/schemas/crds/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json"
OUT="$ROOT/.cache/ops-check"
rm -rf "$OUT" && mkdir -p "$OUT"
export PYTHONPATH="$OPS_TOOLS/python${PYTHONPATH:+:$PYTHONPATH}"

failed=()
check() {
  local name="$1"; shift
  echo "== $name"
  if "$@"; then echo "ok: $name"; else echo "FAILED: $name"; failed+=("$name"); fi
}

kubeconform_strict() {
  local version="$1"; shift
  "$BIN/kubeconform" -strict -summary -kubernetes-version "$version" \
    -schema-location "$K8S_SCHEMAS" -schema-location "$CRD_SCHEMAS" "$@"
}

# helm built by go install has no build-time default Kubernetes version (it says v1.20.0): always name one.
render() { "$BIN/helm" template todo helm/todo --namespace todo --kube-version "$1" -f "$2" >"$3"; }

check "hadolint Dockerfile" "$BIN/hadolint" Dockerfile

for cluster in $CLUSTERS; do
  values="helm/todo/values-$cluster.yaml"
  for version in $KUBE_VERSIONS; do
    rendered="$OUT/$cluster-$version.yaml"
    check "helm lint ($cluster, k8s $version)" "$BIN/helm" lint --strict --kube-version "$version" helm/todo -f "$values"
    check "helm template ($cluster, k8s $version)" render "$version" "$values" "$rendered"
    check "kubeconform -strict ($cluster, k8s $version)" kubeconform_strict "$version" "$rendered"
    check "rendered manifests say what the chart promises ($cluster, k8s $version)" \
      python3 scripts/check-rendered.py "$rendered" "$values" helm/todo/files/dashboards
  done
done

# The validation must have teeth: a field the schema does not know, in a built-in kind and in a CRD kind.
rejects() {
  if kubeconform_strict "${KUBE_VERSIONS%% *}" "$1" >/dev/null 2>&1; then echo "accepted $1"; return 1; fi
}
cat >"$OUT/broken-deployment.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: { name: broken }
spec:
  selector: { matchLabels: { app: broken } }
  template:
    metadata: { labels: { app: broken } }
    spec:
      containers: [{ name: app, image: app, livenessProbe: { httpGet: { path: /health, port: 8000 }, periodSecond: 5 } }]
YAML
cat >"$OUT/broken-servicemonitor.yaml" <<'YAML'
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: { name: broken }
spec:
  selector: { matchLabels: { app: broken } }
  endpoints: [{ port: http, intervall: 30s }]
YAML
check "kubeconform rejects an unknown field (Deployment)" rejects "$OUT/broken-deployment.yaml"
check "kubeconform rejects an unknown field (ServiceMonitor CRD)" rejects "$OUT/broken-servicemonitor.yaml"

check "monitoring and logging values" python3 scripts/check-stack-values.py
for version in $KUBE_VERSIONS; do
  check "kubeconform -strict k8s $version (deploy/minikube)" kubeconform_strict "$version" deploy/minikube/
done

mapfile -t shell_scripts < <(git ls-files -co --exclude-standard -- 'scripts/*.sh' '.ci/*.sh' .ci/run)
check "shellcheck (${#shell_scripts[@]} scripts)" shellcheck -x "${shell_scripts[@]}"
check "actionlint .github/workflows" "$BIN/actionlint" -shellcheck "$(command -v shellcheck)"

if ((${#failed[@]} > 0)); then
  echo "check-ops: ${#failed[@]} check(s) failed:"
  printf '  - %s\n' "${failed[@]}"
  exit 1
fi
echo "check-ops: all checks passed"
