import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../contracts/config.ts';
import { upcastEvent } from '../contracts/events/upcast.ts';
import { createCommandHandler, type CommandHandler } from '../write-side/commands/command-handler.ts';
import { postgresEventStore, type EventStore } from '../write-side/event-store/event-store.ts';
import { announcingAppends, appendAnnouncer } from '../write-side/event-store/append-announcer.ts';
import { coalescingCreates } from '../write-side/event-store/coalescing-creates.ts';
import { APPENDS_CHANNEL } from '../contracts/ports/event-log.ts';
import { openSession } from '../gateways/postgres/session.ts';
import { PROJECTION_CHANNEL } from '../projections/runtime/projection-state.sql.ts';
import { startProjector, type ProjectorRuntime } from '../projections/runtime/run-projector.ts';
import { createProjectionWaiter } from '../read-api/consistency/wait-for-projection.ts';
import { startReminders } from './notifications-wiring.ts';
import type { ReminderScheduler } from '../projections/read-models/notification/run-due-reminders.ts';
import { setUpAuth, type AuthSetup } from './auth.ts';
import { acceptingAccountTokens, setUpAccounts } from './accounts.ts';
import { chooseEmailSender } from './notifications-wiring.ts';
import type { Accounts } from '../gateways/accounts/better-auth.ts';
import { startLiveFeed } from '../projections/sync/live-feed.ts';
import { sharedLogReads } from '../projections/runtime/shared-log-reads.ts';
import { liveSocketMetrics, socketAuthenticator } from './live-socket-wiring.ts';
import { listenFor } from './notifications.ts';
import { projectionMetrics } from './projection-metrics.ts';
import { buildProjectors, projectorNamed } from './projectors.ts';
import { busSubscriptions } from './bus-subscriptions.ts';
import { logFedProjections, planService, type ServiceName } from './service-plan.ts';
import { daprPublisher } from '../gateways/bus/dapr-publisher.ts';
import { createRelayOutbox } from '../projections/outbox/relay/relay.outbox.ts';
import { startBusLiveFeed } from '../projections/sync/bus-live-feed.ts';
import { openDatabase, type Database } from './database.ts';
import { buildCataloguedHttpServer } from './http/server.ts';
import type { RegisteredRoute } from './http/route-catalogue.ts';
import { serviceRoutes } from './http/service-routes.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { databaseMetrics } from './database-metrics.ts';
import { serviceInfo } from './service-info-metric.ts';
import { observedPublisher } from './relay-metrics.ts';
import { schedulerMetrics } from './scheduler-metrics.ts';
import type { Projector } from '../projections/runtime/projector.ts';
import { rebuildOnStart, type StartupRebuilds } from '../projections/runtime/rebuild-on-start.ts';
import { readiness } from './readiness.ts';

export { SERVICES, type ServiceName } from './service-plan.ts';

export interface System {
  readonly http: FastifyInstance;
  /** Every route the HTTP server registered (seen by its onRoute hook), documented or not. */
  routes(): readonly RegisteredRoute[];
  readonly database: Database;
  readonly store: EventStore;
  readonly commands: CommandHandler;
  readonly auth: AuthSetup;
  /** The accounts (Better Auth); their tokens are accepted beside the configured modes of `auth`. */
  readonly accounts: Accounts;
  readonly metrics: Metrics;
  readonly projectors: readonly ProjectorRuntime[];
  /** The blue/green rebuilds of projections whose declared schema version changed, running in the background. */
  readonly rebuilds: StartupRebuilds;
  /** The reminder scheduler; tests call `runDueReminders(now)` with a clock of their own. */
  readonly reminders: ReminderScheduler;
  /** Stops accepting, finishes in-flight requests, then closes the pool and the embedded server. */
  close(): Promise<void>;
}

