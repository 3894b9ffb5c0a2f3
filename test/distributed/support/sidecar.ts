import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const DAPRD = process.env['DAPRD_BIN'] ?? `${ROOT}.cache/bin/daprd`;
export const COMPONENTS = `${ROOT}dapr-components/local`;

export interface Sidecar {
  readonly appId: string;
  readonly httpPort: number;
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

export interface SidecarPorts { readonly httpPort: number; readonly grpcPort: number; readonly metricsPort: number }

export async function sidecarPorts(): Promise<SidecarPorts> {
  return { httpPort: await freePort(), grpcPort: await freePort(), metricsPort: await freePort() };
}

/** A real daprd for `appId` in front of the app on `appPort`; the app id is its Kafka consumer group. */
export function startSidecar(appId: string, appPort: number, ports: SidecarPorts): Sidecar {
  const child = spawn(DAPRD, [
    '--app-id', appId, '--app-port', String(appPort),
    '--dapr-http-port', String(ports.httpPort), '--dapr-grpc-port', String(ports.grpcPort), '--metrics-port', String(ports.metricsPort),
    '--resources-path', COMPONENTS,
    '--dapr-listen-addresses', '127.0.0.1', '--metrics-listen-address', '127.0.0.1', '--dapr-internal-grpc-listen-address', '127.0.0.1',
    '--log-level', 'info',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { appId, httpPort: ports.httpPort, child, output: () => output, exited };
}

interface Metadata { components?: Array<{ name: string }>; subscriptions?: Array<{ topic: string }> }

/**
 * Ready means what the smoke script checks: healthz 204 (which it answers even when a component failed)
 * and our pub/sub among the loaded components — plus, for a subscriber, its topics subscribed.
 */
export async function sidecarReady(sidecar: Sidecar, topics: readonly string[]): Promise<void> {
  const base = `http://127.0.0.1:${sidecar.httpPort}/v1.0`;
  for (;;) {
    if (sidecar.child.exitCode !== null) throw new Error(`daprd ${sidecar.appId} exited (${sidecar.child.exitCode}):\n${sidecar.output()}`);
    try {
      const health = await fetch(`${base}/healthz`);
      if (health.status === 204) {
        const metadata = await (await fetch(`${base}/metadata`)).json() as Metadata;
        const subscribed = new Set((metadata.subscriptions ?? []).map((s) => s.topic));
        if (metadata.components?.some((c) => c.name === 'kafka-pubsub') && topics.every((t) => subscribed.has(t))) return;
      }
    } catch {
      // not listening yet
    }
    // Polling the sidecar's own readiness endpoint: it has no other signal to wait on.
    await sleep(200);
  }
}
