import type { WindowResult } from '../load/window';

const WIDTH = 960;
const HEIGHT = 440;
const MARGIN = { left: 64, right: 24, top: 64, bottom: 48 };
const LEGEND_Y = 40;
const GAP_S = 1;

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** 1, 2, 5 × 10^n at or above value. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(value, 1)));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** 1, 2, 5 × 10^n from min to max. */
function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let power = min; power <= max; power *= 10)
    for (const step of [1, 2, 5]) if (step * power >= min && step * power <= max) ticks.push(step * power);
  return ticks;
}

/**
 * Latency over time, by hand: every saga as a dot at (when its POST was due,
 * how long until SCHEDULED was visible), the p99 of each second's sagas as a
 * line, failures and unfinished sagas as red crosses along the top. In step
 * mode the windows follow each other, each labelled with its rate.
 */
export function latencySvg(windows: WindowResult[], title: string): string {
  const spanS = windows.reduce((sum, w) => sum + w.durationS, 0) + GAP_S * (windows.length - 1);
  const latencies = windows.flatMap((w) => w.points.map((p) => p.latencyMs ?? 0));
  const maxLatency = Math.max(1000, ...latencies);
  const yMax = niceCeiling(maxLatency * 1.05);
  // Steps span orders of magnitude (150 ms at ease, seconds past the knee): a log scale keeps both readable.
  const logScale = windows.length > 1 || maxLatency > 5000;
  const yMin = logScale ? 10 ** Math.floor(Math.log10(Math.max(1, Math.min(...latencies.filter((l) => l > 0), 1000)))) : 0;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (s: number) => MARGIN.left + (s / spanS) * plotW;
  const fraction = (ms: number) => {
    const clamped = Math.min(Math.max(ms, yMin || 0), yMax);
    return logScale ? Math.log10(clamped / yMin) / Math.log10(yMax / yMin) : clamped / yMax;
  };
  const y = (ms: number) => MARGIN.top + plotH - fraction(ms) * plotH;
  const yTicks = logScale ? logTicks(yMin, yMax) : Array.from({ length: 6 }, (_, i) => (yMax / 5) * i);
  const f = (n: number) => n.toFixed(1);
  const parts: string[] = [];

  parts.push(`<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="white"/>`);
  parts.push(`<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${escape(title)}</text>`);
  for (const ms of yTicks) {
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${f(y(ms))}" y2="${f(y(ms))}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${f(y(ms) + 4)}" text-anchor="end" font-size="11">${Math.round(ms)}</text>`);
  }
  if (yMax > 1000 && yMin < 1000) {
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${f(y(1000))}" y2="${f(y(1000))}" stroke="#d62728" stroke-dasharray="6 4"/>`,
    );
    parts.push(`<text x="${WIDTH - MARGIN.right - 4}" y="${f(y(1000) - 4)}" text-anchor="end" font-size="11" fill="#d62728">1 s</text>`);
  }

  let offset = 0;
  for (const window of windows) {
    const at = (s: number) => x(offset + s);
    if (windows.length > 1) {
      parts.push(
        `<line x1="${f(at(0))}" x2="${f(at(0))}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#999" stroke-dasharray="2 3"/>`,
      );
      parts.push(
        `<text x="${f(at(window.durationS / 2))}" y="${MARGIN.top - 6}" text-anchor="middle" font-size="11">${window.ratePerSecond}/s</text>`,
      );
    }
    const tickEvery = niceCeiling(spanS / 12);
    for (let s = 0; s <= window.durationS; s += tickEvery) {
      if (windows.length > 1 && s === 0 && offset > 0) continue;
      parts.push(`<text x="${f(at(s))}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle" font-size="11">${s}</text>`);
    }
    for (const point of window.points) {
      if (point.latencyMs !== undefined && (point.outcome === 'scheduled' || point.outcome === 'cancelled')) {
        parts.push(`<circle cx="${f(at(point.sentAtS))}" cy="${f(y(point.latencyMs))}" r="1.8" fill="#1f77b4" fill-opacity="0.55"/>`);
      } else {
        const cx = at(point.sentAtS);
        const cy = MARGIN.top + 4;
        parts.push(
          `<path d="M${f(cx - 3)} ${f(cy - 3)}L${f(cx + 3)} ${f(cy + 3)}M${f(cx - 3)} ${f(cy + 3)}L${f(cx + 3)} ${f(cy - 3)}" stroke="#d62728" stroke-width="1.2"/>`,
        );
      }
    }
    const line = window.perSecond
      .filter((second) => second.p99Ms > 0)
      .map((second) => `${f(at(second.second + 0.5))},${f(y(second.p99Ms))}`);
    if (line.length > 1) parts.push(`<polyline points="${line.join(' ')}" fill="none" stroke="#ff7f0e" stroke-width="2"/>`);
    offset += window.durationS + GAP_S;
  }

  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  parts.push(
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 10}" text-anchor="middle" font-size="12">time the POST was sent (s from the start of ${windows.length > 1 ? 'each step' : 'the window'})</text>`,
  );
  parts.push(
    `<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle" font-size="12">POST → SCHEDULED visible (ms${logScale ? ', log scale' : ''})</text>`,
  );
  const legendX = MARGIN.left;
  parts.push(
    `<circle cx="${legendX + 3}" cy="${LEGEND_Y - 4}" r="3" fill="#1f77b4"/><text x="${legendX + 10}" y="${LEGEND_Y}" font-size="11">one saga</text>`,
  );
  parts.push(
    `<line x1="${legendX + 72}" x2="${legendX + 92}" y1="${LEGEND_Y - 4}" y2="${LEGEND_Y - 4}" stroke="#ff7f0e" stroke-width="2"/><text x="${legendX + 96}" y="${LEGEND_Y}" font-size="11">p99 of each second</text>`,
  );
  parts.push(
    `<text x="${legendX + 212}" y="${LEGEND_Y}" font-size="11" fill="#d62728">× failed or unfinished (drawn along the top)</text>`,
  );

  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif">\n${parts.join('\n')}\n</svg>\n`;
}
