import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RULES_FILE = 'helm/todo/files/alerts/todo.rules.yaml';
const DASHBOARDS_DIR = 'helm/todo/files/dashboards';

export interface Rule { readonly alert?: string; readonly record?: string; readonly expr: string; readonly annotations?: Record<string, string> }

export function rules(): Rule[] {
  const file = parse(readFileSync(`${ROOT}${RULES_FILE}`, 'utf8')) as { groups: Array<{ rules: Rule[] }> };
  return file.groups.flatMap((group) => group.rules);
}

export interface Query { readonly dashboard: string; readonly panel: string; readonly datasource: string; readonly expr: string }
export interface Dashboard { readonly file: string; readonly json: DashboardJson }

interface Target { expr?: string; datasource?: { type?: string; uid?: string } }
interface Panel { title?: string; type?: string; datasource?: { type?: string; uid?: string }; targets?: Target[]; panels?: Panel[] }
interface Variable { name: string; type: string; query?: string | { query?: string }; datasource?: { type?: string } }
export interface DashboardJson { uid: string; title: string; panels: Panel[]; templating: { list: Variable[] } }

export function dashboards(): Dashboard[] {
  return readdirSync(`${ROOT}${DASHBOARDS_DIR}`).filter((name) => name.endsWith('.json')).sort()
    .map((name) => ({ file: name, json: JSON.parse(readFileSync(`${ROOT}${DASHBOARDS_DIR}/${name}`, 'utf8')) as DashboardJson }));
}

function flatten(panels: readonly Panel[]): Panel[] {
  return panels.flatMap((panel) => [panel, ...flatten(panel.panels ?? [])]);
}

/** Every panel query, with the datasource type it is sent to (the target's, else the panel's). */
export function panelQueries(dashboard: Dashboard): Query[] {
  return flatten(dashboard.json.panels).flatMap((panel) => (panel.targets ?? []).map((target) => ({
    dashboard: dashboard.file,
    panel: panel.title ?? '(untitled)',
    datasource: target.datasource?.type ?? panel.datasource?.type ?? 'unknown',
    expr: target.expr ?? '',
  })));
}

/** Template variables that query Prometheus: their query strings. */
export function prometheusVariableQueries(dashboard: Dashboard): string[] {
  return dashboard.json.templating.list
    .filter((variable) => variable.type === 'query' && variable.datasource?.type === 'prometheus')
    .map((variable) => (typeof variable.query === 'string' ? variable.query : variable.query?.query ?? ''));
}

export function panels(dashboard: Dashboard): Panel[] {
  return flatten(dashboard.json.panels);
}

/** Metric families exported by what is not Todo (Prometheus, cAdvisor, kube-state-metrics, kafka-exporter, daprd). */
export function externalFamilies(): Map<string, string> {
  const file = JSON.parse(readFileSync(`${ROOT}ops/prometheus/external-metrics.json`, 'utf8')) as Record<string, unknown>;
  const families = new Map<string, string>();
  for (const [exporter, metrics] of Object.entries(file)) {
    if (exporter.startsWith('$')) continue;
    for (const [name, type] of Object.entries(metrics as Record<string, string>)) families.set(name, type);
  }
  return families;
}

/** A dashboard expression with Grafana's variables replaced, so that PromQL tools accept it. */
export function withoutGrafanaVariables(expr: string): string {
  return expr
    .replace(/\$__(rate_interval|interval|range|auto)/g, '5m')
    .replace(/\$\{?\w+\}?/g, 'x');
}
