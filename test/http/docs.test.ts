import { describe, expect, it } from 'vitest';
import { testServiceApp } from '../support/service-app';

const app = await testServiceApp('docs-test', 'Docs test');

describe('/docs', () => {
  it('serves Swagger UI whose script and stylesheet come from this server, not a CDN', async () => {
    const page = await (await app.request('/docs')).text();
    expect(page).toContain('/openapi.json');
    expect(page).not.toMatch(/https?:\/\//);
    const assets = [...page.matchAll(/(?:href|src)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets.sort()).toEqual(['/docs/assets/swagger-ui-dist/swagger-ui-bundle.js', '/docs/assets/swagger-ui-dist/swagger-ui.css']);

    const script = await app.request(assets[0]!);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toContain('SwaggerUIBundle');
    const styles = await app.request(assets[1]!);
    expect(styles.status).toBe(200);
    expect(styles.headers.get('content-type')).toMatch(/^text\/css/);
  });

  it('answers 404 in the API error shape for anything else under /docs/assets', async () => {
    const response = await app.request('/docs/assets/swagger-ui-dist/index.html');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});
