import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../libraries/config/env';
import { eventTypes } from '../../libraries/events/catalog';
import { createGatewayApp } from '../../gateway/app';
import { silentLogger } from '../../libraries/observability/logging/logger';
import { noTelemetry } from '../../libraries/observability/telemetry';
import { testVerifier } from '../support/tokens';

describe('the gateway serves the AsyncAPI document and its page, without a token', () => {
  const gateway = async () => createGatewayApp(loadConfig({}), silentLogger, await testVerifier(), noTelemetry('gateway'));

  it('GET /asyncapi.json lists every event type of the catalog', async () => {
    const response = await (await gateway()).request('/asyncapi.json');
    expect(response.status).toBe(200);
    const document = (await response.json()) as { asyncapi: string; components: { messages: Record<string, unknown> } };
    expect(document.asyncapi).toBe('3.0.0');
    expect(Object.keys(document.components.messages).sort()).toEqual([...eventTypes].sort());
  });

  it('GET /asyncapi renders it with scripts and styles served from here, not from the internet', async () => {
    const app = await gateway();
    const page = await app.request('/asyncapi');
    expect(page.status).toBe(200);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets.length).toBe(2);
    for (const asset of assets) {
      expect(asset.startsWith('/asyncapi/assets/')).toBe(true);
      const response = await app.request(asset);
      expect(response.status, asset).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
    }
    expect(html).toContain("url: '/asyncapi.json'");
  });
});
