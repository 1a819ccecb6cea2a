import { matchesText } from '../../db/like';
import { entityQueries } from '../../runtime/entity';
import { patientEntity } from './entity';
import { patientView } from './read-schema';

/** This instance's read model: `name` matches a case-insensitive part of the name. */
export const patientQueries = entityQueries(patientEntity, {
  sortBy: patientView.name,
  matching: ({ name }: { name?: string | undefined }) => [name ? matchesText(patientView.name, name) : undefined],
});
