/**
 * CPU time and memory of processes, and of the whole machine, read from
 * /proc (Linux). CPU is sampled at the start and the end of a window; the
 * difference over the wall time is the share of one core the process used.
 */
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

/** Clock ticks per second for /proc/<pid>/stat times (USER_HZ: 100 on Linux everywhere that matters). */
const TICKS_PER_SECOND = 100;

export interface ProcessSample {
  cpuSeconds: number;
  rssBytes: number;
  peakRssBytes: number;
}

/** utime + stime and (unless told not to) resident memory of one process, or undefined if it is gone. */
export async function sampleProcess(pid: number, memory = true): Promise<ProcessSample | undefined> {
  try {
    // Synchronous: a /proc read takes microseconds, and the promise machinery of an async one
    // costs the bench more CPU than the reading itself, once a second for every process.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const status = memory ? readFileSync(`/proc/${pid}/status`, 'utf8') : '';
    // The command name (field 2) may hold spaces and parentheses: fields after its last ')' are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // fields 14 (utime) and 15 (stime), 1-based
    const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { cpuSeconds: ticks / TICKS_PER_SECOND, rssBytes: kib('VmRSS'), peakRssBytes: kib('VmHWM') };
  } catch {
    return undefined;
  }
}

export interface MachineSample {
  busyTicks: number;
  totalTicks: number;
}

/** The machine's aggregate CPU counters (first line of /proc/stat). */
export async function sampleMachine(): Promise<MachineSample> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busyTicks: busy, totalTicks: busy + idle! + iowait! };
}

/** Pids whose command name (/proc/<pid>/comm) is one of the given names, e.g. beam.smp or postgres. */
export async function pidsByCommand(names: string[]): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = (await readFile(`/proc/${entry}/comm`, 'utf8')).trim();
      if (names.includes(comm)) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}
