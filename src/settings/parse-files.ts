/**
 * The files of the update: either the single-file inputs (`firmware`, `s3-*`, `file-*`, the signing inputs) or
 * the `files` list in the API's OTAUpdateFile shape. Local files are checked to exist; they are not read, except
 * a signature file, whose bytes are the signature.
 */
import { basename } from 'node:path';
import type { OTAUpdateFile } from '@aws-sdk/client-iot';
import { INPUTS, type InputName } from '../runner/names.js';
import type { ShapeName } from './model.generated.js';
import { FILES_MAX, MAP_MAX_ENTRIES } from './documented.js';
import { type FileRoots, resolveLocalFile } from './local-files.js';
import { decodeBase64, parseStringMap, parseYaml, type Problems } from './parse-values.js';
import { validateShape } from './shape-validation.js';
import { singleFileCodeSigning } from './signing.js';
import { describeValue, isPlainObject, own } from './values.js';
import type { FileSettings, GitHubContext, RawInputs } from '../types.js';

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
  const map = parseStringMap(input, text, problems, { max: MAP_MAX_ENTRIES, noun: 'entries' });
  if (map === undefined) return undefined;
  const found = validateShape('AttributesMap', map, input);
  problems.push(...found);
  return found.length === 0 ? (map as Record<string, string>) : undefined;
}

/** `file-version` default: the tag on a tag push, else the short commit SHA. */
function defaultFileVersion(context: GitHubContext): string | undefined {
  if (context.refType === 'tag' && context.refName) return context.refName;
  return context.sha ? context.sha.slice(0, 7) : undefined;
}

/** The single-file inputs that are free text, and the shape each one is in the request. */
const SINGLE_FILE_TEXT: readonly [InputName, ShapeName][] = [
  [INPUTS.s3Key, 'S3Key'],
  [INPUTS.s3Version, 'S3Version'],
  [INPUTS.fileName, 'FileName'],
  [INPUTS.fileVersion, 'OTAUpdateFileVersion'],
];

/** The single-file inputs as `files[0]`. */
export function parseSingleFile(
  raw: RawInputs,
  context: GitHubContext,
  roots: FileRoots,
  problems: Problems,
): FileSettings | undefined {
  const before = problems.length;
  const get = (name: string): string => own(raw, name) ?? '';
  const firmware = get(INPUTS.firmware);
  const localPath = firmware
    ? resolveLocalFile(INPUTS.firmware, '', firmware, roots, problems)?.path
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
    problems.push(...validateShape('S3Bucket', bucket, INPUTS.s3Bucket));
  }

  // What the user typed is checked against its shape; defaults come from checked inputs and the GitHub context.
  for (const [input, shape] of SINGLE_FILE_TEXT) {
    if (get(input) !== '') problems.push(...validateShape(shape, get(input), input));
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
  const codeSigning = singleFileCodeSigning({ get, s3Bucket: bucket, roots }, problems);

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
    // Said once: the shape check that follows does not see the text.
    delete signature.inlineDocument;
    return;
  }
  signature.inlineDocument = bytes;
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
export function parseFilesList(text: string, roots: FileRoots, problems: Problems): FileSettings[] {
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
  if (value.length > FILES_MAX) {
    // Said by the count alone: the entries of a list this long are not looked at.
    problems.push({ input, message: `must have at most ${FILES_MAX} items, got ${value.length}` });
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
        localPath = resolveLocalFile(input, `${at}.path`, path, roots, problems)?.path;
      }
    }
    if (problems.length === before)
      files.push(fileFromEntry(entry as OTAUpdateFile, `files${at}`, localPath));
  });
  return files;
}
