import type { ServiceName } from '../../app/service-plan.ts';
import { startRecordingServer } from '../support/recording-http-server.ts';
import { startTestSystem, type TestSystem } from '../support/test-system.ts';

/** A process as deployed: a service with its transport. The dapr api is the only one that runs the relay. */
export interface ServiceUnderTest { readonly label: string; readonly service: ServiceName; readonly transport: 'log' | 'dapr' }

export const DEPLOYED: readonly ServiceUnderTest[] = [
  { label: 'all', service: 'all', transport: 'log' },
  { label: 'api', service: 'api', transport: 'log' },
  { label: 'recurring', service: 'recurring', transport: 'log' },
  { label: 'notification', service: 'notification', transport: 'log' },
  { label: 'sync', service: 'sync', transport: 'log' },
  { label: 'audit', service: 'audit', transport: 'log' },
  { label: 'api (dapr: relay)', service: 'api', transport: 'dapr' },
];

/**
 * Every service started in this process against its own test database, each after a task was created
 * through it where it serves the api (so request, append and relay series carry samples), with the dapr
 * api publishing to a recording stand-in for its sidecar.
 */
export async function serviceExpositions(): Promise<Map<string, string>> {
  const sidecar = await startRecordingServer({ status: 204 });
  const expositions = new Map<string, string>();
  for (const deployed of DEPLOYED) {
    const env: Record<string, string> = deployed.transport === 'dapr'
      ? { TRANSPORT: 'dapr', DAPR_HTTP_PORT: new URL(sidecar.url).port, REMINDER_TICK_SECONDS: '0' }
      : { REMINDER_TICK_SECONDS: '0' };
    const t: TestSystem = await startTestSystem({ service: deployed.service, env });
    if (deployed.service === 'api' || deployed.service === 'all') {
      const created = await t.call('POST', '/api/tasks', { body: { title: 'Measured', reminders: [] } });
      if (created.status !== 201) throw new Error(`${deployed.label}: creating a task answered ${created.status}: ${created.text}`);
      for (const runtime of t.system.projectors) await runtime.caughtUp();
    }
    const metrics = await t.call('GET', '/metrics', { user: null });
    if (metrics.status !== 200) throw new Error(`${deployed.label}: /metrics answered ${metrics.status}`);
    expositions.set(deployed.label, metrics.text);
  }
  await sidecar.close();
  return expositions;
}
