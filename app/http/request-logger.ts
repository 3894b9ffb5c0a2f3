import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Level } from 'pino';

/** The service's logger as a request's logger is made from it: pino's, which can say what it writes. */
interface ParentLogger extends FastifyBaseLogger {
  isLevelEnabled(level: string): boolean;
}

const hasLevelCheck = (logger: FastifyBaseLogger): logger is ParentLogger =>
  'isLevelEnabled' in logger && typeof logger.isLevelEnabled === 'function';

/** A logger that adds bindings in place (pino's, and a request's below); fastify's logger type does not say so. */
export const bindsInPlace = (logger: FastifyBaseLogger): logger is FastifyBaseLogger & { setBindings(bindings: Bindings): void } =>
  'setBindings' in logger && typeof logger.setBindings === 'function';

/**
 * A request's logger that becomes pino's child of the service's logger only when the request writes a line.
 * pino makes a child by serialising its bindings (the request id, trace and span ids) at once; where the
 * service writes warnings and errors only, a request that goes well writes nothing, and making its child
 * was most of the cost of logging per request. A line at a level the service drops is dropped here, as
 * the child would drop it, without making the child.
 */
class RequestLogger implements FastifyBaseLogger {
  #child: FastifyBaseLogger | undefined;
  readonly #parent: ParentLogger;
  #bindings: Bindings;

  constructor(parent: ParentLogger, bindings: Bindings) {
    this.#parent = parent;
    this.#bindings = bindings;
  }

  #made(): FastifyBaseLogger {
    this.#child ??= this.#parent.child(this.#bindings);
    return this.#child;
  }

  #write(level: Level, args: unknown[]): void {
    if (this.#child === undefined && !this.#parent.isLevelEnabled(level)) return;
    const logger = this.#made();
    Reflect.apply(logger[level], logger, args);
  }

  get level(): string { return (this.#child ?? this.#parent).level; }
  set level(level: string) { this.#made().level = level; }
  fatal(...args: unknown[]): void { this.#write('fatal', args); }
  error(...args: unknown[]): void { this.#write('error', args); }
  warn(...args: unknown[]): void { this.#write('warn', args); }
  info(...args: unknown[]): void { this.#write('info', args); }
  debug(...args: unknown[]): void { this.#write('debug', args); }
  trace(...args: unknown[]): void { this.#write('trace', args); }
  silent(): void { /* the level that writes nothing */ }
  /** Adds bindings in place, as pino's `setBindings` does (the user id, once the request is authenticated). */
  setBindings(bindings: Bindings): void {
    if (this.#child === undefined) {
      this.#bindings = { ...this.#bindings, ...bindings };
      return;
    }
    if (bindsInPlace(this.#child)) this.#child.setBindings(bindings);
    else this.#child = this.#child.child(bindings);
  }

  /** A child is as lazy, until this logger is made. */
  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    if (this.#child !== undefined || (options !== undefined && Object.keys(options).length > 0)) return this.#made().child(bindings, options ?? {});
    return new RequestLogger(this.#parent, { ...this.#bindings, ...bindings });
  }
}

/**
 * The logger for one request with `bindings`. A route with a log level of its own (`options.level`) gets
 * pino's child at once: its level is not the service's, and only pino knows what it then writes.
 */
export function requestLogger(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  if (Object.keys(options).length > 0 || !hasLevelCheck(parent)) return parent.child(bindings, options);
  return new RequestLogger(parent, bindings);
}
