import * as github from '@actions/github';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  inputVariable,
  preferUpperCaseProxyVariables,
  readInputs,
  type ContextSource,
} from '../../../src/runner/inputs.js';
import { INPUTS } from '../../../src/runner/names.js';

/** A push of acme/widget to main, as @actions/github's context holds it. */
const PUSH: ContextSource = {
  repo: { owner: 'acme', repo: 'widget' },
  ref: 'refs/heads/main',
  sha: 'abc',
  runId: 7,
  runAttempt: 3,
  eventName: 'workflow_dispatch',
  serverUrl: 'https://ghe.example.com',
};

/** A fresh @actions/github context (an instance of its own class) built with `vars` as the GITHUB_* variables. */
function toolkitContext(vars: Record<string, string>): ContextSource {
  for (const name of Object.keys(process.env).filter((n) => n.startsWith('GITHUB_'))) {
    vi.stubEnv(name, undefined);
  }
  for (const [name, v] of Object.entries(vars)) vi.stubEnv(name, v);
  const Context = github.context.constructor as new () => ContextSource;
  return new Context();
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('readInputs', () => {
  it('maps every input of names.ts to its trimmed INPUT_ variable, absent as empty', () => {
    const { raw } = readInputs({
      'INPUT_OTA-ROLE-ARN': '  arn:aws:iam::123456789012:role/ota \n',
      INPUT_TARGETS: 'thing/a\nthing/b\n',
      'INPUT_DRY-RUN': 'true',
      INPUT_OTA_ROLE_ARN: 'not this one: the runner keeps the dashes',
      'INPUT_NOT-AN-INPUT': 'ignored',
    });
    expect(Object.keys(raw).sort()).toEqual(Object.values(INPUTS).sort());
    expect(raw['ota-role-arn']).toBe('arn:aws:iam::123456789012:role/ota');
    expect(raw.targets).toBe('thing/a\nthing/b');
    expect(raw['dry-run']).toBe('true');
    expect(raw.firmware).toBe('');
  });

  it('lists the INPUT_ variables that name no input, as they are set, sorted', () => {
    const { env } = readInputs({
      'INPUT_ROLLOUT-CONFIGURATION': 'maximumPerMinute: 5',
      'INPUT_OTA-ROLE-ARN': 'arn:aws:iam::123456789012:role/ota',
      INPUT_OTA_ROLE_ARN: 'underscores are not how the runner spells ota-role-arn',
      INPUT_targets: 'lower case is not either',
      INPUT_: '',
      NOT_AN_INPUT: 'x',
    });
    expect(env.unknownInputVariables).toEqual([
      'INPUT_',
      'INPUT_OTA_ROLE_ARN',
      'INPUT_ROLLOUT-CONFIGURATION',
      'INPUT_targets',
    ]);
  });

  it.each([
    ['ota-role-arn', 'INPUT_OTA-ROLE-ARN'],
    ['aws-region', 'INPUT_AWS-REGION'],
    ['two words', 'INPUT_TWO_WORDS'],
  ])('names the variable of %s %s', (name, variable) => {
    expect(inputVariable(name)).toBe(variable);
  });

  it('reads the GitHub context from the context source and the ref name and type from env', () => {
    const { context } = readInputs({ GITHUB_REF_NAME: 'main', GITHUB_REF_TYPE: 'branch' }, PUSH);
    expect(context).toEqual({
      repository: 'acme/widget',
      ref: 'refs/heads/main',
      refName: 'main',
      refType: 'branch',
      sha: 'abc',
      runId: '7',
      runAttempt: '3',
      eventName: 'workflow_dispatch',
      serverUrl: 'https://ghe.example.com',
    });
  });

  it("reads @actions/github's own context, built from the environment", () => {
    const source = toolkitContext({
      GITHUB_REPOSITORY: 'octo/firmware',
      GITHUB_REF: 'refs/tags/v2.0.0',
      GITHUB_SHA: 'def',
      GITHUB_RUN_ID: '4711',
      GITHUB_RUN_ATTEMPT: '2',
      GITHUB_EVENT_NAME: 'push',
    });
    expect(readInputs({}, source).context).toEqual({
      repository: 'octo/firmware',
      ref: 'refs/tags/v2.0.0',
      refName: 'v2.0.0',
      refType: 'tag',
      sha: 'def',
      runId: '4711',
      runAttempt: '2',
      eventName: 'push',
      serverUrl: 'https://github.com',
    });
  });

  it('reads an empty context when the toolkit has none (no repository, NaN run numbers)', () => {
    expect(readInputs({}, toolkitContext({})).context).toEqual({
      repository: '',
      ref: '',
      refName: '',
      refType: '',
      sha: '',
      runId: '',
      runAttempt: '',
      eventName: '',
      serverUrl: 'https://github.com',
    });
  });

  it.each([
    ['refs/tags/v1.2.0', 'v1.2.0', 'tag'],
    ['refs/heads/feature/x', 'feature/x', 'branch'],
    ['refs/pull/5/merge', '5/merge', ''],
    ['', '', ''],
  ])('derives name and type from the ref %j', (ref, refName, refType) => {
    const { context } = readInputs({}, { ...PUSH, ref });
    expect([context.refName, context.refType]).toEqual([refName, refType]);
  });

  it('prefers GITHUB_REF_NAME and GITHUB_REF_TYPE over the ref', () => {
    const { context } = readInputs(
      { GITHUB_REF_NAME: 'y', GITHUB_REF_TYPE: 'tag' },
      { ...PUSH, ref: 'refs/heads/x' },
    );
    expect([context.refName, context.refType]).toEqual(['y', 'tag']);
  });

  it('reads the run environment', () => {
    const { env } = readInputs({
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1/token?api-version=2.0',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
      AWS_ENDPOINT_URL_IOT: 'http://127.0.0.1:2',
      AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:3',
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4',
      HTTPS_PROXY: 'http://proxy:1',
      https_proxy: 'http://lower:1',
      http_proxy: 'http://lower:2',
      RUNNER_DEBUG: '1',
      GITHUB_WORKSPACE: '/ws',
      RUNNER_TEMP: '/runner/_temp',
      GITHUB_OUTPUT: '/runner/_temp/_runner_file_commands/set_output_1',
    });
    expect(env).toEqual({
      awsRegion: 'eu-west-1',
      awsDefaultRegion: 'us-east-1',
      idTokenRequestAvailable: true,
      idTokenRequestUrl: 'http://127.0.0.1/token?api-version=2.0',
      endpoints: {
        all: 'http://127.0.0.1:1',
        iot: 'http://127.0.0.1:2',
        sts: 'http://127.0.0.1:3',
        s3: 'http://127.0.0.1:4',
      },
      proxy: { https: 'http://proxy:1', http: 'http://lower:2' },
      runnerDebug: true,
      workspace: '/ws',
      runnerTemp: '/runner/_temp',
      outputFile: '/runner/_temp/_runner_file_commands/set_output_1',
      unknownInputVariables: [],
      timeScale: 1,
    });
  });

  it('treats empty variables as unset and defaults the workspace to the current directory', () => {
    const { env } = readInputs({
      AWS_REGION: ' ',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'http://x',
      GITHUB_WORKSPACE: '',
      RUNNER_TEMP: '',
      GITHUB_OUTPUT: '',
    });
    expect(env).toEqual({
      awsRegion: undefined,
      awsDefaultRegion: undefined,
      idTokenRequestAvailable: false,
      idTokenRequestUrl: 'http://x',
      endpoints: { all: undefined, iot: undefined, sts: undefined, s3: undefined },
      proxy: { https: undefined, http: undefined },
      runnerDebug: false,
      workspace: process.cwd(),
      runnerTemp: undefined,
      outputFile: undefined,
      unknownInputVariables: [],
      timeScale: 1,
    });
  });

  it.each([
    [undefined, 1],
    ['0.01', 0.01],
    ['1', 1],
    ['0', 1],
    ['2', 1],
    ['fast', 1],
  ])('reads OTA_ACTION_TIME_SCALE %s as %s', (text, scale) => {
    expect(readInputs(text === undefined ? {} : { OTA_ACTION_TIME_SCALE: text }).env.timeScale).toBe(scale);
  });

  it.each([
    [{ RUNNER_DEBUG: '1' }, true],
    [{ ACTIONS_STEP_DEBUG: 'true' }, true],
    [{ RUNNER_DEBUG: '0', ACTIONS_STEP_DEBUG: 'false' }, false],
    [{ RUNNER_DEBUG: 'true' }, false],
  ])('runnerDebug for %j is %s', (vars, expected) => {
    expect(readInputs(vars).env.runnerDebug).toBe(expected);
  });
});

describe('preferUpperCaseProxyVariables', () => {
  it('copies each set upper-case proxy variable over its lower-case spelling, and leaves the rest', () => {
    const env: NodeJS.ProcessEnv = {
      HTTPS_PROXY: ' http://upper:1 ',
      https_proxy: 'http://lower:1',
      http_proxy: 'http://lower:2',
      NO_PROXY: '',
      no_proxy: '.internal.example',
      PATH: '/bin',
    };
    preferUpperCaseProxyVariables(env);
    expect(env).toEqual({
      HTTPS_PROXY: ' http://upper:1 ',
      https_proxy: 'http://upper:1',
      http_proxy: 'http://lower:2',
      NO_PROXY: '',
      no_proxy: '.internal.example',
      PATH: '/bin',
    });
  });
});
