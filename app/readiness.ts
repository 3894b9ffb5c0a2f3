import type { EventLog } from '../contracts/ports/event-log.ts';
import type { Queryable } from '../contracts/ports/sql.ts';
import { stoppedProjections, type StoppedAt } from '../projections/runtime/dead-letters.sql.ts';
import { readProjections } from '../projections/runtime/projection-state.sql.ts';
import type { OwedRebuild } from '../projections/runtime/rebuild-on-start.ts';
import { describeUnorderableLog, unorderableLog, type UnorderableLog } from '../write-side/event-store/log-order.sql.ts';

export type WaitingFor =
  | ({ readonly reason: 'rebuild' } & OwedRebuild)
  | { readonly reason: 'lag'; readonly projection: string; readonly lag_events: number; readonly max_lag_events: number }
  | ({ readonly reason: 'stopped' } & StoppedAt)
  | ({ readonly reason: 'unorderable_log' } & UnorderableLog);

export interface ProjectionLag {
  readonly projection: string;
  /** Log head minus checkpoint; null for a projection fed by the bus (its lag is the consumer group's). */
  readonly lag_events: number | null;
  /** Whether this process runs it: only those decide this process's readiness. */
  readonly runs_here: boolean;
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly waiting_for: readonly WaitingFor[];
  readonly projections: readonly ProjectionLag[];
}

export interface Readiness { check(): Promise<ReadinessReport> }

/**
 * What `/ready` waits for besides the database: a projector of this process stopped at an event it cannot
 * apply (always: its rows stay as they were before that event, so what it serves is silently stale until
 * an operator resolves the dead letter), the start-up rebuilds of this process's projections, and,
 * until it has once been ready, its log-fed projections within `maxLagEvents` of the log head (0: lag never
 * holds it back). Once ready, lag is reported but no longer makes it unready: lag is shared by every
 * instance serving the same tables, so a burst of writes would take all of them out of the load balancer
 * at once — writes included, which need no projection. Leader and standby alike are judged by the shared
 * lag: a standby serves the same tables.
 */
export function readiness(deps: {
  readonly db: Queryable;
  readonly log: Pick<EventLog, 'readLogHead'>;
  readonly owedRebuilds: () => readonly OwedRebuild[];
  /** The log-fed projections this process runs. */
  readonly runsHere: ReadonlySet<string>;
  /** The projections that tail the log in this deployment (the others have no meaningful checkpoint). */
  readonly logFed: ReadonlySet<string>;
  readonly maxLagEvents: number;
}): Readiness {
  let caughtUpOnce = false;
  return {
    async check() {
      const [states, head, stopped, unorderable] = await Promise.all([
        readProjections(deps.db), deps.log.readLogHead(), stoppedProjections(deps.db), unorderableLog(deps.db)]);
      const projections = states.map((state) => ({
        projection: state.name,
        lag_events: deps.logFed.has(state.name) ? Math.max(0, head.position - state.checkpoint.position) : null,
        runs_here: deps.runsHere.has(state.name),
      }));
      const rebuilds: WaitingFor[] = deps.owedRebuilds().map((owed) => ({ reason: 'rebuild', ...owed }));
      const lagging: WaitingFor[] = caughtUpOnce || deps.maxLagEvents === 0
        ? []
        : projections.flatMap(({ projection, lag_events, runs_here }) => runs_here && lag_events !== null && lag_events > deps.maxLagEvents
          ? [{ reason: 'lag' as const, projection, lag_events, max_lag_events: deps.maxLagEvents }]
          : []);
      const halted: WaitingFor[] = stopped.filter((at) => deps.runsHere.has(at.projection)).map((at) => ({ reason: 'stopped', ...at }));
      // The database was replaced under a running process by one whose log this server cannot order.
      const foreign: WaitingFor[] = unorderable ? [{ reason: 'unorderable_log', ...unorderable }] : [];
      const waiting_for = [...foreign, ...halted, ...rebuilds, ...lagging];
      if (waiting_for.length === 0) caughtUpOnce = true;
      return { ready: waiting_for.length === 0, waiting_for, projections };
    },
  };
}

/** One line for the problem's `detail`. */
export function describeWaiting(waiting: readonly WaitingFor[]): string {
  return waiting.map((entry) => {
    switch (entry.reason) {
      case 'rebuild': {
        const progress = entry.progress;
        const where = entry.state === 'rebuilding' && progress
          ? ` (${progress.percent}%${progress.eta_seconds === null ? '' : `, about ${progress.eta_seconds} s left`})`
          : entry.state === 'waiting' ? ' (waiting for another instance rebuilding it)' : ` (retrying: ${entry.error ?? 'failed'})`;
        return `rebuilding ${entry.projection} for schema version ${entry.to_version}${where}`;
      }
      case 'lag':
        return `${entry.projection} is ${entry.lag_events} events behind the log (at most ${entry.max_lag_events})`;
      case 'stopped':
        return `${entry.projection} stopped at event ${entry.event_id} of stream ${entry.stream_id} (position ${entry.position}): ${entry.error}; `
          + 'see `todo projections dead-letters`';
      case 'unorderable_log':
        return describeUnorderableLog(entry);
      default: {
        const unknown: never = entry;
        return String(unknown);
      }
    }
  }).join('; ');
}
