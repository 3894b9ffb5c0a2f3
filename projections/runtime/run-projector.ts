import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { checkpointOf, isBefore, sameCheckpoint, type LogCheckpoint, type StoredEvent } from '../../contracts/events/stored-event.ts';
import type { EventLog } from '../../contracts/ports/event-log.ts';
import type { Queryable, Transactional } from '../../contracts/ports/sql.ts';
import { isStopped } from './dead-letters.sql.ts';
import { announceProgress, lockProjection, readCheckpoint, registerProjection, saveCheckpoint, saveCheckpointAndAnnounce } from './projection-state.sql.ts';
import { schemaVersionOf, type Projector } from './projector.ts';
import { applyBatch } from './apply-batch.ts';
import { isTransient } from './transient-error.ts';
import { logAppliedBatch } from './batch-log.ts';
import { logWakeups } from './log-wakeups.ts';
import { pauseBeforeNextBatch } from './batch-pace.ts';
import { applyOneByOne } from './poison.ts';
import { passOverSkipped, readSkippedEvents, type EventPlaces } from './resolved-events.ts';

export interface ProjectionObserver {
  batchApplied(name: string, events: number, seconds: number, checkpoint: LogCheckpoint): void;
  retrying(name: string, error: unknown, attempt: number): void;
  deadLettered(name: string, event: StoredEvent, error: unknown): void;
  stopped(name: string, reason: string): void;
  /** A stopped projector goes on: the dead letter it stopped at was resolved (`todo projections retry`). */
  resumed(name: string): void;
  leadership(name: string, leader: boolean): void;
}

/** A dedicated connection whose loss means the advisory lock on it is gone. */
export interface LeaderSession extends Queryable { readonly lost: Promise<void>; close(): Promise<void> }

export interface ProjectorRuntimeDeps {
  readonly db: Transactional;
  readonly log: EventLog;
  readonly projector: Projector;
  readonly openSession: () => Promise<LeaderSession>;
  /** Subscribes to append notifications; returns the unsubscribe function. */
  readonly onAppend: (wake: () => void) => () => void;
  readonly observer: ProjectionObserver;
  /** Debug and trace lines about committed batches, with their trace ids (see batch-log.ts). */
  readonly logger?: Logger;
  readonly batchSize?: number;
  /** For a paced projector: the least time from one batch's start to the next's while appends keep coming. */
  readonly paceMs?: number;
  /** How a paced projector waits (tests record it instead). */
  readonly pause?: (ms: number) => Promise<unknown>;
  readonly maxAttempts?: number;
  readonly idlePollMs?: number;
  readonly standbyPollMs?: number;
  readonly backoffMs?: (attempt: number) => number;
}

export interface ProjectorRuntime {
  readonly name: string;
  isLeader(): boolean;
  /** Stops after the batch in flight; releases leadership so a standby takes over. */
  stop(): Promise<void>;
  /** Resolves once everything committed to the log before the call has been applied (tests, CLI). */
  caughtUp(): Promise<void>;
}

const defaultBackoff = (attempt: number) => Math.min(10_000, 100 * 2 ** (attempt - 1));

/**
 * Runs one projector: only while holding its advisory lock (one active instance; a standby takes over when
 * the holder's connection dies), in batches from its checkpoint, each batch and its checkpoint in one
 * transaction, woken by NOTIFY with a slow poll as a safety net.
 */
