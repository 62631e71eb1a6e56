/**
 * The end of a run: step outputs, the job summary, and on failure the error code and one ::error:: line.
 */
import type * as coreModule from '@actions/core';
import type { CreateOTAUpdateRequest } from '@aws-sdk/client-iot';
import { ActionError, type ErrorCode } from '../errors.js';
import { abortConfigWords, rolloutConfigWords, timeoutConfigWords } from './config-words.js';
import { OUTPUTS } from './names.js';

export type Core = Pick<
  typeof coreModule,
  'setOutput' | 'info' | 'warning' | 'error' | 'notice' | 'debug' | 'summary'
>;

export type RunResultKind = 'created' | 'reused' | 'replaced' | 'dry-run';

export interface ShippedFile {
  fileName: string | undefined;
  location: string;
  s3Version: string | undefined;
  sha256: string | undefined;
  /** uploaded now, reused (same content already at the key), or existing (named by the user). */
  origin: 'uploaded' | 'reused' | 'existing' | 'stream';
}

export interface RunReport {
  result: RunResultKind;
  otaUpdateId: string;
  otaUpdateArn: string | undefined;
  status: string | undefined;
  awsIotJobId: string | undefined;
  awsIotJobArn: string | undefined;
  targets: string[];
  files: ShippedFile[];
  request: CreateOTAUpdateRequest;
  requestJson: string;
  region: string;
  partition: string;
  elapsedMs: number;
}

/** What a failure report knows: the error and whatever the run had learned when it failed. */
export interface FailureContext {
  region: string | undefined;
  partition: string | undefined;
  otaUpdateId: string | undefined;
  requestJson: string | undefined;
  elapsedMs: number;
  debug: boolean;
}

export function setSuccessOutputs(core: Core, report: RunReport): void {
  const first = report.files[0];
  const outputs: Record<string, string | undefined> = {
    [OUTPUTS.otaUpdateId]: report.otaUpdateId,
    [OUTPUTS.otaUpdateArn]: report.otaUpdateArn,
    [OUTPUTS.otaUpdateStatus]: report.status,
    [OUTPUTS.awsIotJobId]: report.awsIotJobId,
    [OUTPUTS.awsIotJobArn]: report.awsIotJobArn,
    [OUTPUTS.firmwareS3Version]: first?.s3Version,
    [OUTPUTS.firmwareSha256]: first?.sha256,
    [OUTPUTS.result]: report.result,
    [OUTPUTS.request]: report.requestJson,
    [OUTPUTS.errorCode]: '',
  };
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value ?? '');
}

export async function writeSuccessSummary(core: Core, report: RunReport): Promise<void> {
  const links = consoleLinks(report.partition, report.region, report.otaUpdateId, report.awsIotJobId);
  const request = report.request;
  const heading =
    report.result === 'dry-run'
      ? `OTA update ${report.otaUpdateId} (dry run: nothing was changed)`
      : `OTA update ${report.otaUpdateId}: ${report.result}`;
  const summary = core.summary
    .addHeading(heading, 2)
    .addTable([
      [
        { data: 'Field', header: true },
        { data: 'Value', header: true },
      ],
      ['ID', code(report.otaUpdateId)],
      ['ARN', code(report.otaUpdateArn ?? '(not created)')],
      ['Status', report.status ?? '(not created)'],
      ['IoT job', report.awsIotJobId ? code(report.awsIotJobId) : '(not known yet)'],
      ['Targets', report.targets.map(code).join('<br>')],
      ['Protocols', (request.protocols ?? ['MQTT']).join(', ')],
      ['Target selection', request.targetSelection ?? 'SNAPSHOT'],
      ['Rollout', describeConfig(rolloutConfigWords, request.awsJobExecutionsRolloutConfig)],
      ['Abort', describeConfig(abortConfigWords, request.awsJobAbortConfig)],
      ['Timeout', describeConfig(timeoutConfigWords, request.awsJobTimeoutConfig)],
      ['Elapsed', `${(report.elapsedMs / 1000).toFixed(1)} s`],
    ])
    .addHeading('Files', 3)
    .addTable([
      [
        { data: 'File', header: true },
        { data: 'Location', header: true },
        { data: 'S3 version', header: true },
        { data: 'SHA-256', header: true },
        { data: 'Source', header: true },
      ],
      ...report.files.map((f) => [
        code(f.fileName ?? '(default)'),
        code(f.location),
        f.s3Version ? code(f.s3Version) : report.result === 'dry-run' ? '(assigned at upload)' : '-',
        f.sha256 ? code(f.sha256) : '-',
        f.origin,
      ]),
    ]);
  if (links.length > 0 && report.result !== 'dry-run') {
    summary.addRaw(`<p>${links.map((l) => `<a href="${l.href}">${l.label}</a>`).join(' · ')}</p>`, true);
  }
  if (report.result === 'dry-run') {
    summary.addHeading('Request', 3).addCodeBlock(report.requestJson, 'json');
  }
  try {
    await summary.write();
  } catch (error) {
    // The update exists whatever happens to the summary: a runner without job summaries must not fail the step.
    core.warning(`Could not write the job summary: ${String(error)}`);
    summary.emptyBuffer();
  }
}

