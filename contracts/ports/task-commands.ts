import type { Result } from '../../domain/common/result.ts';
import type { DomainError, TaskCommand } from '../../domain/task/types.ts';

/*
 * The write side as its callers see it: HTTP routes, and projectors that issue commands back (recurring).
 * write-side/commands implements it; projections depend on this port, never on write-side internals.
 */

/** Who asks and how: everything about a command that is not the command itself. */
export interface CommandContext {
  readonly request_id: string | null;
  readonly correlation_id: string | null;
  readonly causation_id: string | null;
  readonly traceparent: string | null;
  /** The actor's email claim, kept in event metadata for reminders. */
  readonly user_email?: string | null;
  /** Client Idempotency-Key and a hash of the request it came with. */
  readonly idempotency?: { readonly key: string; readonly request_hash: string };
  /** If-Match: the version the client expects the task to be at. */
  readonly expected_version?: number;
}

export interface CommandAccepted {
  readonly task_id: string;
  readonly version: number;
  readonly position: number;
  /** True when this answer repeats an earlier result (idempotent retry, re-creation of a client id). */
  readonly replayed: boolean;
}

export type CommandError =
  | DomainError
  | { readonly code: 'precondition_failed'; readonly current_version: number }
  | { readonly code: 'version_conflict'; readonly current_version: number }
  | { readonly code: 'idempotency_key_reused' };

export type CommandOutcome = Result<CommandAccepted, CommandError>;

/** A command as a caller states it; the handler stamps the time from its clock. */
export type CommandInput = TaskCommand extends infer C ? (C extends TaskCommand ? Omit<C, 'now'> : never) : never;

export interface TaskCommands {
  handle(command: CommandInput, context: CommandContext): Promise<CommandOutcome>;
}
