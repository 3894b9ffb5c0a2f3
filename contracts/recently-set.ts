/**
 * A map that keeps only its `capacity` most recently set entries: setting a key again makes it the newest,
 * and past the bound the least recently set goes first. For what a process remembers to spare itself work
 * (verified tokens, folded task states, the versions it fanned out), where a forgotten entry costs the work
 * again, never a wrong answer.
 */
export function recentlySet<K, V>(capacity: number) {
  const entries = new Map<K, V>();
  return {
    get: (key: K): V | undefined => entries.get(key),
    set(key: K, value: V): void {
      entries.delete(key);
      entries.set(key, value);
      if (entries.size > capacity) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
    },
    delete: (key: K): boolean => entries.delete(key),
    get size(): number {
      return entries.size;
    },
  };
}

export type RecentlySet<K, V> = ReturnType<typeof recentlySet<K, V>>;
