/**
 * The name of every consumer of the log: the key of its checkpoint row, its advisory lock and dead
 * letters, the label of its metrics, and what the CLI and the read-your-writes wait take.
 */
export const PROJECTIONS = {
  taskView: 'task-view',
  audit: 'audit',
  notification: 'notification',
  recurring: 'recurring',
  relay: 'relay',
  /** The live feed: it keeps no checkpoint, so it appears in logs and metrics only. */
  sync: 'sync',
} as const;

export type ProjectionName = (typeof PROJECTIONS)[keyof typeof PROJECTIONS];
