/**
 * Does an existing OTA update hold the release we are about to create? GetOTAUpdate returns only part of what
 * CreateOTAUpdate takes (no roleArn, abort or timeout config, and `otaUpdateFiles` instead of `files`), so this
 * compares what it can see and lists every difference in words a person can act on.
 */
import { createHash } from 'node:crypto';
import type { CreateOTAUpdateRequest, OTAUpdateFile, OTAUpdateInfo } from '@aws-sdk/client-iot';
import { canonicalJson } from './canonical-json.js';

export function describeDifferences(existing: OTAUpdateInfo, request: CreateOTAUpdateRequest): string[] {
  const differences: string[] = [];
  const note = (what: string, had: unknown, want: unknown): void => {
    differences.push(`${what}: existing ${show(had)}, requested ${show(want)}`);
  };

  const hadTargets = sorted(existing.targets ?? []);
  const wantTargets = sorted(request.targets ?? []);
  if (!same(hadTargets, wantTargets)) note('targets', hadTargets, wantTargets);

  const hadProtocols = sorted(existing.protocols ?? ['MQTT']);
  const wantProtocols = sorted(request.protocols ?? ['MQTT']);
  if (!same(hadProtocols, wantProtocols)) note('protocols', hadProtocols, wantProtocols);

  const hadSelection = existing.targetSelection ?? 'SNAPSHOT';
  const wantSelection = request.targetSelection ?? 'SNAPSHOT';
  if (hadSelection !== wantSelection) note('targetSelection', hadSelection, wantSelection);

  compareOptional(
    'awsJobExecutionsRolloutConfig',
    existing.awsJobExecutionsRolloutConfig,
    request.awsJobExecutionsRolloutConfig,
    note,
  );
  compareOptional(
    'awsJobPresignedUrlConfig',
    existing.awsJobPresignedUrlConfig,
    request.awsJobPresignedUrlConfig,
    note,
  );
  compareOptional('additionalParameters', existing.additionalParameters, request.additionalParameters, note);

  const hadFiles = existing.otaUpdateFiles ?? [];
  const wantFiles = request.files ?? [];
  if (hadFiles.length !== wantFiles.length) {
    note('number of files', hadFiles.length, wantFiles.length);
  } else {
    wantFiles.forEach((want, i) => {
      const had = hadFiles[i] ?? {};
      for (const [what, a, b] of fileFacets(had, want)) {
        if (!same(a, b)) note(`files[${i}].${what}`, a, b);
      }
    });
  }
  return differences;
}

type Note = (what: string, had: unknown, want: unknown) => void;

function compareOptional(what: string, had: unknown, want: unknown, note: Note): void {
  if (isEmpty(had) && isEmpty(want)) return;
  if (!same(had, want)) note(what, had, want);
}

/** The facets of a file that a device or the rollout sees; `had` is as GetOTAUpdate returns it. */
function fileFacets(had: OTAUpdateFile, want: OTAUpdateFile): [string, unknown, unknown][] {
  const facets: [string, unknown, unknown][] = [
    ['fileName', had.fileName, want.fileName],
    ['fileType', had.fileType, want.fileType],
    ['fileVersion', had.fileVersion, want.fileVersion],
    ['fileLocation', had.fileLocation, want.fileLocation],
  ];
  if (!isEmpty(had.attributes) || !isEmpty(want.attributes))
    facets.push(['attributes', had.attributes, want.attributes]);
  const hadSigning = had.codeSigning;
  const wantSigning = want.codeSigning;
  if (wantSigning?.customCodeSigning || hadSigning?.customCodeSigning) {
    const hadCustom = hadSigning?.customCodeSigning;
    const wantCustom = wantSigning?.customCodeSigning;
    facets.push(
      [
        'codeSigning.signature',
        signatureDigest(hadCustom?.signature?.inlineDocument),
        signatureDigest(wantCustom?.signature?.inlineDocument),
      ],
      [
        'codeSigning.certificateName',
        hadCustom?.certificateChain?.certificateName,
        wantCustom?.certificateChain?.certificateName,
      ],
      ['codeSigning.hashAlgorithm', hadCustom?.hashAlgorithm, wantCustom?.hashAlgorithm],
      ['codeSigning.signatureAlgorithm', hadCustom?.signatureAlgorithm, wantCustom?.signatureAlgorithm],
    );
  }
  if (wantSigning?.awsSignerJobId) {
    facets.push(['codeSigning.awsSignerJobId', hadSigning?.awsSignerJobId, wantSigning.awsSignerJobId]);
  }
  if (wantSigning?.startSigningJobParameter?.signingProfileName && hadSigning?.startSigningJobParameter) {
    facets.push([
      'codeSigning.signingProfileName',
      hadSigning.startSigningJobParameter.signingProfileName,
      wantSigning.startSigningJobParameter.signingProfileName,
    ]);
  }
  return facets;
}

/** A signature is named by a digest of its bytes: differences are listed in logs, the signature never is. */
function signatureDigest(bytes: Uint8Array | undefined): string | undefined {
  return bytes === undefined
    ? undefined
    : `sha256:${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`;
}

function sorted(values: readonly string[]): string[] {
  return [...values].sort();
}

function isEmpty(value: unknown): boolean {
  return (
    value === undefined || value === null || (typeof value === 'object' && Object.keys(value).length === 0)
  );
}

/** Structural equality that ignores key order and absent-vs-undefined members. */
export function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function show(value: unknown): string {
  return value === undefined ? 'none' : canonicalJson(value);
}
