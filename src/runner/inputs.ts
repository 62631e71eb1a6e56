/**
 * Reading the run's environment: the workflow inputs (INPUT_*), the GitHub context and the few other variables a
 * run needs. The only module that touches process.env. The GitHub context comes from @actions/github's `context`;
 * the variables it has no field for (GITHUB_REF_NAME, GITHUB_REF_TYPE, GITHUB_WORKSPACE) are read here.
 */
import { context as toolkitContext } from '@actions/github';
import { INPUTS } from './names.js';
import type { GitHubContext, RawInputs } from '../types.js';

/**
 * The fields of @actions/github's `context` a run uses. Real runs pass the toolkit's own `context`, which it builds
 * from process.env when it is imported (its `repo` reads GITHUB_REPOSITORY, else the event payload, on every
 * access); tests pass a plain object, so reading stays a pure function of its arguments.
 */
export type ContextSource = Pick<
  typeof toolkitContext,
  'repo' | 'ref' | 'sha' | 'runId' | 'runAttempt' | 'eventName' | 'serverUrl'
>;

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
  /** HTTPS_PROXY / HTTP_PROXY, upper case first, then lower case (NO_PROXY: see preferUpperCaseProxyVariables). */
  proxy: {
    https: string | undefined;
    http: string | undefined;
  };
  /** RUNNER_DEBUG=1 or ACTIONS_STEP_DEBUG=true (a re-run with debug logging). */
  runnerDebug: boolean;
  /** GITHUB_WORKSPACE, against which relative file paths are resolved; the current directory when unset. */
  workspace: string;
  /** RUNNER_TEMP, the runner's temporary directory: local files may be there too, or in the workspace. */
  runnerTemp: string | undefined;
  /** GITHUB_OUTPUT, the file the step's outputs go to (the runner creates one for every step). */
  outputFile: string | undefined;
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

/** A context field as text: the toolkit leaves unset variables undefined and unset numbers NaN. */
function field(v: string | number | undefined): string {
  if (typeof v === 'number') return Number.isNaN(v) ? '' : String(v);
  return v?.trim() ?? '';
}

/** `owner/repo`, or '' when neither GITHUB_REPOSITORY nor the event payload names one (`repo` then throws). */
function repository(github: ContextSource): string {
  try {
    const { owner, repo } = github.repo;
    return `${owner}/${repo}`;
  } catch {
    return '';
  }
}

function readContext(github: ContextSource, env: NodeJS.ProcessEnv): GitHubContext {
  const ref = field(github.ref);
  const fromRef = /^refs\/(heads|tags)\/(.+)$/.exec(ref);
  const refTypeVar = value(env, 'GITHUB_REF_TYPE');
  let refType: GitHubContext['refType'] = '';
  if (refTypeVar === 'branch' || refTypeVar === 'tag') refType = refTypeVar;
  else if (fromRef) refType = fromRef[1] === 'tags' ? 'tag' : 'branch';
  return {
    repository: repository(github),
    ref,
    refName: value(env, 'GITHUB_REF_NAME') ?? fromRef?.[2] ?? ref.replace(/^refs\/[^/]+\//, ''),
    refType,
    sha: field(github.sha),
    runId: field(github.runId),
    runAttempt: field(github.runAttempt),
    eventName: field(github.eventName),
    serverUrl: field(github.serverUrl),
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
    },
    runnerDebug: env.RUNNER_DEBUG?.trim() === '1' || env.ACTIONS_STEP_DEBUG?.trim() === 'true',
    workspace: value(env, 'GITHUB_WORKSPACE') ?? process.cwd(),
    runnerTemp: value(env, 'RUNNER_TEMP'),
    outputFile: value(env, 'GITHUB_OUTPUT'),
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

/**
 * Every input of INPUTS (trimmed, '' when absent), the GitHub context and the run's environment. `github` is the
 * toolkit's context unless given: pass one alongside `env` to read a made-up run.
 */
export function readInputs(
  env: NodeJS.ProcessEnv = process.env,
  github: ContextSource = toolkitContext,
): ReadInputs {
  const raw: Record<string, string> = {};
  for (const name of Object.values(INPUTS)) raw[name] = env[inputVariable(name)]?.trim() ?? '';
  return { raw, context: readContext(github, env), env: readRunEnv(env) };
}

const PROXY_VARIABLES = ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY'] as const;

/**
 * The Actions toolkit's HTTP client reads the proxy variables itself, lower case first: for the OIDC token request,
 * and for the NO_PROXY matching the AWS calls use (aws/proxy.ts). The action documents that upper case wins, so at
 * start each upper-case variable that is set is copied over its lower-case spelling, once, for every library in the
 * process alike.
 */
export function preferUpperCaseProxyVariables(env: NodeJS.ProcessEnv): void {
  for (const name of PROXY_VARIABLES) {
    const upper = value(env, name);
    if (upper !== undefined) env[name.toLowerCase()] = upper;
  }
}
