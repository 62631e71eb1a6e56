/**
 * The IoT Jobs operations behind OTA updates: DescribeJob, ListJobExecutionsForJob (status filter, paging),
 * DescribeJobExecution and CancelJob. Each request is decoded and validated against the botocore model
 * (model/iot-jobs-shapes.json); error statuses come from the same model.
 */
import type { EmulatorContext } from './context.js';
import type { Reply } from './exchange.js';
import { decodeInput } from './botocore.js';
import { DEFAULT_PAGE_SIZE, jsonReply, type IotError } from './iot-wire.js';
import type { StoredJob } from './job-store.js';
import { executionShape, executionSummary, jobShape } from './job-wire.js';
import { EXECUTION_NUMBER } from './job-model.js';
import { checkShape, formatViolations } from './model-check.js';
import { JOBS_MODEL } from './model/iot-jobs.js';

type Obj = Record<string, unknown>;

export const JOBS_OPERATIONS: readonly string[] = Object.keys(JOBS_MODEL.operations);

function modelError(code: string, message: string): IotError {
  const status = JOBS_MODEL.errorStatus[code];
  if (status === undefined) throw new Error(`emulator: ${code} is not an error of the jobs model`);
  return { status, code, message };
}

const invalid = (message: string) => modelError('InvalidRequestException', message);
const notFound = (message: string) => modelError('ResourceNotFoundException', message);

function parseBody(text: string): { body: Obj } | { error: IotError } {
  if (text.trim() === '') return { body: {} };
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return { body: parsed as Obj };
    return { error: invalid('The request body must be a JSON object') };
  } catch (error) {
    return { error: invalid(`Could not parse request body into json: ${(error as Error).message}`) };
  }
}

const pageToken = (index: number): string => Buffer.from(`execution:${index}`).toString('base64url');

function pageStart(token: unknown): number | IotError {
  if (token === undefined) return 0;
  const m = /^execution:(\d+)$/.exec(Buffer.from(String(token), 'base64url').toString('utf8'));
  return m ? Number(m[1]) : invalid('The nextToken is not valid');
}

function describeJob(stored: StoredJob): Reply {
  return jsonReply({ job: jobShape(stored) });
}

function listExecutions(ctx: EmulatorContext, stored: StoredJob, input: Obj): Reply | IotError {
  const start = pageStart(input.nextToken);
  if (typeof start !== 'number') return start;
  const max = (input.maxResults as number | undefined) ?? DEFAULT_PAGE_SIZE;
  const matching = stored.job.executions
    .map((e, index) => ({ e, index }))
    .filter(({ e, index }) => index >= start && (input.status === undefined || e.status === input.status));
  const page = matching.slice(0, max);
  const after = matching[max];
  return jsonReply({
    executionSummaries: page.map(({ e }) => executionSummary(e, ctx.fleet.thingArn(e.thingName))),
    nextToken: after === undefined ? undefined : pageToken(after.index),
  });
}

function describeExecution(
  ctx: EmulatorContext,
  stored: StoredJob | undefined,
  input: Obj,
): Reply | IotError {
  const thingName = String(input.thingName);
  const e = stored?.job.executions.find((x) => x.thingName === thingName);
  const number = input.executionNumber;
  if (!stored || !e || (number !== undefined && number !== EXECUTION_NUMBER))
    return notFound(`No job execution of job ${String(input.jobId)} exists on thing ${thingName}`);
  const thingArn = ctx.fleet.thingArn(thingName);
  return jsonReply({ execution: executionShape(stored.job, e, thingArn, ctx.jobs.clock.now()) });
}

/**
 * CancelJob: an IN_PROGRESS job is canceled (force: its IN_PROGRESS executions too); a CANCELED job that was not
 * force-canceled can be canceled again with force, to stop its IN_PROGRESS executions; anything else (COMPLETED,
 * CANCELED with nothing more to do, DELETION_IN_PROGRESS) answers InvalidRequestException.
 */
function cancelJob(ctx: EmulatorContext, stored: StoredJob, input: Obj): Reply | IotError {
  const { job } = stored;
  const force = input.force === true;
  const escalation = job.status === 'CANCELED' && force && !job.forceCanceled;
  if (job.status !== 'IN_PROGRESS' && !escalation)
    return invalid(`Job ${job.jobId} cannot be canceled in status ${job.status}`);
  ctx.jobs.cancel(stored, {
    force,
    ...(input.reasonCode !== undefined ? { reasonCode: String(input.reasonCode) } : {}),
    ...(input.comment !== undefined ? { comment: String(input.comment) } : {}),
  });
  return jsonReply({ jobArn: stored.jobArn, jobId: job.jobId, description: stored.request.description });
}

export function executeJobs(
  ctx: EmulatorContext,
  operation: string,
  labels: Readonly<Record<string, string>>,
  query: URLSearchParams,
  bodyText: string,
): Reply | IotError {
  const parsed = parseBody(bodyText);
  if ('error' in parsed) return parsed.error;
  const input = decodeInput(JOBS_MODEL, operation, labels, query, parsed.body);
  const shape = JOBS_MODEL.operations[operation]!.input;
  const violations = checkShape(JOBS_MODEL.shapes, shape, input, '');
  if (violations.length > 0) return invalid(formatViolations(violations));
  const jobId = String(input.jobId);
  const stored = ctx.jobs.find(jobId);
  if (operation === 'DescribeJobExecution') return describeExecution(ctx, stored, input);
  if (!stored) return notFound(`Job ${jobId} does not exist`);
  switch (operation) {
    case 'DescribeJob':
      return describeJob(stored);
    case 'ListJobExecutionsForJob':
      return listExecutions(ctx, stored, input);
    default:
      return cancelJob(ctx, stored, input);
  }
}
