/**
 * Broker benchmark: publish-with-confirms and consume rates of the messaging
 * library against the real RabbitMQ (and PostgreSQL for the inbox case).
 *   npm run bench:broker [-- --messages 20000]
 * Works in a throw-away queue and database; prints a table and JSON.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../libraries/config/env';
import { measureBrokerRates } from './broker/rates';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '20000' }, window: { type: 'string', default: '500' } } });
const messages = Number(values.messages);
const window = Number(values.window);
const config = loadConfig();

const results = await measureBrokerRates({
  amqpUrl: config.AMQP_URL,
  pgUrl: config.PG_URL,
  dbPrefix: config.DB_PREFIX,
  messages,
  window,
  prefetch: config.AMQP_PREFETCH,
});
const rounded = Object.fromEntries(Object.entries(results).map(([name, rate]) => [name, Math.round(rate)]));
console.log(`\nHAP broker benchmark: ${messages} messages, ${window} publishes in flight, prefetch ${config.AMQP_PREFETCH}\n`);
console.table(Object.fromEntries(Object.entries(rounded).map(([name, rate]) => [name, { 'msg/s': rate }])));
console.log(JSON.stringify({ messages, window, prefetch: config.AMQP_PREFETCH, ...rounded }));
