import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { promtool } from '../support/promtool.ts';
import { declaredFamilies, isExported } from './exposition.ts';
import {
  dashboards, externalFamilies, panelQueries, panels, prometheusVariableQueries, ROOT, rules, withoutGrafanaVariables,
} from './monitoring-files.ts';
import { metricNames, templateMetricNames } from './promql-metric-names.ts';
import { serviceExpositions } from './service-expositions.ts';

/*
 * The dashboards and alerts read only metrics that exist: each name a panel, a variable or a rule selects
 * is exported by a running Todo service, is a recording rule of ours, or is listed in
 * ops/prometheus/external-metrics.json as another exporter's (daprd, kube-state-metrics, ...).
 */

let ours: Map<string, string>;
beforeAll(async () => {
  ours = new Map();
  for (const exposition of (await serviceExpositions()).values()) for (const [name, type] of declaredFamilies(exposition)) ours.set(name, type);
});

const recorded = new Set(rules().flatMap((rule) => (rule.record ? [rule.record] : [])));
const external = externalFamilies();
const known = (name: string) => recorded.has(name) || isExported(name, ours) || isExported(name, external);

const prometheusQueries = dashboards().flatMap(panelQueries).filter((query) => query.datasource === 'prometheus');

describe('the Grafana dashboards', () => {
  it('are the four the operations guide names, each with a unique uid', () => {
    expect(dashboards().map((d) => d.json.title)).toEqual([
      'Todo / Event Processing', 'Todo / Application Logs', 'Todo / Service Overview', 'Todo / WebSocket',
    ]);
    expect(new Set(dashboards().map((d) => d.json.uid)).size).toBe(4);
  });

  it('query only metrics a running service exports (or another exporter, listed)', () => {
    const missing = [
      ...prometheusQueries.flatMap((query) => metricNames(query.expr).filter((name) => !known(name)).map((name) => `${query.dashboard} / ${query.panel}: ${name}`)),
      ...dashboards().flatMap((d) => prometheusVariableQueries(d).flatMap((query) => templateMetricNames(query).filter((name) => !known(name)).map((name) => `${d.file} variable: ${name}`))),
    ];
    expect(missing).toEqual([]);
    expect(prometheusQueries.length).toBeGreaterThan(40);
  });

  it('have PromQL that promtool parses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'todo-dashboards-'));
    const file = join(dir, 'dashboard-queries.rules.yaml');
    writeFileSync(file, stringify({
      groups: [{ name: 'dashboard-queries', rules: prometheusQueries.map((query, i) => ({ record: `dashboard_query_${i}`, expr: withoutGrafanaVariables(query.expr) })) }],
    }));
    const checked = await promtool(['check', 'rules', file]);
    expect(checked.output).toContain(`SUCCESS: ${prometheusQueries.length} rules found`);
    expect(checked.code).toBe(0);
  });

  it('send every panel to a datasource variable: Prometheus panels to $datasource, the logs to Loki', () => {
    const all = dashboards().flatMap((d) => panels(d).filter((panel) => panel.type !== 'row').map((panel) => ({ file: d.file, panel })));
    for (const { file, panel } of all) {
      const expected = file === 'todo-logs.json' ? { type: 'loki', uid: '${loki}' } : { type: 'prometheus', uid: '${datasource}' };
      expect({ file, title: panel.title, datasource: panel.datasource }).toEqual({ file, title: panel.title, datasource: expected });
    }
    const logs = dashboards().find((d) => d.file === 'todo-logs.json');
    expect(logs && panels(logs).some((panel) => panel.type === 'logs')).toBe(true);
  });
});

describe('the alert and recording rules', () => {
  it('read only metrics a running service exports (or another exporter, listed)', () => {
    const missing = rules().flatMap((rule) => metricNames(rule.expr).filter((name) => !known(name)).map((name) => `${rule.alert ?? rule.record ?? ''}: ${name}`));
    expect(missing).toEqual([]);
  });

  it('link every alert to a runbook section that exists', () => {
    const alerts = rules().filter((rule) => rule.alert);
    expect(alerts.length).toBeGreaterThanOrEqual(9);
    for (const alert of alerts) {
      const [path = '', anchor = ''] = (alert.annotations?.['runbook_url'] ?? '').split('#');
      expect(existsSync(join(ROOT, path)), `${alert.alert}: ${path}`).toBe(true);
      const headings = readFileSync(join(ROOT, path), 'utf8').match(/^#+ .+$/gm) ?? [];
      const anchors = headings.map((heading) => heading.replace(/^#+ /, '').toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-'));
      expect(anchors, `${alert.alert}: ${path}#${anchor}`).toContain(anchor);
    }
  });

  it('list in external-metrics.json only names that are used and that Todo does not export itself', () => {
    const used = new Set([...prometheusQueries.flatMap((query) => metricNames(query.expr)), ...rules().flatMap((rule) => metricNames(rule.expr))]);
    const listed = [...external.keys()];
    expect(listed.filter((name) => ours.has(name))).toEqual([]);
    expect(listed.filter((name) => ![...used].some((usedName) => isExported(usedName, new Map([[name, external.get(name) ?? '']]))))).toEqual([]);
  });
});
