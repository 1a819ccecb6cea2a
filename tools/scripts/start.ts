/**
 * `npm start`: the whole of HAP on this machine with working defaults —
 * the Temporal dev server (state in .data/, Web UI on), databases and
 * migrations, broker topology, two instances of each service, the saga
 * worker, the bridge and the gateway. Output is prefixed by process and kept
 * in logs/<process>.log. Ctrl-C or SIGTERM stops everything.
 */
import path from 'node:path';
import { instancePort, loadConfig } from '../../libraries/config/env';
import { launchSystem } from '../launcher/launch';
import { defaultPlanOptions, systemPlan } from '../launcher/plan';
import { PrerequisiteError } from '../toolchain/prerequisites';
import { REPO_ROOT } from '../toolchain/temporal-binaries';

const config = loadConfig();
const step = (line: string) => console.log(`• ${line}`);

function table(uiUrl: string): void {
  const rows = systemPlan(config).map((spec) => ({
    process: spec.name,
    instance: spec.env.INSTANCE_ID ?? '',
    url: spec.url,
  }));
  rows.push({ process: 'Temporal frontend', instance: '', url: config.TEMPORAL_ADDRESS });
  rows.push({ process: 'Temporal Web UI', instance: '', url: uiUrl });
  rows.push({ process: 'RabbitMQ', instance: '', url: config.AMQP_URL.replace(/\/\/[^@]*@/, '//') });
  rows.push({ process: 'PostgreSQL', instance: '', url: `${config.PG_URL} (databases ${config.DB_PREFIX}_*)` });
  console.table(rows);
}

async function main(): Promise<void> {
  const gateway = `http://127.0.0.1:${instancePort(config, 'gateway')}`;
  if (await answers(`${gateway}/health`)) {
    console.log(`HAP is already running (the gateway answers at ${gateway}):\n`);
    table(`http://127.0.0.1:${config.TEMPORAL_UI_PORT}`);
    return;
  }

  const system = await launchSystem({
    config,
    plan: defaultPlanOptions,
    logDir: path.join(REPO_ROOT, 'logs'),
    echo: (line) => console.log(line),
    progress: step,
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping every process…`);
    await system.stop();
    console.log('stopped.');
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGHUP', () => void stop('SIGHUP'));

  console.log(`\nHAP is up. Try: curl ${gateway}/health\n`);
  table(system.temporal?.uiUrl ?? `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`);
  console.log('\nCtrl-C stops everything.\n');
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof PrerequisiteError ? `✗ ${error.message}` : error);
  process.exit(1);
});
