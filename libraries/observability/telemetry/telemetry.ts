import { context, propagation, ProxyTracerProvider, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { detectResourcesSync, envDetectorSync, Resource } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  NoopSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { TelemetrySettings } from './settings';

/**
 * One process's tracing: a tracer whose spans carry the process's
 * service.name, and what Temporal's worker plugin needs to export workflow
 * spans the same way. Passed to whatever makes spans (HTTP frame, broker,
 * consumers, Temporal client and worker) rather than kept global, so several
 * HAP parts in one process (the tests) each keep their own name.
 */
export interface Telemetry {
  enabled: boolean;
  serviceName: string;
  tracer: Tracer;
  resource: Resource;
  spanProcessor: SpanProcessor;
  /** Sends what is still buffered; the process calls it on its way out. */
  shutdown(): Promise<void>;
}

export interface TelemetryOptions {
  settings: TelemetrySettings;
  instance: string;
  /** Where spans go instead of OTLP (tests: an InMemorySpanExporter); exported at once. */
  exporter?: SpanExporter;
}

/** Tracing as the settings say: OTLP/HTTP in the chosen encoding, batched; off without an endpoint. */
export function createTelemetry(options: TelemetryOptions): Telemetry {
  installTraceContext();
  const { settings, instance, exporter } = options;
  const resource = new Resource({ 'service.namespace': 'hap', 'service.instance.id': instance })
    .merge(detectResourcesSync({ detectors: [envDetectorSync] }))
    .merge(new Resource({ 'service.name': settings.serviceName }));
  if (!exporter && !settings.enabled) return disabledTelemetry(settings.serviceName, resource);
  const spanProcessor = exporter
    ? new SimpleSpanProcessor(exporter)
    : new BatchSpanProcessor(
        settings.protocol === 'http/json'
          ? new JsonExporter({ url: settings.tracesUrl })
          : new ProtobufExporter({ url: settings.tracesUrl }),
      );
  const provider = new BasicTracerProvider({ resource, spanProcessors: [spanProcessor] });
  return {
    enabled: true,
    serviceName: settings.serviceName,
    tracer: provider.getTracer('hap'),
    resource,
    spanProcessor,
    shutdown: () => provider.shutdown(),
  };
}

/** Tracing off, whatever the environment says (tests and tools that trace nothing). */
export function noTelemetry(serviceName: string, instance = 'instance-1'): Telemetry {
  return createTelemetry({ settings: { enabled: false, protocol: 'http/protobuf', serviceName }, instance });
}

/** No export: spans are not recorded, but a context that came in still goes out (traceparent passes through). */
function disabledTelemetry(serviceName: string, resource: Resource): Telemetry {
  return {
    enabled: false,
    serviceName,
    tracer: new ProxyTracerProvider().getTracer('hap'),
    resource,
    spanProcessor: new NoopSpanProcessor(),
    shutdown: async () => {},
  };
}

let installed = false;

/**
 * The process-wide parts OpenTelemetry keeps global: the active context
 * follows async calls (AsyncLocalStorage), and W3C traceparent is the format
 * Temporal's interceptors inject and extract. Installed once, on first use.
 */
function installTraceContext(): void {
  if (installed) return;
  installed = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}
