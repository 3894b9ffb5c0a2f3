import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { StoredEvent } from '../../contracts/events/stored-event.ts';
import type { BusMessage } from '../../contracts/ports/event-publisher.ts';
import type { Queryable, Transactional } from '../../contracts/ports/sql.ts';
import type { CommandInput, CommandOutcome, TaskCommands } from '../../contracts/ports/task-commands.ts';
import type { Outbox, ReadModelProjection, Reactor } from '../runtime/projector.ts';
import { inMemoryStreams } from './in-memory-log.ts';

/** One instance of a consumer under specification, fresh: empty tables, nothing recorded yet. */
export interface SpecInstance<Row> {
  feed(batch: readonly StoredEvent[]): Promise<void>;
  /** What it holds or has done, in an order that does not depend on how the events were delivered. */
  rows(): Promise<Row[]>;
}

/** How to make fresh instances of a consumer; `given` is the whole of what will be fed. */
export type SpecSubject<Row> = (given: readonly StoredEvent[]) => Promise<SpecInstance<Row>>;

/** One way of delivering the given events: every batch in order. */
interface Delivery { readonly name: string; readonly batches: ReadonlyArray<readonly StoredEvent[]> }

/** Twice over; split in two at each place (or at `splits`); one event at a time, then parts of it again. */
function deliveries(events: readonly StoredEvent[], splits: readonly number[] | undefined): Delivery[] {
  const cuts = splits ?? Array.from({ length: Math.max(0, events.length - 1) }, (_, i) => i + 1);
  return [
    { name: 'twice', batches: [events, events] },
    ...cuts.map((cut) => ({ name: `split after event ${cut}`, batches: [events.slice(0, cut), events.slice(cut)] })),
    ...(events.length > 2
      ? [{ name: 'one at a time, then a middle part and the start again', batches: [...events.map((event) => [event]), events.slice(1, -1), events.slice(0, 2)] }]
      : []),
  ];
}

/**
 * A consumer's specification: given these events, these rows — and the same rows whether the events come
 * once, twice, or split across batches anywhere, which is what the runtime's redelivery and batching need
 * of every consumer. For a read model the rows are its table's; for a reactor, the commands it issued; for
 * the outbox, the messages it published (those two as their receivers keep them: each distinct one once,
 * since the write side answers a repeated command as a replay and subscribers dedupe by inbox).
 */
export function projectionSpec<Row>(subject: SpecSubject<Row>) {
  return {
    given(events: readonly StoredEvent[]) {
      const run = async (batches: ReadonlyArray<readonly StoredEvent[]>): Promise<Row[]> => {
        const instance = await subject(events);
        for (const batch of batches) if (batch.length > 0) await instance.feed(batch);
        return instance.rows();
      };
      const then = async (check: (rows: Row[]) => void, options: { splits?: readonly number[] } = {}): Promise<Row[]> => {
        const once = await run([events]);
        check(once);
        for (const delivery of deliveries(events, options.splits)) {
          expect(await run(delivery.batches), `the rows when the events are delivered ${delivery.name}`).toEqual(once);
        }
        return once;
      };
      return {
        /** The rows, checked by `check`; the same for every delivery. Answers the rows, for further checks. */
        thenRows: then,
        /** Exactly these rows, for every delivery. */
        expectRows: (expected: readonly Row[], options?: { splits?: readonly number[] }) =>
          then((rows) => expect(rows).toEqual(expected), options),
      };
    },
  };
}

const uniqueSuffix = () => randomBytes(4).toString('hex');

/** A read model against real PostgreSQL: each instance is a fresh table of its own; `read` lists its rows. */
export function readModelSubject<Row>(
  db: Transactional,
  projection: ReadModelProjection | ((given: readonly StoredEvent[]) => ReadModelProjection),
  read: (db: Queryable, table: string) => Promise<Row[]>,
): SpecSubject<Row> {
  return async (given) => {
    const model = typeof projection === 'function' ? projection(given) : projection;
    const table = `${model.table.base}_spec_${uniqueSuffix()}`;
    await db.transaction((tx) => model.table.create(tx, table));
    return {
      feed: (batch) => db.transaction((tx) => model.apply(tx, batch, table)),
      rows: () => read(db, table),
    };
  };
}

/** Each distinct value once, in the order first seen. */
function distinct<T>(values: readonly T[]): T[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = JSON.stringify(value);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const accepted = async (command: CommandInput): Promise<CommandOutcome> =>
  ({ ok: true, value: { task_id: command.task_id, version: 1, position: 1, replayed: false } });

/** A reactor over the given events' streams, with a command port that records: rows are the commands issued. */
export function reactorSubject(
  build: (deps: { log: ReturnType<typeof inMemoryStreams>; commands: TaskCommands }) => Reactor,
  answer: (command: CommandInput) => Promise<CommandOutcome> = accepted,
): SpecSubject<CommandInput> {
  return async (given) => {
    const issued: CommandInput[] = [];
    const reactor = build({ log: inMemoryStreams(given), commands: { handle: (command) => { issued.push(command); return answer(command); } } });
    return { feed: async (batch) => { await reactor.react(batch); }, rows: async () => distinct(issued) };
  };
}

/** The outbox over the given events' streams, with a publisher that records: rows are the messages published. */
export function outboxSubject(build: (deps: { log: ReturnType<typeof inMemoryStreams>; publisher: { publish(message: BusMessage): Promise<void> } }) => Outbox): SpecSubject<BusMessage> {
  return async (given) => {
    const published: BusMessage[] = [];
    const outbox = build({ log: inMemoryStreams(given), publisher: { publish: async (message) => { published.push(message); } } });
    return { feed: (batch) => outbox.publish(batch), rows: async () => distinct(published) };
  };
}
