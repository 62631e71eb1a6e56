/**
 * The rollout in the step's outputs and job summary, from a RolloutRecord: rollout-status, things-* and
 * console-url, and the summary's pieces (verdict, a text progress bar, the counts, the console link, the failed
 * devices). Device text, reason codes and comments are someone else's words: escaped, on one line.
 */
import type { FailedDevice } from '../aws/jobs.js';
import { htmlSafe } from '../plan/untrusted-text.js';
import { requiredSuccesses, type Tally } from '../plan/verdict.js';
import type { CancelOutcome, RolloutRecord } from '../stages/rollout.js';
import { OUTPUTS } from './names.js';
import { consoleLinks } from './console-links.js';
import type { ActionsCore } from './dependencies.js';

/** Where the job lives, for its console link. */
export interface JobPlace {
  partition: string | undefined;
  region: string | undefined;
  otaUpdateId: string;
  /** The job id when known; `AFR_OTA-<otaUpdateId>` otherwise. */
  jobId: string | undefined;
}

export type RolloutOutputName =
  | typeof OUTPUTS.rolloutStatus
  | typeof OUTPUTS.thingsTotal
  | typeof OUTPUTS.thingsSucceeded
  | typeof OUTPUTS.thingsFailed
  | typeof OUTPUTS.thingsCanceled
  | typeof OUTPUTS.thingsPending
  | typeof OUTPUTS.consoleUrl;

/** The job's page in the AWS IoT console of its partition; '' when the region is unknown. */
function consoleUrl(place: JobPlace): string {
  return consoleLinks(place.partition, place.region, place.otaUpdateId, place.jobId)[0]?.href ?? '';
}

/**
 * The rollout outputs: rollout-status and things-* from the record ('' when the run did not follow the rollout
 * or no DescribeJob answered), console-url whenever a job exists (pass `job` undefined when none does).
 */
export function rolloutOutputs(
  record: RolloutRecord | undefined,
  job: JobPlace | undefined,
): Record<RolloutOutputName, string> {
  const t = record?.tally;
  const n = (value: number | undefined) => (value === undefined ? '' : String(value));
  return {
    [OUTPUTS.rolloutStatus]: record?.job?.status ?? '',
    [OUTPUTS.thingsTotal]: n(t?.total),
    [OUTPUTS.thingsSucceeded]: n(t?.succeeded),
    [OUTPUTS.thingsFailed]: n(t?.failed),
    [OUTPUTS.thingsCanceled]: n(t?.canceled),
    [OUTPUTS.thingsPending]: n(t?.pending),
    [OUTPUTS.consoleUrl]: job ? consoleUrl(job) : '',
  };
}

export function setRolloutOutputs(
  core: Pick<ActionsCore, 'setOutput'>,
  record: RolloutRecord | undefined,
  job: JobPlace | undefined,
): void {
  for (const [name, value] of Object.entries(rolloutOutputs(record, job))) core.setOutput(name, value);
}

/**
 * `[########xx..........]`: `#` succeeded, `x` failed or canceled, `.` pending. A share that is not zero gets at
 * least one cell, and the bar is full of `#` only when every thing succeeded.
 */
export function progressBar(t: Tally, width = 20): string {
  if (t.total === 0) return `[${'.'.repeat(width)}]`;
  const lost = t.failed + t.canceled;
  let s = Math.max(t.succeeded > 0 ? 1 : 0, Math.floor((t.succeeded / t.total) * width));
  let f = Math.max(lost > 0 ? 1 : 0, Math.floor((lost / t.total) * width));
  let p = width - s - f;
  if (t.pending === 0 && p > 0) {
    if (t.succeeded >= lost) s += p;
    else f += p;
    p = 0;
  } else if (t.pending > 0 && p === 0) {
    if (s >= f) s -= 1;
    else f -= 1;
    p = 1;
  }
  return `[${'#'.repeat(s)}${'x'.repeat(f)}${'.'.repeat(p)}]`;
}