/** The composition root: the one place that chooses implementations and connects them. */
export interface SystemOptions {
  readonly clock?: () => Date;
  /** Decorates the command handler's event store; tests use it to line up concurrent commands deterministically. */
  readonly decorateStore?: (store: EventStore) => EventStore;
  /** Which service this process is (default `all`); with TRANSPORT=dapr, one of the five. */
  readonly service?: ServiceName;
  /** Adapts the projectors before anything runs; tests use it to declare another schema version. */
  readonly adaptProjectors?: (projectors: readonly Projector[]) => Projector[];
  /** The built web app to serve (default web/dist); tests point it at a folder of their own. */
  readonly webRoot?: string;
}

export async function createSystem(config: Config, logger: Logger, options: SystemOptions = {}): Promise<System> {
  const metrics = createMetrics();
  const auth = await setUpAuth(config);
  const database = await openDatabase(config, logger, metrics);
  // Stopped if the start fails after they began: they must not outlive the pool.
  let startedRebuilds: StartupRebuilds | undefined;
  let accounts: Accounts | undefined;
  try {
    accounts = await setUpAccounts(config, auth, database.db.url, chooseEmailSender(config, logger), logger);
    const verifier = acceptingAccountTokens(auth.verifier, accounts);
    // This process's appends wake its own readers at once; the NOTIFY it sends for other processes names
    // it, and its own listener passes over it rather than waking every reader a second time.
    const origin = randomUUID();
    const appends = await listenFor(database.db.url, APPENDS_CHANNEL, logger, { ownPayload: origin });
    const announcer = appendAnnouncer({
      db: database.db,
      origin,
      wakeLocal: () => appends.wakeHere(),
      onError: (error) => logger.warn({ err: error }, 'could not notify other processes of an append; their readers will poll'),
    });
    // Creates that queue behind one in flight share its successor's statement and commit (ADR 0038).
    const store = announcingAppends(coalescingCreates(database.db, postgresEventStore(database.db, upcastEvent)), announcer);
    const commands = createCommandHandler({
      store: options.decorateStore ? options.decorateStore(store) : store,
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
    const clock = options.clock ?? (() => new Date());
    const db = database.db;
    const progress = await listenFor(db.url, PROJECTION_CHANNEL, logger);
    const logFed = logFedProjections(config.TRANSPORT);
    const observer = projectionMetrics(metrics.registry, db, store, logger, (name) => logFed.has(name));
    const plan = planService(options.service ?? 'all', config.TRANSPORT);
    const built = buildProjectors({ log: store, commands, clock, logger });
    const available = options.adaptProjectors ? options.adaptProjectors(built) : built;
    databaseMetrics(metrics.registry, db);
    serviceInfo(metrics.registry, { todo_service: options.service ?? 'all', transport: config.TRANSPORT });
    if (plan.reminders) schedulerMetrics(metrics.registry, db, clock);
    if (plan.relay) {
      const publisher = observedPublisher(daprPublisher({ httpPort: config.DAPR_HTTP_PORT, pubsubName: config.PUBSUB_NAME }), metrics.registry, clock);
      available.push(createRelayOutbox({ log: store, publisher }));
    }
    // Before the runtimes: a projection whose table is of another schema version is rebuilt in the
    // background (its runtime stands by meanwhile) while the HTTP server answers from the old table.
    const rebuilds = await rebuildOnStart({
      db,
      log: store,
      projectors: [...plan.logProjectors, ...plan.busProjectors.map((bus) => bus.projector)].map((name) => projectorNamed(available, name)),
      openSession: () => openSession(db.url, 'todo-rebuild'),
      logger,
    });
    startedRebuilds = rebuilds;
    // The projectors and the live feed read the same events after each append: once for all of them.
    const sharedLog = sharedLogReads(store, (wake) => appends.subscribe(wake));
    // The api serves task queries, so it runs the task-view projector beside them.
    const projectors = await Promise.all(plan.logProjectors.map((name) => projectorNamed(available, name)).map((projector) => startProjector({
      db,
      log: sharedLog,
      projector,
      openSession: () => openSession(db.url, `todo-projector-${projector.name}`),
      onAppend: (wake) => appends.subscribe(wake),
      observer,
      logger,
      batchSize: config.PROJECTION_BATCH_SIZE,
      paceMs: config.PROJECTION_PACE_MS,
    })));
    const busFeed = plan.liveFeed === 'bus' ? await startBusLiveFeed({ log: store, maxReplayEvents: config.LIVE_MAX_REPLAY_EVENTS, logger }) : null;
    const feed = plan.liveFeed === 'log'
      ? await startLiveFeed({
        log: sharedLog,
        onAppend: (wake) => appends.subscribe(wake),
        maxReplayEvents: config.LIVE_MAX_REPLAY_EVENTS,
        onError: (error) => logger.error({ err: error }, 'live feed failed to read the log; retrying'),
        logger,
      })
      : busFeed;
    const subscriptions = await busSubscriptions({
      db,
      projectors: plan.busProjectors.map(({ projector, topic }) => ({ projector: projectorNamed(available, projector), topic })),
      feed: busFeed,
      registry: metrics.registry,
      logger,
      batchSize: config.PROJECTION_BATCH_SIZE,
    });
    const waiter = createProjectionWaiter({ db, log: store, onProgress: (wake) => progress.subscribe(wake), timeoutMs: config.READ_YOUR_WRITES_TIMEOUT_MS });
    const reminders = plan.reminders
      ? startReminders({
        config, db, log: store, waiter, registry: metrics.registry, logger, clock, announceAppends: () => announcer.announce(),
        // The bus has no global checkpoint to wait for: a bus-fed schedule is as current as its deliveries.
        ...(config.TRANSPORT === 'dapr' ? { scheduleCaughtUp: () => Promise.resolve(true) } : {}),
      })
      : startReminders({
        config: { ...config, REMINDER_TICK_SECONDS: 0 }, db, log: store, waiter, registry: metrics.registry, logger, clock, announceAppends: () => announcer.announce(),
      });
    const server = await buildCataloguedHttpServer({
      logger,
      metrics,
      verifier,
      trustProxy: config.TRUST_PROXY,
      db: database.db,
      readiness: readiness({
        db, log: store, owedRebuilds: () => rebuilds.owed(), runsHere: new Set(plan.logProjectors), logFed, maxLagEvents: config.READY_MAX_LAG_EVENTS,
      }),
      routes: serviceRoutes({
        api: plan.api ? { commands, db, waiter, clock, log: store } : null,
        accounts: plan.api
          ? {
            accounts,
            signUp: config.AUTH_SIGNUP,
            limits: { windowMs: config.AUTH_SIGNIN_WINDOW_MINUTES * 60_000, perIp: config.AUTH_SIGNIN_MAX_PER_IP, perAccount: config.AUTH_SIGNIN_MAX_PER_ACCOUNT },
          }
          : null,
        live: feed
          ? {
            feed,
            ...socketAuthenticator(verifier),
            observer: liveSocketMetrics(metrics.registry),
            heartbeatMs: config.WS_HEARTBEAT_SECONDS * 1000,
            maxBufferedBytes: config.WS_MAX_BUFFERED_BYTES,
          }
          : null,
        bus: { pubsubName: config.PUBSUB_NAME, subscriptions },
        web: plan.api ? (options.webRoot ? { root: options.webRoot } : {}) : null,
      }),
    });
    const http = server.app;
    const accountsHere = accounts;
    let closing: Promise<void> | undefined;
    return {
      http, routes: server.routes, database, store, commands, auth, accounts: accountsHere, metrics, projectors, rebuilds, reminders: reminders.scheduler,
      close() {
        closing ??= (async () => {
          await http.close();
          await rebuilds.stop();
          await reminders.stop();
          await Promise.all(projectors.map((runtime) => runtime.stop()));
          await feed?.stop();
          await announcer.settled();
          await accountsHere.close();
          await appends.close();
          await progress.close();
          await database.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await startedRebuilds?.stop();
    await accounts?.close();
    await database.close();
    throw error;
  }
}
