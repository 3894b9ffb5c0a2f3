import type { AuditAction } from '../../contracts/audit.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { AUDIT_LOG_VIEW, AUDIT_ROW_COLUMNS, type AuditRow } from '../../contracts/read-models/audit-log-row.ts';

export interface AuditFilter {
  /** Whose tasks; every query is scoped to one owner. */
  readonly owner_id: string;
  readonly task_id?: string;
  readonly action?: AuditAction;
  /** occurred_at ≥ from */
  readonly from?: string;
  /** occurred_at < to */
  readonly to?: string;
}

/**
 * One page of an owner's entries, newest first by keyset on position: one backward range scan of the
 * (owner, position), (owner, task, position) or (owner, action, position) index.
 */
export async function listAuditEntries(
  db: Queryable,
  request: { readonly filter: AuditFilter; readonly limit: number; readonly beforePosition?: number },
): Promise<AuditRow[]> {
  const { filter } = request;
  const params: unknown[] = [filter.owner_id];
  const where = ['owner_id = $1'];
  const param = (value: unknown) => { params.push(value); return `$${params.length}`; };

  if (filter.task_id) where.push(`task_id = ${param(filter.task_id)}::uuid`);
  if (filter.action) where.push(`action = ${param(filter.action)}`);
  if (filter.from) where.push(`occurred_at >= ${param(filter.from)}::timestamptz`);
  if (filter.to) where.push(`occurred_at < ${param(filter.to)}::timestamptz`);
  if (request.beforePosition !== undefined) where.push(`position < ${param(request.beforePosition)}::bigint`);
  const result = await db.query<AuditRow>(
    `SELECT ${AUDIT_ROW_COLUMNS} FROM ${AUDIT_LOG_VIEW}
      WHERE ${where.join(' AND ')}
      ORDER BY position DESC
      LIMIT ${param(request.limit)}`,
    params,
  );
  return result.rows;
}
