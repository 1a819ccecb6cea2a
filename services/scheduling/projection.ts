import { isConsultationEvent } from '../../libraries/events/catalog';
import type { Database } from '../../libraries/db/pool';
import { upsertIfNewerStatement } from '../../libraries/db/upsert';
import type { Projection } from '../../libraries/messaging/inbox';
import { consultationView, patientNames, physicianNames } from './read-schema';

/**
 * Keeps this instance's consultation_view current from consultation events,
 * and the names it shows from patient and physician events. Every event
 * carries a versioned snapshot, so older or repeated ones change nothing:
 * each is one upsert, sent with its inbox claim as one statement.
 */
export const schedulingProjection: Projection<Database> = {
  statement: (event, db, fresh) => {
    if (isConsultationEvent(event)) {
      const { consultationId, startsAt, endsAt, updatedAt, ...rest } = event.payload;
      return upsertIfNewerStatement(
        db,
        consultationView,
        { id: consultationId, ...rest, startsAt: new Date(startsAt), endsAt: new Date(endsAt), updatedAt: new Date(updatedAt) },
        { id: consultationView.id, version: consultationView.version },
        fresh,
      );
    }
    switch (event.eventType) {
      case 'PatientRegistered':
      case 'PatientUpdated':
      case 'PatientDeactivated': {
        const { patientId, name, version } = event.payload;
        return upsertIfNewerStatement(
          db,
          patientNames,
          { id: patientId, name, version },
          { id: patientNames.id, version: patientNames.version },
          fresh,
        );
      }
      case 'PhysicianRegistered':
      case 'PhysicianUpdated':
      case 'PhysicianDeactivated': {
        const { physicianId, name, specialty, version } = event.payload;
        return upsertIfNewerStatement(
          db,
          physicianNames,
          { id: physicianId, name, specialty, version },
          { id: physicianNames.id, version: physicianNames.version },
          fresh,
        );
      }
      default:
        return undefined;
    }
  },
};
