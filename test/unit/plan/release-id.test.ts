import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveOtaUpdateId, releaseHash, releaseIdentity } from '../../../src/plan/release-id.js';
import { canonicalJson } from '../../../src/plan/canonical-json.js';
import { OTA_UPDATE_ID_MAX_LENGTH } from '../../../src/settings/ota-update-id.js';
import type { FileFacts, Settings } from '../../../src/types.js';
import { fileFacts, FW_SHA256, localFile, makeSettings, ROLE } from '../fixtures.js';

const LOCAL: FileFacts[] = [fileFacts(FW_SHA256, undefined)];
const existingObject = localFile({
  source: { kind: 's3', bucket: 'b', key: 'k/fw.bin', version: undefined, localPath: undefined },
});

describe('releaseIdentity', () => {
  it('holds targets, role, protocols, selection, job configs and per file its identity, content by sha256', () => {
    const settings = makeSettings({
      targets: [
        { kind: 'thinggroup', name: 'b' },
        { kind: 'thing', name: 'a' },
      ],
      protocols: ['MQTT', 'HTTP'],
      timeoutConfig: { inProgressTimeoutInMinutes: 5 },
      files: [
        localFile({
          fileType: 2,
          attributes: { a: 'b' },
          codeSigning: {
            customCodeSigning: {
              signature: { inlineDocument: new Uint8Array([0, 1, 2]) },
              hashAlgorithm: 'SHA256',
              signatureAlgorithm: 'ECDSA',
            },
          },
        }),
      ],
    });
    expect(releaseIdentity(settings, [fileFacts(FW_SHA256, 'issued-by-upload')])).toEqual({
      targets: ['thing/a', 'thinggroup/b'],
      roleArn: ROLE,
      protocols: ['HTTP', 'MQTT'],
      targetSelection: 'SNAPSHOT',
      rolloutConfig: null,
      abortConfig: null,
      timeoutConfig: { inProgressTimeoutInMinutes: 5 },
      presignedUrlConfig: null,
      files: [
        {
          name: 'fw.bin',
          type: 2,
          version: 'v1.2.0',
          attributes: { a: 'b' },
          signing: {
            customCodeSigning: {
              signature: { inlineDocument: 'AAEC' },
              hashAlgorithm: 'SHA256',
              signatureAlgorithm: 'ECDSA',
            },
          },
          content: { sha256: FW_SHA256 },
        },
      ],
    });
  });

  it('identifies an existing object by bucket, key and the pinned version, and a stream by its ids', () => {
    const settings = makeSettings({
      files: [
        existingObject,
        localFile({ source: { kind: 's3', bucket: 'b', key: 'k2', version: 'given', localPath: undefined } }),
        localFile({ source: { kind: 'stream', streamId: 's', fileId: 3 } }),
      ],
    });
    const identity = releaseIdentity(settings, [
      fileFacts(undefined, 'pinned'),
      fileFacts(undefined, undefined),
      fileFacts(undefined, undefined),
    ]) as { files: { content: unknown }[] };
    expect(identity.files.map((f) => f.content)).toEqual([
      { bucket: 'b', key: 'k/fw.bin', version: 'pinned' },
      { bucket: 'b', key: 'k2', version: 'given' },
      { streamId: 's', fileId: 3 },
    ]);
  });

  it('refuses facts that do not match the files', () => {
    expect(() => releaseIdentity(makeSettings(), [])).toThrow('release identity: 0 file facts for 1 files');
    expect(() => releaseIdentity(makeSettings(), [fileFacts(undefined, 'v')])).toThrow(
      'release identity: no sha256 for the local file of files[0]',
    );
  });
});

