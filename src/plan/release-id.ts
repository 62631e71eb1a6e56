/**
 * The release identity: what makes two runs "the same release", and the OTA update id derived from it. The id
 * must come out the same when a release is re-run, so it depends on the content of local files (their sha256),
 * never on the S3 version id that uploading them issues.
 */
import { createHash } from 'node:crypto';
import type { CodeSigning } from '@aws-sdk/client-iot';
import { OTA_UPDATE_ID_MAX_LENGTH } from '../settings/ota-update-id.js';
import { targetRefText } from '../settings/targets.js';
import { canonicalJson } from './canonical-json.js';
import type { FileFacts, FileSettings, Settings } from '../types.js';

const HASH_LENGTH = 8;

function signingIdentity(codeSigning: CodeSigning | undefined): unknown {
  const custom = codeSigning?.customCodeSigning;
  const bytes = custom?.signature?.inlineDocument;
  if (!custom || !bytes) return codeSigning ?? null;
  return {
    ...codeSigning,
    customCodeSigning: { ...custom, signature: { inlineDocument: Buffer.from(bytes).toString('base64') } },
  };
}

function contentIdentity(file: FileSettings, facts: FileFacts | undefined, index: number): unknown {
  const source = file.source;
  if (source.kind === 'stream') return { streamId: source.streamId, fileId: source.fileId ?? null };
  if (source.localPath !== undefined) {
    if (facts?.sha256 === undefined)
      throw new Error(`release identity: no sha256 for the local file of files[${index}]`);
    return { sha256: facts.sha256 };
  }
  return { bucket: source.bucket, key: source.key, version: facts?.s3Version ?? source.version ?? null };
}

/**
 * The canonical data that identifies a release: targets (as written), role, protocols, target selection, the
 * four job configs, and per file its name, type, version, attributes, signing and content.
 */
export function releaseIdentity(settings: Settings, facts: FileFacts[]): unknown {
  if (facts.length !== settings.files.length) {
    throw new Error(`release identity: ${facts.length} file facts for ${settings.files.length} files`);
  }
  return {
    targets: settings.targets.map(targetRefText).sort(),
    roleArn: settings.roleArn,
    protocols: [...settings.protocols].sort(),
    targetSelection: settings.targetSelection,
    rolloutConfig: settings.rolloutConfig ?? null,
    abortConfig: settings.abortConfig ?? null,
    timeoutConfig: settings.timeoutConfig ?? null,
    presignedUrlConfig: settings.presignedUrlConfig ?? null,
    files: settings.files.map((file, i) => ({
      name: file.fileName ?? null,
      type: file.fileType ?? null,
      version: file.fileVersion ?? null,
      attributes: file.attributes ?? null,
      signing: signingIdentity(file.codeSigning),
      content: contentIdentity(file, facts[i], i),
    })),
  };
}

/** sha256 hex of the canonical release identity. */
export function releaseHash(settings: Settings, facts: FileFacts[]): string {
  return createHash('sha256')
    .update(canonicalJson(releaseIdentity(settings, facts)))
    .digest('hex');
}

function sanitise(part: string): string {
  return part.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
}

/** Cut two parts to fit `budget` characters together: the shorter keeps what it can, the longer gives way. */
function fit(a: string, b: string, budget: number): [string, string] {
  if (a.length + b.length <= budget) return [a, b];
  const half = Math.floor(budget / 2);
  if (a.length <= half) return [a, b.slice(0, budget - a.length)];
  if (b.length <= budget - half) return [a.slice(0, budget - b.length), b];
  return [a.slice(0, half), b.slice(0, budget - half)];
}

/**
 * `<repo name>-<ref name>-<8 hex>`, sanitised to `[A-Za-z0-9_-]` and at most 56 characters; the name parts are
 * shortened, never the hash.
 */
export function deriveOtaUpdateId(settings: Settings, facts: FileFacts[]): string {
  const hash = releaseHash(settings, facts).slice(0, HASH_LENGTH);
  const repo = sanitise(settings.release.repoName);
  const ref = sanitise(settings.release.refName);
  const names = [repo, ref].filter(Boolean);
  if (names.length === 0) return `ota-${hash}`;
  const separators = names.length;
  const budget = OTA_UPDATE_ID_MAX_LENGTH - HASH_LENGTH - separators;
  const [first = '', second = ''] = names;
  const shortened = names.length === 2 ? fit(first, second, budget) : [first.slice(0, budget)];
  return [...shortened.map((p) => p.replace(/-+$/, '')), hash].filter(Boolean).join('-');
}
