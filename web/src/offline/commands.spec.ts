import { describe, expect, it } from 'vitest';
import { taskOfCreation, withPending, type Command } from './commands.ts';

const ID = '0b8f6a51-8e7c-4c5e-9a43-0d1f4b3f1e11';

describe('a task with its queued commands', () => {
  it('shows what the person did before the server has it', () => {
    const queue: Command[] = [
      { kind: 'create', key: 'k1', taskId: ID, body: { title: 'On the train' } },
      { kind: 'update', key: 'k2', taskId: ID, body: { description: 'no signal', priority: 'high' } },
      { kind: 'complete', key: 'k3', taskId: ID },
      { kind: 'update', key: 'k4', taskId: 'another', body: { title: 'not this one' } },
    ];
    const first = queue[0];
    if (first?.kind !== 'create') throw new Error('a creation first');
    expect(withPending(taskOfCreation(first), queue)).toMatchObject({
      id: ID, title: 'On the train', description: 'no signal', priority: 'high', status: 'completed', version: 0, pending: true,
    });
  });

  it('is the server\'s task, not pending, with nothing queued for it', () => {
    const created = taskOfCreation({ kind: 'create', key: 'k', taskId: ID, body: { title: 'Sent' } });
    expect(withPending(created, [])).toEqual({ ...created, pending: false });
    expect(withPending(created, [{ kind: 'delete', key: 'k', taskId: ID }])).toMatchObject({ deleted: true, pending: true });
  });
});
