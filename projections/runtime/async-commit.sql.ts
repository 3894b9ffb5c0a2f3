/**
 * Lets the current transaction's commit return before its WAL record is flushed. Safe only where the
 * transaction's effects can be derived again from something durable: a log projector's batch and its
 * checkpoint commit together, so a crash that loses the last batches moves the checkpoint back with them
 * and the durable log replays them (ADR 0009). Not for bus deliveries: their source is acknowledged on our
 * answer, so a lost commit there would be a lost event. An expression, so that a statement with other work
 * (taking the projector's lock) sets it in the same round trip.
 */
export const ASYNC_COMMIT = `set_config('synchronous_commit', 'off', true)`;
