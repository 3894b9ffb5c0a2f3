import { z } from 'zod';

/* The answers of the service endpoints a probe or an operator calls. */

export const Liveness = z.strictObject({ status: z.literal('ok') }).meta({ id: 'Liveness' });
export type Liveness = z.infer<typeof Liveness>;

export const ProjectionLag = z
  .strictObject({
    projection: z.string(),
    lag_events: z.int().min(0).nullable().describe('Log head minus checkpoint; null for a projection fed by the bus'),
    runs_here: z.boolean().describe('Whether this process runs it: only those decide its readiness'),
  })
  .meta({ id: 'ProjectionLag' });

export const Readiness = z
  .strictObject({ status: z.literal('ready'), projections: z.array(ProjectionLag).optional() })
  .meta({ id: 'Readiness' });
export type Readiness = z.infer<typeof Readiness>;
