/**
 * The end of a run, and what the step log says of the plan: step outputs, the job summary, and on failure the
 * error code, one ::error:: line and a summary of what already exists in AWS. Everything comes from the run's
 * record, so success, failure and cancellation report from the same facts.
 */
import type { CreateOTAUpdateRequest } from '@aws-sdk/client-iot';
import { ActionError, BUG_HINT, sentence, type ErrorCode } from '../errors.js';
import { htmlSafe } from '../plan/untrusted-text.js';
import type { Plan } from '../plan/plan.js';
import type { RolloutRecord } from '../stages/rollout.js';
import { requestToJson } from '../plan/request.js';
import type { FileFacts, FileOrigin, Settings } from '../types.js';
import { abortConfigWords, rolloutConfigWords, timeoutConfigWords } from './config-words.js';
import { consoleLinks } from './console-links.js';
import type { ActionsCore } from './dependencies.js';
import { OUTPUTS } from './names.js';
import type { RunRecord, RunResult } from './record.js';
import { addRolloutSummary, setRolloutOutputs, type JobPlace } from './rollout-report.js';

export type Core = Pick<
  ActionsCore,
  'setOutput' | 'info' | 'warning' | 'error' | 'notice' | 'debug' | 'summary'
>;

export interface ShippedFile {
  fileName: string | undefined;
  location: string;
  s3Version: string | undefined;
  sha256: string | undefined;
  origin: FileOrigin;
}

/** What a finished run reports. */
export interface RunReport {
  result: RunResult;
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
  /** The rollout on the devices, when the run followed it. */
  rollout: RolloutRecord | undefined;
  /** Where the update's IoT job is, once one exists. */
  job: JobPlace | undefined;
}

/** The files as the summary lists them. */
export function shippedFiles(settings: Settings | undefined, facts: readonly FileFacts[]): ShippedFile[] {
  return (settings?.files ?? []).map((file, i) => {
    const source = file.source;
    const known = facts[i];
    return {
      fileName: file.fileName,
      location:
        source.kind === 's3'
          ? `s3://${source.bucket}/${source.key}`
          : `stream ${source.streamId}#${source.fileId ?? 0}`,
      s3Version: known?.s3Version,
      sha256: known?.sha256,
      origin: known?.origin ?? (source.kind === 'stream' ? 'stream' : 'existing'),
    };
  });
}

/** The report of a run that got to its end; throws when the record misses what every finished run has. */
function reportOf(record: RunRecord, now: number): RunReport {
  const { settings, identity, request, otaUpdateId, result } = record;
  if (!settings || !identity || !request || !otaUpdateId || !result) {
    throw new Error('report: the run record is incomplete');
  }
  const update = record.update ?? {};
  return {
    result,
    otaUpdateId,
    otaUpdateArn: update.otaUpdateArn,
    status: update.otaUpdateStatus,
    awsIotJobId: update.awsIotJobId,
    awsIotJobArn: update.awsIotJobArn,
    targets: record.targets,
    files: shippedFiles(settings, record.files),
    request,
    requestJson: requestToJson(request),
    region: settings.auth.region,
    partition: identity.partition,
    elapsedMs: now - record.startedAt,
    rollout: record.rollout,
    job: jobPlace(record),
  };
}

/** Where the update's IoT job is; undefined until the update is known to have one. */
function jobPlace(record: RunRecord): JobPlace | undefined {
  const update = record.update;
  const id = record.otaUpdateId;
  if (!update || !id) return undefined;
  const hasJob =
    update.awsIotJobId !== undefined || update.otaUpdateStatus === 'CREATE_COMPLETE' || record.rollout;
  if (!hasJob) return undefined;
  return {
    partition: record.identity?.partition,
    region: record.settings?.auth.region,
    otaUpdateId: id,
    jobId: update.awsIotJobId,
  };
}

