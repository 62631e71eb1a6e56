/**
 * `if-exists: replace` deletes the update and its job. A device that is installing the firmware (its execution
 * IN_PROGRESS) would be left unable to report, whatever the job's own status (a canceled job can still have some), so
 * the replacement is refused while any is; queued and finished executions do not block it.
 */
import { ActionError } from '../errors.js';
import { tallyOf, type RolloutJob } from './verdict.js';

export function refuseToStrandDevices(otaUpdateId: string, job: RolloutJob | undefined): void {
  const inProgress = job?.counts.inProgress ?? 0;
  if (job === undefined || inProgress === 0) return;
  const t = tallyOf(job.counts);
  throw new ActionError(
    'RolloutInProgress',
    `OTA update ${otaUpdateId} cannot be replaced: ${inProgress} of the ${t.total} things of its job ${job.jobId} (${
      job.status ?? 'status unknown'
    }) are installing it right now (${t.succeeded} succeeded, ${t.failed} failed, ${job.counts.queued} queued), and deleting the job would leave them unable to report.`,
    {
      hint: `Wait until they finish and run the step again, cancel the job first (aws iot cancel-job --job-id ${job.jobId}: queued devices stop, installing ones finish), or ship this release under a new ota-update-id.`,
    },
  );
}
