import { Client, Connection } from '@temporalio/client';
import { serviceNames } from '../../libraries/config/services';
import { databaseName, withClient } from '../../libraries/db/database';
import { systemQueues } from '../../libraries/messaging/topology';
import { vhostOf } from '../toolchain/broker-users';
import { queueDepths, SETTLE_BEFORE_DEPTHS_MS, type QueueDepth } from '../harness/queues';
import { readDeadLetters, type DeadLetter } from './dead-letters';
import { checkJournal } from './journal-check';
import { isClean, takeLedger, type Ledger } from './ledger';
import type { Journal } from './load/journal';
import { expectedDeadLetters } from './poison-routes';
import type { SentPoison } from './scenario';
import type { ChaosSystem, Crash } from './system';

/** The end of a run, counted from the databases, the broker and Temporal, never from logs. */
export interface Accounting {
  totals: {
    accepted: number;
    /** Requests the client gave up on: never promised, but a sign of an outage longer than a client waits. */
    gaveUp: number;
    unfinished: number;
    doubleBookings: number;
    lostEffects: number;
    doubledEffects: number;
    readModelMismatches: number;
    /** Messages still in a queue other than a DLQ, or still in an outbox, once the system drained. */
    undrainedMessages: number;
    /** DLQ messages that are not the poison, or poison parked more than once in one DLQ. */
    unexpectedDeadLetters: number;
    /** Poison missing from the DLQ of a queue it reached: dropped without a trace. */
    droppedPoison: number;
    crashes: number;
  };
  /** The details behind each non-zero total, for whoever reads the JSON. */
  findings: {
    ledger: Ledger;
    /** Sagas still open (workflow ids), or why Temporal could not be asked. */
    runningSagas: string[];
    lost: { what: string; why: string }[];
    doubled: { what: string; why: string }[];
    undrained: QueueDepth[];
    unexpectedDeadLetters: DeadLetter[];
    droppedPoison: { messageId: string; dlq: string }[];
    crashes: Crash[];
  };
  drainSeconds: number;
}

/** Open sagas of the run's task queue, by workflow id; a Temporal that cannot be asked counts as one open saga, said so. */
async function runningSagas(client: Client | undefined, taskQueue: string): Promise<string[]> {
  if (!client) return ['Temporal could not be reached'];
  try {
    const ids: string[] = [];
    for await (const execution of client.workflow.list({ query: `ExecutionStatus = "Running" AND TaskQueue = "${taskQueue}"` })) {
      ids.push(execution.workflowId);
    }
    return ids;
  } catch (error) {
    return [`Temporal could not be asked: ${error instanceof Error ? error.message : String(error)}`];
  }
}

/** Rows of every service's outbox not yet published. */
async function outboxBacklog(system: ChaosSystem): Promise<QueueDepth[]> {
  const backlog: QueueDepth[] = [];
  for (const service of serviceNames) {
    const [row] = await withClient(
      system.admin.PG_URL,
      databaseName(system.config.DB_PREFIX, service),
      async (client) =>
        (await client.query<{ count: string }>('SELECT count(*) AS count FROM messaging_outbox WHERE published_at IS NULL')).rows,
    );
    if (Number(row?.count) > 0) backlog.push({ name: `${service} outbox`, messages: Number(row!.count) });
  }
  return backlog;
}

/**
 * Waits (up to drainTimeoutMs) for the system to settle once the load has
 * stopped: no saga open, every queue but the DLQs and every outbox empty,
 * every read model equal to its write model. Then counts.
 */
export async function account(options: {
  system: ChaosSystem;
  journal: Journal;
  gaveUp: number;
  poison: readonly SentPoison[];
  drainTimeoutMs: number;
  log: (line: string) => void;
}): Promise<Accounting> {
  const { system, journal } = options;
  const prefix = system.config.DB_PREFIX;
  const vhost = vhostOf(system.config.AMQP_URL);
  const isDeadLetterQueue = (name: string) => name.endsWith('.dlq');
  const ledgerNow = () => takeLedger({ pgUrl: system.admin.PG_URL, prefix, instancesOf: system.instancesOf });
  const undrained = async () => [
    ...(await queueDepths(vhost)).filter((queue) => !isDeadLetterQueue(queue.name) && queue.messages > 0),
    ...(await outboxBacklog(system)),
  ];
  const connection = await Connection.connect({ address: system.config.TEMPORAL_ADDRESS }).catch(() => undefined);
  const client = connection && new Client({ connection, namespace: system.config.TEMPORAL_NAMESPACE });
  try {
    const started = Date.now();
    const settled = async () => {
      const [ledger, running, queued] = await Promise.all([
        ledgerNow(),
        runningSagas(client, system.config.TEMPORAL_TASK_QUEUE),
        undrained(),
      ]);
      return { ledger, running, queued, done: isClean(ledger) && running.length === 0 && queued.length === 0 };
    };
    let state = await settled();
    while (!state.done && Date.now() - started < options.drainTimeoutMs) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      state = await settled();
    }
    const drainSeconds = Math.round((Date.now() - started) / 1000);
    options.log(`drained in ${drainSeconds} s; counting`);
    // Quorum queues report their counts on a tick: read them once more after it.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_BEFORE_DEPTHS_MS));
    const queued = await undrained();
    const { ledger, running } = state;

    const deadLetterQueues = (await queueDepths(vhost)).filter((queue) => isDeadLetterQueue(queue.name)).map((queue) => queue.name);
    const letters = await readDeadLetters(system.admin.AMQP_URL, deadLetterQueues);
    const expected = expectedDeadLetters(options.poison, systemQueues(system.instancesOf('patients')));
    const seen = new Map<string, number>();
    const unexpected: DeadLetter[] = [];
    for (const letter of letters) {
      const key = `${letter.queue} ${letter.messageId}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      const wanted = letter.messageId !== undefined && expected.get(letter.messageId)?.has(letter.queue);
      if (!wanted || seen.get(key)! > 1) unexpected.push(letter);
    }
    const droppedPoison = [...expected].flatMap(([messageId, dlqs]) =>
      [...dlqs].filter((dlq) => !seen.has(`${dlq} ${messageId}`)).map((dlq) => ({ messageId, dlq })),
    );
    const { lost, doubled } = await checkJournal(journal, { pgUrl: system.admin.PG_URL, prefix });
    const crashes = system.crashes();
    // A PENDING consultation and its open saga are one unfinished thing, not two.
    const openSagasAlone = running.filter((id) => !ledger.unfinished.some((consultationId) => id.includes(consultationId)));

    return {
      totals: {
        accepted: journal.bookings.length + journal.cancellations.length + journal.records.length + journal.registrations.length,
        gaveUp: options.gaveUp,
        unfinished: ledger.unfinished.length + openSagasAlone.length,
        doubleBookings: ledger.doubleBookings.length,
        lostEffects: ledger.lostEffects.length + lost.length,
        doubledEffects: doubled.length,
        readModelMismatches: ledger.readModelMismatches.length,
        undrainedMessages: queued.reduce((sum, queue) => sum + queue.messages, 0),
        unexpectedDeadLetters: unexpected.length,
        droppedPoison: droppedPoison.length,
        crashes: crashes.length,
      },
      findings: {
        ledger,
        runningSagas: running,
        lost,
        doubled,
        undrained: queued,
        unexpectedDeadLetters: unexpected,
        droppedPoison,
        crashes,
      },
      drainSeconds,
    };
  } finally {
    await connection?.close();
  }
}
