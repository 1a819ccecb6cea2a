import pg from 'pg';
import { databaseUrl } from '../../../libraries/db/database';

export interface ConnectionCount {
  /** Peak connections to the system's databases seen during the window. */
  peak: number;
  /** All client connections on the server at that moment (other users included). */
  serverTotalAtPeak: number;
  maxConnections: number;
}

/**
 * Counts, once a second, the PostgreSQL connections to the databases whose
 * names start with the prefix: every pool of every process adds up, and the
 * server refuses clients past max_connections ("sorry, too many clients").
 * Its own connection is opened once, before the system takes them all.
 */
export class PgConnectionCounter {
  private constructor(
    private readonly client: pg.Client,
    private readonly dbPrefix: string,
    private readonly maxConnections: number,
  ) {}

  static async open(pgUrl: string, dbPrefix: string): Promise<PgConnectionCounter> {
    const client = new pg.Client({ connectionString: databaseUrl(pgUrl, 'postgres') });
    await client.connect();
    const { rows } = await client.query<{ max_connections: string }>('SHOW max_connections');
    return new PgConnectionCounter(client, dbPrefix, Number(rows[0]?.max_connections ?? 0));
  }

  /** Samples every second until stop(); a failed sample is skipped. */
  watch(): { stop(): Promise<ConnectionCount> } {
    const result: ConnectionCount = { peak: 0, serverTotalAtPeak: 0, maxConnections: this.maxConnections };
    const sample = async () => {
      const { rows } = await this.client.query<{ ours: string; total: string }>(
        "SELECT count(*) FILTER (WHERE starts_with(datname, $1)) AS ours, count(*) AS total FROM pg_stat_activity WHERE backend_type = 'client backend'",
        [`${this.dbPrefix}_`],
      );
      const ours = Number(rows[0]?.ours ?? 0);
      if (ours >= result.peak) Object.assign(result, { peak: ours, serverTotalAtPeak: Number(rows[0]?.total ?? 0) });
    };
    const quietly = () => sample().catch(() => {});
    let pending = quietly();
    const timer = setInterval(() => (pending = pending.then(quietly)), 1000);
    return {
      stop: async () => {
        clearInterval(timer);
        await pending;
        return result;
      },
    };
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
