/** The Kafka topics of the dapr transport (docs/architecture.md §5), with their partition counts in scripts/kafka-start.sh. */
export const TOPICS = {
  /** Every lifecycle event, keyed by task id (3 partitions). */
  taskEvents: 'task-events',
  /** The events that change a task's reminder schedule (1 partition). */
  reminders: 'reminders',
  /** Each change with the task's new state, for the live feed (3 partitions). */
  taskUpdates: 'task-updates',
} as const;
export type Topic = (typeof TOPICS)[keyof typeof TOPICS];
