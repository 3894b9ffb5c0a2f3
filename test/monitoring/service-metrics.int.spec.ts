import { beforeAll, describe, expect, it } from 'vitest';
import { promtool } from '../support/promtool.ts';
import { DEPLOYED, serviceExpositions } from './service-expositions.ts';

/*
 * What Prometheus scrapes from each service: the metrics of docs/architecture.md §7 and the operational ones the alerts and
 * dashboards read, in an exposition that `promtool check metrics` accepts without a single complaint.
 */

let expositions: Map<string, string>;
beforeAll(async () => { expositions = await serviceExpositions(); });

const exposition = (label: string): string => {
  const text = expositions.get(label);
  if (text === undefined) throw new Error(`no exposition for ${label}`);
  return text;
};

describe('the /metrics of every service', () => {
  it.each(DEPLOYED.map((d) => d.label))('%s passes promtool check metrics', async (label) => {
    expect(await promtool(['check', 'metrics'], exposition(label))).toEqual({ code: 0, output: '' });
  });

  it.each(DEPLOYED.map((d) => d.label))('%s exports the common metrics: requests, database, projections, reminders', (label) => {
    const text = exposition(label);
    for (const family of [
      'http_requests_total', 'http_request_duration_seconds', 'events_appended_total', 'tasks_created_total',
      'database_query_duration_seconds', 'database_up', 'todo_service_info', 'projection_lag_events',
      'projection_dead_letters', 'notifications_sent_total', 'reminders_due_total', 'reminders_failed_total',
      'process_resident_memory_bytes',
    ]) expect(text).toMatch(new RegExp(`^# TYPE ${family} `, 'm'));
    expect(text).toMatch(/^database_up 1$/m);
  });

  it('the api counts the task it created and the time each request took', () => {
    const text = exposition('api');
    expect(text).toMatch(/^http_requests_total\{method="POST",route="\/api\/tasks",status_code="201"\} 1$/m);
    expect(text).toMatch(/^tasks_created_total 1$/m);
    expect(text).toMatch(/^todo_service_info\{todo_service="api",transport="log"\} 1$/m);
  });

  it('the services with a live feed export the WebSocket metrics', () => {
    for (const label of ['all', 'sync']) {
      expect(exposition(label)).toMatch(/^websocket_connections_active 0$/m);
      expect(exposition(label)).toMatch(/^# TYPE websocket_frames_sent_total counter$/m);
      expect(exposition(label)).toMatch(/^websocket_slow_consumer_disconnects_total 0$/m);
    }
  });

  it('the services that run the reminder scheduler export its backlog and scan time', () => {
    for (const label of ['all', 'notification']) {
      expect(exposition(label)).toMatch(/^reminder_deliveries_ready\{channel="email"\} 0$/m);
      expect(exposition(label)).toMatch(/^# TYPE reminder_scan_timestamp_seconds gauge$/m);
    }
  });

  it('the dapr api relays the created task and exports what it published', () => {
    const text = exposition('api (dapr: relay)');
    expect(text).toMatch(/^relay_events_published_total\{topic="task-events"\} 1$/m);
    expect(text).toMatch(/^relay_events_published_total\{topic="task-updates"\} 1$/m);
    expect(text).toMatch(/^relay_publish_failures_total\{topic="task-events",transient="true"\} 0$/m);
    expect(text).toMatch(/^relay_last_publish_timestamp_seconds [1-9]\d*(\.\d+)?$/m);
    expect(text).toMatch(/^projection_lag_events\{projection="relay"\} 0$/m);
  });
});
