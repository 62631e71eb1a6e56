/**
 * The constraints the AWS documentation states but the IoT model leaves out, by shape: narrower ranges, enums
 * written as plain strings, one-of members, patterns in words. validateShape layers them over the model's.
 */
import type { CreateOTAUpdateRequest } from '@aws-sdk/client-iot';
import type { Bounds, ShapeName } from './model.generated.js';
import { TARGET_ARN_PATTERN } from './targets.js';
import { isBuiltinName } from './values.js';

/** Constraints from the AWS documentation, layered over the model's. */
export interface Documented {
  /** Replaces the model's range (the documented one is narrower). */
  readonly range?: Bounds;
  /** Most digits after the decimal point. */
  readonly decimals?: number;
  /** A string shape that only takes these values. */
  readonly values?: readonly string[];
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

/** Map keys that name a built-in of JavaScript objects are refused like any unknown key, never looked up. */
function builtinKey(key: unknown): string | undefined {
  return typeof key === 'string' && isBuiltinName(key)
    ? 'is not a valid key (the names of JavaScript object built-ins such as constructor, __proto__ and toString are reserved)'
    : undefined;
}

const ID_CHARS = "use only letters, digits, '_' and '-'";

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
  AttributeKey: { rule: builtinKey },
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
