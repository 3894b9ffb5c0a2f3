#!/usr/bin/env bash
# Checks Todo's Prometheus rules with the real promtool: `check rules` (syntax, PromQL, templates) and
# `test rules` (ops/prometheus/*.test.yaml: every alert shown firing and not firing). Exits non-zero on
# any failure. promtool comes from Debian's `prometheus` package, installed here when missing and root.
# (Each service's /metrics and the dashboards' metric names are checked by test/monitoring/.)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v promtool >/dev/null; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    echo "check-monitoring: installing promtool (Debian package prometheus)"
    # A fresh machine may have no package lists yet.
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus >/dev/null 2>&1 \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus >/dev/null; }
  else
    echo "check-monitoring: promtool not found; install it: apt-get install -y prometheus" >&2
    exit 1
  fi
fi
echo "check-monitoring: $(promtool --version 2>&1 | head -n 1)"

promtool check rules helm/todo/files/alerts/*.rules.yaml
promtool test rules ops/prometheus/*.test.yaml
