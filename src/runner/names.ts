/**
 * The action's public interface: every input and output name, in one place. action.yml and the README's tables
 * must list exactly these (test/interface.test.ts checks).
 */
export const INPUTS = {
  awsRegion: 'aws-region',
  roleToAssume: 'role-to-assume',
  roleSessionName: 'role-session-name',
  roleDurationSeconds: 'role-duration-seconds',
  audience: 'audience',
  otaUpdateId: 'ota-update-id',
  otaRoleArn: 'ota-role-arn',
  targets: 'targets',
  firmware: 'firmware',
  s3Bucket: 's3-bucket',
  s3Key: 's3-key',
  s3Version: 's3-version',
  fileName: 'file-name',
  fileVersion: 'file-version',
  fileType: 'file-type',
  fileAttributes: 'file-attributes',
  signingProfile: 'signing-profile',
  signingDestinationBucket: 'signing-destination-bucket',
  signingDestinationPrefix: 'signing-destination-prefix',
  signerJobId: 'signer-job-id',
  signature: 'signature',
  signatureFile: 'signature-file',
  certificateName: 'certificate-name',
  hashAlgorithm: 'hash-algorithm',
  signatureAlgorithm: 'signature-algorithm',
  files: 'files',
  protocols: 'protocols',
  targetSelection: 'target-selection',
  description: 'description',
  rolloutConfig: 'rollout-config',
  abortConfig: 'abort-config',
  timeoutConfig: 'timeout-config',
  presignedUrlConfig: 'presigned-url-config',
  additionalParameters: 'additional-parameters',
  tags: 'tags',
  ifExists: 'if-exists',
  wait: 'wait',
  waitTimeoutSeconds: 'wait-timeout-seconds',
  dryRun: 'dry-run',
} as const;

export type InputName = (typeof INPUTS)[keyof typeof INPUTS];

export const OUTPUTS = {
  otaUpdateId: 'ota-update-id',
  otaUpdateArn: 'ota-update-arn',
  otaUpdateStatus: 'ota-update-status',
  awsIotJobId: 'aws-iot-job-id',
  awsIotJobArn: 'aws-iot-job-arn',
  firmwareS3Version: 'firmware-s3-version',
  firmwareSha256: 'firmware-sha256',
  result: 'result',
  request: 'request',
  errorCode: 'error-code',
} as const;

export type OutputName = (typeof OUTPUTS)[keyof typeof OUTPUTS];

/** The single-file inputs, exclusive with `files`. */
export const SINGLE_FILE_INPUTS: readonly InputName[] = [
  INPUTS.firmware,
  INPUTS.s3Bucket,
  INPUTS.s3Key,
  INPUTS.s3Version,
  INPUTS.fileName,
  INPUTS.fileVersion,
  INPUTS.fileType,
  INPUTS.fileAttributes,
  INPUTS.signingProfile,
  INPUTS.signingDestinationBucket,
  INPUTS.signingDestinationPrefix,
  INPUTS.signerJobId,
  INPUTS.signature,
  INPUTS.signatureFile,
  INPUTS.certificateName,
  INPUTS.hashAlgorithm,
  INPUTS.signatureAlgorithm,
];
