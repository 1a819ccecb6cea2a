import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config/env';
import { temporalClientInterceptors, type Telemetry } from '../observability/telemetry';

export interface TemporalClient {
  client: Client;
  connection: Connection;
  /** Resolves when the frontend answers; for /ready. */
  check(): Promise<void>;
  close(): Promise<void>;
}

export class TemporalUnavailableError extends Error {}

/**
 * A client of the configured Temporal frontend, failing with one clear line
 * when nothing answers. With telemetry, a workflow it starts or signals
 * continues the caller's trace.
 */
export async function connectTemporal(config: Config, telemetry?: Telemetry, timeoutMs = 15_000): Promise<TemporalClient> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS, connectTimeout: timeoutMs });
  } catch (error) {
    throw new TemporalUnavailableError(
      `Temporal is not reachable at ${config.TEMPORAL_ADDRESS} (${(error as Error).message}); start it (npm start does) or set TEMPORAL_ADDRESS`,
      { cause: error },
    );
  }
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, interceptors: temporalClientInterceptors(telemetry) });
  return {
    client,
    connection,
    check: async () => void (await connection.workflowService.getSystemInfo({})),
    close: () => connection.close(),
  };
}
