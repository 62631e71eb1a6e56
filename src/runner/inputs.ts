/**
 * Reading the run's environment: the workflow inputs (INPUT_*), the GitHub context (GITHUB_*) and the few other
 * variables a run needs. The only module that touches process.env. We read GITHUB_* directly rather than through
 * @actions/github, whose only entry point loads Octokit, which a run never uses.
 */
import { INPUTS } from './names.js';
import type { GitHubContext, RawInputs } from '../types.js';

/** What else the run needs from its environment. Empty variables count as unset. */
export interface RunEnv {
  /** AWS_REGION. */
  awsRegion: string | undefined;
  /** AWS_DEFAULT_REGION. */
  awsDefaultRegion: string | undefined;
  /**
   * ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are both set: the job has
   * `permissions: id-token: write`, so an OIDC token can be requested.
   */
  idTokenRequestAvailable: boolean;
  /** ACTIONS_ID_TOKEN_REQUEST_URL, where the OIDC token comes from. */
  idTokenRequestUrl: string | undefined;
  /** AWS_ENDPOINT_URL and the per-service AWS_ENDPOINT_URL_<SERVICE> overrides. */
  endpoints: {
    all: string | undefined;
    iot: string | undefined;
    sts: string | undefined;
    s3: string | undefined;
  };
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY, upper case first, then lower case. */
  proxy: {
    https: string | undefined;
    http: string | undefined;
    noProxy: string | undefined;
  };
  /** RUNNER_DEBUG=1 or ACTIONS_STEP_DEBUG=true (a re-run with debug logging). */
  runnerDebug: boolean;
  /** GITHUB_WORKSPACE, against which relative file paths are resolved; the current directory when unset. */
  workspace: string;
  /** RUNNER_TEMP, the runner's temporary directory: local files may be there too, or in the workspace. */
  runnerTemp: string | undefined;
  /**
   * The INPUT_* variables that are no input of the action (a typo in `with:`, which the runner only warns about, or
   * a variable from the job's `env:`), as they are set.
   */
  unknownInputVariables: string[];
  /**
   * OTA_ACTION_TIME_SCALE: a factor in (0, 1] applied to every delay of the run (poll schedule, retry backoff), so
   * the project's end-to-end tests against the emulator take milliseconds; 1 (real timings) otherwise. Honoured only
   * against loopback endpoints (runner/timing.ts).
   */
  timeScale: number;
}

export interface ReadInputs {
  raw: RawInputs;
  context: GitHubContext;
  env: RunEnv;
}

/** The variable the runner sets for an input: `ota-role-arn` → `INPUT_OTA-ROLE-ARN` (dashes are kept). */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

function value(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

function readContext(env: NodeJS.ProcessEnv): GitHubContext {
  const ref = value(env, 'GITHUB_REF') ?? '';
  const fromRef = /^refs\/(heads|tags)\/(.+)$/.exec(ref);
  const refTypeVar = value(env, 'GITHUB_REF_TYPE');
  let refType: GitHubContext['refType'] = '';
  if (refTypeVar === 'branch' || refTypeVar === 'tag') refType = refTypeVar;
  else if (fromRef) refType = fromRef[1] === 'tags' ? 'tag' : 'branch';
  return {
    repository: value(env, 'GITHUB_REPOSITORY') ?? '',
    ref,
    refName: value(env, 'GITHUB_REF_NAME') ?? fromRef?.[2] ?? ref.replace(/^refs\/[^/]+\//, ''),
    refType,
    sha: value(env, 'GITHUB_SHA') ?? '',
    runId: value(env, 'GITHUB_RUN_ID') ?? '',
    runAttempt: value(env, 'GITHUB_RUN_ATTEMPT') ?? '',
    eventName: value(env, 'GITHUB_EVENT_NAME') ?? '',
    serverUrl: value(env, 'GITHUB_SERVER_URL') ?? 'https://github.com',
  };
}

const INPUT_VARIABLES: ReadonlySet<string> = new Set(Object.values(INPUTS).map(inputVariable));

function readRunEnv(env: NodeJS.ProcessEnv): RunEnv {
  return {
    awsRegion: value(env, 'AWS_REGION'),
    awsDefaultRegion: value(env, 'AWS_DEFAULT_REGION'),
    idTokenRequestAvailable:
      value(env, 'ACTIONS_ID_TOKEN_REQUEST_URL') !== undefined &&
      value(env, 'ACTIONS_ID_TOKEN_REQUEST_TOKEN') !== undefined,
    idTokenRequestUrl: value(env, 'ACTIONS_ID_TOKEN_REQUEST_URL'),
    endpoints: {
      all: value(env, 'AWS_ENDPOINT_URL'),
      iot: value(env, 'AWS_ENDPOINT_URL_IOT'),
      sts: value(env, 'AWS_ENDPOINT_URL_STS'),
      s3: value(env, 'AWS_ENDPOINT_URL_S3'),
    },
    proxy: {
      https: value(env, 'HTTPS_PROXY') ?? value(env, 'https_proxy'),
      http: value(env, 'HTTP_PROXY') ?? value(env, 'http_proxy'),
      noProxy: value(env, 'NO_PROXY') ?? value(env, 'no_proxy'),
    },
    runnerDebug: env.RUNNER_DEBUG?.trim() === '1' || env.ACTIONS_STEP_DEBUG?.trim() === 'true',
    workspace: value(env, 'GITHUB_WORKSPACE') ?? process.cwd(),
    runnerTemp: value(env, 'RUNNER_TEMP'),
    unknownInputVariables: Object.keys(env)
      .filter((name) => name.startsWith('INPUT_') && !INPUT_VARIABLES.has(name))
      .sort(),
    timeScale: timeScale(value(env, 'OTA_ACTION_TIME_SCALE')),
  };
}

function timeScale(text: string | undefined): number {
  const scale = Number(text);
  return text !== undefined && Number.isFinite(scale) && scale > 0 && scale <= 1 ? scale : 1;
}

/** Every input of INPUTS (trimmed, '' when absent), the GitHub context and the run's environment. */
export function readInputs(env: NodeJS.ProcessEnv = process.env): ReadInputs {
  const raw: Record<string, string> = {};
  for (const name of Object.values(INPUTS)) raw[name] = env[inputVariable(name)]?.trim() ?? '';
  return { raw, context: readContext(env), env: readRunEnv(env) };
}
