/**
 * Properties of the derived OTA update id: always a valid id, the same for the same release (however it is
 * written down or re-uploaded), different for a different one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveOtaUpdateId, releaseHash } from '../../../src/plan/release-id.js';
import type { FileFacts, FileSettings, Settings, TargetRef } from '../../../src/types.js';
import { fileFacts, makeSettings } from '../fixtures.js';

const RUNS = { numRuns: 150 };
const ID_PATTERN = /^[A-Za-z0-9_-]{1,56}$/;

const name = fc.stringMatching(/^[a-zA-Z0-9:_-]{1,20}$/);
const target: fc.Arbitrary<TargetRef> = fc.oneof(
  name.map((n) => ({ kind: 'thing' as const, name: n })),
  name.map((n) => ({ kind: 'thinggroup' as const, name: n })),
  fc
    .tuple(fc.constantFrom('thing', 'thinggroup'), name, fc.constantFrom('us-east-1', 'eu-west-1'))
    .map(([kind, n, region]) => ({
      kind: 'arn' as const,
      arn: `arn:aws:iot:${region}:123456789012:${kind}/${n}`,
    })),
);
const targets = fc.uniqueArray(target, {
  minLength: 1,
  maxLength: 6,
  selector: (t) => (t.kind === 'arn' ? t.arn : `${t.kind}/${t.name}`),
});
const sha256 = fc.stringMatching(/^[0-9a-f]{64}$/);
const version = fc.stringMatching(/^[A-Za-z0-9._-]{1,32}$/);
const attributes = fc.option(fc.dictionary(name, fc.string({ maxLength: 10 }), { minKeys: 1, maxKeys: 4 }), {
  nil: undefined,
});

interface FileCase {
  file: FileSettings;
  facts: FileFacts;
}

const localFile: fc.Arbitrary<FileCase> = fc
  .record({
    fileName: name,
    fileVersion: version,
    attributes,
    sha256,
    key: name,
    uploaded: fc.option(version),
  })
  .map((f) => ({
    file: {
      origin: 'firmware',
      fileName: f.fileName,
      fileType: undefined,
      fileVersion: f.fileVersion,
      attributes: f.attributes,
      codeSigning: undefined,
      source: { kind: 's3', bucket: 'fw', key: f.key, version: undefined, localPath: `/ws/${f.key}` },
    },
    facts: fileFacts(f.sha256, f.uploaded ?? undefined),
  }));
const existingObject: fc.Arbitrary<FileCase> = fc
  .record({
    fileName: name,
    key: name,
    pinned: version,
    fileType: fc.option(fc.integer({ min: 0, max: 255 })),
  })
  .map((f) => ({
    file: {
      origin: 's3-key',
      fileName: f.fileName,
      fileType: f.fileType ?? undefined,
      fileVersion: undefined,
      attributes: undefined,
      codeSigning: { awsSignerJobId: 'job-1' },
      source: { kind: 's3', bucket: 'fw', key: f.key, version: undefined, localPath: undefined },
    },
    facts: fileFacts(undefined, f.pinned),
  }));
const streamFile: fc.Arbitrary<FileCase> = fc
  .record({ fileName: name, streamId: name, fileId: fc.integer({ min: 0, max: 255 }) })
  .map((f) => ({
    file: {
      origin: 'files[0]',
      fileName: f.fileName,
      fileType: undefined,
      fileVersion: undefined,
      attributes: undefined,
      codeSigning: undefined,
      source: { kind: 'stream', streamId: f.streamId, fileId: f.fileId },
    },
    facts: fileFacts(undefined, undefined),
  }));

interface Release {
  settings: Settings;
  facts: FileFacts[];
}

const release: fc.Arbitrary<Release> = fc
  .record({
    targets,
    files: fc.array(fc.oneof(localFile, existingObject, streamFile), { minLength: 1, maxLength: 3 }),
    protocols: fc.constantFrom<Settings['protocols']>(['MQTT'], ['HTTP'], ['MQTT', 'HTTP']),
    targetSelection: fc.constantFrom<Settings['targetSelection']>('SNAPSHOT', 'CONTINUOUS'),
    maximumPerMinute: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
    timeout: fc.option(fc.integer({ min: 1, max: 10080 }), { nil: undefined }),
    repoName: fc.string({ maxLength: 80, unit: 'binary' }),
    refName: fc.string({ maxLength: 80, unit: 'binary' }),
  })
  .map((r) => ({
    settings: makeSettings({
      targets: r.targets,
      files: r.files.map((f) => f.file),
      protocols: r.protocols,
      targetSelection: r.targetSelection,
      rolloutConfig: r.maximumPerMinute === undefined ? undefined : { maximumPerMinute: r.maximumPerMinute },
      timeoutConfig: r.timeout === undefined ? undefined : { inProgressTimeoutInMinutes: r.timeout },
      release: { repoName: r.repoName, refName: r.refName },
    }),
    facts: r.files.map((f) => f.facts),
  }));

const idOf = ({ settings, facts }: Release): string => deriveOtaUpdateId(settings, facts);

/** The same list in another order (a rotation by `by` and then reversed when `flip`). */
function reorder<T>(items: readonly T[], by: number, flip: boolean): T[] {
  const shift = items.length === 0 ? 0 : by % items.length;
  const rotated = [...items.slice(shift), ...items.slice(0, shift)];
  return flip ? rotated.reverse() : rotated;
}

/** A copy whose objects hold their keys in reverse insertion order. */
function reverseKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reverseKeys) as T;
  if (value instanceof Uint8Array || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reverseKeys(v)]),
  ) as T;
}

