/**
 * Once per end-to-end run: bundles the current src/ with ncc into a temp folder (so the tests exercise the source,
 * not whatever dist/ was last committed) while resolving the pinned Node 24 binary (the action's runtime,
 * `runs.using: node24`), and hands both to the tests through `inject`. The folder goes when the run ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundle } from '../scripts/bundle.js';
import { resolveNode24 } from '../scripts/node24.js';

declare module 'vitest' {
  export interface ProvidedContext {
    node24: string;
    /** index.js of the fresh bundle. */
    actionScript: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'ota-action-bundle-'));
  const [node24] = await Promise.all([resolveNode24(), bundle(dir)]);
  project.provide('node24', node24);
  project.provide('actionScript', join(dir, 'index.js'));
  return () => rmSync(dir, { recursive: true, force: true });
}
