/**
 * Constraints of STS AssumeRoleWithWebIdentity's input shape.
 * Extracted from aws/api-models-aws sts/service/2011-06-15/sts-2011-06-15.json at 56c8953e87aeead95ae5e66a3ca6a355731db6ad (via model/): types, members,
 * required flags, lengths, ranges, patterns and enum values only. Data for the emulator's own validator
 * (model-check.ts), kept independent of the action's src/ so a mistake there is not mirrored here.
 */
import type { Shapes } from '../model-check.js';

export const STS_SHAPES: Shapes = {
  arnType: {
    type: 'string',
    length: {
      min: 20,
      max: 2048,
    },
    pattern:
      '^[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+$',
  },
  AssumeRoleWithWebIdentityRequest: {
    type: 'structure',
    members: {
      RoleArn: {
        target: 'arnType',
        required: true,
      },
      RoleSessionName: {
        target: 'roleSessionNameType',
        required: true,
      },
      WebIdentityToken: {
        target: 'clientTokenType',
        required: true,
      },
      ProviderId: {
        target: 'urlType',
      },
      PolicyArns: {
        target: 'policyDescriptorListType',
      },
      Policy: {
        target: 'sessionPolicyDocumentType',
      },
      DurationSeconds: {
        target: 'roleDurationSecondsType',
      },
    },
  },
  clientTokenType: {
    type: 'string',
    sensitive: true,
    length: {
      min: 4,
      max: 20000,
    },
  },
  policyDescriptorListType: {
    type: 'list',
    member: 'PolicyDescriptorType',
  },
  PolicyDescriptorType: {
    type: 'structure',
    members: {
      arn: {
        target: 'arnType',
      },
    },
  },
  roleDurationSecondsType: {
    type: 'integer',
    range: {
      min: 900,
      max: 43200,
    },
  },
  roleSessionNameType: {
    type: 'string',
    length: {
      min: 2,
      max: 64,
    },
    pattern: '^[\\w+=,.@-]*$',
  },
  sessionPolicyDocumentType: {
    type: 'string',
    length: {
      min: 1,
      max: 2048,
    },
    pattern: '^[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+$',
  },
  urlType: {
    type: 'string',
    length: {
      min: 4,
      max: 2048,
    },
  },
};
