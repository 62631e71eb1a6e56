/**
 * moto_server as a second, independent implementation of the S3 and STS paths the action uses: the same SDK calls
 * go to both, and the response shapes (and the values that are deterministic) must agree, up to the differences
 * listed in KNOWN_DIFFERENCES, each of which is a place where the emulator follows today's AWS and moto does not.
 */
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { findTool, startMotoServer, type MotoServer } from './tools.js';

const motoServer = findTool('moto_server', 'the moto conformance suite');
const MiB = 1024 * 1024;
const BUCKET = 'conformance-bucket';

type Outcome = Record<string, unknown>;

/** The shape of an SDK result: member names with their value types, recursively ($metadata dropped). */
function shapeOf(value: unknown): unknown {
  if (value instanceof Date) return 'Date';
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([k, v]) => k !== '$metadata' && v !== undefined);
    return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, shapeOf(v)]));
  }
  return typeof value;
}

function without(shape: unknown, paths: readonly string[]): unknown {
  const copy = structuredClone(shape) as Record<string, unknown>;
  for (const path of paths) {
    const parts = path.split('.');
    let node: unknown = copy;
    for (const part of parts.slice(0, -1))
      node = Array.isArray(node) ? node[0] : (node as Record<string, unknown>)?.[part];
    if (Array.isArray(node)) node = node[0];
    if (node && typeof node === 'object') delete (node as Record<string, unknown>)[parts.at(-1)!];
  }
  return copy;
}

/** Members one side returns and the other does not, per step, and why the emulator differs from moto. */
const KNOWN_DIFFERENCES: Record<string, { emulatorOnly?: string[]; motoOnly?: string[] }> = {
  // S3 encrypts every new object (SSE-S3) since January 2023 and says so; moto does not.
  put: { emulatorOnly: ['ServerSideEncryption', 'ChecksumType'] },
  putStream: { emulatorOnly: ['ServerSideEncryption', 'ChecksumType'] },
  head: { emulatorOnly: ['ServerSideEncryption', 'ChecksumType'] },
  upload: { emulatorOnly: ['ServerSideEncryption', 'ChecksumCRC32', 'ChecksumType'] },
  headUpload: { emulatorOnly: ['ServerSideEncryption', 'ChecksumType'] },
  uploadPart: { emulatorOnly: ['ServerSideEncryption'] },
  // S3 names the next markers; moto invents an owner and initiator per upload.
  listStarted: {
    emulatorOnly: ['NextKeyMarker', 'NextUploadIdMarker'],
    motoOnly: ['Uploads.Owner', 'Uploads.Initiator'],
  },
  listAfterAbort: { emulatorOnly: ['NextKeyMarker', 'NextUploadIdMarker'] },
  // STS answers these for an OIDC web identity; moto leaves them out and always reports a packed policy size.
  assume: {
    emulatorOnly: ['SubjectFromWebIdentityToken', 'Provider', 'Audience'],
    motoOnly: ['PackedPolicySize'],
  },
};

async function attempt(call: Promise<unknown>): Promise<Outcome> {
  try {
    return (await call) as Outcome;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { error: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
}

/** The action's S3 and STS calls, in order, against one server. */
async function scenario(s3: S3Client, sts: STSClient, token: string): Promise<Record<string, Outcome>> {
  const out: Record<string, Outcome> = {};
  out.createBucket = await attempt(s3.send(new CreateBucketCommand({ Bucket: BUCKET })));
  out.versioningBefore = await attempt(s3.send(new GetBucketVersioningCommand({ Bucket: BUCKET })));
  out.enableVersioning = await attempt(
    s3.send(
      new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }),
    ),
  );
  out.versioning = await attempt(s3.send(new GetBucketVersioningCommand({ Bucket: BUCKET })));
  out.put = await attempt(
    s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'fw/v1 2.bin',
        Body: 'firmware',
        Metadata: { sha256: 'abc' },
      }),
    ),
  );
  out.putStream = await attempt(
    s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'fw/v1 2.bin',
        Body: Readable.from([Buffer.from('firmware two')]),
        ContentLength: 12,
      }),
    ),
  );
  out.head = await attempt(
    s3.send(
      new HeadObjectCommand({
        Bucket: BUCKET,
        Key: 'fw/v1 2.bin',
        VersionId: out.put.VersionId as string,
        ChecksumMode: 'ENABLED',
      }),
    ),
  );
  out.upload = await attempt(
    new Upload({
      client: s3,
      params: {
        Bucket: BUCKET,
        Key: 'fw/big.bin',
        Body: Readable.from([Buffer.alloc(11 * MiB, 7)]),
        Metadata: { sha256: 'big' },
      },
      partSize: 5 * MiB,
    }).done(),
  );
  out.headUpload = await attempt(
    s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'fw/big.bin', ChecksumMode: 'ENABLED' })),
  );
  out.startUpload = await attempt(
    s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'fw/abandoned.bin' })),
  );
  const UploadId = out.startUpload.UploadId as string;
  out.uploadPart = await attempt(
    s3.send(
      new UploadPartCommand({
        Bucket: BUCKET,
        Key: 'fw/abandoned.bin',
        UploadId,
        PartNumber: 1,
        Body: 'part',
      }),
    ),
  );
  out.listStarted = await attempt(s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET })));
  out.abort = await attempt(
    s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'fw/abandoned.bin', UploadId })),
  );
  out.listAfterAbort = await attempt(s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET })));
  out.headMissing = await attempt(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'nope' })));
  out.headMissingVersion = await attempt(
    s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'fw/v1 2.bin', VersionId: 'nope' })),
  );
  out.getMissing = await attempt(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'nope' })));
  out.putNoBucket = await attempt(
    s3.send(new PutObjectCommand({ Bucket: 'no-such-bucket', Key: 'k', Body: 'x' })),
  );
  out.assume = await attempt(
    sts.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: 'arn:aws:iam::123456789012:role/ota-deployer',
        RoleSessionName: 'conformance',
        WebIdentityToken: token,
        DurationSeconds: 900,
      }),
    ),
  );
  return out;
}

