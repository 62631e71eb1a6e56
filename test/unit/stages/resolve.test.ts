import { GetOTAUpdateCommand, IoTClient } from '@aws-sdk/client-iot';
import { GetBucketVersioningCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ActionError, InvalidInputError } from '../../../src/errors.js';
import { findCopies, resolve } from '../../../src/stages/resolve.js';
import type { FileSettings } from '../../../src/types.js';
import { awsError } from '../aws/fixtures.js';
import { fileFacts, localFile, makeSettings } from '../fixtures.js';
import { testContext } from './context.js';

const s3Mock = mockClient(S3Client);
const iotMock = mockClient(IoTClient);

const dir = mkdtempSync(join(tmpdir(), 'resolve-test-'));
const firmwarePath = join(dir, 'fw.bin');
writeFileSync(firmwarePath, 'firmware bytes');
const SHA256 = createHash('sha256').update('firmware bytes').digest('hex');
const OTHER_SHA256 = 'ab'.repeat(32);

const local = (): FileSettings =>
  localFile({
    source: { kind: 's3', bucket: 'b', key: 'k/fw.bin', version: undefined, localPath: firmwarePath },
  });
const existingObject = (version: string | undefined): FileSettings =>
  localFile({ source: { kind: 's3', bucket: 'b', key: 'k', version, localPath: undefined } });

beforeEach(() => {
  s3Mock.reset();
  iotMock.reset();
  iotMock.on(GetOTAUpdateCommand).rejects(awsError('ResourceNotFoundException', 404));
  s3Mock.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
});

describe('resolve', () => {
  it('hashes a local file, derives the id from it, finds the id free and plans an upload', async () => {
    s3Mock.on(HeadObjectCommand).rejects(awsError('NotFound', 404));
    const facts = await resolve(makeSettings({ files: [local()] }), testContext());
    expect(facts.files).toEqual([{ sha256: SHA256, size: 14, s3Version: undefined, origin: 'upload' }]);
    expect(facts.otaUpdateId).toMatch(/^widget-v1-2-0-[0-9a-f]{8}$/);
    expect(facts.derivedId).toBe(true);
    expect(facts.existing).toBeUndefined();
    expect(facts.targets).toEqual(['arn:aws:iot:eu-west-1:123456789012:thing/dev-1']);
    expect(iotMock.commandCalls(GetOTAUpdateCommand)[0]?.args[0].input).toEqual({
      otaUpdateId: facts.otaUpdateId,
    });
  });

  it('refuses a target in another account as InvalidInput, before any call', async () => {
    const settings = makeSettings({
      files: [local()],
      targets: [{ kind: 'arn', arn: 'arn:aws:iot:eu-west-1:999999999999:thinggroup/theirs' }],
    });
    const error: unknown = await resolve(settings, testContext()).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).message).toBe(
      'Invalid input targets: "arn:aws:iot:eu-west-1:999999999999:thinggroup/theirs" is in account 999999999999 in aws/eu-west-1, but the update is created by account 123456789012 in aws/eu-west-1: a job targets things and thing groups of its own account and region only',
    );
    expect([...iotMock.calls(), ...s3Mock.calls()]).toHaveLength(0);
  });

  it('uses thing/a and its full ARN once, with a warning', async () => {
    s3Mock.on(HeadObjectCommand).rejects(awsError('NotFound', 404));
    const ctx = testContext();
    const settings = makeSettings({
      files: [local()],
      targets: [
        { kind: 'thing', name: 'dev-1' },
        { kind: 'arn', arn: 'arn:aws:iot:eu-west-1:123456789012:thing/dev-1' },
      ],
    });
    const facts = await resolve(settings, ctx);
    expect(facts.targets).toEqual(['arn:aws:iot:eu-west-1:123456789012:thing/dev-1']);
    expect(ctx.recorded.log.filter((line) => line.startsWith('warning:'))).toEqual([
      'warning: targets: "thing/dev-1" and "arn:aws:iot:eu-west-1:123456789012:thing/dev-1" are the same target (arn:aws:iot:eu-west-1:123456789012:thing/dev-1); it is used once',
    ]);
  });

  it('pins the current version of an existing object named without one', async () => {
    s3Mock.on(HeadObjectCommand).resolves({ VersionId: 'cur', ContentLength: 5, Metadata: {} });
    const facts = await resolve(makeSettings({ files: [existingObject(undefined)] }), testContext());
    expect(facts.files).toEqual([{ sha256: undefined, size: 5, s3Version: 'cur', origin: 'existing' }]);
  });

  it('fails BucketNotVersioned when HeadObject answers without a VersionId (an unversioned bucket), before any write', async () => {
    s3Mock.on(HeadObjectCommand).resolves({ ContentLength: 5, Metadata: {} });
    const error: unknown = await resolve(
      makeSettings({ files: [existingObject(undefined)] }),
      testContext(),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(ActionError);
    expect((error as ActionError).code).toBe('BucketNotVersioned');
    expect((error as ActionError).message).toBe(
      'S3 object s3://b/k has no version id (HeadObject answered without one), so bucket b does not keep versions and the update could not pin the version it ships.',
    );
    expect(iotMock.calls()).toHaveLength(0);
  });

  it('takes a given version as it is, without any S3 call', async () => {
    const facts = await resolve(makeSettings({ files: [existingObject('given')] }), testContext());
    expect(facts.files[0]).toMatchObject({ s3Version: 'given', origin: 'existing' });
    expect(s3Mock.calls()).toHaveLength(0);
  });

  it('fails BucketNotVersioned before anything is written', async () => {
    s3Mock.on(GetBucketVersioningCommand).resolves({});
    const error: unknown = await resolve(makeSettings({ files: [local()] }), testContext()).catch((e) => e);
    expect(error).toBeInstanceOf(ActionError);
    expect(error).toMatchObject({ code: 'BucketNotVersioned' });
    expect((error as ActionError).message).toContain('S3 bucket b');
  });

  it('reuses the current version when it already holds the same bytes', async () => {
    s3Mock
      .on(HeadObjectCommand)
      .resolves({ VersionId: 'same', ContentLength: 14, Metadata: { sha256: SHA256 } });
    const facts = await resolve(makeSettings({ files: [local()] }), testContext());
    expect(facts.files[0]).toMatchObject({ origin: 'reused', s3Version: 'same' });
  });

  it('keeps the upload when the current version holds other bytes', async () => {
    s3Mock
      .on(HeadObjectCommand)
      .resolves({ VersionId: 'other', ContentLength: 3, Metadata: { sha256: OTHER_SHA256 } });
    const facts = await resolve(makeSettings({ files: [local()] }), testContext());
    expect(facts.files[0]).toMatchObject({ origin: 'upload', s3Version: undefined });
  });
});

