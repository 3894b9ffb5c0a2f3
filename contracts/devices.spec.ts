import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { documentedAccepts } from '../test/support/documented-string.ts';
import { DeviceToken } from './devices.ts';

const documentedAcceptsToken = (value: string): boolean =>
  documentedAccepts(z.toJSONSchema(DeviceToken, { io: 'input' }) as Parameters<typeof documentedAccepts>[0], value);

describe('the device token as documented and as served', () => {
  it('is accepted by the server exactly when the OpenAPI schema says it is', () => {
    const cases = ['abc', ' abc ', '', '   ', 'a'.repeat(4096), ` ${'a'.repeat(4096)} `, ` ${'a'.repeat(4095)}`];
    for (const value of cases) expect([value.length, DeviceToken.safeParse(value).success]).toEqual([value.length, documentedAcceptsToken(value)]);
  });

  it('stores the token without surrounding whitespace', () => expect(DeviceToken.parse(' abc ')).toBe('abc'));
});
