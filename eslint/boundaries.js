// @ts-check
/**
 * HAP's component boundaries as ESLint no-restricted-imports rules (docs/design.md §9).
 * Import paths in the repository are relative and extensionless, so each rule
 * is a regular expression over the specifier: a run of `../` and then the
 * folder that may not be reached from where the importing file lives.
 */
import { readdirSync } from 'node:fs';
import { URL } from 'node:url';

/** The shared libraries: every process may use them; they use nothing but each other. */
export const sharedLibraries = [
  'events',
  'messaging',
  'db',
  'http',
  'auth',
  'audit',
  'logging',
  'metrics',
  'telemetry',
  'config',
  'lib',
  'clients',
];

/** What runs: each is a process of its own or a tool, built from the libraries and the services. */
const processes = ['worker', 'bridge', 'gateway', 'launcher', 'harness', 'scripts', 'toolchain', 'bench', 'chaos', 'test'];

/** The services, one folder each; adding a folder adds its rules. */
export const serviceNames = (root = new URL('..', import.meta.url)) =>
  readdirSync(new URL('services/', root), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

const upTo = (folders) => `^(\\.\\./)+(${folders.join('|')})(/|$)`;

/** A file outside a service reaches it through its index.ts only: `services/<name>`, never `services/<name>/<file>`. */
const serviceInternals = {
  regex: '(^|/)services/[^/]+/',
  message: 'Reach a service through its published module (services/<name>/index.ts), not its files.',
};

const restrict = (...patterns) => ['error', { patterns }];

/**
 * The boundary rules, one flat-config block per part: a later block would
 * replace an earlier one's no-restricted-imports for the same file, not add
 * to it, so each file matches exactly one of these.
 */
export function boundaryRules(services = serviceNames()) {
  const block = (files, ...patterns) => ({ files, rules: { 'no-restricted-imports': restrict(...patterns) } });
  const noProcesses = (...extra) => ({
    regex: upTo([...extra, ...processes]),
    message: 'Processes are built from the parts, never the other way round: pass what is needed in.',
  });
  return [
    block(
      sharedLibraries.map((folder) => `${folder}/**/*.ts`),
      {
        regex: upTo(['runtime', 'services', 'activities', 'workflows', ...processes]),
        message: 'A shared library imports no process, service, runtime, activity or workflow: pass what it needs in.',
      },
    ),
    block(['runtime/**/*.ts'], noProcesses('services', 'activities', 'workflows')),
    ...services.flatMap((name) => {
      const others = services.filter((other) => other !== name);
      const own = [
        ...(others.length > 0
          ? [
              {
                regex: `^(\\.\\./)+(services/)?(${others.join('|')})(/|$)`,
                message: `Services never import each other: ${name} learns about the others from their events.`,
              },
            ]
          : []),
        noProcesses('activities'),
      ];
      // A sub-folder of a service is a component too, used through its index.ts (services/scheduling/consultations).
      const throughIndex = {
        regex: '^\\./[^/]+/',
        message: "Use a service's component through its index.ts (`./consultations`), not its files.",
      };
      return [block([`services/${name}/*.ts`], ...own, throughIndex), block([`services/${name}/*/**/*.ts`], ...own)];
    }),
    block(['activities/**/*.ts'], serviceInternals, noProcesses('runtime', 'workflows')),
    ...['worker', 'bridge', 'gateway', 'launcher', 'harness', 'scripts', 'chaos'].map((folder) =>
      block([`${folder}/**/*.ts`], serviceInternals, {
        // The process-level libraries: the launcher (scripts/start.ts runs the system with it) and the
        // harness that the bench and the fault matrix share (an isolated launch, its cleanup).
        regex: upTo(['worker', 'bridge', 'gateway', 'scripts', 'bench', 'chaos', 'test'].filter((other) => other !== folder)),
        message: 'Processes do not import each other: what they share belongs in a library.',
      }),
    ),
    block(['bench/**/*.ts'], serviceInternals, { regex: upTo(['test']), message: 'The bench does not depend on the test suite.' }),
  ];
}

/**
 * Workflow code is replayed by Temporal, so it imports values only from the
 * workflow SDK, from workflows/ itself and from the pure constants of
 * config/temporal.ts. Anything else (an activity's type, an event's type) it
 * may import as a type.
 */
export function workflowRules() {
  return {
    files: ['workflows/**/*.ts', 'bench/ceiling/workflow.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [],
          patterns: [
            {
              regex: '^(?!@temporalio/(workflow|common)$|\\.\\.?/|(\\.\\./)+)',
              message: 'Workflow code imports values only from @temporalio/workflow and @temporalio/common: no I/O, no Node built-ins.',
              allowTypeImports: true,
            },
            {
              regex: '^(\\.\\./)+(?!(\\.\\./)*(config/temporal|workflows/[^/]+)$)',
              message: 'Workflow code is replayed: beyond workflows/ it imports config/temporal.ts and types only. Do I/O in an activity.',
              allowTypeImports: true,
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Workflow code is deterministic: pass configuration as workflow arguments.' },
        { name: 'fetch', message: 'Workflow code does no I/O: call an activity.' },
        { name: 'crypto', message: 'Use uuid4() from @temporalio/workflow for deterministic ids.' },
      ],
    },
  };
}
