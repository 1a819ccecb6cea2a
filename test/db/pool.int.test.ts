import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl } from '../../libraries/db/database';
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { CommitOutcomeUnknownError, openDatabase, withReleasingTransactions } from '../../libraries/db/pool';
import { eventually } from '../../libraries/common/eventually';
import { TcpProxy } from '../support/tcp-proxy';

/**
 * pg-pool listens for errors only on idle clients: a client checked out for
 * a transaction or a LISTEN whose socket dies used to raise an uncaught
 * 'error' (the "Connection terminated unexpectedly" that crashed processes
 * and failed test runs). Vitest fails this file on any such error.
 */
describe('database pool', () => {
  let proxy: TcpProxy;
  let url: string;

  beforeAll(async () => {
    let viaProxy: string;
    ({ proxy, url: viaProxy } = await TcpProxy.inFrontOfPostgres());
    url = databaseUrl(viaProxy, 'postgres');
  });

  afterAll(async () => {
    await proxy?.close();
  });

  it('survives the connection of a checked-out client dying, reports it, and connects again', async () => {
    const errors: Error[] = [];
    const handle = openDatabase(url, { max: 2, onError: (error) => errors.push(error) });
    try {
      const inTransaction = await handle.pool.connect();
      await inTransaction.query('BEGIN');
      const listening = await handle.pool.connect();
      await listening.query('LISTEN hap_pool_test');

      await proxy.cut();
      await eventually(() => expect(errors.length).toBeGreaterThanOrEqual(2));
      inTransaction.release(true);
      listening.release(true);

      await proxy.open();
      const { rows } = await handle.pool.query('SELECT 1 AS one');
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await handle.close();
    }
  });

  it('gives up taking a connection after the connect timeout instead of hanging', async () => {
    await proxy.cut();
    const handle = openDatabase(url, { max: 1, connectTimeoutMs: 500 });
    try {
      const started = Date.now();
      await expect(handle.pool.query('SELECT 1')).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await proxy.open();
      await handle.close();
    }
  });

  it('cuts a statement that runs past the statement timeout', async () => {
    const handle = openDatabase(url, { max: 1, statementTimeoutMs: 200 });
    try {
      await expect(handle.pool.query('SELECT pg_sleep(2)')).rejects.toMatchObject({ code: '57014' });
    } finally {
      await handle.close();
    }
  });

  it('releases the connection of a transaction whose BEGIN fails (drizzle alone leaks it, and the pool runs dry)', async () => {
    // A connection that died between check-out and BEGIN, as during a PostgreSQL restart.
    let released = 0;
    const dying = {
      query: async () => Promise.reject(new Error('Connection terminated unexpectedly')),
      release: () => void (released += 1),
    };
    const pool = { connect: async () => dying as unknown as pg.PoolClient };
    const db = withReleasingTransactions(drizzle({ client: pool as unknown as pg.Pool }), pool);
    for (let attempt = 0; attempt < 3; attempt++) await expect(db.transaction(async () => 'never')).rejects.toThrow();
    expect(released).toBe(3);
  });

  it('reports a COMMIT lost with its connection as an unknown outcome, not as a failure', async () => {
    const fails = (text: string) =>
      /^commit/i.test(text)
        ? new Error('Connection terminated unexpectedly')
        : /^rollback/i.test(text)
          ? new Error('Client has encountered a connection error and is not queryable')
          : undefined;
    const query = async (config: string | { text: string }) => {
      const failure = fails(typeof config === 'string' ? config : config.text);
      if (failure) throw failure;
      return { rows: [], rowCount: 0, fields: [] };
    };
    const pool = { connect: async () => ({ query, release: () => {} }) as unknown as pg.PoolClient };
    const db = withReleasingTransactions(drizzle({ client: pool as unknown as pg.Pool }), pool);
    await expect(db.transaction(async () => 'done')).rejects.toBeInstanceOf(CommitOutcomeUnknownError);
  });
});
