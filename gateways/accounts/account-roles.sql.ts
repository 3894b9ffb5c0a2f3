import type { Queryable } from '../../contracts/ports/sql.ts';
import { ACCOUNT_TABLES, ADMIN_ROLE } from './better-auth.ts';

export interface AccountRole {
  readonly userId: string;
  readonly email: string;
  readonly admin: boolean;
}

/**
 * Grants or revokes the admin role of the account with this email (compared case-insensitively, as Better
 * Auth stores emails in lower case). Null when there is no such account. The account's next token carries
 * the change; tokens already issued keep their roles until they expire.
 */
export async function setAdminRole(db: Queryable, email: string, admin: boolean): Promise<AccountRole | null> {
  const result = await db.query<{ id: string; email: string; role: string | null }>(
    `UPDATE "${ACCOUNT_TABLES.user}" SET role = $2, "updatedAt" = now() WHERE email = lower($1) RETURNING id, email, role`,
    [email.trim(), admin ? ADMIN_ROLE : null],
  );
  const row = result.rows[0];
  return row ? { userId: row.id, email: row.email, admin: row.role === ADMIN_ROLE } : null;
}
