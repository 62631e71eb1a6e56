/** Links to an OTA update's IoT job in the AWS console, in the console domain of the update's partition. */

export interface Link {
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
  const base = `https://${host}/iot/home?region=${encodeURIComponent(region)}`;
  const job = jobId ?? `AFR_OTA-${otaUpdateId}`;
  return [
    { label: 'OTA job in the AWS IoT console', href: `${base}#/jobhub/details/${encodeURIComponent(job)}` },
    { label: 'All jobs', href: `${base}#/jobhub` },
  ];
}

/** The config in words, with its JSON below; `default` when it is not set. */
