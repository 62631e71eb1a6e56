/** The emulator's public types; see index.ts for how they fit together (fleet and job types in job-types.ts). */
import type {
  DeviceBehaviour,
  DeviceTimings,
  EmulatedFleet,
  EmulatedJobs,
  ThingGroupOption,
  ThingOption,
} from './job-types.js';

export type Service = 'oidc' | 'sts' | 'iot' | 's3';

export type OTAUpdateStatus =
  | 'CREATE_PENDING'
  | 'CREATE_IN_PROGRESS'
  | 'CREATE_COMPLETE'
  | 'CREATE_FAILED'
  | 'DELETE_IN_PROGRESS'
  | 'DELETE_FAILED';

export interface StaticCredential {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

interface RoleOption {
  arn: string;
  /** StringLike patterns (`*` any run of characters, `?` one) matched case-sensitively against the token's `sub`. */
  trustedSubs: string[];
  /** The role's MaxSessionDuration in seconds (default 43200, the model's maximum). */
  maxSessionDuration?: number;
}

export interface OidcClaimsOption {
  repository?: string;
  ref?: string;
  /** Overrides the derived `repo:<repository>:ref:<ref>` / `repo:<repository>:environment:<environment>`. */
  sub?: string;
  environment?: string;
}

export interface EmulatorOptions {
  /** Default 'us-east-1'. */
  region?: string;
  /** Default '123456789012'. */
  accountId?: string;
  /** Default 'aws'. */
  partition?: string;
  /** Port to listen on, default 0 (a free one). */
  port?: number;
  /** Accepted for SigV4 besides the STS-issued ones; default one pair (exported as emulator.staticCredentials). */
  staticCredentials?: StaticCredential[];
  /** Roles assumable with the OIDC token; default `arn:aws:iam::<account>:role/ota-deployer` trusting 'repo:*'. */
  roles?: RoleOption[];
  /** Claims of the tokens the OIDC endpoint issues; default repository octo/firmware, ref refs/tags/v1.2.0. */
  oidcClaims?: OidcClaimsOption;
  /** GetOTAUpdate polls before a new update ends (default 2: PENDING → IN_PROGRESS → COMPLETE). */
  otaPollsToComplete?: number;
  /** GetOTAUpdate polls an update stays DELETE_IN_PROGRESS after DeleteOTAUpdate (default 2); its id stays taken. */
  deletePolls?: number;
  /** Default one versioned bucket 'firmware-bucket'. */
  buckets?: { name: string; versioned?: boolean }[];
  /** Where S3 bodies are written (default: a temp dir removed on close; a given dir is kept). */
  storageDir?: string;
  /** The things of the fleet. Giving this or thingGroups closes the registry: unknown targets then fail with 404. */
  things?: ThingOption[];
  /** Thing groups (those named in things[].groups exist without being listed here). */
  thingGroups?: ThingGroupOption[];
  /** The source of time in epoch ms (default Date.now): inject one to step device time exactly in tests. */
  clock?: () => number;
  /** Emulated time runs this many times faster than the clock from start-up (default 1). */
  timeScale?: number;
  /** Emulated seconds between device steps (see index.ts for the defaults). */
  deviceTimings?: DeviceTimings;
}

export interface RecordedRequest {
  service: Service;
  /** The AWS operation name ('CreateOTAUpdate', 'PutObject', ...), 'OidcToken', or 'Unknown'. */
  operation: string;
  method: string;
  /** The raw path as received, without the query. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Status replied; 0 when no reply was sent (connection reset, client gone). */
  status: number;
  /** The error code replied, or 'ConnectionReset' / 'ClientAborted' when there was no reply. */
  errorCode?: string;
  /** The request body as text, except S3 object and part bodies. */
  bodyText?: string;
  /** The operation took effect but loseReply destroyed the connection instead of replying `status`. */
  replyLost?: boolean;
  /** Date.now() on arrival. */
  at: number;
}

export interface ErrorInfo {
  code: string;
  message: string;
}

export type CreateOutcome = 'complete' | { failed: ErrorInfo } | 'never';

export interface StoredOtaUpdate {
  otaUpdateId: string;
  /** The CreateOTAUpdate body as received (parsed JSON; `files`, the signature still base64). */
  request: Record<string, unknown>;
  status: OTAUpdateStatus;
  arn: string;
  jobId: string;
  jobArn: string;
  errorInfo?: ErrorInfo;
  creationDate: Date;
  lastModifiedDate: Date;
  /** GetOTAUpdate calls answered for it so far. */
  polls: number;
  /** How its creation ends. */
  outcome: CreateOutcome;
  /**
   * Set by DeleteOTAUpdate. `willFail`: the update's job is running and forceDeleteAWSJob was false, so the
   * deletion ends DELETE_FAILED instead of removing the update.
   */
  deletion?: { deleteStream: boolean; forceDeleteAWSJob: boolean; pollsLeft: number; willFail: boolean };
}

interface S3VersionInfo {
  versionId: string;
  size: number;
  /** The `sha256` user metadata, if any. */
  sha256Metadata?: string;
  metadata: Record<string, string>;
}

export interface EmulatedS3 {
  /** Stores a new object version (as a PUT would) and returns its version id ('null' in an unversioned bucket). */
  putObject(bucket: string, key: string, body: Buffer | string, metadata?: Record<string, string>): string;
  /** The key's versions, newest first. */
  versions(bucket: string, key: string): S3VersionInfo[];
  setVersioning(bucket: string, enabled: boolean): void;
  createBucket(name: string, versioned: boolean): void;
  /** Multipart uploads started and neither completed nor aborted. */
  pendingUploads(bucket: string): { key: string; uploadId: string }[];
}

export type Fault =
  | 'throttle'
  | 'limit'
  | '500'
  | '503'
  | 'reset'
  | 'oidc503'
  | { status: number; code: string; message?: string };

export interface ScenarioControls {
  /** The next `n` calls of `op` fail with `fault` without taking effect. */
  failFirst(op: string, n: number, fault: Fault): void;
  /** Every call of `op` fails with `fault` until clear(). */
  failAlways(op: string, fault: Fault): void;
  /** The next `n` (default 1) calls of `op` take effect, but the connection is destroyed instead of replying. */
  loseReply(op: string, n?: number): void;
  /** The next `n` (default: all) calls of `op` are held `ms` before they take effect and reply. */
  delay(op: string, ms: number, n?: number): void;
  /** How updates created from now on end. */
  createOutcome(outcome: CreateOutcome): void;
  /** The thing's behaviour for executions created from now on (registers it in an open fleet). */
  deviceBehaviour(thing: string, behaviour: DeviceBehaviour): void;
  /** The behaviour of the group's things that have none of their own, for executions created from now on. */
  groupBehaviour(group: string, behaviour: DeviceBehaviour): void;
  /** The thing (new or known) joins the group now; CONTINUOUS jobs targeting the group give it an execution. */
  addThingToGroup(thing: string, group: string): void;
  /** Drops every fault, loss, delay and behaviour set here; new updates complete again (joins stay until reset). */
  clear(): void;
}

/** What points the action, the SDK or the AWS CLI at the emulator. */
type EmulatorEnv = Record<
  | 'AWS_ENDPOINT_URL_IOT'
  | 'AWS_ENDPOINT_URL_STS'
  | 'AWS_ENDPOINT_URL_S3'
  | 'ACTIONS_ID_TOKEN_REQUEST_URL'
  | 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'
  | 'AWS_REGION',
  string
>;

export interface Emulator {
  /** http://127.0.0.1:PORT */
  url: string;
  env: EmulatorEnv;
  staticCredentials: { accessKeyId: string; secretAccessKey: string };
  requests: RecordedRequest[];
  otaUpdates: Map<string, StoredOtaUpdate>;
  s3: EmulatedS3;
  seedOtaUpdate(id: string, body: object, status?: OTAUpdateStatus, errorInfo?: ErrorInfo): void;
  /** Issues an OIDC token as the token endpoint would (for STS tests and CLI conformance). */
  issueOidcToken(audience?: string): string;
  controls: ScenarioControls;
  /** The jobs behind the OTA updates, evaluated at the current emulated time. */
  jobs: EmulatedJobs;
  /** The things and thing groups. */
  fleet: EmulatedFleet;
  /** The current emulated time. */
  now(): Date;
  /** Clears requests, OTA updates, jobs and scenario controls and restores the configured fleet; buckets stay. */
  reset(): void;
  close(): Promise<void>;
}
