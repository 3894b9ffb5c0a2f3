import { Gauge, type Registry } from 'prom-client';
import type { Queryable } from '../contracts/ports/sql.ts';
import { scrapeRead } from './scrape-read.ts';

/** `database_up`: whether this process reaches PostgreSQL at scrape time; the DatabaseUnreachable alert reads it. */
export function databaseMetrics(registry: Registry, db: Queryable): void {
  new Gauge({
    name: 'database_up', help: '1 when PostgreSQL answered SELECT 1 at scrape time, 0 when it failed or took over 2 s',
    registers: [registry],
    async collect() {
      const answered = await scrapeRead(async () => (await db.query('SELECT 1')).rowCount === 1);
      this.set(answered ? 1 : 0);
    },
  });
}
