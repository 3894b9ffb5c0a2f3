import { describe, expect, it } from 'vitest';
import { decide } from './decide.ts';
import { fold, initialState } from './evolve.ts';
import { completeTask, deleteTask, OTHER_USER, reopenTask, taskCompleted, taskCreated, taskDeleted, updateTask } from './testing/task-fixtures.ts';
import type { TaskCommand } from './types.ts';

describe("another user's task is indistinguishable from a missing one", () => {
  const commands: TaskCommand[] = [
    updateTask({ title: 'mine now' }, { user_id: OTHER_USER }),
    updateTask({ title: '' }, { user_id: OTHER_USER }),
    updateTask({}, { user_id: OTHER_USER }),
    completeTask({ user_id: OTHER_USER }),
    reopenTask({ user_id: OTHER_USER }),
    deleteTask({ user_id: OTHER_USER }),
  ];
  const histories = { open: [taskCreated()], completed: [taskCreated(), taskCompleted()], deleted: [taskCreated(), taskDeleted()] };

  for (const [name, history] of Object.entries(histories)) {
    it.each(commands.map((command) => [command.type, command] as const))(`%s on an ${name} task answers as if it were absent`, (_, command) =>
      expect(decide(command, fold(history))).toEqual(decide(command, initialState)));
  }
});
