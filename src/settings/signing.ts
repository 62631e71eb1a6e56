/**
 * The code signing of the single file: AWS Signer with a profile (a new signing job), a completed signing job, or
 * a custom signature given inline or as a file. At most one mode; each mode's inputs are checked.
 */
import { readFileSync } from 'node:fs';
import type { CodeSigning, CustomCodeSigning } from '@aws-sdk/client-iot';
import type { FileSettings } from '../types.js';
import { INPUTS } from '../runner/names.js';
import { SIGNATURE_MAX_BYTES } from './documented.js';
import { type FileRoots, resolveLocalFile } from './local-files.js';
import { decodeBase64, type Problems } from './parse-values.js';
import { validateShape } from './shape-validation.js';

export interface SigningInputs {
  get: (name: string) => string;
  s3Bucket: string;
  roots: FileRoots;
}

const SIGNING_MODES = [
  [INPUTS.signingProfile],
  [INPUTS.signerJobId],
  [
    INPUTS.signature,
    INPUTS.signatureFile,
    INPUTS.certificateName,
    INPUTS.hashAlgorithm,
    INPUTS.signatureAlgorithm,
  ],
] as const;

function customCodeSigning({ get, roots }: SigningInputs, problems: Problems): CustomCodeSigning | undefined {
  const before = problems.length;
  const signatureText = get(INPUTS.signature);
  const signatureFile = get(INPUTS.signatureFile);
  let bytes: Uint8Array | undefined;
  if (signatureText && signatureFile) {
    problems.push({
      input: INPUTS.signatureFile,
      message: 'cannot be combined with signature: give the signature once',
    });
  } else if (signatureText) {
    bytes = decodeBase64(signatureText);
    if (!bytes) {
      problems.push({
        input: INPUTS.signature,
        message: "must be base64 text (A-Z, a-z, 0-9, '+', '/', '=' padding)",
      });
    } else {
      problems.push(...validateShape('Signature', bytes, INPUTS.signature));
    }
  } else if (signatureFile) {
    const file = resolveLocalFile(INPUTS.signatureFile, '', signatureFile, roots, problems, {
      maxBytes: { bytes: SIGNATURE_MAX_BYTES, what: 'the most a signature may hold' },
    });
    if (file) bytes = new Uint8Array(readFileSync(file.path));
  } else {
    problems.push({
      input: INPUTS.signature,
      message:
        'is required for custom code signing (certificate-name, hash-algorithm or signature-algorithm is set): give signature or signature-file',
    });
  }
  const certificateName = get(INPUTS.certificateName);
  if (certificateName)
    problems.push(...validateShape('CertificateName', certificateName, INPUTS.certificateName));
  const hashAlgorithm = get(INPUTS.hashAlgorithm) || 'SHA256';
  const signatureAlgorithm = get(INPUTS.signatureAlgorithm) || 'ECDSA';
  problems.push(...validateShape('HashAlgorithm', hashAlgorithm, INPUTS.hashAlgorithm));
  problems.push(...validateShape('SignatureAlgorithm', signatureAlgorithm, INPUTS.signatureAlgorithm));
  if (problems.length > before || !bytes) return undefined;
  return {
    signature: { inlineDocument: bytes },
    ...(certificateName ? { certificateChain: { certificateName } } : {}),
    hashAlgorithm,
    signatureAlgorithm,
  };
}

/** The code signing of the single file: at most one of the three modes. */
export function singleFileCodeSigning(inputs: SigningInputs, problems: Problems): CodeSigning | undefined {
  const { get } = inputs;
  const before = problems.length;
  const used = SIGNING_MODES.map((mode) => mode.find((name) => get(name) !== '')).filter(
    (name): name is (typeof SIGNING_MODES)[number][number] => name !== undefined,
  );
  const [first, ...others] = used;
  for (const other of others) {
    problems.push({
      input: other,
      message: `cannot be combined with ${first}: choose one code-signing mode (signing-profile, signer-job-id, or signature / signature-file)`,
    });
  }

  // Each mode's inputs are checked even when modes conflict, so that one run reports every problem.
  const profile = get(INPUTS.signingProfile);
  const destinationBucket = get(INPUTS.signingDestinationBucket);
  const prefix = get(INPUTS.signingDestinationPrefix);
  for (const name of [INPUTS.signingDestinationBucket, INPUTS.signingDestinationPrefix]) {
    if (get(name) && !profile) problems.push({ input: name, message: 'only applies with signing-profile' });
  }
  if (profile) problems.push(...validateShape('SigningProfileName', profile, INPUTS.signingProfile));
  if (destinationBucket) {
    problems.push(...validateShape('S3Bucket', destinationBucket, INPUTS.signingDestinationBucket));
  }
  if (prefix) problems.push(...validateShape('Prefix', prefix, INPUTS.signingDestinationPrefix));
  const signerJobId = get(INPUTS.signerJobId);
  if (signerJobId) problems.push(...validateShape('SigningJobId', signerJobId, INPUTS.signerJobId));
  const [, , customInputs] = SIGNING_MODES;
  const custom = customInputs.some((name) => get(name) !== '')
    ? customCodeSigning(inputs, problems)
    : undefined;

  if (first === undefined || problems.length > before) return undefined;
  if (first === INPUTS.signingProfile) {
    return {
      startSigningJobParameter: {
        signingProfileName: profile,
        destination: {
          s3Destination: { bucket: destinationBucket || inputs.s3Bucket, ...(prefix ? { prefix } : {}) },
        },
      },
    };
  }
  if (first === INPUTS.signerJobId) return { awsSignerJobId: signerJobId };
  return custom && { customCodeSigning: custom };
}

/**
 * The warning for an update that signs none of its files: stock FreeRTOS OTA agents verify a signature and reject an
 * image without one. It names the three ways to sign, in the words of the mode in use.
 */
export function unsignedWarning(files: readonly FileSettings[], filesMode: boolean): string | undefined {
  if (files.length === 0 || files.some((file) => file.codeSigning !== undefined)) return undefined;
  return filesMode
    ? 'No entry of files has codeSigning, and stock FreeRTOS OTA agents reject unsigned firmware. Sign each file in one of three ways: codeSigning.startSigningJobParameter (AWS Signer signs it during the update), codeSigning.awsSignerJobId (a completed AWS Signer job), or codeSigning.customCodeSigning (your own signature).'
    : 'The firmware is not signed, and stock FreeRTOS OTA agents reject unsigned firmware. Sign it in one of three ways: signing-profile (AWS Signer signs it during the update), signer-job-id (a completed AWS Signer job), or signature / signature-file (your own signature, with certificate-name).';
}
