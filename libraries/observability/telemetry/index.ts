// The tracing library: a process's tracer and exporter, and W3C trace context over our own hops.
export { createTelemetry, noTelemetry, type Telemetry, type TelemetryOptions } from './telemetry';
export { telemetrySettings, type OtlpProtocol, type TelemetrySettings } from './settings';
export { contextFromHeaders, traceHeaders } from './propagation';
export { temporalClientInterceptors, temporalWorkerPlugins } from './temporal';
