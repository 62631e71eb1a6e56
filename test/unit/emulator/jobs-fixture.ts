/** A job store on an injected clock, without a server, for the device model's tests. */
import { EmulatedClock } from '../../../emulator/clock.js';
import { Fleet } from '../../../emulator/fleet.js';
import type { DeviceTimings, JobView, ThingGroupOption, ThingOption } from '../../../emulator/index.js';
import { resolveTimings } from '../../../emulator/job-model.js';
import { JobStore } from '../../../emulator/job-store.js';
import type { StoredOtaUpdate } from '../../../emulator/types.js';

const PREFIX = 'arn:aws:iot:us-east-1:123456789012';
export const group = (name: string) => `${PREFIX}:thinggroup/${name}`;
export const thing = (name: string) => `${PREFIX}:thing/${name}`;

export interface FleetSetup {
  things?: ThingOption[];
  thingGroups?: ThingGroupOption[];
  timings?: DeviceTimings;
}

/** `count` things named d1..dN in group g, with the behaviours given by name. */
export function groupOf(
  count: number,
  behaviours: Record<string, ThingOption['behaviour']> = {},
): ThingOption[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `d${i + 1}`;
    const behaviour = behaviours[name];
    return { name, groups: ['g'], ...(behaviour ? { behaviour } : {}) };
  });
}

export function jobWorld(setup: FleetSetup = {}) {
  let nowMs = 0;
  const clock = new EmulatedClock(() => nowMs);
  const fleet = new Fleet({
    arnPrefix: PREFIX,
    ...(setup.things ? { things: setup.things } : {}),
    ...(setup.thingGroups ? { thingGroups: setup.thingGroups } : {}),
  });
  const jobs = new JobStore(clock, fleet, resolveTimings(setup.timings));
  let n = 0;
  return {
    jobs,
    fleet,
    /** Creates the job of an update with this request (targets default to group g) at the current time. */
    create(request: Record<string, unknown> = {}): string {
      n += 1;
      const update: StoredOtaUpdate = {
        otaUpdateId: `fw-${n}`,
        jobId: `AFR_OTA-fw-${n}`,
        jobArn: `${PREFIX}:job/AFR_OTA-fw-${n}`,
        arn: `${PREFIX}:otaupdate/fw-${n}`,
        request: { targets: [group('g')], ...request },
        status: 'CREATE_COMPLETE',
        creationDate: new Date(0),
        lastModifiedDate: new Date(0),
        polls: 0,
        outcome: 'complete',
      };
      jobs.created(update);
      return update.jobId;
    },
    /** Moves the clock to `seconds` and returns the job as it stands then. */
    at(seconds: number, jobId = `AFR_OTA-fw-${n}`): JobView {
      nowMs = seconds * 1000;
      return jobs.view(jobId)!;
    },
    set now(seconds: number) {
      nowMs = seconds * 1000;
    },
  };
}

/** Each execution as `thing:STATUS`, in queue order. */
export const statuses = (view: JobView): string[] => view.executions.map((e) => `${e.thingName}:${e.status}`);

/** When each execution was notified, in emulated seconds (undefined if not yet). */
export const notifiedAt = (view: JobView): (number | undefined)[] =>
  view.executions.map((e) => (e.notifiedAt ? e.notifiedAt.getTime() / 1000 : undefined));

/** The counts that are not zero. */
export const nonZero = (view: JobView): Record<string, number> =>
  Object.fromEntries(Object.entries(view.counts).filter(([, n]) => n > 0));
