/**
 * The firmware side of a run: what each file's content is (sha256 of a local file, or the pinned version of an
 * existing object), whether an identical copy is already in S3, and the uploads still to do.
 * Read-only until uploadPending(), which is the only writer.
 */
import type { OTAUpdateInfo } from '@aws-sdk/client-iot';
import type { S3Client } from '@aws-sdk/client-s3';
import { getBucketVersioning, headObject } from '../aws/s3.js';
import { uploadFile } from '../aws/upload.js';
import { bucketNotVersioned } from '../aws/error-catalog.js';
import { sha256File } from './hash.js';
import type { RetryPolicy } from '../aws/retry.js';
import type { ShippedFile } from '../runner/report.js';
import type { FileFacts, FileSettings } from '../types.js';

export interface ResolvedFile {
  settings: FileSettings;
  facts: FileFacts;
  size: number | undefined;
  /** True until an identical copy is found in S3 or the upload has run. */
  needsUpload: boolean;
  origin: ShippedFile['origin'];
}

type GetS3 = () => Promise<S3Client>;

/** Hashes local files and pins the current version of objects named without one. */
export async function fingerprintFiles(
  files: readonly FileSettings[],
  getS3: GetS3,
  policy: Partial<RetryPolicy>,
): Promise<ResolvedFile[]> {
  const resolved: ResolvedFile[] = [];
  for (const settings of files) {
    const source = settings.source;
    if (source.kind === 'stream') {
      resolved.push({
        settings,
        facts: { sha256: undefined, s3Version: undefined },
        size: undefined,
        needsUpload: false,
        origin: 'stream',
      });
    } else if (source.localPath) {
      const { sha256, size } = await sha256File(source.localPath);
      resolved.push({
        settings,
        facts: { sha256, s3Version: source.version },
        size,
        needsUpload: true,
        origin: 'uploaded',
      });
    } else if (source.version) {
      resolved.push({
        settings,
        facts: { sha256: undefined, s3Version: source.version },
        size: undefined,
        needsUpload: false,
        origin: 'existing',
      });
    } else {
      const head = await headObject(await getS3(), source.bucket, source.key, undefined, {
        retryPolicy: policy,
      });
      resolved.push({
        settings,
        facts: { sha256: head?.sha256, s3Version: head?.versionId },
        size: head?.size,
        needsUpload: false,
        origin: 'existing',
      });
    }
  }
  return resolved;
}

/**
 * Looks for versions that already hold each file's bytes (known by sha256: local files, and objects this action
 * uploaded before) and adopts them instead of uploading again: the version an existing update ships, then (for
 * files not uploaded yet) the key's current version. This is what lets a re-run, or a concurrent run, of the same
 * release recognise its own update. Checks versioning before anything is written.
 */
export async function adoptExistingCopies(
  files: ResolvedFile[],
  getS3: GetS3,
  existing: OTAUpdateInfo | undefined,
  policy: Partial<RetryPolicy>,
): Promise<void> {
  const hashed = files.filter((f) => f.facts.sha256 !== undefined && f.settings.source.kind === 's3');
  if (hashed.length === 0) return;
  const s3 = await getS3();
  const pending = hashed.filter((f) => f.needsUpload);
  if (pending.length > 0) await ensureVersioned(s3, pending, policy);
  for (const [index, file] of files.entries()) {
    const source = file.settings.source;
    if (!hashed.includes(file) || source.kind !== 's3') continue;
    const shipped = existing?.otaUpdateFiles?.[index]?.fileLocation?.s3Location;
    const candidates: (string | undefined)[] = [];
    if (
      shipped?.bucket === source.bucket &&
      shipped.key === source.key &&
      shipped.version !== file.facts.s3Version
    ) {
      candidates.push(shipped.version);
    }
    if (file.needsUpload) candidates.push(undefined);
    for (const version of candidates) {
      const head = await headObject(s3, source.bucket, source.key, version, {
        allowMissing: true,
        retryPolicy: policy,
      });
      if (head?.versionId && head.sha256 === file.facts.sha256) {
        file.facts.s3Version = head.versionId;
        if (file.needsUpload) file.origin = 'reused';
        file.needsUpload = false;
        break;
      }
    }
  }
}

async function ensureVersioned(
  s3: S3Client,
  pending: readonly ResolvedFile[],
  policy: Partial<RetryPolicy>,
): Promise<void> {
  const buckets = new Set(
    pending.map((f) => (f.settings.source.kind === 's3' ? f.settings.source.bucket : '')),
  );
  for (const bucket of buckets) {
    const status = await getBucketVersioning(s3, bucket, policy);
    if (status !== 'Enabled') throw bucketNotVersioned(bucket, status);
  }
}

export interface UploadLog {
  info(message: string): void;
}

/** Uploads what is still missing, pinning each new version id. The run's only S3 write. */
export async function uploadPending(
  files: ResolvedFile[],
  getS3: GetS3,
  log: UploadLog,
  policy: Partial<RetryPolicy>,
  signal?: AbortSignal,
): Promise<void> {
  for (const file of files) {
    const source = file.settings.source;
    if (!file.needsUpload || source.kind !== 's3' || !source.localPath || !file.facts.sha256) continue;
    const s3 = await getS3();
    const target = `s3://${source.bucket}/${source.key}`;
    log.info(`Uploading ${source.localPath} (${file.size ?? '?'} bytes) to ${target}`);
    const sha256 = file.facts.sha256;
    const versionId = await uploadFile(s3, {
      bucket: source.bucket,
      key: source.key,
      path: source.localPath,
      sha256,
      ...(file.size === undefined ? {} : { size: file.size }),
      onProgress: (percent: number, bytes: number) =>
        log.info(`Uploading ${target}: ${percent}% (${bytes} bytes)`),
      retryPolicy: policy,
      ...(signal ? { signal } : {}),
    }).then(
      (uploaded) => uploaded.versionId,
      async (error: unknown) => {
        // The object may have landed although the reply did not (a lost CompleteMultipartUpload reply): if the
        // key's current version holds our bytes, it is our upload (or an identical one) and the run goes on.
        if (signal?.aborted) throw error;
        const landed = await headObject(s3, source.bucket, source.key, undefined, {
          allowMissing: true,
          retryPolicy: policy,
        }).catch(() => undefined);
        if (landed?.versionId && landed.sha256 === sha256) {
          log.info(
            `The upload reported a failure, but ${target} holds these bytes as version ${landed.versionId}`,
          );
          return landed.versionId;
        }
        throw error;
      },
    );
    file.facts.s3Version = versionId;
    file.needsUpload = false;
    file.origin = 'uploaded';
    log.info(`Uploaded ${target} as version ${versionId}`);
  }
}

export function describeFiles(files: readonly ResolvedFile[]): ShippedFile[] {
  return files.map(({ settings, facts, origin }) => {
    const source = settings.source;
    return {
      fileName: settings.fileName,
      location:
        source.kind === 's3'
          ? `s3://${source.bucket}/${source.key}`
          : `stream ${source.streamId}#${source.fileId ?? 0}`,
      s3Version: facts.s3Version,
      sha256: facts.sha256,
      origin,
    };
  });
}
