import type { FastifyInstance } from 'fastify';
import { Device, DeviceTokenParams, RegisterDeviceBody } from '../../contracts/devices.ts';
import { defineRoute, problemAnswer } from '../../contracts/http-route.ts';
import { sendProblem } from '../../contracts/problem-reply.ts';
import { problem } from '../../contracts/problem.ts';
import type { Queryable } from '../../contracts/ports/sql.ts';
import { registerDevice, removeDevice } from './devices.sql.ts';

/** `POST /api/devices` and `DELETE /api/devices/{token}`: where the caller's push reminders go. */
export function registerDeviceRoutes(app: FastifyInstance, deps: { db: Queryable }): void {
  defineRoute(app, {
    method: 'POST', url: '/api/devices', operationId: 'registerDevice', tags: ['notifications'],
    summary: 'Register a device (FCM registration token) for push reminders; registering again changes nothing',
    body: RegisterDeviceBody,
    responses: {
      201: { description: 'The device is registered to the caller (a token registered by another user moves to the caller)', schema: Device },
    },
    handler: async ({ body }, request, reply) => {
      const device = await registerDevice(deps.db, request.principal.user_id, body.token, body.platform ?? null);
      return reply.code(201).send(device);
    },
  });

  defineRoute(app, {
    method: 'DELETE', url: '/api/devices/:token', operationId: 'removeDevice', tags: ['notifications'],
    summary: 'Stop push reminders to a device',
    params: DeviceTokenParams,
    responses: {
      204: { description: 'Removed' },
      404: problemAnswer('The token is not registered to the caller'),
    },
    handler: async ({ params }, request, reply) => {
      if (!(await removeDevice(deps.db, request.principal.user_id, params.token))) {
        return sendProblem(reply, problem('not_found', 404, 'No such device', { detail: 'this token is not registered to you' }));
      }
      return reply.code(204).send();
    },
  });
}
