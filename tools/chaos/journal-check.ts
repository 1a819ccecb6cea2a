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

  /** How many rows of the table have each of the values in the column (the load makes each value unique to one request). */
  const countsBy = async (service: string, table: string, column: string, values: string[]) =>
    new Map(
      (
        await rows<{ value: string; count: string }>(
          service,
          `SELECT ${column} AS value, count(*) AS count FROM ${table} WHERE ${column} = ANY($1) GROUP BY ${column}`,
          [values],
        )
      ).map(({ value, count }) => [value, Number(count)]),
    );
  const patients = await countsBy(
    'patients',
    'patients',
    'email',
    journal.registrations.map((r) => r.email),
  );
  for (const { email, id } of journal.registrations) {
    const count = patients.get(email) ?? 0;
    if (count === 0) lost.push({ what: `patient ${id}`, why: 'registered (201) but not in the write model' });
    if (count > 1) doubled.push({ what: `patient ${email}`, why: `${count} patients for one registration` });
  }

  const records = await countsBy(
    'records',
    'records',
    'diagnosis',
    journal.records.map((r) => r.diagnosis),
  );
  for (const { id, diagnosis } of journal.records) {
    const count = records.get(diagnosis) ?? 0;
    if (count === 0) lost.push({ what: `record ${id}`, why: 'created (201) but not in the write model' });
    if (count > 1) doubled.push({ what: `record ${id}`, why: `${count} records for one creation` });
  }
  return { lost, doubled };
}
