/**
 * The fault matrix: `npm run chaos -- --quick`. Launches HAP as `npm start`
 * does, isolated, drives a clinic's load through it, injects each fault in
 * turn, repairs it and measures the recovery, then counts what was lost
 * once the system drained. Prints the table, writes chaos-results/<time>.json
 * and exits 1 unless everything held. `--help` lists the options.
 */
import path from 'node:path';
import { loadConfig } from '../config/env';
import { Cleanup } from '../harness/cleanup';
import { REPO_ROOT } from '../toolchain/temporal-binaries';
import { parseOptions, usage } from './options';
import { formatReport, writeReport } from './report';
import { runChaos, scenarioNames } from './run';

const log = (line: string) => console.log(`• ${line}`);
const stamp = new Date()
  .toISOString()
  .replace(/\.\d+Z$/, 'Z')
  .replace(/:/g, '-');

const options = parseOptions(process.argv.slice(2));
if (options.help || options.list) {
  console.log(options.help ? usage : scenarioNames(REPO_ROOT).join('\n'));
  process.exit(0);
}
const cleanup = new Cleanup(log);
cleanup.onSignals();
const started = Date.now();
try {
  const outDir = path.resolve(REPO_ROOT, options.outDir);
  const logDir = path.join(outDir, `${stamp}-logs`);
  log(`launching HAP as npm start does (logs in ${path.relative(REPO_ROOT, logDir)})`);
  const result = await runChaos(options, { config: loadConfig(process.env), repoRoot: REPO_ROOT, logDir, cleanup, log });
  console.log(`\n${formatReport(result)}`);
  const written = await writeReport(result, outDir, stamp);
  console.log(`\nWrote ${path.relative(process.cwd(), written)}`);
  process.exitCode = result.ok ? 0 : 1;
} catch (error) {
  console.error(`✗ chaos run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  log('cleaning up');
  await cleanup.run();
  log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
  process.exit();
}
