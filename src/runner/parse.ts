/**
 * Parse: the step's inputs and environment, read and validated before anything else happens. Every problem is
 * reported at once (InvalidInput); warnings go to the log; a custom signature is masked before any line could show it.
 */
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
  const { settings, warnings } = parseSettings(raw, context, env);
  for (const warning of warnings) deps.core.warning(warning);
  maskSignatures(settings, deps.core);
  warnIfCredentialsMayExpire(settings, deps.core);
  const timing = runTiming(env);
  if (timing.ignoredScale) deps.core.warning(timing.ignoredScale);
  record.parsed(settings, env.runnerDebug);
  return { settings, context, env, timing };
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
