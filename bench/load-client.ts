import autocannon from 'autocannon';
import { LoadJob, type KindResult, type LoadResult } from './load.ts';
import { summarize } from './stats.ts';

/*
 * Child-process side of bench/load.ts: receives one job, runs autocannon on it, answers with the result.
 * Latencies are recorded per kind from autocannon's own response timings (fractional milliseconds; its
 * histogram keeps whole milliseconds only).
 */

interface Recorder { readonly kind: string; readonly latencies: number[]; non2xx: number }

function kindResult(kind: string, latencies: readonly number[], non2xx: number): KindResult {
  const summary = summarize(latencies);
  return { kind, count: summary.count, non2xx, p50: summary.p50, p99: summary.p99, max: summary.max };
}

async function run(job: LoadJob): Promise<LoadResult> {
  const recorders: Recorder[] = job.kinds.map((spec) => ({ kind: spec.kind, latencies: [], non2xx: 0 }));
  // autocannon calls a request's onResponse and then, synchronously, emits 'response' with its timing.
  let answered: Recorder | undefined;
  const requests: autocannon.Request[] = job.kinds.map((spec, index) => ({
    method: spec.method,
    ...(spec.body === undefined ? {} : { body: spec.body }),
    setupRequest: (request: autocannon.Request) => {
      const variant = spec.variants[Math.floor(Math.random() * spec.variants.length)] ?? spec.variants[0];
      if (!variant) return request;
      return {
        ...request,
        path: variant.path,
        headers: {
          ...request.headers,
          authorization: `Bearer ${job.tokens[variant.user] ?? ''}`,
          ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
      };
    },
    onResponse: () => { answered = recorders[index]; },
  }));

  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({
      url: job.url,
      connections: job.connections,
      duration: job.seconds,
      maxOverallRequests: job.maxRequests,
      ...(job.ratePerSecond === undefined ? {} : { overallRate: job.ratePerSecond }),
      requests,
      timeout: 10,
    }, (error: unknown, finished) => (error ? reject(error instanceof Error ? error : new Error('autocannon failed', { cause: error })) : resolve(finished)));
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      const recorder = answered;
      answered = undefined;
      if (!recorder) return;
      recorder.latencies.push(responseTime);
      if (statusCode < 200 || statusCode >= 300) recorder.non2xx += 1;
    });
  });

  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stats.count ?? 0;
  const all = kindResult('all', recorders.flatMap((r) => r.latencies), recorders.reduce((sum, r) => sum + r.non2xx, 0));
  return {
    connections: job.connections,
    seconds: result.duration,
    responses: all.count,
    perSecond: all.count / result.duration,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    all,
    kinds: recorders.map((r) => kindResult(r.kind, r.latencies, r.non2xx)),
  };
}

process.once('message', (message: unknown) => {
  const job = LoadJob.safeParse(message);
  if (!job.success) {
    console.error(`load client: bad job: ${job.error.message}`);
    process.exit(2);
  }
  run(job.data).then(
    (result) => process.send?.(result, () => process.disconnect()),
    (error: unknown) => {
      console.error('load client failed:', error);
      process.exit(1);
    },
  );
});
