import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { PermanentError } from '../libraries/events/errors';
import type { EventHandler } from '../libraries/messaging/consumer';
import { isReplyEventType } from '../workflows/definitions';

/**
 * Turns a saga reply into a signal on the workflow named by `x-saga-id`; the
 * consumer acks only once Temporal has accepted it. A reply for a finished or
 * unknown saga is acknowledged and logged (a late answer is normal, not an
 * error loop). Temporal being unreachable is recoverable: the message is
 * retried later. Workflows deduplicate replies by event id.
 */
export function replyHandler(client: Client): EventHandler {
  return async (event, context) => {
    if (!isReplyEventType(event.eventType)) {
      context.logger.warn('not a saga reply; dropped');
      return;
    }
    const sagaId = context.headers.sagaId;
    if (!sagaId) throw new PermanentError(`${event.eventType} without x-saga-id: no saga to deliver it to`, 'missing-saga-id');
    try {
      await client.workflow.getHandle(sagaId).signal(event.eventType, event);
      context.logger.info('reply delivered to saga', { sagaId });
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        context.logger.info('saga finished or unknown; late reply acknowledged', { sagaId });
        return;
      }
      throw error;
    }
  };
}
