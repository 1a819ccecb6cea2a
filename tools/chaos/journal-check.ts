import { databaseName, withClient } from '../../libraries/db/database';
import type { Journal } from './load/journal';

export interface JournalCheck {
  /** Something the system accepted that did not happen: a booking never recorded, a cancellation that did not cancel, a record or a patient missing. */
  lost: { what: string; why: string }[];
  /** Something that happened twice for one accepted request: two patients for one registration, two records for one creation. */
  doubled: { what: string; why: string }[];
}

/** Holds the write databases to what the driver's accepted requests promised. */
export async function checkJournal(journal: Journal, options: { pgUrl: string; prefix: string }): Promise<JournalCheck> {
  const { pgUrl, prefix } = options;
  const rows = <R extends Record<string, unknown>>(service: string, text: string, values: unknown[]) =>
    withClient(pgUrl, databaseName(prefix, service), async (client) => (await client.query<R>(text, values)).rows);
  const lost: JournalCheck['lost'] = [];
  const doubled: JournalCheck['doubled'] = [];

  const status = new Map(
    (
      await rows<{ id: string; status: string }>('scheduling', 'SELECT id, status FROM consultations WHERE id = ANY($1::uuid[])', [
        [...journal.bookings.map((b) => b.consultationId), ...journal.cancellations],
      ])
    ).map(({ id, status }) => [id, status]),
  );
  for (const booking of journal.bookings) {
    const now = status.get(booking.consultationId);
    if (!now) lost.push({ what: `booking ${booking.consultationId}`, why: 'accepted (202) but not in the write model' });
    else if (booking.mustBeRejected && now !== 'REJECTED') {
      lost.push({ what: `booking ${booking.consultationId}`, why: `for an inactive patient, yet ${now}` });
    }
  }
  for (const id of journal.cancellations) {
    if (status.get(id) !== 'CANCELLED')
      lost.push({ what: `cancellation of ${id}`, why: `accepted (202) but the consultation is ${status.get(id)}` });
  }

  /**
   * Each accepted creation is one row: found by a value the load made unique
   * to it (a patient's e-mail, a record's diagnosis), missing is lost, more
   * than one is doubled (and named as `named` says).
   */
  const exactlyOnce = async (
    service: 'patients' | 'records',
    column: string,
    accepted: { id: string; value: string; named: string }[],
    words: { lost: string; doubled: string },
  ) => {
    const found = await rows<{ value: string; count: string }>(
      service,
      `SELECT ${column} AS value, count(*) AS count FROM ${service} WHERE ${column} = ANY($1) GROUP BY ${column}`,
      [accepted.map(({ value }) => value)],
    );
    const counts = new Map(found.map(({ value, count }) => [value, Number(count)]));
    for (const { id, value, named } of accepted) {
      const count = counts.get(value) ?? 0;
      if (count === 0) lost.push({ what: `${service.slice(0, -1)} ${id}`, why: `${words.lost} but not in the write model` });
      if (count > 1) doubled.push({ what: `${service.slice(0, -1)} ${named}`, why: `${count} ${service} for ${words.doubled}` });
    }
  };
  await exactlyOnce(
    'patients',
    'email',
    journal.registrations.map(({ id, email }) => ({ id, value: email, named: email })),
    { lost: 'registered (201)', doubled: 'one registration' },
  );
  await exactlyOnce(
    'records',
    'diagnosis',
    journal.records.map(({ id, diagnosis }) => ({ id, value: diagnosis, named: id })),
    { lost: 'created (201)', doubled: 'one creation' },
  );
  return { lost, doubled };
}
