import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../contracts/config.ts';
import { upcastEvent } from '../contracts/events/upcast.ts';
import { buildOpenApiDocument } from '../contracts/openapi.ts';
import { createCommandHandler, type CommandHandler } from '../write-side/commands/command-handler.ts';
import { postgresEventStore, type EventStore } from '../write-side/event-store/event-store.ts';
import { registerTaskCommandRoutes } from '../write-side/http/task-command.routes.ts';
import { setUpAuth, type AuthSetup } from './auth.ts';
import { openDatabase, type Database } from './database.ts';
import { buildHttpServer } from './http/server.ts';
import { createMetrics, type Metrics } from './metrics.ts';

export const SERVICES = ['all', 'api'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface System {
  readonly http: FastifyInstance;
  readonly database: Database;
  readonly store: EventStore;
  readonly commands: CommandHandler;
  readonly auth: AuthSetup;
  readonly metrics: Metrics;
  /** Stops accepting, finishes in-flight requests, then closes the pool and the embedded server. */
  close(): Promise<void>;
}

/** The composition root: the one place that chooses implementations and connects them. */
export interface SystemOptions {
  readonly clock?: () => Date;
  /** Decorates the event store; tests use it to line up concurrent commands deterministically. */
  readonly decorateStore?: (store: EventStore) => EventStore;
}

export async function createSystem(config: Config, logger: Logger, options: SystemOptions = {}): Promise<System> {
  const metrics = createMetrics();
  const auth = await setUpAuth(config);
  const database = await openDatabase(config, logger, metrics);
  try {
    const plainStore = postgresEventStore(database.db, upcastEvent);
    const store = options.decorateStore ? options.decorateStore(plainStore) : plainStore;
    const commands = createCommandHandler({
      store,
      ...(options.clock ? { clock: options.clock } : {}),
      observer: {
        eventsAppended(events) {
          for (const event of events) {
            metrics.eventsAppended.inc({ type: event.type });
            if (event.type === 'TaskCreated') metrics.tasksCreated.inc();
          }
        },
      },
    });
    const http = await buildHttpServer({
      logger,
      metrics,
      verifier: auth.verifier,
      db: database.db,
      openapi: buildOpenApiDocument(),
      routes: [(app) => registerTaskCommandRoutes(app, { commands })],
    });
    let closing: Promise<void> | undefined;
    return {
      http, database, store, commands, auth, metrics,
      close() {
        closing ??= (async () => {
          await http.close();
          await database.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
