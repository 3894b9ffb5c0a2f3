/*
 * The metric names a PromQL expression selects. Not a full parser: it removes what cannot be a metric name
 * (string literals, label matchers, ranges and subqueries, offsets, grouping clauses, Grafana variables,
 * numbers and durations), then keeps every identifier that is neither a keyword nor a function being called.
 */

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'atan2', 'inf', 'nan']);

export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/#[^\n]*/g, ' ')
    .replace(/\{[^{}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\boffset\s+-?[\w$]+/g, ' ')
    .replace(/@\s*(?:start\(\)|end\(\)|[\d.]+)/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/(?<![\w.:$])[A-Za-z_:][\w:]*(?!\w)(\s*\()?/g)) {
    const [whole, call] = match;
    const name = whole.replace(/\s*\($/, '');
    if (call || KEYWORDS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return [...names];
}

/** A Grafana templating query: `label_values(metric, label)`, `query_result(expr)`, or a bare expression. */
export function templateMetricNames(query: string): string[] {
  const labelValues = /^\s*label_values\(\s*(.*),\s*\w+\s*\)\s*$/s.exec(query);
  if (labelValues?.[1] !== undefined) return metricNames(labelValues[1]);
  const single = /^\s*label_values\(\s*(\w+)\s*\)\s*$/.exec(query);
  if (single) return [];
  const result = /^\s*query_result\((.*)\)\s*$/s.exec(query);
  return metricNames(result?.[1] ?? query);
}