/** Outputs, one ::error:: line and a summary of what went wrong. Never throws. */
export async function reportFailure(core: Core, error: unknown, context: FailureContext): Promise<ErrorCode> {
  const failure = asActionError(error);
  core.setOutput(OUTPUTS.errorCode, failure.code);
  if (context.requestJson) core.setOutput(OUTPUTS.request, context.requestJson);
  const created = failure.created;
  if (created) {
    core.setOutput(OUTPUTS.otaUpdateId, created.otaUpdateId);
    if (created.otaUpdateArn) core.setOutput(OUTPUTS.otaUpdateArn, created.otaUpdateArn);
  }
  core.error(oneLine(`${failure.message}${failure.hint ? ` ${failure.hint}` : ''}`), {
    title: `OTA update failed: ${failure.code}`,
  });
  if (context.debug && error instanceof Error && error.stack) core.debug(error.stack);

  try {
    const summary = core.summary.addHeading(`OTA update failed: ${failure.code}`, 2).addTable([
      [
        { data: 'Field', header: true },
        { data: 'Value', header: true },
      ],
      ['Reason', escapeHtml(failure.message)],
      ['What to do', escapeHtml(failure.hint ?? '-')],
      ['Error code', code(failure.code)],
      ['Elapsed', `${(context.elapsedMs / 1000).toFixed(1)} s`],
    ]);
    if (created) {
      const links = consoleLinks(context.partition, context.region, created.otaUpdateId, undefined);
      summary.addRaw(
        `<p>Already created in AWS: OTA update ${code(created.otaUpdateId)}${
          created.otaUpdateArn ? ` (${code(created.otaUpdateArn)})` : ''
        }${links.map((l) => ` · <a href="${l.href}">${l.label}</a>`).join('')}</p>`,
        true,
      );
    }
    await summary.write();
  } catch (summaryError) {
    core.warning(`Could not write the job summary: ${String(summaryError)}`);
  }
  return failure.code;
}

export function asActionError(error: unknown): ActionError {
  if (error instanceof ActionError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ActionError('InternalError', `Unexpected failure: ${message}`, {
    hint: 'This is a bug in the action; please report it with the step log (re-run with debug logging for the stack trace).',
    cause: error,
  });
}

interface Link {
  label: string;
  href: string;
}

/** Links to the AWS console for the update's job, in the partition's own console domain. */
export function consoleLinks(
  partition: string | undefined,
  region: string | undefined,
  otaUpdateId: string,
  jobId: string | undefined,
): Link[] {
  if (!region) return [];
  const host =
    partition === 'aws-cn'
      ? 'console.amazonaws.cn'
      : partition === 'aws-us-gov'
        ? 'console.amazonaws-us-gov.com'
        : `${region}.console.aws.amazon.com`;
  const base = `https://${host}/iot/home?region=${region}`;
  const job = jobId ?? `AFR_OTA-${otaUpdateId}`;
  return [
    { label: 'OTA job in the AWS IoT console', href: `${base}#/jobhub/details/${encodeURIComponent(job)}` },
    { label: 'All jobs', href: `${base}#/jobhub` },
  ];
}

/** The config in words, with its JSON below; `default` when it is not set. */
function describeConfig<T extends object>(
  words: (config: T | undefined) => string,
  config: T | undefined,
): string {
  return config && Object.keys(config).length > 0
    ? `${escapeHtml(words(config))}<br>${code(JSON.stringify(config))}`
    : 'default';
}

function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
