import { describe, expect, it } from 'vitest';
import { trackProgress } from '../projections/runtime/rebuild-progress.ts';
import { progressOutput } from './rebuild-progress-output.ts';

function rebuildShownOn(isTTY: boolean): string {
  let text = '';
  const clock = { ms: 0 };
  const output = progressOutput({ isTTY, write: (chunk: string) => { text += chunk; } }, { now: () => clock.ms });
  const progress = trackProgress('task-view', 10_000, () => clock.ms);
  output.start('task-view', 10_000);
  for (let events = 500; events <= 9_500; events += 500) {
    clock.ms += 500;
    output.update(progress.update(events));
  }
  output.end();
  return text;
}

describe('the CLI\'s rebuild progress', () => {
  it('piped, is plain lines with the total and an estimate, without carriage returns or escape sequences', () => {
    const text = rebuildShownOn(false);
    expect(text).not.toContain('\r');
    expect(text).not.toContain('\u001b');
    expect(text.split('\n')).toEqual([
      'rebuilding task-view: ~10000 events to replay',
      'task-view: 2000 of ~10000 events (20%), 1000 events/s, about 8 s left',
      'task-view: 4000 of ~10000 events (40%), 1000 events/s, about 6 s left',
      'task-view: 6000 of ~10000 events (60%), 1000 events/s, about 4 s left',
      'task-view: 8000 of ~10000 events (80%), 1000 events/s, about 2 s left',
      'task-view: 9500 of ~10000 events (100%), 1000 events/s, about 0 s left',
      '',
    ]);
  });

  it('on a terminal, redraws one line in place and ends it', () => {
    const text = rebuildShownOn(true);
    expect(text.startsWith('rebuilding task-view: ~10000 events to replay\n\rtask-view: 500 of ~10000 events (5%)')).toBe(true);
    expect(text.split('\n')).toHaveLength(3);
    expect(text.endsWith('\u001b[K\n')).toBe(true);
  });
});
