/**
 * IoT over restJson1: the OTA updates (CreateOTAUpdate validated against the model and the documented rules, its
 * targets against the fleet; GetOTAUpdate, DeleteOTAUpdate, ListOTAUpdates) and, through jobs.ts, the jobs behind
 * them. Every request's SigV4 signature is verified.
 */
import { iotAuthError, verifyRequest } from './auth.js';
import type { EmulatorContext } from './context.js';
import type { Exchange, Reply } from './exchange.js';
import { documentedRuleViolations } from './iot-rules.js';
import { DEFAULT_PAGE_SIZE, iotErrorReply, jsonReply, type IotError } from './iot-wire.js';
import { checkShape, formatViolations } from './model-check.js';
import { IOT_SHAPES } from './model/iot-shapes.js';
import { runOperation } from './operation.js';
import type { Route } from './router.js';
import { sha256Hex } from './sigv4.js';
import type { StoredOtaUpdate } from './types.js';
import { executeJobs, JOBS_OPERATIONS } from './jobs.js';

const invalid = (message: string): IotError => ({ status: 400, code: 'InvalidRequestException', message });
const notFound = (message: string): IotError => ({ status: 404, code: 'ResourceNotFoundException', message });

const epochSeconds = (date: Date): number => date.getTime() / 1000;

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;

/** S3 objects and buckets the request names that the emulated S3 does not have. */
function missingS3References(ctx: EmulatorContext, request: Obj): string[] {
  const missing: string[] = [];
  const files = Array.isArray(request.files) ? request.files : [];
  for (const file of files) {
    const location = asObj(asObj(asObj(file)?.fileLocation)?.s3Location);
    if (location) {
      const { bucket, key, version } = location as { bucket: string; key: string; version?: string };
      const stored = ctx.s3.bucket(bucket);
      if (!stored) missing.push(`S3 bucket ${bucket} does not exist`);
      else if (!ctx.s3.find(stored, key, version))
        missing.push(
          `S3 object s3://${bucket}/${key}${version !== undefined ? ` version ${version}` : ''} does not exist`,
        );
    }
    const signing = asObj(asObj(asObj(file)?.codeSigning)?.startSigningJobParameter);
    const destination = asObj(asObj(signing?.destination)?.s3Destination);
    if (destination && !ctx.s3.bucket(String(destination.bucket)))
      missing.push(`S3 bucket ${String(destination.bucket)} does not exist`);
  }
  return missing;
}

function createOtaUpdate(ctx: EmulatorContext, id: string, text: string): Reply | IotError {
  let parsed: unknown;
  try {
    parsed = text.trim() === '' ? {} : JSON.parse(text);
  } catch (error) {
    return invalid(`Could not parse request body into json: ${(error as Error).message}`);
  }
  const request = asObj(parsed);
  if (!request) return invalid('The request body must be a JSON object');
  const violations = checkShape(IOT_SHAPES, 'CreateOTAUpdateRequest', { ...request, otaUpdateId: id }, '');
  if (violations.length > 0) return invalid(formatViolations(violations));
  const broken = documentedRuleViolations(request, ctx);
  if (broken.length > 0) return invalid(broken.join('; '));
  const existing = ctx.ota.updates.get(id);
  if (existing)
    return {
      status: 409,
      code: 'ResourceAlreadyExistsException',
      message: `OTA Update ${id} already exists`,
      extra: { resourceId: id, resourceArn: existing.arn },
    };
  const targets = Array.isArray(request.targets) ? request.targets.map(String) : [];
  const missing = [...ctx.fleet.missingTargets(targets), ...missingS3References(ctx, request)];
  if (missing.length > 0) return notFound(missing.join('; '));
  const update = ctx.ota.create(id, request, ctx.controls.outcome);
  return jsonReply({
    otaUpdateId: update.otaUpdateId,
    awsIotJobId: update.jobId,
    otaUpdateArn: update.arn,
    awsIotJobArn: update.jobArn,
    otaUpdateStatus: update.status,
  });
}

/** GetOTAUpdate's OTAUpdateInfo: the request echoed under the names IoT returns (`otaUpdateFiles`, not `files`). */
function otaUpdateInfo(update: StoredOtaUpdate): Obj {
  const r = update.request;
  const jobCreated = update.status !== 'CREATE_FAILED';
  return {
    otaUpdateId: update.otaUpdateId,
    otaUpdateArn: update.arn,
    creationDate: epochSeconds(update.creationDate),
    lastModifiedDate: epochSeconds(update.lastModifiedDate),
    description: r.description,
    targets: r.targets,
    protocols: r.protocols ?? ['MQTT'],
    awsJobExecutionsRolloutConfig: r.awsJobExecutionsRolloutConfig,
    awsJobPresignedUrlConfig: r.awsJobPresignedUrlConfig,
    targetSelection: r.targetSelection ?? 'SNAPSHOT',
    otaUpdateFiles: r.files,
    otaUpdateStatus: update.status,
    awsIotJobId: jobCreated ? update.jobId : undefined,
    awsIotJobArn: jobCreated ? update.jobArn : undefined,
    errorInfo: update.errorInfo,
    additionalParameters: r.additionalParameters,
  };
}

function checkId(id: string): IotError | undefined {
  const violations = checkShape(IOT_SHAPES, 'OTAUpdateId', id, 'otaUpdateId');
  return violations.length > 0 ? invalid(formatViolations(violations)) : undefined;
}

function parseFlag(value: string | null, name: string): boolean | IotError {
  if (value === null || value === 'false') return false;
  if (value === 'true') return true;
  return invalid(`${name} must be true or false`);
}

