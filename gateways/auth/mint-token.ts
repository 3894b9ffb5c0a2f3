import { SignJWT } from 'jose';

/** Seconds, or a count with a unit: `'90s'`, `'15m'`, `'12h'`, `'30d'`, `'2w'`. */
export type TokenLifetime = number | `${number}${'s' | 'm' | 'h' | 'd' | 'w'}`;

export interface MintTokenInput {
  secret: string;
  userId: string;
  email?: string;
  admin?: boolean;
  issuer?: string;
  audience?: string;
  expiresIn?: TokenLifetime;
  now?: Date;
}

const SECONDS_PER_UNIT = { s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 } as const;

/**
 * A development token the HS256 verifier accepts. `iat` and `exp` are computed from `now` here rather
 * than by jose, whose relative expirations always read the real clock.
 */
export async function mintToken(input: MintTokenInput): Promise<string> {
  const issuedAt = Math.floor((input.now ?? new Date()).getTime() / 1000);
  let jwt = new SignJWT({
    ...(input.email === undefined ? {} : { email: input.email }),
    roles: input.admin === true ? ['admin'] : [],
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(input.userId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + lifetimeSeconds(input.expiresIn ?? '30d'));
  if (input.issuer !== undefined) jwt = jwt.setIssuer(input.issuer);
  if (input.audience !== undefined) jwt = jwt.setAudience(input.audience);
  return jwt.sign(new TextEncoder().encode(input.secret));
}

// A token that is already expired, or lives forever, is never what the caller meant.
function lifetimeSeconds(lifetime: TokenLifetime): number {
  if (typeof lifetime === 'number') return positive(lifetime, lifetime);
  const match = /^(\d+)([smhdw])$/.exec(lifetime);
  const unit = match?.[2];
  if (match === null || unit === undefined || !isUnit(unit)) throw new RangeError(`mintToken: invalid lifetime ${lifetime}`);
  return positive(Number(match[1]) * SECONDS_PER_UNIT[unit], lifetime);
}

const isUnit = (unit: string): unit is keyof typeof SECONDS_PER_UNIT => Object.hasOwn(SECONDS_PER_UNIT, unit);

/** A lifetime as typed on a command line (`'90s'`, `'30m'`, `'1h'`, `'7d'`, `'2w'`) in seconds, or null. */
export function parseTokenLifetime(text: string): number | null {
  const match = /^(\d+)([smhdw])$/.exec(text.trim());
  const unit = match?.[2];
  if (match === null || unit === undefined || !isUnit(unit)) return null;
  const seconds = Number(match[1]) * SECONDS_PER_UNIT[unit];
  return Number.isSafeInteger(seconds) && seconds > 0 ? seconds : null;
}

function positive(seconds: number, asGiven: TokenLifetime): number {
  if (!Number.isSafeInteger(seconds) || seconds <= 0) throw new RangeError(`mintToken: invalid lifetime ${asGiven}`);
  return seconds;
}
