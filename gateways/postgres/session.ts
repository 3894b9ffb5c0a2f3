import pg from 'pg';
import type { Queryable, Row } from '../../contracts/ports/sql.ts';

/** One dedicated connection outside the pool, for session state such as advisory locks. */
export interface Session extends Queryable {
  /** Resolves when the connection is lost or closed: whatever the session held is gone then. */
  readonly lost: Promise<void>;
  close(): Promise<void>;
}

export async function openSession(url: string, applicationName: string): Promise<Session> {
  const client = new pg.Client({ connectionString: url, application_name: applicationName });
  let markLost: () => void = () => undefined;
  const lost = new Promise<void>((resolve) => { markLost = resolve; });
  client.on('error', () => markLost());
  client.on('end', () => markLost());
  await client.connect();
  return {
    lost,
    async query<R extends object = Row>(text: string, params?: readonly unknown[]) {
      const result = await client.query<Row>(text, params ? [...params] : undefined);
      return { rows: result.rows as R[], rowCount: result.rowCount };
    },
    async close() {
      await client.end().catch(() => undefined);
      markLost();
    },
  };
}
