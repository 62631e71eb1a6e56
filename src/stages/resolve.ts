/**
 * Resolve: the read-only facts a plan needs. The target ARNs (in the caller's account and region, each once), what
 * each file's content is (the sha256 of a local file, the pinned version of an existing object), the OTA update id
 * (derived from that content unless given), what IoT already holds under it, and whether S3 already holds a local
 * file's bytes (a re-run of the release); with its tags, and its job when replace would delete it. Nothing is written; a foreign target, or a bucket that cannot pin
 * versions, fails here, before anything is.
 */
import type { OTAUpdateInfo } from '@aws-sdk/client-iot';
import { bucketNotVersioned } from '../aws/error-catalog.js';
import { ActionError, InvalidInputError } from '../errors.js';
import { getOtaUpdate, listTags } from '../aws/iot.js';
import { describeJob } from '../aws/jobs.js';
import { getBucketVersioning, headObject } from '../aws/s3.js';
import type { ExistingTags } from '../plan/fingerprint.js';
import type { ReleaseFacts } from '../plan/plan.js';
import type { RolloutJob } from '../plan/verdict.js';
import { deriveOtaUpdateId } from '../plan/release-id.js';
import { expandTargets, foreignTargetProblems, uniqueTargets } from '../settings/targets.js';
import type { FileFacts, FileSettings, Settings } from '../types.js';
import type { StageContext } from './context.js';
import { sha256File } from './hash.js';

export async function resolve(settings: Settings, ctx: StageContext): Promise<ReleaseFacts> {
  const targets = resolveTargets(settings, ctx);
  const content = await describeContent(settings.files, ctx);
  const otaUpdateId = settings.otaUpdateId ?? deriveOtaUpdateId(settings, content);
  ctx.log.info(`OTA update id: ${otaUpdateId}${settings.otaUpdateId ? '' : ' (derived from the release)'}`);
  // Independent reads go out together: every release pays for each round trip.
  const [existing] = await Promise.all([
    getOtaUpdate(ctx.clients.iot, otaUpdateId, ctx.signal),
    ensureVersioned(settings.files, content, ctx),
  ]);
  const [existingTags, existingJob, files] = await Promise.all([
    existing && tagsOf(existing, ctx),
    existing && settings.behaviour.ifExists === 'replace' ? jobOf(existing, otaUpdateId, ctx) : undefined,
    findCopies(settings.files, content, existing, ctx),
  ]);
  return {
    identity: ctx.identity,
    targets,
    otaUpdateId,
    derivedId: !settings.otaUpdateId,
    existing,
    existingTags,
    existingJob,
    files,
  };
}

/**
 * The job of an update that `if-exists: replace` would delete, so the plan can refuse to strand devices that are
 * installing it. An update that never reached CREATE_COMPLETE has no job.
 */
