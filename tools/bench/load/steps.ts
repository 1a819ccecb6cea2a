import { judge } from './verdict';
import { runWindow, type WindowContext, type WindowOptions, type WindowResult } from './window';

export interface StepOutcome {
  windows: WindowResult[];
  /** The highest rate that held (p99 ≤ 1 s, no backlog), if any. */
  knee: WindowResult | undefined;
  stopReason: string;
}

/** Pause between steps, so the events a step leaves behind (hold confirmations, records) are not the next step's load. */
const SETTLE_MS = 3000;

/** Step mode: one window per rate, rising, until a rate does not hold; the last one that held is the knee. */
export async function runSteps(
  rates: number[],
  base: Omit<WindowOptions, 'ratePerSecond' | 'label'>,
  context: WindowContext,
): Promise<StepOutcome> {
  const windows: WindowResult[] = [];
  let knee: WindowResult | undefined;
  for (const rate of [...rates].sort((a, b) => a - b)) {
    context.log(`step: ${rate} sagas/s for ${base.durationMs / 1000} s`);
    const window = await runWindow({ ...base, ratePerSecond: rate, label: `step${rate}` }, context);
    windows.push(window);
    const verdict = judge(window);
    context.log(
      `  ${window.sagasPerSecond}/s completed, p50 ${window.latencyMs.p50} ms, p99 ${window.latencyMs.p99} ms, machine CPU ${window.resources.machineCpuPercent} %: ${verdict.sustained ? 'held' : verdict.reasons.join('; ')}`,
    );
    if (!verdict.sustained) return { windows, knee, stopReason: `${rate}/s did not hold: ${verdict.reasons.join('; ')}` };
    knee = window;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  }
  return { windows, knee, stopReason: `every step held, up to ${knee?.ratePerSecond}/s: add higher --step-rates` };
}