describe('deriveOtaUpdateId', () => {
  const hashOf = (settings: Settings, facts: FileFacts[]) =>
    createHash('sha256')
      .update(canonicalJson(releaseIdentity(settings, facts)))
      .digest('hex')
      .slice(0, 8);

  it('is <repo>-<ref>-<8 hex of the release hash>, sanitised', () => {
    const settings = makeSettings();
    const id = deriveOtaUpdateId(settings, LOCAL);
    expect(id).toBe(`widget-v1-2-0-${hashOf(settings, LOCAL)}`);
    expect(releaseHash(settings, LOCAL).slice(0, 8)).toBe(hashOf(settings, LOCAL));
  });

  it('is deterministic, and pinned to this value for these settings', () => {
    expect(deriveOtaUpdateId(makeSettings(), LOCAL)).toBe(deriveOtaUpdateId(makeSettings(), LOCAL));
    expect(deriveOtaUpdateId(makeSettings(), LOCAL)).toMatchInlineSnapshot(`"widget-v1-2-0-de7b554f"`);
  });

  it('ignores the S3 version an upload issued for a local file', () => {
    const facts = (s3Version: string | undefined): FileFacts[] => [fileFacts(FW_SHA256, s3Version)];
    const ids = [undefined, 'v-1', 'v-2'].map((v) => deriveOtaUpdateId(makeSettings(), facts(v)));
    expect(new Set(ids).size).toBe(1);
  });

  it('changes with the content of a local file', () => {
    const other: FileFacts[] = [fileFacts('b'.repeat(64), undefined)];
    expect(deriveOtaUpdateId(makeSettings(), other)).not.toBe(deriveOtaUpdateId(makeSettings(), LOCAL));
  });

  it('changes with the pinned version of an existing object', () => {
    const settings = makeSettings({ files: [existingObject] });
    const a = deriveOtaUpdateId(settings, [fileFacts(undefined, 'v1')]);
    const b = deriveOtaUpdateId(settings, [fileFacts(undefined, 'v2')]);
    expect(a).not.toBe(b);
  });

  const changes: [string, Partial<Settings>][] = [
    ['targets', { targets: [{ kind: 'thing', name: 'dev-2' }] }],
    ['role', { roleArn: 'arn:aws:iam::123456789012:role/other' }],
    ['protocols', { protocols: ['HTTP'] }],
    ['target selection', { targetSelection: 'CONTINUOUS' }],
    ['rollout config', { rolloutConfig: { maximumPerMinute: 5 } }],
    ['abort config', { abortConfig: { abortCriteriaList: [] } }],
    ['timeout config', { timeoutConfig: { inProgressTimeoutInMinutes: 5 } }],
    ['presigned URL config', { presignedUrlConfig: { expiresInSec: 60 } }],
    ['file name', { files: [localFile({ fileName: 'x.bin' })] }],
    ['file type', { files: [localFile({ fileType: 1 })] }],
    ['file version', { files: [localFile({ fileVersion: '2' })] }],
    ['file attributes', { files: [localFile({ attributes: { a: 'b' } })] }],
    ['signing', { files: [localFile({ codeSigning: { awsSignerJobId: 'j' } })] }],
  ];
  it.each(changes)('changes with the %s', (_what, change) => {
    expect(deriveOtaUpdateId(makeSettings(change), LOCAL)).not.toBe(deriveOtaUpdateId(makeSettings(), LOCAL));
  });

  const same: [string, Partial<Settings>][] = [
    ['description', { description: 'other words' }],
    ['tags', { tags: [{ Key: 'k', Value: 'v' }] }],
    ['additional parameters', { additionalParameters: { a: 'b' } }],
    [
      'behaviour',
      {
        behaviour: {
          ifExists: 'replace',
          wait: 'rollout',
          rollout: { successPercentage: 50, timeoutMinutes: 5, cancelOnFailure: true },
          waitTimeoutSeconds: 1,
          dryRun: true,
        },
      },
    ],
    [
      'upload destination of a local file',
      {
        files: [
          localFile({
            source: { kind: 's3', bucket: 'o', key: 'o/fw.bin', version: undefined, localPath: '/o/fw.bin' },
          }),
        ],
      },
    ],
  ];
  it.each(same)('does not change with the %s', (_what, change) => {
    expect(deriveOtaUpdateId(makeSettings(change), LOCAL)).toBe(deriveOtaUpdateId(makeSettings(), LOCAL));
  });

  it('does not depend on the order of targets or protocols', () => {
    const ab = makeSettings({
      targets: [
        { kind: 'thing', name: 'a' },
        { kind: 'thing', name: 'b' },
      ],
      protocols: ['MQTT', 'HTTP'],
    });
    const ba = makeSettings({
      targets: [
        { kind: 'thing', name: 'b' },
        { kind: 'thing', name: 'a' },
      ],
      protocols: ['HTTP', 'MQTT'],
    });
    expect(deriveOtaUpdateId(ab, LOCAL)).toBe(deriveOtaUpdateId(ba, LOCAL));
  });

  const names: [string, string, string][] = [
    ['widget', 'feature/new.ui', 'widget-feature-new-ui'],
    ['my.repo', '', 'my-repo'],
    ['', '', 'ota'],
    ['r'.repeat(30), 'f'.repeat(30), `${'r'.repeat(23)}-${'f'.repeat(23)}`],
    ['r'.repeat(10), 'f'.repeat(60), `${'r'.repeat(10)}-${'f'.repeat(36)}`],
    ['r'.repeat(60), 'v1', `${'r'.repeat(44)}-v1`],
    ['r'.repeat(80), '', 'r'.repeat(47)],
    ['a---', '--b', 'a-b'],
  ];
  it.each(names)(
    'shortens and sanitises repo %j ref %j to %j, keeping the hash',
    (repoName, refName, prefix) => {
      const settings = makeSettings({ release: { repoName, refName } });
      const id = deriveOtaUpdateId(settings, LOCAL);
      expect(id).toBe(`${prefix}-${hashOf(settings, LOCAL)}`);
      expect(id.length).toBeLessThanOrEqual(OTA_UPDATE_ID_MAX_LENGTH);
      expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    },
  );

  it('fills the 56-character bound when the names are long', () => {
    const settings = makeSettings({ release: { repoName: 'r'.repeat(100), refName: 'f'.repeat(100) } });
    expect(deriveOtaUpdateId(settings, LOCAL)).toHaveLength(56);
  });
});
