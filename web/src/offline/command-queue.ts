import type { Api } from '../api/client.ts';
import { notePosition } from '../api/client.ts';
import type { CommandAccepted, Problem } from '../api/types.ts';
import type { Command } from './commands.ts';

/*
 * Every command goes through this queue, online or not (docs/adr/0021-web-app.md): it is stored in
 * localStorage first, then sent in order, one at a time. A network failure leaves it queued (shown as
 * pending) until the browser is online again; each carries its Idempotency-Key (and a creation its client
 * task id), so a command whose answer was lost is sent again without being applied twice. A 412 becomes a
 * conflict the person resolves; another refusal is dropped with the server's message.
 */

export interface Conflict { readonly command: Command; readonly problem: Problem }
export interface Refusal { readonly command: Command; readonly message: string }

export interface QueueState {
  readonly commands: readonly Command[];
  readonly conflicts: readonly Conflict[];
  readonly refusals: readonly Refusal[];
  /** Whether the last attempt failed to reach the server. */
  readonly unreachable: boolean;
}

type Outcome =
  | { readonly kind: 'sent'; readonly accepted: CommandAccepted }
  | { readonly kind: 'unreachable' }
  | { readonly kind: 'refused'; readonly status: number; readonly problem: Problem };

const RETRY_MS = 3000;

export class CommandQueue {
  #state: QueueState;
  readonly #listeners = new Set<() => void>();
  #flushing: Promise<void> | null = null;
  #retry: ReturnType<typeof setTimeout> | undefined;
  readonly #storageKey: string;
  readonly api: Api;
  readonly onSent: (command: Command, accepted: CommandAccepted) => void;

  constructor(api: Api, userId: string, onSent: (command: Command, accepted: CommandAccepted) => void) {
    this.api = api;
    this.onSent = onSent;
    this.#storageKey = `todo.queue.${userId}`;
    this.#state = { commands: this.#load(), conflicts: [], refusals: [], unreachable: false };
    addEventListener('online', this.#onOnline);
    if (this.#state.commands.length > 0) void this.flush();
  }

  get state(): QueueState { return this.#state; }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  getState = (): QueueState => this.#state;

  dispose(): void {
    removeEventListener('online', this.#onOnline);
    clearTimeout(this.#retry);
  }

  enqueue(command: Command): void {
    this.#set({ ...this.#state, commands: [...this.#state.commands, command] });
    void this.flush();
  }

  dismissConflict(conflict: Conflict): void {
    this.#set({ ...this.#state, conflicts: this.#state.conflicts.filter((c) => c !== conflict) });
  }

  dismissRefusal(refusal: Refusal): void {
    this.#set({ ...this.#state, refusals: this.#state.refusals.filter((r) => r !== refusal) });
  }

  /** Sends what is queued, in order; resolves when the queue is empty or the server cannot be reached. */
  flush(): Promise<void> {
    this.#flushing ??= this.#drain().finally(() => { this.#flushing = null; });
    return this.#flushing;
  }

  #onOnline = (): void => { void this.flush(); };

  async #drain(): Promise<void> {
    clearTimeout(this.#retry);
    for (;;) {
      const command = this.#state.commands[0];
      if (!command) { this.#set({ ...this.#state, unreachable: false }); return; }
      const outcome = await this.#send(command);
      const rest = this.#state.commands.filter((queued) => queued !== command);
      switch (outcome.kind) {
        case 'sent':
          notePosition(outcome.accepted.position);
          this.#set({ ...this.#state, commands: rest, unreachable: false });
          this.onSent(command, outcome.accepted);
          break;
        case 'unreachable':
          this.#set({ ...this.#state, unreachable: true });
          this.#retry = setTimeout(() => { void this.flush(); }, RETRY_MS);
          return;
        case 'refused':
          if (outcome.status === 503 || outcome.status >= 500 || outcome.status === 401) {
            // Ours or the token's trouble, not the command's: keep it and try again.
            this.#set({ ...this.#state, unreachable: true });
            this.#retry = setTimeout(() => { void this.flush(); }, RETRY_MS);
            return;
          }
          if (outcome.status === 412 || outcome.status === 409) {
            this.#set({ ...this.#state, commands: rest, conflicts: [...this.#state.conflicts, { command, problem: outcome.problem }] });
          } else {
            this.#set({ ...this.#state, commands: rest, refusals: [...this.#state.refusals, { command, message: outcome.problem.detail ?? outcome.problem.title }] });
          }
          break;
        default: {
          const unknown: never = outcome;
          throw new Error(`unknown outcome ${JSON.stringify(unknown)}`);
        }
      }
    }
  }

  async #send(command: Command): Promise<Outcome> {
    const header = { 'Idempotency-Key': command.key };
    const path = { id: command.taskId };
    try {
      let result: { data?: CommandAccepted; error?: Problem; response: Response };
      switch (command.kind) {
        case 'create':
          result = await this.api.POST('/api/tasks', { params: { header }, body: { ...command.body, id: command.taskId } });
          break;
        case 'update':
          result = await this.api.PATCH('/api/tasks/{id}', {
            params: { path, header: { ...header, ...(command.ifMatch ? { 'If-Match': String(command.ifMatch) } : {}) } },
            body: command.body,
          });
          break;
        case 'complete':
          result = await this.api.POST('/api/tasks/{id}/complete', { params: { path, header } });
          break;
        case 'reopen':
          result = await this.api.POST('/api/tasks/{id}/reopen', { params: { path, header } });
          break;
        case 'delete':
          result = await this.api.DELETE('/api/tasks/{id}', { params: { path, header } });
          break;
        default: {
          const unknown: never = command;
          throw new Error(`unknown command ${JSON.stringify(unknown)}`);
        }
      }
      if (result.data) return { kind: 'sent', accepted: result.data };
      const problem: Problem = result.error ?? { type: 'about:blank', title: result.response.statusText, status: result.response.status };
      return { kind: 'refused', status: result.response.status, problem };
    } catch {
      return { kind: 'unreachable' };
    }
  }

  #load(): Command[] {
    try {
      const stored: unknown = JSON.parse(localStorage.getItem(this.#storageKey) ?? '[]');
      return Array.isArray(stored) ? (stored as Command[]) : [];
    } catch {
      return [];
    }
  }

  #set(state: QueueState): void {
    if (state.commands !== this.#state.commands) localStorage.setItem(this.#storageKey, JSON.stringify(state.commands));
    this.#state = state;
    for (const listener of this.#listeners) listener();
  }
}
