/**
 * The fault matrix: `npm run chaos -- --quick`. Launches HAP as `npm start`
 * does, isolated, drives a clinic's load through it, injects each fault in
 * turn, repairs it and measures the recovery, then counts what was lost
 * once the system drained. Prints the table, writes chaos-results/<time>.json
 * and exits 1 unless everything held. `--help` lists the options.
 */
import path from 'node:path';
import { loadConfig } from '../../libraries/config/env';
import { runStamp, runTool } from '../harness/tool-run';
import { REPO_ROOT } from '../toolchain/temporal-binaries';
import { parseOptions, usage } from './options';
import { formatReport, writeReport } from './report';
import { runChaos, scenarioNames } from './run';

const log = (line: string) => console.log(`• ${line}`);
const stamp = runStamp();

const options = parseOptions(process.argv.slice(2));
if (options.help || options.list) {
  console.log(options.help ? usage : scenarioNames(REPO_ROOT).join('\n'));
  process.exit(0);
}
const known = scenarioNames(REPO_ROOT).map((line) => line.split(':')[0]!);
const unknown = [...options.only, ...options.skip].filter((pattern) => !known.some((name) => name.startsWith(pattern)));
if (unknown.length > 0) {
  console.error(`✗ no scenario is named ${unknown.join(', ')}; npm run chaos -- --list names them`);
  process.exit(2);
}
await runTool('chaos run', log, async (cleanup) => {
  const outDir = path.resolve(REPO_ROOT, options.outDir);
  const logDir = path.join(outDir, `${stamp}-logs`);
  log(`launching HAP as npm start does (logs in ${path.relative(REPO_ROOT, logDir)})`);
  const result = await runChaos(options, { config: loadConfig(process.env), repoRoot: REPO_ROOT, logDir, cleanup, log });
  console.log(`\n${formatReport(result)}`);
  const written = await writeReport(result, outDir, stamp);
  console.log(`\nWrote ${path.relative(process.cwd(), written)}`);
  return result.ok ? 0 : 1;
});
