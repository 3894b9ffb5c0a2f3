import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTraceparent } from '../contracts/trace-context.ts';
import { occurrenceId } from '../projections/reactors/recurring/occurrence-id.ts';
import { FeedClient } from './support/feed-client.ts';
import { startTestSystem, type TestSystem } from './support/test-system.ts';
import { PROJECTIONS } from '../contracts/projection-names.ts';

/*
 * One trace id follows a change from the HTTP request through the event store into every projector's log
 * lines (log transport, one process), and on into the events a projector causes. test/distributed proves
 * the same across five processes, the relay, Dapr and Kafka.
 */

let t: TestSystem;
let feed: FeedClient;
beforeAll(async () => {
  t = await startTestSystem({ env: { LOG_LEVEL: 'debug' } });
  // Alice watches the live feed, so the test knows when the sync side has fanned a change out.
  feed = new FeedClient(`${t.baseUrl.replace('http', 'ws')}/ws`, { headers: { authorization: `Bearer ${await t.token('alice')}` } });
  await feed.opened;
  await feed.until((frames) => frames.some((f) => f.type === 'ready'));
});

const traceId = () => randomBytes(16).toString('hex');
const traceparent = (trace: string) => `00-${trace}-${randomBytes(8).toString('hex')}-01`;

const recurringWithReminder = {
  title: 'Water the plants',
  due: { datetime: '2030-03-05T09:00', timezone: 'Europe/Berlin' },
  reminders: [{ before_minutes: 15, channels: ['email'] }],
  recurrence: { rrule: 'FREQ=DAILY', anchor: 'due' },
};

interface Accepted { task_id: string; position: number }

async function everyProjectorCaughtUp(): Promise<void> {
  for (const runtime of t.system.projectors) await runtime.caughtUp();
}

const linesWith = (trace: string) => t.logs.filter((line) => line['trace_id'] === trace
  || (Array.isArray(line['trace_ids']) && line['trace_ids'].includes(trace)));

describe('a traceparent sent with a command', () => {
  const created = traceId();
  const completed = traceId();
  let first: Accepted;

  it('is continued into the stored event\'s metadata and answered in traceresponse', async () => {
    const sent = traceparent(created);
    const response = await t.call('POST', '/api/tasks', { body: recurringWithReminder, headers: { traceparent: sent } });
    expect(response.status).toBe(201);
    first = response.body as Accepted;

    const [event] = await t.system.store.readStream(first.task_id);
    const stored = parseTraceparent(event?.metadata.traceparent);
    // Same trace, the server's own span (a child of the caller's), the caller's sampling decision.
    expect(stored).toMatchObject({ trace_id: created, flags: '01' });
    expect(stored?.span_id).not.toBe(parseTraceparent(sent)?.span_id);
    expect(response.headers.get('traceresponse')).toBe(event?.metadata.traceparent);
  });

  it('carries over to the next occurrence a completion causes: same trace, a new span', async () => {
    const response = await t.call('POST', `/api/tasks/${first.task_id}/complete`, { headers: { traceparent: traceparent(completed) } });
    expect(response.status).toBe(200);
    await everyProjectorCaughtUp();

    const [completion] = (await t.system.store.readStream(first.task_id)).filter((e) => e.type === 'TaskCompleted');
    const [next] = await t.system.store.readStream(occurrenceId(first.task_id, 1));
    expect(next?.type).toBe('TaskCreated');
    expect(next?.metadata.causation_id).toBe(completion?.event_id);
    const nextTrace = parseTraceparent(next?.metadata.traceparent);
    expect(nextTrace?.trace_id).toBe(completed);
    expect(nextTrace?.span_id).not.toBe(parseTraceparent(completion?.metadata.traceparent)?.span_id);
    // Everything the next occurrence's creation set off is applied (and fanned out) before the logs are read.
    await everyProjectorCaughtUp();
    await feed.until(() => feed.changes().some((f) => f.task_id === occurrenceId(first.task_id, 1)));
    feed.close();
  });

  it('carries over to the reminder the next occurrence scheduled, sent days later', async () => {
    // 07:45 UTC is 08:45 in Berlin, 15 minutes before the next occurrence's 09:00 due.
    const summary = await t.system.reminders.runDueReminders(new Date('2030-03-06T07:46:00.000Z'));
    expect(summary).toMatchObject({ caught_up: true, sent: 1 });
  });

  describe('appears in the logs of', () => {
    // Stopping the system lets every runtime finish what it logs about the batches it committed.
    beforeAll(async () => { await t.system.close(); });

    it('the api: every line of the request, at info', () => {
      const lines = linesWith(created).filter((line) => typeof line['request_id'] === 'string');
      expect(lines.map((line) => line['msg'])).toEqual(expect.arrayContaining(['incoming request', 'request completed']));
      expect(lines.every((line) => line['level'] === 'info')).toBe(true);
    });

    it.each([PROJECTIONS.taskView, PROJECTIONS.audit, PROJECTIONS.recurring, PROJECTIONS.notification])('the %s projector: its batch line, at debug', (projection) => {
      expect(linesWith(created)).toContainEqual(expect.objectContaining({ level: 'debug', msg: 'projection batch applied', projection }));
      expect(linesWith(completed)).toContainEqual(expect.objectContaining({ level: 'debug', msg: 'projection batch applied', projection }));
    });

    it('the recurring projector: the next occurrence it created, at info', () => {
      expect(linesWith(completed)).toContainEqual(expect.objectContaining({
        level: 'info', msg: 'next occurrence created', task_id: first.task_id, next_task_id: occurrenceId(first.task_id, 1),
      }));
    });

    it('the notification projector: the reminders each change scheduled, at info', () => {
      expect(linesWith(created)).toContainEqual(expect.objectContaining({ level: 'info', msg: 'reminders scheduled', task_id: first.task_id }));
      expect(linesWith(completed)).toContainEqual(expect.objectContaining({ level: 'info', msg: 'reminders cancelled', task_id: first.task_id }));
      expect(linesWith(completed)).toContainEqual(expect.objectContaining({ level: 'info', msg: 'reminders scheduled', task_id: occurrenceId(first.task_id, 1) }));
    });

    it('the reminder scheduler: the reminder it sent, at info', () => {
      expect(linesWith(completed)).toContainEqual(expect.objectContaining({
        level: 'info', msg: 'reminder sent', reminder: expect.objectContaining({ task_id: occurrenceId(first.task_id, 1) }) as unknown,
      }));
    });

    it('the live feed: each change it fanned out, at debug', () => {
      expect(linesWith(created)).toContainEqual(expect.objectContaining({ level: 'debug', msg: 'task change fanned out', task_id: first.task_id }));
      expect(linesWith(completed)).toContainEqual(expect.objectContaining({ level: 'debug', msg: 'task change fanned out', task_id: occurrenceId(first.task_id, 1) }));
    });
  });
});
