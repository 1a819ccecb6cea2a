/**
 * `npm run --silent dlq -- <list|show|replay|purge> …`: the operator's DLQ
 * tool for the HAP that `npm start` set up on this machine (README,
 * Operations). It reads the DLQs as the setup user and puts a message back
 * as the principal that consumes its queue, with the passwords npm start
 * keeps under .data/rabbitmq/. `--help` for the commands.
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import amqplib from 'amqplib';
import { brokerPrincipals, brokerUserName, type BrokerPrincipal } from '../../libraries/config/broker-principals';
import { loadConfig } from '../../libraries/config/env';
import { defaultInstances } from '../../libraries/config/services';
import { DeadLetterStore, type Selection } from '../../libraries/messaging/dead-letter-store';
import { brokerPermissions } from '../../libraries/messaging/permissions';
import { dlqName, systemQueues } from '../../libraries/messaging/topology';
import { brokerLogins, urlAs, vhostOf } from '../toolchain/broker-users';
import { brokerPasswordFile, readPasswordFile } from '../toolchain/password-file';

const usage = `usage: npm run --silent dlq -- <command> [options]
  list [--json]                                        every DLQ with its message count and the age of its oldest message
  show <queue> [--limit N] [--json]                    the parked messages: id, type, reason, error, original queue, times, retries, envelope
  replay <queue> (--id <messageId> | --all) [--dry-run] [--json]
                                                       back to the original queue, retry count reset; an envelope still invalid stays
  purge <queue> (--id <messageId> | --all) [--yes]     removes them for good (asks before --all unless --yes)
  <queue> is a DLQ (patient-service.instance-1.events.dlq) or the queue it belongs to.
  --instances N   how many instances of each service to look for (${defaultInstances})`;

function fail(message: string): never {
  console.error(`✗ ${message}\n${usage}`);
  process.exit(2);
}

const parsed = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean', default: false },
        limit: { type: 'string', default: '20' },
        id: { type: 'string' },
        all: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        yes: { type: 'boolean', default: false },
        instances: { type: 'string', default: String(defaultInstances) },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    return fail((error as Error).message);
  }
})();
const { values, positionals } = parsed;
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const [command, queueArgument] = positionals;
const instances = Number(values.instances);
if (!Number.isInteger(instances) || instances < 1) fail('--instances must be a positive integer');
const queues = systemQueues(Array.from({ length: instances }, (_, i) => `instance-${i + 1}`)).map((queue) => queue.name);

function dlqOf(name: string | undefined): string {
  if (!name) fail(`${command} needs a queue`);
  const dlq = name.endsWith('.dlq') ? name : dlqName(name);
  if (!queues.some((queue) => dlqName(queue) === dlq)) fail(`${name} is not one of HAP's queues (see dlq list)`);
  return dlq;
}

function selection(): Selection {
  if (values.all === (values.id !== undefined)) fail(`${command} needs exactly one of --id <messageId> or --all`);
  return values.id !== undefined ? { id: values.id } : 'all';
}

/** The principal whose read rights take the queue: the consumer whose sender check a replayed message must pass. */
function consumerOf(queue: string): BrokerPrincipal {
  const principal = brokerPrincipals.find((candidate) => new RegExp(brokerPermissions(candidate).read).test(queue));
  if (!principal) throw new Error(`no HAP principal consumes ${queue}`);
  return principal;
}

const config = loadConfig();
const vhost = vhostOf(config.AMQP_URL);
const logins = await brokerLogins(config.AMQP_USER_PREFIX, readPasswordFile(brokerPasswordFile(vhost))).catch((error: Error) =>
  fail(error.message),
);
const operator = await amqplib.connect(urlAs(config.AMQP_URL, logins.setup));
operator.on('error', () => {});
const publishers = new Map<BrokerPrincipal, amqplib.ConfirmChannel>();
const connections: amqplib.ChannelModel[] = [operator];
const store = new DeadLetterStore({
  connection: operator,
  retryDelayMs: Math.min(...config.AMQP_RETRY_DELAYS_MS),
  republish: async (queue, message) => {
    const principal = consumerOf(queue);
    let channel = publishers.get(principal);
    if (!channel) {
      const connection = await amqplib.connect(urlAs(config.AMQP_URL, logins.principals[principal]));
      connection.on('error', () => {});
      connections.push(connection);
      channel = await connection.createConfirmChannel();
      channel.on('error', () => {});
      publishers.set(principal, channel);
    }
    const user = brokerUserName(config.AMQP_USER_PREFIX, principal);
    await new Promise<void>((resolve, reject) =>
      channel.publish(message.exchange, message.routingKey, message.content, { ...message.options, userId: user }, (error) =>
        error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(),
      ),
    );
  },
});

const print = (value: unknown, human: () => string) => console.log(values.json ? JSON.stringify(value, null, 2) : human());

try {
  switch (command) {
    case 'list': {
      const listed = await store.list(queues);
      print(listed, () =>
        listed
          .map((q) => `${q.queue}  ${q.messages} message(s)${q.oldestAgeSeconds === null ? '' : `, oldest ${q.oldestAgeSeconds} s`}`)
          .join('\n'),
      );
      break;
    }
    case 'show': {
      const limit = Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1) fail('--limit must be a positive integer');
      const shown = await store.show(dlqOf(queueArgument), limit);
      print(shown, () =>
        shown.length === 0
          ? 'empty'
          : shown
              .map((m) =>
                [
                  `${m.messageId ?? '(no id)'}  ${m.eventType ?? '(no type)'}  reason ${m.reason} (retries ${m.retryCount})`,
                  `  from ${m.originalQueue}, published by ${m.publishedBy ?? 'nobody named (no user_id)'}; first failed ${m.firstFailedAt ?? '-'}, parked ${m.deadLetteredAt ?? '-'}`,
                  `  error: ${m.error ?? '-'}`,
                  `  envelope: ${typeof m.envelope === 'string' ? m.envelope : JSON.stringify(m.envelope)}`,
                ].join('\n'),
              )
              .join('\n'),
      );
      break;
    }
    case 'replay': {
      const outcome = await store.replay(dlqOf(queueArgument), selection(), { dryRun: values['dry-run'] });
      print(outcome, () =>
        [
          `${values['dry-run'] ? 'would replay' : 'replayed'} ${outcome.replayed.length}: ${outcome.replayed.join(', ') || '-'}`,
          ...outcome.kept.map((kept) => `kept ${kept.messageId ?? '(no id)'}: ${kept.why}`),
        ].join('\n'),
      );
      if (outcome.kept.length > 0) process.exitCode = 1;
      break;
    }
    case 'purge': {
      const dlq = dlqOf(queueArgument);
      const chosen = selection();
      if (chosen === 'all' && !values.yes) {
        const prompt = createInterface({ input: process.stdin, output: process.stderr });
        const answer = await prompt.question(`Remove every message of ${dlq} for good? [y/N] `);
        prompt.close();
        if (!/^y(es)?$/i.test(answer.trim())) {
          console.error('nothing removed');
          break;
        }
      }
      const purged = await store.purge(dlq, chosen);
      print({ purged }, () => `removed ${purged}`);
      break;
    }
    default:
      fail(command ? `unknown command ${command}` : 'a command is needed');
  }
} catch (error) {
  console.error(`✗ ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  for (const connection of connections) await connection.close().catch(() => {});
}
