import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { swaggerUI } from '@hono/swagger-ui';
import { Hono } from 'hono';

const ASSETS_BASE = '/docs/assets';
const assetTypes = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
} as const;

/**
 * /docs: Swagger UI over /openapi.json. Its script and stylesheet come from
 * the swagger-ui-dist package, served here rather than from a CDN, so the
 * page works on a machine with no internet.
 */
export function docsRoutes(title: string): Hono {
  const directory = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const contents = new Map<string, Promise<Buffer>>();
  const routes = new Hono().get('/docs', swaggerUI({ url: '/openapi.json', title, baseUrl: ASSETS_BASE }));
  for (const [file, type] of Object.entries(assetTypes)) {
    // @hono/swagger-ui asks for <baseUrl>/swagger-ui-dist/<file>.
    routes.get(`${ASSETS_BASE}/swagger-ui-dist/${file}`, async (c) => {
      if (!contents.has(file)) contents.set(file, readFile(path.join(directory, file)));
      const body = await contents.get(file)!;
      return c.body(new Uint8Array(body), 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
    });
  }
  return routes;
}
