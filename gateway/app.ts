import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Config } from '../config/env';
import { correlation, type CorrelationVariables } from '../http/correlation';
import { ApiError, errorBody, errorHandler } from '../http/errors';
import { docsRoutes } from '../http/docs';
import { healthRoutes } from '../http/health';
import { rejectUnservedMethods } from '../http/methods';
import type { Logger } from '../logging/logger';
import { clientHop } from './client-hop';
import { forward, unansweredMessage } from './forward';
import { clientResponseHeaders, upstreamRequestHeaders } from './headers';
import { mergedOpenApi } from './openapi';
import { UpstreamPool } from './upstream-pool';

type GatewayEnv = { Variables: CorrelationVariables };

/** The public entry point: every path of docs/api.md, spread over the instances of its service. */
export function createGatewayApp(config: Config, logger: Logger) {
  const pools = {
    patients: new UpstreamPool('patients', config.GATEWAY_PATIENTS_URLS),
    physicians: new UpstreamPool('physicians', config.GATEWAY_PHYSICIANS_URLS),
    consultations: new UpstreamPool('scheduling', config.GATEWAY_SCHEDULING_URLS),
    records: new UpstreamPool('records', config.GATEWAY_RECORDS_URLS),
  };

  const app = new Hono<GatewayEnv>();
  app.use(correlation());
  app.use(rejectUnservedMethods());
  app.use(
    bodyLimit({
      maxSize: config.HTTP_MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `request body larger than ${config.HTTP_MAX_BODY_BYTES} bytes`);
      },
    }),
  );
  app.route(
    '/',
    healthRoutes({
      service: 'gateway',
      instance: config.INSTANCE_ID,
      // Ready when every service has at least one live instance.
      checks: Object.entries(pools).map(([name, pool]) => ({ name, check: () => anyAlive(pool) })),
    }),
  );

  app.get('/openapi.json', async (c) => c.json(await mergedOpenApi(Object.values(pools))));
  app.route('/', docsRoutes('HAP API'));

  for (const [prefix, pool] of Object.entries(pools)) {
    app.all(`/${prefix}`, (c) => relay(c, pool));
    app.all(`/${prefix}/*`, (c) => relay(c, pool));
  }

  async function relay(c: Context<GatewayEnv>, pool: UpstreamPool) {
    const { raw } = c.req;
    const url = new URL(raw.url);
    const hasBody = !['GET', 'HEAD'].includes(c.req.method);
    const outcome = await forward(
      pool,
      {
        method: c.req.method,
        pathAndQuery: `${url.pathname}${url.search}`,
        headers: upstreamRequestHeaders(raw.headers, clientHop(c)),
        body: hasBody ? await raw.arrayBuffer() : undefined,
        correlationId: c.get('correlationId'),
      },
      config.GATEWAY_UPSTREAM_TIMEOUT_MS,
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

  app.onError(errorHandler(logger));
  app.notFound((c) => c.json(errorBody(new ApiError(404, 'NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`)), 404));
  return app;
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
