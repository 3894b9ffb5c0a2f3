import { z } from 'zod';
import { TASK_EVENT_TYPES } from '../domain/task/types.ts';
import { Task, TaskId } from './task.ts';

/* The WebSocket live feed at GET /ws: frames the server sends and the one a client may send. */

export const ReadyFrame = z.strictObject({ type: z.literal('ready'), position: z.int().min(0) }).meta({ id: 'ReadyFrame' });

export const TaskChangedFrame = z
  .strictObject({
    type: z.literal('task.changed'),
    position: z.int().min(1).describe('Log position of the event: pass the last one seen to `resume`'),
    task_id: TaskId,
    version: z.int().min(1),
    event_type: z.enum(TASK_EVENT_TYPES as [string, ...string[]]),
    task: Task.nullable().describe('The task after the change; null when it was deleted'),
  })
  .meta({ id: 'TaskChangedFrame' });
export type TaskChangedFrame = z.infer<typeof TaskChangedFrame>;

export const ResetFrame = z
  .strictObject({ type: z.literal('reset'), position: z.int().min(0).describe('Reload with GET /api/tasks, then resume from here') })
  .meta({ id: 'ResetFrame' });

export const ServerFrame = z.discriminatedUnion('type', [ReadyFrame, TaskChangedFrame, ResetFrame]);
export type ServerFrame = z.infer<typeof ServerFrame>;

export const ResumeFrame = z
  .strictObject({ type: z.literal('resume'), after: z.int().min(0).describe('The last position the client has seen') })
  .meta({ id: 'ResumeFrame' });
export const AuthenticateFrame = z
  .strictObject({
    type: z.literal('authenticate'),
    token: z.string().min(1).describe('A fresh token for the same user: the connection lives on until this one expires'),
  })
  .meta({ id: 'AuthenticateFrame' });
export const ClientFrame = z.discriminatedUnion('type', [ResumeFrame, AuthenticateFrame]);
export type ClientFrame = z.infer<typeof ClientFrame>;

/** Close codes: the 4000 range is the application's (RFC 6455 §7.4.2). */
/** No valid token, a token for another user, or the token expired (reason `token expired`). */
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_SLOW_CONSUMER = 4008;
export const CLOSE_BAD_FRAME = 4400;
