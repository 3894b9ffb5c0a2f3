#!/usr/bin/env python3
"""Checks what JSON schemas cannot: that the rendered todo chart is what it promises.

usage: check-rendered.py RENDERED.yaml VALUES.yaml DASHBOARDS_DIR

Each enabled service has a Deployment running `serve <name>` on its port with Dapr annotations (app id =
service, app port = its port, metrics on), /health liveness and /ready readiness probes, resources, a
non-root read-only container, secrets only by reference to secrets.existingSecret, and a Service,
NetworkPolicy, PDB and HPA as its values ask. The migration Job is a pre-install/pre-upgrade hook running
`migrate` without a sidecar; the Dapr components and Resiliency are hooks too (there before any sidecar). The Dapr components, ServiceMonitor and PrometheusRule are there, the alert
templates ({{ $labels... }}) left for Prometheus, and one grafana_dashboard ConfigMap per dashboard file.
"""
import glob
import json
import os
import sys

import yaml

errors = []


def expect(condition, message):
    if not condition:
        errors.append(message)


def deep_merge(base, override):
    merged = dict(base)
    for key, value in (override or {}).items():
        merged[key] = deep_merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
    return merged


def main(rendered_path, values_path, dashboards_dir):
    chart_dir = os.path.dirname(values_path)
    with open(os.path.join(chart_dir, "values.yaml"), encoding="utf-8") as f:
        values = yaml.safe_load(f)
    with open(values_path, encoding="utf-8") as f:
        values = deep_merge(values, yaml.safe_load(f))
    with open(rendered_path, encoding="utf-8") as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    by_kind = {}
    for doc in docs:
        by_kind.setdefault(doc["kind"], {})[doc["metadata"]["name"]] = doc
    secret_name = values["secrets"]["existingSecret"]

    def named(kind, suffix):
        return next((doc for name, doc in by_kind.get(kind, {}).items() if name.endswith(suffix)), None)

    for service, svc in values["services"].items():
        if not svc.get("enabled"):
            continue
        port = svc["port"]
        deployment = named("Deployment", f"-{service}")
        if deployment is None:
            errors.append(f"{service}: no Deployment")
            continue
        pod = deployment["spec"]["template"]
        notes = pod["metadata"].get("annotations", {})
        expect(notes.get("dapr.io/enabled") == "true", f"{service}: dapr.io/enabled is not \"true\"")
        expect(notes.get("dapr.io/app-id") == service, f"{service}: dapr.io/app-id is {notes.get('dapr.io/app-id')!r}")
        expect(notes.get("dapr.io/app-port") == str(port), f"{service}: dapr.io/app-port is not {port}")
        expect(notes.get("dapr.io/enable-metrics") == "true", f"{service}: Dapr metrics are off")
        [container] = pod["spec"]["containers"]
        expect(container.get("args") == ["serve", service], f"{service}: args are {container.get('args')}")
        expect(any(p["containerPort"] == port for p in container.get("ports", [])), f"{service}: port {port} not exposed")
        expect(container["livenessProbe"]["httpGet"]["path"] == "/health", f"{service}: liveness is not /health")
        expect(container["readinessProbe"]["httpGet"]["path"] == "/ready", f"{service}: readiness is not /ready")
        expect(container.get("resources", {}).get("requests"), f"{service}: no resource requests")
        expect(container.get("resources", {}).get("limits", {}).get("memory"), f"{service}: no memory limit")
        security = container.get("securityContext", {})
        expect(security.get("readOnlyRootFilesystem") is True and security.get("allowPrivilegeEscalation") is False,
               f"{service}: container security context is not locked down")
        expect(pod["spec"].get("securityContext", {}).get("runAsNonRoot") is True, f"{service}: may run as root")
        env = {e["name"]: e for e in container.get("env", [])}
        expect(env.get("PORT", {}).get("value") == str(port), f"{service}: PORT is not {port}")
        expected_pubsub = "kafka-pubsub-sync" if service == "sync" else "kafka-pubsub"
        expect(env.get("PUBSUB_NAME", {}).get("value") == expected_pubsub, f"{service}: PUBSUB_NAME is not {expected_pubsub}")
        for var in svc["secretEnv"]:
            ref = env.get(var, {}).get("valueFrom", {}).get("secretKeyRef", {})
            expect(ref.get("name") == secret_name, f"{service}: {var} does not come from Secret {secret_name}")
        expect(all("value" not in e for n, e in env.items() if n in values["secrets"]["keys"]),
               f"{service}: a secret variable has an inline value")
        expect(named("Service", f"-{service}") is not None, f"{service}: no Service")
        expect((named("NetworkPolicy", f"-{service}") is not None) == values["networkPolicy"]["enabled"],
               f"{service}: NetworkPolicy does not match networkPolicy.enabled")
        expect((named("PodDisruptionBudget", f"-{service}") is not None) == svc["pdb"]["enabled"],
               f"{service}: PDB does not match pdb.enabled")
        expect((named("HorizontalPodAutoscaler", f"-{service}") is not None) == svc["autoscaling"]["enabled"],
               f"{service}: HPA does not match autoscaling.enabled")

    job = named("Job", "-migrate")
    if values["migration"]["enabled"]:
        if job is None:
            errors.append("no migration Job")
        else:
            hooks = set(job["metadata"].get("annotations", {}).get("helm.sh/hook", "").split(","))
            expect({"pre-install", "pre-upgrade"} <= hooks, f"migration Job hooks are {hooks}")
            [container] = job["spec"]["template"]["spec"]["containers"]
            expect(container.get("args") == ["migrate"], "migration Job does not run migrate")
            expect(job["spec"]["template"]["metadata"].get("annotations", {}).get("dapr.io/enabled") == "false",
                   "migration Job would get a Dapr sidecar")

    if values["dapr"]["components"]["enabled"]:
        components = by_kind.get("Component", {})
        expect(set(components) == {"kafka-pubsub", "kafka-pubsub-sync"}, f"Dapr components are {sorted(components)}")
        for resource in list(components.values()) + list(by_kind.get("Resiliency", {}).values()):
            hooks = set(resource["metadata"].get("annotations", {}).get("helm.sh/hook", "").split(","))
            expect({"pre-install", "pre-upgrade"} <= hooks,
                   f"{resource['kind']} {resource['metadata']['name']}: not created before the sidecars start (hook)")
        for component in components.values():
            expect(component["spec"]["type"] == "pubsub.kafka", f"{component['metadata']['name']}: not pubsub.kafka")
            for item in component["spec"]["metadata"]:
                ref = item.get("secretKeyRef")
                expect(ref is None or "value" not in item, f"{item['name']}: both value and secretKeyRef")
        sync = components.get("kafka-pubsub-sync", {})
        expect(sync.get("scopes") == ["sync"], "kafka-pubsub-sync is not scoped to sync")
        expect({"name": "consumerID", "value": "{podName}"} in sync.get("spec", {}).get("metadata", []),
               "kafka-pubsub-sync has no consumer group per pod")

    monitors = by_kind.get("ServiceMonitor", {})
    expect(bool(monitors) == values["metrics"]["serviceMonitor"]["enabled"], "ServiceMonitor does not match its value")
    rules = by_kind.get("PrometheusRule", {})
    expect(bool(rules) == values["metrics"]["prometheusRule"]["enabled"], "PrometheusRule does not match its value")
    with open(os.path.join(chart_dir, "files/alerts/todo.rules.yaml"), encoding="utf-8") as f:
        source_rules = yaml.safe_load(f)
    for rule in rules.values():
        expect(rule["spec"]["groups"] == source_rules["groups"],
               "PrometheusRule groups differ from files/alerts/todo.rules.yaml (templates consumed by Helm?)")

    dashboards = sorted(glob.glob(os.path.join(dashboards_dir, "*.json")))
    maps = [d for d in by_kind.get("ConfigMap", {}).values() if d["metadata"].get("labels", {}).get("grafana_dashboard") == "1"]
    if values["metrics"]["dashboards"]["enabled"]:
        expect(len(maps) == len(dashboards), f"{len(maps)} dashboard ConfigMaps for {len(dashboards)} dashboard files")
        shipped = {key: json.loads(text) for m in maps for key, text in m["data"].items()}
        for path in dashboards:
            with open(path, encoding="utf-8") as f:
                expect(shipped.get(os.path.basename(path)) == json.load(f), f"{os.path.basename(path)}: not shipped as is")

    for e in errors:
        print(f"check-rendered: {rendered_path}: {e}")
    if errors:
        sys.exit(1)
    print(f"check-rendered: {rendered_path}: {len(docs)} objects as promised")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
