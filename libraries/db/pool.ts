import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { serverSqlState } from './errors';

export type Database = NodePgDatabase<Record<string, never>>;

export interface DatabaseHandle {
  pool: pg.Pool;
  db: Database;
  close(): Promise<void>;
}

export interface PoolOptions {
  max?: number;
  /** How long taking a connection may wait (a new one connecting, or a free one); then the call fails, nothing was sent. */
  connectTimeoutMs?: number;
  /** Server-side cap on one statement, so a query stuck behind a lock cannot hold a request or a delivery for good. */
  statementTimeoutMs?: number;
  /** Server-side cap on a session idling inside a transaction: a hung client cannot keep row locks. */
  idleInTransactionTimeoutMs?: number;
  /** A connection failed (idle or in use); it is already discarded or its query already rejected. */
  onError?: (error: Error) => void;
}

/**
 * A connection pool and its drizzle handle. Connection errors are reported,
 * never fatal: pg-pool listens for errors only on idle clients, so a client
 * checked out for a transaction or a LISTEN whose socket dies (a PostgreSQL
 * restart) would otherwise emit an unhandled 'error' and kill the process.
 * Its query is rejected all the same, and the pool discards it on release.
 */
export function openDatabase(url: string, options: PoolOptions = {}): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    ...(options.idleInTransactionTimeoutMs ? { idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs } : {}),
  });
  const report = (error: Error) => options.onError?.(error);
  pool.on('error', report);
  pool.on('connect', (client) => client.on('error', report));
  return { pool, db: withReleasingTransactions(drizzle({ client: pool }), pool), close: () => pool.end() };
}

/**
 * drizzle's transaction on a pool checks a client out and sends BEGIN before
 * its try/finally: when the connection dies in between (a PostgreSQL restart),
 * the client is never released, the pool loses a connection for good, and
 * after PG_POOL_MAX such losses the process hangs. Here the client is checked
 * out by us and always released; a broken one is discarded by the pool.
 */
export function withReleasingTransactions(db: Database, pool: Pick<pg.Pool, 'connect'>): Database {
  const transaction: Database['transaction'] = async (work, config) => {
    const client = await pool.connect();
    let committing = false;
    try {
      return await drizzle({ client }).transaction(async (tx) => {
        const result = await work(tx as never);
        committing = true;
        return result;
      }, config);
    } catch (error) {
      // PostgreSQL refused the COMMIT itself (a deferred constraint, a serialization failure): rolled back.
      // Anything else during COMMIT (the connection broke) leaves it unknown whether it committed.
      const state = serverSqlState(error);
      const refusedByServer = state !== undefined && !state.startsWith('08'); // class 08: the connection itself
      if (committing && !refusedByServer) throw new CommitOutcomeUnknownError({ cause: error });
      throw error;
    } finally {
      client.release();
    }
  };
  return Object.assign(db, { transaction });
}

/** The connection broke while COMMIT was on its way: the transaction may or may not have committed. */
export class CommitOutcomeUnknownError extends Error {
  readonly code = 'HAP_COMMIT_OUTCOME_UNKNOWN';
  constructor(options: { cause: unknown }) {
    super('the database connection broke during COMMIT; the transaction may have committed', options);
  }
}
