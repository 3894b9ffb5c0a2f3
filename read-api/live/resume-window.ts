/**
 * What a connection remembers to send each change once across a resume: the replay and the live changes
 * queued meanwhile may overlap. Positions are kept only while a resume is open, so a connection that never
 * resumes, or resumed long ago, holds none; an open window holds at most one replay and one queue.
 */
export class ResumeWindow {
  private delivered: Set<number> | null = null;

  open(): void { this.delivered = new Set(); }

  close(): void { this.delivered = null; }

  /** True when the change at `position` is to be sent: always outside a resume, once within one. */
  admit(position: number): boolean {
    if (this.delivered === null) return true;
    if (this.delivered.has(position)) return false;
    this.delivered.add(position);
    return true;
  }

  /** Positions remembered now. */
  get size(): number { return this.delivered?.size ?? 0; }
}
