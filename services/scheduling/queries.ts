import { versionOf } from '../../libraries/db/version-of';
import { reaches, type ConsistencyToken } from '../../libraries/http/consistency';
import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { ConsultationStatus } from '../../libraries/events/consultations';
import type { Database } from '../../libraries/db/pool';
import { findConsultation } from './consultations';
import { consultationView, patientNames, physicianNames } from './read-schema';

const columns = {
  id: consultationView.id,
  patientId: consultationView.patientId,
  patientName: patientNames.name,
  physicianId: consultationView.physicianId,
  physicianName: physicianNames.name,
  physicianSpecialty: physicianNames.specialty,
  startsAt: consultationView.startsAt,
  durationMinutes: consultationView.durationMinutes,
  reason: consultationView.reason,
  status: consultationView.status,
  statusReason: consultationView.statusReason,
  updatedAt: consultationView.updatedAt,
};

const view = (db: Database) =>
  db
    .select(columns)
    .from(consultationView)
    .leftJoin(patientNames, eq(patientNames.id, consultationView.patientId))
    .leftJoin(physicianNames, eq(physicianNames.id, consultationView.physicianId));

export type ConsultationViewRow = Awaited<ReturnType<ReturnType<typeof view>['execute']>>[number];

export async function findConsultationView(db: Database, id: string): Promise<ConsultationViewRow | undefined> {
  const [row] = await view(db).where(eq(consultationView.id, id));
  return row;
}

export async function listConsultationViews(
  db: Database,
  filter: { patientId?: string | undefined; physicianId?: string | undefined; status?: ConsultationStatus | undefined },
): Promise<ConsultationViewRow[]> {
  const conditions: SQL[] = [];
  if (filter.patientId) conditions.push(eq(consultationView.patientId, filter.patientId));
  if (filter.physicianId) conditions.push(eq(consultationView.physicianId, filter.physicianId));
  if (filter.status) conditions.push(eq(consultationView.status, filter.status));
  return view(db)
    .where(and(...conditions))
    .orderBy(asc(consultationView.startsAt), asc(consultationView.id))
    .limit(500);
}

/** The names this instance knows, for answers built from the write model. */
export async function namesFor(db: Database, patientId: string, physicianId: string) {
  const [patient] = await db.select().from(patientNames).where(eq(patientNames.id, patientId));
  const [physician] = await db.select().from(physicianNames).where(eq(physicianNames.id, physicianId));
  return { patientName: patient?.name ?? null, physicianName: physician?.name ?? null, physicianSpecialty: physician?.specialty ?? null };
}

export function toConsultationResource(row: ConsultationViewRow) {
  return { ...row, startsAt: row.startsAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

/**
 * Whether scheduling will ever show the token's version of a consultation:
 * its write model has reached it, or (a booking's first token, version 1) a
 * saga was started whose first step has not written it yet. Anything else
 * (an unknown id, a version not written, another resource's token) never.
 */
export async function consultationReachable(
  write: Database,
  sagaStarted: (consultationId: string) => Promise<boolean>,
  token: ConsistencyToken,
): Promise<boolean> {
  const written = await findConsultation(write, token.id);
  if (written) return reaches(written.version, token);
  return token.version === 1 && sagaStarted(token.id);
}

/** Whether this instance's read model shows the consultation at the token's version or later. */
export async function viewShows(db: Database, token: ConsistencyToken): Promise<boolean> {
  return reaches(await versionOf(db, { key: consultationView.id, version: consultationView.version }, token.id), token);
}
