import type { ChangeListener, TaskChange } from '../../contracts/ports/live-feed.ts';

/** The connections of each user, so a change reaches its owner's listeners and no one else's. */
export function ownerListeners() {
  const byUser = new Map<string, Set<ChangeListener>>();
  return {
    /** Answers how many connections it reached. */
    fanOut(change: TaskChange): number {
      const listeners = byUser.get(change.owner);
      for (const listener of listeners ?? []) listener(change);
      return listeners?.size ?? 0;
    },
    subscribe(userId: string, listener: ChangeListener): () => void {
      const set = byUser.get(userId) ?? new Set<ChangeListener>();
      set.add(listener);
      byUser.set(userId, set);
      return () => {
        set.delete(listener);
        if (set.size === 0) byUser.delete(userId);
      };
    },
    clear: () => byUser.clear(),
  };
}
