import { randomBytes } from 'node:crypto';

/** 256 bits, the HS256 key size; base64url so it survives env files and shells unquoted. */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}
