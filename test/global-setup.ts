/**
 * Resolves the pinned Node 24 binary (the action's runtime, `runs.using: node24`) once per test run and hands
 * its path to the end-to-end tests through `inject('node24')`.
 */
import type { TestProject } from 'vitest/node';
import { resolveNode24 } from '../scripts/node24.js';

declare module 'vitest' {
  export interface ProvidedContext {
    node24: string;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  project.provide('node24', await resolveNode24());
}
