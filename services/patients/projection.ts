import type { Database } from '../../libraries/db/pool';
import type { Projection } from '../../libraries/messaging/inbox';
import { entityProjection } from '../../libraries/runtime/entity';
import { patientEntity } from './entity';
import { careRelations } from './read-schema';

const patientViewProjection = entityProjection(patientEntity);

/**
 * Keeps this instance's patient_view current from patient events (older
 * snapshots are ignored), and learns from ConsultationScheduled which
 * physicians see which patient.
 */
export const patientProjection: Projection<Database> = {
  statement: (event, db, fresh) => {
    if (event.eventType === 'ConsultationScheduled') {
      const { patientId, physicianId } = event.payload;
      return db.insert(careRelations).values({ patientId, physicianId }).onConflictDoNothing();
    }
    return patientViewProjection(event, db, fresh);
  },
};
