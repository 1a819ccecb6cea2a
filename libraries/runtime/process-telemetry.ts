import type { Config } from '../config/env';
import { createTelemetry, telemetrySettings, type Telemetry } from '../observability/telemetry';

/** A process's tracing from OpenTelemetry's variables (OTEL_*), its service.name defaulting to the process's own. */
export function processTelemetry(
  processName: string,
  config: Pick<Config, 'INSTANCE_ID'>,
  env: NodeJS.ProcessEnv = process.env,
): Telemetry {
  return createTelemetry({ settings: telemetrySettings(env, processName), instance: config.INSTANCE_ID });
}
