import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneInbox } from '../../libraries/messaging/inbox-retention';
import { createTestDatabase, type TestDatabase } from '../support/database';

describe('inbox retention', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('inbox_retention');
  });
  afterAll(async () => {
    await database?.remove();
  });

  it('forgets only the event ids older than the cut-off, in batches', async () => {
    const insert = (ageHours: number, count: number) =>
      database.pool.query(
        `INSERT INTO messaging_inbox (consumer, event_id, event_type, processed_at)
         SELECT 'q', gen_random_uuid(), 'PatientRegistered', now() - make_interval(hours => $1) FROM generate_series(1, $2)`,
        [ageHours, count],
      );
    await insert(24 * 10, 25);
    await insert(1, 7);
    const forgotten = await pruneInbox(database.db, new Date(Date.now() - 24 * 7 * 3_600_000), 10);
    expect(forgotten).toBe(25);
    const { rows } = await database.pool.query('SELECT count(*)::int AS n FROM messaging_inbox');
    expect(rows[0].n).toBe(7);
  });
});
