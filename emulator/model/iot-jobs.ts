/**
 * The IoT Jobs operations the emulator serves (DescribeJob, ListJobExecutionsForJob, DescribeJobExecution,
 * CancelJob), read from the botocore extract model/iot-jobs-shapes.json when the emulator loads: routes, request
 * constraints and error statuses all come from that file.
 */
import { loadBotocoreModel } from '../botocore.js';

export const JOBS_MODEL = loadBotocoreModel(new URL('../../model/iot-jobs-shapes.json', import.meta.url));
