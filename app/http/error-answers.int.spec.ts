import Fastify, { type FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../gateways/postgres/db.ts';
import { freePort } from '../../gateways/postgres/embedded.ts';
import { testDatabase } from '../../test/support/test-database.ts';
import { registerErrorAnswers } from './error-answers.ts';

/** A fastify app with the edge's error answers and routes that fail as the database makes them fail. */
async function appFailingLike(): Promise<FastifyInstance> {
  const { db } = await testDatabase();
  const nowhere = createDb(`postgres://todo@127.0.0.1:${await freePort()}/todo`); // nothing listens there
  const app = Fastify();
  registerErrorAnswers(app, 1024, (_request, reply) => reply.code(404).send());
  app.get('/refused', async () => nowhere.query('SELECT 1'));
  app.get('/shut-down', async () => db.transaction((tx) => tx.query('SELECT pg_terminate_backend(pg_backend_pid())')));
  app.get('/bug', async () => { throw new Error('a defect of ours'); });
  return app;
}

describe('what a failing request answers', () => {
  it('answers 503 problem+json with Retry-After while the database refuses connections or shuts them down, never 500', async () => {
    const app = await appFailingLike();
    for (const url of ['/refused', '/shut-down']) {
      const answer = await app.inject({ method: 'GET', url });
      expect({ url, status: answer.statusCode }).toEqual({ url, status: 503 });
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect(answer.headers['retry-after']).toBe('1');
      expect(answer.json()).toMatchObject({ type: 'urn:todo:problem:unavailable', status: 503, title: 'The database is unavailable' });
    }
  });

  it('still answers 500 for an error that is not the database\'s state', async () => {
    const app = await appFailingLike();
    const answer = await app.inject({ method: 'GET', url: '/bug' });
    expect(answer.statusCode).toBe(500);
    expect(answer.json()).toMatchObject({ type: 'urn:todo:problem:internal' });
  });
});
