/**
 * The CreateOTAUpdate request, built from Settings and the facts AWS supplies (target ARNs, S3 versions). Pure:
 * absent members are omitted, never sent as undefined or null, and a file's local `path` never reaches the API.
 * Its tags are the user's, then the action's fingerprint tags (plan/fingerprint.ts).
 */
import type { CreateOTAUpdateRequest, OTAUpdateFile } from '@aws-sdk/client-iot';
import type { FileFacts, FileSettings, Settings } from '../types.js';
import { fingerprintTags } from './fingerprint.js';

function present<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function buildFile(file: FileSettings, facts: FileFacts | undefined): OTAUpdateFile {
  const source = file.source;
  const fileLocation: OTAUpdateFile['fileLocation'] =
    source.kind === 's3'
      ? {
          s3Location: {
            bucket: source.bucket,
            key: source.key,
            ...present('version', facts?.s3Version ?? source.version),
          },
        }
      : { stream: { streamId: source.streamId, ...present('fileId', source.fileId) } };
  return {
    ...present('fileName', file.fileName),
    ...present('fileType', file.fileType),
    ...present('fileVersion', file.fileVersion),
    fileLocation,
    ...present('codeSigning', file.codeSigning),
    ...present('attributes', file.attributes),
  };
}

/** The request for `otaUpdateId` to `targetArns` (already expanded), with `facts` in the order of settings.files. */
export function buildRequest(
  settings: Settings,
  otaUpdateId: string,
  targetArns: string[],
  facts: FileFacts[],
): CreateOTAUpdateRequest {
  const request: CreateOTAUpdateRequest = {
    otaUpdateId,
    description: settings.description,
    targets: targetArns,
    protocols: settings.protocols,
    targetSelection: settings.targetSelection,
    ...present('awsJobExecutionsRolloutConfig', settings.rolloutConfig),
    ...present('awsJobPresignedUrlConfig', settings.presignedUrlConfig),
    ...present('awsJobAbortConfig', settings.abortConfig),
    ...present('awsJobTimeoutConfig', settings.timeoutConfig),
    files: settings.files.map((file, i) => buildFile(file, facts[i])),
    roleArn: settings.roleArn,
    ...present('additionalParameters', settings.additionalParameters),
  };
  // The user's tags as given, then the action's own: fingerprints of what GetOTAUpdate does not return.
  return { ...request, tags: [...(settings.tags ?? []), ...fingerprintTags(request)] };
}

function elideBytes(value: unknown): unknown {
  if (value instanceof Uint8Array) return `<${value.length} bytes elided>`;
  if (Array.isArray(value)) return value.map(elideBytes);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, elideBytes(v)]));
  }
  return value;
}

/** Pretty JSON of the request for logs and the `request` output; signature bytes become `"<N bytes elided>"`. */
export function requestToJson(request: CreateOTAUpdateRequest): string {
  return JSON.stringify(elideBytes(request), null, 2);
}
