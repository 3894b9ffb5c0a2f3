import { describe, expect, it } from 'vitest';
import { TaskId } from '../../../contracts/task.ts';
import { uuidV5 } from '../../../contracts/uuid-v5.ts';
import { occurrenceId } from './occurrence-id.ts';

const SERIES = '0b7e2a7c-3c1d-4e55-8f0a-6d2b9c4e1f30';

describe('occurrence ids', () => {
  it('are RFC 9562 version 5 UUIDs (the RFC\'s DNS example)', () =>
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2'));

  it('name the same task for the same series and occurrence, whatever the spelling of the series id', () =>
    expect(occurrenceId(SERIES.toUpperCase(), 3)).toBe(occurrenceId(SERIES, 3)));

  it('differ between occurrences and between series', () => {
    const ids = new Set([occurrenceId(SERIES, 1), occurrenceId(SERIES, 2), occurrenceId('5f0c6d1e-7a2b-4c3d-9e8f-0a1b2c3d4e5f', 1)]);
    expect(ids.size).toBe(3);
  });

  it('are valid task ids', () => expect(TaskId.safeParse(occurrenceId(SERIES, 1)).success).toBe(true));
});