/** The log line that says what the run is about to do with the id. */
export function describePlan(plan: Plan, dryRun: boolean): string {
  const id = plan.otaUpdateId;
  const step = plan.step;
  const status = 'existing' in step ? (step.existing.otaUpdateStatus ?? 'unknown status') : '';
  const then = (doing: string, wouldDo: string): string => (dryRun ? wouldDo : doing);
  switch (step.kind) {
    case 'create':
      return `OTA update ${id} does not exist yet: ${then('creating it', 'a run would create it')}.`;
    case 'reuse':
      return `OTA update ${id} exists (${status}) and holds this release.`;
    case 'replace':
      return `OTA update ${id} exists (${status}): ${then('deleting it, then creating it again', 'a run would delete it, then create it again')}.`;
    case 'await-deletion':
      return `OTA update ${id} is being deleted: ${then('waiting until its id is free, then creating it', 'a run would wait until its id is free, then create it')}.`;
  }
}

export async function reportSuccess(core: Core, record: RunRecord, now: number): Promise<void> {
  const report = reportOf(record, now);
  if (report.result === 'dry-run') {
    core.info('Dry run: nothing is uploaded, created or deleted. The request would be:');
    for (const line of report.requestJson.split('\n')) core.info(line);
  }
  setSuccessOutputs(core, report);
  await writeSuccessSummary(core, report);
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
  setRolloutOutputs(core, report.rollout, report.job);
}

export async function writeSuccessSummary(core: Core, report: RunReport): Promise<void> {
  const links = consoleLinks(report.partition, report.region, report.otaUpdateId, report.awsIotJobId);
  const request = report.request;
  const dryRun = report.result === 'dry-run';
  const heading = dryRun
    ? `OTA update ${report.otaUpdateId} (dry run: nothing was changed)`
    : `OTA update ${report.otaUpdateId}: ${report.result}`;
  const summary = core.summary
    .addHeading(htmlSafe(heading), 2)
    .addTable([
      [
        { data: 'Field', header: true },
        { data: 'Value', header: true },
      ],
      ['ID', code(report.otaUpdateId)],
      ['ARN', code(report.otaUpdateArn ?? '(not created)')],
      ['Status', htmlSafe(report.status ?? '(not created)')],
      ['IoT job', report.awsIotJobId ? code(report.awsIotJobId) : '(not known yet)'],
      ['Targets', report.targets.map(code).join('<br>')],
      ['Protocols', htmlSafe((request.protocols ?? ['MQTT']).join(', '))],
      ['Target selection', htmlSafe(request.targetSelection ?? 'SNAPSHOT')],
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
        f.s3Version ? code(f.s3Version) : dryRun ? '(assigned at upload)' : '-',
        f.sha256 ? code(f.sha256) : '-',
        f.origin,
      ]),
    ]);
  if (links.length > 0 && !dryRun) {
    summary.addRaw(`<p>${links.map((l) => `<a href="${l.href}">${l.label}</a>`).join(' · ')}</p>`, true);
  }
  if (report.rollout && report.job) addRolloutSummary(summary, report.rollout, report.job);
  if (dryRun) summary.addHeading('Request', 3).addRaw(preformatted(report.requestJson), true);
  try {
    await summary.write();
  } catch (error) {
    // The update exists whatever happens to the summary: a runner without job summaries must not fail the step.
    core.warning(`Could not write the job summary: ${String(error)}`);
    summary.emptyBuffer();
  }
}

/** Outputs, one ::error:: line and a summary of what went wrong and what exists in AWS. Never throws. */
export async function reportFailure(
  core: Core,
  error: unknown,
  record: RunRecord,
  now: number,
): Promise<ErrorCode> {
  const failure = asActionError(error);
  // The error line first: it must reach the log even when the outputs cannot be written.
  core.error(`${failure.hint ? `${sentence(failure.message)} ${failure.hint}` : failure.message}`, {
    title: `OTA update failed: ${failure.code}`,
  });
  const job = jobPlace(record);
  try {
    setFailureOutputs(core, failure, record, job);
  } catch (outputError) {
    core.warning(`Could not write the step's outputs: ${String(outputError)}`);
  }
  if (record.debug && error instanceof Error && error.stack) core.debug(error.stack);

  try {
    const summary = core.summary
      .addHeading(`OTA update failed: ${htmlSafe(failure.code)}`, 2)
      .addTable([
        [
          { data: 'Field', header: true },
          { data: 'Value', header: true },
        ],
        ['Reason', htmlSafe(failure.message)],
        ['What to do', htmlSafe(failure.hint ?? '-')],
        ['Error code', code(failure.code)],
        ['Elapsed', `${((now - record.startedAt) / 1000).toFixed(1)} s`],
      ])
      .addRaw(`<p>${whatExists(record)}</p>`, true);
    if (record.rollout && job) addRolloutSummary(summary, record.rollout, job);
    await summary.write();
  } catch (summaryError) {
    core.warning(`Could not write the job summary: ${String(summaryError)}`);
  }
  return failure.code;
}

