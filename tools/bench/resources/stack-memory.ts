import { readFile } from 'node:fs/promises';
import type { MonitoredProcess } from './monitor';

/** The processes that are the running system, not the instrument measuring it. */
const notTheStack = new Set(['bench (driver)']);

/**
 * The memory the whole stack holds: every HAP process, Temporal, RabbitMQ and
 * PostgreSQL, in MiB. Each process counts its proportional set size
 * (/proc/<pid>/smaps_rollup Pss), where a shared page is split among the
 * processes that map it, so PostgreSQL's shared buffers count once however
 * many backends map them, where summing RSS would count them per backend.
 */
export async function stackMemoryMiB(targets: MonitoredProcess[]): Promise<number> {
  let kib = 0;
  for (const target of targets) {
    if (notTheStack.has(target.name)) continue;
    for (const pid of await target.pids()) kib += await pssKiB(pid);
  }
  return Math.round(kib / 1024);
}

async function pssKiB(pid: number): Promise<number> {
  try {
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
    return Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
  } catch {
    return 0; // gone meanwhile
  }
}
