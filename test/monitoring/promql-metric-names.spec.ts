import { describe, expect, it } from 'vitest';
import { metricNames, templateMetricNames } from './promql-metric-names.ts';

describe('the metric names a PromQL expression selects', () => {
  it('keeps the metric and drops functions, aggregations, grouping labels and ranges', () => {
    expect(metricNames('sum by (route, status_code) (rate(http_requests_total{job=~"$job", route!="/metrics"}[$__rate_interval]))'))
      .toEqual(['http_requests_total']);
  });

  it('finds both sides of a binary expression, whatever the matching clauses', () => {
    expect(metricNames('sum without (pod) (container_memory_working_set_bytes) / on (namespace, pod) group_left(node) kube_pod_container_resource_limits{resource="memory"} > 0.8'))
      .toEqual(['container_memory_working_set_bytes', 'kube_pod_container_resource_limits']);
  });

  it('ignores numbers, exponents, durations, offsets, keywords and strings that look like names', () => {
    expect(metricNames('histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m] offset 1h))) > 1e3 and bool up == 0 or vector(1)'))
      .toEqual(['http_request_duration_seconds_bucket', 'up']);
    expect(metricNames('label_replace(up, "dst", "x_total", "src", "(.*)")')).toEqual(['up']);
  });

  it('reads subqueries, @ modifiers and metric names with colons (recording rules)', () => {
    expect(metricNames('max_over_time(todo:http_error_ratio:rate5m[1h:5m] @ end())')).toEqual(['todo:http_error_ratio:rate5m']);
  });

  it('reads the metric of a Grafana label_values() variable query', () => {
    expect(templateMetricNames('label_values(todo_service_info{namespace="$namespace"}, job)')).toEqual(['todo_service_info']);
    expect(templateMetricNames('label_values(namespace)')).toEqual([]);
  });
});
