import type { FastifyInstance } from 'fastify';
import { DeviceTokenParams, RegisterDeviceBody } from '../../contracts/devices.ts';
import { invalidRequest, sendProblem } from '../../contracts/problem-reply.ts';
import { problem } from '../../contracts/problem.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { parseInput } from '../../contracts/validation.ts';
import { registerDevice, removeDevice } from './devices.sql.ts';

/** `POST /api/devices` and `DELETE /api/devices/{token}`: where the caller's push reminders go. */
export function registerDeviceRoutes(app: FastifyInstance, deps: { db: Queryable }): void {
  app.post('/api/devices', async (request, reply) => {
    const body = parseInput(RegisterDeviceBody, request.body ?? undefined, 'body');
    if (!body.ok) return sendProblem(reply, invalidRequest(body.error));
    const device = await registerDevice(deps.db, request.principal.user_id, body.value.token, body.value.platform ?? null);
    return reply.code(201).send(device);
  });

  app.delete('/api/devices/:token', async (request, reply) => {
    const params = parseInput(DeviceTokenParams, request.params, 'params');
    if (!params.ok) return sendProblem(reply, invalidRequest(params.error));
    if (!(await removeDevice(deps.db, request.principal.user_id, params.value.token))) {
      return sendProblem(reply, problem('not_found', 404, 'No such device', { detail: 'this token is not registered to you' }));
    }
    return reply.code(204).send();
  });
}
