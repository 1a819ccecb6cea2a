import { serviceNames, type ServiceName } from '../../libraries/config/services';
import { databaseName, withClient } from '../../libraries/db/database';

/**
 * What the fault matrix counts at the end of a run, read from the
 * databases themselves, never from logs: an operator's audit of the whole
 * system, so it reads every service's tables by name, as the superuser of
 * PG_URL, and belongs to no service.
 */
export interface Ledger {
  /** Consultations still PENDING or CANCELLATION_REQUESTED: a saga that never ended. */
  unfinished: string[];
  /** Pairs of CONFIRMED slots of one physician whose times overlap. */
  doubleBookings: [string, string][];
  /** A SCHEDULED or DONE consultation without exactly one CONFIRMED slot, a REJECTED or CANCELLED one that still takes time, or a CANCELLED one with a record not VOIDED. */
  lostEffects: { consultationId: string; why: string }[];
  /** Rows of an instance's read view that differ from the write model (missing, other status, other version). */
  readModelMismatches: { service: ServiceName; instance: string; id: string; why: string }[];
}

export const isClean = (ledger: Ledger) =>
  ledger.unfinished.length + ledger.doubleBookings.length + ledger.lostEffects.length + ledger.readModelMismatches.length === 0;

/** Each service's view and the write table (of the service that owns the entity) it shows: id, status, version on both sides. */
const entityTables: Record<ServiceName, { owner: ServiceName; write: string; view: string }> = {
  patients: { owner: 'patients', write: 'patients', view: 'patient_view' },
  physicians: { owner: 'physicians', write: 'physicians', view: 'physician_view' },
  scheduling: { owner: 'scheduling', write: 'consultations', view: 'consultation_view' },
  records: { owner: 'records', write: 'records', view: 'record_view' },
  reporting: { owner: 'scheduling', write: 'consultations', view: 'consultation_facts' },
};

type Row = Record<string, unknown>;

function query<R extends Row>(pgUrl: string, database: string, text: string): Promise<R[]> {
  return withClient(pgUrl, database, async (client) => (await client.query<R>(text)).rows);
}

/** Takes the ledger of the system under DB_PREFIX, whose services run the given instances. */
export async function takeLedger(options: {
  pgUrl: string;
  prefix: string;
  instancesOf: (service: ServiceName) => readonly string[];
}): Promise<Ledger> {
  const { pgUrl, prefix, instancesOf } = options;
  const write = (service: ServiceName) => databaseName(prefix, service);

  const consultations = await query<{ id: string; status: string }>(pgUrl, write('scheduling'), 'SELECT id, status FROM consultations');
  const slots = await query<{ consultation_id: string; status: string }>(
    pgUrl,
    write('physicians'),
    'SELECT consultation_id, status FROM physician_slots',
  );
  const overlapping = await query<{ a: string; b: string }>(
    pgUrl,
    write('physicians'),
    `SELECT a.consultation_id AS a, b.consultation_id AS b FROM physician_slots a JOIN physician_slots b
       ON a.physician_id = b.physician_id AND a.consultation_id < b.consultation_id
      AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
      WHERE a.status = 'CONFIRMED' AND b.status = 'CONFIRMED'`,
  );
  const records = await query<{ id: string; consultation_id: string; status: string }>(
    pgUrl,
    write('records'),
    'SELECT id, consultation_id, status FROM records',
  );

  const slotsOf = new Map<string, string[]>();
  for (const slot of slots) slotsOf.set(slot.consultation_id, [...(slotsOf.get(slot.consultation_id) ?? []), slot.status]);
  const lostEffects: Ledger['lostEffects'] = [];
  for (const { id, status } of consultations) {
    const taken = (slotsOf.get(id) ?? []).filter((slot) => slot === 'HELD' || slot === 'CONFIRMED');
    const confirmed = taken.filter((slot) => slot === 'CONFIRMED').length;
    if ((status === 'SCHEDULED' || status === 'DONE') && !(confirmed === 1 && taken.length === 1)) {
      lostEffects.push({ consultationId: id, why: `${status} with ${confirmed} CONFIRMED of ${taken.length} taken slots` });
    }
    if ((status === 'REJECTED' || status === 'CANCELLED') && taken.length > 0) {
      lostEffects.push({ consultationId: id, why: `${status} but its slot is still ${taken.join(', ')}` });
    }
  }
  const cancelled = new Set(consultations.filter(({ status }) => status === 'CANCELLED').map(({ id }) => id));
  for (const record of records) {
    if (cancelled.has(record.consultation_id) && record.status !== 'VOIDED') {
      lostEffects.push({ consultationId: record.consultation_id, why: `CANCELLED but record ${record.id} is ${record.status}` });
    }
  }

  const readModelMismatches: Ledger['readModelMismatches'] = [];
  for (const service of serviceNames) {
    const { owner, write: table, view } = entityTables[service];
    const truth = await query<{ id: string; status: string; version: number }>(
      pgUrl,
      write(owner),
      `SELECT id, status, version FROM ${table}`,
    );
    for (const instance of instancesOf(service)) {
      const seen = await query<{ id: string; status: string; version: number }>(
        pgUrl,
        databaseName(prefix, service, 'read', instance),
        `SELECT id, status, version FROM ${view}`,
      );
      const byId = new Map(seen.map((row) => [row.id, row]));
      for (const row of truth) {
        const shown = byId.get(row.id);
        const why = !shown
          ? 'missing'
          : shown.status !== row.status
            ? `${shown.status} instead of ${row.status}`
            : // Voiding a record carries no snapshot, so a view keeps the version of the last one it applied.
              shown.version !== row.version && !(service === 'records' && row.status === 'VOIDED')
              ? `version ${shown.version} instead of ${row.version}`
              : undefined;
        if (why) readModelMismatches.push({ service, instance, id: row.id, why });
      }
    }
  }

  return {
    unfinished: consultations.filter(({ status }) => status === 'PENDING' || status === 'CANCELLATION_REQUESTED').map(({ id }) => id),
    doubleBookings: overlapping.map(({ a, b }) => [a, b]),
    lostEffects,
    readModelMismatches,
  };
}
