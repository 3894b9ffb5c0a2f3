import { describe, expect, it } from 'vitest';
import { isTransient } from './transient-error.ts';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('an error that says nothing about the event (the database away) is transient', () => {
  it.each([
    ['refused connection', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['reset connection', withCode('ECONNRESET', 'read ECONNRESET')],
    ['admin shutdown (pg_ctl stop)', withCode('57P01', 'terminating connection due to administrator command')],
    ['crash shutdown', withCode('57P02', 'terminating connection because of crash of another server process')],
    ['starting up', withCode('57P03', 'the database system is starting up')],
    ['connection failure', withCode('08006', 'connection failure')],
    ['too many connections', withCode('53300', 'sorry, too many clients already')],
    ['deadlock victim', withCode('40P01', 'deadlock detected')],
    ['connection lost mid-query', new Error('Connection terminated unexpectedly')],
    ['a client whose connection broke', new Error('Client has encountered a connection error and is not queryable')],
    ['a client already ended', new Error('Client was closed and is not queryable')],
    ['no connection from the pool in time', new Error('timeout exceeded when trying to connect')],
    ['refused on every address of a name', new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], 'connect failed')],
    ['a gateway saying so', Object.assign(new Error('sidecar unreachable'), { transient: true })],
  ])('%s', (_case, error) => expect(isTransient(error)).toBe(true));
});

describe('an error about the event or the code is not transient', () => {
  it.each([
    ['unique violation', withCode('23505', 'duplicate key value violates unique constraint')],
    ['value out of range', withCode('22008', 'date/time field value out of range')],
    ['undefined column', withCode('42703', 'column "x" does not exist')],
    ['a plain bug', new TypeError('Cannot read properties of undefined')],
    ['not an error at all', 'Connection terminated'],
  ])('%s', (_case, error) => expect(isTransient(error)).toBe(false));
});
