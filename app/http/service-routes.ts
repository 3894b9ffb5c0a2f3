import type { FastifyInstance } from 'fastify';
import type { EventLog } from '../../contracts/ports/event-log.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import type { TaskCommands } from '../../contracts/ports/task-commands.ts';
import { registerAccountRoutes, type AccountRouteDeps } from '../../gateways/accounts/accounts.routes.ts';
import { registerDaprSubscriptions, type TopicSubscription } from '../../gateways/bus/dapr-subscription.routes.ts';
import { registerAuditRoutes } from '../../read-api/audit/audit.routes.ts';
import type { ProjectionWaiter } from '../../read-api/consistency/wait-for-projection.ts';
import { registerTaskHistoryRoutes } from '../../read-api/history/task-history.routes.ts';
import { registerLiveSocket, type LiveSocketDeps } from '../../read-api/live/live-socket.routes.ts';
import { registerNotificationQueryRoutes } from '../../read-api/notifications/notification-query.routes.ts';
import { registerOccurrenceRoutes } from '../../read-api/recurrence/occurrences.routes.ts';
import { registerTaskQueryRoutes } from '../../read-api/tasks/task-query.routes.ts';
import { registerDeviceRoutes } from '../../write-side/devices/device.routes.ts';
import { registerTaskCommandRoutes } from '../../write-side/http/task-command.routes.ts';
import { registerWebApp, type WebAppOptions } from './web-app.routes.ts';

export interface ApiRouteDeps {
  readonly commands: TaskCommands;
  readonly db: Queryable;
  readonly waiter: ProjectionWaiter;
  readonly clock: () => Date;
  readonly log: Pick<EventLog, 'readStream'>;
}

export interface ServiceRouteDeps {
  /** The command and query routes of /api, when this service serves them. */
  readonly api: ApiRouteDeps | null;
  /** The accounts' endpoints (/api/auth/*), served beside the api. */
  readonly accounts: AccountRouteDeps | null;
  /** The live feed's WebSocket, when this service serves it. */
  readonly live: LiveSocketDeps | null;
  readonly bus: { readonly pubsubName: string; readonly subscriptions: readonly TopicSubscription[] };
  /** The web app (docs/architecture.md §6.10), served by the process that serves /api. */
  readonly web?: WebAppOptions | null;
}

/** The routes one service registers besides the edge's own: the same list for the server and the document. */
export function serviceRoutes(deps: ServiceRouteDeps): Array<(app: FastifyInstance) => void> {
  const { api, accounts, live, bus, web } = deps;
  return [
    ...(accounts ? [(app: FastifyInstance) => registerAccountRoutes(app, accounts)] : []),
    ...(api
      ? [
        (app: FastifyInstance) => registerTaskCommandRoutes(app, { commands: api.commands }),
        (app: FastifyInstance) => registerTaskQueryRoutes(app, api),
        (app: FastifyInstance) => registerOccurrenceRoutes(app, api),
        (app: FastifyInstance) => registerTaskHistoryRoutes(app, api),
        (app: FastifyInstance) => registerAuditRoutes(app, api),
        (app: FastifyInstance) => registerDeviceRoutes(app, api),
        (app: FastifyInstance) => registerNotificationQueryRoutes(app, api),
      ]
      : []),
    ...(live ? [(app: FastifyInstance) => registerLiveSocket(app, live)] : []),
    ...(bus.subscriptions.length > 0 ? [(app: FastifyInstance) => registerDaprSubscriptions(app, bus)] : []),
    ...(web ? [(app: FastifyInstance) => registerWebApp(app, web)] : []),
  ];
}
