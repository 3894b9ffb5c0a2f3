import { describe, expect, it } from 'vitest';
import { ResumeWindow } from './resume-window.ts';

describe('the positions a live connection remembers', () => {
  it('sends each change once while a resume is open', () => {
    const window = new ResumeWindow();
    window.open();
    expect([3, 4, 3, 5, 4].map((position) => window.admit(position))).toEqual([true, true, false, true, false]);
  });

  it('remembers nothing for a connection that never resumes, however many changes it is sent', () => {
    const window = new ResumeWindow();
    for (let position = 1; position <= 10_000; position++) expect(window.admit(position)).toBe(true);
    expect(window.size).toBe(0);
  });

  it('forgets the positions of a resume once it is over', () => {
    const window = new ResumeWindow();
    window.open();
    window.admit(7);
    window.close();
    expect(window.size).toBe(0);
    expect(window.admit(8)).toBe(true);
    expect(window.size).toBe(0);
  });
});
