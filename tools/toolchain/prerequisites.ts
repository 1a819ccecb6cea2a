import amqplib from 'amqplib';
import pg from 'pg';
import { databaseUrl } from '../../libraries/db/database';
import { eventually } from '../../libraries/common/eventually';

/** A missing piece of the machine, with the one line that says what to do about it. */
export class PrerequisiteError extends Error {}

/** PostgreSQL answers on the server URL (its `postgres` database). */
export async function checkPostgres(serverUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl(serverUrl, 'postgres'), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new PrerequisiteError(
      `PostgreSQL is not reachable at ${serverUrl} (${(error as Error).message}). Start it (e.g. pg_ctlcluster 15 main start) or set PG_URL.`,
    );
  } finally {
    await client.end().catch(() => {});
  }
}

/** RabbitMQ accepts an AMQP connection on the URL. */
export async function checkRabbitMq(amqpUrl: string): Promise<void> {
  try {
    const connection = await amqplib.connect(amqpUrl, { timeout: 5000 });
    await connection.close();
  } catch (error) {
    throw new PrerequisiteError(
      `RabbitMQ is not reachable at ${amqpUrl.replace(/\/\/[^@]*@/, '//')} (${(error as Error).message}). Start it (e.g. rabbitmq-server -detached) or set AMQP_URL.`,
    );
  }
}

/** Waits for a prerequisite that may still be starting (CI boots services just before the run). */
export async function waitFor(check: () => Promise<void>, timeoutMs: number): Promise<void> {
  await eventually(check, { timeoutMs, intervalMs: 1000 });
}
