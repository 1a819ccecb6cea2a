import { isConsultationEvent } from '../../events/catalog';
import type { Database } from '../../db/pool';
import { upsertIfNewer } from '../../db/upsert';
import type { TransactionalHandler } from '../../messaging/inbox';
import { consultationView, patientNames, physicianNames } from './read-schema';

/**
 * Keeps this instance's consultation_view current from consultation events,
 * and the names it shows from patient and physician events. Every event
 * carries a versioned snapshot, so older or repeated ones change nothing.
 */
export const schedulingProjection: TransactionalHandler<Database> = async (event, tx) => {
  if (isConsultationEvent(event)) {
    const { consultationId, startsAt, endsAt, updatedAt, ...rest } = event.payload;
    await upsertIfNewer(
      tx,
      consultationView,
      { id: consultationId, ...rest, startsAt: new Date(startsAt), endsAt: new Date(endsAt), updatedAt: new Date(updatedAt) },
      { id: consultationView.id, version: consultationView.version },
    );
    return;
  }
  switch (event.eventType) {
    case 'PatientRegistered':
    case 'PatientUpdated':
    case 'PatientDeactivated': {
      const { patientId, name, version } = event.payload;
      await upsertIfNewer(tx, patientNames, { id: patientId, name, version }, { id: patientNames.id, version: patientNames.version });
      return;
    }
    case 'PhysicianRegistered':
    case 'PhysicianUpdated':
    case 'PhysicianDeactivated': {
      const { physicianId, name, specialty, version } = event.payload;
      await upsertIfNewer(
        tx,
        physicianNames,
        { id: physicianId, name, specialty, version },
        { id: physicianNames.id, version: physicianNames.version },
      );
      return;
    }
    default:
      return;
  }
};
