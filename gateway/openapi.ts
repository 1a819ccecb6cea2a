import type { UpstreamPool } from './upstream-pool';

interface OpenApiDocument {
  openapi?: string;
  info?: { title?: string; version?: string; description?: string };
  paths?: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
}

/**
 * One OpenAPI document for the whole API, merged from the documents the
 * services generate from their own request schemas: the gateway's paths are
 * exactly theirs. A service with no live instance is left out and named.
 */
export async function mergedOpenApi(pools: UpstreamPool[]): Promise<OpenApiDocument> {
  const merged: Required<Pick<OpenApiDocument, 'paths'>> & OpenApiDocument = {
    openapi: '3.1.0',
    info: { title: 'HAP', version: '1.0.0', description: 'Every path of the HAP REST API, served by the gateway.' },
    paths: {},
    components: { schemas: {}, securitySchemes: {} },
  };
  const missing: string[] = [];
  for (const pool of pools) {
    const document = await fetchFirst(pool);
    if (!document) {
      missing.push(pool.service);
      continue;
    }
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      if (!/^\/(health|ready)$/.test(path)) merged.paths[path] = item;
    }
    Object.assign(merged.components!.schemas!, document.components?.schemas ?? {});
    Object.assign(merged.components!.securitySchemes!, document.components?.securitySchemes ?? {});
  }
  if (missing.length > 0) merged.info!.description += ` Not reachable right now, so not listed: ${missing.join(', ')}.`;
  return merged;
}

async function fetchFirst(pool: UpstreamPool): Promise<OpenApiDocument | undefined> {
  for (const base of pool.candidates()) {
    try {
      const response = await fetch(`${base}/openapi.json`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return (await response.json()) as OpenApiDocument;
    } catch {
      // try the next instance
    }
  }
  return undefined;
}
