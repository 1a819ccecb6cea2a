import os from 'node:os';
import { sampleMachine, sampleProcess, type MachineSample, type ProcessSample } from './proc';

/** A process (or a group, like every postgres backend) to account for. */
export interface MonitoredProcess {
  name: string;
  pids: () => Promise<number[]>;
}

export interface ProcessUsage {
  name: string;
  pids: number[];
  /** Share of one core over the window: 100 = one core busy all the time. */
  cpuPercent: number;
  rssMiB: number;
  peakRssMiB: number;
}

export interface ResourceUsage {
  wallSeconds: number;
  cores: number;
  /** Every core together, in the same unit as the processes (so at most cores × 100). */
  machineCpuPercent: number;
  /** Machine CPU not accounted for by the listed processes (kernel, other work on the machine). */
  otherCpuPercent: number;
  processes: ProcessUsage[];
}

type Snapshot = { at: number; machine: MachineSample; processes: Map<string, Map<number, ProcessSample>> };

async function snapshot(targets: MonitoredProcess[], memory: boolean): Promise<Snapshot> {
  const processes = new Map<string, Map<number, ProcessSample>>();
  await Promise.all(
    targets.map(async (target) => {
      const samples = new Map<number, ProcessSample>();
      for (const pid of await target.pids()) {
        const sample = await sampleProcess(pid, memory);
        if (sample) samples.set(pid, sample);
      }
      processes.set(target.name, samples);
    }),
  );
  return { at: performance.now(), machine: await sampleMachine(), processes };
}

/** The same targets with their pids looked up once, for frequent samples that should cost next to nothing. */
export async function withPidsNow(targets: MonitoredProcess[]): Promise<MonitoredProcess[]> {
  return Promise.all(
    targets.map(async (target) => {
      const pids = await target.pids();
      return { name: target.name, pids: async () => pids };
    }),
  );
}

/** CPU time per item (a saga sent) in ms of one core, from a share of one core (100 = one core busy) held for a window. */
export const cpuMsPer = (cpuPercent: number, wallSeconds: number, items: number) =>
  Math.round((cpuPercent * 10 * wallSeconds) / Math.max(1, items));

const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);

/**
 * Samples CPU time and memory now; stop() samples again and returns each
 * process's CPU share over the interval and its memory at the end. A pid
 * that appeared meanwhile counts whole (it started inside the interval).
 */
export async function startMonitoring(
  targets: MonitoredProcess[],
  options: { memory?: boolean } = {},
): Promise<{ stop(): Promise<ResourceUsage> }> {
  const memory = options.memory ?? true;
  const first = await snapshot(targets, memory);
  return {
    async stop() {
      const last = await snapshot(targets, memory);
      const wallSeconds = (last.at - first.at) / 1000;
      const processes = targets.map((target): ProcessUsage => {
        const before = first.processes.get(target.name)!;
        const after = last.processes.get(target.name)!;
        let cpuSeconds = 0;
        let rss = 0;
        let peak = 0;
        for (const [pid, sample] of after) {
          cpuSeconds += sample.cpuSeconds - (before.get(pid)?.cpuSeconds ?? 0);
          rss += sample.rssBytes;
          peak += sample.peakRssBytes;
        }
        return {
          name: target.name,
          pids: [...after.keys()],
          cpuPercent: round1((cpuSeconds / wallSeconds) * 100),
          rssMiB: mib(rss),
          peakRssMiB: mib(peak),
        };
      });
      const machineTicks = last.machine.totalTicks - first.machine.totalTicks;
      const cores = os.cpus().length;
      const machineCpuPercent = round1(((last.machine.busyTicks - first.machine.busyTicks) / machineTicks) * cores * 100);
      const accounted = processes.reduce((sum, usage) => sum + usage.cpuPercent, 0);
      return {
        wallSeconds: round1(wallSeconds),
        cores,
        machineCpuPercent,
        otherCpuPercent: round1(Math.max(0, machineCpuPercent - accounted)),
        processes,
      };
    },
  };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
