import { createRoute, z } from '@hono/zod-openapi';
import { secured } from '../../auth/secured';
import { text } from '../../http/refinements';
import { errorResponses, jsonBody, jsonContent, listContent } from '../../http/schemas';

const tags = ['dead letters'];

/** The queue a DLQ belongs to, or the DLQ's own name (`….events` or `….events.dlq`). */
export const queueParam = z.object({
  queue: text()
    .max(255)
    .openapi({ param: { name: 'queue', in: 'path' }, example: 'clinical-records.instance-1.events' }),
});

export const deadLetterQueueSchema = z
  .object({
    queue: z.string(),
    messages: z.number().int(),
    oldestAgeSeconds: z.number().int().nullable(),
  })
  .openapi('DeadLetterQueue');

export const parkedMessageSchema = z
  .object({
    messageId: z.string().nullable(),
    eventType: z.string().nullable(),
    reason: z.string().nullable(),
    error: z.string().nullable(),
    originalQueue: z.string().nullable(),
    firstFailedAt: z.string().nullable(),
    deadLetteredAt: z.string().nullable(),
    retryCount: z.number().int(),
    publishedBy: z.string().nullable(),
    envelope: z.unknown().openapi({ description: "the message body: JSON, or its text when it is not JSON; holds the event's data" }),
  })
  .openapi('ParkedMessage');

/** Which messages: one by its message id, or every one (`all: true`), never both. */
const selected = (body: { id?: string | undefined; all?: true | undefined }) => (body.id === undefined) !== (body.all === undefined);
const selectionRule = { path: ['id'], message: 'give either id (one message) or all: true' };
const messageId = text().max(200).optional();

export const replayBody = z
  .object({ id: messageId, all: z.literal(true).optional(), dryRun: z.boolean().default(false) })
  .strict()
  .refine(selected, selectionRule)
  .openapi('DeadLetterReplay');
export const purgeBody = z
  .object({ id: messageId, all: z.literal(true).optional() })
  .strict()
  .refine(selected, selectionRule)
  .openapi('DeadLetterPurge');

export const replayOutcomeSchema = z
  .object({
    replayed: z.array(z.string()),
    kept: z.array(z.object({ messageId: z.string().nullable(), why: z.string() })),
  })
  .openapi('DeadLetterReplayOutcome');

export const listRoute = createRoute(
  secured('dlq.read', {
    method: 'get',
    path: '/admin/dlq',
    tags,
    summary: "The dead-letter queues of this instance's queues: depth and the age of the oldest message",
    responses: { 200: listContent(deadLetterQueueSchema, 'one entry per DLQ'), ...errorResponses(503) },
  }),
);

export const showRoute = createRoute(
  secured('dlq.read', {
    method: 'get',
    path: '/admin/dlq/{queue}',
    tags,
    summary: 'The messages parked in a DLQ, oldest first, with why; looking takes nothing away',
    request: { params: queueParam, query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(20) }) },
    responses: { 200: listContent(parkedMessageSchema, 'the parked messages'), ...errorResponses(400, 404, 503) },
  }),
);

export const replayRoute = createRoute(
  secured('dlq.repair', {
    method: 'post',
    path: '/admin/dlq/{queue}/replay',
    tags,
    summary: 'Puts messages back in their original queue (retry count reset, x-replayed-at); one still invalid stays and says why',
    request: { params: queueParam, body: jsonBody(replayBody) },
    responses: { 200: jsonContent(replayOutcomeSchema, 'what went back and what stayed'), ...errorResponses(400, 404, 413, 503) },
  }),
);

export const purgeRoute = createRoute(
  secured('dlq.repair', {
    method: 'post',
    path: '/admin/dlq/{queue}/purge',
    tags,
    summary: 'Removes messages from a DLQ for good',
    request: { params: queueParam, body: jsonBody(purgeBody) },
    responses: { 200: jsonContent(z.object({ purged: z.number().int() }), 'how many were removed'), ...errorResponses(400, 404, 413, 503) },
  }),
);
