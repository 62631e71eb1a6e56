/**
 * The plan of a run, as a value: Settings plus the facts resolve gathered become the CreateOTAUpdate request, the
 * uploads still to do, and what to do about the id. Pure. The plan is what dry-run prints and the `request` output
 * holds; apply carries it out and hands back what it changed.
 */
import type { CreateOTAUpdateRequest, OTAUpdateInfo } from '@aws-sdk/client-iot';
import { validateRequest } from '../settings/shape-validation.js';
import type { CallerIdentity, FileFacts, Settings } from '../types.js';
import { decide, notComparedWarning, type Step } from './decision.js';
import type { ExistingTags } from './fingerprint.js';
import { refuseToStrandDevices } from './replace-guard.js';
import type { RolloutJob } from './verdict.js';
import { buildRequest } from './request.js';

/** What resolve learned: read-only facts from AWS and the local files. */
export interface ReleaseFacts {
  identity: CallerIdentity;
  /** Target ARNs, in the caller's partition, region and account. */
  targets: string[];
  otaUpdateId: string;
  /** Whether the id was derived from the release (true) or given as ota-update-id. */
  derivedId: boolean;
  /** What IoT holds under the id, if anything. */
  existing: OTAUpdateInfo | undefined;
  /** Its tags, which hold the fingerprints of what GetOTAUpdate does not return. */
  existingTags: ExistingTags | undefined;
  /** Its IoT job, read when `if-exists: replace` would delete it. */
  existingJob: RolloutJob | undefined;
  /** One per Settings.files, in order. */
  files: FileFacts[];
}

/** A local file to upload before the create: files[index] of the request gets the version it is given. */
export interface PlannedUpload {
  index: number;
  bucket: string;
  key: string;
  path: string;
  sha256: string;
  size: number | undefined;
}

export interface Plan {
  otaUpdateId: string;
  targets: string[];
  /** The request; a file still to upload has no S3 version yet. */
  request: CreateOTAUpdateRequest;
  files: FileFacts[];
  uploads: PlannedUpload[];
  step: Step;
  /** What the log should warn about the plan. */
  warnings: string[];
}

/** The plan for `settings` given `facts`; throws the decision's refusal (an id that holds another release, ...). */
export function planRelease(settings: Settings, facts: ReleaseFacts): Plan {
  const request = buildRequest(settings, facts.otaUpdateId, facts.targets, facts.files);
  validateRequest(request);
  const step = decide(facts.existing, request, settings.behaviour.ifExists, { tags: facts.existingTags });
  if (step.kind === 'replace') refuseToStrandDevices(facts.otaUpdateId, facts.existingJob);
  const notCompared =
    step.kind === 'reuse' ? notComparedWarning(facts.otaUpdateId, step.notCompared) : undefined;
  return {
    otaUpdateId: facts.otaUpdateId,
    targets: facts.targets,
    request,
    files: facts.files,
    uploads: plannedUploads(settings, facts.files),
    step,
    warnings: notCompared === undefined ? [] : [notCompared],
  };
}

function plannedUploads(settings: Settings, files: readonly FileFacts[]): PlannedUpload[] {
  return settings.files.flatMap((file, index) => {
    const facts = files[index];
    const source = file.source;
    if (facts?.origin !== 'upload' || source.kind !== 's3' || !source.localPath || !facts.sha256) return [];
    return [
      {
        index,
        bucket: source.bucket,
        key: source.key,
        path: source.localPath,
        sha256: facts.sha256,
        size: facts.size,
      },
    ];
  });
}
