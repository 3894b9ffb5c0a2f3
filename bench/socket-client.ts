import { WebSocket } from 'ws';
import { z } from 'zod';
import { summarize } from './stats.ts';
import { SocketJob, type ProbeResult } from './sockets.ts';

/*
 * Child-process side of bench/sockets.ts: holds the WebSocket clients of the live-feed phases, off the
 * service's event loop. It opens sockets (bounded in flight), and probes: sends a create command over HTTP
 * and times when the frame of that task reached each socket of the command's user. Loopback only.
 */

const OPEN_IN_FLIGHT = 200;
const FRAME_TIMEOUT_MS = 5_000;
const now = () => performance.timeOrigin + performance.now();

/** Per user: how many sockets are open, and when each frame of a watched task arrived. */
const socketsOf = new Map<string, number>();
const arrivals = new Map<string, number[]>();
const waiters = new Map<string, () => void>();
let watched: string | null = null;
const sockets: WebSocket[] = [];

function taskIdOf(frame: string): string | null {
  const at = frame.indexOf('"task_id":"');
  return at === -1 ? null : frame.slice(at + 11, at + 47);
}

function onFrame(user: string, data: Buffer): void {
  if (user !== watched) return;
  const taskId = taskIdOf(data.toString('utf8'));
  if (taskId === null) return;
  const times = arrivals.get(taskId) ?? [];
  times.push(now());
  arrivals.set(taskId, times);
  if (times.length >= (socketsOf.get(user) ?? 0)) waiters.get(taskId)?.();
}

function openOne(url: string, user: string, token: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers: { authorization: `Bearer ${token}` }, perMessageDeflate: false });
    const timer = setTimeout(() => { socket.terminate(); resolve(false); }, 30_000);
    socket.once('message', () => {
      clearTimeout(timer);
      socketsOf.set(user, (socketsOf.get(user) ?? 0) + 1);
      socket.on('message', (data: Buffer) => onFrame(user, data));
      sockets.push(socket);
      resolve(true);
    });
    socket.once('error', () => { clearTimeout(timer); resolve(false); });
    socket.once('close', () => { clearTimeout(timer); resolve(false); });
  });
}

async function open(url: string, clients: ReadonlyArray<{ readonly user: string; readonly token: string }>): Promise<{ opened: number; failed: number }> {
  let next = 0;
  let opened = 0;
  const worker = async () => {
    while (next < clients.length) {
      const client = clients[next++];
      if (client && (await openOne(url, client.user, client.token))) opened += 1;
    }
  };
  await Promise.all(Array.from({ length: OPEN_IN_FLIGHT }, worker));
  return { opened, failed: clients.length - opened };
}

const Accepted = z.object({ task_id: z.uuid() });

async function probe(job: Extract<SocketJob, { type: 'probe' }>): Promise<ProbeResult> {
  watched = job.user;
  const expected = socketsOf.get(job.user) ?? 0;
  const command: number[] = [];
  const first: number[] = [];
  const last: number[] = [];
  const afterAnswer: number[] = [];
  const every: number[] = [];
  let misses = 0;
  const deadline = now() + job.maxSeconds * 1000;
  for (let i = 0; i < job.samples && now() < deadline; i++) {
    const sent = now();
    const response = await fetch(`${job.httpUrl}/api/tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${job.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: `Live sample ${i}`, tags: ['bench'], priority: 'low' }),
    });
    const { task_id: taskId } = Accepted.parse(await response.json());
    const answered = now();
    command.push(answered - sent);
    if ((arrivals.get(taskId)?.length ?? 0) < expected) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, FRAME_TIMEOUT_MS);
        waiters.set(taskId, () => { clearTimeout(timer); resolve(); });
      });
      waiters.delete(taskId);
    }
    const times = arrivals.get(taskId) ?? [];
    arrivals.delete(taskId);
    if (times.length < expected) { misses += 1; continue; }
    first.push(Math.min(...times) - sent);
    last.push(Math.max(...times) - sent);
    afterAnswer.push(Math.max(0, Math.max(...times) - answered));
    for (const time of times) every.push(time - sent);
    if (job.pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, job.pauseMs));
  }
  watched = null;
  return {
    sockets: expected, samples: command.length, misses,
    command: summarize(command), first: summarize(first), last: summarize(last), lastAfterAnswer: summarize(afterAnswer), every: summarize(every),
  };
}

process.on('message', (message: unknown) => {
  const job = SocketJob.safeParse(message);
  if (!job.success) {
    console.error(`socket client: bad job: ${job.error.message}`);
    process.exit(2);
  }
  const reply = (answer: object) => process.send?.(answer);
  switch (job.data.type) {
    case 'open':
      void open(job.data.url, job.data.clients).then((result) => reply({ type: 'opened', ...result }));
      return;
    case 'probe':
      void probe(job.data).then((result) => reply({ type: 'probed', ...result }));
      return;
    case 'close':
      for (const socket of sockets) socket.terminate();
      process.send?.({ type: 'closed' }, () => process.disconnect());
      return;
  }
});
