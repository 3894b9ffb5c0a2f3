import { describe, expect, it } from 'vitest';
import { parseOnceForAll, parseTaskEvent } from './task-events.ts';

describe('stored task events', () => {
  it('read a creation stored before a field existed with that field empty', () => {
    const before = {
      task_id: '0190f0a0-1234-7abc-8def-0123456789ab', user_id: 'alice', title: 'Old', description: null, priority: 'none', tags: [],
      due: null, reminders: [], recurrence: null, series_id: null, occurrence: 0, created_at: '2026-01-01T00:00:00.000Z',
    };
    expect(parseTaskEvent('TaskCreated', before)).toEqual({ type: 'TaskCreated', data: { ...before, estimate_minutes: null } });
  });

  it('parse a payload marked for several readers once, for all of them, and any other payload afresh', () => {
    const payload = () => ({ task_id: '0190f0a0-1234-7abc-8def-0123456789ab', completed_at: '2026-01-02T00:00:00.000Z' });
    const shared = payload();
    parseOnceForAll(shared);
    const first = parseTaskEvent('TaskCompleted', shared);
    expect(parseTaskEvent('TaskCompleted', shared)).toBe(first);
    expect(first).toEqual({ type: 'TaskCompleted', data: shared });
    const alone = payload();
    expect(parseTaskEvent('TaskCompleted', alone)).not.toBe(parseTaskEvent('TaskCompleted', alone));
  });
});
