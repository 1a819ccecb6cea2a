/**
 * The component boundaries of eslint/boundaries.js hold: each forbidden
 * import below fails lint at the place it would be written, and the allowed
 * way of writing it passes.
 */
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { boundaryRules, workflowRules } from '../../eslint/boundaries.js';

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
      'http/example.ts',
      "import { patientsService } from '../services/patients/service';",
      /shared library/,
    ],
    ['a shared library importing a process', 'db/example.ts', "import { startSagaWorker } from '../worker/start';", /shared library/],
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
    ['workflow code importing a value', 'workflows/example.ts', "import { createEvent } from '../events/catalog';", /types only/],
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
      "import { createRouter } from '../../http/app';\nimport { x } from '../../runtime/entity';",
    ],
    ['a service file using its component', 'services/scheduling/example.ts', "import { transition } from './consultations';"],
    ['an activity using a published module', 'activities/example.ts', "import { transition } from '../services/scheduling';"],
    [
      'a service reading an event module named like a service',
      'services/scheduling/example.ts',
      "import { recordStatuses } from '../../events/records';",
    ],
    [
      'workflow code importing the SDK, its own modules, Temporal settings and types',
      'workflows/example.ts',
      "import { proxyActivities } from '@temporalio/workflow';\nimport { sagaId } from './definitions';\nimport { temporalConfig } from '../config/temporal';\nimport type { EventType } from '../events/catalog';",
    ],
  ])('allows %s', async (_what, file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });
});