function cancelSentence(outcome: CancelOutcome | undefined): string | undefined {
  switch (outcome?.kind) {
    case 'canceled':
      return 'cancel-on-failure canceled the job (not forced): queued devices will not start it; those in progress finish.';
    case 'left-alone':
      return `cancel-on-failure left the job alone: it had already ended (${outcome.status}).`;
    case 'failed':
      return `cancel-on-failure could not cancel the job: ${outcome.message}`;
    case undefined:
      return undefined;
  }
}

/** The verdict in one sentence, as plain text (escape it for HTML). */
export function verdictSentence(record: RolloutRecord): string {
  const v = record.verdict;
  const t = record.tally;
  if (v?.kind === 'green') {
    return `Green: ${t?.succeeded ?? 0} of ${t?.total ?? 0} things succeeded (${v.required} required, ${record.successPercentage} %).`;
  }
  if (v?.kind === 'red') return `${v.code}: ${v.reason}.`;
  if (record.timedOut) {
    return `RolloutTimeout: no verdict before the deadline (rollout-timeout-minutes)${
      record.cancel?.kind === 'canceled' ? '.' : '; the job continues in AWS IoT.'
    }`;
  }
  return 'No verdict yet: the step stopped following the job; the rollout goes on in AWS IoT.';
}

function detailsText(device: FailedDevice): string {
  if (device.details) {
    return Object.entries(device.details)
      .map(([k, v]) => `<code>${htmlSafe(k)}</code>: ${htmlSafe(v)}`)
      .join('<br>');
  }
  return htmlSafe(device.detailsError ?? '-');
}

function countsTable(record: RolloutRecord, t: Tally): string[][] {
  const c = record.job?.counts;
  const required = requiredSuccesses(record.successPercentage, t.total);
  return [
    ['Succeeded', String(t.succeeded)],
    [
      'Failed',
      `${t.failed} (failed ${c?.failed ?? 0}, rejected ${c?.rejected ?? 0}, timed out ${c?.timedOut ?? 0})`,
    ],
    ['Canceled', String(t.canceled)],
    ['Pending', `${t.pending} (queued ${c?.queued ?? 0}, in progress ${c?.inProgress ?? 0})`],
    ['Total', `${t.total} (not counted: ${c?.removed ?? 0} removed)`],
    ['Required', `${required} (${record.successPercentage} %)`],
    ['Job status', htmlSafe(record.job?.status ?? 'unknown')],
  ];
}

/** The rollout's section of the job summary; returns the summary for chaining. */
export function addRolloutSummary(
  summary: ActionsCore['summary'],
  record: RolloutRecord,
  job: JobPlace,
): ActionsCore['summary'] {
  summary.addHeading(`Rollout of ${htmlSafe(record.jobId)}`, 3);
  summary.addRaw(`<p><strong>${htmlSafe(verdictSentence(record))}</strong></p>`, true);
  const notes = record.verdict?.kind === 'green' ? record.verdict.notes.map((n) => htmlSafe(n.text)) : [];
  const cancel = cancelSentence(record.cancel);
  if (cancel) notes.push(htmlSafe(cancel));
  if (notes.length > 0) summary.addList(notes);
  const t = record.tally;
  if (t) {
    summary.addRaw(
      `<p><code>${progressBar(t)}</code> ${t.succeeded}/${t.total} succeeded, ${t.failed + t.canceled} failed or canceled, ${t.pending} pending</p>`,
      true,
    );
    summary.addTable([
      [
        { data: 'Things', header: true },
        { data: 'Count', header: true },
      ],
      ...countsTable(record, t),
    ]);
  }
  const url = consoleUrl(job);
  if (url) summary.addRaw(`<p><a href="${htmlSafe(url)}">IoT job in the AWS IoT console</a></p>`, true);
  if (record.failedDevices.length > 0) {
    const failed = t?.failed ?? record.failedDevices.length;
    summary.addHeading(
      failed > record.failedDevices.length
        ? `Failed devices (the first ${record.failedDevices.length} of ${failed})`
        : 'Failed devices',
      4,
    );
    summary.addTable([
      [
        { data: 'Thing', header: true },
        { data: 'Status', header: true },
        { data: 'statusDetails', header: true },
      ],
      ...record.failedDevices.map((d) => [`<code>${htmlSafe(d.thingName)}</code>`, d.status, detailsText(d)]),
    ]);
  }
  return summary;
}
