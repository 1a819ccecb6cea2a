// @ts-check
/**
 * HAP's component boundaries as ESLint no-restricted-imports rules (docs/design.md §9).
 * The repository is four groups: libraries/ (what every process is built from),
 * the parts of the sagas and the services at the root, the processes (worker,
 * bridge, gateway), and tools/ (what runs, tests and measures HAP). Files are
 * chosen by glob; import paths are relative and extensionless, so each rule is a
 * regular expression over the specifier: a run of `../` and then the folder
 * that may not be reached from where the importing file lives.
 */
import { readdirSync } from 'node:fs';
import { URL } from 'node:url';

/** What runs: a process of its own, the tools, the test suite. Nothing is built from them. */
const processes = ['worker', 'bridge', 'gateway'];
const runners = [...processes, 'tools', 'test'];

/** The services, one folder each; adding a folder adds its rules. */
export const serviceNames = (root = new URL('../..', import.meta.url)) =>
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
  const block = (files, patterns, ignores = []) => ({ files, ignores, rules: { 'no-restricted-imports': restrict(...patterns) } });
  const noRunners = (...extra) => ({
    regex: upTo([...extra, ...runners]),
    message: 'Processes are built from the parts, never the other way round: pass what is needed in.',
  });
  return [
    block(
      ['libraries/**/*.ts'],
      [
        {
          regex: upTo(['runtime', 'services', 'activities', 'workflows', ...runners]),
          message: 'A shared library imports no process, service, runtime, activity or workflow: pass what it needs in.',
        },
      ],
      ['libraries/runtime/**'],
    ),
    block(['libraries/runtime/**/*.ts'], [noRunners('services', 'activities', 'workflows')]),
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
        noRunners('activities'),
      ];
      // A sub-folder of a service is a component too, used through its index.ts (services/scheduling/consultations).
      const throughIndex = {
        regex: '^\\./[^/]+/',
        message: "Use a service's component through its index.ts (`./consultations`), not its files.",
      };
      return [block([`services/${name}/*.ts`], [...own, throughIndex]), block([`services/${name}/*/**/*.ts`], own)];
    }),
    block(['activities/**/*.ts'], [serviceInternals, noRunners('runtime', 'workflows')]),
    ...processes.map((folder) =>
      block(
        [`${folder}/**/*.ts`],
        [
          serviceInternals,
          {
            regex: upTo([...runners.filter((other) => other !== folder)]),
            message: 'Processes do not import each other: what they share belongs in a library.',
          },
        ],
      ),
    ),
    // The tools share the launcher, the harness and the toolchain; the entry points are nobody's library.
    block(
      ['tools/**/*.ts'],
      toolPatterns(entryTools),
      entryTools.map((tool) => `tools/${tool}/**`),
    ),
    ...entryTools.map((tool) => block([`tools/${tool}/**/*.ts`], toolPatterns(entryTools.filter((other) => other !== tool)))),
  ];
}

/** The tools that are entry points (npm commands), never imported by another tool. */
const entryTools = ['scripts', 'bench', 'chaos'];

/** What a tool may not import: a service's insides, a process, the tests, and these entry points. */
const toolPatterns = (forbiddenEntries) => [
  serviceInternals,
  { regex: upTo([...processes, 'test']), message: 'Tools run the processes; they do not import them or the test suite.' },
  {
    regex: `^(\\.\\./)+(tools/)?(${forbiddenEntries.join('|')})(/|$)`,
    message: 'Processes do not import each other: what they share belongs in a library.',
  },
];

/**
 * Workflow code is replayed by Temporal, so it imports values only from the
 * workflow SDK, from workflows/ itself and from the pure constants of
 * temporal.config.ts. Anything else (an activity's type, an event's type) it
 * may import as a type.
 */
export function workflowRules() {
  return {
    files: ['workflows/**/*.ts', 'tools/bench/ceiling/workflow.ts'],
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
              regex: '^(\\.\\./)+(?!(\\.\\./)*(temporal\\.config|workflows/[^/]+)$)',
              message: 'Workflow code is replayed: beyond workflows/ it imports temporal.config.ts and types only. Do I/O in an activity.',
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
