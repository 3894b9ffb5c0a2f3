#!/usr/bin/env python3
"""Parses the monitoring and logging stack values (helm/monitoring, helm/logging) and checks the settings
the todo chart and the docs rely on: Prometheus selects every ServiceMonitor and PrometheusRule, Grafana's
sidecar loads grafana_dashboard ConfigMaps from all namespaces and has Loki as a data source, Loki keeps
logs 30 days with compactor retention on, and Promtail pushes to that Loki.
The upstream charts are not reachable offline, so their own schemas are not applied here."""
import glob
import sys

import yaml

errors = []


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def at(tree, dotted):
    for key in dotted.split("."):
        if not isinstance(tree, dict) or key not in tree:
            return None
        tree = tree[key]
    return tree


def expect(tree, dotted, wanted, name):
    value = at(tree, dotted)
    if value != wanted:
        errors.append(f"{name}: {dotted} is {value!r}, expected {wanted!r}")


for path in glob.glob("helm/monitoring/*.yaml") + glob.glob("helm/logging/*.yaml"):
    try:
        load(path)
    except yaml.YAMLError as error:
        errors.append(f"{path}: {error}")

monitoring = load("helm/monitoring/values.yaml")
for selector in ["serviceMonitorSelectorNilUsesHelmValues", "ruleSelectorNilUsesHelmValues"]:
    expect(monitoring, f"prometheus.prometheusSpec.{selector}", False, "monitoring")
expect(monitoring, "grafana.sidecar.dashboards.label", "grafana_dashboard", "monitoring")
expect(monitoring, "grafana.sidecar.dashboards.labelValue", "1", "monitoring")
expect(monitoring, "grafana.sidecar.dashboards.searchNamespace", "ALL", "monitoring")
loki_sources = [s for s in at(monitoring, "grafana.additionalDataSources") or [] if s.get("type") == "loki"]
if not loki_sources:
    errors.append("monitoring: Grafana has no Loki data source")

loki = load("helm/logging/loki-values.yaml")
expect(loki, "loki.limits_config.retention_period", "720h", "loki (30 days)")
expect(loki, "loki.compactor.retention_enabled", True, "loki")
promtail = load("helm/logging/promtail-values.yaml")
urls = [c.get("url", "") for c in at(promtail, "config.clients") or []]
if not urls or any(not u.startswith(s.get("url", "")) for u in urls for s in loki_sources):
    errors.append(f"promtail: clients {urls} do not push to Grafana's Loki {[s.get('url') for s in loki_sources]}")

for e in errors:
    print(f"check-stack-values: {e}")
if errors:
    sys.exit(1)
print("check-stack-values: monitoring and logging values as promised")
