import { GetBucketVersioningCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClients, type AwsClients } from '../../../src/aws/clients.js';
import { getBucketVersioning, headObject } from '../../../src/aws/s3.js';
import { ActionError } from '../../../src/errors.js';
import { awsError } from './fixtures.js';
import { startLoopback, type Loopback } from './loopback.js';

const live = new AbortController().signal;

describe('with a mocked S3 client', () => {
  const s3Mock = mockClient(S3Client);
  const s3 = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  beforeEach(() => s3Mock.reset());
  afterAll(() => s3Mock.restore());

  it.each([
    ['Enabled', 'Enabled'],
    ['Suspended', 'Suspended'],
    [undefined, undefined],
  ] as const)('getBucketVersioning: Status %s → %s', async (status, expected) => {
    s3Mock.on(GetBucketVersioningCommand).resolves(status === undefined ? {} : { Status: status });
    await expect(getBucketVersioning(s3, 'fw-bucket', live)).resolves.toBe(expected);
    expect(s3Mock.commandCalls(GetBucketVersioningCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'fw-bucket' },
    ]);
  });

  it('getBucketVersioning reports NoSuchBucket', async () => {
    s3Mock
      .on(GetBucketVersioningCommand)
      .rejects(awsError('NoSuchBucket', 404, 'The specified bucket does not exist'));
    await expect(getBucketVersioning(s3, 'fw-bucket', live)).rejects.toMatchObject({
      code: 'NoSuchBucket',
      message:
        'Reading the versioning of S3 bucket fw-bucket failed with NoSuchBucket: The specified bucket does not exist',
      hint: 'Create S3 bucket fw-bucket (with versioning enabled) in eu-west-1, or fix s3-bucket.',
    });
    expect(s3Mock.commandCalls(GetBucketVersioningCommand)).toHaveLength(1);
  });

  it('headObject returns the version, our sha256 metadata and the size', async () => {
    s3Mock
      .on(HeadObjectCommand)
      .resolves({ VersionId: 'v3', Metadata: { sha256: 'ab'.repeat(32) }, ContentLength: 1234 });
    await expect(headObject(s3, 'fw-bucket', 'app.bin', 'v3', { signal: live })).resolves.toEqual({
      versionId: 'v3',
      sha256: 'ab'.repeat(32),
      size: 1234,
    });
    expect(s3Mock.commandCalls(HeadObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'fw-bucket', Key: 'app.bin', VersionId: 'v3' },
    ]);
  });

  it('headObject without metadata (an object someone else uploaded)', async () => {
    s3Mock.on(HeadObjectCommand).resolves({ VersionId: 'v1', ContentLength: 5 });
    await expect(headObject(s3, 'fw-bucket', 'app.bin', undefined, { signal: live })).resolves.toEqual({
      versionId: 'v1',
      sha256: undefined,
      size: 5,
    });
  });

  it('headObject with allowMissing returns undefined for a missing object, without a second call', async () => {
    s3Mock.on(HeadObjectCommand).rejects(awsError('NotFound', 404, 'UnknownError'));
    await expect(
      headObject(s3, 'fw-bucket', 'app.bin', undefined, { allowMissing: true, signal: live }),
    ).resolves.toBeUndefined();
    expect(s3Mock.calls()).toHaveLength(1);
  });

  it.each([
    [
      'a missing key',
      { Status: 'Enabled' as const },
      undefined,
      'NoSuchKey',
      'Looking up s3://fw-bucket/app.bin failed with NoSuchKey: no such object',
      'Upload the object first, or fix s3-key; with firmware set, this action uploads it.',
    ],
    [
      'a missing version',
      { Status: 'Enabled' as const },
      'v9',
      'NoSuchKey',
      'Looking up s3://fw-bucket/app.bin version v9 failed with NoSuchKey: no such version of the object',
      'Upload the object first, or fix s3-key and s3-version; with firmware set, this action uploads it.',
    ],
    [
      'a missing bucket',
      awsError('NoSuchBucket', 404, 'The specified bucket does not exist'),
      undefined,
      'NoSuchBucket',
      'Looking up s3://fw-bucket/app.bin failed with NoSuchBucket: the bucket does not exist',
      'Create S3 bucket fw-bucket (with versioning enabled) in eu-west-1, or fix s3-bucket.',
    ],
    [
      'a missing key when the bucket cannot be checked',
      awsError('AccessDenied', 403, 'Access Denied'),
      undefined,
      'NoSuchKey',
      'Looking up s3://fw-bucket/app.bin failed with NoSuchKey: no such object',
      'Upload the object first, or fix s3-key; with firmware set, this action uploads it.',
    ],
  ])('headObject tells %s apart', async (_label, versioning, version, code, message, hint) => {
    s3Mock.on(HeadObjectCommand).rejects(awsError('NotFound', 404, 'UnknownError'));
    if (versioning instanceof Error) s3Mock.on(GetBucketVersioningCommand).rejects(versioning);
    else s3Mock.on(GetBucketVersioningCommand).resolves(versioning);
    const error: unknown = await headObject(s3, 'fw-bucket', 'app.bin', version, { signal: live }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(ActionError);
    expect(error).toMatchObject({ code, message, hint });
    expect(s3Mock.commandCalls(HeadObjectCommand)).toHaveLength(1);
  });
});

describe('headObject on the wire (HEAD answers have no body)', () => {
  let server: Loopback;
  let clients: AwsClients;
  afterEach(async () => {
    clients.destroy();
    await server.close();
  });

  async function lookUp(status: number, versioningBody?: string): Promise<unknown> {
    server = await startLoopback((req, res) => {
      if (req.method === 'HEAD') {
        res.writeHead(status);
        res.end();
      } else if (versioningBody === undefined) {
        res.writeHead(404, { 'content-type': 'application/xml' });
        res.end(
          '<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>',
        );
      } else {
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end(versioningBody);
      }
    });
    clients = createClients({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      endpoints: { s3: server.url },
    });
    return headObject(await clients.s3(), 'fw-bucket', 'app.bin', undefined, { signal: live }).catch(
      (e) => e,
    );
  }

  const enabled = '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>';
  it.each([
    { status: 404, bucket: 'exists', body: enabled, code: 'NoSuchKey', methods: ['HEAD', 'GET'] },
    { status: 404, bucket: 'missing', body: undefined, code: 'NoSuchBucket', methods: ['HEAD', 'GET'] },
    { status: 403, bucket: 'exists', body: enabled, code: 'AccessDenied', methods: ['HEAD'] },
    { status: 400, bucket: 'exists', body: enabled, code: 'BadRequest', methods: ['HEAD'] },
  ])('HTTP $status, bucket $bucket → $code', async ({ status, body, code, methods }) => {
    const error = await lookUp(status, body);
    expect(error).toMatchObject({ code });
    expect(server.requests.map((r) => r.method)).toEqual(methods);
  });
});
