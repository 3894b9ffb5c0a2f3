import type { Config } from '../contracts/config.ts';
import type { Topic } from '../contracts/events/bus-topics.ts';
import { TOPICS } from '../contracts/events/bus-topics.ts';
import { PROJECTIONS, type ProjectionName } from '../contracts/projection-names.ts';

export const SERVICES = ['all', 'api', 'recurring', 'notification', 'sync', 'audit'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** The ports of docs/architecture.md §5, one per service; PORT overrides. */
export const SERVICE_PORTS: Readonly<Record<ServiceName, number>> = {
  all: 8000, api: 8000, recurring: 8001, notification: 8002, sync: 8003, audit: 8004,
};

export function isService(name: string): name is ServiceName {
  return (SERVICES as readonly string[]).includes(name);
}

/** What one process runs: which projectors tail the log, which consume the bus, and what it serves. */
export interface ServicePlan {
  /** Projectors run by the log runtime in this process (the relay among them in the dapr api). */
  readonly logProjectors: readonly ProjectionName[];
  /** Projectors fed by bus deliveries, each from one topic. */
  readonly busProjectors: ReadonlyArray<{ readonly projector: ProjectionName; readonly topic: Topic }>;
  readonly relay: boolean;
  /** How this process's live feed is fed, if it serves the WebSocket. */
  readonly liveFeed: 'log' | 'bus' | null;
  readonly reminders: boolean;
  /** The command and query routes of /api. */
  readonly api: boolean;
}

const ALL_LOG_PROJECTORS = [PROJECTIONS.taskView, PROJECTIONS.audit, PROJECTIONS.recurring, PROJECTIONS.notification];

/**
 * `all` (log transport only) is everything in one process, as before. A single service runs its part: over
 * the log (several processes against one PostgreSQL), or, with TRANSPORT=dapr, fed by the bus through its
 * sidecar — except the api, whose task-view and relay are local to the database and read the log.
 */
export function planService(service: ServiceName, transport: Config['TRANSPORT']): ServicePlan {
  const none = { logProjectors: [], busProjectors: [], relay: false, liveFeed: null, reminders: false, api: false } as const;
  const dapr = transport === 'dapr';
  switch (service) {
    case 'all':
      if (dapr) throw new Error('TRANSPORT=dapr runs one service per process: serve api|recurring|notification|sync|audit');
      return { ...none, logProjectors: ALL_LOG_PROJECTORS, liveFeed: 'log', reminders: true, api: true };
    case 'api':
      return { ...none, logProjectors: dapr ? [PROJECTIONS.taskView, PROJECTIONS.relay] : [PROJECTIONS.taskView], relay: dapr, api: true };
    case 'recurring':
      return dapr ? { ...none, busProjectors: [{ projector: PROJECTIONS.recurring, topic: TOPICS.taskEvents }] } : { ...none, logProjectors: [PROJECTIONS.recurring] };
    case 'audit':
      return dapr ? { ...none, busProjectors: [{ projector: PROJECTIONS.audit, topic: TOPICS.taskEvents }] } : { ...none, logProjectors: [PROJECTIONS.audit] };
    case 'notification':
      return dapr
        ? { ...none, busProjectors: [{ projector: PROJECTIONS.notification, topic: TOPICS.reminders }], reminders: true }
        : { ...none, logProjectors: [PROJECTIONS.notification], reminders: true };
    case 'sync':
      return { ...none, liveFeed: dapr ? 'bus' : 'log' };
    default: {
      const unknown: never = service;
      throw new Error(`unknown service ${String(unknown)}`);
    }
  }
}

/**
 * The projections that tail the log (and so have a checkpoint) in a deployment on this transport. With
 * dapr, the bus-fed ones keep their registration row at checkpoint 0: a lag computed from it means nothing
 * (their lag is the Kafka consumer group's).
 */
export function logFedProjections(transport: Config['TRANSPORT']): ReadonlySet<string> {
  const services = SERVICES.filter((service) => !(transport === 'dapr' && service === 'all'));
  return new Set(services.flatMap((service) => planService(service, transport).logProjectors));
}
