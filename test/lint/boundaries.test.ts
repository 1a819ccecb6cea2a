/**
 * The component boundaries of tools/lint/boundaries.js hold: each forbidden
 * import below fails lint at the place it would be written, and the allowed
 * way of writing it passes.
 */
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { boundaryRules, workflowRules } from '../../tools/lint/boundaries.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
// The boundary rules alone, without type information: the files below do not exist.
const eslint = new ESLint({
  cwd: repoRoot,
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...boundaryRules(), workflowRules()],
});

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${repoRoot}${file}` });
  return result!.messages.map((message) => `${message.ruleId}: ${message.message}`);
}

describe('component boundaries', () => {
  it.each([
    [
      'a shared library importing a service',
      'libraries/http/example.ts',
      "import { patientsService } from '../../services/patients/service';",
      /shared library/,
    ],
    [
      'a shared library importing a process',
      'libraries/db/example.ts',
      "import { startSagaWorker } from '../../worker/start';",
      /shared library/,
    ],
    [
      'a service importing another service',
      'services/records/example.ts',
      "import { registerPatient } from '../patients/commands';",
      /never import each other/,
    ],
    [
      'a service importing another service from a sub-folder',
      'services/scheduling/consultations/example.ts',
      "import { x } from '../../records/commands';",
      /never import each other/,
    ],
    [
      'a service file reaching into a component',
      'services/scheduling/example.ts',
      "import { transition } from './consultations/store';",
      /index\.ts/,
    ],
    [
      'an activity reaching into a service',
      'activities/example.ts',
      "import { transition } from '../services/scheduling/consultations';",
      /published module/,
    ],
    ['a process reaching into a service', 'worker/example.ts', "import { x } from '../services/scheduling/commands';", /published module/],
    ['a process importing another', 'bridge/example.ts', "import { startSagaWorker } from '../worker/start';", /do not import each other/],
    [
      'a shared library importing a tool',
      'libraries/messaging/example.ts',
      "import { launch } from '../../tools/launcher/launch';",
      /shared library/,
    ],
    [
      'a shared library importing the runtime',
      'libraries/observability/metrics/example.ts',
      "import { runService } from '../../runtime/run-service';",
      /shared library/,
    ],
    [
      'a tool importing a process',
      'tools/harness/example.ts',
      "import { startSagaWorker } from '../../worker/start';",
      /do not import them/,
    ],
    ['a tool importing an entry point', 'tools/launcher/example.ts', "import { main } from '../chaos/main';", /do not import each other/],
    ['workflow code importing a value', 'workflows/example.ts', "import { createEvent } from '../libraries/events/catalog';", /types only/],
    ['workflow code importing a package', 'workflows/example.ts', "import { Pool } from 'pg';", /@temporalio\/workflow/],
    ['workflow code importing a Node built-in', 'workflows/example.ts', "import { readFileSync } from 'node:fs';", /@temporalio\/workflow/],
  ])('refuses %s', async (_what, file, code, message) => {
    const found = await problems(file, code);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^no-restricted-imports: /);
    expect(found[0]).toMatch(message);
  });

  it.each([
    [
      'a service using the runtime and shared libraries',
      'services/records/example.ts',
      "import { createRouter } from '../../libraries/http/app';\nimport { x } from '../../libraries/runtime/entity';",
    ],
    [
      'a tool using the launcher and the harness',
      'tools/chaos/example.ts',
      "import { launch } from '../launcher/launch';\nimport { x } from '../harness/cleanup';",
    ],
    [
      'the Temporal settings read by the configuration',
      'libraries/config/example.ts',
      "import { temporalConfig } from '../../temporal.config';",
    ],
    ['a service file using its component', 'services/scheduling/example.ts', "import { transition } from './consultations';"],
    ['an activity using a published module', 'activities/example.ts', "import { transition } from '../services/scheduling';"],
    [
      'a service reading an event module named like a service',
      'services/scheduling/example.ts',
      "import { recordStatuses } from '../../libraries/events/records';",
    ],
    [
      'workflow code importing the SDK, its own modules, Temporal settings and types',
      'workflows/example.ts',
      "import { proxyActivities } from '@temporalio/workflow';\nimport { sagaId } from './definitions';\nimport { temporalConfig } from '../temporal.config';\nimport type { EventType } from '../libraries/events/catalog';",
    ],
  ])('allows %s', async (_what, file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });
});
