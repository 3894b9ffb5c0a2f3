import { upcastEvent } from '../../contracts/events/upcast.ts';
import { listen } from '../../gateways/postgres/listen.ts';
import { openSession } from '../../gateways/postgres/session.ts';
import type { Db } from '../../gateways/postgres/db.ts';
import { startProjector, type ProjectionObserver, type ProjectorRuntime } from '../../projections/runtime/run-projector.ts';
import type { Projector } from '../../projections/runtime/projector.ts';
import { createCommandHandler, type CommandHandler } from '../../write-side/commands/command-handler.ts';
import { postgresEventStore, type EventStore } from '../../write-side/event-store/event-store.ts';
import { announcingAppends, appendAnnouncer } from '../../write-side/event-store/append-announcer.ts';
import { APPENDS_CHANNEL, type EventLog } from '../../contracts/ports/event-log.ts';
import type { Transactional } from '../../contracts/ports/sql.ts';

export interface ObservedProjection extends ProjectionObserver { readonly events: Array<{ kind: string; detail: unknown }> }

export function recordingObserver(): ObservedProjection {
  const events: Array<{ kind: string; detail: unknown }> = [];
  return {
    events,
    batchApplied: (_name, count) => events.push({ kind: 'batch', detail: count }),
    retrying: (_name, error, attempt) => events.push({ kind: 'retry', detail: { attempt, error: String(error) } }),
    deadLettered: (_name, event) => events.push({ kind: 'dead-letter', detail: event.event_id }),
    stopped: (_name, reason) => events.push({ kind: 'stopped', detail: reason }),
    resumed: () => events.push({ kind: 'resumed', detail: null }),
    leadership: (_name, leader) => events.push({ kind: leader ? 'lead' : 'lost', detail: null }),
  };
}

export interface Harness {
  readonly store: EventStore;
  readonly commands: CommandHandler;
  run(projector: Projector, options?: {
    observer?: ProjectionObserver; batchSize?: number; maxAttempts?: number;
    /** A paced projector's interval, and what stands in for its waits. */
    paceMs?: number; pause?: (ms: number) => Promise<unknown>;
    /** What the runtime gets instead of the test database and the store (to count what it asks of them). */
    db?: Transactional; log?: EventLog;
  }): Promise<ProjectorRuntime>;
  close(): Promise<void>;
}

/** The write side plus projector runtimes wired the way app/ wires them, on one test database. */
export async function projectionHarness(db: Db, url: string): Promise<Harness> {
  const subscribers = new Set<() => void>();
  const wake = (): void => { for (const subscriber of subscribers) subscriber(); };
  const listener = await listen(url, APPENDS_CHANNEL, wake);
  const announcer = appendAnnouncer({ db, wakeLocal: wake, onError: (error) => { throw error; } });
  const store = announcingAppends(postgresEventStore(db, upcastEvent), announcer);
  const commands = createCommandHandler({ store });
  const runtimes: ProjectorRuntime[] = [];
  return {
    store,
    commands,
    async run(projector, options = {}) {
      const runtime = await startProjector({
        db: options.db ?? db, log: options.log ?? store, projector,
        openSession: () => openSession(url, `test-${projector.name}`),
        onAppend: (wake) => { subscribers.add(wake); return () => subscribers.delete(wake); },
        observer: options.observer ?? recordingObserver(),
        backoffMs: () => 10,
        standbyPollMs: 50,
        ...(options.batchSize ? { batchSize: options.batchSize } : {}),
        ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
        ...(options.paceMs ? { paceMs: options.paceMs } : {}),
        ...(options.pause ? { pause: options.pause } : {}),
      });
      runtimes.push(runtime);
      return runtime;
    },
    async close() {
      await Promise.all(runtimes.map((r) => r.stop()));
      await announcer.settled();
      await listener.close();
    },
  };
}
