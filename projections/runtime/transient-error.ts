/**
 * Errors that say nothing about the event: the database went away, was shutting down, ran out of
 * resources, or chose us as a deadlock victim. These are retried forever (with backoff), never
 * dead-lettered; anything else is the event's fault after the retries run out.
 */
const TRANSIENT_SQLSTATE_CLASSES = ['08', '53', '57', '40', '58'];
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

export function isTransient(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  // A gateway that knows the cause was its peer's state (e.g. the bus sidecar unreachable) says so.
  if ('transient' in error && error.transient === true) return true;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  if (code.length === 5 && TRANSIENT_SQLSTATE_CLASSES.includes(code.slice(0, 2))) return true;
  if (TRANSIENT_NODE_CODES.has(code)) return true;
  // Node reports a refused connection to a name with several addresses as one error per address.
  if (error instanceof AggregateError && error.errors.some(isTransient)) return true;
  const message = error instanceof Error ? error.message : '';
  // node-postgres's own words for a lost or unobtainable connection, which carry no code.
  return /Connection terminated|connection.*(closed|lost)|Client has encountered a connection error|not queryable|timeout exceeded when trying to connect/i
    .test(message);
}