function deleteOtaUpdate(ctx: EmulatorContext, id: string, query: URLSearchParams): Reply | IotError {
  const deleteStream = parseFlag(query.get('deleteStream'), 'deleteStream');
  if (typeof deleteStream !== 'boolean') return deleteStream;
  const forceDeleteAWSJob = parseFlag(query.get('forceDeleteAWSJob'), 'forceDeleteAWSJob');
  if (typeof forceDeleteAWSJob !== 'boolean') return forceDeleteAWSJob;
  const update = ctx.ota.delete(id, { deleteStream, forceDeleteAWSJob });
  return update ? jsonReply({}) : notFound(`OTA Update ${id} does not exist`);
}

function listOtaUpdates(ctx: EmulatorContext, query: URLSearchParams): Reply | IotError {
  const raw = query.get('maxResults');
  const request: Obj = {
    maxResults: raw === null ? undefined : /^-?\d+$/.test(raw) ? Number(raw) : raw,
    nextToken: query.get('nextToken') ?? undefined,
    otaUpdateStatus: query.get('otaUpdateStatus') ?? undefined,
  };
  const violations = checkShape(IOT_SHAPES, 'ListOTAUpdatesRequest', request, '');
  if (violations.length > 0) return invalid(formatViolations(violations));
  let after = 0;
  if (request.nextToken !== undefined) {
    const m = /^seq:(\d+)$/.exec(Buffer.from(String(request.nextToken), 'base64url').toString('utf8'));
    if (!m) return invalid('The nextToken is not valid');
    after = Number(m[1]);
  }
  const page = ctx.ota.list({
    status: request.otaUpdateStatus as string | undefined,
    after,
    max: (request.maxResults as number | undefined) ?? DEFAULT_PAGE_SIZE,
  });
  return jsonReply({
    otaUpdates: page.items.map((u) => ({
      otaUpdateId: u.otaUpdateId,
      otaUpdateArn: u.arn,
      creationDate: epochSeconds(u.creationDate),
    })),
    nextToken: page.next === undefined ? undefined : Buffer.from(`seq:${page.next}`).toString('base64url'),
  });
}

const TAG_PAGE = 2;

/**
 * ListTagsForResource for OTA updates: the tags CreateOTAUpdate was given, a page at a time (IoT pages tags too;
 * the emulator answers 2 per page so callers must follow nextToken).
 */
function listTagsForResource(ctx: EmulatorContext, query: URLSearchParams): Reply | IotError {
  const arn = query.get('resourceArn');
  if (arn === null || arn === '') return invalid('resourceArn is required');
  const update = [...ctx.ota.updates.values()].find((u) => u.arn === arn);
  if (!update) return notFound(`Resource ${arn} does not exist`);
  const tags = Array.isArray(update.request.tags)
    ? (update.request.tags as { Key: string; Value: string }[])
    : [];
  const token = query.get('nextToken');
  const start =
    token === null
      ? 0
      : Number(
          Buffer.from(token, 'base64url')
            .toString('utf8')
            .replace(/^tags:/, ''),
        );
  if (!Number.isInteger(start) || start < 0 || start > tags.length)
    return invalid('The nextToken is not valid');
  const end = Math.min(start + TAG_PAGE, tags.length);
  return jsonReply({
    tags: tags.slice(start, end),
    ...(end < tags.length ? { nextToken: Buffer.from(`tags:${end}`).toString('base64url') } : {}),
  });
}

function execute(
  ctx: EmulatorContext,
  ex: Exchange,
  route: Extract<Route, { service: 'iot' }>,
  body: string,
): Reply | IotError {
  const operation = route.operation;
  if (JOBS_OPERATIONS.includes(operation))
    return executeJobs(ctx, operation, route.labels ?? {}, ex.query, body);
  if (operation === 'ListOTAUpdates') return listOtaUpdates(ctx, ex.query);
  if (operation === 'ListTagsForResource') return listTagsForResource(ctx, ex.query);
  const otaUpdateId = route.otaUpdateId ?? '';
  // Create checks the id together with the body, so one answer lists every violation.
  if (operation === 'CreateOTAUpdate') return createOtaUpdate(ctx, otaUpdateId, body);
  const badId = checkId(otaUpdateId);
  if (badId) return badId;
  switch (operation) {
    case 'GetOTAUpdate': {
      const update = ctx.ota.poll(otaUpdateId);
      return update
        ? jsonReply({ otaUpdateInfo: otaUpdateInfo(update) })
        : notFound(`OTA Update ${otaUpdateId} does not exist`);
    }
    default:
      return deleteOtaUpdate(ctx, otaUpdateId, ex.query);
  }
}

export async function handleIot(
  ex: Exchange,
  ctx: EmulatorContext,
  route: Extract<Route, { service: 'iot' }>,
): Promise<void> {
  const body = await ex.readBody();
  const toReply = iotErrorReply;
  if (route.operation === 'Unknown') {
    await ex.send(toReply({ status: 404, code: 'UnknownOperationException', message: 'Not Found' }));
    return;
  }
  const scope = { service: 'iot' as const, region: ctx.region, now: Date.now() };
  const auth = verifyRequest(ex.signedRequest(sha256Hex(body)), scope, ctx.credentials);
  if (!auth.ok) {
    await ex.send(toReply(iotAuthError(auth.failure, scope)));
    return;
  }
  await runOperation(ex, 'iot', ctx.controls, toReply, async () => {
    const result = execute(ctx, ex, route, body.toString('utf8'));
    return 'code' in result ? toReply(result) : result;
  });
}
