import { ConfigError } from '../../config/env';

/**
 * How a process exports its traces, read from OpenTelemetry's own variables so
 * that any OTLP/HTTP receiver (a Collector, Jaeger, Tempo) takes them as it
 * would from any other program. No endpoint means no export: tracing costs
 * nothing until someone asks for it.
 */
export interface TelemetrySettings {
  /** False with OTEL_SDK_DISABLED=true, or when no OTLP endpoint is set. */
  enabled: boolean;
  protocol: OtlpProtocol;
  /** Where spans are posted: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as it is, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces. */
  tracesUrl?: string;
  /** OTEL_SERVICE_NAME, else the process's own name. */
  serviceName: string;
}

export type OtlpProtocol = 'http/protobuf' | 'http/json';

export function telemetrySettings(env: NodeJS.ProcessEnv, processName: string): TelemetrySettings {
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const tracesUrl = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || (base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined);
  const disabled = (env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true';
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || env.OTEL_EXPORTER_OTLP_PROTOCOL || 'http/protobuf').trim();
  if (protocol !== 'http/protobuf' && protocol !== 'http/json') {
    throw new ConfigError(`OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not supported: use http/protobuf or http/json`);
  }
  return {
    enabled: !disabled && tracesUrl !== undefined,
    protocol,
    ...(tracesUrl ? { tracesUrl } : {}),
    serviceName: env.OTEL_SERVICE_NAME?.trim() || processName,
  };
}
