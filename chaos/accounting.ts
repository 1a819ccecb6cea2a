import { Client, Connection } from '@temporalio/client';
import { vhostOf } from '../toolchain/broker-users';
import { queueDepths, SETTLE_BEFORE_DEPTHS_MS, type QueueDepth } from '../harness/queues';
import { readDeadLetters, type DeadLetter } from './dead-letters';
import { checkJournal } from './journal-check';
import { isClean, takeLedger, type Ledger } from './ledger';
import type { Journal } from './load/journal';
import type { ChaosSystem, Crash } from './system';

/** The end of a run, counted from the databases, the broker and Temporal, never from logs. */
export interface Accounting {
  totals: {
    accepted: number;
    unfinished: number;
    doubleBookings: number;
    lostEffects: number;
    doubledEffects: number;
    readModelMismatches: number;
    /** Messages still in a queue other than a DLQ once the system drained. */
    undrainedMessages: number;
    unexpectedDeadLetters: number;
    /** Poison messages that reached no DLQ: dropped without a trace. */
    droppedPoison: number;
    crashes: number;
  };
  /** The details behind each non-zero total, for whoever reads the JSON. */
  findings: {
    ledger: Ledger;
    runningSagas: number;
    lost: { what: string; why: string }[];
    doubled: { what: string; why: string }[];
    undrained: QueueDepth[];
    unexpectedDeadLetters: DeadLetter[];
    droppedPoison: string[];
    crashes: Crash[];
  };
  drainSeconds: number;
}

async function runningSagas(system: ChaosSystem): Promise<number> {
  const connection = await Connection.connect({ address: system.config.TEMPORAL_ADDRESS });
  try {
    const client = new Client({ connection, namespace: system.config.TEMPORAL_NAMESPACE });
    const { count } = await client.workflow.count(`ExecutionStatus = "Running" AND TaskQueue = "${system.config.TEMPORAL_TASK_QUEUE}"`);
    return count;
  } finally {
    await connection.close();
  }
}

/**
 * Waits (up to drainTimeoutMs) for the system to settle once the load has
 * stopped: no saga open, every queue but the DLQs empty, every read model
 * equal to its write model. Then counts.
 */
export async function account(options: {
  system: ChaosSystem;
  journal: Journal;
  expectedDeadLetters: ReadonlySet<string>;
  drainTimeoutMs: number;
  log: (line: string) => void;
}): Promise<Accounting> {
  const { system, journal } = options;
  const prefix = system.config.DB_PREFIX;
  const vhost = vhostOf(system.config.AMQP_URL);
  const ledgerNow = () => takeLedger({ pgUrl: system.admin.PG_URL, prefix, instancesOf: system.instancesOf });
  const isDeadLetterQueue = (name: string) => name.endsWith('.dlq');
  const undrained = async () => (await queueDepths(vhost)).filter((queue) => !isDeadLetterQueue(queue.name) && queue.messages > 0);

  const started = Date.now();
  let ledger = await ledgerNow();
  let running = await runningSagas(system);
  let queued = await undrained();
  while (!(isClean(ledger) && running === 0 && queued.length === 0) && Date.now() - started < options.drainTimeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    [ledger, running, queued] = await Promise.all([ledgerNow(), runningSagas(system), undrained()]);
  }
  const drainSeconds = Math.round((Date.now() - started) / 1000);
  options.log(`drained in ${drainSeconds} s; counting`);
  // Quorum queues report their counts on a tick: read them once more after it.
  await new Promise((resolve) => setTimeout(resolve, SETTLE_BEFORE_DEPTHS_MS));
  queued = await undrained();

  const deadLetterQueues = (await queueDepths(vhost)).filter((queue) => isDeadLetterQueue(queue.name)).map((queue) => queue.name);
  const letters = await readDeadLetters(system.admin.AMQP_URL, deadLetterQueues);
  const unexpected = letters.filter((letter) => !letter.messageId || !options.expectedDeadLetters.has(letter.messageId));
  const parked = new Set(letters.map((letter) => letter.messageId));
  const droppedPoison = [...options.expectedDeadLetters].filter((id) => !parked.has(id));
  const { lost, doubled } = await checkJournal(journal, { pgUrl: system.admin.PG_URL, prefix });
  const crashes = system.crashes();

  return {
    totals: {
      accepted: journal.bookings.length + journal.cancellations.length + journal.records.length + journal.registrations.length,
      unfinished: ledger.unfinished.length + running,
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
}
