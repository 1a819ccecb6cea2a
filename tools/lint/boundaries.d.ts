import type { Linter } from 'eslint';

// Types of boundaries.js for the lint test (test/lint/boundaries.test.ts).
export function serviceNames(root?: URL): string[];
export function boundaryRules(services?: string[]): Linter.Config[];
export function workflowRules(): Linter.Config;
