/** Real SDK clients pointed at an emulator, for the emulator's own tests. */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { IoTClient } from '@aws-sdk/client-iot';
import { S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Emulator } from '../../../emulator/index.js';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const ROLE_ARN = 'arn:aws:iam::123456789012:role/ota-deployer';
export const OTA_ROLE_ARN = 'arn:aws:iam::123456789012:role/iot-ota-service';
export const THING_GROUP = 'arn:aws:iot:us-east-1:123456789012:thinggroup/fleet';

export function clients(
  emulator: Emulator,
  credentials: Credentials = emulator.staticCredentials,
  maxAttempts = 1,
) {
  const region = emulator.env.AWS_REGION!;
  return {
    iot: new IoTClient({ region, endpoint: emulator.env.AWS_ENDPOINT_URL_IOT, credentials, maxAttempts }),
    s3: new S3Client({ region, endpoint: emulator.env.AWS_ENDPOINT_URL_S3, credentials, maxAttempts }),
    sts: new STSClient({ region, endpoint: emulator.env.AWS_ENDPOINT_URL_STS, credentials, maxAttempts }),
  };
}

/** Temporary credentials the emulator's STS issued for its default role. */
export async function assumeRole(emulator: Emulator): Promise<Required<Credentials>> {
  const sts = new STSClient({ region: emulator.env.AWS_REGION, endpoint: emulator.env.AWS_ENDPOINT_URL_STS });
  const out = await sts.send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: ROLE_ARN,
      RoleSessionName: 'emulator-test',
      WebIdentityToken: emulator.issueOidcToken(),
    }),
  );
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}

/** A valid CreateOTAUpdate input for `firmware-bucket/fw.bin`, which the caller must have put. */
export function createInput(otaUpdateId: string, version?: string) {
  return {
    otaUpdateId,
    targets: [THING_GROUP],
    roleArn: OTA_ROLE_ARN,
    files: [
      {
        fileName: 'fw.bin',
        fileVersion: '1.2.0',
        fileLocation: {
          s3Location: { bucket: 'firmware-bucket', key: 'fw.bin', ...(version ? { version } : {}) },
        },
      },
    ],
  };
}

/** The error an SDK call rejects with, for asserting on name, message and metadata. */
export async function failure(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}

/** The hash constructor @smithy/signature-v4 wants, from node:crypto (for signing raw requests in tests). */
/** The SDK's SourceData as something node:crypto takes. */
function bytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export class NodeSha256 {
  readonly #hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
}

/** A raw IoT request signed like the SDK signs it, for what the SDK would never send (e.g. `force=maybe`). */
export async function signedIot(
  emulator: Emulator,
  method: string,
  path: string,
  query: Record<string, string> = {},
  body = '',
): Promise<Response> {
  const url = new URL(`${emulator.url}${path}`);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const signer = new SignatureV4({
    service: 'iot',
    region: emulator.env.AWS_REGION,
    credentials: emulator.staticCredentials,
    sha256: NodeSha256,
  });
  const signed = await signer.sign({
    method,
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query,
    headers: {
      host: url.host,
      'content-type': 'application/json',
      'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
    },
    ...(body === '' ? {} : { body }),
  });
  return fetch(url, { method, headers: signed.headers, ...(body === '' ? {} : { body }) });
}
