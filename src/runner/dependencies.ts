/**
 * What a run needs from the world, in one object: the environment, the GitHub context, @actions/core, the clock, the runner's
 * cancellation, and how to set the exit code. `run()` takes it as a parameter, so tests drive a whole run without a
 * process; `runnerDependencies()` is the real world.
 */
import {
  debug,
  error,
  getIDToken,
  info,
  notice,
  setOutput,
  setSecret,
  summary,
  warning,
} from '@actions/core';
import { context } from '@actions/github';
import { canceled } from '../errors.js';
import type { Clock } from '../types.js';
import type { ContextSource } from './inputs.js';

/** The parts of @actions/core a run uses. */
export interface ActionsCore {
  setOutput: typeof setOutput;
  info: typeof info;
  warning: typeof warning;
  error: typeof error;
  notice: typeof notice;
  debug: typeof debug;
  summary: typeof summary;
  getIDToken: typeof getIDToken;
  setSecret: typeof setSecret;
}

export interface RunDependencies {
  env: NodeJS.ProcessEnv;
  /** The GitHub context: @actions/github's `context` on a runner, a plain object in tests. */
  github: ContextSource;
  core: ActionsCore;
  clock: Clock;
  /** Aborted when the runner cancels the step; its reason is the Canceled error the step reports. */
  signal: AbortSignal;
  /** Marks the step failed (the process's exit code). */
  fail(): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) =>
    new Promise((resolve) => {
      setTimeout(resolve, ms);
    }),
};

/**
 * The real world. The runner cancels a step with SIGINT, then SIGTERM about 7.5 s later (and SIGKILL 2.5 s after
 * that); also when the job's timeout-minutes runs out. The first signal stops the run.
 */
export function runnerDependencies(): RunDependencies {
  const cancellation = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (!cancellation.signal.aborted) cancellation.abort(canceled(signal));
    });
  }
  return {
    env: process.env,
    github: context,
    core: { setOutput, info, warning, error, notice, debug, summary, getIDToken, setSecret },
    clock: realClock,
    signal: cancellation.signal,
    fail: () => {
      process.exitCode = 1;
    },
  };
}
