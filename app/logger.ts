import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * JSON logs with RFC 3339 times and level names, the shape Loki and humans with jq both read. Lines about
 * traced work carry `trace_id` and `span_id` (W3C trace context, docs/adr/0010). Written to stdout unless a
 * destination is given (tests read the lines back).
 */
export function createLogger(level: string, service = 'todo', destination?: DestinationStream): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: '[redacted]' },
  }, destination);
}
