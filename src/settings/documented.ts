/**
 * The constraints the AWS documentation states but the IoT model leaves out, by shape: narrower ranges, enums
 * written as plain strings, one-of members, patterns in words, and a bound for every string, list and map the model
 * leaves open (the S3 and Signer limits, or a bound chosen and explained here). validateShape layers them over the
 * model's.
 */
import type { CreateOTAUpdateRequest } from '@aws-sdk/client-iot';
import type { Bounds, ShapeName } from './model.generated.js';
import { TARGET_ARN_PATTERN, TARGETS_MAX } from './targets.js';
import { describeValue, isBuiltinName } from './values.js';

/** Constraints from the AWS documentation, layered over the model's. */
export interface Documented {
  /** Replaces the model's range (the documented one is narrower). */
  readonly range?: Bounds;
  /** Most digits after the decimal point. */
  readonly decimals?: number;
  /** A string shape that only takes these values. */
  readonly values?: readonly string[];
  /** Replaces the model's length: characters of a string, items of a list, entries of a map. */
  readonly length?: Bounds;
  /** Bytes of a string (UTF-8) or of a blob. */
  readonly bytes?: Bounds;
  /** A pattern the model does not have. */
  readonly pattern?: RegExp;
  /** What the pattern asks for, in words: completes "must …". */
  readonly patternText?: string;
  /** Members the model marks optional that a working update needs. */
  readonly required?: readonly string[];
  /** Exactly one of these members. */
  readonly exactlyOne?: readonly string[];
  /** A check over the whole (well-typed) value; returns what is wrong, or undefined. */
  readonly rule?: (value: unknown) => string | undefined;
}

/**
 * The most bytes a custom signature may hold. The model sets no limit; RSA-4096 signatures are 512 bytes and DER
 * ECDSA P-521 ones at most 139, and the signature travels in every device's job document: 4096 is room for any
 * scheme, and far from a megabyte pasted by mistake.
 */
export const SIGNATURE_MAX_BYTES = 4096;

/**
 * Files of one update. No documented limit; FreeRTOS agents take one file per job and every file is an entry of each
 * device's job document: 10 is room for agents that take several.
 */
export const FILES_MAX = 10;

/** Map keys that name a built-in of JavaScript objects are refused like any unknown key, never looked up. */
function builtinKey(key: unknown): string | undefined {
  return typeof key === 'string' && isBuiltinName(key)
    ? 'is not a valid key (the names of JavaScript object built-ins such as constructor, __proto__ and toString are reserved)'
    : undefined;
}

const ID_CHARS = "use only letters, digits, '_' and '-'";

/**
 * No control characters (Unicode category C: C0/C1 controls such as CR and LF, format characters such as the bidi
 * overrides) and no line or paragraph separator. A line break in a value could start a new log line, and with it a
 * workflow command (`::error::`, `::add-mask::`); none of these has a place in a name, a path, a key or an id.
 */
const NO_CONTROL = /^[^\p{C}\u2028\u2029]*$/u;
const NO_CONTROL_TEXT = 'not contain control characters such as line breaks';

/** Map values may hold several lines (the model allows anything): tabs and line breaks, but no other control. */
const TEXT_VALUE = /^[\t\n\r\P{Cc}]*$/u;

/**
 * S3 keys (and key prefixes): at most 1024 bytes of UTF-8 (S3's limit), relative to the bucket, without a `..`
 * segment (S3 would store it, but tools and signing destinations resolve it as a parent directory) and without
 * control characters.
 */
const S3_KEY_BYTES = { min: 1, max: 1024 } as const;
function s3KeyProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const quoted = describeValue(value);
  if (!NO_CONTROL.test(value)) return `must ${NO_CONTROL_TEXT}, got ${quoted}`;
  if (value.startsWith('/'))
    return `must not start with "/" (keys are relative to the bucket), got ${quoted}`;
  if (value.split('/').includes('..')) return `must not have a ".." segment, got ${quoted}`;
  return undefined;
}

/**
 * Names and paths on the device (fileName, certificateName, certificatePathOnDevice) and file versions: the model
 * sets no limit. FreeRTOS keeps a path in otaconfigMAX_FILE_PATH_SIZE bytes (260 by default) and Linux's PATH_MAX is
 * 4096; 1024 characters is more than any device path or version needs and keeps a pasted blob out of the job.
 */
const DEVICE_TEXT = {
  length: { min: 1, max: 1024 },
  pattern: NO_CONTROL,
  patternText: NO_CONTROL_TEXT,
} as const;

/** Keys of attributes and additional parameters: the model sets no limit; 128, as for tag keys. */
const MAP_KEY = { min: 1, max: 128 } as const;
/**
 * Entries of attributes and additional parameters: the model sets no limit; 50, as AWS allows tags per resource and
 * IoT attributes per thing.
 */
export const MAP_MAX_ENTRIES = 50;
const MAP_ENTRIES = { max: MAP_MAX_ENTRIES } as const;

