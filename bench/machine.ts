import { availableParallelism, cpus, release, totalmem, type as osType } from 'node:os';
import type { Queryable } from '../contracts/ports/sql.ts';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly postgres: string;
  /** Settings of the benchmarked server that decide write and read costs. */
  readonly postgresSettings: Readonly<Record<string, string>>;
  readonly date: string;
}

const SETTINGS = ['shared_buffers', 'work_mem', 'max_wal_size', 'synchronous_commit', 'fsync', 'wal_sync_method', 'max_connections'];

/** The processor a figure was measured on, e.g. "AMD EPYC, 2 cores": sections of docs/benchmarks.md come from different runs. */
export function processorName(): string {
  return `${cpus()[0]?.model.trim() ?? 'unknown'}, ${availableParallelism()} cores`;
}

export async function describeMachine(db: Queryable): Promise<Machine> {
  const version = await db.query<{ server_version: string }>('SHOW server_version');
  const settings = await db.query<{ name: string; setting: string }>(
    `SELECT name, CASE WHEN unit IS NULL OR unit = '' THEN setting ELSE current_setting(name) END AS setting
       FROM pg_settings WHERE name = ANY($1::text[]) ORDER BY name`,
    [SETTINGS],
  );
  const model = cpus()[0]?.model.trim() ?? 'unknown';
  return {
    cpu: model,
    cores: availableParallelism(),
    memoryGiB: totalmem() / 2 ** 30,
    os: `${osType()} ${release()}`,
    node: process.version,
    postgres: version.rows[0]?.server_version ?? 'unknown',
    postgresSettings: Object.fromEntries(settings.rows.map((row) => [row.name, row.setting])),
    date: new Date().toISOString(),
  };
}
