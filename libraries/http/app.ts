import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { authenticate } from '../auth/authenticate';
import { grantOf } from '../auth/policy';
import type { Tracer } from '@opentelemetry/api';
import type { Metrics } from '../observability/metrics';
import type { AccessVariables } from '../auth/guard';
import { bearerScheme } from '../auth/secured';
import type { TokenVerifier } from '../auth/verifier';
import type { Logger } from '../observability/logging/logger';
import { correlation, type CorrelationVariables } from './correlation';
import { docsRoutes } from './docs';
import { ApiError, errorBody, errorHandler, validationError } from './errors';
import { healthRoutes, type ReadinessCheck } from './health';
import { rejectUnservedMethods } from './methods';
import { httpMetrics } from './request-metrics';
import { httpTracing } from './tracing';
import { documentIdempotencyKey } from './idempotency-openapi';

export type AppEnv = { Variables: CorrelationVariables & AccessVariables };
export type ServiceApp = OpenAPIHono<AppEnv>;

/**
 * A resource's routes: a sub-app that each service builds by chaining
 * `.openapi(route, handler)` and the frame mounts with `app.route()`. The
 * chain's type is the service's exported app type, for `hc` clients.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    // Request validation failures become docs/api.md §3's 400 naming the field, on the frame and on every sub-app.
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, targetName(result.target));
    },
  });
}

export interface ServiceAppOptions {
  service: string;
  instance: string;
  title: string;
  description: string;
  logger: Logger;
  checks: ReadinessCheck[];
  /** More for /ready's body (an instance's read-model lag). */
  readyDetails?: () => Promise<Record<string, unknown>>;
  maxBodyBytes?: number;
  /** Checks every request's bearer token but on the public paths (libraries/auth/authenticate.ts). */
  verifier: TokenVerifier;
  /** Serves the development issuer's public key at /.well-known/jwks.json (the gateway). */
  servesJwks?: boolean;
  /** This process's metrics: every request is counted into them, and GET /metrics (admin) serves them. */
  metrics: Metrics;
  /** This process's tracer (libraries/observability/telemetry/): a server span per request, continuing the caller's trace. */
  tracer: Tracer;
  /** A process that serves other processes' APIs (the gateway) serves their document instead of generating its own. */
  openApiDocument?: () => Promise<unknown>;
}

/**
 * The frame every HAP HTTP process shares, the gateway's included:
 * a server span and metrics per request, correlation ids, 405 for unserved methods, a body limit, a bearer token on
 * everything but the public paths, docs/api.md §3's error shape (400 naming
 * the field), /health, /ready, /openapi.json generated from the zod schemas
 * that validate requests, /docs, /metrics (admin), and the development
 * issuer's JWKS where this process trusts it.
 */
export function createServiceApp(options: ServiceAppOptions): ServiceApp {
  const app = createRouter();
  app.use(httpTracing(options.tracer));
  app.use(httpMetrics(options.metrics));
  app.use(correlation());
  app.use(rejectUnservedMethods());
  app.use(
    bodyLimit({
      maxSize: options.maxBodyBytes ?? 64 * 1024,
      onError: () => {
        throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `request body larger than ${options.maxBodyBytes ?? 64 * 1024} bytes`);
      },
    }),
  );
  app.use(authenticate(options.verifier));
  const { localJwks } = options.verifier;
  if (options.servesJwks && localJwks) app.get('/.well-known/jwks.json', (c) => c.json(localJwks));
  app.get('/metrics', async (c) => {
    if (!grantOf(c.get('principal'), 'metrics.read')) throw new ApiError(403, 'FORBIDDEN', 'metrics are for the admin role');
    return c.text(await options.metrics.registry.metrics(), 200, { 'content-type': options.metrics.registry.contentType });
  });
  app.route(
    '/',
    healthRoutes({ service: options.service, instance: options.instance, checks: options.checks, details: options.readyDetails }),
  );
  const { openApiDocument } = options;
  if (openApiDocument) {
    app.get('/openapi.json', async (c) => c.json(await openApiDocument()));
  } else {
    app.use('/openapi.json', documentIdempotencyKey());
    app.openAPIRegistry.registerComponent('securitySchemes', bearerScheme.name, bearerScheme.scheme);
    app.doc31('/openapi.json', {
      openapi: '3.1.0',
      info: { title: options.title, version: '1.0.0', description: options.description },
    });
  }
  app.route('/', docsRoutes(options.title));
  app.onError(errorHandler(options.logger));
  app.notFound((c) => c.json(errorBody(new ApiError(404, 'NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`)), 404));
  return app;
}

function targetName(target: string): string {
  return target === 'json' ? 'body' : target === 'param' ? 'path' : target;
}
