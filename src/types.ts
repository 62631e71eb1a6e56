/**
 * The shapes that flow between the stages of one run: raw inputs → Settings → (facts from AWS) → request.
 * Types only; each stage lives in its own module.
 */
import type {
  AwsJobAbortConfig,
  AwsJobExecutionsRolloutConfig,
  AwsJobPresignedUrlConfig,
  AwsJobTimeoutConfig,
  CodeSigning,
  Protocol,
  Tag,
  TargetSelection,
} from '@aws-sdk/client-iot';

/** What the workflow run tells us (GitHub context), read once by inputs.ts. */
export interface GitHubContext {
  /** `owner/repo`. */
  repository: string;
  /** Branch or tag name, e.g. `v1.2.0` or `main`. */
  refName: string;
  /** `branch` or `tag`. */
  refType: 'branch' | 'tag' | '';
  /** Full ref, e.g. `refs/tags/v1.2.0`. */
  ref: string;
  sha: string;
  runId: string;
  runAttempt: string;
  eventName: string;
  serverUrl: string;
}

/** Raw input strings by their public name (`ota-role-arn`, ...); absent and empty mean "not set". */
export type RawInputs = Readonly<Record<string, string>>;

export interface AuthSettings {
  region: string;
  /** Role ARN to assume with the OIDC token; undefined: use the credentials already in the environment. */
  roleToAssume: string | undefined;
  roleSessionName: string;
  roleDurationSeconds: number;
  audience: string;
}

/** A target as written: a full ARN, or a thing / thing group name to expand once the account is known. */
export type TargetRef =
  { kind: 'arn'; arn: string } | { kind: 'thing'; name: string } | { kind: 'thinggroup'; name: string };

/** Where a file's bytes come from. */
type FileSource =
  | {
      kind: 's3';
      bucket: string;
      key: string;
      /** Version given by the user; otherwise pinned by resolve (upload or HeadObject). */
      version: string | undefined;
      /** A local file to upload to bucket/key first; never sent to the API. */
      localPath: string | undefined;
    }
  | { kind: 'stream'; streamId: string; fileId: number | undefined };

/** One file of the update, validated, with its defaults applied. */
export interface FileSettings {
  /** The input the file came from, for messages: `firmware` or `files[1]`. */
  origin: string;
  fileName: string | undefined;
  fileType: number | undefined;
  fileVersion: string | undefined;
  attributes: Record<string, string> | undefined;
  /** As the SDK wants it: a custom signature is a Uint8Array of the raw bytes. */
  codeSigning: CodeSigning | undefined;
  source: FileSource;
}

export type IfExists = 'reuse' | 'fail' | 'replace';

/**
 * How far the step follows the update: `created` until CREATE_COMPLETE (the IoT job exists), `rollout` then on to the
 * job's verdict on the devices, `none` not at all (it returns after the create call).
 */
export type WaitMode = 'created' | 'rollout' | 'none';

/** What `wait: rollout` judges the job by. */
export interface RolloutSettings {
  /** Share of the targeted things that must succeed, 0 < p ≤ 100. */
  successPercentage: number;
  /** Deadline of the rollout phase, after CREATE_COMPLETE. */
  timeoutMinutes: number;
  /** Cancel the job (not forced) when the verdict is a failure or the deadline passes. */
  cancelOnFailure: boolean;
}

export interface BehaviourSettings {
  ifExists: IfExists;
  wait: WaitMode;
  /** Set exactly when `wait` is `rollout`. */
  rollout: RolloutSettings | undefined;
  waitTimeoutSeconds: number;
  dryRun: boolean;
}

/** Everything one run needs, parsed and validated. Built by settings.ts from RawInputs + GitHubContext. */
export interface Settings {
  auth: AuthSettings;
  /** Given by the user; undefined: derived from the release identity. */
  otaUpdateId: string | undefined;
  roleArn: string;
  targets: TargetRef[];
  files: FileSettings[];
  protocols: Protocol[];
  targetSelection: TargetSelection;
  description: string;
  rolloutConfig: AwsJobExecutionsRolloutConfig | undefined;
  abortConfig: AwsJobAbortConfig | undefined;
  timeoutConfig: AwsJobTimeoutConfig | undefined;
  presignedUrlConfig: AwsJobPresignedUrlConfig | undefined;
  additionalParameters: Record<string, string> | undefined;
  tags: Tag[] | undefined;
  behaviour: BehaviourSettings;
  /** Repository name and ref name, the readable part of a derived id. */
  release: { repoName: string; refName: string };
}

/** Who we are in AWS, learned from STS. */
export interface CallerIdentity {
  partition: string;
  accountId: string;
  arn: string;
}

/** Where the bytes a file ships come from, as far as the run knows. */
export type FileOrigin =
  /** A local file whose bytes are not in S3 yet: apply uploads it. */
  | 'upload'
  /** A local file uploaded by this run. */
  | 'uploaded'
  /** A local file whose bytes were already in S3 (a re-run, or a concurrent run of the same release). */
  | 'reused'
  /** An S3 object the user named. */
  | 'existing'
  | 'stream';

/** What resolve (and apply) learned about one file, in the order of Settings.files. */
export interface FileFacts {
  /** sha256 hex of the local file, or the `sha256` metadata this action stores with what it uploads. */
  sha256: string | undefined;
  /** Bytes, when known. */
  size: number | undefined;
  /** The S3 version the update ships, once known: given, pinned by HeadObject, reused or uploaded. */
  s3Version: string | undefined;
  origin: FileOrigin;
}

/** Time as the run sees it; injected so tests run whole schedules at once. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Where stages write what they are doing (the step log). */
export interface Log {
  info(message: string): void;
  notice(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
}
