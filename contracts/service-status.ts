import { z } from 'zod';

/* The answers of the service endpoints a probe or an operator calls. */

export const Liveness = z.strictObject({ status: z.literal('ok') }).meta({ id: 'Liveness' });
export type Liveness = z.infer<typeof Liveness>;

export const Readiness = z.strictObject({ status: z.literal('ready') }).meta({ id: 'Readiness' });
export type Readiness = z.infer<typeof Readiness>;
