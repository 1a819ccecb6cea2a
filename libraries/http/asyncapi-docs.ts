import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Hono } from 'hono';

const ASSETS_BASE = '/asyncapi/assets';
const assets = {
  'asyncapi.js': { file: 'browser/standalone/index.js', type: 'text/javascript; charset=utf-8' },
  'asyncapi.css': { file: 'styles/default.min.css', type: 'text/css; charset=utf-8' },
} as const;

const page = (title: string) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title}</title>
    <link rel="stylesheet" href="${ASSETS_BASE}/asyncapi.css" />
  </head>
  <body>
    <div id="asyncapi"></div>
    <script src="${ASSETS_BASE}/asyncapi.js"></script>
    <script>
      AsyncApiStandalone.render(
        { schema: { url: '/asyncapi.json' }, config: { show: { sidebar: true }, sidebar: { showOperations: 'byDefault' } } },
        document.getElementById('asyncapi'),
      );
    </script>
  </body>
</html>
`;

/**
 * GET /asyncapi.json, and /asyncapi: the document rendered by AsyncAPI's own
 * React component, its standalone script and stylesheet served from the
 * @asyncapi/react-component package rather than a CDN, so the page works
 * on a machine with no internet.
 */
export function asyncApiRoutes(title: string, document: () => unknown): Hono {
  const directory = path.dirname(createRequire(import.meta.url).resolve('@asyncapi/react-component/package.json'));
  const contents = new Map<string, Promise<Buffer>>();
  const routes = new Hono().get('/asyncapi.json', (c) => c.json(document())).get('/asyncapi', (c) => c.html(page(title)));
  for (const [name, { file, type }] of Object.entries(assets)) {
    routes.get(`${ASSETS_BASE}/${name}`, async (c) => {
      if (!contents.has(file)) contents.set(file, readFile(path.join(directory, file)));
      const body = await contents.get(file)!;
      return c.body(new Uint8Array(body), 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
    });
  }
  return routes;
}
