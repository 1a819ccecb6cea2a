import type { Scenario } from '../scenario';
import type { StallingProxy } from '../stalling-proxy';
import { rabbitmqConnectionKill, rabbitmqRestart } from './broker';
import { deployWithSagasInFlight } from './deploy';
import { duplicateBurst } from './duplicates';
import { poisonMessages } from './poison';
import { partition } from './partition';
import { postgresAway, postgresRestart } from './postgres';
import { processKills } from './process-kills';
import { temporalRestart } from './temporal';

export { ensurePostgresRuns } from './postgres';

/** The whole matrix, in the order it runs: processes first, then the servers, then bad traffic, then the deploy. */
export function allScenarios(options: {
  instanceNames: readonly string[];
  partitioned: string;
  proxy: () => StallingProxy | undefined;
  pgUrl: () => string;
  repoRoot: string;
  buildDir: string;
}): Scenario[] {
  return [
    ...processKills(options.instanceNames),
    rabbitmqConnectionKill,
    rabbitmqRestart,
    partition(options.partitioned, options.proxy),
    postgresRestart(options.pgUrl),
    postgresAway(options.pgUrl),
    temporalRestart,
    duplicateBurst,
    poisonMessages,
    deployWithSagasInFlight(options.repoRoot, options.buildDir),
  ];
}
