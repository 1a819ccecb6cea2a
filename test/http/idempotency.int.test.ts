import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../../libraries/http/errors';
import { idempotentCommands, pruneIdempotencyKeys, requestFingerprint, respond } from '../../libraries/http/idempotency';
import { addIdempotencyKeyParameter } from '../../libraries/http/idempotency-openapi';
import { idempotencyMigrations } from '../../libraries/http/idempotency-migrations';
import { silentLogger } from '../../libraries/observability/logging/logger';
import { createTestDatabase, type TestDatabase } from '../support/database';

describe('idempotentCommands', () => {
  let database: TestDatabase;
  let app: Hono;
  let runs = 0;
  let failAfterWriting = false;

  beforeAll(async () => {
    database = await createTestDatabase('http-idempotency', [idempotencyMigrations]);
    await database.db.execute(sql`CREATE TABLE effects (id serial PRIMARY KEY, note text)`);
    const once = idempotentCommands(database);
    app = new Hono();
    app.onError(errorHandler(silentLogger));
    app.post('/things', async (c) => {
      const body = await c.req.json<{ note: string }>();
      const answer = await once(c, body, async (db) =>
        db.transaction(async (tx) => {
          runs++;
          const result = await tx.execute<{ id: number }>(sql`INSERT INTO effects (note) VALUES (${body.note}) RETURNING id`);
          await new Promise((resolve) => setTimeout(resolve, 50));
          if (failAfterWriting) throw new Error('crashed after writing');
          return {
            status: 201 as const,
            body: { id: result.rows[0]!.id, note: body.note },
            headers: { Location: `/things/${result.rows[0]!.id}` },
          };
        }),
      );
      return respond(c, answer);
    });
  });
  afterAll(async () => database?.remove());

  const post = async (body: unknown, key?: string): Promise<Response> =>
    await app.request('/things', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...(key ? { 'Idempotency-Key': key } : {}) },
    });
  const effects = async () => Number((await database.db.execute<{ n: string }>(sql`SELECT count(*) AS n FROM effects`)).rows[0]!.n);

  it('runs a command once per key and replays its answer byte for byte', async () => {
    const before = runs;
    const first = await post({ note: 'a' }, 'k1');
    const again = await post({ note: 'a' }, 'k1');
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(await again.text()).toBe(await first.text());
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(runs - before).toBe(1);
  });

  it('makes a concurrent duplicate wait for the first and answers it the same, with one effect', async () => {
    const before = await effects();
    const answers = await Promise.all(Array.from({ length: 8 }, () => post({ note: 'b' }, 'k2')));
    const bodies = await Promise.all(answers.map((answer) => answer.text()));
    expect(new Set(bodies).size).toBe(1);
    expect((await effects()) - before).toBe(1);
  });

  it('keeps neither the effect nor the key when the command fails, so a retry runs it', async () => {
    const before = await effects();
    failAfterWriting = true;
    expect((await post({ note: 'c' }, 'k3')).status).toBe(500);
    failAfterWriting = false;
    expect(await effects()).toBe(before);
    const retry = await post({ note: 'c' }, 'k3');
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect((await effects()) - before).toBe(1);
  });

  it('answers 422 for the key reused with another body', async () => {
    await post({ note: 'd' }, 'k4');
    const reused = await post({ note: 'e' }, 'k4');
    expect(reused.status).toBe(422);
    expect(((await reused.json()) as { error: { code: string } }).error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('prunes keys older than the retention window, and then runs the command again', async () => {
    await post({ note: 'f' }, 'k5');
    await database.db.execute(sql`UPDATE http_idempotency SET created_at = now() - interval '3 days' WHERE key = 'k5'`);
    expect(await pruneIdempotencyKeys(database.db, new Date(Date.now() - 48 * 3_600_000))).toBe(1);
    const before = await effects();
    expect((await post({ note: 'f' }, 'k5')).headers.get('idempotent-replayed')).toBeNull();
    expect((await effects()) - before).toBe(1);
  });
});

describe('requestFingerprint', () => {
  it('ignores key order and undefined fields, not the method, path or values', () => {
    const base = requestFingerprint('POST', '/p', { a: 1, b: { c: [1, 2], d: null } });
    expect(requestFingerprint('post', '/p', { b: { d: null, c: [1, 2] }, a: 1, e: undefined })).toBe(base);
    expect(requestFingerprint('POST', '/q', { a: 1, b: { c: [1, 2], d: null } })).not.toBe(base);
    expect(requestFingerprint('POST', '/p', { a: 1, b: { c: [2, 1], d: null } })).not.toBe(base);
  });
});

describe('addIdempotencyKeyParameter', () => {
  it('adds the header to every POST once, and to nothing else', () => {
    const document = addIdempotencyKeyParameter({
      paths: {
        '/a': { post: {}, get: {} },
        '/b': { post: { parameters: [{ name: 'idempotency-key', in: 'header' }] } },
      },
    });
    expect(document.paths!['/a']!.post!.parameters).toEqual([
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }),
    ]);
    expect(document.paths!['/a']!.get!.parameters).toBeUndefined();
    expect(document.paths!['/b']!.post!.parameters).toHaveLength(1);
  });
});
