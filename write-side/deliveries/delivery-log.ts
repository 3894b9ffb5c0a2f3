import { deliveryStreamId, REMINDER_DELIVERY_SETTLED } from '../../contracts/events/reminder-delivery-settled.ts';
import type { DeliveryLog } from '../../contracts/ports/delivery-log.ts';
import { append } from '../event-store/append.sql.ts';
import { newTimeOrderedId } from '../time-ordered-id.ts';

/**
 * Settlements go to the delivery's own stream (deliveryStreamId), appended only while it does not exist:
 * a conflict is a settlement recorded before, and appends nothing. `announce` wakes the log readers after
 * the caller's commit.
 */
export function postgresDeliveryLog(deps: { readonly announce?: () => void } = {}): DeliveryLog {
  return {
    async recordSettled(tx, settled, traceparent) {
      const streamId = deliveryStreamId(settled);
      await append(tx, streamId, 'no_stream', [{
        event_id: newTimeOrderedId(),
        type: REMINDER_DELIVERY_SETTLED,
        schema_version: 1,
        data: settled,
        metadata: { user_id: settled.user_id, correlation_id: streamId, causation_id: null, traceparent, idempotency_key: null, request_id: null },
      }]);
    },
    announce: () => deps.announce?.(),
  };
}
