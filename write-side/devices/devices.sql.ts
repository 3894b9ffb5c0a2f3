import type { Queryable } from '../../contracts/ports/sql.ts';
import type { Device } from '../../contracts/devices.ts';

interface DeviceRow { token: string; platform: Device['platform']; created_at: Date }

const toDevice = (row: DeviceRow): Device => ({ token: row.token, platform: row.platform, created_at: row.created_at.toISOString() });

/**
 * Registers a device for a user. Registering again is a no-op (a platform given now is kept); a token that
 * another user registered moves to this one, as the device is now signed in as them.
 */
export async function registerDevice(db: Queryable, userId: string, token: string, platform: Device['platform']): Promise<Device> {
  const result = await db.query<DeviceRow>(
    `INSERT INTO devices (token, user_id, platform) VALUES ($1, $2, $3)
     ON CONFLICT (token) DO UPDATE
       SET user_id = excluded.user_id,
           platform = coalesce(excluded.platform, CASE WHEN devices.user_id = excluded.user_id THEN devices.platform END),
           created_at = CASE WHEN devices.user_id = excluded.user_id THEN devices.created_at ELSE now() END
     RETURNING token, platform, created_at`,
    [token, userId, platform],
  );
  const row = result.rows[0];
  if (!row) throw new Error('device registration returned no row');
  return toDevice(row);
}

/** False when the token is not registered to this user (another's, or none). */
export async function removeDevice(db: Queryable, userId: string, token: string): Promise<boolean> {
  const result = await db.query('DELETE FROM devices WHERE token = $1 AND user_id = $2', [token, userId]);
  return (result.rowCount ?? 0) > 0;
}

export async function deviceTokensOf(db: Queryable, userId: string): Promise<string[]> {
  const result = await db.query<{ token: string }>('SELECT token FROM devices WHERE user_id = $1 ORDER BY created_at, token', [userId]);
  return result.rows.map((row) => row.token);
}

export async function forgetDevices(db: Queryable, userId: string, tokens: readonly string[]): Promise<number> {
  const result = await db.query('DELETE FROM devices WHERE user_id = $1 AND token = ANY($2::text[])', [userId, tokens]);
  return result.rowCount ?? 0;
}
