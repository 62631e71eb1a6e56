import { describe, expect, it } from 'vitest';
import { inputVariable, readInputs } from '../../../src/runner/inputs.js';
import { INPUTS } from '../../../src/runner/names.js';

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

  it('reads the full GitHub context', () => {
    const { context } = readInputs({
      GITHUB_REPOSITORY: 'acme/widget',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_REF_NAME: 'main',
      GITHUB_REF_TYPE: 'branch',
      GITHUB_SHA: 'abc',
      GITHUB_RUN_ID: '7',
      GITHUB_RUN_ATTEMPT: '3',
      GITHUB_EVENT_NAME: 'workflow_dispatch',
      GITHUB_SERVER_URL: 'https://ghe.example.com',
    });
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

  it.each([
    ['refs/tags/v1.2.0', 'v1.2.0', 'tag'],
    ['refs/heads/feature/x', 'feature/x', 'branch'],
    ['refs/pull/5/merge', '5/merge', ''],
    ['', '', ''],
  ])('derives name and type from GITHUB_REF %j', (ref, refName, refType) => {
    const { context } = readInputs({ GITHUB_REF: ref });
    expect([context.refName, context.refType, context.serverUrl]).toEqual([
      refName,
      refType,
      'https://github.com',
    ]);
  });

  it('prefers GITHUB_REF_NAME and GITHUB_REF_TYPE over GITHUB_REF', () => {
    const { context } = readInputs({
      GITHUB_REF: 'refs/heads/x',
      GITHUB_REF_NAME: 'y',
      GITHUB_REF_TYPE: 'tag',
    });
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
      no_proxy: '127.0.0.1',
      RUNNER_DEBUG: '1',
      GITHUB_WORKSPACE: '/ws',
      RUNNER_TEMP: '/runner/_temp',
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
      proxy: { https: 'http://proxy:1', http: 'http://lower:2', noProxy: '127.0.0.1' },
      runnerDebug: true,
      workspace: '/ws',
      runnerTemp: '/runner/_temp',
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
    });
    expect(env).toEqual({
      awsRegion: undefined,
      awsDefaultRegion: undefined,
      idTokenRequestAvailable: false,
      idTokenRequestUrl: 'http://x',
      endpoints: { all: undefined, iot: undefined, sts: undefined, s3: undefined },
      proxy: { https: undefined, http: undefined, noProxy: undefined },
      runnerDebug: false,
      workspace: process.cwd(),
      runnerTemp: undefined,
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
