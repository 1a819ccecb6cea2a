import type { Database } from '../libraries/db/pool';
import type { ConfirmedPublisher } from '../libraries/messaging/broker';
import { consultationActivities } from './consultations';
import { failFastOnBadData } from './failures';
import { publishingActivities } from './publishing';

export interface ActivityDependencies {
  /** The scheduling write database. */
  db: Database;
  publisher: ConfirmedPublisher;
}

/** Every activity the saga worker hosts, bound to its dependencies; a failure caused by the data is not retried. */
export function createActivities({ db, publisher }: ActivityDependencies) {
  return failFastOnBadData({ ...consultationActivities(db, publisher), ...publishingActivities(publisher) });
}

export type SagaActivities = ReturnType<typeof createActivities>;
