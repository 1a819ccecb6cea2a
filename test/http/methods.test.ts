import { describe, expect, it } from 'vitest';
import { testServiceApp } from '../support/service-app';

describe('service instances refuse methods no route serves', () => {
  it('answers PROPFIND with 405, Allow and the error shape, on any path', async () => {
    const app = await testServiceApp('methods-test');
    for (const path of ['/health', '/patients', '/nowhere']) {
      const response = await app.request(path, { method: 'PROPFIND' });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('METHOD_NOT_ALLOWED');
    }
  });
});
