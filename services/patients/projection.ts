import { entityProjection } from '../../runtime/entity';
import { patientEntity } from './entity';

/** Keeps this instance's patient_view current from patient events; older snapshots are ignored. */
export const patientProjection = entityProjection(patientEntity);
