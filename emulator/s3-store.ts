/** Buckets, object versions and multipart uploads; bodies live in files under one directory, never in memory. */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChecksumAlgorithm } from './checksums.js';

type VersioningState = 'Unversioned' | 'Enabled' | 'Suspended';
export type ChecksumType = 'FULL_OBJECT' | 'COMPOSITE';

interface StoredChecksum {
  algorithm: ChecksumAlgorithm;
  /** base64; a composite one ends in `-<parts>`. */
  value: string;
  type: ChecksumType;
}

export interface StoredVersion {
  /** 'null' for an object written while versioning was not enabled. */
  versionId: string;
  /** Files holding the body, in order (one per part for a multipart object). */
  segments: string[];
  size: number;
  /** Quoted, as in the ETag header. */
  etag: string;
  metadata: Record<string, string>;
  contentType: string;
  checksum: StoredChecksum | undefined;
  lastModified: Date;
}

export interface StoredPart {
  partNumber: number;
  file: string;
  size: number;
  md5: Buffer;
  /** base64 of the upload's checksum algorithm over the part, when it has one. */
  checksum: string | undefined;
  lastModified: Date;
}

export interface MultipartUpload {
  uploadId: string;
  key: string;
  initiated: Date;
  metadata: Record<string, string>;
  contentType: string;
  checksumAlgorithm: ChecksumAlgorithm | undefined;
  checksumType: ChecksumType;
  parts: Map<number, StoredPart>;
}

export interface Bucket {
  name: string;
  versioning: VersioningState;
  /** key → versions, oldest first. */
  objects: Map<string, StoredVersion[]>;
  uploads: Map<string, MultipartUpload>;
}

const VERSION_ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._';

function newVersionId(): string {
  return Array.from(randomBytes(32), (b) => VERSION_ID_CHARS[b % VERSION_ID_CHARS.length]).join('');
}

export function quotedMd5(md5: Buffer): string {
  return `"${md5.toString('hex')}"`;
}

export class S3Store {
  readonly buckets = new Map<string, Bucket>();

  constructor(readonly dir: string) {}

  newFile(): string {
    return join(this.dir, randomUUID());
  }

  discard(files: readonly string[]): void {
    for (const file of files) rmSync(file, { force: true });
  }

  createBucket(name: string, versioned: boolean): Bucket {
    const existing = this.buckets.get(name);
    if (existing) return existing;
    const bucket: Bucket = {
      name,
      versioning: versioned ? 'Enabled' : 'Unversioned',
      objects: new Map(),
      uploads: new Map(),
    };
    this.buckets.set(name, bucket);
    return bucket;
  }

  bucket(name: string): Bucket | undefined {
    return this.buckets.get(name);
  }

  /** Makes `version` the key's current version; without versioning it replaces the previous 'null' version. */
  addVersion(bucket: Bucket, key: string, version: Omit<StoredVersion, 'versionId'>): StoredVersion {
    const versions = bucket.objects.get(key) ?? [];
    const stored: StoredVersion = {
      ...version,
      versionId: bucket.versioning === 'Enabled' ? newVersionId() : 'null',
    };
    if (stored.versionId === 'null') {
      const old = versions.findIndex((v) => v.versionId === 'null');
      if (old >= 0) this.discard(versions.splice(old, 1)[0]!.segments);
    }
    versions.push(stored);
    bucket.objects.set(key, versions);
    return stored;
  }

  find(bucket: Bucket, key: string, versionId?: string): StoredVersion | undefined {
    const versions = bucket.objects.get(key);
    if (!versions) return undefined;
    return versionId === undefined ? versions.at(-1) : versions.find((v) => v.versionId === versionId);
  }

  /** A PUT done by the test itself (no HTTP); returns the version id. */
  putObject(bucket: Bucket, key: string, body: Buffer, metadata: Record<string, string>): StoredVersion {
    const file = this.newFile();
    writeFileSync(file, body);
    return this.addVersion(bucket, key, {
      segments: [file],
      size: body.length,
      etag: quotedMd5(createHash('md5').update(body).digest()),
      metadata,
      contentType: 'binary/octet-stream',
      checksum: undefined,
      lastModified: new Date(),
    });
  }

  newUploadId(): string {
    return randomBytes(48).toString('base64url');
  }

  dropUpload(bucket: Bucket, uploadId: string): void {
    const upload = bucket.uploads.get(uploadId);
    if (!upload) return;
    this.discard([...upload.parts.values()].map((p) => p.file));
    bucket.uploads.delete(uploadId);
  }
}
