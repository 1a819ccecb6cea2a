import { judge } from '../load/verdict';
import type { BenchResults } from './results';
import { SETTLE_BEFORE_DEPTHS_MS } from '../../harness/queues';
import { formatTable } from '../../harness/table';
import { cpuMsPer } from '../resources/monitor';

/** The run as tables for the terminal. */
export function formatResults(results: BenchResults): string {
  const out: string[] = [];
  const head = results.windows[0];
  out.push(
    results.mode === 'step'
      ? `\nHAP saga benchmark — step mode, ${head?.durationS ?? 0} s per step, ${results.machine.cores} cores`
      : `\nHAP saga benchmark — ${results.ratePerSecond} sagas/s offered for ${head?.durationS ?? 0} s, ${results.machine.cores} cores`,
  );
  if (results.code)
    out.push(
      `Code: ${results.code.commit}${results.code.dirty.length ? ` with uncommitted changes to ${results.code.dirty.join(', ')}` : ''}.`,
    );
  out.push('Latency: POST /consultations → SCHEDULED visible in a scheduling read model (ms).\n');
  out.push(
    formatTable(
      results.windows.map((w) => ({
        'rate/s': w.ratePerSecond,
        sent: w.sent,
        scheduled: w.completed,
        'sagas/s': w.sagasPerSecond,
        p50: w.latencyMs.p50,
        p95: w.latencyMs.p95,
        p99: w.latencyMs.p99,
        max: w.latencyMs.max,
        '202 p99': w.acceptMs.p99,
        rejected: w.rejected,
        errors: w.errors,
        unfinished: w.unfinished,
        'machine CPU %': w.resources.machineCpuPercent,
        'CPU ms/saga': w.cpuMsPerSaga,
        verdict: judge(w).sustained ? 'sustained' : judge(w).reasons.join('; '),
      })),
    ),
  );
  if (results.mode === 'step') {
    out.push(
      results.knee
        ? `\nKnee: ${results.knee.ratePerSecond} sagas/s offered, ${results.knee.sagasPerSecond}/s completed, p50 ${results.knee.p50} ms, p99 ${results.knee.p99} ms.`
        : '\nKnee: not found — even the first step did not hold.',
    );
    if (results.stopReason) out.push(`Stopped: ${results.stopReason}.`);
  }
  for (const window of results.windows) {
    if (window.cancellation) {
      const c = window.cancellation;
      out.push(
        `Cancellation mix at ${window.ratePerSecond}/s: ${c.completed}/${c.sent} cancelled, POST cancel → CANCELLED visible p50 ${c.latencyMs.p50} ms, p99 ${c.latencyMs.p99} ms.`,
      );
    }
    if (window.syncAnswer) {
      const { answered, latencyMs } = window.syncAnswer;
      out.push(
        `Prefer: wait at ${window.ratePerSecond}/s: ${answered}/${window.sent} answered with the outcome, POST → 201 p50 ${latencyMs.p50} ms, p99 ${latencyMs.p99} ms (the read model showed SCHEDULED at p50 ${window.latencyMs.p50} ms, p99 ${window.latencyMs.p99} ms).`,
      );
    }
    const reasons = Object.entries(window.rejectReasons);
    if (reasons.length) out.push(`Rejected at ${window.ratePerSecond}/s: ${reasons.map(([reason, n]) => `${reason} ×${n}`).join(', ')}.`);
  }

  const broker = results.broker;
  const headline = results.windows.find((w) => w.ratePerSecond === results.ratePerSecond);
  const observer = headline?.observer;
  const rows: { measure: string; value: string }[] = [
    { measure: `sagas/s at ${results.ratePerSecond}/s offered`, value: `${results.sagasPerSecond}` },
  ];
  const ceilings = [
    { result: results.ceiling, ratio: results.ceilingRatio, name: 'bare saga' },
    { result: results.sagaCeiling, ratio: results.sagaCeilingRatio, name: "saga 1's own workflow" },
  ];
  for (const { result: ceiling, ratio, name } of ceilings) {
    if (!ceiling) continue;
    rows.push({
      measure: `workflow ceiling (${name}, ${ceiling.concurrency} in flight, ${ceiling.durationS} s)`,
      value: `${ceiling.sagasPerSecond}/s (p50 ${ceiling.latencyMs.p50} ms, p99 ${ceiling.latencyMs.p99} ms${ceiling.failed ? `, ${ceiling.failed} failed` : ''})`,
    });
    rows.push({ measure: `saga throughput / ceiling (${name})`, value: ratio === null ? '–' : `${(ratio * 100).toFixed(1)} %` });
    const busiest = ceiling.resources?.processes.filter((p) => p.cpuPercent >= 5).sort((a, b) => b.cpuPercent - a.cpuPercent);
    if (ceiling.resources && busiest) {
      rows.push({
        measure: `CPU during that ceiling (% of one core)`,
        value: `${busiest.map((p) => `${p.name} ${p.cpuPercent}`).join(', ')}; machine ${ceiling.resources.machineCpuPercent}`,
      });
    }
  }
  if (broker) {
    rows.push({ measure: 'broker publish with confirms (500 in flight)', value: `${broker.publishConfirmedPerSecond} msg/s` });
    rows.push({ measure: 'broker publish with confirms (one at a time)', value: `${broker.publishConfirmedSequentialPerSecond} msg/s` });
    rows.push({ measure: 'broker consume (no-op handler)', value: `${broker.consumePerSecond} msg/s` });
    rows.push({ measure: 'broker consume with PostgreSQL inbox', value: `${broker.consumeWithInboxPerSecond} msg/s` });
  }
  if (observer) {
    rows.push({
      measure: 'how the bench saw sagas settle',
      value: `${observer.settledFromEvent} by their event and then the read model (${observer.confirmRequestsPerSaga} GET per saga, ${observer.meanConfirmLagMs} ms after the event), ${observer.settledFromLookup} by a lookup; ${observer.failedRequests} failed requests`,
    });
  }
  rows.push(
    { measure: 'CPU per saga, whole machine', value: `${results.cpuMsPerSaga} ms` },
    {
      measure: 'CPU per workflow in the bare ceiling (Temporal + bench worker)',
      value: results.ceilingCpuMsPerWorkflow === null ? '–' : `${results.ceilingCpuMsPerWorkflow} ms`,
    },
    { measure: 'cost ratio (per saga / per bare workflow)', value: results.costRatio === null ? '–' : `${results.costRatio}` },
    {
      measure: 'knee / bare ceiling',
      value: results.kneeCeilingRatio === null ? '–' : `${(results.kneeCeilingRatio * 100).toFixed(1)} %`,
    },
    {
      measure: 'stack memory (PSS: HAP, Temporal, RabbitMQ, PostgreSQL)',
      value: `${results.rssMiB.atRest} MiB at rest, ${results.rssMiB.atKnee} MiB at the knee`,
    },
    { measure: 'Temporal persistence', value: results.temporalPersistence === 'file' ? 'SQLite file (as npm start)' : 'SQLite in memory' },
  );
  const pgConnections = headline?.pgConnections;
  if (pgConnections) {
    rows.push({
      measure: 'PostgreSQL connections of the system (peak)',
      value: `${pgConnections.peak} (server total then ${pgConnections.serverTotalAtPeak}, max_connections ${pgConnections.maxConnections})`,
    });
  }
  out.push(`\n${formatTable(rows)}`);

  const resources = results.resources;
  out.push(`\nCPU (% of one core) and memory during the ${resources.wallSeconds} s window at ${results.ratePerSecond}/s:\n`);
  out.push(
    formatTable([
      ...[...resources.processes]
        .sort((a, b) => b.cpuPercent - a.cpuPercent)
        .map((p) => ({
          process: p.name,
          pid: p.pids.length === 1 ? String(p.pids[0]) : `${p.pids.length} pids`,
          'CPU %': p.cpuPercent,
          'CPU ms/saga': cpuMsPer(p.cpuPercent, resources.wallSeconds, results.sent),
          'RSS MiB': p.rssMiB,
        })),
      {
        process: 'other (kernel, other work on the machine)',
        pid: '',
        'CPU %': resources.otherCpuPercent,
        'CPU ms/saga': '',
        'RSS MiB': '',
      },
      {
        process: `machine (${resources.cores} cores = ${resources.cores * 100} %)`,
        pid: '',
        'CPU %': resources.machineCpuPercent,
        'CPU ms/saga': '',
        'RSS MiB': '',
      },
    ]),
  );

  const atWindowEnd = headline?.queuesAtWindowEnd ?? [];
  const names = [...new Set([...atWindowEnd.map((q) => q.name), ...results.queues.filter((q) => q.messages > 0).map((q) => q.name)])];
  out.push(
    names.length
      ? `\nQueues with messages (${results.queues.length} queues in the vhost; the others were empty):\n\n${formatTable(
          names.map((name) => ({
            queue: name,
            [`when the arrivals stopped (${results.ratePerSecond}/s)`]: atWindowEnd.find((q) => q.name === name)?.messages ?? 0,
            [`at the end (drained + ${SETTLE_BEFORE_DEPTHS_MS / 1000} s)`]: results.queues.find((q) => q.name === name)?.messages ?? 0,
          })),
        )}`
      : `\nQueues: all ${results.queues.length} empty, when the arrivals stopped and at the end.`,
  );
  return out.join('\n');
}