function setFailureOutputs(
  core: Core,
  failure: ActionError,
  record: RunRecord,
  job: JobPlace | undefined,
): void {
  core.setOutput(OUTPUTS.errorCode, failure.code);
  if (record.request) core.setOutput(OUTPUTS.request, requestToJson(record.request));
  const update = record.update;
  if (update && record.otaUpdateId) {
    core.setOutput(OUTPUTS.otaUpdateId, record.otaUpdateId);
    const outputs: [string, string | undefined][] = [
      [OUTPUTS.otaUpdateArn, update.otaUpdateArn],
      [OUTPUTS.otaUpdateStatus, update.otaUpdateStatus],
      [OUTPUTS.awsIotJobId, update.awsIotJobId],
      [OUTPUTS.awsIotJobArn, update.awsIotJobArn],
    ];
    for (const [name, value] of outputs) if (value) core.setOutput(name, value);
  }
  setRolloutOutputs(core, record.rollout, job);
}

/** One paragraph (HTML) saying what the run left in AWS. */
function whatExists(record: RunRecord): string {
  const id = record.otaUpdateId;
  const uploads = [...record.uploadedFiles].map((i) => shippedFiles(record.settings, record.files)[i]);
  const uploaded = uploads
    .filter((f) => f !== undefined)
    .map((f) => `${code(f.location)} version ${code(f.s3Version ?? '?')}`);
  const parts: string[] = [];
  if (record.update && id) {
    const links = consoleLinks(
      record.identity?.partition,
      record.settings?.auth.region,
      id,
      record.update.awsIotJobId,
    );
    parts.push(
      `Exists in AWS: OTA update ${code(id)}${record.update.otaUpdateArn ? ` (${code(record.update.otaUpdateArn)})` : ''}${
        record.update.otaUpdateStatus ? `, ${htmlSafe(record.update.otaUpdateStatus)}` : ''
      }${links.map((l) => ` · <a href="${l.href}">${l.label}</a>`).join('')}.`,
    );
  } else if (record.createWasSent && id) {
    parts.push(
      `A CreateOTAUpdate request for ${code(id)} went out without an answer: the update may exist; a re-run finds it.`,
    );
  }
  if (uploaded.length > 0) parts.push(`Uploaded: ${uploaded.join(', ')} (a re-run reuses it).`);
  return parts.length > 0 ? parts.join(' ') : 'Nothing was created in AWS.';
}

function asActionError(error: unknown): ActionError {
  if (error instanceof ActionError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ActionError('InternalError', `Unexpected failure: ${message}`, { hint: BUG_HINT, cause: error });
}

function describeConfig<T extends object>(
  words: (config: T | undefined) => string,
  config: T | undefined,
): string {
  return config && Object.keys(config).length > 0
    ? `${htmlSafe(words(config))}<br>${code(JSON.stringify(config))}`
    : 'default';
}

/** A value in a table cell: escaped, and on one line (a blank line would end the HTML block). */
function code(text: string): string {
  return `<code>${htmlSafe(text)}</code>`;
}

/** A block of text shown as it is: escaped, and with no blank line that could end the HTML block. */
function preformatted(text: string): string {
  return `<pre><code>${escapeHtml(text).replace(/\n(?=\n)/g, '\n&#32;')}</code></pre>`;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
