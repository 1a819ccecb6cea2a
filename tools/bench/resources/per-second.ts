import { startMonitoring, withPidsNow, type MonitoredProcess, type ResourceUsage } from './monitor';

/**
 * CPU of the machine and the processes over each second, to tell a latency
 * bump caused by the system from one caused by other work on the machine.
 * The pids are looked up once, and memory is not read, to keep it cheap.
 */
export async function sampleEverySecond(
  targets: MonitoredProcess[],
  onTick: () => void = () => {},
): Promise<{ stop(): Promise<ResourceUsage[]> }> {
  const fixed = await withPidsNow(targets);
  const seconds: Promise<ResourceUsage>[] = [];
  let current = startMonitoring(fixed, { memory: false });
  const timer = setInterval(() => {
    onTick();
    const ending = current;
    current = startMonitoring(fixed, { memory: false });
    seconds.push(ending.then((monitor) => monitor.stop()));
  }, 1000);
  return {
    stop: async () => {
      clearInterval(timer);
      // The last, partial second too.
      seconds.push(current.then((monitor) => monitor.stop()));
      return Promise.all(seconds);
    },
  };
}