export async function startProjector(deps: ProjectorRuntimeDeps): Promise<ProjectorRuntime> {
  const { db, log, projector, observer } = deps;
  const name = projector.name;
  const batchSize = deps.batchSize ?? 500;
  const maxAttempts = deps.maxAttempts ?? 5;
  const idlePollMs = deps.idlePollMs ?? 1000;
  const standbyPollMs = deps.standbyPollMs ?? 1000;
  const backoff = deps.backoffMs ?? defaultBackoff;
  const paceMs = projector.paced ? deps.paceMs ?? 0 : 0;
  const pause = deps.pause ?? sleep;
  const lockKey = `projection:${name}`;

  await registerProjection(db, projector);

  let stopped = false;
  let session: LeaderSession | undefined;
  let leading = false;
  const wakeups = logWakeups(deps.onAppend);
  const wake = () => wakeups.wake();

  // What this instance last said about leading. A standby says so once, at its first failed try, so that its
  // projection_leader series exists at 0: a dead leader then reads as 0 everywhere, not as no data.
  let reported: boolean | undefined;
  const reportLeadership = (leader: boolean) => {
    reported = leader;
    observer.leadership(name, leader);
  };

  /**
   * The events an operator resolved as skipped, read once per leadership and after each halt rather than per
   * batch: an event ahead of the checkpoint is only ever skipped while this projector is halted before it or
   * not leading, and both end by clearing this.
   */
  let skipped: EventPlaces | undefined;

  /**
   * The checkpoint this instance's last batch committed, while it leads and nothing failed since: where a
   * woken batch looks for events before it opens a transaction (see runBatch). Only this leader moves the
   * checkpoint, and only forward, between its batches (a rebuild's swap moves it forward too, under the
   * same lock); the transaction checks it against the stored one all the same.
   */
  let committed: LogCheckpoint | undefined;

  async function tryLead(): Promise<boolean> {
    try {
      session ??= await deps.openSession();
      const result = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [lockKey]);
      if (!result.rows[0]?.locked) {
        if (reported === undefined) reportLeadership(false);
        return false;
      }
      const held = session;
      void held.lost.then(() => {
        if (session !== held) return;
        session = undefined;
        leading = false;
        reportLeadership(false);
        wake();
      });
      leading = true;
      skipped = undefined;
      committed = undefined;
      reportLeadership(true);
      return true;
    } catch (error) {
      await session?.close();
      session = undefined;
      leading = false;
      observer.retrying(name, error, 1);
      return false;
    }
  }

  /**
   * This code writes its own schema version of the table only: while the active table has another one (a
   * rebuild at start-up is making ours; or ours is older than the table, and this instance is on its way
   * out) it neither leads nor applies, and an instance running the other version does.
   */
  const schemaVersion = schemaVersionOf(projector);
  async function ownSchemaActive(): Promise<boolean> {
    if (schemaVersion === undefined) return true;
    try {
      const result = await db.query<{ schema_version: number }>('SELECT schema_version FROM projections WHERE name = $1', [name]);
      return result.rows[0]?.schema_version === schemaVersion;
    } catch {
      return false; // the database is away: leading would fail as well
    }
  }

  async function standDown(): Promise<void> {
    leading = false;
    reportLeadership(false);
    await session?.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => undefined);
  }

  /**
   * One batch in one transaction, `started` when the loop began it (its duration is reported, and a paced
   * projector's next batch is timed from it); returns how many events it applied, or `other-schema` (applied none).
   *
   * Woken by an append or a quick re-read (`fromCommitted`), it first reads the log after the checkpoint its
   * last batch committed, outside any transaction: when nothing is there (the append's events are behind an
   * older open transaction, or another reader's wake-up), there is nothing to lock, check or save, and the
   * BEGIN, lock, state read and COMMIT are spared. When events are there and the stored checkpoint is the
   * one they were read after, they are the batch: the log is gap-safe, so what was visible after a
   * checkpoint then is what a read after it finds, or a prefix of it. Otherwise the batch reads again from
   * the stored checkpoint, as it always does on the idle poll, which also checks the schema version.
   */
  async function runBatch(fromCommitted: boolean, started: number): Promise<number | 'other-schema'> {
    const after = fromCommitted ? committed : undefined;
    const early = after ? await log.readLogAfter(after, batchSize) : undefined;
    if (early?.length === 0) return 0;
    const applied = await db.transaction(async (tx) => {
      const state = await lockProjection(tx, name, { commitAsynchronously: true });
      if (schemaVersion !== undefined && state.schema_version !== schemaVersion) return 'other-schema';
      const events = early && after && sameCheckpoint(after, state.checkpoint) ? early : await log.readLogAfter(state.checkpoint, batchSize);
      const last = events.at(-1);
      if (!last) return { events, checkpoint: state.checkpoint };
      skipped ??= await readSkippedEvents(tx, name);
      const kept = passOverSkipped(events, skipped);
      if (kept.length > 0) await applyBatch(tx, projector, kept, state.active_table);
      const checkpoint = checkpointOf(last);
      await saveCheckpointAndAnnounce(tx, name, checkpoint);
      observer.batchApplied(name, events.length, (performance.now() - started) / 1000, checkpoint);
      return { events, checkpoint };
    });
    if (applied === 'other-schema') return applied;
    committed = applied.checkpoint;
    // After the commit: a batch that rolled back was not applied, and is not reported as if it had been.
    if (deps.logger) logAppliedBatch(deps.logger, name, applied.events);
    return applied.events.length;
  }

  /**
   * After the retries, find the event at fault: the batch again one event at a time (poison.ts). The
   * failing one is dead-lettered; the projector skips it or stops before it, per its policy.
   */
  async function isolatePoison(attempts: number): Promise<'skipped' | 'stopped'> {
    return db.transaction(async (tx) => {
      const state = await lockProjection(tx, name);
      // Swapped to another schema version since the batch failed: the next batch stands down.
      if (schemaVersion !== undefined && state.schema_version !== schemaVersion) return 'skipped';
      const events = await log.readLogAfter(state.checkpoint, batchSize);
      const kept = passOverSkipped(events, await readSkippedEvents(tx, name));
      const { stoppedAt } = await applyOneByOne(tx, projector, kept, (event) => applyBatch(tx, projector, [event], state.active_table), attempts,
        (event, error) => observer.deadLettered(name, event, error));
      // Stopped: the checkpoint stays just before the poison event, past what this batch applied before it.
      const passed = stoppedAt ? events.slice(0, events.indexOf(stoppedAt)) : events;
      const last = passed.at(-1);
      await saveCheckpoint(tx, name, last ? checkpointOf(last) : state.checkpoint);
      await announceProgress(tx, name);
      return stoppedAt ? 'stopped' : 'skipped';
    });
  }

  /** Stopped at a poison event: waits until its dead letter is resolved (retried or skipped), then goes on. */
  let halted = false;

  const loop = (async () => {
    let attempt = 0;
    // Whether the next batch may look after its last committed checkpoint first: not on the idle poll,
    // which checks the stored state whatever the log holds.
    let woken = false;
    while (!stopped) {
      if (halted && leading) {
        if (await isStopped(db, name).catch(() => true)) {
          await wakeups.idle(standbyPollMs);
          continue;
        }
        halted = false;
        skipped = undefined;
        committed = undefined;
        observer.resumed(name);
      }
      if (!leading && !((await ownSchemaActive()) && (await tryLead()))) {
        await wakeups.idle(standbyPollMs);
        continue;
      }
      const started = performance.now();
      try {
        const applied = await runBatch(woken, started);
        attempt = 0;
        if (applied === 'other-schema') {
          await standDown();
          continue;
        }
        if (applied === batchSize || stopped) continue;
        woken = (await wakeups.rest(idlePollMs)) !== 'idle-poll';
        const wait = pauseBeforeNextBatch({ paceMs, lastStarted: started, now: performance.now(), applied, woken });
        if (wait > 0 && !stopped) await pause(wait);
      } catch (error) {
        committed = undefined;
        attempt += 1;
        observer.retrying(name, error, attempt);
        if (isTransient(error) || attempt < maxAttempts) {
          await sleep(backoff(attempt));
          continue;
        }
        try {
          const outcome = await isolatePoison(attempt);
          attempt = 0;
          if (outcome === 'stopped') {
            halted = true;
            observer.stopped(name, 'an event kept failing and the policy is to stop; see `todo projections dead-letters`, then `retry` or `dead-letters skip`');
          }
        } catch (isolationError) {
          observer.retrying(name, isolationError, attempt);
          await sleep(backoff(attempt));
        }
      }
    }
  })();

  return {
    name,
    isLeader: () => leading,
    async stop() {
      stopped = true;
      wake();
      await loop;
      wakeups.close();
      await session?.close();
      session = undefined;
      leading = false;
    },
    async caughtUp() {
      // The last committed event, not the gap-safe head: an older transaction still open when the call is
      // made hides later commits from the head, and "caught up" would come before they were applied.
      const target = await log.readLastCommittedPosition();
      if (target === 0) return;
      for (;;) {
        const at = await log.checkpointAt(target);
        if (at && !isBefore(await readCheckpoint(db, name), at)) return;
        await sleep(20);
      }
    },
  };
}
