import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatTable } from '../harness/table';
import type { ChaosResult } from './run';

/** The run as people read it: one row per scenario, then the totals the accounting counted. */
export function formatReport(result: ChaosResult): string {
  const rows = result.scenarios.map((scenario) => ({
    scenario: scenario.name,
    requests: scenario.requests,
    'client errors': scenario.clientErrors,
    'gave up': scenario.gaveUp,
    'recovery s': scenario.recoverySeconds ?? 'never',
    crashes: scenario.crashes,
    ok: scenario.ok ? '✓' : `✗${scenario.error ? ` ${scenario.error}` : ''}`,
  }));
  const totals = Object.entries(result.totals).map(([total, value]) => ({ total, value }));
  return [
    formatTable(rows),
    '',
    ...(result.skipped.length > 0 ? ['Skipped:', ...result.skipped.map(({ name, why }) => `  ${name}: ${why}`), ''] : []),
    `Accounting after the system drained (${result.drainSeconds} s), from the databases, the broker and Temporal:`,
    formatTable(totals),
    '',
    result.ok
      ? 'ok: every scenario recovered, and every total but accepted is 0'
      : 'NOT ok: see the scenarios and totals above, and findings in the JSON',
  ].join('\n');
}

export async function writeReport(result: ChaosResult, outDir: string, stamp: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, `${stamp}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}
