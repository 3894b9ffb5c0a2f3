import { Gauge, type Registry } from 'prom-client';
import type { Queryable } from '../contracts/ports/sql.ts';
import { CHANNELS } from '../domain/task/types.ts';
import { countReadyDeliveries, readScannedUntil } from '../projections/read-models/notification/delivery-backlog.sql.ts';
import { scrapeRead } from './scrape-read.ts';

/**
 * The reminder scheduler seen from the database at scrape time, so a stalled scheduler shows even when
 * the process that should run it is gone: what waits to be sent, and how far the scans have reached.
 */
export function schedulerMetrics(registry: Registry, db: Queryable, clock: () => Date): void {
  new Gauge({
    name: 'reminder_deliveries_ready', help: 'Reminder deliveries whose time has come, waiting for a scheduler pass (due or retrying), by requested channel',
    labelNames: ['channel'] as const, registers: [registry],
    async collect() {
      const counts = await scrapeRead(() => countReadyDeliveries(db, clock()));
      if (!counts) { this.reset(); return; }
      for (const channel of CHANNELS) this.set({ channel }, counts.get(channel) ?? 0);
    },
  });
  new Gauge({
    name: 'reminder_scan_timestamp_seconds', help: 'Unix time up to which the schedulers have scanned for due reminders (0: never, or the database did not answer)',
    registers: [registry],
    async collect() {
      const read = await scrapeRead(async () => ({ scannedUntil: await readScannedUntil(db) }));
      this.set(read?.scannedUntil ? read.scannedUntil.getTime() / 1000 : 0);
    },
  });
}
