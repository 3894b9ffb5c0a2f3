import { randomBytes } from 'node:crypto';
import { runTodo, type TodoProcess } from '../../support/todo-process.ts';
import { freePort } from './free-port.ts';
import { sidecarPorts, sidecarReady, startSidecar, type Sidecar, type SidecarPorts } from './sidecar.ts';

export type ServiceName = 'api' | 'recurring' | 'notification' | 'sync' | 'audit';

/** The topics each service subscribes to (GET /dapr/subscribe), which its sidecar must have joined. */
const TOPICS: Readonly<Record<ServiceName, readonly string[]>> = {
  api: [], recurring: ['task-events'], audit: ['task-events'], notification: ['reminders'], sync: ['task-updates'],
};

interface Member {
  readonly name: ServiceName;
  readonly appId: string;
  readonly port: number;
  readonly sidecarPorts: SidecarPorts;
  todo: TodoProcess;
  sidecar: Sidecar;
}

export interface Cluster {
  url(service: ServiceName): string;
  /** The HTTP API of the service's sidecar (`/v1.0/...`). */
  sidecarUrl(service: ServiceName): string;
  /** SIGKILL the service (and its sidecar too, when `withSidecar`: the whole pod). */
  kill(service: ServiceName, options?: { withSidecar?: boolean }): Promise<void>;
  /** Starts again what `kill` ended, on the same ports, and waits until it is ready; `env` adds to the cluster's for this start. */
  restart(service: ServiceName, env?: Record<string, string>): Promise<void>;
  /** SIGKILL the service's sidecar alone: the service keeps running, its publishes and deliveries fail. */
  killSidecar(service: ServiceName): Promise<void>;
  /** Starts the sidecar `killSidecar` ended, on the same ports (the service still points at them), until it is ready. */
  restartSidecar(service: ServiceName): Promise<void>;
  logs(service: ServiceName): string;
  stop(): Promise<void>;
}

async function startApp(member: Pick<Member, 'name' | 'port' | 'sidecarPorts'>, env: Record<string, string>): Promise<TodoProcess> {
  const todo = runTodo(['serve', member.name], {
    ...env,
    PORT: String(member.port),
    HOST: '127.0.0.1',
    TRANSPORT: 'dapr',
    DAPR_HTTP_PORT: String(member.sidecarPorts.httpPort),
  });
  await todo.waitFor(/"msg":"listening"/);
  return todo;
}

async function startMemberSidecar(member: Pick<Member, 'name' | 'appId' | 'port' | 'sidecarPorts'>): Promise<Sidecar> {
  const sidecar = startSidecar(member.appId, member.port, member.sidecarPorts);
  await sidecarReady(sidecar, TOPICS[member.name]);
  return sidecar;
}

/**
 * The five services as separate processes, each with its own daprd on its own ports, against one
 * PostgreSQL (`env.DATABASE_URL`) and the broker of scripts/kafka-start.sh. Each sync instance gets an app
 * id of its own — the app id is its Kafka consumer group — so that every instance sees every change.
 */
export async function startCluster(env: Record<string, string>): Promise<Cluster> {
  const members = new Map<ServiceName, Member>();
  const names: ServiceName[] = ['api', 'recurring', 'notification', 'audit', 'sync'];
  // App ids (consumer groups) of their own per cluster, so a cluster never shares partitions with another run's.
  const run = randomBytes(3).toString('hex');
  try {
    await Promise.all(names.map(async (name) => {
      const shape = {
        name,
        appId: name === 'sync' ? `sync-${run}-${randomBytes(3).toString('hex')}` : `${name}-${run}`,
        port: await freePort(),
        sidecarPorts: await sidecarPorts(),
      };
      const todo = await startApp(shape, env);
      const sidecar = await startMemberSidecar(shape);
      members.set(name, { ...shape, todo, sidecar });
    }));
  } catch (error) {
    for (const member of members.values()) { member.todo.child.kill('SIGKILL'); member.sidecar.child.kill('SIGKILL'); }
    throw error;
  }
  const member = (name: ServiceName): Member => {
    const found = members.get(name);
    if (!found) throw new Error(`no service ${name}`);
    return found;
  };
  const killed = new Map<ServiceName, { withSidecar: boolean }>();

  return {
    url: (name) => `http://127.0.0.1:${member(name).port}`,
    sidecarUrl: (name) => `http://127.0.0.1:${member(name).sidecarPorts.httpPort}`,
    async kill(name, options = {}) {
      const m = member(name);
      m.todo.child.kill('SIGKILL');
      await m.todo.exited;
      if (options.withSidecar) {
        m.sidecar.child.kill('SIGKILL');
        await m.sidecar.exited;
      }
      killed.set(name, { withSidecar: options.withSidecar ?? false });
    },
    async restart(name, extra = {}) {
      const m = member(name);
      const how = killed.get(name);
      if (!how) throw new Error(`${name} was not killed`);
      m.todo = await startApp(m, { ...env, ...extra });
      if (how.withSidecar) m.sidecar = await startMemberSidecar(m);
      killed.delete(name);
    },
    async killSidecar(name) {
      const m = member(name);
      m.sidecar.child.kill('SIGKILL');
      await m.sidecar.exited;
    },
    async restartSidecar(name) {
      const m = member(name);
      if (m.sidecar.child.exitCode === null && m.sidecar.child.signalCode === null) throw new Error(`${name}'s sidecar is running`);
      // Its output so far stays readable after the restart.
      const before = m.sidecar.output();
      const sidecar = await startMemberSidecar(m);
      m.sidecar = { ...sidecar, output: () => `${before}\n--- daprd restarted ---\n${sidecar.output()}` };
    },
    logs: (name) => `${member(name).todo.output()}\n--- daprd ---\n${member(name).sidecar.output()}`,
    async stop() {
      await Promise.all([...members.values()].map(async (m) => {
        // Both at once, as when a pod stops: a sidecar's keep-alive connection would hold the app's drain.
        if (m.todo.child.exitCode === null) m.todo.child.kill('SIGTERM');
        if (m.sidecar.child.exitCode === null) m.sidecar.child.kill('SIGTERM');
        await Promise.all([m.todo.exited, m.sidecar.exited]);
      }));
    },
  };
}
