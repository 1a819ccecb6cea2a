import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Scenario } from '../scenario';
import type { ChaosSystem } from '../system';

const PATCH_ID = 'pause-before-scheduling';
const STEP_MS = 100;
// Every saga 1 passes here, whatever its outcome: the step goes right after the consultation is recorded.
const anchor = "    await sagaActivities.openConsultation(input, announce('ConsultationSchedulingStarted'));\n";

/**
 * A new build of the workflow code: the repository's workflows/ (and the
 * constants they import) copied under the repository, so its packages
 * resolve, with one step added to saga 1 behind patched(), as a real change
 * would be released. Sagas started on the old code replay without the step;
 * new ones take it.
 */
export async function buildChangedWorkflows(repoRoot: string, buildDir: string): Promise<string> {
  await mkdir(buildDir, { recursive: true });
  await cp(path.join(repoRoot, 'workflows'), path.join(buildDir, 'workflows'), { recursive: true });
  await cp(path.join(repoRoot, 'temporal.config.ts'), path.join(buildDir, 'temporal.config.ts'));
  const file = path.join(buildDir, 'workflows', 'schedule-consultation.ts');
  const source = await readFile(file, 'utf8');
  const importLine = "import { condition, patched, setHandler } from '@temporalio/workflow';";
  if (!source.includes(anchor) || !source.includes(importLine)) {
    throw new Error('workflows/schedule-consultation.ts changed: the deploy scenario cannot find where to add its step');
  }
  const changed = source
    .replace(importLine, "import { condition, patched, setHandler, sleep } from '@temporalio/workflow';")
    .replace(anchor, `${anchor}    if (patched('${PATCH_ID}')) await sleep(${STEP_MS});\n`);
  await writeFile(file, changed);
  return path.join(buildDir, 'workflows', 'index.ts');
}

/** The worker replaced, gracefully, by a build whose workflow code changed, with sagas in flight. */
export const deployWithSagasInFlight = (repoRoot: string, buildDir: string): Scenario => ({
  name: 'deploy-workflow-change',
  summary: 'worker replaced by a build whose saga gained a step (patched()), sagas in flight',
  contained: true,
  inject: async ({ system, timing, log }) => {
    const workflowsPath = await buildChangedWorkflows(repoRoot, buildDir);
    const worker = system.process('worker');
    const bridge = system.process('bridge');
    // Replies held back for a moment, so that sagas started on the old build are surely waiting half-way when it goes.
    log(
      `holding the replies (bridge stopped) for ${timing.outageMs / 1000} s, then replacing the worker (SIGTERM) by the build in ${path.relative(repoRoot, buildDir)}`,
    );
    await bridge.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, timing.outageMs));
    const deployedAt = new Date();
    await worker.kill('SIGTERM');
    // The spec is what the supervisor starts from: the new build stays for every later restart.
    worker.spec.env.WORKER_WORKFLOWS_PATH = workflowsPath;
    worker.start();
    bridge.start();
    const across = await newBuildRuns(system, deployedAt);
    if (across === 0) throw new Error('no saga started on the old build was still open at the deploy: nothing was replayed on the new one');
    log(`${across} sagas started on the old build completed on the new one; one booked after the deploy took the new step`);
  },
});

/**
 * Proof that the new build serves: a saga 1 started after the deploy and
 * completed carries the patch marker and the added step's timer. (That the
 * sagas started before it complete, the accounting shows: none left open.)
 */
async function newBuildRuns(system: ChaosSystem, deployedAt: Date, timeoutMs = 120_000): Promise<number> {
  const connection = await Connection.connect({ address: system.config.TEMPORAL_ADDRESS });
  try {
    const client = new Client({ connection, namespace: system.config.TEMPORAL_NAMESPACE });
    const query = `WorkflowType = "scheduleConsultation" AND TaskQueue = "${system.config.TEMPORAL_TASK_QUEUE}" AND ExecutionStatus = "Completed" AND StartTime > "${deployedAt.toISOString()}"`;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const stepless: string[] = [];
      for await (const execution of client.workflow.list({ query, pageSize: 10 })) {
        const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
        const events = history.events ?? [];
        const marked = events.some((event) => event.markerRecordedEventAttributes?.markerName === 'core_patch');
        const stepped = events.some((event) => {
          const timeout = event.timerStartedEventAttributes?.startToFireTimeout;
          return timeout && Number(timeout.seconds ?? 0) === 0 && Number(timeout.nanos ?? 0) === STEP_MS * 1_000_000;
        });
        if (marked && stepped) {
          const across = `WorkflowType = "scheduleConsultation" AND TaskQueue = "${system.config.TEMPORAL_TASK_QUEUE}" AND StartTime < "${deployedAt.toISOString()}" AND CloseTime > "${deployedAt.toISOString()}"`;
          return (await client.workflow.count(across)).count;
        }
        // One that failed before the new step (invalid data) proves nothing either way; ten without it do.
        stepless.push(execution.workflowId);
        if (stepless.length >= 10) {
          throw new Error(`sagas started after the deploy ran without the new step (${stepless[0]}, …): the old build still serves`);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    throw new Error(`no saga started after the deploy completed within ${timeoutMs / 1000} s`);
  } finally {
    await connection.close();
  }
}
