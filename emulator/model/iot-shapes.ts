/**
 * Constraints of the IoT OTA operations' input shapes.
 * Extracted from aws/api-models-aws iot/service/2015-05-28/iot-2015-05-28.json at 56c8953e87aeead95ae5e66a3ca6a355731db6ad (via model/): types, members,
 * required flags, lengths, ranges, patterns and enum values only. Data for the emulator's own validator
 * (model-check.ts), kept independent of the action's src/ so a mistake there is not mirrored here.
 */
import type { Shapes } from '../model-check.js';

export const IOT_SHAPES: Shapes = {
  AdditionalParameterMap: {
    type: 'map',
    key: 'AttributeKey',
    value: 'Value',
  },
  AttributeKey: {
    type: 'string',
  },
  AttributesMap: {
    type: 'map',
    key: 'AttributeKey',
    value: 'Value',
  },
  AwsJobAbortConfig: {
    type: 'structure',
    members: {
      abortCriteriaList: {
        target: 'AwsJobAbortCriteriaList',
        required: true,
      },
    },
  },
  AwsJobAbortCriteria: {
    type: 'structure',
    members: {
      failureType: {
        target: 'AwsJobAbortCriteriaFailureType',
        required: true,
      },
      action: {
        target: 'AwsJobAbortCriteriaAbortAction',
        required: true,
      },
      thresholdPercentage: {
        target: 'AwsJobAbortCriteriaAbortThresholdPercentage',
        required: true,
      },
      minNumberOfExecutedThings: {
        target: 'AwsJobAbortCriteriaMinimumNumberOfExecutedThings',
        required: true,
      },
    },
  },
  AwsJobAbortCriteriaAbortAction: {
    type: 'enum',
    values: ['CANCEL'],
  },
  AwsJobAbortCriteriaAbortThresholdPercentage: {
    type: 'double',
    range: {
      max: 100,
    },
  },
  AwsJobAbortCriteriaFailureType: {
    type: 'enum',
    values: ['FAILED', 'REJECTED', 'TIMED_OUT', 'ALL'],
  },
  AwsJobAbortCriteriaList: {
    type: 'list',
    member: 'AwsJobAbortCriteria',
    length: {
      min: 1,
    },
  },
  AwsJobAbortCriteriaMinimumNumberOfExecutedThings: {
    type: 'integer',
    range: {
      min: 1,
    },
  },
  AwsJobExecutionsRolloutConfig: {
    type: 'structure',
    members: {
      maximumPerMinute: {
        target: 'MaximumPerMinute',
      },
      exponentialRate: {
        target: 'AwsJobExponentialRolloutRate',
      },
    },
  },
  AwsJobExponentialRolloutRate: {
    type: 'structure',
    members: {
      baseRatePerMinute: {
        target: 'AwsJobRolloutRatePerMinute',
        required: true,
      },
      incrementFactor: {
        target: 'AwsJobRolloutIncrementFactor',
        required: true,
      },
      rateIncreaseCriteria: {
        target: 'AwsJobRateIncreaseCriteria',
        required: true,
      },
    },
  },
  AwsJobPresignedUrlConfig: {
    type: 'structure',
    members: {
      expiresInSec: {
        target: 'ExpiresInSeconds',
      },
    },
  },
  AwsJobRateIncreaseCriteria: {
    type: 'structure',
    members: {
      numberOfNotifiedThings: {
        target: 'AwsJobRateIncreaseCriteriaNumberOfThings',
      },
      numberOfSucceededThings: {
        target: 'AwsJobRateIncreaseCriteriaNumberOfThings',
      },
    },
  },
  AwsJobRateIncreaseCriteriaNumberOfThings: {
    type: 'integer',
    range: {
      min: 1,
    },
  },
  AwsJobRolloutIncrementFactor: {
    type: 'double',
  },
  AwsJobRolloutRatePerMinute: {
    type: 'integer',
    range: {
      min: 1,
      max: 1000,
    },
  },
  AwsJobTimeoutConfig: {
    type: 'structure',
    members: {
      inProgressTimeoutInMinutes: {
        target: 'AwsJobTimeoutInProgressTimeoutInMinutes',
      },
    },
  },
  AwsJobTimeoutInProgressTimeoutInMinutes: {
    type: 'long',
  },
  CertificateArn: {
    type: 'string',
  },
  CertificateName: {
    type: 'string',
  },
  CertificatePathOnDevice: {
    type: 'string',
  },
  CodeSigning: {
    type: 'structure',
    members: {
      awsSignerJobId: {
        target: 'SigningJobId',
      },
      startSigningJobParameter: {
        target: 'StartSigningJobParameter',
      },
      customCodeSigning: {
        target: 'CustomCodeSigning',
      },
    },
  },
  CodeSigningCertificateChain: {
    type: 'structure',
    members: {
      certificateName: {
        target: 'CertificateName',
      },
      inlineDocument: {
        target: 'InlineDocument',
      },
    },
  },
  CodeSigningSignature: {
    type: 'structure',
    members: {
      inlineDocument: {
        target: 'Signature',
      },
    },
  },
  CreateOTAUpdateRequest: {
    type: 'structure',
    members: {
      otaUpdateId: {
        target: 'OTAUpdateId',
        required: true,
      },
      description: {
        target: 'OTAUpdateDescription',
      },
      targets: {
        target: 'Targets',
        required: true,
      },
      protocols: {
        target: 'Protocols',
      },
      targetSelection: {
        target: 'TargetSelection',
      },
      awsJobExecutionsRolloutConfig: {
        target: 'AwsJobExecutionsRolloutConfig',
      },
      awsJobPresignedUrlConfig: {
        target: 'AwsJobPresignedUrlConfig',
      },
      awsJobAbortConfig: {
        target: 'AwsJobAbortConfig',
      },
      awsJobTimeoutConfig: {
        target: 'AwsJobTimeoutConfig',
      },
      files: {
        target: 'OTAUpdateFiles',
        required: true,
      },
      roleArn: {
        target: 'RoleArn',
        required: true,
      },
      additionalParameters: {
        target: 'AdditionalParameterMap',
      },
      tags: {
        target: 'TagList',
      },
    },
  },
  CustomCodeSigning: {
    type: 'structure',
    members: {
      signature: {
        target: 'CodeSigningSignature',
      },
      certificateChain: {
        target: 'CodeSigningCertificateChain',
      },
      hashAlgorithm: {
        target: 'HashAlgorithm',
      },
      signatureAlgorithm: {
        target: 'SignatureAlgorithm',
      },
    },
  },
  DeleteOTAUpdateRequest: {
    type: 'structure',
    members: {
      otaUpdateId: {
        target: 'OTAUpdateId',
        required: true,
      },
      deleteStream: {
        target: 'DeleteStream_',
      },
      forceDeleteAWSJob: {
        target: 'ForceDeleteAWSJob',
      },
    },
  },
  DeleteStream_: {
    type: 'boolean',
  },
  Destination: {
    type: 'structure',
    members: {
      s3Destination: {
        target: 'S3Destination',
      },
    },
  },
  ExpiresInSeconds: {
    type: 'long',
  },
  FileId: {
    type: 'integer',
    range: {
      min: 0,
      max: 255,
    },
  },
  FileLocation: {
    type: 'structure',
    members: {
      stream: {
        target: 'Stream',
      },
      s3Location: {
        target: 'S3Location',
      },
    },
  },
  FileName: {
    type: 'string',
  },
  FileType: {
    type: 'integer',
    range: {
      min: 0,
      max: 255,
    },
  },
  ForceDeleteAWSJob: {
    type: 'boolean',
  },
  GetOTAUpdateRequest: {
    type: 'structure',
    members: {
      otaUpdateId: {
        target: 'OTAUpdateId',
        required: true,
      },
    },
  },
  HashAlgorithm: {
    type: 'string',
  },
  InlineDocument: {
    type: 'string',
  },
  ListOTAUpdatesRequest: {
    type: 'structure',
    members: {
      maxResults: {
        target: 'MaxResults',
      },
      nextToken: {
        target: 'NextToken',
      },
      otaUpdateStatus: {
        target: 'OTAUpdateStatus',
      },
    },
  },
  MaximumPerMinute: {
    type: 'integer',
    range: {
      min: 1,
      max: 1000,
    },
  },
  MaxResults: {
    type: 'integer',
    range: {
      min: 1,
      max: 250,
    },
  },
  NextToken: {
    type: 'string',
  },
  OTAUpdateDescription: {
    type: 'string',
    length: {
      min: 0,
      max: 2028,
    },
    pattern: '^[^\\p{C}]+$',
  },
  OTAUpdateFile: {
    type: 'structure',
    members: {
      fileName: {
        target: 'FileName',
      },
      fileType: {
        target: 'FileType',
      },
      fileVersion: {
        target: 'OTAUpdateFileVersion',
      },
      fileLocation: {
        target: 'FileLocation',
      },
      codeSigning: {
        target: 'CodeSigning',
      },
      attributes: {
        target: 'AttributesMap',
      },
    },
  },
  OTAUpdateFiles: {
    type: 'list',
    member: 'OTAUpdateFile',
    length: {
      min: 1,
    },
  },
  OTAUpdateFileVersion: {
    type: 'string',
  },
  OTAUpdateId: {
    type: 'string',
    length: {
      min: 1,
      max: 128,
    },
    pattern: '^[a-zA-Z0-9_-]+$',
  },
  OTAUpdateStatus: {
    type: 'enum',
    values: [
      'CREATE_PENDING',
      'CREATE_IN_PROGRESS',
      'CREATE_COMPLETE',
      'CREATE_FAILED',
      'DELETE_IN_PROGRESS',
      'DELETE_FAILED',
    ],
  },
  Platform: {
    type: 'string',
  },
  Prefix: {
    type: 'string',
  },
  Protocol: {
    type: 'enum',
    values: ['MQTT', 'HTTP'],
  },
  Protocols: {
    type: 'list',
    member: 'Protocol',
    length: {
      min: 1,
      max: 2,
    },
  },
  RoleArn: {
    type: 'string',
    length: {
      min: 20,
      max: 2048,
    },
  },
  S3Bucket: {
    type: 'string',
    length: {
      min: 1,
    },
  },
  S3Destination: {
    type: 'structure',
    members: {
      bucket: {
        target: 'S3Bucket',
      },
      prefix: {
        target: 'Prefix',
      },
    },
  },
  S3Key: {
    type: 'string',
    length: {
      min: 1,
    },
  },
  S3Location: {
    type: 'structure',
    members: {
      bucket: {
        target: 'S3Bucket',
      },
      key: {
        target: 'S3Key',
      },
      version: {
        target: 'S3Version',
      },
    },
  },
  S3Version: {
    type: 'string',
  },
  Signature: {
    type: 'blob',
  },
  SignatureAlgorithm: {
    type: 'string',
  },
  SigningJobId: {
    type: 'string',
  },
  SigningProfileName: {
    type: 'string',
  },
  SigningProfileParameter: {
    type: 'structure',
    members: {
      certificateArn: {
        target: 'CertificateArn',
      },
      platform: {
        target: 'Platform',
      },
      certificatePathOnDevice: {
        target: 'CertificatePathOnDevice',
      },
    },
  },
  StartSigningJobParameter: {
    type: 'structure',
    members: {
      signingProfileParameter: {
        target: 'SigningProfileParameter',
      },
      signingProfileName: {
        target: 'SigningProfileName',
      },
      destination: {
        target: 'Destination',
      },
    },
  },
  Stream: {
    type: 'structure',
    members: {
      streamId: {
        target: 'StreamId',
      },
      fileId: {
        target: 'FileId',
      },
    },
  },
  StreamId: {
    type: 'string',
    length: {
      min: 1,
      max: 128,
    },
    pattern: '^[a-zA-Z0-9_-]+$',
  },
  Tag: {
    type: 'structure',
    members: {
      Key: {
        target: 'TagKey',
        required: true,
      },
      Value: {
        target: 'TagValue',
      },
    },
  },
  TagKey: {
    type: 'string',
    length: {
      min: 1,
      max: 128,
    },
    pattern: '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$',
  },
  TagList: {
    type: 'list',
    member: 'Tag',
  },
  TagValue: {
    type: 'string',
    length: {
      min: 0,
      max: 256,
    },
  },
  Target: {
    type: 'string',
  },
  Targets: {
    type: 'list',
    member: 'Target',
    length: {
      min: 1,
    },
  },
  TargetSelection: {
    type: 'enum',
    values: ['CONTINUOUS', 'SNAPSHOT'],
  },
  Value: {
    type: 'string',
    length: {
      min: 0,
      max: 4096,
    },
    pattern: '^[\\s\\S]*$',
  },
};
