/**
 * Test support only (imports vitest): given/when/then for deciders, so specs read as the behaviour they
 * pin down. `given` events are folded with `evolve`, exactly as the write side rebuilds a task.
 */
import { expect } from 'vitest';
import type { Result } from '../../common/result.ts';

export interface Decider<Command, Event, State, Failure> {
  readonly decide: (command: Command, state: State) => Result<Event[], Failure>;
  readonly evolve: (state: State, event: Event) => State;
  readonly initialState: State;
}

/** Nested objects and array items may be partial too: `{ errors: [{ path: 'title' }] }`. */
export type DeepPartial<T> = T extends readonly (infer Item)[]
  ? readonly DeepPartial<Item>[]
  : T extends object ? { readonly [K in keyof T]?: DeepPartial<T[K]> } : T;

export interface DeciderExpectations<Event, Failure> {
  /** The command succeeds with exactly these events, which also apply cleanly to the state. */
  then(expected: readonly Event[]): void;
  /** The command succeeds and changes nothing: an idempotent repeat. */
  thenNothingHappened(): void;
  /**
   * The command fails with this code; `details`, if given, must match the rest of the error (arrays
   * item by item and of equal length, objects by the keys given).
   */
  thenFails(code: Failure extends { readonly code: infer Code } ? Code : never, details?: DeepPartial<Failure>): void;
}

export function deciderSpec<Command, Event, State, Failure>(decider: Decider<Command, Event, State, Failure>) {
  return {
    given(events: readonly Event[]) {
      const state = events.reduce(decider.evolve, decider.initialState);
      return {
        when(command: Command): DeciderExpectations<Event, Failure> {
          const result = decider.decide(command, state);
          return {
            then(expected) {
              expect(result).toEqual({ ok: true, value: expected });
              expect(() => expected.reduce(decider.evolve, state)).not.toThrow();
            },
            thenNothingHappened() {
              expect(result).toEqual({ ok: true, value: [] });
            },
            thenFails(code, details) {
              expect(result).toMatchObject({ ok: false, error: { ...details, code } });
            },
          };
        },
      };
    },
  };
}
