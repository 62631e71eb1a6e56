/** Small builders for the core's tests: raw inputs from a partial object, a GitHub context, a run env, a workspace. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError } from '../../src/errors.js';
import type { RunEnv } from '../../src/runner/inputs.js';
import { INPUTS, type InputName } from '../../src/runner/names.js';
import { type ParsedSettings, parseSettings } from '../../src/settings/settings.js';
import type { FileFacts, FileSettings, GitHubContext, RawInputs, Settings } from '../../src/types.js';

/** A workspace holding `fw.bin`, `other.bin`, `sig.bin` (bytes 1 2 3), `empty.sig` and a directory `dir`. */
export function makeWorkspace(): string {
  const ws = mkdtempSync(join(tmpdir(), 'ota-core-'));
  writeFileSync(join(ws, 'fw.bin'), 'firmware');
  writeFileSync(join(ws, 'other.bin'), 'other firmware');
  writeFileSync(join(ws, 'sig.bin'), Buffer.from([1, 2, 3]));
  writeFileSync(join(ws, 'empty.sig'), '');
  mkdirSync(join(ws, 'dir'));
  return ws;
}

/** Every input '' except those given. */
export function rawInputs(partial: Partial<Record<InputName, string>> = {}): RawInputs {
  const raw: Record<string, string> = {};
  for (const name of Object.values(INPUTS)) raw[name] = partial[name] ?? '';
  return raw;
}

const SHA = 'abcdef0123456789abcdef0123456789abcdef01';

/** A tag push of `acme/widget` at v1.2.0. */
export function githubContext(partial: Partial<GitHubContext> = {}): GitHubContext {
  return {
    repository: 'acme/widget',
    ref: 'refs/tags/v1.2.0',
    refName: 'v1.2.0',
    refType: 'tag',
    sha: SHA,
    runId: '42',
    runAttempt: '2',
    eventName: 'push',
    serverUrl: 'https://github.com',
    ...partial,
  };
}

export function runEnv(workspace: string, partial: Partial<RunEnv> = {}): RunEnv {
  return {
    awsRegion: undefined,
    awsDefaultRegion: undefined,
    idTokenRequestAvailable: true,
    idTokenRequestUrl: undefined,
    endpoints: { all: undefined, iot: undefined, sts: undefined, s3: undefined },
    proxy: { https: undefined, http: undefined },
    runnerDebug: false,
    workspace,
    runnerTemp: undefined,
    outputFile: undefined,
    unknownInputVariables: [],
    timeScale: 1,
    ...partial,
  };
}

export const ROLE = 'arn:aws:iam::123456789012:role/ota-service';

/** The least a valid run needs: region, service role, one target, a firmware file and its bucket. */
export const MINIMAL: Partial<Record<InputName, string>> = {
  'aws-region': 'eu-west-1',
  'ota-role-arn': ROLE,
  targets: 'thing/dev-1',
  firmware: 'fw.bin',
  's3-bucket': 'fw-bucket',
};

export interface Scenario {
  inputs?: Partial<Record<InputName, string>>;
  context?: Partial<GitHubContext>;
  env?: Partial<RunEnv>;
}

export function parseIn(workspace: string, s: Scenario): ParsedSettings {
  return parseSettings(
    rawInputs({ ...MINIMAL, ...s.inputs }),
    githubContext(s.context),
    runEnv(workspace, s.env),
  );
}

/** The problems a scenario is rejected with, as `input: message` lines; [] when it parses. */
export function problemsIn(workspace: string, s: Scenario): string[] {
  try {
    parseIn(workspace, s);
    return [];
  } catch (e) {
    if (e instanceof InvalidInputError) return e.problems.map((p) => `${p.input}: ${p.message}`);
    throw e;
  }
}

/** A Settings object as parseSettings would build it: one local firmware file, defaults elsewhere. */
export function makeSettings(partial: Partial<Settings> = {}): Settings {
  return {
    auth: {
      region: 'eu-west-1',
      roleToAssume: undefined,
      roleSessionName: 'ota-42-2',
      roleDurationSeconds: 3600,
      audience: 'sts.amazonaws.com',
    },
    otaUpdateId: undefined,
    roleArn: ROLE,
    targets: [{ kind: 'thing', name: 'dev-1' }],
    files: [localFile()],
    protocols: ['MQTT'],
    targetSelection: 'SNAPSHOT',
    description: 'acme/widget@v1.2.0 (abcdef0)',
    rolloutConfig: undefined,
    abortConfig: undefined,
    timeoutConfig: undefined,
    presignedUrlConfig: undefined,
    additionalParameters: undefined,
    tags: undefined,
    behaviour: {
      ifExists: 'reuse',
      wait: 'created',
      rollout: undefined,
      waitTimeoutSeconds: 600,
      dryRun: false,
    },
    release: { repoName: 'widget', refName: 'v1.2.0' },
    ...partial,
  };
}

export function localFile(partial: Partial<FileSettings> = {}): FileSettings {
  return {
    origin: 'firmware',
    fileName: 'fw.bin',
    fileType: undefined,
    fileVersion: 'v1.2.0',
    attributes: undefined,
    codeSigning: undefined,
    source: {
      kind: 's3',
      bucket: 'fw-bucket',
      key: 'widget/v1.2.0/fw.bin',
      version: undefined,
      localPath: '/ws/fw.bin',
    },
    ...partial,
  };
}

export const FW_SHA256 = 'a'.repeat(64);

/** What resolve learns of a file: a local file's sha256, an S3 version, or neither (a stream). */
export function fileFacts(sha256: string | undefined, s3Version: string | undefined): FileFacts {
  const origin =
    sha256 !== undefined
      ? s3Version === undefined
        ? 'upload'
        : 'uploaded'
      : s3Version
        ? 'existing'
        : 'stream';
  return { sha256, s3Version, size: undefined, origin };
}
