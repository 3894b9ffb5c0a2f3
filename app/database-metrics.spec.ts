import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { Queryable } from '../contracts/ports/sql.ts';
import { databaseMetrics } from './database-metrics.ts';
import { projectionMetrics } from './projection-metrics.ts';
import { schedulerMetrics } from './scheduler-metrics.ts';

const unreachable: Queryable = { query: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) };

describe('metrics while the database does not answer', () => {
  it('still render, with database_up 0 and no stale database-derived numbers', async () => {
    const registry = new Registry();
    databaseMetrics(registry, unreachable);
    projectionMetrics(registry, unreachable, { readLogHead: () => Promise.reject(new Error('down')) }, pino({ level: 'silent' }));
    schedulerMetrics(registry, unreachable, () => new Date());

    const exposition = await registry.metrics();

    expect(exposition).toMatch(/^database_up 0$/m);
    expect(exposition).not.toMatch(/^projection_lag_events\{/m);
    expect(exposition).not.toMatch(/^projection_dead_letters\{/m);
    expect(exposition).not.toMatch(/^reminder_deliveries_ready\{/m);
    expect(exposition).toMatch(/^reminder_scan_timestamp_seconds 0$/m);
  });

  it('report database_up 1 when SELECT 1 answers', async () => {
    const registry = new Registry();
    databaseMetrics(registry, { query: () => Promise.resolve({ rows: [], rowCount: 1 }) });
    expect(await registry.metrics()).toMatch(/^database_up 1$/m);
  });
});
