/**
 * The files of the update: either the single-file inputs (`firmware`, `s3-*`, `file-*`, the signing inputs) or
 * the `files` list in the API's OTAUpdateFile shape. Local files are checked to exist; they are not read, except
 * a signature file, whose bytes are the signature.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { CodeSigning, CustomCodeSigning, OTAUpdateFile } from '@aws-sdk/client-iot';
import { INPUTS } from '../runner/names.js';
import { decodeBase64, parseStringMap, parseYaml, type Problems } from './parse-values.js';
import { describeValue, isPlainObject, validateShape } from './shape-validation.js';
import type { FileSettings, GitHubContext, RawInputs } from '../types.js';

/** AWS Signer profile names: 2..64 of letters, digits and '_'. */
const SIGNING_PROFILE_NAME = /^[a-zA-Z0-9_]{2,64}$/;
/** Bucket names, including legacy ones (upper case, '_'); a URL or a key in the bucket input is the common slip. */
const BUCKET_NAME = /^[A-Za-z0-9._-]{1,255}$/;

/** A local file named by an input, resolved against the workspace; it must exist and be a regular file. */
function resolveLocalFile(
  input: string,
  subject: string,
  path: string,
  workspace: string,
  problems: Problems,
): string | undefined {
  const full = resolve(workspace, path);
  const say = (text: string) => problems.push({ input, message: subject ? `${subject} ${text}` : text });
  let isFile: boolean;
  try {
    isFile = statSync(full).isFile();
  } catch {
    say(`must name an existing file, got ${describeValue(path)} (resolved to ${full})`);
    return undefined;
  }
  if (!isFile) {
    say(`must name a regular file, got ${describeValue(path)} (resolved to ${full})`);
    return undefined;
  }
  return full;
}

function checkBucket(input: string, bucket: string, problems: Problems): void {
  if (!BUCKET_NAME.test(bucket)) {
    problems.push({
      input,
      message: `must be an S3 bucket name (letters, digits, '.', '-', '_'; not a URL or path), got ${describeValue(bucket)}`,
    });
  }
}

function optionalInteger(
  input: string,
  text: string,
  shape: 'FileType',
  problems: Problems,
): number | undefined {
  if (text === '') return undefined;
  const value = /^[+-]?\d+$/.test(text) ? Number(text) : text;
  const found = validateShape(shape, value, input);
  problems.push(...found);
  return found.length === 0 && typeof value === 'number' ? value : undefined;
}

function stringMap(input: string, text: string, problems: Problems): Record<string, string> | undefined {
  if (text === '') return undefined;
  const map = parseStringMap(input, text, problems);
  if (map === undefined) return undefined;
  const found = validateShape('AttributesMap', map, input);
  problems.push(...found);
  return found.length === 0 ? (map as Record<string, string>) : undefined;
}

interface SigningInputs {
  get: (name: string) => string;
  s3Bucket: string;
  workspace: string;
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

function customCodeSigning(
  { get, workspace }: SigningInputs,
  problems: Problems,
): CustomCodeSigning | undefined {
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
    }
  } else if (signatureFile) {
    const full = resolveLocalFile(INPUTS.signatureFile, '', signatureFile, workspace, problems);
    if (full) {
      bytes = new Uint8Array(readFileSync(full));
      if (bytes.length === 0)
        problems.push({ input: INPUTS.signatureFile, message: `${describeValue(full)} is empty` });
    }
  } else {
    problems.push({
      input: INPUTS.signature,
      message:
        'is required for custom code signing (certificate-name, hash-algorithm or signature-algorithm is set): give signature or signature-file',
    });
  }
  const hashAlgorithm = get(INPUTS.hashAlgorithm) || 'SHA256';
  const signatureAlgorithm = get(INPUTS.signatureAlgorithm) || 'ECDSA';
  problems.push(...validateShape('HashAlgorithm', hashAlgorithm, INPUTS.hashAlgorithm));
  problems.push(...validateShape('SignatureAlgorithm', signatureAlgorithm, INPUTS.signatureAlgorithm));
  if (problems.length > before || !bytes) return undefined;
  const certificateName = get(INPUTS.certificateName);
  return {
    signature: { inlineDocument: bytes },
    ...(certificateName ? { certificateChain: { certificateName } } : {}),
    hashAlgorithm,
    signatureAlgorithm,
  };
}

/** The code signing of the single file: at most one of the three modes. */
function singleFileCodeSigning(inputs: SigningInputs, problems: Problems): CodeSigning | undefined {
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
  if (profile && !SIGNING_PROFILE_NAME.test(profile)) {
    problems.push({
      input: INPUTS.signingProfile,
      message: `must be an AWS Signer profile name (2..64 letters, digits and '_'), got ${describeValue(profile)}`,
    });
  }
  if (destinationBucket) checkBucket(INPUTS.signingDestinationBucket, destinationBucket, problems);
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
  if (first === INPUTS.signerJobId) return { awsSignerJobId: get(INPUTS.signerJobId) };
  return custom && { customCodeSigning: custom };
}

/** `file-version` default: the tag on a tag push, else the short commit SHA. */
function defaultFileVersion(context: GitHubContext): string | undefined {
  if (context.refType === 'tag' && context.refName) return context.refName;
  return context.sha ? context.sha.slice(0, 7) : undefined;
}

