#!/usr/bin/env bash
# Checks Todo's Prometheus rules with the real promtool: `check rules` (syntax, PromQL, templates) and
# `test rules` (ops/prometheus/*.test.yaml: every alert shown firing and not firing). Exits non-zero on
# any failure. scripts/ensure-promtool.sh finds promtool or, as root, installs Debian's `prometheus` package.
# (Each service's /metrics and the dashboards' metric names are checked by test/monitoring/.)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/ensure-promtool.sh
promtool="${PROMTOOL:-promtool}"
"$promtool" check rules helm/todo/files/alerts/*.rules.yaml
"$promtool" test rules ops/prometheus/*.test.yaml
