/**
 * Parse: the step's inputs and environment, read and validated before anything else happens. Every problem is
 * reported at once (InvalidInput); warnings go to the log; a custom signature is masked before any line could show it.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { ActionError } from '../errors.js';
import { parseSettings } from '../settings/settings.js';
import type { GitHubContext, Settings } from '../types.js';
import type { RunDependencies } from './dependencies.js';
import { readInputs, type RunEnv } from './inputs.js';
import type { RunRecord } from './record.js';
import { runTiming, type RunTiming } from './timing.js';

export interface ParsedRun {
  settings: Settings;
  context: GitHubContext;
  env: RunEnv;
  timing: RunTiming;
}

export function parseRun(deps: RunDependencies, record: RunRecord): ParsedRun {
  const { raw, context, env } = readInputs(deps.env, deps.github);
  record.debug = env.runnerDebug;
  checkOutputFile(env.outputFile);
  const { settings, warnings } = parseSettings(raw, context, env);
  for (const warning of warnings) deps.core.warning(warning);
  maskSignatures(settings, deps.core);
  warnIfCredentialsMayExpire(settings, deps.core);
  const timing = runTiming(env);
  if (timing.ignoredScale) deps.core.warning(timing.ignoredScale);
  record.parsed(settings, env.runnerDebug);
  return { settings, context, env, timing };
}

/**
 * The outputs carry the id of what the run creates: when GITHUB_OUTPUT names a file the step cannot write, they would
 * be lost after the update exists, so the run stops before it starts.
 */
function checkOutputFile(path: string | undefined): void {
  if (path === undefined) return;
  const why = unwritableBecause(path);
  if (why === undefined) return;
  throw new ActionError(
    'InvalidInput',
    `GITHUB_OUTPUT is ${JSON.stringify(path)}, which is not a file this step can write (${why}): the step's outputs, the OTA update id among them, would be lost.`,
    {
      hint: 'The runner creates this file for every step. Running the action outside a workflow, point GITHUB_OUTPUT at an existing writable file, or unset it.',
    },
  );
}

/** Why `path` is not a regular file this process can write (the errno code, e.g. ENOENT), or undefined when it is. */
function unwritableBecause(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return 'not a regular file';
    accessSync(path, constants.W_OK);
    return undefined;
  } catch (error) {
    return error instanceof Error && 'code' in error ? String(error.code) : String(error);
  }
}

/** A custom signature is key material of a kind: keep it out of every log line, as base64 and as given. */
function maskSignatures(settings: Settings, core: Pick<RunDependencies['core'], 'setSecret'>): void {
  for (const file of settings.files) {
    const bytes = file.codeSigning?.customCodeSigning?.signature?.inlineDocument;
    if (bytes && bytes.length > 0) core.setSecret(Buffer.from(bytes).toString('base64'));
  }
}

/**
 * An assumed role is assumed again before its credentials expire; credentials from the environment cannot be: say
 * so up front when the step may outlast them.
 */
function warnIfCredentialsMayExpire(
  settings: Settings,
  core: Pick<RunDependencies['core'], 'warning'>,
): void {
  const { rollout, dryRun } = settings.behaviour;
  if (settings.auth.roleToAssume !== undefined || rollout === undefined || dryRun) return;
  core.warning(
    `wait: rollout may follow the job for up to ${rollout.timeoutMinutes} minutes with the credentials already in the environment, which this action cannot renew: if they expire first, the step fails with ExpiredToken while the rollout goes on. Set role-to-assume so the action assumes the role again before its credentials expire.`,
  );
}
