import type { WindowResult } from './window';

/** p99 at most this, and no backlog, to count a rate as sustained (issue 7). */
export const P99_LIMIT_MS = 1000;
/** Completions below this share of the arrival rate mean a backlog is growing. */
export const MIN_COMPLETION_RATIO = 0.9;
/** More failed sagas than this share is not a sustained rate either. */
export const MAX_FAILED_RATIO = 0.01;

export interface Verdict {
  sustained: boolean;
  /** Why not, in words; empty when sustained. */
  reasons: string[];
}

export function judge(window: WindowResult): Verdict {
  const reasons: string[] = [];
  if (window.latencyMs.p99 > P99_LIMIT_MS) reasons.push(`p99 ${window.latencyMs.p99} ms > ${P99_LIMIT_MS} ms`);
  if (window.sagasPerSecond < MIN_COMPLETION_RATIO * window.ratePerSecond)
    reasons.push(
      `completions ${window.sagasPerSecond}/s < ${MIN_COMPLETION_RATIO * 100} % of ${window.ratePerSecond}/s arriving (backlog)`,
    );
  if (window.unfinished > 0) reasons.push(`${window.unfinished} unfinished after the drain`);
  const failed = window.errors + window.rejected;
  if (failed > MAX_FAILED_RATIO * window.sent) reasons.push(`${failed} failed`);
  return { sustained: reasons.length === 0, reasons };
}
