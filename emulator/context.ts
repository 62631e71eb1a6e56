/** The state every service handler shares. */
import type { Controls } from './controls.js';
import type { CredentialStore } from './credentials.js';
import type { Fleet } from './fleet.js';
import type { JobStore } from './job-store.js';
import type { OidcIssuer } from './oidc.js';
import type { OtaStore } from './ota-store.js';
import type { S3Store } from './s3-store.js';

interface ResolvedRole {
  arn: string;
  trustedSubs: string[];
  maxSessionDuration: number;
}

export interface EmulatorContext {
  region: string;
  accountId: string;
  partition: string;
  credentials: CredentialStore;
  oidc: OidcIssuer;
  roles: ResolvedRole[];
  ota: OtaStore;
  fleet: Fleet;
  jobs: JobStore;
  s3: S3Store;
  controls: Controls;
}
