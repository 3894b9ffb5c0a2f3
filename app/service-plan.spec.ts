import { describe, expect, it } from 'vitest';
import { logFedProjections, planService, SERVICE_PORTS } from './service-plan.ts';

describe('what each service runs', () => {
  it('serve all over the log is every projector, the live feed, reminders and the api in one process', () => {
    expect(planService('all', 'log')).toEqual({
      logProjectors: ['task-view', 'audit', 'recurring', 'notification'], busProjectors: [], relay: false, liveFeed: 'log', reminders: true, api: true,
    });
  });

  it('with the dapr transport the api tails the log for its task-view and the relay; the others read their topics', () => {
    expect(planService('api', 'dapr')).toMatchObject({ logProjectors: ['task-view', 'relay'], relay: true, api: true, busProjectors: [] });
    expect(planService('recurring', 'dapr').busProjectors).toEqual([{ projector: 'recurring', topic: 'task-events' }]);
    expect(planService('audit', 'dapr').busProjectors).toEqual([{ projector: 'audit', topic: 'task-events' }]);
    expect(planService('notification', 'dapr')).toMatchObject({ busProjectors: [{ projector: 'notification', topic: 'reminders' }], reminders: true });
    expect(planService('sync', 'dapr')).toMatchObject({ liveFeed: 'bus', logProjectors: [], busProjectors: [] });
  });

  it('knows which projections have a log checkpoint: all over the log, only the api\'s with dapr', () => {
    expect([...logFedProjections('log')].sort()).toEqual(['audit', 'notification', 'recurring', 'task-view']);
    expect([...logFedProjections('dapr')].sort()).toEqual(['relay', 'task-view']);
  });

  it('refuses all-in-one with the dapr transport', () => {
    expect(() => planService('all', 'dapr')).toThrow(/one service per process/);
  });

  it('listens on the ports of docs/architecture.md §5', () => {
    expect(SERVICE_PORTS).toEqual({ all: 8000, api: 8000, recurring: 8001, notification: 8002, sync: 8003, audit: 8004 });
  });
});
