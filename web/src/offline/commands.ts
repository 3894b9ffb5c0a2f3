import type { CreateTaskBody, Task, UpdateTaskBody } from '../api/types.ts';

/**
 * A command as the person made it, kept until the server has it. `key` is its Idempotency-Key: sent again
 * after a lost answer, the server answers the first result and appends nothing.
 */
export type Command =
  | { readonly kind: 'create'; readonly key: string; readonly taskId: string; readonly body: CreateTaskBody }
  | { readonly kind: 'update'; readonly key: string; readonly taskId: string; readonly body: UpdateTaskBody; readonly ifMatch?: number }
  | { readonly kind: 'complete' | 'reopen' | 'delete'; readonly key: string; readonly taskId: string };

export type CommandKind = Command['kind'];

/** A task as it will be once its queued commands are sent: what the person sees meanwhile. */
export interface ShownTask extends Task {
  readonly pending: boolean;
  readonly deleted?: boolean;
}

const EPOCH = new Date(0).toISOString();

/** The task a queued creation makes, before the server has it. */
export function taskOfCreation(command: Extract<Command, { kind: 'create' }>): Task {
  const { body } = command;
  const now = new Date().toISOString();
  return {
    id: command.taskId,
    title: body.title,
    description: body.description ?? null,
    priority: body.priority ?? 'none',
    tags: body.tags ?? [],
    due: body.due ?? null,
    reminders: body.reminders ?? [],
    recurrence: body.recurrence ?? null,
    estimate_minutes: body.estimate_minutes ?? null,
    status: 'open',
    series_id: null,
    created_at: now,
    updated_at: now,
    completed_at: null,
    version: 0,
  };
}

/** Applies one queued command to the task it is for. */
export function applyCommand(task: ShownTask, command: Command): ShownTask {
  switch (command.kind) {
    case 'create':
      return { ...task, pending: true };
    case 'update': {
      const { body } = command;
      return {
        ...task,
        pending: true,
        ...(body.title !== undefined ? { title: body.title } : {}),
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.priority !== undefined ? { priority: body.priority ?? 'none' } : {}),
        ...(body.tags !== undefined ? { tags: body.tags ?? [] } : {}),
        ...(body.due !== undefined ? { due: body.due } : {}),
        ...(body.reminders !== undefined ? { reminders: body.reminders ?? [] } : {}),
        ...(body.recurrence !== undefined ? { recurrence: body.recurrence } : {}),
      };
    }
    case 'complete':
      return { ...task, pending: true, status: 'completed', completed_at: task.completed_at ?? EPOCH };
    case 'reopen':
      return { ...task, pending: true, status: 'open', completed_at: null, deleted: false };
    case 'delete':
      return { ...task, pending: true, deleted: true };
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
}

/** The task with every queued command for it applied, in order. */
export function withPending(task: Task, queue: readonly Command[]): ShownTask {
  return queue.filter((command) => command.taskId === task.id).reduce<ShownTask>(applyCommand, { ...task, pending: false });
}
