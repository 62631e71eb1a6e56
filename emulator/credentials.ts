/** The credentials requests may be signed with: the configured static pairs and those STS issued. */
import { createHash, randomBytes } from 'node:crypto';
import type { StaticCredential } from './types.js';

export interface Principal {
  arn: string;
  userId: string;
  account: string;
}

export interface CredentialRecord extends Principal {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string | undefined;
  /** Undefined for static credentials, which never expire. */
  expiration: Date | undefined;
}

export const DEFAULT_STATIC_CREDENTIAL: StaticCredential = {
  accessKeyId: 'AKIAEMULATOREXAMPLE1',
  secretAccessKey: 'emulator/Secret+Access/Key0000EXAMPLEKEY',
};

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomId(prefix: string, length: number): string {
  const bytes = randomBytes(length);
  return prefix + Array.from(bytes, (b) => BASE32[b % 32]).join('');
}

/** A stable AROA… id per role, as IAM keeps one per role. */
export function roleId(roleArn: string): string {
  const digest = createHash('sha256').update(roleArn).digest();
  return `AROA${Array.from(digest.subarray(0, 17), (b) => BASE32[b % 32]).join('')}`;
}

export class CredentialStore {
  readonly #byKey = new Map<string, CredentialRecord>();

  constructor(statics: readonly StaticCredential[], account: string, partition: string) {
    for (const s of statics) {
      this.#byKey.set(s.accessKeyId, {
        accessKeyId: s.accessKeyId,
        secretAccessKey: s.secretAccessKey,
        sessionToken: s.sessionToken,
        expiration: undefined,
        arn: `arn:${partition}:iam::${account}:user/emulator`,
        userId: `AIDA${s.accessKeyId.slice(4, 21).padEnd(17, 'X')}`,
        account,
      });
    }
  }

  lookup(accessKeyId: string): CredentialRecord | undefined {
    return this.#byKey.get(accessKeyId);
  }

  /** Fresh temporary credentials for an assumed-role session. */
  issue(session: Principal, expiration: Date): CredentialRecord {
    const record: CredentialRecord = {
      ...session,
      accessKeyId: randomId('ASIA', 16),
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: `IQoJb3JpZ2luX2Vj${randomBytes(270).toString('base64')}`,
      expiration,
    };
    this.#byKey.set(record.accessKeyId, record);
    return record;
  }
}
