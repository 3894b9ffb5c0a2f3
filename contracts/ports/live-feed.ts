import type { Task, TaskEventType } from '../../domain/task/types.ts';
import type { LogCheckpoint } from '../events/stored-event.ts';

/** One change of one task, as the live feed fans it out: who owns it and what it looks like now. */
export interface TaskChange {
  readonly position: number;
  readonly transaction_id: string;
  readonly task_id: string;
  readonly version: number;
  readonly event_type: TaskEventType;
  readonly owner: string;
  /** The task after the event; null once deleted. */
  readonly task: Task | null;
}

export type ChangeListener = (change: TaskChange) => void;

export type ReplayOutcome =
  | { readonly kind: 'replayed'; readonly upTo: LogCheckpoint }
  | { readonly kind: 'reset'; readonly upTo: LogCheckpoint };

/** The sync side as the WebSocket edge sees it. */
export interface LiveFeed {
  /** The last log point this feed has fanned out. */
  checkpoint(): LogCheckpoint;
  subscribe(userId: string, listener: ChangeListener): () => void;
  /**
   * The user's changes after `after` (a position from an earlier frame) up to this feed's checkpoint, in
   * log order; `reset` when that is further back than the replay bound, or not a position of the log.
   */
  replay(userId: string, after: number, send: ChangeListener): Promise<ReplayOutcome>;
  stop(): Promise<void>;
}