/** The single-file inputs as `files[0]`. */
export function parseSingleFile(
  raw: RawInputs,
  context: GitHubContext,
  workspace: string,
  problems: Problems,
): FileSettings | undefined {
  const before = problems.length;
  const get = (name: string): string => raw[name] ?? '';
  const firmware = get(INPUTS.firmware);
  const localPath = firmware
    ? resolveLocalFile(INPUTS.firmware, '', firmware, workspace, problems)
    : undefined;

  const bucket = get(INPUTS.s3Bucket);
  if (!bucket) {
    problems.push({
      input: INPUTS.s3Bucket,
      message: firmware
        ? 'is required with firmware (the versioned bucket to upload it to)'
        : 'is required: set firmware and s3-bucket to upload a file, s3-bucket and s3-key to ship an existing object, or files',
    });
  } else {
    checkBucket(INPUTS.s3Bucket, bucket, problems);
  }

  const repoName = context.repository.split('/').pop() ?? '';
  const key =
    get(INPUTS.s3Key) ||
    (firmware ? [repoName, context.refName, basename(firmware)].filter(Boolean).join('/') : '');
  if (!key) {
    problems.push({
      input: INPUTS.s3Key,
      message: 'is required when firmware is not set (the key of an existing object)',
    });
  }

  const version = get(INPUTS.s3Version);
  if (version && firmware) {
    problems.push({
      input: INPUTS.s3Version,
      message: 'cannot be combined with firmware: the upload creates the version',
    });
  }

  const fileName = get(INPUTS.fileName) || key.split('/').pop() || undefined;
  if (key && !fileName) {
    problems.push({
      input: INPUTS.fileName,
      message: `is required when s3-key ends with "/" (got ${describeValue(key)})`,
    });
  }

  const fileType = optionalInteger(INPUTS.fileType, get(INPUTS.fileType), 'FileType', problems);
  const attributes = stringMap(INPUTS.fileAttributes, get(INPUTS.fileAttributes), problems);
  const codeSigning = singleFileCodeSigning({ get, s3Bucket: bucket, workspace }, problems);

  if (problems.length > before) return undefined;
  return {
    origin: firmware ? INPUTS.firmware : INPUTS.s3Key,
    fileName,
    fileType,
    fileVersion: get(INPUTS.fileVersion) || defaultFileVersion(context),
    attributes,
    codeSigning,
    source: { kind: 's3', bucket, key, version: version || undefined, localPath },
  };
}

/** `codeSigning.customCodeSigning.signature.inlineDocument` is base64 text in YAML and bytes for the SDK. */
function decodeInlineSignature(entry: Record<string, unknown>, at: string, problems: Problems): void {
  const codeSigning = entry.codeSigning;
  const custom = isPlainObject(codeSigning) ? codeSigning.customCodeSigning : undefined;
  const signature = isPlainObject(custom) ? custom.signature : undefined;
  if (!isPlainObject(signature) || typeof signature.inlineDocument !== 'string') return;
  const bytes = decodeBase64(signature.inlineDocument);
  if (!bytes) {
    const path = `${at}.codeSigning.customCodeSigning.signature.inlineDocument`;
    problems.push({
      input: INPUTS.files,
      message: `${path} must be base64 text, got ${describeValue(signature.inlineDocument)}`,
    });
  }
  signature.inlineDocument = bytes ?? new Uint8Array();
}

function fileFromEntry(entry: OTAUpdateFile, origin: string, localPath: string | undefined): FileSettings {
  const location = entry.fileLocation;
  const source: FileSettings['source'] = location?.s3Location
    ? {
        kind: 's3',
        bucket: location.s3Location.bucket ?? '',
        key: location.s3Location.key ?? '',
        version: location.s3Location.version,
        localPath,
      }
    : { kind: 'stream', streamId: location?.stream?.streamId ?? '', fileId: location?.stream?.fileId };
  return {
    origin,
    fileName: entry.fileName,
    fileType: entry.fileType,
    fileVersion: entry.fileVersion,
    attributes: entry.attributes,
    codeSigning: entry.codeSigning,
    source,
  };
}

/** The `files` input: a YAML/JSON list of OTAUpdateFile objects, each optionally with a local `path` to upload. */
export function parseFilesList(text: string, workspace: string, problems: Problems): FileSettings[] {
  const input = INPUTS.files;
  const value = parseYaml(input, text, problems);
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push({
      input,
      message: `must be a YAML/JSON list of OTAUpdateFile objects, got ${describeValue(value)}`,
    });
    return [];
  }
  if (value.length === 0) {
    problems.push(...validateShape('OTAUpdateFiles', value, input));
    return [];
  }
  const files: FileSettings[] = [];
  value.forEach((item: unknown, i) => {
    const at = `[${i}]`;
    const before = problems.length;
    if (!isPlainObject(item)) {
      problems.push(...validateShape('OTAUpdateFile', item, input, at));
      return;
    }
    const { path, ...entry } = item;
    decodeInlineSignature(entry, at, problems);
    problems.push(...validateShape('OTAUpdateFile', entry, input, at));
    let localPath: string | undefined;
    if (path !== undefined) {
      const location = isPlainObject(entry.fileLocation) ? entry.fileLocation : {};
      const s3 = isPlainObject(location.s3Location) ? location.s3Location : undefined;
      if (typeof path !== 'string' || path === '') {
        problems.push({
          input,
          message: `${at}.path must be the path of a local file, got ${describeValue(path)}`,
        });
      } else if (!s3) {
        problems.push({ input, message: `${at}.path needs fileLocation.s3Location to upload the file to` });
      } else if (s3.version !== undefined) {
        problems.push({
          input,
          message: `${at}.path cannot be combined with fileLocation.s3Location.version: the upload creates the version`,
        });
      } else {
        localPath = resolveLocalFile(input, `${at}.path`, path, workspace, problems);
      }
    }
    if (problems.length === before)
      files.push(fileFromEntry(entry as OTAUpdateFile, `files${at}`, localPath));
  });
  return files;
}
