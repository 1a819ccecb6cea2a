import { OpenTelemetryPlugin, OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { Telemetry } from './telemetry';

/**
 * Temporal's own OpenTelemetry interceptors carry the trace from a client's
 * start or signal into the workflow's headers, and from the workflow into
 * each activity. Left out while tracing is off: they cost every saga
 * (spans made inside the workflow sandbox) for nothing.
 */
export function temporalClientInterceptors(telemetry: Telemetry | undefined) {
  return telemetry?.enabled ? { workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer: telemetry.tracer })] } : undefined;
}

/** For Worker.create: the workflow and activity interceptors, and a sink that exports workflow spans with this process's resource. */
export function temporalWorkerPlugins(telemetry: Telemetry) {
  if (!telemetry.enabled) return [];
  return [new OpenTelemetryPlugin({ resource: telemetry.resource, spanProcessor: telemetry.spanProcessor, tracer: telemetry.tracer })];
}