async function jobOf(
  existing: OTAUpdateInfo,
  otaUpdateId: string,
  ctx: StageContext,
): Promise<RolloutJob | undefined> {
  if (existing.otaUpdateStatus !== 'CREATE_COMPLETE' && existing.awsIotJobId === undefined) return undefined;
  try {
    return await describeJob(ctx.clients.iot, existing.awsIotJobId ?? `AFR_OTA-${otaUpdateId}`, ctx.signal);
  } catch (error) {
    if (error instanceof ActionError && error.code === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/** An existing update's tags: they hold the fingerprints of what GetOTAUpdate does not return. */
export async function tagsOf(existing: OTAUpdateInfo, ctx: StageContext): Promise<ExistingTags | undefined> {
  if (!existing.otaUpdateArn || existing.otaUpdateStatus === 'DELETE_IN_PROGRESS') return undefined;
  const tags = await listTags(ctx.clients.iot, existing.otaUpdateId ?? '', existing.otaUpdateArn, ctx.signal);
  if (tags === 'unreadable') {
    ctx.log.warning(
      `The tags of OTA update ${existing.otaUpdateId ?? ''} could not be read (iot:ListTagsForResource was refused), so what GetOTAUpdate does not return cannot be compared.`,
    );
  }
  return tags;
}

/**
 * The target ARNs in the caller's account, each once. A target in another partition, account or region is an input
 * problem, found before anything is read or written.
 */
function resolveTargets(settings: Settings, ctx: StageContext): string[] {
  const region = settings.auth.region;
  const expanded = expandTargets(settings.targets, ctx.identity, region);
  const foreign = foreignTargetProblems(expanded, ctx.identity, region);
  if (foreign.length > 0) throw new InvalidInputError(foreign);
  const { arns, warnings } = uniqueTargets(settings.targets, expanded);
  for (const warning of warnings) ctx.log.warning(warning);
  return arns;
}

/** What each file is: a local file's sha256 and size, an object's pinned version, or a stream. */
async function describeContent(files: readonly FileSettings[], ctx: StageContext): Promise<FileFacts[]> {
  const described: FileFacts[] = [];
  for (const file of files) {
    const source = file.source;
    if (source.kind === 'stream') {
      described.push({ sha256: undefined, size: undefined, s3Version: undefined, origin: 'stream' });
    } else if (source.localPath) {
      const { sha256, size } = await sha256File(source.localPath);
      described.push({ sha256, size, s3Version: undefined, origin: 'upload' });
    } else if (source.version) {
      described.push({ sha256: undefined, size: undefined, s3Version: source.version, origin: 'existing' });
    } else {
      const head = await headObject(await ctx.clients.s3(), source.bucket, source.key, undefined, {
        signal: ctx.signal,
      });
      // An object of a bucket that never kept versions has none to pin.
      if (!head?.versionId) {
        throw bucketNotVersioned(source.bucket, 'HeadObject answered without one', source.key);
      }
      described.push({ sha256: head.sha256, size: head.size, s3Version: head.versionId, origin: 'existing' });
    }
  }
  return described;
}

/** Every bucket a local file would be uploaded to must keep versions: the update pins the one it ships. */
async function ensureVersioned(
  files: readonly FileSettings[],
  facts: readonly FileFacts[],
  ctx: StageContext,
): Promise<void> {
  const buckets = new Set<string>();
  files.forEach((file, i) => {
    if (facts[i]?.origin === 'upload' && file.source.kind === 's3') buckets.add(file.source.bucket);
  });
  if (buckets.size === 0) return;
  const s3 = await ctx.clients.s3();
  for (const bucket of buckets) {
    const status = await getBucketVersioning(s3, bucket, ctx.signal);
    if (status !== 'Enabled') throw bucketNotVersioned(bucket, status);
  }
}

/**
 * The facts with each file pointed at a version that already holds its bytes (known by sha256: local files, and
 * objects this action uploaded before): the version `existing` ships, then, for a file still to upload, the key's
 * current version. This is what lets a re-run, or a concurrent run, of the same release recognise its own update.
 * Apply asks it again when the create finds the id taken.
 */
export async function findCopies(
  files: readonly FileSettings[],
  facts: readonly FileFacts[],
  existing: OTAUpdateInfo | undefined,
  ctx: StageContext,
): Promise<FileFacts[]> {
  const found: FileFacts[] = [];
  for (const [index, file] of files.entries()) {
    const known = facts[index];
    if (known === undefined) throw new Error(`resolve: no facts for files[${index}]`);
    const source = file.source;
    if (source.kind !== 's3' || known.sha256 === undefined) {
      found.push(known);
      continue;
    }
    const shipped = existing?.otaUpdateFiles?.[index]?.fileLocation?.s3Location;
    const candidates: (string | undefined)[] = [];
    if (
      shipped?.bucket === source.bucket &&
      shipped.key === source.key &&
      shipped.version !== known.s3Version
    ) {
      candidates.push(shipped.version);
    }
    if (known.origin === 'upload') candidates.push(undefined);
    let copy: FileFacts = known;
    for (const version of candidates) {
      const head = await headObject(await ctx.clients.s3(), source.bucket, source.key, version, {
        allowMissing: true,
        signal: ctx.signal,
      });
      if (head?.versionId && head.sha256 === known.sha256) {
        copy = {
          ...known,
          s3Version: head.versionId,
          origin: known.origin === 'upload' ? 'reused' : known.origin,
        };
        break;
      }
    }
    found.push(copy);
  }
  return found;
}
