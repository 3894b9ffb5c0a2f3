import type { EventLog } from '../../contracts/ports/event-log.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { gapWatch, projectionPassed } from './projection-passed.sql.ts';

export interface ProjectionWaiter {
  /** True once the projection has passed `position`; false when the bound ran out first. */
  waitFor(projection: string, position: number): Promise<boolean>;
}

/**
 * Read-your-writes: re-checks whenever a projector announces progress (NOTIFY), and on a slow tick in case
 * a notification was missed, until the bound.
 */
export function createProjectionWaiter(deps: {
  db: Queryable;
  log: Pick<EventLog, 'checkpointAt' | 'gapHorizon' | 'checkpointBeforeGap'>;
  /** Progress announcements; null means "something may have moved" (e.g. after a reconnect). */
  onProgress: (wake: (projection: string | null) => void) => () => void;
  timeoutMs: number;
  recheckMs?: number;
}): ProjectionWaiter {
  const recheckMs = deps.recheckMs ?? 250;
  return {
    async waitFor(projection, position) {
      // Subscribed before the first check, and remembered while checking, so no announcement is missed.
      let moved = false;
      let wakeWait: (() => void) | undefined;
      const unsubscribe = deps.onProgress((name) => {
        if (name !== null && name !== projection) return;
        moved = true;
        wakeWait?.();
      });
      try {
        const deadline = Date.now() + deps.timeoutMs;
        const gap = gapWatch(deps.log);
        for (;;) {
          if (await projectionPassed(deps.db, deps.log, projection, position, gap)) return true;
          const left = deadline - Date.now();
          if (left <= 0) return false;
          if (moved) {
            moved = false;
            continue;
          }
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, Math.min(recheckMs, left));
            wakeWait = () => { clearTimeout(timer); resolve(); };
          });
          wakeWait = undefined;
        }
      } finally {
        unsubscribe();
      }
    },
  };
}
