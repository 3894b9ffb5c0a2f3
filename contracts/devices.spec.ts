import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DeviceToken } from './devices.ts';

/** What the published JSON Schema of a string says about `value`. */
function documentedAccepts(schema: z.ZodType, value: string): boolean {
  const json = z.toJSONSchema(schema, { io: 'input' }) as { minLength?: number; maxLength?: number; pattern?: string };
  return value.length >= (json.minLength ?? 0) && value.length <= (json.maxLength ?? Infinity)
    && (json.pattern === undefined || new RegExp(json.pattern, 'u').test(value));
}

describe('the device token as documented and as served', () => {
  it('is accepted by the server exactly when the OpenAPI schema says it is', () => {
    const cases = ['abc', ' abc ', '', '   ', 'a'.repeat(4096), ` ${'a'.repeat(4096)} `, ` ${'a'.repeat(4095)}`];
    for (const value of cases) expect([value.length, DeviceToken.safeParse(value).success]).toEqual([value.length, documentedAccepts(DeviceToken, value)]);
  });

  it('stores the token without surrounding whitespace', () => expect(DeviceToken.parse(' abc ')).toBe('abc'));
});
