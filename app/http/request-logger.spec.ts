import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { bindsInPlace, requestLogger } from './request-logger.ts';

function capture(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const parsed: unknown = JSON.parse(chunk.toString('utf8'));
      if (typeof parsed === 'object' && parsed !== null) lines.push({ ...parsed });
      done();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("a request's logger", () => {
  it('drops a line below the service level and writes one at or above it, with the request bindings', async () => {
    const { logger, lines } = capture('warn');
    const log = requestLogger(logger, { request_id: 'r-1', trace_id: 't-1' }, {});
    log.info('an info line');
    log.debug({ detail: 1 }, 'a debug line');
    log.warn({ detail: 2 }, 'a warning');
    await settle();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ request_id: 'r-1', trace_id: 't-1', detail: 2, msg: 'a warning' });
  });

  it("reads the service's level, and a child of it keeps the request bindings", async () => {
    const { logger, lines } = capture('info');
    const log = requestLogger(logger, { request_id: 'r-2' }, {});
    expect(log.level).toBe('info');
    log.child({ step: 'reply' }).error('failed');
    log.info('done');
    await settle();
    expect(lines.map((line) => [line['request_id'], line['step'], line['msg']])).toEqual([['r-2', 'reply', 'failed'], ['r-2', undefined, 'done']]);
  });

  it('a child of a child adds its bindings', async () => {
    const { logger, lines } = capture('warn');
    const log = requestLogger(logger, { request_id: 'r-5' }, {}).child({ user_id: 'u-1' });
    log.info('dropped');
    log.child({ step: 'reply' }).warn('written');
    await settle();
    expect(lines).toMatchObject([{ request_id: 'r-5', user_id: 'u-1', step: 'reply', msg: 'written' }]);
  });

  it('takes bindings in place, before and after its first line', async () => {
    const { logger, lines } = capture('info');
    const log = requestLogger(logger, { request_id: 'r-6' }, {});
    if (!bindsInPlace(log)) throw new Error('a request logger takes bindings in place');
    log.setBindings({ user_id: 'u-2' });
    log.info('first');
    log.setBindings({ step: 'reply' });
    log.info('second');
    await settle();
    expect(lines).toMatchObject([{ request_id: 'r-6', user_id: 'u-2', msg: 'first' }, { request_id: 'r-6', user_id: 'u-2', step: 'reply', msg: 'second' }]);
  });

  it("takes a route's own level", async () => {
    const { logger, lines } = capture('warn');
    const log = requestLogger(logger, { request_id: 'r-3' }, { level: 'debug' });
    log.debug('a debug line of a chatty route');
    await settle();
    expect(lines).toMatchObject([{ request_id: 'r-3', msg: 'a debug line of a chatty route' }]);
  });

  it('a level set on it applies to it alone', async () => {
    const { logger, lines } = capture('warn');
    const log = requestLogger(logger, { request_id: 'r-4' }, {});
    log.level = 'debug';
    log.debug('now written');
    logger.debug('the service still drops this');
    await settle();
    expect(lines).toMatchObject([{ request_id: 'r-4', msg: 'now written' }]);
  });
});
