import type { Context } from 'hono';
import type { TokenVerifier } from '../libraries/auth/verifier';
import type { Config } from '../libraries/config/env';
import { auditedServices, gatewayUrlsKey, serviceNames, serviceRegistry } from '../libraries/config/services';
import { createServiceApp, type AppEnv } from '../libraries/http/app';
import { ApiError, errorBody } from '../libraries/http/errors';
import type { Logger } from '../libraries/observability/logging/logger';
import { asyncApiRoutes } from '../libraries/http/asyncapi-docs';
import { asyncApiDocument } from '../libraries/messaging/asyncapi';
import { mergedAudit } from './audit';
import { deadLetterHandlers } from './dead-letters';
import { clientHop } from './client-hop';
import { forward, unansweredMessage } from './forward';
import { clientResponseHeaders, upstreamRequestHeaders } from './headers';
import { mergedOpenApi } from './openapi';
import { UpstreamPool } from './upstream-pool';
import { createMetrics } from '../libraries/observability/metrics';
import { traceHeaders, type Telemetry } from '../libraries/observability/telemetry';
import { preferredWaitSeconds } from '../libraries/http/prefer';

/**
 * The public entry point: every path of docs/api.md, spread over the
 * instances of its service. It checks the bearer token before anything
 * travels on and forwards it; each instance checks it again, and decides
 * what the caller may do.
 */
export function createGatewayApp(config: Config, logger: Logger, verifier: TokenVerifier, telemetry: Telemetry) {
  // One pool per service of the registry, and each of its public paths relayed to it.
  const pools = serviceNames.map((name) => ({
    name,
    pool: new UpstreamPool(name, config[gatewayUrlsKey(name)]),
    paths: serviceRegistry[name].gatewayPaths,
  }));

  const app = createServiceApp({
    metrics: createMetrics({ service: 'gateway', instance: config.INSTANCE_ID }),
    tracer: telemetry.tracer,
    service: 'gateway',
    instance: config.INSTANCE_ID,
    title: 'HAP API',
    description: 'Every path of the HAP REST API, served by the gateway.',
    logger,
    maxBodyBytes: config.HTTP_MAX_BODY_BYTES,
    verifier,
    servesJwks: true,
    // Ready when every service has at least one live instance, and the worker and the bridge are ready: what a booking needs.
    checks: [
      ...pools.map(({ pool }) => ({ name: pool.service, check: () => anyAlive(pool) })),
      { name: 'sagas', check: () => allReady(config.GATEWAY_SAGA_URLS) },
    ],
    openApiDocument: () => mergedOpenApi(pools.map(({ pool }) => pool)),
  });

  // The event counterpart of /openapi.json: the catalog and topology as AsyncAPI 3.0, and a page that renders it.
  const events = asyncApiDocument();
  app.route(
    '/',
    asyncApiRoutes('HAP events', () => events),
  );

  const auditPools = pools.filter(({ name }) => auditedServices.includes(name)).map(({ pool }) => pool);
  app.get('/audit', (c) => mergedAudit(c, auditPools, config.GATEWAY_UPSTREAM_TIMEOUT_MS, logger));

  const deadLetters = deadLetterHandlers(
    { pools: pools.map(({ pool }) => pool), bySource: new Map(pools.map(({ name, pool }) => [serviceRegistry[name].source, pool])) },
    config.GATEWAY_UPSTREAM_TIMEOUT_MS,
    logger,
  );
  app.get('/admin/dlq', deadLetters.list);
  app.all('/admin/dlq/*', deadLetters.one);

  for (const { pool, paths } of pools) {
    for (const prefix of paths) {
      app.all(`/${prefix}`, (c) => relay(c, pool));
      app.all(`/${prefix}/*`, (c) => relay(c, pool));
    }
  }

  async function relay(c: Context<AppEnv>, pool: UpstreamPool) {
    const { raw } = c.req;
    const url = new URL(raw.url);
    const hasBody = !['GET', 'HEAD'].includes(c.req.method);
    // The instance continues the gateway's span, not whatever trace the client sent.
    const headers = upstreamRequestHeaders(raw.headers, clientHop(c));
    for (const [name, value] of Object.entries(traceHeaders())) headers.set(name, value);
    const outcome = await forward(
      pool,
      {
        method: c.req.method,
        pathAndQuery: `${url.pathname}${url.search}`,
        headers,
        body: hasBody ? await raw.arrayBuffer() : undefined,
        correlationId: c.get('correlationId'),
      },
      // An instance holds a Prefer: wait request for up to that long before it answers at all.
      config.GATEWAY_UPSTREAM_TIMEOUT_MS + (preferredWaitSeconds(c.req.header('prefer'), config.PREFER_WAIT_MAX_SECONDS) ?? 0) * 1000,
      logger,
    );
    if ('unanswered' in outcome) {
      return c.json(errorBody(new ApiError(503, 'SERVICE_UNAVAILABLE', unansweredMessage(pool.service, outcome.unanswered))), 503);
    }
    const { response } = outcome;
    return new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers: clientResponseHeaders(response.headers),
    });
  }

  return app;
}

async function allReady(urls: readonly string[]): Promise<void> {
  const ready = async (base: string) => {
    try {
      const response = await fetch(`${base}/ready`, { signal: AbortSignal.timeout(1000) });
      await response.body?.cancel();
      return response.ok;
    } catch {
      return false;
    }
  };
  const answers = await Promise.all(urls.map(ready));
  const missing = urls.filter((_, i) => !answers[i]);
  if (missing.length > 0) throw new Error(`not ready: ${missing.join(', ')}`);
}

async function anyAlive(pool: UpstreamPool): Promise<void> {
  for (const base of pool.urls) {
    try {
      const response = await fetch(`${base}/health`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // try the next instance
    }
  }
  throw new Error(`no ${pool.service} instance answers /health`);
}
