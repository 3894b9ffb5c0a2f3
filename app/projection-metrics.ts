import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { EventLog } from '../contracts/ports/event-log.ts';
import type { Queryable } from '../contracts/ports/sql.ts';
import { countDeadLetters } from '../projections/runtime/dead-letters.sql.ts';
import { readProjections } from '../projections/runtime/projection-state.sql.ts';
import type { ProjectionObserver } from '../projections/runtime/run-projector.ts';
import type { Logger } from 'pino';
import { scrapeRead, sharedWhileRunning } from './scrape-read.ts';

/**
 * Projection metrics: counters from the runtimes in this process, and lag, checkpoints and open dead
 * letters read from the database at scrape time, so every instance reports the same truth (and nothing,
 * rather than stale numbers, while the database does not answer).
 */
export function projectionMetrics(
  registry: Registry, db: Queryable, log: Pick<EventLog, 'readLogHead'>, logger: Logger,
  /** Which projections tail the log; lag and checkpoint are reported for these only (bus-fed ones have none). */
  logFed: (name: string) => boolean = () => true,
): ProjectionObserver {
  const labelNames = ['projection'] as const;
  const projections = sharedWhileRunning(() => readProjections(db));
  const applied = new Counter({ name: 'projection_events_applied_total', help: 'Events applied by projectors in this process', labelNames, registers: [registry] });
  const batches = new Histogram({
    name: 'projection_batch_duration_seconds', help: 'Time to apply one batch and store its checkpoint', labelNames,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [registry],
  });
  const retries = new Counter({ name: 'projection_retries_total', help: 'Failed batch attempts that were retried', labelNames, registers: [registry] });
  const deadLettered = new Counter({ name: 'projection_dead_lettered_total', help: 'Events moved to the dead-letter table', labelNames, registers: [registry] });
  const leader = new Gauge({ name: 'projection_leader', help: '1 while this process runs the projector (holds its lock)', labelNames, registers: [registry] });
  const stopped = new Gauge({ name: 'projection_stopped', help: '1 when the projector stopped at a poison event', labelNames, registers: [registry] });

  new Gauge({
    name: 'projection_lag_events', help: 'Head position of the log minus the projector checkpoint position', labelNames, registers: [registry],
    async collect() {
      const read = await scrapeRead(() => Promise.all([projections(), log.readLogHead()]));
      this.reset();
      if (!read) return;
      const [states, head] = read;
      for (const state of states.filter((s) => logFed(s.name))) this.set({ projection: state.name }, Math.max(0, head.position - state.checkpoint.position));
    },
  });
  new Gauge({
    name: 'projection_checkpoint_position', help: 'Log position of the projector checkpoint', labelNames, registers: [registry],
    async collect() {
      const states = await scrapeRead(projections);
      this.reset();
      for (const state of (states ?? []).filter((s) => logFed(s.name))) this.set({ projection: state.name }, state.checkpoint.position);
    },
  });
  new Gauge({
    name: 'projection_dead_letters', help: 'Dead letters not yet retried or resolved', labelNames, registers: [registry],
    async collect() {
      const read = await scrapeRead(() => Promise.all([countDeadLetters(db), projections()]));
      this.reset();
      if (!read) return;
      const [counts, states] = read;
      for (const state of states) this.set({ projection: state.name }, counts.get(state.name) ?? 0);
    },
  });

  return {
    batchApplied(name, events, seconds) {
      applied.inc({ projection: name }, events);
      batches.observe({ projection: name }, seconds);
    },
    retrying(name, error, attempt) {
      retries.inc({ projection: name });
      logger.warn({ err: error, projection: name, attempt }, 'projection batch failed; retrying');
    },
    deadLettered(name, event, error) {
      deadLettered.inc({ projection: name });
      logger.error({ err: error, projection: name, event_id: event.event_id, stream_id: event.stream_id, position: event.position },
        'event dead-lettered: see `todo projections dead-letters`');
    },
    stopped(name, reason) {
      stopped.set({ projection: name }, 1);
      logger.error({ projection: name, reason }, 'projector stopped');
    },
    resumed(name) {
      stopped.set({ projection: name }, 0);
      logger.info({ projection: name }, 'projector resumed: the dead letter it stopped at is resolved');
    },
    leadership(name, isLeader) {
      leader.set({ projection: name }, isLeader ? 1 : 0);
      // A leader runs (it stops only through `stopped`, until `resumed`), so its series exists at 0 for alerts to compare.
      if (isLeader) stopped.set({ projection: name }, 0);
      logger.info({ projection: name, leader: isLeader }, isLeader ? 'projector active' : 'projector standing by');
    },
  };
}
