import type {} from 'fastify';
import { z } from 'zod';

/** The authenticated caller, from the verified token's claims. */
export const Principal = z.strictObject({
  user_id: z.string().min(1),
  email: z.string().nullable(),
  roles: z.array(z.string()),
  is_admin: z.boolean(),
});
export type Principal = z.infer<typeof Principal>;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook on every /api route before any handler runs. */
    principal: Principal;
  }
}
