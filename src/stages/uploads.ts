/**
 * The uploads a plan asks for: each local file streamed to its bucket and key, its new version pinned. The run's
 * only S3 write. A failed upload whose bytes landed anyway (a lost CompleteMultipartUpload reply) is recognised by
 * the sha256 the object carries, and the run goes on with that version.
 */
import { headObject } from '../aws/s3.js';
import { uploadFile } from '../aws/upload.js';
import type { Plan, PlannedUpload } from '../plan/plan.js';
import type { FileFacts } from '../types.js';
import type { StageContext } from './context.js';

/** The plan's file facts with every planned upload done and its version known. */
export async function uploadAll(plan: Plan, ctx: StageContext): Promise<FileFacts[]> {
  const files = [...plan.files];
  for (const upload of plan.uploads) {
    const versionId = await uploadOne(upload, ctx);
    const facts: FileFacts = {
      ...files[upload.index],
      sha256: upload.sha256,
      size: upload.size,
      s3Version: versionId,
      origin: 'uploaded',
    };
    files[upload.index] = facts;
    ctx.progress.uploaded(upload.index, facts);
  }
  return files;
}

async function uploadOne(upload: PlannedUpload, ctx: StageContext): Promise<string> {
  const s3 = await ctx.clients.s3();
  const target = `s3://${upload.bucket}/${upload.key}`;
  ctx.log.info(`Uploading ${upload.path} (${upload.size ?? '?'} bytes) to ${target}`);
  try {
    const { versionId } = await uploadFile(s3, {
      bucket: upload.bucket,
      key: upload.key,
      path: upload.path,
      sha256: upload.sha256,
      ...(upload.size === undefined ? {} : { size: upload.size }),
      onProgress: (percent, bytes) => ctx.log.info(`Uploading ${target}: ${percent}% (${bytes} bytes)`),
      signal: ctx.signal,
    });
    ctx.log.info(`Uploaded ${target} as version ${versionId}`);
    return versionId;
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    const landed = await headObject(s3, upload.bucket, upload.key, undefined, {
      allowMissing: true,
      signal: ctx.signal,
    }).catch(() => undefined);
    if (landed?.versionId && landed.sha256 === upload.sha256) {
      ctx.log.info(
        `The upload reported a failure, but ${target} holds these bytes as version ${landed.versionId}`,
      );
      return landed.versionId;
    }
    throw error;
  }
}
