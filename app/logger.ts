import pino, { type Logger } from 'pino';

/** JSON logs with RFC 3339 times and level names, the shape Loki and humans with jq both read. */
export function createLogger(level: string, service = 'todo'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: '[redacted]' },
  });
}