describe('findCopies', () => {
  it('prefers the version an existing update ships when it holds the same bytes (a re-run after someone re-uploaded)', async () => {
    s3Mock
      .on(HeadObjectCommand, { VersionId: 'shipped' })
      .resolves({ VersionId: 'shipped', ContentLength: 14, Metadata: { sha256: SHA256 } });
    const files = await findCopies(
      [local()],
      [fileFacts(SHA256, undefined)],
      {
        otaUpdateFiles: [
          { fileLocation: { s3Location: { bucket: 'b', key: 'k/fw.bin', version: 'shipped' } } },
        ],
      },
      testContext(),
    );
    expect(files[0]).toMatchObject({ origin: 'reused', s3Version: 'shipped' });
    expect(s3Mock.commandCalls(HeadObjectCommand)).toHaveLength(1);
  });

  it('re-points an uploaded file at the version a concurrent run shipped with the same bytes', async () => {
    s3Mock
      .on(HeadObjectCommand, { VersionId: 'theirs' })
      .resolves({ VersionId: 'theirs', ContentLength: 14, Metadata: { sha256: SHA256 } });
    const files = await findCopies(
      [local()],
      [fileFacts(SHA256, 'ours')],
      {
        otaUpdateFiles: [
          { fileLocation: { s3Location: { bucket: 'b', key: 'k/fw.bin', version: 'theirs' } } },
        ],
      },
      testContext(),
    );
    expect(files[0]).toMatchObject({ origin: 'uploaded', s3Version: 'theirs' });
  });

  it('leaves streams and objects of unknown content alone, without a call', async () => {
    const stream = localFile({ source: { kind: 'stream', streamId: 's', fileId: 1 } });
    const facts = [fileFacts(undefined, undefined), fileFacts(undefined, 'v1')];
    await expect(
      findCopies([stream, existingObject('v1')], facts, undefined, testContext()),
    ).resolves.toEqual(facts);
    expect(s3Mock.calls()).toHaveLength(0);
  });
});
