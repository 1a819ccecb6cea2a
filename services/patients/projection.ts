import { upsertIfNewer } from '../../db/upsert';
import type { TransactionalHandler } from '../../messaging/inbox';
import type { Database } from '../../db/pool';
import { patientView } from './read-schema';

/** Keeps this instance's patient_view current from patient events; older snapshots are ignored. */
export const patientProjection: TransactionalHandler<Database> = async (event, tx) => {
  switch (event.eventType) {
    case 'PatientRegistered':
    case 'PatientUpdated':
    case 'PatientDeactivated': {
      const { patientId, createdAt, updatedAt, ...rest } = event.payload;
      await upsertIfNewer(
        tx,
        patientView,
        { id: patientId, ...rest, createdAt: new Date(createdAt), updatedAt: new Date(updatedAt) },
        { id: patientView.id, version: patientView.version },
      );
      return;
    }
    default:
      return; // the queue hears patient.* only; anything else is not ours to project
  }
};
