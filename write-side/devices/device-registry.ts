import type { DeviceRegistry } from '../../contracts/ports/device-registry.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { deviceTokensOf, forgetDevices } from './devices.sql.ts';

/** The devices table behind the port the reminder scheduler uses. */
export function postgresDeviceRegistry(db: Queryable): DeviceRegistry {
  return {
    tokensOf: (userId) => deviceTokensOf(db, userId),
    forget: (userId, tokens) => forgetDevices(db, userId, tokens),
  };
}
