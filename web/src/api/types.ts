import type { components } from './schema';

type Schemas = components['schemas'];
export type Task = Schemas['Task'];
export type Priority = Schemas['Priority'];
export type Due = Schemas['Due'];
export type Reminder = Schemas['Reminder'];
export type Recurrence = Schemas['Recurrence'];
export type CreateTaskBody = Schemas['CreateTaskBody'];
export type UpdateTaskBody = Schemas['UpdateTaskBody'];
export type CommandAccepted = Schemas['CommandAccepted'];
export type Problem = Schemas['Problem'];
export type TaskHistoryEvent = Schemas['TaskHistoryEvent'];
export type TaskAsOf = Schemas['TaskAsOf'];
export type AuditEntry = Schemas['AuditEntry'];
export type Notification = Schemas['Notification'];
export type Occurrence = Schemas['Occurrence'];
export type TaskChangedFrame = Schemas['TaskChangedFrame'];
export type ServerFrame = Schemas['ReadyFrame'] | Schemas['TaskChangedFrame'] | Schemas['ResetFrame'];

export const PRIORITIES: readonly Priority[] = ['none', 'low', 'medium', 'high', 'urgent'];
