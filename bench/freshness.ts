import { z } from 'zod';
import { summarize, type LatencySummary } from './stats.ts';
import type { BenchSystem } from './system.ts';

export const FRESHNESS_USER = 'bench-fresh';

export interface FreshnessResult {
  readonly samples: number;
  /** POST /api/tasks round trip. */
  readonly command: LatencySummary;
  /** From the command's answer until GET /api/tasks/{id}?min_position=P answered 200. */
  readonly freshness: LatencySummary;
  /** The same GET again, once the read model has it: the HTTP round trip that freshness includes. */
  readonly roundTrip: LatencySummary;
  /** Reads that answered anything but 200 (503: the read model did not catch up within the bound). */
  readonly misses: number;
}

const Accepted = z.object({ task_id: z.uuid(), position: z.number().int() });

/**
 * Sequential samples, one command at a time on an otherwise idle service, so each figure is the
 * command-to-query path alone: append → NOTIFY → projector batch → progress NOTIFY → the waiting read.
 */
export async function measureFreshness(bench: BenchSystem, options: { readonly samples: number; readonly maxSeconds: number }): Promise<FreshnessResult> {
  const token = await bench.token(FRESHNESS_USER);
  const headers = { authorization: `Bearer ${token}` };
  const command: number[] = [];
  const freshness: number[] = [];
  const roundTrip: number[] = [];
  let misses = 0;
  const deadline = performance.now() + options.maxSeconds * 1000;
  for (let i = 0; i < options.samples && performance.now() < deadline; i++) {
    const sent = performance.now();
    const created = await fetch(`${bench.baseUrl}/api/tasks`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ title: `Freshness sample ${i}`, tags: ['bench'], priority: 'low' }),
    });
    const accepted = Accepted.parse(await created.json());
    const answered = performance.now();
    command.push(answered - sent);

    const url = `${bench.baseUrl}/api/tasks/${accepted.task_id}?min_position=${accepted.position}`;
    const read = await fetch(url, { headers });
    await read.arrayBuffer();
    const visible = performance.now();
    if (read.status !== 200) { misses += 1; continue; }
    freshness.push(visible - answered);

    const again = await fetch(url, { headers });
    await again.arrayBuffer();
    roundTrip.push(performance.now() - visible);
  }
  return { samples: command.length, command: summarize(command), freshness: summarize(freshness), roundTrip: summarize(roundTrip), misses };
}