describe.skipIf(!motoServer)('moto_server and the emulator answer the same calls alike', () => {
  let moto: MotoServer | undefined;
  let emulator: Emulator;
  let fromMoto: Record<string, Outcome>;
  let fromEmulator: Record<string, Outcome>;

  beforeAll(async () => {
    moto = await startMotoServer(motoServer!);
    emulator = await startEmulator();
    const client = (endpoint: string) => ({
      s3: new S3Client({
        region: 'us-east-1',
        endpoint,
        forcePathStyle: true,
        credentials: emulator.staticCredentials,
        maxAttempts: 1,
      }),
      sts: new STSClient({ region: 'us-east-1', endpoint, maxAttempts: 1 }),
    });
    const m = client(moto.url);
    const e = {
      ...client(emulator.env.AWS_ENDPOINT_URL_S3!),
      sts: client(emulator.env.AWS_ENDPOINT_URL_STS!).sts,
    };
    [fromMoto, fromEmulator] = await Promise.all([
      scenario(m.s3, m.sts, emulator.issueOidcToken()),
      scenario(e.s3, e.sts, emulator.issueOidcToken()),
    ]);
  }, 60_000);

  afterAll(async () => {
    await emulator?.close();
    await moto?.stop();
  });

  it('returns the same members for every step, but for the known differences', () => {
    expect(Object.keys(fromEmulator)).toEqual(Object.keys(fromMoto));
    for (const step of Object.keys(fromMoto)) {
      const known = KNOWN_DIFFERENCES[step] ?? {};
      expect({ step, shape: without(shapeOf(fromEmulator[step]), known.emulatorOnly ?? []) }).toEqual({
        step,
        shape: without(shapeOf(fromMoto[step]), known.motoOnly ?? []),
      });
    }
  });

  it('every known difference is still a difference', () => {
    for (const [step, known] of Object.entries(KNOWN_DIFFERENCES)) {
      const emulatorShape = JSON.stringify(shapeOf(fromEmulator[step]));
      const motoShape = JSON.stringify(shapeOf(fromMoto[step]));
      for (const path of known.emulatorOnly ?? [])
        expect(emulatorShape, `${step} ${path}`).toContain(`"${path.split('.').at(-1)}"`);
      for (const path of known.motoOnly ?? [])
        expect(motoShape, `${step} ${path}`).toContain(`"${path.split('.').at(-1)}"`);
    }
  });

  it('agrees on the deterministic values: ETags, checksums, metadata, sizes, statuses and errors', () => {
    const pick = (o: Outcome | undefined, keys: string[]) => Object.fromEntries(keys.map((k) => [k, o?.[k]]));
    const same = (step: string, keys: string[]) =>
      expect({ step, ...pick(fromEmulator[step], keys) }).toEqual({ step, ...pick(fromMoto[step], keys) });
    same('versioningBefore', ['Status']);
    same('versioning', ['Status']);
    same('put', ['ETag', 'ChecksumCRC32']);
    same('putStream', ['ETag', 'ChecksumCRC32']);
    same('head', ['ETag', 'ContentLength', 'ContentType', 'Metadata', 'ChecksumCRC32']);
    same('upload', ['ETag', 'Bucket', 'Key']);
    same('headUpload', ['ETag', 'ContentLength', 'Metadata']);
    same('uploadPart', ['ETag', 'ChecksumCRC32']);
    for (const step of ['headMissing', 'headMissingVersion', 'getMissing', 'putNoBucket'])
      same(step, ['error', 'message', 'status']);
    expect(fromEmulator.head!.VersionId).toBe(fromEmulator.put!.VersionId);
    expect(fromMoto.head!.VersionId).toBe(fromMoto.put!.VersionId);
    expect((fromEmulator.assume!.AssumedRoleUser as Outcome).Arn).toBe(
      (fromMoto.assume!.AssumedRoleUser as Outcome).Arn,
    );
  });

  it('computes the composite multipart checksum moto computes, with the -<parts> suffix S3 adds', () => {
    expect(fromEmulator.headUpload!.ChecksumCRC32).toBe(`${String(fromMoto.headUpload!.ChecksumCRC32)}-3`);
  });
});
