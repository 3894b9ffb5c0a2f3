import type { Queryable } from '../../../contracts/ports/sql.ts';

export interface AuditCounts { readonly events: number; readonly entries: number; readonly distinct_entries: number }

/**
 * Every event of these users in the store beside the audit service's entries for them: the far end of
 * relay, sidecars and broker. Entries equal to distinct entries means nothing was recorded twice.
 */
export async function auditCounts(db: Queryable, users: readonly string[]): Promise<AuditCounts> {
  const result = await db.query<AuditCounts>(
    `SELECT (SELECT count(*)::int FROM events WHERE metadata->>'user_id' = ANY($1)) AS events,
            (SELECT count(*)::int FROM audit_log WHERE owner_id = ANY($1)) AS entries,
            (SELECT count(DISTINCT event_id)::int FROM audit_log WHERE owner_id = ANY($1)) AS distinct_entries`,
    [users],
  );
  const row = result.rows[0];
  if (!row) throw new Error('no counts');
  return row;
}