export const DOCUMENTED: Partial<Record<ShapeName, Documented>> = {
  ExpiresInSeconds: { range: { min: 60, max: 3600 } },
  AwsJobTimeoutInProgressTimeoutInMinutes: { range: { min: 1, max: 10080 } },
  AwsJobRolloutIncrementFactor: { range: { min: 1.1, max: 5 }, decimals: 1 },
  AwsJobAbortCriteriaAbortThresholdPercentage: { decimals: 2 },
  HashAlgorithm: { values: ['SHA256', 'SHA1'] },
  SignatureAlgorithm: { values: ['ECDSA', 'RSA'] },
  FileLocation: { exactlyOne: ['s3Location', 'stream'] },
  CodeSigning: { exactlyOne: ['awsSignerJobId', 'startSigningJobParameter', 'customCodeSigning'] },
  OTAUpdateFile: { required: ['fileLocation'] },
  S3Location: { required: ['bucket', 'key'] },
  S3Destination: { required: ['bucket'] },
  Stream: { required: ['streamId'] },
  OTAUpdateId: { patternText: ID_CHARS },
  S3Key: { bytes: S3_KEY_BYTES, rule: s3KeyProblem },
  /** The signed file's key prefix: an S3 key, and may be empty. */
  Prefix: { bytes: { max: S3_KEY_BYTES.max }, rule: s3KeyProblem },
  /** S3 version ids are opaque, URL-ready and at most 1024 bytes (S3's documentation). */
  S3Version: {
    bytes: { min: 1, max: 1024 },
    pattern: /^[^\p{C}\s]+$/u,
    patternText: 'be an S3 version id (no spaces or control characters)',
  },
  FileName: DEVICE_TEXT,
  OTAUpdateFileVersion: DEVICE_TEXT,
  CertificateName: DEVICE_TEXT,
  CertificatePathOnDevice: DEVICE_TEXT,
  /** AWS Signer job ids are UUIDs; the model sets no limit, so the bound is that of other IoT ids. */
  SigningJobId: {
    pattern: /^[a-zA-Z0-9_-]{1,128}$/,
    patternText: "be an AWS Signer job id (1..128 letters, digits, '_' and '-', e.g. a UUID)",
  },
  /** Signer platform ids such as AmazonFreeRTOS-Default. */
  Platform: {
    pattern: /^[a-zA-Z0-9_-]{1,128}$/,
    patternText: "be an AWS Signer platform id (1..128 letters, digits, '_' and '-')",
  },
  /** An ACM certificate ARN: at most 2048 characters, as every ARN in IAM's model. */
  CertificateArn: {
    length: { min: 20, max: 2048 },
    pattern: /^arn:[!-~]+$/,
    patternText: 'be a certificate ARN (arn:…, printable ASCII)',
  },
  /**
   * The certificate chain as PEM text: several lines. No model limit; a PEM certificate is about 2 kB, so 16384
   * characters hold a chain of several.
   */
  InlineDocument: {
    length: { min: 1, max: 16384 },
    pattern: TEXT_VALUE,
    patternText: 'not contain control characters other than tabs and line breaks',
  },
  Signature: { bytes: { min: 1, max: SIGNATURE_MAX_BYTES } },
  /** Bucket names, including legacy ones (upper case, '_'); a URL or a key in the bucket input is the common slip. */
  S3Bucket: {
    pattern: /^[A-Za-z0-9._-]{1,255}$/,
    patternText: "be an S3 bucket name (letters, digits, '.', '-', '_'; not a URL or path)",
  },
  /** AWS Signer profile names: 2..64 of letters, digits and '_'. */
  SigningProfileName: {
    pattern: /^[a-zA-Z0-9_]{2,64}$/,
    patternText: "be an AWS Signer profile name (2..64 letters, digits and '_')",
  },
  StreamId: { patternText: ID_CHARS },
  OTAUpdateDescription: { patternText: 'not contain control characters such as line breaks' },
  TagKey: { patternText: "use only letters, digits, spaces and '_.:/=+-@'", rule: builtinKey },
  AttributeKey: { length: MAP_KEY, pattern: NO_CONTROL, patternText: NO_CONTROL_TEXT, rule: builtinKey },
  /**
   * Values of attributes and additional parameters. The model allows anything (`[\s\S]*`) up to 4096 characters,
   * and several lines are legitimate (a PEM, a JSON document), so tabs and line breaks stay; other control characters
   * (NUL, ESC, BEL, …) have no business there. The action only ever logs such a value JSON-encoded (the request
   * output, the dry-run preview), which escapes every line break.
   */
  Value: {
    pattern: TEXT_VALUE,
    patternText: 'not contain control characters other than tabs and line breaks',
  },
  AttributesMap: { length: MAP_ENTRIES },
  AdditionalParameterMap: { length: MAP_ENTRIES },
  TagValue: { pattern: NO_CONTROL, patternText: NO_CONTROL_TEXT },
  Targets: { length: { min: 1, max: TARGETS_MAX } },
  OTAUpdateFiles: { length: { min: 1, max: FILES_MAX } },
  /** No documented limit; one criterion per failure type (FAILED, REJECTED, TIMED_OUT, ALL) is all there is to say. */
  AwsJobAbortCriteriaList: { length: { min: 1, max: 4 } },
  Target: {
    pattern: TARGET_ARN_PATTERN,
    patternText:
      'be a thing or thing-group ARN (arn:<partition>:iot:<region>:<account>:thing/NAME or thinggroup/NAME)',
  },
  Protocols: {
    rule: (v) =>
      Array.isArray(v) && new Set(v).size !== v.length ? 'must not repeat a protocol' : undefined,
  },
  CreateOTAUpdateRequest: {
    rule: (v) => {
      const r = v as Partial<CreateOTAUpdateRequest>;
      return r.awsJobPresignedUrlConfig !== undefined && !(r.protocols ?? ['MQTT']).includes('HTTP')
        ? 'awsJobPresignedUrlConfig only applies when protocols include HTTP'
        : undefined;
    },
  },
};
