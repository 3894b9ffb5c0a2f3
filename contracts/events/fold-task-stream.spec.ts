import { describe, expect, it } from 'vitest';
import { initialState } from '../../domain/task/evolve.ts';
import { taskCompleted, taskCreated, taskUpdated } from '../../domain/task/testing/task-fixtures.ts';
import type { TaskEvent } from '../../domain/task/types.ts';
import { foldTaskStream, foldWholeStream, versionOf, type FoldStep } from './fold-task-stream.ts';
import type { StreamEvent } from './stored-event.ts';

const stored = (version: number, event: TaskEvent | { type: string; data: unknown }): StreamEvent => ({
  stream_id: 's', version, position: version * 10, type: event.type, schema_version: 1, data: event.data,
});

const created = stored(1, taskCreated());
const renamed = stored(2, taskUpdated({ title: 'Buy oat milk' }));
const completed = stored(3, taskCompleted());

describe('the fold of a task stream', () => {
  it('starts from nothing and ends at the last version folded', () => {
    const state = foldWholeStream([created, renamed, completed]);
    expect(state.kind === 'present' && { title: state.task.title, status: state.task.status, version: state.task.version })
      .toEqual({ title: 'Buy oat milk', status: 'completed', version: 3 });
  });

  it('gives the task the stored version, not a count of folded events, across a gap', () => {
    expect(versionOf(foldWholeStream([created, completed]))).toBe(3);
  });

  it('passes over events at or below the version already folded, so folding twice changes nothing', () => {
    const once = foldWholeStream([created, renamed]);
    expect(foldTaskStream(once, [created, renamed])).toBe(once);
    expect(foldWholeStream([created, renamed, created, renamed, completed])).toEqual(foldWholeStream([created, renamed, completed]));
  });

  it('continues from a saved state as if the stream had been folded at once', () => {
    expect(foldTaskStream(foldWholeStream([created]), [renamed, completed])).toEqual(foldWholeStream([created, renamed, completed]));
  });

  it('passes over events that are not task events', () => {
    expect(foldWholeStream([created, stored(2, { type: 'SomethingElse', data: {} })])).toEqual(foldWholeStream([created]));
  });

  it('shows each folded event with the task before and after it', () => {
    const steps: FoldStep<StreamEvent>[] = [];
    foldTaskStream(initialState, [created, renamed], (step) => steps.push(step));
    expect(steps.map((s) => [s.stored.version, s.event.type, s.before.kind, s.after.kind])).toEqual([
      [1, 'TaskCreated', 'absent', 'present'],
      [2, 'TaskUpdated', 'present', 'present'],
    ]);
  });
});