describe('deriveOtaUpdateId', () => {
  it('is always 1..56 characters of [A-Za-z0-9_-], ending in 8 hex of the release hash', () => {
    fc.assert(
      fc.property(release, (r) => {
        const id = idOf(r);
        expect(id).toMatch(ID_PATTERN);
        expect(id.endsWith(releaseHash(r.settings, r.facts).slice(0, 8))).toBe(true);
      }),
      RUNS,
    );
  });

  it('is deterministic, also for a deep copy of the same release', () => {
    fc.assert(
      fc.property(release, (r) => {
        expect(idOf(r)).toBe(idOf(r));
        expect(idOf(structuredClone(r))).toBe(idOf(r));
      }),
      RUNS,
    );
  });

  it('is the same however the targets and protocols are ordered and object keys are written', () => {
    fc.assert(
      fc.property(release, fc.nat(), fc.boolean(), (r, by, flip) => {
        const settings: Settings = {
          ...reverseKeys(r.settings),
          targets: reorder(r.settings.targets, by, flip),
          protocols: reorder(r.settings.protocols, by, !flip),
        };
        expect(idOf({ settings, facts: r.facts })).toBe(idOf(r));
      }),
      RUNS,
    );
  });

  it('does not depend on the S3 version an upload gave a local file', () => {
    fc.assert(
      fc.property(
        release,
        fc.array(fc.option(version, { nil: undefined }), { minLength: 3, maxLength: 3 }),
        (r, versions) => {
          const facts = r.facts.map((f, i) =>
            f.sha256 === undefined ? f : { ...f, s3Version: versions[i] },
          );
          expect(idOf({ settings: r.settings, facts })).toBe(idOf(r));
        },
      ),
      RUNS,
    );
  });

  it('does not depend on the description, tags, additional parameters or behaviour', () => {
    fc.assert(
      fc.property(release, fc.string(), fc.boolean(), (r, words, flag) => {
        const settings: Settings = {
          ...r.settings,
          description: words,
          tags: [{ Key: 'k', Value: words }],
          additionalParameters: { a: words },
          behaviour: {
            ifExists: flag ? 'replace' : 'fail',
            wait: flag ? 'rollout' : 'none',
            rollout: flag ? { successPercentage: 50, timeoutMinutes: 5, cancelOnFailure: flag } : undefined,
            waitTimeoutSeconds: 5,
            dryRun: flag,
          },
        };
        expect(idOf({ settings, facts: r.facts })).toBe(idOf(r));
      }),
      RUNS,
    );
  });

  it('differs when a local file holds other bytes, or an existing object is pinned to another version', () => {
    fc.assert(
      fc.property(release, fc.nat(), sha256, version, (r, at, otherSha, otherVersion) => {
        const i = at % r.facts.length;
        const facts = r.facts.map((f, j) => {
          if (j !== i || r.settings.files[j]?.source.kind !== 's3') return f;
          return f.sha256 === undefined ? { ...f, s3Version: otherVersion } : { ...f, sha256: otherSha };
        });
        fc.pre(JSON.stringify(facts[i]) !== JSON.stringify(r.facts[i]));
        expect(idOf({ settings: r.settings, facts })).not.toBe(idOf(r));
      }),
      RUNS,
    );
  });

  it('differs when a target is added or removed', () => {
    fc.assert(
      fc.property(release, target, (r, extra) => {
        const written = (t: TargetRef) => (t.kind === 'arn' ? t.arn : `${t.kind}/${t.name}`);
        fc.pre(!r.settings.targets.some((t) => written(t) === written(extra)));
        const more = { ...r.settings, targets: [...r.settings.targets, extra] };
        expect(idOf({ settings: more, facts: r.facts })).not.toBe(idOf(r));
        if (r.settings.targets.length > 1) {
          const fewer = { ...r.settings, targets: r.settings.targets.slice(1) };
          expect(idOf({ settings: fewer, facts: r.facts })).not.toBe(idOf(r));
        }
      }),
      RUNS,
    );
  });

  it('differs when a job config, the role, a file name or a file version changes', () => {
    const change = fc.constantFrom('rollout', 'timeout', 'role', 'file-name', 'file-version', 'selection');
    fc.assert(
      fc.property(release, change, (r, what) => {
        const s = r.settings;
        const [first, ...rest] = s.files;
        if (first === undefined) throw new Error('a release has at least one file');
        const changed: Settings = {
          rollout: {
            ...s,
            rolloutConfig: { maximumPerMinute: (s.rolloutConfig?.maximumPerMinute ?? 0) + 1 },
          },
          timeout: {
            ...s,
            timeoutConfig: {
              inProgressTimeoutInMinutes: (s.timeoutConfig?.inProgressTimeoutInMinutes ?? 0) + 1,
            },
          },
          role: { ...s, roleArn: `${s.roleArn}-2` },
          'file-name': { ...s, files: [{ ...first, fileName: `${first.fileName ?? ''}.v2` }, ...rest] },
          'file-version': {
            ...s,
            files: [{ ...first, fileVersion: `${first.fileVersion ?? ''}+1` }, ...rest],
          },
          selection: {
            ...s,
            targetSelection:
              s.targetSelection === 'SNAPSHOT' ? ('CONTINUOUS' as const) : ('SNAPSHOT' as const),
          },
        }[what];
        if (changed === undefined) throw new Error(`no change named ${what}`);
        expect(idOf({ settings: changed, facts: r.facts })).not.toBe(idOf(r));
      }),
      RUNS,
    );
  });
});
