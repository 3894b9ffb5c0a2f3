/**
 * Old event payloads are brought to the current schema on read, by pure functions, one step at a time.
 * The store keeps what was written; nothing is rewritten in place.
 */

interface Versioned { readonly type: string; readonly schema_version: number; readonly data: unknown }

type Step = (data: Record<string, unknown>) => Record<string, unknown>;

/** The schema version each event type is written with today. */
export const CURRENT_SCHEMA_VERSION: Readonly<Record<string, number>> = {
  TaskCreated: 2,
  TaskUpdated: 1,
  TaskCompleted: 1,
  TaskReopened: 1,
  TaskDeleted: 1,
  ReminderDeliverySettled: 1,
};

/**
 * TaskCreated v1 (the import format of the system Todo replaces) had a plain `due_date` and knew nothing of
 * reminders, recurrence or series.
 */
const taskCreatedV1toV2: Step = ({ due_date, ...rest }) => ({
  ...rest,
  due: typeof due_date === 'string' ? { date: due_date } : null,
  reminders: [],
  recurrence: null,
  series_id: null,
  occurrence: 0,
});

const STEPS: Readonly<Record<string, Readonly<Record<number, Step>>>> = {
  TaskCreated: { 1: taskCreatedV1toV2 },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function upcastEvent<E extends Versioned>(event: E): E {
  const target = CURRENT_SCHEMA_VERSION[event.type];
  if (target === undefined || event.schema_version >= target || !isRecord(event.data)) return event;
  let data = event.data;
  for (let version = event.schema_version; version < target; version++) {
    const step = STEPS[event.type]?.[version];
    if (!step) throw new Error(`no upcaster for ${event.type} v${version}`);
    data = step(data);
  }
  return { ...event, schema_version: target, data };
}
