import pino, { type DestinationStream, type Logger } from 'pino';

/** Query parameters that carry a credential (a browser's WebSocket passes its token as `?access_token=`). */
const CREDENTIAL_PARAMETER = /([?&](?:access_token|id_token|refresh_token|token|api_key|password|secret)=)[^&#]*/gi;

/** The URL as it may be logged: every credential in its query replaced. */
export function withoutCredentials(url: string): string {
  return url.replace(CREDENTIAL_PARAMETER, '$1[redacted]');
}

interface LoggedRequest {
  readonly method?: string;
  readonly url?: string;
  readonly host?: string;
  readonly ip?: string;
  readonly socket?: { readonly remotePort?: number } | null;
}

/** fastify's request serializer, with the URL's credentials taken out. */
function requestFields(req: LoggedRequest): Record<string, unknown> {
  return {
    method: req.method,
    url: req.url === undefined ? undefined : withoutCredentials(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie', '"sec-websocket-protocol"'];

/**
 * JSON logs with RFC 3339 times and level names, the shape Loki and humans with jq both read. Lines about
 * traced work carry `trace_id` and `span_id` (W3C trace context, docs/adr/0010). Written to stdout unless a
 * destination is given (tests read the lines back). No credential is written at any level: credential
 * headers are redacted, and a request's URL is logged without the credentials in its query.
 */
export function createLogger(level: string, service = 'todo', destination?: DestinationStream): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { req: requestFields },
    redact: {
      paths: CREDENTIAL_HEADERS.flatMap((header) => [`req.headers.${header}`, `headers.${header}`]),
      censor: '[redacted]',
    },
  }, destination);
}
