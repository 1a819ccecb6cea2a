import { serviceRegistry } from '../../libraries/config/services';
import { patientStatuses } from '../../libraries/events/patients';
import { defineEntity } from '../../libraries/runtime/entity';
import { patientView } from './read-schema';
import { patients } from './write-schema';

/** The patient as the entity kit sees it: its tables, its events and its name. */
export const patientEntity = defineEntity({
  names: { one: 'patient', many: 'patients' },
  sourceService: serviceRegistry.patients.source,
  statuses: patientStatuses,
  table: patients,
  view: patientView,
  events: { registered: 'PatientRegistered', updated: 'PatientUpdated', deactivated: 'PatientDeactivated' },
  snapshotId: 'patientId',
});
