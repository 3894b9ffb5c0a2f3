import { z } from 'zod';

/* Push devices: the FCM registration tokens a user's apps register to receive reminders. */

export const PLATFORMS = ['android', 'ios', 'web'] as const;

/**
 * The limits are checked on the token as sent, so the JSON Schema (which cannot trim) states them exactly;
 * the surrounding whitespace is dropped after.
 */
export const DeviceToken = z.string().max(4096).regex(/\S/, 'must not be blank').trim().describe('FCM registration token of the device');

export const RegisterDeviceBody = z
  .strictObject({
    token: DeviceToken,
    platform: z.enum(PLATFORMS).optional(),
  })
  .meta({ id: 'RegisterDeviceBody' });
export type RegisterDeviceBody = z.output<typeof RegisterDeviceBody>;

export const Device = z
  .strictObject({
    token: z.string(),
    platform: z.enum(PLATFORMS).nullable(),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'Device' });
export type Device = z.infer<typeof Device>;

export const DeviceTokenParams = z.strictObject({ token: DeviceToken });
