export const id = 156;
export const ids = [156];
export const modules = {

/***/ 8907:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

var __webpack_unused_export__;
const { awsEndpointFunctions, emitWarningIfUnsupportedVersion: emitWarningIfUnsupportedVersion$1, createDefaultUserAgentProvider, getDefaultSocketTimeout, NODE_APP_ID_CONFIG_OPTIONS, getAwsRegionExtensionConfiguration, resolveAwsRegionExtensionConfiguration, resolveUserAgentConfig, resolveHostHeaderConfig, getUserAgentPlugin, getHostHeaderPlugin, getLoggerPlugin, getRecursionDetectionPlugin } = __webpack_require__(5152);
const { getHttpAuthSchemeEndpointRuleSetPlugin, DefaultIdentityProviderConfig, getHttpSigningPlugin, createPaginator } = __webpack_require__(402);
const { normalizeProvider, getSmithyContext, ServiceException, NoOpLogger, emitWarningIfUnsupportedVersion, loadConfigsForDefaultMode, getDefaultExtensionConfiguration, resolveDefaultRuntimeConfig, Client, makeBuilder, createAggregatedClient } = __webpack_require__(2658);
const { Command: $Command } = __webpack_require__(2658);
__webpack_unused_export__ = $Command;
__webpack_unused_export__ = Client;
const { resolveDefaultsModeConfig, loadConfig, NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, NODE_REGION_CONFIG_OPTIONS, NODE_REGION_CONFIG_FILE_OPTIONS, resolveRegionConfig } = __webpack_require__(7291);
const { BinaryDecisionDiagram, EndpointCache, decideEndpoint, customEndpointFunctions, resolveEndpointConfig, getEndpointPlugin } = __webpack_require__(2085);
const { parseUrl, getHttpHandlerExtensionConfiguration, resolveHttpHandlerRuntimeConfig, getContentLengthPlugin } = __webpack_require__(3422);
const { DEFAULT_RETRY_MODE, NODE_RETRY_MODE_CONFIG_OPTIONS, NODE_MAX_ATTEMPT_CONFIG_OPTIONS, resolveRetryConfig, getOmitRetryHeadersPlugin, getRetryPlugin } = __webpack_require__(3609);
const { TypeRegistry, getSchemaSerdePlugin } = __webpack_require__(6890);
const { resolveAwsSdkSigV4Config, AwsSdkSigV4Signer, NODE_AUTH_SCHEME_PREFERENCE_OPTIONS } = __webpack_require__(7523);
const { defaultProvider } = __webpack_require__(5861);
const { toUtf8, fromUtf8, toBase64, fromBase64, calculateBodyLength } = __webpack_require__(2430);
const { streamCollector, NodeHttpHandler } = __webpack_require__(1279);
const { AwsRestJsonProtocol } = __webpack_require__(7288);
const { Sha256 } = __webpack_require__(9542);

const defaultIoTHttpAuthSchemeParametersProvider = async (config, context, input) => {
    return {
        operation: getSmithyContext(context).operation,
        region: await normalizeProvider(config.region)() || (() => {
            throw new Error("expected `region` to be configured for `aws.auth#sigv4`");
        })(),
    };
};
function createAwsAuthSigv4HttpAuthOption(authParameters) {
    return {
        schemeId: "aws.auth#sigv4",
        signingProperties: {
            name: "iot",
            region: authParameters.region,
        },
        propertiesExtractor: (config, context) => ({
            signingProperties: {
                config,
                context,
            },
        }),
    };
}
const defaultIoTHttpAuthSchemeProvider = (authParameters) => {
    const options = [];
    switch (authParameters.operation) {
        default: {
            options.push(createAwsAuthSigv4HttpAuthOption(authParameters));
        }
    }
    return options;
};
const resolveHttpAuthSchemeConfig = (config) => {
    const config_0 = resolveAwsSdkSigV4Config(config);
    return Object.assign(config_0, {
        authSchemePreference: normalizeProvider(config.authSchemePreference ?? []),
    });
};

const resolveClientEndpointParameters = (options) => {
    return Object.assign(options, {
        useDualstackEndpoint: options.useDualstackEndpoint ?? false,
        useFipsEndpoint: options.useFipsEndpoint ?? false,
        defaultSigningName: "iot",
    });
};
const commonParams = {
    UseFIPS: { type: "builtInParams", name: "useFipsEndpoint" },
    Endpoint: { type: "builtInParams", name: "endpoint" },
    Region: { type: "builtInParams", name: "region" },
    UseDualStack: { type: "builtInParams", name: "useDualstackEndpoint" },
};

var version = "3.1168.0";
var packageInfo = {
	version: version};

const m = "ref";
const a = -1, b = true, c = "isSet", d = "PartitionResult", e = "booleanEquals", f = "getAttr", g = "stringEquals", h = { [m]: "Endpoint" }, i = { [m]: d }, j = { "fn": f, "argv": [i, "name"] }, k = {}, l = [{ [m]: "Region" }];
const _data = {
    conditions: [
        [c, [h]],
        [c, l],
        ["aws.partition", l, d],
        [e, [{ [m]: "UseFIPS" }, b]],
        [e, [{ fn: f, argv: [i, "supportsFIPS"] }, b]],
        [e, [{ [m]: "UseDualStack" }, b]],
        [e, [{ fn: f, argv: [i, "supportsDualStack"] }, b]],
        [g, [j, "aws"]],
        [g, [j, "aws-cn"]],
        [g, [j, "aws-us-gov"]]
    ],
    results: [
        [a],
        [a, "Invalid Configuration: FIPS and custom endpoint are not supported"],
        [a, "Invalid Configuration: Dualstack and custom endpoint are not supported"],
        [h, k],
        ["https://iot-fips.{Region}.{PartitionResult#dualStackDnsSuffix}", k],
        [a, "FIPS and DualStack are enabled, but this partition does not support one or both"],
        ["https://iot-fips.{Region}.{PartitionResult#dnsSuffix}", k],
        [a, "FIPS is enabled but this partition does not support FIPS"],
        ["https://iot.{Region}.{PartitionResult#dualStackDnsSuffix}", k],
        [a, "DualStack is enabled but this partition does not support DualStack"],
        ["https://iot.{Region}.amazonaws.com", k],
        ["https://iot.{Region}.amazonaws.com.cn", k],
        ["https://iot.{Region}.{PartitionResult#dnsSuffix}", k],
        [a, "Invalid Configuration: Missing Region"]
    ]
};
const root = 2;
const r = 100_000_000;
const nodes = new Int32Array([
    -1, 1, -1,
    0, 15, 3,
    1, 4, r + 13,
    2, 5, r + 13,
    3, 11, 6,
    5, 10, 7,
    7, r + 10, 8,
    8, r + 11, 9,
    9, r + 10, r + 12,
    6, r + 8, r + 9,
    4, 13, 12,
    5, r + 5, r + 7,
    5, 14, r + 6,
    6, r + 4, r + 5,
    3, r + 1, 16,
    5, r + 2, r + 3,
]);
const bdd = BinaryDecisionDiagram.from(nodes, root, _data.conditions, _data.results);

const cache = new EndpointCache({
    size: 50,
    params: ["Endpoint", "Region", "UseDualStack", "UseFIPS"],
});
const defaultEndpointResolver = (endpointParams, context = {}) => {
    return cache.get(endpointParams, () => decideEndpoint(bdd, {
        endpointParams: endpointParams,
        logger: context.logger,
    }));
};
customEndpointFunctions.aws = awsEndpointFunctions;

class IoTServiceException extends ServiceException {
    static shapeId = "smithy.ts.sdk.synthetic.com.amazonaws.iot#IoTServiceException";
    constructor(options) {
        super(options);
        Object.setPrototypeOf(this, IoTServiceException.prototype);
    }
}

class InternalFailureException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#InternalFailureException";
    name = "InternalFailureException";
    $fault = "server";
    constructor(opts) {
        super({
            name: "InternalFailureException",
            $fault: "server",
            ...opts,
        });
        Object.setPrototypeOf(this, InternalFailureException.prototype);
    }
}
class InvalidRequestException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#InvalidRequestException";
    name = "InvalidRequestException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidRequestException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidRequestException.prototype);
    }
}
class ResourceNotFoundException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#ResourceNotFoundException";
    name = "ResourceNotFoundException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "ResourceNotFoundException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ResourceNotFoundException.prototype);
    }
}
class ServiceUnavailableException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#ServiceUnavailableException";
    name = "ServiceUnavailableException";
    $fault = "server";
    constructor(opts) {
        super({
            name: "ServiceUnavailableException",
            $fault: "server",
            ...opts,
        });
        Object.setPrototypeOf(this, ServiceUnavailableException.prototype);
    }
}
class ThrottlingException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#ThrottlingException";
    name = "ThrottlingException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "ThrottlingException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ThrottlingException.prototype);
    }
}
class TransferAlreadyCompletedException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#TransferAlreadyCompletedException";
    name = "TransferAlreadyCompletedException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "TransferAlreadyCompletedException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, TransferAlreadyCompletedException.prototype);
    }
}
class UnauthorizedException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#UnauthorizedException";
    name = "UnauthorizedException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "UnauthorizedException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, UnauthorizedException.prototype);
    }
}
class ConflictException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#ConflictException";
    name = "ConflictException";
    $fault = "client";
    resourceId;
    constructor(opts) {
        super({
            name: "ConflictException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ConflictException.prototype);
        this.resourceId = opts.resourceId;
    }
}
class InternalServerException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#InternalServerException";
    name = "InternalServerException";
    $fault = "server";
    constructor(opts) {
        super({
            name: "InternalServerException",
            $fault: "server",
            ...opts,
        });
        Object.setPrototypeOf(this, InternalServerException.prototype);
    }
}
class ServiceQuotaExceededException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#ServiceQuotaExceededException";
    name = "ServiceQuotaExceededException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "ServiceQuotaExceededException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ServiceQuotaExceededException.prototype);
    }
}
class ValidationException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#ValidationException";
    name = "ValidationException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "ValidationException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ValidationException.prototype);
    }
}
class LimitExceededException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#LimitExceededException";
    name = "LimitExceededException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "LimitExceededException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, LimitExceededException.prototype);
    }
}
class VersionConflictException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#VersionConflictException";
    name = "VersionConflictException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "VersionConflictException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, VersionConflictException.prototype);
    }
}
class InvalidStateTransitionException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#InvalidStateTransitionException";
    name = "InvalidStateTransitionException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidStateTransitionException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidStateTransitionException.prototype);
    }
}
class ConflictingResourceUpdateException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#ConflictingResourceUpdateException";
    name = "ConflictingResourceUpdateException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "ConflictingResourceUpdateException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ConflictingResourceUpdateException.prototype);
    }
}
class InternalException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#InternalException";
    name = "InternalException";
    $fault = "server";
    constructor(opts) {
        super({
            name: "InternalException",
            $fault: "server",
            ...opts,
        });
        Object.setPrototypeOf(this, InternalException.prototype);
    }
}
class ResourceAlreadyExistsException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#ResourceAlreadyExistsException";
    name = "ResourceAlreadyExistsException";
    $fault = "client";
    resourceId;
    resourceArn;
    constructor(opts) {
        super({
            name: "ResourceAlreadyExistsException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ResourceAlreadyExistsException.prototype);
        this.resourceId = opts.resourceId;
        this.resourceArn = opts.resourceArn;
    }
}
class CertificateValidationException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#CertificateValidationException";
    name = "CertificateValidationException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "CertificateValidationException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, CertificateValidationException.prototype);
    }
}
class InvalidQueryException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#InvalidQueryException";
    name = "InvalidQueryException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidQueryException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidQueryException.prototype);
    }
}
class IndexNotReadyException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#IndexNotReadyException";
    name = "IndexNotReadyException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "IndexNotReadyException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, IndexNotReadyException.prototype);
    }
}
class InvalidAggregationException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#InvalidAggregationException";
    name = "InvalidAggregationException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidAggregationException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidAggregationException.prototype);
    }
}
class MalformedPolicyException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#MalformedPolicyException";
    name = "MalformedPolicyException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "MalformedPolicyException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, MalformedPolicyException.prototype);
    }
}
class VersionsLimitExceededException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#VersionsLimitExceededException";
    name = "VersionsLimitExceededException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "VersionsLimitExceededException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, VersionsLimitExceededException.prototype);
    }
}
class SqlParseException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#SqlParseException";
    name = "SqlParseException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "SqlParseException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, SqlParseException.prototype);
    }
}
class DeleteConflictException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#DeleteConflictException";
    name = "DeleteConflictException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "DeleteConflictException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, DeleteConflictException.prototype);
    }
}
class CertificateStateException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#CertificateStateException";
    name = "CertificateStateException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "CertificateStateException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, CertificateStateException.prototype);
    }
}
class NotConfiguredException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#NotConfiguredException";
    name = "NotConfiguredException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "NotConfiguredException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, NotConfiguredException.prototype);
    }
}
class RegistrationCodeValidationException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#RegistrationCodeValidationException";
    name = "RegistrationCodeValidationException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "RegistrationCodeValidationException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, RegistrationCodeValidationException.prototype);
    }
}
class CertificateConflictException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#CertificateConflictException";
    name = "CertificateConflictException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "CertificateConflictException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, CertificateConflictException.prototype);
    }
}
class ResourceRegistrationFailureException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#ResourceRegistrationFailureException";
    name = "ResourceRegistrationFailureException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "ResourceRegistrationFailureException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ResourceRegistrationFailureException.prototype);
    }
}
class TaskAlreadyExistsException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#TaskAlreadyExistsException";
    name = "TaskAlreadyExistsException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "TaskAlreadyExistsException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, TaskAlreadyExistsException.prototype);
    }
}
class InvalidResponseException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#InvalidResponseException";
    name = "InvalidResponseException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidResponseException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidResponseException.prototype);
    }
}
class TransferConflictException extends IoTServiceException {
    static shapeId = "com.amazonaws.iot#TransferConflictException";
    name = "TransferConflictException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "TransferConflictException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, TransferConflictException.prototype);
    }
}

const _A = "Action";
const _AC = "AbortConfig";
const _ACC = "AuditCheckConfiguration";
const _ACCu = "AuditCheckConfigurations";
const _ACD = "AuditCheckDetails";
const _ACL = "AbortCriteriaList";
const _ACT = "AcceptCertificateTransfer";
const _ACTAM = "AuditCheckToActionsMapping";
const _ACTR = "AcceptCertificateTransferRequest";
const _ACTRCF = "AuditCheckToReasonCodeFilter";
const _ACb = "AbortCriteria";
const _ACu = "AuthorizerConfig";
const _AD = "AuthorizerDescription";
const _ADu = "AuditDetails";
const _AF = "AuditFinding";
const _AFu = "AuditFindings";
const _AI = "AuthInfo";
const _AIu = "AuthInfos";
const _AJAC = "AwsJobAbortConfig";
const _AJACL = "AwsJobAbortCriteriaList";
const _AJACw = "AwsJobAbortCriteria";
const _AJERC = "AwsJobExecutionsRolloutConfig";
const _AJERR = "AwsJobExponentialRolloutRate";
const _AJPUC = "AwsJobPresignedUrlConfig";
const _AJRIC = "AwsJobRateIncreaseCriteria";
const _AJSCPC = "AwsJsonSubstitutionCommandPreprocessorConfig";
const _AJTC = "AwsJobTimeoutConfig";
const _AL = "ActionList";
const _AMAEM = "AuditMitigationActionExecutionMetadata";
const _AMAEML = "AuditMitigationActionExecutionMetadataList";
const _AMATM = "AuditMitigationActionsTaskMetadata";
const _AMATML = "AuditMitigationActionsTaskMetadataList";
const _AMATS = "AuditMitigationActionsTaskStatistics";
const _AMATT = "AuditMitigationActionsTaskTarget";
const _AMTRVL = "AdditionalMetricsToRetainV2List";
const _ANT = "AuditNotificationTarget";
const _ANTC = "AuditNotificationTargetConfigurations";
const _AP = "AttributePayload";
const _APP = "AttachPrincipalPolicy";
const _APPR = "AttachPrincipalPolicyRequest";
const _APR = "AttachPolicyRequest";
const _APT = "AssetPropertyTimestamp";
const _APV = "AssetPropertyValue";
const _APVL = "AssetPropertyValueList";
const _APVs = "AssetPropertyVariant";
const _APt = "AttachPolicy";
const _AR = "AuthResult";
const _ARu = "AuthResults";
const _AS = "AuditSuppression";
const _ASL = "AuditSuppressionList";
const _ASP = "AttachSecurityProfile";
const _ASPR = "AttachSecurityProfileRequest";
const _ASPRt = "AttachSecurityProfileResponse";
const _ASWPV = "AssociateSbomWithPackageVersion";
const _ASWPVR = "AssociateSbomWithPackageVersionRequest";
const _ASWPVRs = "AssociateSbomWithPackageVersionResponse";
const _ASu = "AuthorizerSummary";
const _AT = "AggregationType";
const _ATM = "AuditTaskMetadata";
const _ATML = "AuditTaskMetadataList";
const _ATP = "AttachThingPrincipal";
const _ATPR = "AttachThingPrincipalRequest";
const _ATPRt = "AttachThingPrincipalResponse";
const _ATTBG = "AddThingToBillingGroup";
const _ATTBGR = "AddThingToBillingGroupRequest";
const _ATTBGRd = "AddThingToBillingGroupResponse";
const _ATTTG = "AddThingToThingGroup";
const _ATTTGP = "AddThingsToThingGroupParams";
const _ATTTGR = "AddThingToThingGroupRequest";
const _ATTTGRd = "AddThingToThingGroupResponse";
const _ATWJ = "AssociateTargetsWithJob";
const _ATWJR = "AssociateTargetsWithJobRequest";
const _ATWJRs = "AssociateTargetsWithJobResponse";
const _ATl = "AlertTarget";
const _ATle = "AlertTargets";
const _AV = "ActiveViolation";
const _AVc = "ActiveViolations";
const _Al = "Allowed";
const _Au = "Authorizers";
const _B = "Behavior";
const _BAT = "BucketsAggregationType";
const _BC = "BatchConfig";
const _BCe = "BehaviorCriteria";
const _BGM = "BillingGroupMetadata";
const _BGNAAL = "BillingGroupNameAndArnList";
const _BGP = "BillingGroupProperties";
const _BIN = "BIN";
const _BMTS = "BehaviorModelTrainingSummary";
const _BMTSe = "BehaviorModelTrainingSummaries";
const _B_ = "B";
const _Be = "Behaviors";
const _Bu = "Bucket";
const _Buc = "Buckets";
const _C = "Certificate";
const _CA = "CreateAuthorizer";
const _CAA = "CloudwatchAlarmAction";
const _CAC = "CACertificate";
const _CACD = "CACertificateDescription";
const _CACe = "CACertificates";
const _CAMAT = "CancelAuditMitigationActionsTask";
const _CAMATR = "CancelAuditMitigationActionsTaskRequest";
const _CAMATRa = "CancelAuditMitigationActionsTaskResponse";
const _CAR = "CreateAuthorizerRequest";
const _CARr = "CreateAuthorizerResponse";
const _CAS = "CreateAuditSuppression";
const _CASR = "CreateAuditSuppressionRequest";
const _CASRr = "CreateAuditSuppressionResponse";
const _CAT = "CancelAuditTask";
const _CATN = "ConnectivityApiThingName";
const _CATR = "CancelAuditTaskRequest";
const _CATRa = "CancelAuditTaskResponse";
const _CBG = "CreateBillingGroup";
const _CBGR = "CreateBillingGroupRequest";
const _CBGRr = "CreateBillingGroupResponse";
const _CC = "CreateCommand";
const _CCC = "ClientCertificateConfig";
const _CCE = "CertificateConflictException";
const _CCFC = "CreateCertificateFromCsr";
const _CCFCR = "CreateCertificateFromCsrRequest";
const _CCFCRr = "CreateCertificateFromCsrResponse";
const _CCM = "CreateCustomMetric";
const _CCMR = "CreateCustomMetricRequest";
const _CCMRr = "CreateCustomMetricResponse";
const _CCP = "CreateCertificateProvider";
const _CCPR = "CreateCertificateProviderRequest";
const _CCPRr = "CreateCertificateProviderResponse";
const _CCR = "CreateCommandRequest";
const _CCRr = "CreateCommandResponse";
const _CCS = "CustomCodeSigning";
const _CCT = "CancelCertificateTransfer";
const _CCTR = "CancelCertificateTransferRequest";
const _CD = "CertificateDescription";
const _CDA = "ClearDefaultAuthorizer";
const _CDAR = "ClearDefaultAuthorizerRequest";
const _CDARl = "ClearDefaultAuthorizerResponse";
const _CDC = "CreateDomainConfiguration";
const _CDCR = "CreateDomainConfigurationRequest";
const _CDCRr = "CreateDomainConfigurationResponse";
const _CDMAT = "CancelDetectMitigationActionsTask";
const _CDMATR = "CancelDetectMitigationActionsTaskRequest";
const _CDMATRa = "CancelDetectMitigationActionsTaskResponse";
const _CDR = "CreateDimensionRequest";
const _CDRr = "CreateDimensionResponse";
const _CDTG = "CreateDynamicThingGroup";
const _CDTGR = "CreateDynamicThingGroupRequest";
const _CDTGRr = "CreateDynamicThingGroupResponse";
const _CDo = "ConfigurationDetails";
const _CDr = "CreateDimension";
const _CE = "ConflictException";
const _CEPM = "CommandExecutionParameterMap";
const _CER = "CommandExecutionResult";
const _CERM = "CommandExecutionResultMap";
const _CES = "CommandExecutionSummary";
const _CESL = "CommandExecutionSummaryList";
const _CF = "ConnectivityFilter";
const _CFM = "CreateFleetMetric";
const _CFMR = "CreateFleetMetricRequest";
const _CFMRr = "CreateFleetMetricResponse";
const _CJ = "CancelJob";
const _CJE = "CancelJobExecution";
const _CJER = "CancelJobExecutionRequest";
const _CJR = "CancelJobRequest";
const _CJRa = "CancelJobResponse";
const _CJRr = "CreateJobRequest";
const _CJRre = "CreateJobResponse";
const _CJT = "CreateJobTemplate";
const _CJTR = "CreateJobTemplateRequest";
const _CJTRr = "CreateJobTemplateResponse";
const _CJr = "CreateJob";
const _CKAC = "CreateKeysAndCertificate";
const _CKACR = "CreateKeysAndCertificateRequest";
const _CKACRr = "CreateKeysAndCertificateResponse";
const _CLA = "CloudwatchLogsAction";
const _CMA = "CloudwatchMetricAction";
const _CMAR = "CreateMitigationActionRequest";
const _CMARr = "CreateMitigationActionResponse";
const _CMAr = "CreateMitigationAction";
const _COTAU = "CreateOTAUpdate";
const _COTAUR = "CreateOTAUpdateRequest";
const _COTAURr = "CreateOTAUpdateResponse";
const _CP = "CommandParameter";
const _CPC = "CreateProvisioningClaim";
const _CPCR = "CreateProvisioningClaimRequest";
const _CPCRr = "CreateProvisioningClaimResponse";
const _CPL = "CommandParameterList";
const _CPR = "CreatePackageRequest";
const _CPRr = "CreatePackageResponse";
const _CPRre = "CreatePolicyRequest";
const _CPRrea = "CreatePolicyResponse";
const _CPS = "CertificateProviderSummary";
const _CPT = "CreateProvisioningTemplate";
const _CPTR = "CreateProvisioningTemplateRequest";
const _CPTRr = "CreateProvisioningTemplateResponse";
const _CPTV = "CreateProvisioningTemplateVersion";
const _CPTVR = "CreateProvisioningTemplateVersionRequest";
const _CPTVRr = "CreateProvisioningTemplateVersionResponse";
const _CPV = "CommandParameterValue";
const _CPVC = "CommandParameterValueCondition";
const _CPVCL = "CommandParameterValueConditionList";
const _CPVCO = "CommandParameterValueComparisonOperand";
const _CPVNR = "CommandParameterValueNumberRange";
const _CPVR = "CreatePackageVersionRequest";
const _CPVRr = "CreatePackageVersionResponse";
const _CPVRre = "CreatePolicyVersionRequest";
const _CPVRrea = "CreatePolicyVersionResponse";
const _CPVr = "CreatePackageVersion";
const _CPVre = "CreatePolicyVersion";
const _CPe = "CertificateProviders";
const _CPo = "CommandPayload";
const _CPom = "CommandPreprocessor";
const _CPr = "CreatePackage";
const _CPre = "CreatePolicy";
const _CRA = "CreateRoleAlias";
const _CRAR = "CreateRoleAliasRequest";
const _CRARr = "CreateRoleAliasResponse";
const _CRUE = "ConflictingResourceUpdateException";
const _CS = "CodeSigning";
const _CSA = "CreateScheduledAudit";
const _CSAR = "CreateScheduledAuditRequest";
const _CSARr = "CreateScheduledAuditResponse";
const _CSCC = "CodeSigningCertificateChain";
const _CSE = "CertificateStateException";
const _CSL = "CommandSummaryList";
const _CSP = "CreateSecurityProfile";
const _CSPR = "CreateSecurityProfileRequest";
const _CSPRr = "CreateSecurityProfileResponse";
const _CSR = "CreateStreamRequest";
const _CSRr = "CreateStreamResponse";
const _CSS = "CodeSigningSignature";
const _CSo = "CommandSummary";
const _CSr = "CreateStream";
const _CT = "CreateThing";
const _CTG = "CreateThingGroup";
const _CTGR = "CreateThingGroupRequest";
const _CTGRr = "CreateThingGroupResponse";
const _CTR = "CreateThingRequest";
const _CTRD = "ConfirmTopicRuleDestination";
const _CTRDR = "ConfirmTopicRuleDestinationRequest";
const _CTRDRo = "ConfirmTopicRuleDestinationResponse";
const _CTRDRr = "CreateTopicRuleDestinationRequest";
const _CTRDRre = "CreateTopicRuleDestinationResponse";
const _CTRDr = "CreateTopicRuleDestination";
const _CTRR = "CreateTopicRuleRequest";
const _CTRr = "CreateThingResponse";
const _CTRre = "CreateTopicRule";
const _CTT = "CreateThingType";
const _CTTR = "CreateThingTypeRequest";
const _CTTRr = "CreateThingTypeResponse";
const _CV = "CertificateValidity";
const _CVE = "CertificateValidationException";
const _Ce = "Certificates";
const _Co = "Configuration";
const _D = "D";
const _DA = "DeleteAuthorizer";
const _DAAC = "DeleteAccountAuditConfiguration";
const _DAACR = "DeleteAccountAuditConfigurationRequest";
const _DAACRe = "DeleteAccountAuditConfigurationResponse";
const _DAACRes = "DescribeAccountAuditConfigurationRequest";
const _DAACResc = "DescribeAccountAuditConfigurationResponse";
const _DAACe = "DescribeAccountAuditConfiguration";
const _DAF = "DescribeAuditFinding";
const _DAFR = "DescribeAuditFindingRequest";
const _DAFRe = "DescribeAuditFindingResponse";
const _DAMAT = "DescribeAuditMitigationActionsTask";
const _DAMATR = "DescribeAuditMitigationActionsTaskRequest";
const _DAMATRe = "DescribeAuditMitigationActionsTaskResponse";
const _DAR = "DeleteAuthorizerRequest";
const _DARe = "DeleteAuthorizerResponse";
const _DARes = "DescribeAuthorizerRequest";
const _DAResc = "DescribeAuthorizerResponse";
const _DAS = "DeleteAuditSuppression";
const _DASR = "DeleteAuditSuppressionRequest";
const _DASRe = "DeleteAuditSuppressionResponse";
const _DASRes = "DescribeAuditSuppressionRequest";
const _DASResc = "DescribeAuditSuppressionResponse";
const _DASe = "DescribeAuditSuppression";
const _DAT = "DescribeAuditTask";
const _DATR = "DescribeAuditTaskRequest";
const _DATRe = "DescribeAuditTaskResponse";
const _DAe = "DescribeAuthorizer";
const _DBG = "DeleteBillingGroup";
const _DBGR = "DeleteBillingGroupRequest";
const _DBGRe = "DeleteBillingGroupResponse";
const _DBGRes = "DescribeBillingGroupRequest";
const _DBGResc = "DescribeBillingGroupResponse";
const _DBGe = "DescribeBillingGroup";
const _DC = "DomainConfigurations";
const _DCAC = "DeleteCACertificate";
const _DCACR = "DeleteCACertificateRequest";
const _DCACRe = "DeleteCACertificateResponse";
const _DCACRes = "DescribeCACertificateRequest";
const _DCACResc = "DescribeCACertificateResponse";
const _DCACe = "DescribeCACertificate";
const _DCE = "DeleteConflictException";
const _DCER = "DeleteCommandExecutionRequest";
const _DCERe = "DeleteCommandExecutionResponse";
const _DCEe = "DeleteCommandExecution";
const _DCM = "DeleteCustomMetric";
const _DCMR = "DeleteCustomMetricRequest";
const _DCMRe = "DeleteCustomMetricResponse";
const _DCMRes = "DescribeCustomMetricRequest";
const _DCMResc = "DescribeCustomMetricResponse";
const _DCMe = "DescribeCustomMetric";
const _DCP = "DeleteCertificateProvider";
const _DCPR = "DeleteCertificateProviderRequest";
const _DCPRe = "DeleteCertificateProviderResponse";
const _DCPRes = "DescribeCertificateProviderRequest";
const _DCPResc = "DescribeCertificateProviderResponse";
const _DCPe = "DescribeCertificateProvider";
const _DCR = "DeleteCertificateRequest";
const _DCRe = "DeleteCommandRequest";
const _DCRel = "DeleteCommandResponse";
const _DCRes = "DescribeCertificateRequest";
const _DCResc = "DescribeCertificateResponse";
const _DCS = "DomainConfigurationSummary";
const _DCe = "DeleteCertificate";
const _DCel = "DeleteCommand";
const _DCes = "DescribeCertificate";
const _DD = "DeleteDimension";
const _DDA = "DescribeDefaultAuthorizer";
const _DDAR = "DescribeDefaultAuthorizerRequest";
const _DDARe = "DescribeDefaultAuthorizerResponse";
const _DDBA = "DynamoDBAction";
const _DDBAy = "DynamoDBv2Action";
const _DDC = "DeleteDomainConfiguration";
const _DDCR = "DeleteDomainConfigurationRequest";
const _DDCRe = "DeleteDomainConfigurationResponse";
const _DDCRes = "DescribeDomainConfigurationRequest";
const _DDCResc = "DescribeDomainConfigurationResponse";
const _DDCe = "DescribeDomainConfiguration";
const _DDMAT = "DescribeDetectMitigationActionsTask";
const _DDMATR = "DescribeDetectMitigationActionsTaskRequest";
const _DDMATRe = "DescribeDetectMitigationActionsTaskResponse";
const _DDR = "DeleteDimensionRequest";
const _DDRe = "DeleteDimensionResponse";
const _DDRes = "DescribeDimensionRequest";
const _DDResc = "DescribeDimensionResponse";
const _DDTG = "DeleteDynamicThingGroup";
const _DDTGR = "DeleteDynamicThingGroupRequest";
const _DDTGRe = "DeleteDynamicThingGroupResponse";
const _DDe = "DescribeDimension";
const _DE = "DescribeEndpoint";
const _DEC = "DescribeEncryptionConfiguration";
const _DECR = "DescribeEncryptionConfigurationRequest";
const _DECRe = "DescribeEncryptionConfigurationResponse";
const _DECRes = "DescribeEventConfigurationsRequest";
const _DECResc = "DescribeEventConfigurationsResponse";
const _DECe = "DescribeEventConfigurations";
const _DER = "DescribeEndpointRequest";
const _DERe = "DescribeEndpointResponse";
const _DFM = "DeleteFleetMetric";
const _DFMR = "DeleteFleetMetricRequest";
const _DFMRe = "DescribeFleetMetricRequest";
const _DFMRes = "DescribeFleetMetricResponse";
const _DFMe = "DescribeFleetMetric";
const _DI = "DescribeIndex";
const _DIR = "DescribeIndexRequest";
const _DIRe = "DescribeIndexResponse";
const _DJ = "DeleteJob";
const _DJE = "DeleteJobExecution";
const _DJER = "DeleteJobExecutionRequest";
const _DJERe = "DescribeJobExecutionRequest";
const _DJERes = "DescribeJobExecutionResponse";
const _DJEe = "DescribeJobExecution";
const _DJR = "DeleteJobRequest";
const _DJRe = "DescribeJobRequest";
const _DJRes = "DescribeJobResponse";
const _DJT = "DeleteJobTemplate";
const _DJTR = "DeleteJobTemplateRequest";
const _DJTRe = "DescribeJobTemplateRequest";
const _DJTRes = "DescribeJobTemplateResponse";
const _DJTe = "DescribeJobTemplate";
const _DJe = "DescribeJob";
const _DMA = "DeleteMitigationAction";
const _DMAE = "DetectMitigationActionExecution";
const _DMAEL = "DetectMitigationActionExecutionList";
const _DMAR = "DeleteMitigationActionRequest";
const _DMARe = "DeleteMitigationActionResponse";
const _DMARes = "DescribeMitigationActionRequest";
const _DMAResc = "DescribeMitigationActionResponse";
const _DMATS = "DetectMitigationActionsTaskStatistics";
const _DMATSL = "DetectMitigationActionsTaskSummaryList";
const _DMATSe = "DetectMitigationActionsTaskSummary";
const _DMATT = "DetectMitigationActionsTaskTarget";
const _DMAe = "DescribeMitigationAction";
const _DMJT = "DescribeManagedJobTemplate";
const _DMJTR = "DescribeManagedJobTemplateRequest";
const _DMJTRe = "DescribeManagedJobTemplateResponse";
const _DOTAU = "DeleteOTAUpdate";
const _DOTAUR = "DeleteOTAUpdateRequest";
const _DOTAURe = "DeleteOTAUpdateResponse";
const _DP = "DocumentParameter";
const _DPP = "DetachPrincipalPolicy";
const _DPPR = "DetachPrincipalPolicyRequest";
const _DPR = "DeletePackageRequest";
const _DPRe = "DeletePackageResponse";
const _DPRel = "DeletePolicyRequest";
const _DPRet = "DetachPolicyRequest";
const _DPT = "DeleteProvisioningTemplate";
const _DPTR = "DeleteProvisioningTemplateRequest";
const _DPTRe = "DeleteProvisioningTemplateResponse";
const _DPTRes = "DescribeProvisioningTemplateRequest";
const _DPTResc = "DescribeProvisioningTemplateResponse";
const _DPTV = "DeleteProvisioningTemplateVersion";
const _DPTVR = "DeleteProvisioningTemplateVersionRequest";
const _DPTVRe = "DeleteProvisioningTemplateVersionResponse";
const _DPTVRes = "DescribeProvisioningTemplateVersionRequest";
const _DPTVResc = "DescribeProvisioningTemplateVersionResponse";
const _DPTVe = "DescribeProvisioningTemplateVersion";
const _DPTe = "DescribeProvisioningTemplate";
const _DPV = "DeletePackageVersion";
const _DPVR = "DeletePackageVersionRequest";
const _DPVRe = "DeletePackageVersionResponse";
const _DPVRel = "DeletePolicyVersionRequest";
const _DPVe = "DeletePolicyVersion";
const _DPe = "DeletePackage";
const _DPel = "DeletePolicy";
const _DPet = "DetachPolicy";
const _DPo = "DocumentParameters";
const _DRA = "DeleteRoleAlias";
const _DRAR = "DeleteRoleAliasRequest";
const _DRARe = "DeleteRoleAliasResponse";
const _DRARes = "DescribeRoleAliasRequest";
const _DRAResc = "DescribeRoleAliasResponse";
const _DRAe = "DescribeRoleAlias";
const _DRC = "DeleteRegistrationCode";
const _DRCR = "DeleteRegistrationCodeRequest";
const _DRCRe = "DeleteRegistrationCodeResponse";
const _DS = "DeleteStream";
const _DSA = "DeleteScheduledAudit";
const _DSAR = "DeleteScheduledAuditRequest";
const _DSARe = "DeleteScheduledAuditResponse";
const _DSARes = "DescribeScheduledAuditRequest";
const _DSAResc = "DescribeScheduledAuditResponse";
const _DSAe = "DescribeScheduledAudit";
const _DSFPV = "DisassociateSbomFromPackageVersion";
const _DSFPVR = "DisassociateSbomFromPackageVersionRequest";
const _DSFPVRi = "DisassociateSbomFromPackageVersionResponse";
const _DSP = "DeleteSecurityProfile";
const _DSPR = "DeleteSecurityProfileRequest";
const _DSPRe = "DeleteSecurityProfileResponse";
const _DSPRes = "DescribeSecurityProfileRequest";
const _DSPResc = "DescribeSecurityProfileResponse";
const _DSPRet = "DetachSecurityProfileRequest";
const _DSPReta = "DetachSecurityProfileResponse";
const _DSPe = "DescribeSecurityProfile";
const _DSPet = "DetachSecurityProfile";
const _DSR = "DeleteStreamRequest";
const _DSRe = "DeleteStreamResponse";
const _DSRes = "DescribeStreamRequest";
const _DSResc = "DescribeStreamResponse";
const _DSe = "DescribeStream";
const _DT = "DeleteThing";
const _DTG = "DeleteThingGroup";
const _DTGR = "DeleteThingGroupRequest";
const _DTGRe = "DeleteThingGroupResponse";
const _DTGRes = "DescribeThingGroupRequest";
const _DTGResc = "DescribeThingGroupResponse";
const _DTGe = "DescribeThingGroup";
const _DTP = "DetachThingPrincipal";
const _DTPR = "DetachThingPrincipalRequest";
const _DTPRe = "DetachThingPrincipalResponse";
const _DTR = "DeleteThingRequest";
const _DTRD = "DeleteTopicRuleDestination";
const _DTRDR = "DeleteTopicRuleDestinationRequest";
const _DTRDRe = "DeleteTopicRuleDestinationResponse";
const _DTRR = "DeleteTopicRuleRequest";
const _DTRRi = "DisableTopicRuleRequest";
const _DTRT = "DescribeThingRegistrationTask";
const _DTRTR = "DescribeThingRegistrationTaskRequest";
const _DTRTRe = "DescribeThingRegistrationTaskResponse";
const _DTRe = "DeleteThingResponse";
const _DTRel = "DeleteTopicRule";
const _DTRes = "DescribeThingRequest";
const _DTResc = "DescribeThingResponse";
const _DTRi = "DisableTopicRule";
const _DTT = "DeleteThingType";
const _DTTR = "DeleteThingTypeRequest";
const _DTTRe = "DeleteThingTypeResponse";
const _DTTRep = "DeprecateThingTypeRequest";
const _DTTRepr = "DeprecateThingTypeResponse";
const _DTTRes = "DescribeThingTypeRequest";
const _DTTResc = "DescribeThingTypeResponse";
const _DTTe = "DeprecateThingType";
const _DTTes = "DescribeThingType";
const _DTe = "DescribeThing";
const _DVLL = "DeleteV2LoggingLevel";
const _DVLLR = "DeleteV2LoggingLevelRequest";
const _De = "Denied";
const _Des = "Destination";
const _E = "Enabled";
const _EA = "ElasticsearchAction";
const _EC = "EventConfigurations";
const _ED = "ExplicitDeny";
const _EI = "ErrorInfo";
const _EITLP = "EnableIoTLoggingParams";
const _EP = "EffectivePolicy";
const _EPf = "EffectivePolicies";
const _ERR = "ExponentialRolloutRate";
const _ETR = "EnableTopicRule";
const _ETRR = "EnableTopicRuleRequest";
const _F = "Field";
const _FA = "FirehoseAction";
const _FL = "FileLocation";
const _FMNAA = "FleetMetricNameAndArn";
const _FMNAAL = "FleetMetricNameAndArnList";
const _Fi = "Fields";
const _GBA = "GetBucketsAggregation";
const _GBAR = "GetBucketsAggregationRequest";
const _GBARe = "GetBucketsAggregationResponse";
const _GBMTS = "GetBehaviorModelTrainingSummaries";
const _GBMTSR = "GetBehaviorModelTrainingSummariesRequest";
const _GBMTSRe = "GetBehaviorModelTrainingSummariesResponse";
const _GC = "GetCardinality";
const _GCE = "GetCommandExecution";
const _GCER = "GetCommandExecutionRequest";
const _GCERe = "GetCommandExecutionResponse";
const _GCR = "GetCardinalityRequest";
const _GCRe = "GetCardinalityResponse";
const _GCRet = "GetCommandRequest";
const _GCReto = "GetCommandResponse";
const _GCe = "GetCommand";
const _GEP = "GetEffectivePolicies";
const _GEPR = "GetEffectivePoliciesRequest";
const _GEPRe = "GetEffectivePoliciesResponse";
const _GIC = "GetIndexingConfiguration";
const _GICR = "GetIndexingConfigurationRequest";
const _GICRe = "GetIndexingConfigurationResponse";
const _GJD = "GetJobDocument";
const _GJDR = "GetJobDocumentRequest";
const _GJDRe = "GetJobDocumentResponse";
const _GLF = "GeoLocationsFilter";
const _GLO = "GetLoggingOptions";
const _GLOR = "GetLoggingOptionsRequest";
const _GLORe = "GetLoggingOptionsResponse";
const _GLT = "GeoLocationTarget";
const _GNAA = "GroupNameAndArn";
const _GOTAU = "GetOTAUpdate";
const _GOTAUR = "GetOTAUpdateRequest";
const _GOTAURe = "GetOTAUpdateResponse";
const _GP = "GetPackage";
const _GPC = "GetPackageConfiguration";
const _GPCR = "GetPackageConfigurationRequest";
const _GPCRe = "GetPackageConfigurationResponse";
const _GPR = "GetPackageRequest";
const _GPRe = "GetPackageResponse";
const _GPRet = "GetPercentilesRequest";
const _GPRete = "GetPercentilesResponse";
const _GPReto = "GetPolicyRequest";
const _GPRetol = "GetPolicyResponse";
const _GPV = "GetPackageVersion";
const _GPVR = "GetPackageVersionRequest";
const _GPVRe = "GetPackageVersionResponse";
const _GPVRet = "GetPolicyVersionRequest";
const _GPVReto = "GetPolicyVersionResponse";
const _GPVe = "GetPolicyVersion";
const _GPe = "GetPercentiles";
const _GPet = "GetPolicy";
const _GRC = "GetRegistrationCode";
const _GRCR = "GetRegistrationCodeRequest";
const _GRCRe = "GetRegistrationCodeResponse";
const _GS = "GetStatistics";
const _GSR = "GetStatisticsRequest";
const _GSRe = "GetStatisticsResponse";
const _GTCD = "GetThingConnectivityData";
const _GTCDR = "GetThingConnectivityDataRequest";
const _GTCDRe = "GetThingConnectivityDataResponse";
const _GTR = "GetTopicRule";
const _GTRD = "GetTopicRuleDestination";
const _GTRDR = "GetTopicRuleDestinationRequest";
const _GTRDRe = "GetTopicRuleDestinationResponse";
const _GTRR = "GetTopicRuleRequest";
const _GTRRe = "GetTopicRuleResponse";
const _GVLO = "GetV2LoggingOptions";
const _GVLOR = "GetV2LoggingOptionsRequest";
const _GVLORe = "GetV2LoggingOptionsResponse";
const _HA = "HttpAction";
const _HAH = "HttpActionHeader";
const _HAt = "HttpAuthorization";
const _HC = "HttpContext";
const _HL = "HeaderList";
const _HUDC = "HttpUrlDestinationConfiguration";
const _HUDP = "HttpUrlDestinationProperties";
const _HUDS = "HttpUrlDestinationSummary";
const _I = "I";
const _IAA = "IotAnalyticsAction";
const _IAE = "InvalidAggregationException";
const _ICI = "IssuerCertificateIdentifier";
const _ID = "ImplicitDeny";
const _IDBA = "InfluxDBAction";
const _IDBBC = "InfluxDBBatchConfig";
const _IDBDC = "InfluxDBDestinationConfiguration";
const _IDBDP = "InfluxDBDestinationProperties";
const _IDBDS = "InfluxDBDestinationSummary";
const _IE = "InternalException";
const _IEA = "IotEventsAction";
const _IF = "IndexingFilter";
const _IFE = "InternalFailureException";
const _INRE = "IndexNotReadyException";
const _IQE = "InvalidQueryException";
const _IRE = "InvalidRequestException";
const _IREn = "InvalidResponseException";
const _ISE = "InternalServerException";
const _ISTE = "InvalidStateTransitionException";
const _ISWA = "IotSiteWiseAction";
const _J = "Job";
const _JE = "JobExecution";
const _JERC = "JobExecutionsRetryConfig";
const _JERCo = "JobExecutionsRolloutConfig";
const _JES = "JobExecutionSummary";
const _JESD = "JobExecutionStatusDetails";
const _JESFJ = "JobExecutionSummaryForJob";
const _JESFJL = "JobExecutionSummaryForJobList";
const _JESFT = "JobExecutionSummaryForThing";
const _JESFTL = "JobExecutionSummaryForThingList";
const _JPD = "JobProcessDetails";
const _JS = "JobSummary";
const _JSL = "JobSummaryList";
const _JTS = "JobTemplateSummary";
const _JTSL = "JobTemplateSummaryList";
const _K = "Key";
const _KA = "KafkaAction";
const _KAH = "KafkaActionHeader";
const _KAi = "KinesisAction";
const _KH = "KafkaHeaders";
const _KP = "KeyPair";
const _L = "L";
const _LA = "LambdaAction";
const _LAF = "ListAuditFindings";
const _LAFR = "ListAuditFindingsRequest";
const _LAFRi = "ListAuditFindingsResponse";
const _LAMAE = "ListAuditMitigationActionsExecutions";
const _LAMAER = "ListAuditMitigationActionsExecutionsRequest";
const _LAMAERi = "ListAuditMitigationActionsExecutionsResponse";
const _LAMAT = "ListAuditMitigationActionsTasks";
const _LAMATR = "ListAuditMitigationActionsTasksRequest";
const _LAMATRi = "ListAuditMitigationActionsTasksResponse";
const _LAP = "ListAttachedPolicies";
const _LAPR = "ListAttachedPoliciesRequest";
const _LAPRi = "ListAttachedPoliciesResponse";
const _LAR = "ListAuthorizersRequest";
const _LARi = "ListAuthorizersResponse";
const _LAS = "ListAuditSuppressions";
const _LASR = "ListAuditSuppressionsRequest";
const _LASRi = "ListAuditSuppressionsResponse";
const _LAT = "ListAuditTasks";
const _LATR = "ListAuditTasksRequest";
const _LATRi = "ListAuditTasksResponse";
const _LAV = "ListActiveViolations";
const _LAVR = "ListActiveViolationsRequest";
const _LAVRi = "ListActiveViolationsResponse";
const _LAi = "ListAuthorizers";
const _LAo = "LocationAction";
const _LBG = "ListBillingGroups";
const _LBGR = "ListBillingGroupsRequest";
const _LBGRi = "ListBillingGroupsResponse";
const _LC = "ListCertificates";
const _LCAC = "ListCACertificates";
const _LCACR = "ListCACertificatesRequest";
const _LCACRi = "ListCACertificatesResponse";
const _LCBCA = "ListCertificatesByCA";
const _LCBCAR = "ListCertificatesByCARequest";
const _LCBCARi = "ListCertificatesByCAResponse";
const _LCE = "ListCommandExecutions";
const _LCER = "ListCommandExecutionsRequest";
const _LCERi = "ListCommandExecutionsResponse";
const _LCM = "ListCustomMetrics";
const _LCMR = "ListCustomMetricsRequest";
const _LCMRi = "ListCustomMetricsResponse";
const _LCP = "ListCertificateProviders";
const _LCPR = "ListCertificateProvidersRequest";
const _LCPRi = "ListCertificateProvidersResponse";
const _LCR = "ListCertificatesRequest";
const _LCRi = "ListCertificatesResponse";
const _LCRis = "ListCommandsRequest";
const _LCRist = "ListCommandsResponse";
const _LCi = "ListCommands";
const _LD = "ListDimensions";
const _LDC = "ListDomainConfigurations";
const _LDCR = "ListDomainConfigurationsRequest";
const _LDCRi = "ListDomainConfigurationsResponse";
const _LDMAE = "ListDetectMitigationActionsExecutions";
const _LDMAER = "ListDetectMitigationActionsExecutionsRequest";
const _LDMAERi = "ListDetectMitigationActionsExecutionsResponse";
const _LDMAT = "ListDetectMitigationActionsTasks";
const _LDMATR = "ListDetectMitigationActionsTasksRequest";
const _LDMATRi = "ListDetectMitigationActionsTasksResponse";
const _LDR = "ListDimensionsRequest";
const _LDRi = "ListDimensionsResponse";
const _LEC = "LogEventConfiguration";
const _LECo = "LogEventConfigurations";
const _LEE = "LimitExceededException";
const _LFM = "ListFleetMetrics";
const _LFMR = "ListFleetMetricsRequest";
const _LFMRi = "ListFleetMetricsResponse";
const _LI = "ListIndices";
const _LIR = "ListIndicesRequest";
const _LIRi = "ListIndicesResponse";
const _LJ = "ListJobs";
const _LJEFJ = "ListJobExecutionsForJob";
const _LJEFJR = "ListJobExecutionsForJobRequest";
const _LJEFJRi = "ListJobExecutionsForJobResponse";
const _LJEFT = "ListJobExecutionsForThing";
const _LJEFTR = "ListJobExecutionsForThingRequest";
const _LJEFTRi = "ListJobExecutionsForThingResponse";
const _LJR = "ListJobsRequest";
const _LJRi = "ListJobsResponse";
const _LJT = "ListJobTemplates";
const _LJTR = "ListJobTemplatesRequest";
const _LJTRi = "ListJobTemplatesResponse";
const _LMA = "ListMitigationActions";
const _LMAR = "ListMitigationActionsRequest";
const _LMARi = "ListMitigationActionsResponse";
const _LMJT = "ListManagedJobTemplates";
const _LMJTR = "ListManagedJobTemplatesRequest";
const _LMJTRi = "ListManagedJobTemplatesResponse";
const _LMV = "ListMetricValues";
const _LMVR = "ListMetricValuesRequest";
const _LMVRi = "ListMetricValuesResponse";
const _LOC = "ListOutgoingCertificates";
const _LOCR = "ListOutgoingCertificatesRequest";
const _LOCRi = "ListOutgoingCertificatesResponse";
const _LOP = "LoggingOptionsPayload";
const _LOTAU = "ListOTAUpdates";
const _LOTAUR = "ListOTAUpdatesRequest";
const _LOTAURi = "ListOTAUpdatesResponse";
const _LP = "ListPackages";
const _LPP = "ListPolicyPrincipals";
const _LPPR = "ListPolicyPrincipalsRequest";
const _LPPRi = "ListPolicyPrincipalsResponse";
const _LPPRis = "ListPrincipalPoliciesRequest";
const _LPPRist = "ListPrincipalPoliciesResponse";
const _LPPi = "ListPrincipalPolicies";
const _LPR = "ListPackagesRequest";
const _LPRi = "ListPackagesResponse";
const _LPRis = "ListPoliciesRequest";
const _LPRist = "ListPoliciesResponse";
const _LPT = "ListPrincipalThings";
const _LPTR = "ListPrincipalThingsRequest";
const _LPTRi = "ListPrincipalThingsResponse";
const _LPTRis = "ListProvisioningTemplatesRequest";
const _LPTRist = "ListProvisioningTemplatesResponse";
const _LPTV = "ListPrincipalThingsV2";
const _LPTVR = "ListPrincipalThingsV2Request";
const _LPTVRi = "ListPrincipalThingsV2Response";
const _LPTVRis = "ListProvisioningTemplateVersionsRequest";
const _LPTVRist = "ListProvisioningTemplateVersionsResponse";
const _LPTVi = "ListProvisioningTemplateVersions";
const _LPTi = "ListProvisioningTemplates";
const _LPV = "ListPackageVersions";
const _LPVR = "ListPackageVersionsRequest";
const _LPVRi = "ListPackageVersionsResponse";
const _LPVRis = "ListPolicyVersionsRequest";
const _LPVRist = "ListPolicyVersionsResponse";
const _LPVi = "ListPolicyVersions";
const _LPi = "ListPolicies";
const _LRA = "ListRoleAliases";
const _LRAR = "ListRoleAliasesRequest";
const _LRARi = "ListRoleAliasesResponse";
const _LRRFAF = "ListRelatedResourcesForAuditFinding";
const _LRRFAFR = "ListRelatedResourcesForAuditFindingRequest";
const _LRRFAFRi = "ListRelatedResourcesForAuditFindingResponse";
const _LS = "ListStreams";
const _LSA = "ListScheduledAudits";
const _LSAR = "ListScheduledAuditsRequest";
const _LSARi = "ListScheduledAuditsResponse";
const _LSP = "ListSecurityProfiles";
const _LSPFT = "ListSecurityProfilesForTarget";
const _LSPFTR = "ListSecurityProfilesForTargetRequest";
const _LSPFTRi = "ListSecurityProfilesForTargetResponse";
const _LSPR = "ListSecurityProfilesRequest";
const _LSPRi = "ListSecurityProfilesResponse";
const _LSR = "ListStreamsRequest";
const _LSRi = "ListStreamsResponse";
const _LSVR = "ListSbomValidationResults";
const _LSVRR = "ListSbomValidationResultsRequest";
const _LSVRRi = "ListSbomValidationResultsResponse";
const _LT = "LocationTimestamp";
const _LTC = "LogTargetConfiguration";
const _LTCo = "LogTargetConfigurations";
const _LTFP = "ListTargetsForPolicy";
const _LTFPR = "ListTargetsForPolicyRequest";
const _LTFPRi = "ListTargetsForPolicyResponse";
const _LTFR = "ListTagsForResource";
const _LTFRR = "ListTagsForResourceRequest";
const _LTFRRi = "ListTagsForResourceResponse";
const _LTFSP = "ListTargetsForSecurityProfile";
const _LTFSPR = "ListTargetsForSecurityProfileRequest";
const _LTFSPRi = "ListTargetsForSecurityProfileResponse";
const _LTG = "ListThingGroups";
const _LTGFT = "ListThingGroupsForThing";
const _LTGFTR = "ListThingGroupsForThingRequest";
const _LTGFTRi = "ListThingGroupsForThingResponse";
const _LTGR = "ListThingGroupsRequest";
const _LTGRi = "ListThingGroupsResponse";
const _LTIBG = "ListThingsInBillingGroup";
const _LTIBGR = "ListThingsInBillingGroupRequest";
const _LTIBGRi = "ListThingsInBillingGroupResponse";
const _LTITG = "ListThingsInThingGroup";
const _LTITGR = "ListThingsInThingGroupRequest";
const _LTITGRi = "ListThingsInThingGroupResponse";
const _LTP = "ListThingPrincipals";
const _LTPR = "ListThingPrincipalsRequest";
const _LTPRi = "ListThingPrincipalsResponse";
const _LTPV = "ListThingPrincipalsV2";
const _LTPVR = "ListThingPrincipalsV2Request";
const _LTPVRi = "ListThingPrincipalsV2Response";
const _LTR = "ListThingsRequest";
const _LTRD = "ListTopicRuleDestinations";
const _LTRDR = "ListTopicRuleDestinationsRequest";
const _LTRDRi = "ListTopicRuleDestinationsResponse";
const _LTRR = "ListTopicRulesRequest";
const _LTRRi = "ListTopicRulesResponse";
const _LTRT = "ListThingRegistrationTasks";
const _LTRTR = "ListThingRegistrationTasksRequest";
const _LTRTRR = "ListThingRegistrationTaskReportsRequest";
const _LTRTRRi = "ListThingRegistrationTaskReportsResponse";
const _LTRTRi = "ListThingRegistrationTasksResponse";
const _LTRTRis = "ListThingRegistrationTaskReports";
const _LTRi = "ListThingsResponse";
const _LTRis = "ListTopicRules";
const _LTT = "ListThingTypes";
const _LTTR = "ListThingTypesRequest";
const _LTTRi = "ListThingTypesResponse";
const _LTi = "ListThings";
const _LTo = "LogTarget";
const _LVE = "ListViolationEvents";
const _LVER = "ListViolationEventsRequest";
const _LVERi = "ListViolationEventsResponse";
const _LVLL = "ListV2LoggingLevels";
const _LVLLR = "ListV2LoggingLevelsRequest";
const _LVLLRi = "ListV2LoggingLevelsResponse";
const _MA = "MitigationAction";
const _MAI = "MitigationActionIdentifier";
const _MAIL = "MitigationActionIdentifierList";
const _MAL = "MitigationActionList";
const _MAP = "MitigationActionParams";
const _MC = "Mqtt5Configuration";
const _MCq = "MqttContext";
const _MD = "MetricDatum";
const _MDL = "MetricDatumList";
const _MDe = "MetricDimension";
const _MEC = "MetricsExportConfig";
const _MH = "MqttHeaders";
const _MJTS = "ManagedJobTemplateSummary";
const _MJTSL = "ManagedJobTemplatesSummaryList";
const _MLDC = "MachineLearningDetectionConfig";
const _MPE = "MalformedPolicyException";
const _MTR = "MetricToRetain";
const _MV = "MetricValue";
const _MW = "MaintenanceWindow";
const _MWa = "MaintenanceWindows";
const _NCE = "NotConfiguredException";
const _NCR = "NonCompliantResource";
const _OC = "OutgoingCertificate";
const _OCu = "OutgoingCertificates";
const _OSA = "OpenSearchAction";
const _OTAUF = "OTAUpdateFile";
const _OTAUFp = "OTAUpdateFiles";
const _OTAUI = "OTAUpdateInfo";
const _OTAUS = "OTAUpdateSummary";
const _OTAUSp = "OTAUpdatesSummary";
const _P = "Policy";
const _PA = "PropagatingAttribute";
const _PAL = "PropagatingAttributeList";
const _PAPVE = "PutAssetPropertyValueEntry";
const _PAPVEL = "PutAssetPropertyValueEntryList";
const _PFTSP = "PublishFindingToSnsParams";
const _PH = "ProvisioningHook";
const _PII = "PutItemInput";
const _PK = "PrivateKey";
const _PKu = "PublicKey";
const _PP = "PercentPair";
const _PS = "PackageSummary";
const _PSL = "PackageSummaryList";
const _PTL = "ProvisioningTemplateListing";
const _PTO = "PrincipalThingObject";
const _PTOr = "PrincipalThingObjects";
const _PTS = "ProvisioningTemplateSummary";
const _PTVL = "ProvisioningTemplateVersionListing";
const _PTVS = "ProvisioningTemplateVersionSummary";
const _PUC = "PresignedUrlConfig";
const _PV = "PolicyVersion";
const _PVA = "PackageVersionArtifact";
const _PVI = "PolicyVersionIdentifier";
const _PVR = "PackageVersionRecipe";
const _PVS = "PackageVersionSummary";
const _PVSL = "PackageVersionSummaryList";
const _PVSOV = "PutVerificationStateOnViolation";
const _PVSOVR = "PutVerificationStateOnViolationRequest";
const _PVSOVRu = "PutVerificationStateOnViolationResponse";
const _PVo = "PolicyVersions";
const _Pe = "Percentiles";
const _Po = "Policies";
const _RA = "RepublishAction";
const _RAD = "RoleAliasDescription";
const _RAEE = "ResourceAlreadyExistsException";
const _RAe = "ResourceAttributes";
const _RC = "RegistrationConfig";
const _RCAC = "RegisterCACertificate";
const _RCACR = "RegisterCACertificateRequest";
const _RCACRe = "RegisterCACertificateResponse";
const _RCL = "RetryCriteriaList";
const _RCR = "RegisterCertificateRequest";
const _RCRe = "RegisterCertificateResponse";
const _RCT = "RejectCertificateTransfer";
const _RCTR = "RejectCertificateTransferRequest";
const _RCVE = "RegistrationCodeValidationException";
const _RCWCA = "RegisterCertificateWithoutCA";
const _RCWCAR = "RegisterCertificateWithoutCARequest";
const _RCWCARe = "RegisterCertificateWithoutCAResponse";
const _RCe = "RetryCriteria";
const _RCeg = "RegisterCertificate";
const _RD = "ResourceDescription";
const _RDPVP = "ReplaceDefaultPolicyVersionParams";
const _RI = "ResourceIdentifier";
const _RIC = "RateIncreaseCriteria";
const _RNFE = "ResourceNotFoundException";
const _RR = "RelatedResource";
const _RRFE = "ResourceRegistrationFailureException";
const _RRe = "RelatedResources";
const _RT = "RegisterThing";
const _RTFBG = "RemoveThingFromBillingGroup";
const _RTFBGR = "RemoveThingFromBillingGroupRequest";
const _RTFBGRe = "RemoveThingFromBillingGroupResponse";
const _RTFTG = "RemoveThingFromThingGroup";
const _RTFTGR = "RemoveThingFromThingGroupRequest";
const _RTFTGRe = "RemoveThingFromThingGroupResponse";
const _RTR = "RegisterThingRequest";
const _RTRR = "ReplaceTopicRuleRequest";
const _RTRe = "RegisterThingResponse";
const _RTRep = "ReplaceTopicRule";
const _S = "S";
const _SA = "S3Action";
const _SAM = "ScheduledAuditMetadata";
const _SAMAT = "StartAuditMitigationActionsTask";
const _SAMATR = "StartAuditMitigationActionsTaskRequest";
const _SAMATRt = "StartAuditMitigationActionsTaskResponse";
const _SAML = "ScheduledAuditMetadataList";
const _SAa = "SalesforceAction";
const _SAn = "SnsAction";
const _SAq = "SqsAction";
const _SC = "SchedulingConfig";
const _SCC = "ServerCertificateConfig";
const _SCS = "ServerCertificateSummary";
const _SCe = "ServerCertificates";
const _SD = "S3Destination";
const _SDA = "SetDefaultAuthorizer";
const _SDAR = "SetDefaultAuthorizerRequest";
const _SDARe = "SetDefaultAuthorizerResponse";
const _SDMAT = "StartDetectMitigationActionsTask";
const _SDMATR = "StartDetectMitigationActionsTaskRequest";
const _SDMATRt = "StartDetectMitigationActionsTaskResponse";
const _SDPV = "SetDefaultPolicyVersion";
const _SDPVR = "SetDefaultPolicyVersionRequest";
const _SF = "StreamFile";
const _SFA = "StepFunctionsAction";
const _SFt = "StreamFiles";
const _SI = "SourceIp";
const _SIR = "SearchIndexRequest";
const _SIRe = "SearchIndexResponse";
const _SIe = "SearchIndex";
const _SIt = "StreamInfo";
const _SJR = "ScheduledJobRollout";
const _SJRL = "ScheduledJobRolloutList";
const _SL = "S3Location";
const _SLO = "SetLoggingOptions";
const _SLOR = "SetLoggingOptionsRequest";
const _SODAT = "StartOnDemandAuditTask";
const _SODATR = "StartOnDemandAuditTaskRequest";
const _SODATRt = "StartOnDemandAuditTaskResponse";
const _SP = "SourcePort";
const _SPE = "SqlParseException";
const _SPI = "SecurityProfileIdentifier";
const _SPIe = "SecurityProfileIdentifiers";
const _SPP = "SigningProfileParameter";
const _SPT = "SecurityProfileTarget";
const _SPTM = "SecurityProfileTargetMapping";
const _SPTMe = "SecurityProfileTargetMappings";
const _SPTe = "SecurityProfileTargets";
const _SQEE = "ServiceQuotaExceededException";
const _SR = "StatusReason";
const _SS = "StreamSummary";
const _SSJP = "StartSigningJobParameter";
const _SSt = "StreamsSummary";
const _ST = "StatisticalThreshold";
const _STRT = "StartThingRegistrationTask";
const _STRTR = "StartThingRegistrationTaskRequest";
const _STRTRt = "StartThingRegistrationTaskResponse";
const _STRTRto = "StopThingRegistrationTaskRequest";
const _STRTRtop = "StopThingRegistrationTaskResponse";
const _STRTt = "StopThingRegistrationTask";
const _SUE = "ServiceUnavailableException";
const _SVA = "SigV4Authorization";
const _SVLL = "SetV2LoggingLevel";
const _SVLLR = "SetV2LoggingLevelRequest";
const _SVLO = "SetV2LoggingOptions";
const _SVLOR = "SetV2LoggingOptionsRequest";
const _SVRS = "SbomValidationResultSummary";
const _SVRSL = "SbomValidationResultSummaryList";
const _Sb = "Sbom";
const _St = "Statistics";
const _Str = "Stream";
const _T = "Tag";
const _TA = "TermsAggregation";
const _TACE = "TransferAlreadyCompletedException";
const _TAEE = "TaskAlreadyExistsException";
const _TAL = "ThingAttributeList";
const _TAR = "TestAuthorizationRequest";
const _TARe = "TestAuthorizationResponse";
const _TAe = "TestAuthorization";
const _TAh = "ThingAttribute";
const _TAi = "TimestreamAction";
const _TC = "ThingConnectivity";
const _TCE = "TransferConflictException";
const _TCR = "TransferCertificateRequest";
const _TCRr = "TransferCertificateResponse";
const _TCi = "TimeoutConfig";
const _TCl = "TlsConfig";
const _TCls = "TlsContext";
const _TCr = "TransferCertificate";
const _TD = "ThingDocument";
const _TDL = "ThingDocumentList";
const _TDLi = "TimestreamDimensionList";
const _TDi = "TimestreamDimension";
const _TDr = "TransferData";
const _TE = "ThrottlingException";
const _TF = "TimeFilter";
const _TGD = "ThingGroupDocument";
const _TGDL = "ThingGroupDocumentList";
const _TGIC = "ThingGroupIndexingConfiguration";
const _TGM = "ThingGroupMetadata";
const _TGNAAL = "ThingGroupNameAndArnList";
const _TGP = "ThingGroupProperties";
const _TI = "TargetIp";
const _TIA = "TestInvokeAuthorizer";
const _TIAR = "TestInvokeAuthorizerRequest";
const _TIARe = "TestInvokeAuthorizerResponse";
const _TIC = "ThingIndexingConfiguration";
const _TL = "TagList";
const _TP = "TargetPort";
const _TPO = "ThingPrincipalObject";
const _TPOh = "ThingPrincipalObjects";
const _TR = "TopicRule";
const _TRD = "TopicRuleDestination";
const _TRDC = "TopicRuleDestinationConfiguration";
const _TRDS = "TopicRuleDestinationSummary";
const _TRDSo = "TopicRuleDestinationSummaries";
const _TRL = "TopicRuleList";
const _TRLI = "TopicRuleListItem";
const _TRP = "TopicRulePayload";
const _TRR = "TagResourceRequest";
const _TRRa = "TagResourceResponse";
const _TRa = "TagResource";
const _TS = "TaskStatistics";
const _TSFAC = "TaskStatisticsForAuditCheck";
const _TT = "TimestreamTimestamp";
const _TTD = "ThingTypeDefinition";
const _TTL = "ThingTypeList";
const _TTM = "ThingTypeMetadata";
const _TTP = "ThingTypeProperties";
const _UA = "UpdateAuthorizer";
const _UAAC = "UpdateAccountAuditConfiguration";
const _UAACR = "UpdateAccountAuditConfigurationRequest";
const _UAACRp = "UpdateAccountAuditConfigurationResponse";
const _UAR = "UpdateAuthorizerRequest";
const _UARp = "UpdateAuthorizerResponse";
const _UAS = "UpdateAuditSuppression";
const _UASR = "UpdateAuditSuppressionRequest";
const _UASRp = "UpdateAuditSuppressionResponse";
const _UBG = "UpdateBillingGroup";
const _UBGR = "UpdateBillingGroupRequest";
const _UBGRp = "UpdateBillingGroupResponse";
const _UC = "UpdateCertificate";
const _UCAC = "UpdateCACertificate";
const _UCACP = "UpdateCACertificateParams";
const _UCACR = "UpdateCACertificateRequest";
const _UCM = "UpdateCustomMetric";
const _UCMR = "UpdateCustomMetricRequest";
const _UCMRp = "UpdateCustomMetricResponse";
const _UCP = "UpdateCertificateProvider";
const _UCPR = "UpdateCertificateProviderRequest";
const _UCPRp = "UpdateCertificateProviderResponse";
const _UCR = "UpdateCertificateRequest";
const _UCRp = "UpdateCommandRequest";
const _UCRpd = "UpdateCommandResponse";
const _UCp = "UpdateCommand";
const _UD = "UpdateDimension";
const _UDC = "UpdateDomainConfiguration";
const _UDCP = "UpdateDeviceCertificateParams";
const _UDCR = "UpdateDomainConfigurationRequest";
const _UDCRp = "UpdateDomainConfigurationResponse";
const _UDR = "UpdateDimensionRequest";
const _UDRp = "UpdateDimensionResponse";
const _UDTG = "UpdateDynamicThingGroup";
const _UDTGR = "UpdateDynamicThingGroupRequest";
const _UDTGRp = "UpdateDynamicThingGroupResponse";
const _UE = "UnauthorizedException";
const _UEC = "UpdateEncryptionConfiguration";
const _UECR = "UpdateEncryptionConfigurationRequest";
const _UECRp = "UpdateEncryptionConfigurationResponse";
const _UECRpd = "UpdateEventConfigurationsRequest";
const _UECRpda = "UpdateEventConfigurationsResponse";
const _UECp = "UpdateEventConfigurations";
const _UFM = "UpdateFleetMetric";
const _UFMR = "UpdateFleetMetricRequest";
const _UIC = "UpdateIndexingConfiguration";
const _UICR = "UpdateIndexingConfigurationRequest";
const _UICRp = "UpdateIndexingConfigurationResponse";
const _UJ = "UpdateJob";
const _UJR = "UpdateJobRequest";
const _UL = "UL";
const _UMA = "UpdateMitigationAction";
const _UMAR = "UpdateMitigationActionRequest";
const _UMARp = "UpdateMitigationActionResponse";
const _UP = "UserProperty";
const _UPC = "UpdatePackageConfiguration";
const _UPCR = "UpdatePackageConfigurationRequest";
const _UPCRp = "UpdatePackageConfigurationResponse";
const _UPR = "UpdatePackageRequest";
const _UPRp = "UpdatePackageResponse";
const _UPT = "UpdateProvisioningTemplate";
const _UPTR = "UpdateProvisioningTemplateRequest";
const _UPTRp = "UpdateProvisioningTemplateResponse";
const _UPV = "UpdatePackageVersion";
const _UPVR = "UpdatePackageVersionRequest";
const _UPVRp = "UpdatePackageVersionResponse";
const _UPp = "UpdatePackage";
const _UPs = "UserProperties";
const _UR = "UntagResource";
const _URA = "UpdateRoleAlias";
const _URAR = "UpdateRoleAliasRequest";
const _URARp = "UpdateRoleAliasResponse";
const _URR = "UntagResourceRequest";
const _URRn = "UntagResourceResponse";
const _US = "UpdateStream";
const _USA = "UpdateScheduledAudit";
const _USAR = "UpdateScheduledAuditRequest";
const _USARp = "UpdateScheduledAuditResponse";
const _USP = "UpdateSecurityProfile";
const _USPR = "UpdateSecurityProfileRequest";
const _USPRp = "UpdateSecurityProfileResponse";
const _USR = "UpdateStreamRequest";
const _USRp = "UpdateStreamResponse";
const _UT = "UpdateThing";
const _UTG = "UpdateThingGroup";
const _UTGFT = "UpdateThingGroupsForThing";
const _UTGFTR = "UpdateThingGroupsForThingRequest";
const _UTGFTRp = "UpdateThingGroupsForThingResponse";
const _UTGR = "UpdateThingGroupRequest";
const _UTGRp = "UpdateThingGroupResponse";
const _UTR = "UpdateThingRequest";
const _UTRD = "UpdateTopicRuleDestination";
const _UTRDR = "UpdateTopicRuleDestinationRequest";
const _UTRDRp = "UpdateTopicRuleDestinationResponse";
const _UTRp = "UpdateThingResponse";
const _UTT = "UpdateThingType";
const _UTTR = "UpdateThingTypeRequest";
const _UTTRp = "UpdateThingTypeResponse";
const _V = "Value";
const _VCE = "VersionConflictException";
const _VDC = "VpcDestinationConfiguration";
const _VDP = "VpcDestinationProperties";
const _VDS = "VpcDestinationSummary";
const _VE = "ValidationException";
const _VEAI = "ViolationEventAdditionalInfo";
const _VEI = "VpcEndpointId";
const _VEOR = "ViolationEventOccurrenceRange";
const _VEa = "ValidationError";
const _VEal = "ValidationErrors";
const _VEi = "ViolationEvent";
const _VEio = "ViolationEvents";
const _VLEE = "VersionsLimitExceededException";
const _VSPB = "ValidateSecurityProfileBehaviors";
const _VSPBR = "ValidateSecurityProfileBehaviorsRequest";
const _VSPBRa = "ValidateSecurityProfileBehaviorsResponse";
const _VUBJC = "VersionUpdateByJobsConfig";
const _a = "action";
const _aA = "authorizerArn";
const _aAO = "allowAuthorizerOverride";
const _aAR = "allowAutoRegistration";
const _aAc = "actionArn";
const _aC = "authorizerConfig";
const _aCC = "auditCheckConfigurations";
const _aCL = "abortCriteriaList";
const _aCTAM = "auditCheckToActionsMapping";
const _aCTRCF = "auditCheckToReasonCodeFilter";
const _aCb = "abortConfig";
const _aD = "authDecision";
const _aDFO = "accountDefaultForOperations";
const _aDc = "actionsDefinition";
const _aDcc = "acceptDate";
const _aDu = "auditDetails";
const _aDut = "authorizerDescription";
const _aE = "actionsExecuted";
const _aEc = "actionsExecutions";
const _aF = "aggregationField";
const _aFA = "authorizerFunctionArn";
const _aFc = "actionsFailed";
const _aI = "actionId";
const _aIJA = "awsIotJobArn";
const _aIJI = "awsIotJobId";
const _aISV = "awsIotSqlVersion";
const _aIc = "actionIdentifiers";
const _aId = "additionalInfo";
const _aIs = "assetId";
const _aIu = "authInfo";
const _aIut = "authInfos";
const _aJAC = "awsJobAbortConfig";
const _aJERC = "awsJobExecutionsRolloutConfig";
const _aJPUC = "awsJobPresignedUrlConfig";
const _aJS = "awsJsonSubstitution";
const _aJTC = "awsJobTimeoutConfig";
const _aMTR = "additionalMetricsToRetain";
const _aMTRV = "additionalMetricsToRetainV2";
const _aN = "actionName";
const _aNTC = "auditNotificationTargetConfigurations";
const _aNl = "alarmName";
const _aNt = "attributeName";
const _aNu = "authorizerName";
const _aO = "ascendingOrder";
const _aP = "applicationProtocol";
const _aPc = "actionParams";
const _aPd = "additionalParameters";
const _aPt = "attributePayload";
const _aR = "authResults";
const _aRS = "autoRegistrationStatus";
const _aS = "actionsSkipped";
const _aSBTO = "approximateSecondsBeforeTimedOut";
const _aSJI = "awsSignerJobId";
const _aSc = "actionStatus";
const _aT = "actionType";
const _aTA = "alertTargetArn";
const _aTI = "auditTaskId";
const _aTTTGP = "addThingsToThingGroupParams";
const _aTg = "aggregationType";
const _aTl = "alertTargets";
const _aTu = "authenticationType";
const _aV = "activeViolations";
const _aVt = "attributeValue";
const _ac = "account";
const _act = "actions";
const _af = "after";
const _al = "allowed";
const _ar = "arn";
const _art = "artifact";
const _at = "attributes";
const _au = "auth";
const _aut = "authorizers";
const _av = "average";
const _b = "behavior";
const _bAT = "batchAcrossTopics";
const _bATu = "bucketsAggregationType";
const _bC = "batchConfig";
const _bCT = "behaviorCriteriaType";
const _bG = "billingGroups";
const _bGA = "billingGroupArn";
const _bGD = "billingGroupDescription";
const _bGI = "billingGroupId";
const _bGM = "billingGroupMetadata";
const _bGN = "billingGroupName";
const _bGP = "billingGroupProperties";
const _bM = "batchMode";
const _bN = "behaviorName";
const _bNu = "bucketName";
const _bRPM = "baseRatePerMinute";
const _bS = "beforeSubstitution";
const _bV = "booleanValue";
const _be = "behaviors";
const _bef = "before";
const _bu = "buckets";
const _buc = "bucket";
const _c = "client";
const _cA = "cloudwatchAlarm";
const _cAa = "cannedAcl";
const _cAe = "certificateArn";
const _cAh = "channelArn";
const _cAo = "commandArn";
const _cAom = "completedAt";
const _cAon = "connectionAttribute";
const _cAr = "createdAt";
const _cC = "checkCompliant";
const _cCC = "clientCertificateConfig";
const _cCCA = "clientCertificateCallbackArn";
const _cCI = "caCertificateId";
const _cCP = "caCertificatePem";
const _cCS = "customCodeSigning";
const _cCa = "caCertificate";
const _cCan = "canceledChecks";
const _cCe = "certificateChain";
const _cCo = "compliantChecks";
const _cD = "creationDate";
const _cDS = "credentialDurationSeconds";
const _cDTA = "consecutiveDatapointsToAlarm";
const _cDTC = "consecutiveDatapointsToClear";
const _cDe = "certificateDescription";
const _cDo = "configurationDetails";
const _cDor = "correlationData";
const _cDr = "createDate";
const _cE = "commandExecutions";
const _cF = "customFields";
const _cFC = "canceledFindingsCount";
const _cI = "certificateId";
const _cIPI = "cognitoIdentityPoolId";
const _cIl = "clientId";
const _cIo = "commandId";
const _cL = "criteriaList";
const _cLl = "cloudwatchLogs";
const _cLo = "confidenceLevel";
const _cM = "cloudwatchMetric";
const _cMe = "certificateMode";
const _cN = "checkName";
const _cNe = "certificateName";
const _cNh = "channelName";
const _cO = "comparisonOperator";
const _cP = "certificatePem";
const _cPA = "certificateProviderArn";
const _cPN = "certificateProviderName";
const _cPNo = "commandParameterName";
const _cPOD = "certificatePathOnDevice";
const _cPe = "certificateProviders";
const _cPl = "clientProperties";
const _cRS = "checkRunStatus";
const _cRT = "clientRequestToken";
const _cS = "configurationStatus";
const _cSR = "certificateSigningRequest";
const _cSl = "cleanSession";
const _cSo = "codeSigning";
const _cT = "clientToken";
const _cTF = "completedTimeFilter";
const _cTo = "contentType";
const _cTon = "confirmationToken";
const _cU = "confirmationUrl";
const _cV = "customerVersion";
const _ca = "cardinality";
const _ce = "certificates";
const _ci = "cidrs";
const _co = "comment";
const _cod = "code";
const _com = "commands";
const _con = "configuration";
const _conn = "connected";
const _conne = "connectivity";
const _cont = "content";
const _cou = "count";
const _cr = "criteria";
const _d = "description";
const _dA = "destinationArn";
const _dAIS = "disconnectAfterInSeconds";
const _dAL = "disableAllLogs";
const _dAMTR = "deleteAdditionalMetricsToRetain";
const _dAN = "defaultAuthorizerName";
const _dAT = "deleteAlertTargets";
const _dB = "deleteBehaviors";
const _dC = "destinationConfiguration";
const _dCA = "domainConfigurationArn";
const _dCAe = "deviceCertificateArn";
const _dCI = "defaultClientId";
const _dCIe = "deviceCertificateId";
const _dCN = "domainConfigurationName";
const _dCP = "datapointsCollectionPercentage";
const _dCS = "domainConfigurationStatus";
const _dCo = "domainConfigurations";
const _dD = "deviceDefender";
const _dDB = "dynamoDB";
const _dDBy = "dynamoDBv2";
const _dDIM = "deviceDefenderIndexingMode";
const _dDe = "deprecationDate";
const _dI = "deviceId";
const _dIM = "durationInMinutes";
const _dLL = "defaultLogLevel";
const _dM = "detailsMap";
const _dMEC = "deleteMetricsExportConfig";
const _dN = "displayName";
const _dNa = "databaseName";
const _dNi = "dimensionNames";
const _dNim = "dimensionName";
const _dNo = "domainName";
const _dOM = "dayOfMonth";
const _dOW = "dayOfWeek";
const _dP = "documentParameters";
const _dPV = "destinationPackageVersions";
const _dR = "disconnectReason";
const _dS = "durationSeconds";
const _dSA = "deleteScheduledAudits";
const _dSN = "deliveryStreamName";
const _dSe = "deleteStream";
const _dSes = "destinationSummaries";
const _dSo = "documentSource";
const _dT = "domainType";
const _dV = "defaultValue";
const _dVI = "defaultVersionId";
const _dVN = "defaultVersionName";
const _dVO = "dimensionValueOperator";
const _dVo = "doubleValue";
const _de = "denied";
const _dep = "deprecated";
const _des = "destination";
const _di = "dimensions";
const _do = "document";
const _e = "error";
const _eA = "endpointAddress";
const _eAr = "errorAction";
const _eB = "enableBatching";
const _eBn = "endBehavior";
const _eC = "errorCode";
const _eCFH = "enableCachingForHttp";
const _eCv = "eventConfigurations";
const _eD = "expirationDate";
const _eDx = "explicitDeny";
const _eED = "executionEndDate";
const _eI = "executionId";
const _eIS = "expiresInSec";
const _eITLP = "enableIoTLoggingParams";
const _eIn = "entryId";
const _eIr = "errorInfo";
const _eM = "exportMetric";
const _eMr = "errorMessage";
const _eN = "executionNumber";
const _eNP = "executionNamePrefix";
const _eOCSPC = "enableOCSPCheck";
const _eP = "effectivePolicies";
const _eR = "exponentialRate";
const _eRr = "errorReason";
const _eS = "executionSummaries";
const _eSD = "executionStartDate";
const _eT = "endTime";
const _eTS = "executionTimeoutSeconds";
const _eTn = "encryptionType";
const _eTnd = "endpointType";
const _eTv = "eventType";
const _eV = "expectedVersion";
const _el = "elasticsearch";
const _en = "enabled";
const _end = "endpoint";
const _env = "environments";
const _ex = "expiration";
const _exa = "example";
const _exe = "execution";
const _f = "firehose";
const _fA = "functionArn";
const _fC = "failureCount";
const _fCa = "failedChecks";
const _fCo = "forceCanceled";
const _fD = "forceDelete";
const _fDAWSJ = "forceDeleteAWSJob";
const _fFC = "failedFindingsCount";
const _fI = "findingId";
const _fIi = "findingIds";
const _fIil = "fileId";
const _fL = "fileLocation";
const _fM = "fleetMetrics";
const _fN = "fileName";
const _fT = "failureType";
const _fTi = "findingTime";
const _fTil = "fileType";
const _fV = "fileVersion";
const _fi = "files";
const _fil = "filter";
const _fin = "finding";
const _find = "findings";
const _fo = "force";
const _fr = "frequency";
const _gA = "groupArn";
const _gI = "generationId";
const _gL = "geoLocations";
const _gN = "groupName";
const _h = "http";
const _hA = "hashAlgorithm";
const _hC = "httpContext";
const _hE = "httpError";
const _hH = "httpHeader";
const _hKF = "hashKeyField";
const _hKT = "hashKeyType";
const _hKV = "hashKeyValue";
const _hQ = "httpQuery";
const _hUC = "httpUrlConfiguration";
const _hUP = "httpUrlProperties";
const _hUS = "httpUrlSummary";
const _he = "headers";
const _i = "index";
const _iA = "iotAnalytics";
const _iAO = "isAscendingOrder";
const _iAs = "isAuthenticated";
const _iC = "isConcurrent";
const _iCI = "issuerCertificateIdentifier";
const _iCS = "issuerCertificateSubject";
const _iCSN = "issuerCertificateSerialNumber";
const _iD = "inlineDocument";
const _iDB = "influxDB";
const _iDBC = "influxDBConfiguration";
const _iDBP = "influxDBProperties";
const _iDBS = "influxDBSummary";
const _iDBV = "influxDBVersion";
const _iDV = "isDefaultVersion";
const _iDm = "implicitDeny";
const _iE = "iotEvents";
const _iF = "incrementFactor";
const _iFB = "inputFileBucket";
const _iFK = "inputFileKey";
const _iI = "issuerId";
const _iN = "indexName";
const _iNn = "inputName";
const _iNnd = "indexNames";
const _iOAV = "includeOnlyActiveViolations";
const _iPC = "inProgressChecks";
const _iPTIM = "inProgressTimeoutInMinutes";
const _iR = "includeResult";
const _iRA = "iamRoleArn";
const _iS = "isSuppressed";
const _iSA = "includeSuppressedAlerts";
const _iSI = "includeSocketInformation";
const _iSW = "iotSiteWise";
const _iSn = "indexStatus";
const _iT = "idempotencyToken";
const _iV = "integerValue";
const _id = "id";
const _j = "job";
const _jA = "jobArn";
const _jERC = "jobExecutionsRolloutConfig";
const _jERCo = "jobExecutionsRetryConfig";
const _jES = "jobExecutionSummary";
const _jI = "jobId";
const _jPD = "jobProcessDetails";
const _jT = "jobTemplates";
const _jTA = "jobTemplateArn";
const _jTI = "jobTemplateId";
const _jo = "jobs";
const _k = "kinesis";
const _kAD = "keepAliveDuration";
const _kARA = "kmsAccessRoleArn";
const _kKA = "kmsKeyArn";
const _kP = "keyPair";
const _kV = "keyValue";
const _ka = "kafka";
const _ke = "key";
const _l = "lambda";
const _lD = "logDestination";
const _lFA = "lambdaFunctionArn";
const _lGN = "logGroupName";
const _lL = "logLevel";
const _lMD = "lastModifiedDate";
const _lMRD = "lastModelRefreshDate";
const _lOP = "loggingOptionsPayload";
const _lSA = "listSuppressedAlerts";
const _lSCD = "lastStatusChangeDate";
const _lSF = "listSuppressedFindings";
const _lT = "logTarget";
const _lTC = "logTargetConfigurations";
const _lUA = "lastUpdatedAt";
const _lVT = "lastViolationTime";
const _lVV = "lastViolationValue";
const _la = "latitude";
const _lo = "location";
const _lon = "longitude";
const _m = "message";
const _mA = "metricArn";
const _mB = "maxBuckets";
const _mBOM = "maxBatchOpenMs";
const _mBS = "maxBatchSize";
const _mBSB = "maxBatchSizeBytes";
const _mC = "mqttContext";
const _mCV = "missingContextValues";
const _mCq = "mqtt5Configuration";
const _mD = "metricDimension";
const _mDC = "mlDetectionConfig";
const _mDL = "metricDatumList";
const _mE = "messageExpiry";
const _mEC = "metricsExportConfig";
const _mF = "messageFormat";
const _mFa = "managedFields";
const _mI = "messageId";
const _mJT = "managedJobTemplates";
const _mN = "metricNamespace";
const _mNOET = "minNumberOfExecutedThings";
const _mNe = "metricName";
const _mNet = "metricNames";
const _mP = "mandatoryParameters";
const _mPM = "maximumPerMinute";
const _mR = "maxResults";
const _mS = "modelStatus";
const _mT = "metricTimestamp";
const _mTe = "metricType";
const _mTq = "mqttTopic";
const _mU = "metricUnit";
const _mV = "metricValue";
const _mW = "maintenanceWindows";
const _ma = "max";
const _mar = "marker";
const _max = "maximum";
const _me = "merge";
const _met = "metric";
const _mi = "min";
const _min = "minimum";
const _n = "name";
const _nA = "notAfter";
const _nARS = "newAutoRegistrationStatus";
const _nB = "notBefore";
const _nCC = "nonCompliantChecks";
const _nCR = "nonCompliantResource";
const _nCRC = "nonCompliantResourcesCount";
const _nI = "namespaceId";
const _nM = "nextMarker";
const _nOCT = "numberOfCanceledThings";
const _nOFT = "numberOfFailedThings";
const _nOIPT = "numberOfInProgressThings";
const _nONT = "numberOfNotifiedThings";
const _nOQT = "numberOfQueuedThings";
const _nOR = "numberOfRetries";
const _nORT = "numberOfRejectedThings";
const _nORTu = "numberOfRemovedThings";
const _nOST = "numberOfSucceededThings";
const _nOTOT = "numberOfTimedOutThings";
const _nPF = "namePrefixFilter";
const _nR = "numberRange";
const _nS = "newStatus";
const _nSIM = "namedShadowIndexingMode";
const _nSN = "namedShadowNames";
const _nT = "nextToken";
const _na = "namespace";
const _nu = "number";
const _num = "numbers";
const _o = "operand";
const _oARA = "ocspAuthorizedResponderArn";
const _oAVI = "onlyActiveViolationsIncluded";
const _oB = "ownedBy";
const _oC = "outgoingCertificates";
const _oDG = "overrideDynamicGroups";
const _oF = "outputFormat";
const _oIN = "offsetInNanos";
const _oLA = "ocspLambdaArn";
const _oS = "openSearch";
const _oU = "otaUpdates";
const _oUA = "otaUpdateArn";
const _oUF = "otaUpdateFiles";
const _oUI = "otaUpdateId";
const _oUIt = "otaUpdateInfo";
const _oUS = "otaUpdateStatus";
const _op = "optional";
const _ope = "operation";
const _oper = "operator";
const _or = "order";
const _org = "organization";
const _ow = "owner";
const _p = "policies";
const _pA = "packageArn";
const _pAPVE = "putAssetPropertyValueEntries";
const _pAo = "policyArn";
const _pAr = "propagatingAttributes";
const _pAro = "propertyAlias";
const _pD = "pendingDeletion";
const _pDo = "policyDocument";
const _pDol = "policyDocuments";
const _pF = "payloadField";
const _pFI = "payloadFormatIndicator";
const _pFTSP = "publishFindingToSnsParams";
const _pG = "parentGroup";
const _pGN = "parentGroupName";
const _pGNa = "parentGroupNames";
const _pI = "putItem";
const _pIr = "propertyId";
const _pIri = "principalId";
const _pK = "partitionKey";
const _pN = "packageName";
const _pNTA = "policyNamesToAdd";
const _pNTS = "policyNamesToSkip";
const _pNo = "policyName";
const _pOB = "previousOwnedBy";
const _pP = "percentageProgress";
const _pPH = "preProvisioningHook";
const _pRA = "provisioningRoleArn";
const _pS = "pageSize";
const _pSa = "packageSummaries";
const _pT = "payloadTemplate";
const _pTO = "principalThingObjects";
const _pTr = "processingTargets";
const _pUC = "presignedUrlConfig";
const _pV = "policyVersions";
const _pVA = "packageVersionArn";
const _pVI = "policyVersionId";
const _pVIo = "policyVersionIdentifier";
const _pVS = "packageVersionSummaries";
const _pVa = "payloadVersion";
const _pVr = "propertyValues";
const _pa = "payload";
const _par = "parameters";
const _part = "partition";
const _pas = "password";
const _pe = "period";
const _per = "percents";
const _perc = "percentiles";
const _perce = "percent";
const _pl = "platform";
const _po = "ports";
const _pr = "principal";
const _pre = "preprocessor";
const _pref = "prefix";
const _pri = "principals";
const _pro = "protocols";
const _q = "quality";
const _qA = "queuedAt";
const _qS = "queryString";
const _qU = "queueUrl";
const _qV = "queryVersion";
const _qo = "qos";
const _r = "republish";
const _rA = "resourceArn";
const _rAA = "roleAliasArn";
const _rAC = "removeAuthorizerConfig";
const _rAD = "roleAliasDescription";
const _rAFL = "roleArnForLogging";
const _rAIS = "refreshAfterInSeconds";
const _rAR = "removeAutoRegistration";
const _rAe = "retryAttempt";
const _rAes = "resourceArns";
const _rAo = "roleArn";
const _rAol = "roleAlias";
const _rAole = "roleAliases";
const _rAu = "ruleArn";
const _rC = "reasonCode";
const _rCe = "registrationConfig";
const _rCeg = "registrationCode";
const _rD = "ruleDisabled";
const _rDPVP = "replaceDefaultPolicyVersionParams";
const _rDe = "reasonDescription";
const _rDej = "rejectDate";
const _rFNC = "reasonForNonCompliance";
const _rFNCC = "reasonForNonComplianceCode";
const _rI = "resourceId";
const _rIC = "rateIncreaseCriteria";
const _rIe = "resourceIdentifier";
const _rKF = "rangeKeyField";
const _rKT = "rangeKeyType";
const _rKV = "rangeKeyValue";
const _rL = "resourceLinks";
const _rN = "ruleName";
const _rPPH = "removePreProvisioningHook";
const _rR = "relatedResources";
const _rRe = "rejectReason";
const _rT = "reportType";
const _rTPTG = "rootToParentThingGroups";
const _rTT = "removeThingType";
const _rTe = "responseTopic";
const _rTes = "resourceType";
const _re = "resources";
const _rec = "recipe";
const _recu = "recursive";
const _reg = "regex";
const _res = "result";
const _ru = "rule";
const _rul = "rules";
const _s = "smithy.ts.sdk.synthetic.com.amazonaws.iot";
const _sA = "suppressAlerts";
const _sAA = "setAsActive";
const _sAAc = "scheduledAuditArn";
const _sAD = "setAsDefault";
const _sAI = "suppressedAlertsIncluded";
const _sAN = "scheduledAuditName";
const _sAc = "scheduledAudits";
const _sAe = "searchableAttributes";
const _sAi = "signatureAlgorithm";
const _sAt = "startedAt";
const _sAtr = "streamArn";
const _sC = "schedulingConfig";
const _sCA = "serverCertificateArns";
const _sCAe = "serverCertificateArn";
const _sCC = "serverCertificateConfig";
const _sCS = "serverCertificateStatus";
const _sCSD = "serverCertificateStatusDetail";
const _sCe = "serverCertificates";
const _sCt = "statusCode";
const _sCu = "successCount";
const _sD = "signingDisabled";
const _sDe = "s3Destination";
const _sDt = "statusDetails";
const _sDtd = "stdDeviation";
const _sE = "sessionExpiry";
const _sF = "stepFunctions";
const _sFC = "succeededFindingsCount";
const _sFCk = "skippedFindingsCount";
const _sG = "securityGroups";
const _sI = "suppressIndefinitely";
const _sIe = "secretId";
const _sIo = "sourceIp";
const _sIt = "streamId";
const _sItr = "streamInfo";
const _sIu = "subnetIds";
const _sJR = "scheduledJobRollouts";
const _sK = "secretKey";
const _sL = "s3Location";
const _sMN = "stateMachineName";
const _sN = "streamName";
const _sNCRC = "suppressedNonCompliantResourcesCount";
const _sNe = "serviceName";
const _sNer = "serverName";
const _sO = "sortOrder";
const _sOS = "sumOfSquares";
const _sP = "sourcePort";
const _sPA = "securityProfileArn";
const _sPD = "securityProfileDescription";
const _sPI = "securityProfileIdentifiers";
const _sPIe = "securityProfileIdentifier";
const _sPN = "securityProfileName";
const _sPNi = "signingProfileName";
const _sPP = "signingProfileParameter";
const _sPT = "securityProfileTargets";
const _sPTA = "securityProfileTargetArn";
const _sPTM = "securityProfileTargetMappings";
const _sPe = "securityPolicy";
const _sR = "stateReason";
const _sRi = "signingRegion";
const _sRt = "statusReason";
const _sSJP = "startSigningJobParameter";
const _sT = "startTime";
const _sTF = "startedTimeFilter";
const _sTe = "serviceType";
const _sTec = "secretType";
const _sTt = "statisticalThreshold";
const _sV = "stateValue";
const _sVS = "sbomValidationStatus";
const _sVt = "stringValues";
const _sVtr = "streamVersion";
const _sVtri = "stringValue";
const _s_ = "s3";
const _sa = "salesforce";
const _sb = "sbom";
const _sc = "schema";
const _se = "server";
const _sep = "separator";
const _sev = "severity";
const _sh = "shadow";
const _si = "signature";
const _sig = "sigv4";
const _sn = "sns";
const _sq = "sqs";
const _sql = "sql";
const _st = "status";
const _sta = "statistics";
const _stat = "statistic";
const _str = "string";
const _stre = "stream";
const _strea = "streams";
const _stri = "strings";
const _su = "summaries";
const _sum = "sum";
const _sup = "suppressions";
const _t = "timestream";
const _tA = "thingArn";
const _tAA = "targetAwsAccount";
const _tAa = "targetArn";
const _tAe = "termsAggregation";
const _tAem = "templateArn";
const _tAh = "thingAttribute";
const _tAo = "topicArn";
const _tB = "templateBody";
const _tC = "tlsConfig";
const _tCA = "transferredCertificateArn";
const _tCIM = "thingConnectivityIndexingMode";
const _tCN = "targetCheckNames";
const _tCi = "timeoutConfig";
const _tCl = "tlsContext";
const _tCo = "totalCount";
const _tCot = "totalChecks";
const _tD = "transferData";
const _tDCSD = "trainingDataCollectionStartDate";
const _tDr = "transferDate";
const _tET = "taskEndTime";
const _tFC = "totalFindingsCount";
const _tG = "thingGroups";
const _tGA = "thingGroupArn";
const _tGD = "thingGroupDescription";
const _tGI = "thingGroupId";
const _tGIC = "thingGroupIndexingConfiguration";
const _tGIM = "thingGroupIndexingMode";
const _tGM = "thingGroupMetadata";
const _tGN = "thingGroupNames";
const _tGNh = "thingGroupName";
const _tGP = "thingGroupProperties";
const _tGTA = "thingGroupsToAdd";
const _tGTR = "thingGroupsToRemove";
const _tI = "taskId";
const _tIC = "thingIndexingConfiguration";
const _tIM = "thingIndexingMode";
const _tIS = "timeInSeconds";
const _tIa = "targetIp";
const _tIas = "taskIds";
const _tIh = "thingId";
const _tK = "tagKeys";
const _tKN = "tokenKeyName";
const _tM = "transferMessage";
const _tN = "thingName";
const _tNa = "targetName";
const _tNab = "tableName";
const _tNe = "templateName";
const _tNr = "trackerName";
const _tP = "thresholdPercentage";
const _tPO = "thingPrincipalObjects";
const _tPT = "thingPrincipalType";
const _tPa = "targetPort";
const _tPo = "topicPattern";
const _tRC = "totalResourcesCount";
const _tRD = "topicRuleDestination";
const _tRP = "topicRulePayload";
const _tS = "taskStatus";
const _tSPK = "tokenSigningPublicKeys";
const _tST = "taskStartTime";
const _tSa = "targetSelection";
const _tSas = "taskStatistics";
const _tSask = "taskSummary";
const _tSo = "tokenSignature";
const _tT = "taskType";
const _tTA = "thingTypeArn";
const _tTD = "thingTypeDescription";
const _tTI = "thingTypeId";
const _tTL = "timeToLive";
const _tTM = "thingTypeMetadata";
const _tTN = "thingTypeName";
const _tTP = "thingTypeProperties";
const _tTa = "targetType";
const _tTh = "thingTypes";
const _tTr = "transferredTo";
const _tU = "timestampUnit";
const _tV = "templateVersion";
const _ta = "targets";
const _tag = "tags";
const _tar = "target";
const _tas = "tasks";
const _te = "templates";
const _th = "things";
const _ti = "timestamp";
const _to = "topic";
const _tok = "token";
const _ty = "type";
const _u = "unit";
const _uB = "useBase64";
const _uCACP = "updateCACertificateParams";
const _uD = "undoDeprecate";
const _uDCP = "updateDeviceCertificateParams";
const _uDV = "unsetDefaultVersion";
const _uP = "userProperties";
const _uPAV = "usePrefixAttributeValue";
const _uPK = "userPropertyKey";
const _ur = "url";
const _us = "username";
const _v = "values";
const _vC = "valueConditions";
const _vCA = "validationCertificateArn";
const _vCe = "verificationCertificate";
const _vCp = "vpcConfiguration";
const _vDS = "vpcDestinationSummary";
const _vE = "violationEvents";
const _vEAI = "violationEventAdditionalInfo";
const _vEI = "vpcEndpointId";
const _vEOR = "violationEventOccurrenceRange";
const _vET = "violationEventType";
const _vETi = "violationEventTime";
const _vEa = "validationErrors";
const _vI = "violationId";
const _vIe = "versionId";
const _vIi = "violationIds";
const _vIp = "vpcId";
const _vN = "versionName";
const _vNe = "versionNumber";
const _vP = "vpcProperties";
const _vR = "validationResult";
const _vRS = "validationResultSummaries";
const _vS = "verificationState";
const _vSD = "verificationStateDescription";
const _vST = "violationStartTime";
const _vUBJC = "versionUpdateByJobsConfig";
const _va = "value";
const _val = "validity";
const _vali = "valid";
const _var = "variance";
const _ve = "version";
const _ver = "verbose";
const _vers = "versions";
const _wFDCC = "waitingForDataCollectionChecks";
const _xaip = "x-amzn-iot-principal";
const _xaip_ = "x-amzn-iot-policy";
const _xap = "x-amzn-principal";
const _xat = "x-amz-tagging";
const n0 = "com.amazonaws.iot";
const _s_registry = new TypeRegistry(_s);
var IoTServiceException$ = [-3, _s, "IoTServiceException", 0, [], []];
_s_registry.registerError(IoTServiceException$, IoTServiceException);
const n0_registry = new TypeRegistry(n0);
var CertificateConflictException$ = [-3, n0, _CCE,
    { [_e]: _c, [_hE]: 409 },
    [_m],
    [0]
];
n0_registry.registerError(CertificateConflictException$, CertificateConflictException);
var CertificateStateException$ = [-3, n0, _CSE,
    { [_e]: _c, [_hE]: 406 },
    [_m],
    [0]
];
n0_registry.registerError(CertificateStateException$, CertificateStateException);
var CertificateValidationException$ = [-3, n0, _CVE,
    { [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(CertificateValidationException$, CertificateValidationException);
var ConflictException$ = [-3, n0, _CE,
    { [_e]: _c, [_hE]: 409 },
    [_m, _rI],
    [0, 0]
];
n0_registry.registerError(ConflictException$, ConflictException);
var ConflictingResourceUpdateException$ = [-3, n0, _CRUE,
    { [_e]: _c, [_hE]: 409 },
    [_m],
    [0]
];
n0_registry.registerError(ConflictingResourceUpdateException$, ConflictingResourceUpdateException);
var DeleteConflictException$ = [-3, n0, _DCE,
    { [_e]: _c, [_hE]: 409 },
    [_m],
    [0]
];
n0_registry.registerError(DeleteConflictException$, DeleteConflictException);
var IndexNotReadyException$ = [-3, n0, _INRE,
    { [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(IndexNotReadyException$, IndexNotReadyException);
var InternalException$ = [-3, n0, _IE,
    { [_e]: _se, [_hE]: 500 },
    [_m],
    [0]
];
n0_registry.registerError(InternalException$, InternalException);
var InternalFailureException$ = [-3, n0, _IFE,
    { [_e]: _se, [_hE]: 500 },
    [_m],
    [0]
];
n0_registry.registerError(InternalFailureException$, InternalFailureException);
var InternalServerException$ = [-3, n0, _ISE,
    { [_e]: _se, [_hE]: 500 },
    [_m],
    [0]
];
n0_registry.registerError(InternalServerException$, InternalServerException);
var InvalidAggregationException$ = [-3, n0, _IAE,
    { [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidAggregationException$, InvalidAggregationException);
var InvalidQueryException$ = [-3, n0, _IQE,
    { [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidQueryException$, InvalidQueryException);
var InvalidRequestException$ = [-3, n0, _IRE,
    { [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidRequestException$, InvalidRequestException);
var InvalidResponseException$ = [-3, n0, _IREn,
    { [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidResponseException$, InvalidResponseException);
var InvalidStateTransitionException$ = [-3, n0, _ISTE,
    { [_e]: _c, [_hE]: 409 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidStateTransitionException$, InvalidStateTransitionException);
var LimitExceededException$ = [-3, n0, _LEE,
    { [_e]: _c, [_hE]: 410 },
    [_m],
    [0]
];
n0_registry.registerError(LimitExceededException$, LimitExceededException);
var MalformedPolicyException$ = [-3, n0, _MPE,
    { [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(MalformedPolicyException$, MalformedPolicyException);
var NotConfiguredException$ = [-3, n0, _NCE,
    { [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(NotConfiguredException$, NotConfiguredException);
var RegistrationCodeValidationException$ = [-3, n0, _RCVE,
    { [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(RegistrationCodeValidationException$, RegistrationCodeValidationException);
var ResourceAlreadyExistsException$ = [-3, n0, _RAEE,
    { [_e]: _c, [_hE]: 409 },
    [_m, _rI, _rA],
    [0, 0, 0]
];
n0_registry.registerError(ResourceAlreadyExistsException$, ResourceAlreadyExistsException);
var ResourceNotFoundException$ = [-3, n0, _RNFE,
    { [_e]: _c, [_hE]: 404 },
    [_m],
    [0]
];
n0_registry.registerError(ResourceNotFoundException$, ResourceNotFoundException);
var ResourceRegistrationFailureException$ = [-3, n0, _RRFE,
    { [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(ResourceRegistrationFailureException$, ResourceRegistrationFailureException);
var ServiceQuotaExceededException$ = [-3, n0, _SQEE,
    { [_e]: _c, [_hE]: 402 },
    [_m],
    [0]
];
n0_registry.registerError(ServiceQuotaExceededException$, ServiceQuotaExceededException);
var ServiceUnavailableException$ = [-3, n0, _SUE,
    { [_e]: _se, [_hE]: 503 },
    [_m],
    [0]
];
n0_registry.registerError(ServiceUnavailableException$, ServiceUnavailableException);
var SqlParseException$ = [-3, n0, _SPE,
    { [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(SqlParseException$, SqlParseException);
var TaskAlreadyExistsException$ = [-3, n0, _TAEE,
    { [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(TaskAlreadyExistsException$, TaskAlreadyExistsException);
var ThrottlingException$ = [-3, n0, _TE,
    { [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(ThrottlingException$, ThrottlingException);
var TransferAlreadyCompletedException$ = [-3, n0, _TACE,
    { [_e]: _c, [_hE]: 410 },
    [_m],
    [0]
];
n0_registry.registerError(TransferAlreadyCompletedException$, TransferAlreadyCompletedException);
var TransferConflictException$ = [-3, n0, _TCE,
    { [_e]: _c, [_hE]: 409 },
    [_m],
    [0]
];
n0_registry.registerError(TransferConflictException$, TransferConflictException);
var UnauthorizedException$ = [-3, n0, _UE,
    { [_e]: _c, [_hE]: 401 },
    [_m],
    [0]
];
n0_registry.registerError(UnauthorizedException$, UnauthorizedException);
var ValidationException$ = [-3, n0, _VE,
    { [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(ValidationException$, ValidationException);
var VersionConflictException$ = [-3, n0, _VCE,
    { [_e]: _c, [_hE]: 409 },
    [_m],
    [0]
];
n0_registry.registerError(VersionConflictException$, VersionConflictException);
var VersionsLimitExceededException$ = [-3, n0, _VLEE,
    { [_e]: _c, [_hE]: 409 },
    [_m],
    [0]
];
n0_registry.registerError(VersionsLimitExceededException$, VersionsLimitExceededException);
const errorTypeRegistries = [
    _s_registry,
    n0_registry,
];
var ConnectivityApiThingName = [0, n0, _CATN, 8, 0];
var PackageVersionRecipe = [0, n0, _PVR, 8, 0];
var PrivateKey = [0, n0, _PK, 8, 0];
var ResourceDescription = [0, n0, _RD, 8, 0];
var SourceIp = [0, n0, _SI, 8, 0];
var SourcePort = [0, n0, _SP, 8, 1];
var TargetIp = [0, n0, _TI, 8, 0];
var TargetPort = [0, n0, _TP, 8, 1];
var VpcEndpointId = [0, n0, _VEI, 8, 0];
var AbortConfig$ = [3, n0, _AC,
    0,
    [_cL],
    [() => AbortCriteriaList], 1
];
var AbortCriteria$ = [3, n0, _ACb,
    0,
    [_fT, _a, _tP, _mNOET],
    [0, 0, 1, 1], 4
];
var AcceptCertificateTransferRequest$ = [3, n0, _ACTR,
    0,
    [_cI, _sAA],
    [[0, 1], [2, { [_hQ]: _sAA }]], 1
];
var Action$ = [3, n0, _A,
    0,
    [_dDB, _dDBy, _l, _sn, _sq, _k, _r, _s_, _f, _cM, _cA, _cLl, _el, _sa, _iA, _iE, _iSW, _sF, _t, _h, _ka, _oS, _lo, _iDB],
    [() => DynamoDBAction$, () => DynamoDBv2Action$, () => LambdaAction$, () => SnsAction$, () => SqsAction$, () => KinesisAction$, () => RepublishAction$, () => S3Action$, () => FirehoseAction$, () => CloudwatchMetricAction$, () => CloudwatchAlarmAction$, () => CloudwatchLogsAction$, () => ElasticsearchAction$, () => SalesforceAction$, () => IotAnalyticsAction$, () => IotEventsAction$, () => IotSiteWiseAction$, () => StepFunctionsAction$, () => TimestreamAction$, () => HttpAction$, () => KafkaAction$, () => OpenSearchAction$, () => LocationAction$, () => InfluxDBAction$]
];
var ActiveViolation$ = [3, n0, _AV,
    0,
    [_vI, _tN, _sPN, _b, _lVV, _vEAI, _vS, _vSD, _lVT, _vST],
    [0, 0, 0, () => Behavior$, () => MetricValue$, () => ViolationEventAdditionalInfo$, 0, 0, 4, 4]
];
var AddThingsToThingGroupParams$ = [3, n0, _ATTTGP,
    0,
    [_tGN, _oDG],
    [64 | 0, 2], 1
];
var AddThingToBillingGroupRequest$ = [3, n0, _ATTBGR,
    0,
    [_bGN, _bGA, _tN, _tA],
    [0, 0, 0, 0]
];
var AddThingToBillingGroupResponse$ = [3, n0, _ATTBGRd,
    0,
    [],
    []
];
var AddThingToThingGroupRequest$ = [3, n0, _ATTTGR,
    0,
    [_tGNh, _tGA, _tN, _tA, _oDG],
    [0, 0, 0, 0, 2]
];
var AddThingToThingGroupResponse$ = [3, n0, _ATTTGRd,
    0,
    [],
    []
];
var AggregationType$ = [3, n0, _AT,
    0,
    [_n, _v],
    [0, 64 | 0], 1
];
var AlertTarget$ = [3, n0, _ATl,
    0,
    [_aTA, _rAo],
    [0, 0], 2
];
var Allowed$ = [3, n0, _Al,
    0,
    [_p],
    [() => Policies]
];
var AssetPropertyTimestamp$ = [3, n0, _APT,
    0,
    [_tIS, _oIN],
    [0, 0], 1
];
var AssetPropertyValue$ = [3, n0, _APV,
    0,
    [_va, _ti, _q],
    [() => AssetPropertyVariant$, () => AssetPropertyTimestamp$, 0], 2
];
var AssociateSbomWithPackageVersionRequest$ = [3, n0, _ASWPVR,
    0,
    [_pN, _vN, _sb, _cT],
    [[0, 1], [0, 1], () => Sbom$, [0, { [_hQ]: _cT, [_iT]: 1 }]], 3
];
var AssociateSbomWithPackageVersionResponse$ = [3, n0, _ASWPVRs,
    0,
    [_pN, _vN, _sb, _sVS],
    [0, 0, () => Sbom$, 0]
];
var AssociateTargetsWithJobRequest$ = [3, n0, _ATWJR,
    0,
    [_ta, _jI, _co, _nI],
    [64 | 0, [0, 1], 0, [0, { [_hQ]: _nI }]], 2
];
var AssociateTargetsWithJobResponse$ = [3, n0, _ATWJRs,
    0,
    [_jA, _jI, _d],
    [0, 0, 0]
];
var AttachPolicyRequest$ = [3, n0, _APR,
    0,
    [_pNo, _tar],
    [[0, 1], 0], 2
];
var AttachPrincipalPolicyRequest$ = [3, n0, _APPR,
    0,
    [_pNo, _pr],
    [[0, 1], [0, { [_hH]: _xaip }]], 2
];
var AttachSecurityProfileRequest$ = [3, n0, _ASPR,
    0,
    [_sPN, _sPTA],
    [[0, 1], [0, { [_hQ]: _sPTA }]], 2
];
var AttachSecurityProfileResponse$ = [3, n0, _ASPRt,
    0,
    [],
    []
];
var AttachThingPrincipalRequest$ = [3, n0, _ATPR,
    0,
    [_tN, _pr, _tPT],
    [[0, 1], [0, { [_hH]: _xap }], [0, { [_hQ]: _tPT }]], 2
];
var AttachThingPrincipalResponse$ = [3, n0, _ATPRt,
    0,
    [],
    []
];
var AttributePayload$ = [3, n0, _AP,
    0,
    [_at, _me],
    [128 | 0, 2]
];
var AuditCheckConfiguration$ = [3, n0, _ACC,
    0,
    [_en, _con],
    [2, 128 | 0]
];
var AuditCheckDetails$ = [3, n0, _ACD,
    0,
    [_cRS, _cC, _tRC, _nCRC, _sNCRC, _eC, _m],
    [0, 2, 1, 1, 1, 0, 0]
];
var AuditFinding$ = [3, n0, _AF,
    0,
    [_fI, _tI, _cN, _tST, _fTi, _sev, _nCR, _rR, _rFNC, _rFNCC, _iS],
    [0, 0, 0, 4, 4, 0, () => NonCompliantResource$, () => RelatedResources, 0, 0, 2]
];
var AuditMitigationActionExecutionMetadata$ = [3, n0, _AMAEM,
    0,
    [_tI, _fI, _aN, _aI, _st, _sT, _eT, _eC, _m],
    [0, 0, 0, 0, 0, 4, 4, 0, 0]
];
var AuditMitigationActionsTaskMetadata$ = [3, n0, _AMATM,
    0,
    [_tI, _sT, _tS],
    [0, 4, 0]
];
var AuditMitigationActionsTaskTarget$ = [3, n0, _AMATT,
    0,
    [_aTI, _fIi, _aCTRCF],
    [0, 64 | 0, [2, n0, _ACTRCF, 0, 0, 64 | 0]]
];
var AuditNotificationTarget$ = [3, n0, _ANT,
    0,
    [_tAa, _rAo, _en],
    [0, 0, 2]
];
var AuditSuppression$ = [3, n0, _AS,
    0,
    [_cN, _rIe, _eD, _sI, _d],
    [0, () => ResourceIdentifier$, 4, 2, 0], 2
];
var AuditTaskMetadata$ = [3, n0, _ATM,
    0,
    [_tI, _tS, _tT],
    [0, 0, 0]
];
var AuthInfo$ = [3, n0, _AI,
    0,
    [_re, _aT],
    [64 | 0, 0], 1
];
var AuthorizerConfig$ = [3, n0, _ACu,
    0,
    [_dAN, _aAO],
    [0, 2]
];
var AuthorizerDescription$ = [3, n0, _AD,
    0,
    [_aNu, _aA, _aFA, _tKN, _tSPK, _st, _cD, _lMD, _sD, _eCFH],
    [0, 0, 0, 0, 128 | 0, 0, 4, 4, 2, 2]
];
var AuthorizerSummary$ = [3, n0, _ASu,
    0,
    [_aNu, _aA],
    [0, 0]
];
var AuthResult$ = [3, n0, _AR,
    0,
    [_aIu, _al, _de, _aD, _mCV],
    [() => AuthInfo$, () => Allowed$, () => Denied$, 0, 64 | 0]
];
var AwsJobAbortConfig$ = [3, n0, _AJAC,
    0,
    [_aCL],
    [() => AwsJobAbortCriteriaList], 1
];
var AwsJobAbortCriteria$ = [3, n0, _AJACw,
    0,
    [_fT, _a, _tP, _mNOET],
    [0, 0, 1, 1], 4
];
var AwsJobExecutionsRolloutConfig$ = [3, n0, _AJERC,
    0,
    [_mPM, _eR],
    [1, () => AwsJobExponentialRolloutRate$]
];
var AwsJobExponentialRolloutRate$ = [3, n0, _AJERR,
    0,
    [_bRPM, _iF, _rIC],
    [1, 1, () => AwsJobRateIncreaseCriteria$], 3
];
var AwsJobPresignedUrlConfig$ = [3, n0, _AJPUC,
    0,
    [_eIS],
    [1]
];
var AwsJobRateIncreaseCriteria$ = [3, n0, _AJRIC,
    0,
    [_nONT, _nOST],
    [1, 1]
];
var AwsJobTimeoutConfig$ = [3, n0, _AJTC,
    0,
    [_iPTIM],
    [1]
];
var AwsJsonSubstitutionCommandPreprocessorConfig$ = [3, n0, _AJSCPC,
    0,
    [_oF],
    [0], 1
];
var BatchConfig$ = [3, n0, _BC,
    0,
    [_mBOM, _mBS, _mBSB, _bAT],
    [1, 1, 1, 2]
];
var Behavior$ = [3, n0, _B,
    0,
    [_n, _met, _mD, _cr, _sA, _eM],
    [0, 0, () => MetricDimension$, () => BehaviorCriteria$, 2, 2], 1
];
var BehaviorCriteria$ = [3, n0, _BCe,
    0,
    [_cO, _va, _dS, _cDTA, _cDTC, _sTt, _mDC],
    [0, () => MetricValue$, 1, 1, 1, () => StatisticalThreshold$, () => MachineLearningDetectionConfig$]
];
var BehaviorModelTrainingSummary$ = [3, n0, _BMTS,
    0,
    [_sPN, _bN, _tDCSD, _mS, _dCP, _lMRD],
    [0, 0, 4, 0, 1, 4]
];
var BillingGroupMetadata$ = [3, n0, _BGM,
    0,
    [_cD],
    [4]
];
var BillingGroupProperties$ = [3, n0, _BGP,
    0,
    [_bGD],
    [0]
];
var Bucket$ = [3, n0, _Bu,
    0,
    [_kV, _cou],
    [0, 1]
];
var BucketsAggregationType$ = [3, n0, _BAT,
    0,
    [_tAe],
    [() => TermsAggregation$]
];
var CACertificate$ = [3, n0, _CAC,
    0,
    [_cAe, _cI, _st, _cD],
    [0, 0, 0, 4]
];
var CACertificateDescription$ = [3, n0, _CACD,
    0,
    [_cAe, _cI, _st, _cP, _oB, _cD, _aRS, _lMD, _cV, _gI, _val, _cMe],
    [0, 0, 0, 0, 0, 4, 0, 4, 1, 0, () => CertificateValidity$, 0]
];
var CancelAuditMitigationActionsTaskRequest$ = [3, n0, _CAMATR,
    0,
    [_tI],
    [[0, 1]], 1
];
var CancelAuditMitigationActionsTaskResponse$ = [3, n0, _CAMATRa,
    0,
    [],
    []
];
var CancelAuditTaskRequest$ = [3, n0, _CATR,
    0,
    [_tI],
    [[0, 1]], 1
];
var CancelAuditTaskResponse$ = [3, n0, _CATRa,
    0,
    [],
    []
];
var CancelCertificateTransferRequest$ = [3, n0, _CCTR,
    0,
    [_cI],
    [[0, 1]], 1
];
var CancelDetectMitigationActionsTaskRequest$ = [3, n0, _CDMATR,
    0,
    [_tI],
    [[0, 1]], 1
];
var CancelDetectMitigationActionsTaskResponse$ = [3, n0, _CDMATRa,
    0,
    [],
    []
];
var CancelJobExecutionRequest$ = [3, n0, _CJER,
    0,
    [_jI, _tN, _fo, _eV, _sDt],
    [[0, 1], [0, 1], [2, { [_hQ]: _fo }], 1, 128 | 0], 2
];
var CancelJobRequest$ = [3, n0, _CJR,
    0,
    [_jI, _rC, _co, _fo],
    [[0, 1], 0, 0, [2, { [_hQ]: _fo }]], 1
];
var CancelJobResponse$ = [3, n0, _CJRa,
    0,
    [_jA, _jI, _d],
    [0, 0, 0]
];
var Certificate$ = [3, n0, _C,
    0,
    [_cAe, _cI, _st, _cMe, _cD],
    [0, 0, 0, 0, 4]
];
var CertificateDescription$ = [3, n0, _CD,
    0,
    [_cAe, _cI, _cCI, _st, _cP, _oB, _pOB, _cD, _lMD, _cV, _tD, _gI, _val, _cMe],
    [0, 0, 0, 0, 0, 0, 0, 4, 4, 1, () => TransferData$, 0, () => CertificateValidity$, 0]
];
var CertificateProviderSummary$ = [3, n0, _CPS,
    0,
    [_cPN, _cPA],
    [0, 0]
];
var CertificateValidity$ = [3, n0, _CV,
    0,
    [_nB, _nA],
    [4, 4]
];
var ClearDefaultAuthorizerRequest$ = [3, n0, _CDAR,
    0,
    [],
    []
];
var ClearDefaultAuthorizerResponse$ = [3, n0, _CDARl,
    0,
    [],
    []
];
var ClientCertificateConfig$ = [3, n0, _CCC,
    0,
    [_cCCA],
    [0]
];
var CloudwatchAlarmAction$ = [3, n0, _CAA,
    0,
    [_rAo, _aNl, _sR, _sV],
    [0, 0, 0, 0], 4
];
var CloudwatchLogsAction$ = [3, n0, _CLA,
    0,
    [_rAo, _lGN, _bM],
    [0, 0, 2], 2
];
var CloudwatchMetricAction$ = [3, n0, _CMA,
    0,
    [_rAo, _mN, _mNe, _mV, _mU, _mT],
    [0, 0, 0, 0, 0, 0], 5
];
var CodeSigning$ = [3, n0, _CS,
    0,
    [_aSJI, _sSJP, _cCS],
    [0, () => StartSigningJobParameter$, () => CustomCodeSigning$]
];
var CodeSigningCertificateChain$ = [3, n0, _CSCC,
    0,
    [_cNe, _iD],
    [0, 0]
];
var CodeSigningSignature$ = [3, n0, _CSS,
    0,
    [_iD],
    [21]
];
var CommandExecutionResult$ = [3, n0, _CER,
    0,
    [_S, _B_, _BIN],
    [0, 2, 21]
];
var CommandExecutionSummary$ = [3, n0, _CES,
    0,
    [_cAo, _eI, _tAa, _st, _cAr, _sAt, _cAom],
    [0, 0, 0, 0, 4, 4, 4]
];
var CommandParameter$ = [3, n0, _CP,
    0,
    [_n, _ty, _va, _dV, _vC, _d],
    [0, 0, () => CommandParameterValue$, () => CommandParameterValue$, () => CommandParameterValueConditionList, 0], 1
];
var CommandParameterValue$ = [3, n0, _CPV,
    0,
    [_S, _B_, _I, _L, _D, _BIN, _UL],
    [0, 2, 1, 1, 1, 21, 0]
];
var CommandParameterValueComparisonOperand$ = [3, n0, _CPVCO,
    0,
    [_nu, _num, _str, _stri, _nR],
    [0, 64 | 0, 0, 64 | 0, () => CommandParameterValueNumberRange$]
];
var CommandParameterValueCondition$ = [3, n0, _CPVC,
    0,
    [_cO, _o],
    [0, () => CommandParameterValueComparisonOperand$], 2
];
var CommandParameterValueNumberRange$ = [3, n0, _CPVNR,
    0,
    [_mi, _ma],
    [0, 0], 2
];
var CommandPayload$ = [3, n0, _CPo,
    0,
    [_cont, _cTo],
    [21, 0]
];
var CommandPreprocessor$ = [3, n0, _CPom,
    0,
    [_aJS],
    [() => AwsJsonSubstitutionCommandPreprocessorConfig$]
];
var CommandSummary$ = [3, n0, _CSo,
    0,
    [_cAo, _cIo, _dN, _dep, _cAr, _lUA, _pD],
    [0, 0, 0, 2, 4, 4, 2]
];
var Configuration$ = [3, n0, _Co,
    0,
    [_E],
    [2]
];
var ConfigurationDetails$ = [3, n0, _CDo,
    0,
    [_cS, _eC, _eMr],
    [0, 0, 0]
];
var ConfirmTopicRuleDestinationRequest$ = [3, n0, _CTRDR,
    0,
    [_cTon],
    [[0, 1]], 1
];
var ConfirmTopicRuleDestinationResponse$ = [3, n0, _CTRDRo,
    0,
    [],
    []
];
var ConnectivityFilter$ = [3, n0, _CF,
    0,
    [_iSI],
    [64 | 0]
];
var CreateAuditSuppressionRequest$ = [3, n0, _CASR,
    0,
    [_cN, _rIe, _eD, _sI, _d, _cRT],
    [0, () => ResourceIdentifier$, 4, 2, 0, [0, 4]], 2
];
var CreateAuditSuppressionResponse$ = [3, n0, _CASRr,
    0,
    [],
    []
];
var CreateAuthorizerRequest$ = [3, n0, _CAR,
    0,
    [_aNu, _aFA, _tKN, _tSPK, _st, _tag, _sD, _eCFH],
    [[0, 1], 0, 0, 128 | 0, 0, () => TagList, 2, 2], 2
];
var CreateAuthorizerResponse$ = [3, n0, _CARr,
    0,
    [_aNu, _aA],
    [0, 0]
];
var CreateBillingGroupRequest$ = [3, n0, _CBGR,
    0,
    [_bGN, _bGP, _tag],
    [[0, 1], () => BillingGroupProperties$, () => TagList], 1
];
var CreateBillingGroupResponse$ = [3, n0, _CBGRr,
    0,
    [_bGN, _bGA, _bGI],
    [0, 0, 0]
];
var CreateCertificateFromCsrRequest$ = [3, n0, _CCFCR,
    0,
    [_cSR, _sAA],
    [0, [2, { [_hQ]: _sAA }]], 1
];
var CreateCertificateFromCsrResponse$ = [3, n0, _CCFCRr,
    0,
    [_cAe, _cI, _cP],
    [0, 0, 0]
];
var CreateCertificateProviderRequest$ = [3, n0, _CCPR,
    0,
    [_cPN, _lFA, _aDFO, _cT, _tag],
    [[0, 1], 0, 64 | 0, [0, 4], () => TagList], 3
];
var CreateCertificateProviderResponse$ = [3, n0, _CCPRr,
    0,
    [_cPN, _cPA],
    [0, 0]
];
var CreateCommandRequest$ = [3, n0, _CCR,
    0,
    [_cIo, _na, _dN, _d, _pa, _pT, _pre, _mP, _rAo, _tag],
    [[0, 1], 0, 0, 0, () => CommandPayload$, 0, () => CommandPreprocessor$, () => CommandParameterList, 0, () => TagList], 1
];
var CreateCommandResponse$ = [3, n0, _CCRr,
    0,
    [_cIo, _cAo],
    [0, 0]
];
var CreateCustomMetricRequest$ = [3, n0, _CCMR,
    0,
    [_mNe, _mTe, _dN, _tag, _cRT],
    [[0, 1], 0, 0, () => TagList, [0, 4]], 2
];
var CreateCustomMetricResponse$ = [3, n0, _CCMRr,
    0,
    [_mNe, _mA],
    [0, 0]
];
var CreateDimensionRequest$ = [3, n0, _CDR,
    0,
    [_n, _ty, _sVt, _tag, _cRT],
    [[0, 1], 0, 64 | 0, () => TagList, [0, 4]], 3
];
var CreateDimensionResponse$ = [3, n0, _CDRr,
    0,
    [_n, _ar],
    [0, 0]
];
var CreateDomainConfigurationRequest$ = [3, n0, _CDCR,
    0,
    [_dCN, _dNo, _sCA, _vCA, _aC, _sTe, _tag, _tC, _sCC, _aTu, _aP, _cCC],
    [[0, 1], 0, 64 | 0, 0, () => AuthorizerConfig$, 0, () => TagList, () => TlsConfig$, () => ServerCertificateConfig$, 0, 0, () => ClientCertificateConfig$], 1
];
var CreateDomainConfigurationResponse$ = [3, n0, _CDCRr,
    0,
    [_dCN, _dCA],
    [0, 0]
];
var CreateDynamicThingGroupRequest$ = [3, n0, _CDTGR,
    0,
    [_tGNh, _qS, _tGP, _iN, _qV, _tag],
    [[0, 1], 0, () => ThingGroupProperties$, 0, 0, () => TagList], 2
];
var CreateDynamicThingGroupResponse$ = [3, n0, _CDTGRr,
    0,
    [_tGNh, _tGA, _tGI, _iN, _qS, _qV],
    [0, 0, 0, 0, 0, 0]
];
var CreateFleetMetricRequest$ = [3, n0, _CFMR,
    0,
    [_mNe, _qS, _aTg, _pe, _aF, _d, _qV, _iN, _u, _tag],
    [[0, 1], 0, () => AggregationType$, 1, 0, 0, 0, 0, 0, () => TagList], 5
];
var CreateFleetMetricResponse$ = [3, n0, _CFMRr,
    0,
    [_mNe, _mA],
    [0, 0]
];
var CreateJobRequest$ = [3, n0, _CJRr,
    0,
    [_jI, _ta, _dSo, _do, _d, _pUC, _tSa, _jERC, _aCb, _tCi, _tag, _nI, _jTA, _jERCo, _dP, _sC, _dPV],
    [[0, 1], 64 | 0, 0, 0, 0, () => PresignedUrlConfig$, 0, () => JobExecutionsRolloutConfig$, () => AbortConfig$, () => TimeoutConfig$, () => TagList, 0, 0, () => JobExecutionsRetryConfig$, 128 | 0, () => SchedulingConfig$, 64 | 0], 2
];
var CreateJobResponse$ = [3, n0, _CJRre,
    0,
    [_jA, _jI, _d],
    [0, 0, 0]
];
var CreateJobTemplateRequest$ = [3, n0, _CJTR,
    0,
    [_jTI, _d, _jA, _dSo, _do, _pUC, _jERC, _aCb, _tCi, _tag, _jERCo, _mW, _dPV],
    [[0, 1], 0, 0, 0, 0, () => PresignedUrlConfig$, () => JobExecutionsRolloutConfig$, () => AbortConfig$, () => TimeoutConfig$, () => TagList, () => JobExecutionsRetryConfig$, () => MaintenanceWindows, 64 | 0], 2
];
var CreateJobTemplateResponse$ = [3, n0, _CJTRr,
    0,
    [_jTA, _jTI],
    [0, 0]
];
var CreateKeysAndCertificateRequest$ = [3, n0, _CKACR,
    0,
    [_sAA],
    [[2, { [_hQ]: _sAA }]]
];
var CreateKeysAndCertificateResponse$ = [3, n0, _CKACRr,
    0,
    [_cAe, _cI, _cP, _kP],
    [0, 0, 0, [() => KeyPair$, 0]]
];
var CreateMitigationActionRequest$ = [3, n0, _CMAR,
    0,
    [_aN, _rAo, _aPc, _tag],
    [[0, 1], 0, () => MitigationActionParams$, () => TagList], 3
];
var CreateMitigationActionResponse$ = [3, n0, _CMARr,
    0,
    [_aAc, _aI],
    [0, 0]
];
var CreateOTAUpdateRequest$ = [3, n0, _COTAUR,
    0,
    [_oUI, _ta, _fi, _rAo, _d, _pro, _tSa, _aJERC, _aJPUC, _aJAC, _aJTC, _aPd, _tag],
    [[0, 1], 64 | 0, () => OTAUpdateFiles, 0, 0, 64 | 0, 0, () => AwsJobExecutionsRolloutConfig$, () => AwsJobPresignedUrlConfig$, () => AwsJobAbortConfig$, () => AwsJobTimeoutConfig$, 128 | 0, () => TagList], 4
];
var CreateOTAUpdateResponse$ = [3, n0, _COTAURr,
    0,
    [_oUI, _aIJI, _oUA, _aIJA, _oUS],
    [0, 0, 0, 0, 0]
];
var CreatePackageRequest$ = [3, n0, _CPR,
    0,
    [_pN, _d, _tag, _cT],
    [[0, 1], [() => ResourceDescription, 0], 128 | 0, [0, { [_hQ]: _cT, [_iT]: 1 }]], 1
];
var CreatePackageResponse$ = [3, n0, _CPRr,
    0,
    [_pN, _pA, _d],
    [0, 0, [() => ResourceDescription, 0]]
];
var CreatePackageVersionRequest$ = [3, n0, _CPVR,
    0,
    [_pN, _vN, _d, _at, _art, _rec, _tag, _cT],
    [[0, 1], [0, 1], [() => ResourceDescription, 0], [() => ResourceAttributes, 0], () => PackageVersionArtifact$, [() => PackageVersionRecipe, 0], 128 | 0, [0, { [_hQ]: _cT, [_iT]: 1 }]], 2
];
var CreatePackageVersionResponse$ = [3, n0, _CPVRr,
    0,
    [_pVA, _pN, _vN, _d, _at, _st, _eRr],
    [0, 0, 0, [() => ResourceDescription, 0], [() => ResourceAttributes, 0], 0, 0]
];
var CreatePolicyRequest$ = [3, n0, _CPRre,
    0,
    [_pNo, _pDo, _tag],
    [[0, 1], 0, () => TagList], 2
];
var CreatePolicyResponse$ = [3, n0, _CPRrea,
    0,
    [_pNo, _pAo, _pDo, _pVI],
    [0, 0, 0, 0]
];
var CreatePolicyVersionRequest$ = [3, n0, _CPVRre,
    0,
    [_pNo, _pDo, _sAD],
    [[0, 1], 0, [2, { [_hQ]: _sAD }]], 2
];
var CreatePolicyVersionResponse$ = [3, n0, _CPVRrea,
    0,
    [_pAo, _pDo, _pVI, _iDV],
    [0, 0, 0, 2]
];
var CreateProvisioningClaimRequest$ = [3, n0, _CPCR,
    0,
    [_tNe],
    [[0, 1]], 1
];
var CreateProvisioningClaimResponse$ = [3, n0, _CPCRr,
    0,
    [_cI, _cP, _kP, _ex],
    [0, 0, [() => KeyPair$, 0], 4]
];
var CreateProvisioningTemplateRequest$ = [3, n0, _CPTR,
    0,
    [_tNe, _tB, _pRA, _d, _en, _pPH, _tag, _ty],
    [0, 0, 0, 0, 2, () => ProvisioningHook$, () => TagList, 0], 3
];
var CreateProvisioningTemplateResponse$ = [3, n0, _CPTRr,
    0,
    [_tAem, _tNe, _dVI],
    [0, 0, 1]
];
var CreateProvisioningTemplateVersionRequest$ = [3, n0, _CPTVR,
    0,
    [_tNe, _tB, _sAD],
    [[0, 1], 0, [2, { [_hQ]: _sAD }]], 2
];
var CreateProvisioningTemplateVersionResponse$ = [3, n0, _CPTVRr,
    0,
    [_tAem, _tNe, _vIe, _iDV],
    [0, 0, 1, 2]
];
var CreateRoleAliasRequest$ = [3, n0, _CRAR,
    0,
    [_rAol, _rAo, _cDS, _tag],
    [[0, 1], 0, 1, () => TagList], 2
];
var CreateRoleAliasResponse$ = [3, n0, _CRARr,
    0,
    [_rAol, _rAA],
    [0, 0]
];
var CreateScheduledAuditRequest$ = [3, n0, _CSAR,
    0,
    [_fr, _tCN, _sAN, _dOM, _dOW, _tag],
    [0, 64 | 0, [0, 1], 0, 0, () => TagList], 3
];
var CreateScheduledAuditResponse$ = [3, n0, _CSARr,
    0,
    [_sAAc],
    [0]
];
var CreateSecurityProfileRequest$ = [3, n0, _CSPR,
    0,
    [_sPN, _sPD, _be, _aTl, _aMTR, _aMTRV, _tag, _mEC],
    [[0, 1], 0, () => Behaviors, () => AlertTargets, 64 | 0, () => AdditionalMetricsToRetainV2List, () => TagList, () => MetricsExportConfig$], 1
];
var CreateSecurityProfileResponse$ = [3, n0, _CSPRr,
    0,
    [_sPN, _sPA],
    [0, 0]
];
var CreateStreamRequest$ = [3, n0, _CSR,
    0,
    [_sIt, _fi, _rAo, _d, _tag],
    [[0, 1], () => StreamFiles, 0, 0, () => TagList], 3
];
var CreateStreamResponse$ = [3, n0, _CSRr,
    0,
    [_sIt, _sAtr, _d, _sVtr],
    [0, 0, 0, 1]
];
var CreateThingGroupRequest$ = [3, n0, _CTGR,
    0,
    [_tGNh, _pGN, _tGP, _tag],
    [[0, 1], 0, () => ThingGroupProperties$, () => TagList], 1
];
var CreateThingGroupResponse$ = [3, n0, _CTGRr,
    0,
    [_tGNh, _tGA, _tGI],
    [0, 0, 0]
];
var CreateThingRequest$ = [3, n0, _CTR,
    0,
    [_tN, _tTN, _aPt, _bGN],
    [[0, 1], 0, () => AttributePayload$, 0], 1
];
var CreateThingResponse$ = [3, n0, _CTRr,
    0,
    [_tN, _tA, _tIh],
    [0, 0, 0]
];
var CreateThingTypeRequest$ = [3, n0, _CTTR,
    0,
    [_tTN, _tTP, _tag],
    [[0, 1], () => ThingTypeProperties$, () => TagList], 1
];
var CreateThingTypeResponse$ = [3, n0, _CTTRr,
    0,
    [_tTN, _tTA, _tTI],
    [0, 0, 0]
];
var CreateTopicRuleDestinationRequest$ = [3, n0, _CTRDRr,
    0,
    [_dC],
    [() => TopicRuleDestinationConfiguration$], 1
];
var CreateTopicRuleDestinationResponse$ = [3, n0, _CTRDRre,
    0,
    [_tRD],
    [() => TopicRuleDestination$]
];
var CreateTopicRuleRequest$ = [3, n0, _CTRR,
    0,
    [_rN, _tRP, _tag],
    [[0, 1], [() => TopicRulePayload$, 16], [0, { [_hH]: _xat }]], 2
];
var CustomCodeSigning$ = [3, n0, _CCS,
    0,
    [_si, _cCe, _hA, _sAi],
    [() => CodeSigningSignature$, () => CodeSigningCertificateChain$, 0, 0]
];
var DeleteAccountAuditConfigurationRequest$ = [3, n0, _DAACR,
    0,
    [_dSA],
    [[2, { [_hQ]: _dSA }]]
];
var DeleteAccountAuditConfigurationResponse$ = [3, n0, _DAACRe,
    0,
    [],
    []
];
var DeleteAuditSuppressionRequest$ = [3, n0, _DASR,
    0,
    [_cN, _rIe],
    [0, () => ResourceIdentifier$], 2
];
var DeleteAuditSuppressionResponse$ = [3, n0, _DASRe,
    0,
    [],
    []
];
var DeleteAuthorizerRequest$ = [3, n0, _DAR,
    0,
    [_aNu],
    [[0, 1]], 1
];
var DeleteAuthorizerResponse$ = [3, n0, _DARe,
    0,
    [],
    []
];
var DeleteBillingGroupRequest$ = [3, n0, _DBGR,
    0,
    [_bGN, _eV],
    [[0, 1], [1, { [_hQ]: _eV }]], 1
];
var DeleteBillingGroupResponse$ = [3, n0, _DBGRe,
    0,
    [],
    []
];
var DeleteCACertificateRequest$ = [3, n0, _DCACR,
    0,
    [_cI],
    [[0, 1]], 1
];
var DeleteCACertificateResponse$ = [3, n0, _DCACRe,
    0,
    [],
    []
];
var DeleteCertificateProviderRequest$ = [3, n0, _DCPR,
    0,
    [_cPN],
    [[0, 1]], 1
];
var DeleteCertificateProviderResponse$ = [3, n0, _DCPRe,
    0,
    [],
    []
];
var DeleteCertificateRequest$ = [3, n0, _DCR,
    0,
    [_cI, _fD],
    [[0, 1], [2, { [_hQ]: _fD }]], 1
];
var DeleteCommandExecutionRequest$ = [3, n0, _DCER,
    0,
    [_eI, _tAa],
    [[0, 1], [0, { [_hQ]: _tAa }]], 2
];
var DeleteCommandExecutionResponse$ = [3, n0, _DCERe,
    0,
    [],
    []
];
var DeleteCommandRequest$ = [3, n0, _DCRe,
    0,
    [_cIo],
    [[0, 1]], 1
];
var DeleteCommandResponse$ = [3, n0, _DCRel,
    0,
    [_sCt],
    [[1, 32]]
];
var DeleteCustomMetricRequest$ = [3, n0, _DCMR,
    0,
    [_mNe],
    [[0, 1]], 1
];
var DeleteCustomMetricResponse$ = [3, n0, _DCMRe,
    0,
    [],
    []
];
var DeleteDimensionRequest$ = [3, n0, _DDR,
    0,
    [_n],
    [[0, 1]], 1
];
var DeleteDimensionResponse$ = [3, n0, _DDRe,
    0,
    [],
    []
];
var DeleteDomainConfigurationRequest$ = [3, n0, _DDCR,
    0,
    [_dCN],
    [[0, 1]], 1
];
var DeleteDomainConfigurationResponse$ = [3, n0, _DDCRe,
    0,
    [],
    []
];
var DeleteDynamicThingGroupRequest$ = [3, n0, _DDTGR,
    0,
    [_tGNh, _eV],
    [[0, 1], [1, { [_hQ]: _eV }]], 1
];
var DeleteDynamicThingGroupResponse$ = [3, n0, _DDTGRe,
    0,
    [],
    []
];
var DeleteFleetMetricRequest$ = [3, n0, _DFMR,
    0,
    [_mNe, _eV],
    [[0, 1], [1, { [_hQ]: _eV }]], 1
];
var DeleteJobExecutionRequest$ = [3, n0, _DJER,
    0,
    [_jI, _tN, _eN, _fo, _nI],
    [[0, 1], [0, 1], [1, 1], [2, { [_hQ]: _fo }], [0, { [_hQ]: _nI }]], 3
];
var DeleteJobRequest$ = [3, n0, _DJR,
    0,
    [_jI, _fo, _nI],
    [[0, 1], [2, { [_hQ]: _fo }], [0, { [_hQ]: _nI }]], 1
];
var DeleteJobTemplateRequest$ = [3, n0, _DJTR,
    0,
    [_jTI],
    [[0, 1]], 1
];
var DeleteMitigationActionRequest$ = [3, n0, _DMAR,
    0,
    [_aN],
    [[0, 1]], 1
];
var DeleteMitigationActionResponse$ = [3, n0, _DMARe,
    0,
    [],
    []
];
var DeleteOTAUpdateRequest$ = [3, n0, _DOTAUR,
    0,
    [_oUI, _dSe, _fDAWSJ],
    [[0, 1], [2, { [_hQ]: _dSe }], [2, { [_hQ]: _fDAWSJ }]], 1
];
var DeleteOTAUpdateResponse$ = [3, n0, _DOTAURe,
    0,
    [],
    []
];
var DeletePackageRequest$ = [3, n0, _DPR,
    0,
    [_pN, _cT],
    [[0, 1], [0, { [_hQ]: _cT, [_iT]: 1 }]], 1
];
var DeletePackageResponse$ = [3, n0, _DPRe,
    0,
    [],
    []
];
var DeletePackageVersionRequest$ = [3, n0, _DPVR,
    0,
    [_pN, _vN, _cT],
    [[0, 1], [0, 1], [0, { [_hQ]: _cT, [_iT]: 1 }]], 2
];
var DeletePackageVersionResponse$ = [3, n0, _DPVRe,
    0,
    [],
    []
];
var DeletePolicyRequest$ = [3, n0, _DPRel,
    0,
    [_pNo],
    [[0, 1]], 1
];
var DeletePolicyVersionRequest$ = [3, n0, _DPVRel,
    0,
    [_pNo, _pVI],
    [[0, 1], [0, 1]], 2
];
var DeleteProvisioningTemplateRequest$ = [3, n0, _DPTR,
    0,
    [_tNe],
    [[0, 1]], 1
];
var DeleteProvisioningTemplateResponse$ = [3, n0, _DPTRe,
    0,
    [],
    []
];
var DeleteProvisioningTemplateVersionRequest$ = [3, n0, _DPTVR,
    0,
    [_tNe, _vIe],
    [[0, 1], [1, 1]], 2
];
var DeleteProvisioningTemplateVersionResponse$ = [3, n0, _DPTVRe,
    0,
    [],
    []
];
var DeleteRegistrationCodeRequest$ = [3, n0, _DRCR,
    0,
    [],
    []
];
var DeleteRegistrationCodeResponse$ = [3, n0, _DRCRe,
    0,
    [],
    []
];
var DeleteRoleAliasRequest$ = [3, n0, _DRAR,
    0,
    [_rAol],
    [[0, 1]], 1
];
var DeleteRoleAliasResponse$ = [3, n0, _DRARe,
    0,
    [],
    []
];
var DeleteScheduledAuditRequest$ = [3, n0, _DSAR,
    0,
    [_sAN],
    [[0, 1]], 1
];
var DeleteScheduledAuditResponse$ = [3, n0, _DSARe,
    0,
    [],
    []
];
var DeleteSecurityProfileRequest$ = [3, n0, _DSPR,
    0,
    [_sPN, _eV],
    [[0, 1], [1, { [_hQ]: _eV }]], 1
];
var DeleteSecurityProfileResponse$ = [3, n0, _DSPRe,
    0,
    [],
    []
];
var DeleteStreamRequest$ = [3, n0, _DSR,
    0,
    [_sIt],
    [[0, 1]], 1
];
var DeleteStreamResponse$ = [3, n0, _DSRe,
    0,
    [],
    []
];
var DeleteThingGroupRequest$ = [3, n0, _DTGR,
    0,
    [_tGNh, _eV],
    [[0, 1], [1, { [_hQ]: _eV }]], 1
];
var DeleteThingGroupResponse$ = [3, n0, _DTGRe,
    0,
    [],
    []
];
var DeleteThingRequest$ = [3, n0, _DTR,
    0,
    [_tN, _eV],
    [[0, 1], [1, { [_hQ]: _eV }]], 1
];
var DeleteThingResponse$ = [3, n0, _DTRe,
    0,
    [],
    []
];
var DeleteThingTypeRequest$ = [3, n0, _DTTR,
    0,
    [_tTN],
    [[0, 1]], 1
];
var DeleteThingTypeResponse$ = [3, n0, _DTTRe,
    0,
    [],
    []
];
var DeleteTopicRuleDestinationRequest$ = [3, n0, _DTRDR,
    0,
    [_ar],
    [[0, 1]], 1
];
var DeleteTopicRuleDestinationResponse$ = [3, n0, _DTRDRe,
    0,
    [],
    []
];
var DeleteTopicRuleRequest$ = [3, n0, _DTRR,
    0,
    [_rN],
    [[0, 1]], 1
];
var DeleteV2LoggingLevelRequest$ = [3, n0, _DVLLR,
    0,
    [_tTa, _tNa],
    [[0, { [_hQ]: _tTa }], [0, { [_hQ]: _tNa }]], 2
];
var Denied$ = [3, n0, _De,
    0,
    [_iDm, _eDx],
    [() => ImplicitDeny$, () => ExplicitDeny$]
];
var DeprecateThingTypeRequest$ = [3, n0, _DTTRep,
    0,
    [_tTN, _uD],
    [[0, 1], 2], 1
];
var DeprecateThingTypeResponse$ = [3, n0, _DTTRepr,
    0,
    [],
    []
];
var DescribeAccountAuditConfigurationRequest$ = [3, n0, _DAACRes,
    0,
    [],
    []
];
var DescribeAccountAuditConfigurationResponse$ = [3, n0, _DAACResc,
    0,
    [_rAo, _aNTC, _aCC],
    [0, () => AuditNotificationTargetConfigurations, () => AuditCheckConfigurations]
];
var DescribeAuditFindingRequest$ = [3, n0, _DAFR,
    0,
    [_fI],
    [[0, 1]], 1
];
var DescribeAuditFindingResponse$ = [3, n0, _DAFRe,
    0,
    [_fin],
    [() => AuditFinding$]
];
var DescribeAuditMitigationActionsTaskRequest$ = [3, n0, _DAMATR,
    0,
    [_tI],
    [[0, 1]], 1
];
var DescribeAuditMitigationActionsTaskResponse$ = [3, n0, _DAMATRe,
    0,
    [_tS, _sT, _eT, _tSas, _tar, _aCTAM, _aDc],
    [0, 4, 4, () => AuditMitigationActionsTaskStatistics, () => AuditMitigationActionsTaskTarget$, [2, n0, _ACTAM, 0, 0, 64 | 0], () => MitigationActionList]
];
var DescribeAuditSuppressionRequest$ = [3, n0, _DASRes,
    0,
    [_cN, _rIe],
    [0, () => ResourceIdentifier$], 2
];
var DescribeAuditSuppressionResponse$ = [3, n0, _DASResc,
    0,
    [_cN, _rIe, _eD, _sI, _d],
    [0, () => ResourceIdentifier$, 4, 2, 0]
];
var DescribeAuditTaskRequest$ = [3, n0, _DATR,
    0,
    [_tI],
    [[0, 1]], 1
];
var DescribeAuditTaskResponse$ = [3, n0, _DATRe,
    0,
    [_tS, _tT, _tST, _tSas, _sAN, _aDu],
    [0, 0, 4, () => TaskStatistics$, 0, () => AuditDetails]
];
var DescribeAuthorizerRequest$ = [3, n0, _DARes,
    0,
    [_aNu],
    [[0, 1]], 1
];
var DescribeAuthorizerResponse$ = [3, n0, _DAResc,
    0,
    [_aDut],
    [() => AuthorizerDescription$]
];
var DescribeBillingGroupRequest$ = [3, n0, _DBGRes,
    0,
    [_bGN],
    [[0, 1]], 1
];
var DescribeBillingGroupResponse$ = [3, n0, _DBGResc,
    0,
    [_bGN, _bGI, _bGA, _ve, _bGP, _bGM],
    [0, 0, 0, 1, () => BillingGroupProperties$, () => BillingGroupMetadata$]
];
var DescribeCACertificateRequest$ = [3, n0, _DCACRes,
    0,
    [_cI],
    [[0, 1]], 1
];
var DescribeCACertificateResponse$ = [3, n0, _DCACResc,
    0,
    [_cDe, _rCe],
    [() => CACertificateDescription$, () => RegistrationConfig$]
];
var DescribeCertificateProviderRequest$ = [3, n0, _DCPRes,
    0,
    [_cPN],
    [[0, 1]], 1
];
var DescribeCertificateProviderResponse$ = [3, n0, _DCPResc,
    0,
    [_cPN, _cPA, _lFA, _aDFO, _cD, _lMD],
    [0, 0, 0, 64 | 0, 4, 4]
];
var DescribeCertificateRequest$ = [3, n0, _DCRes,
    0,
    [_cI],
    [[0, 1]], 1
];
var DescribeCertificateResponse$ = [3, n0, _DCResc,
    0,
    [_cDe],
    [() => CertificateDescription$]
];
var DescribeCustomMetricRequest$ = [3, n0, _DCMRes,
    0,
    [_mNe],
    [[0, 1]], 1
];
var DescribeCustomMetricResponse$ = [3, n0, _DCMResc,
    0,
    [_mNe, _mA, _mTe, _dN, _cD, _lMD],
    [0, 0, 0, 0, 4, 4]
];
var DescribeDefaultAuthorizerRequest$ = [3, n0, _DDAR,
    0,
    [],
    []
];
var DescribeDefaultAuthorizerResponse$ = [3, n0, _DDARe,
    0,
    [_aDut],
    [() => AuthorizerDescription$]
];
var DescribeDetectMitigationActionsTaskRequest$ = [3, n0, _DDMATR,
    0,
    [_tI],
    [[0, 1]], 1
];
var DescribeDetectMitigationActionsTaskResponse$ = [3, n0, _DDMATRe,
    0,
    [_tSask],
    [() => DetectMitigationActionsTaskSummary$]
];
var DescribeDimensionRequest$ = [3, n0, _DDRes,
    0,
    [_n],
    [[0, 1]], 1
];
var DescribeDimensionResponse$ = [3, n0, _DDResc,
    0,
    [_n, _ar, _ty, _sVt, _cD, _lMD],
    [0, 0, 0, 64 | 0, 4, 4]
];
var DescribeDomainConfigurationRequest$ = [3, n0, _DDCRes,
    0,
    [_dCN],
    [[0, 1]], 1
];
var DescribeDomainConfigurationResponse$ = [3, n0, _DDCResc,
    0,
    [_dCN, _dCA, _dNo, _sCe, _aC, _dCS, _sTe, _dT, _lSCD, _tC, _sCC, _aTu, _aP, _cCC],
    [0, 0, 0, () => ServerCertificates, () => AuthorizerConfig$, 0, 0, 0, 4, () => TlsConfig$, () => ServerCertificateConfig$, 0, 0, () => ClientCertificateConfig$]
];
var DescribeEncryptionConfigurationRequest$ = [3, n0, _DECR,
    0,
    [],
    []
];
var DescribeEncryptionConfigurationResponse$ = [3, n0, _DECRe,
    0,
    [_eTn, _kKA, _kARA, _cDo, _lMD],
    [0, 0, 0, () => ConfigurationDetails$, 4]
];
var DescribeEndpointRequest$ = [3, n0, _DER,
    0,
    [_eTnd],
    [[0, { [_hQ]: _eTnd }]]
];
var DescribeEndpointResponse$ = [3, n0, _DERe,
    0,
    [_eA],
    [0]
];
var DescribeEventConfigurationsRequest$ = [3, n0, _DECRes,
    0,
    [],
    []
];
var DescribeEventConfigurationsResponse$ = [3, n0, _DECResc,
    0,
    [_eCv, _cD, _lMD],
    [() => EventConfigurations, 4, 4]
];
var DescribeFleetMetricRequest$ = [3, n0, _DFMRe,
    0,
    [_mNe],
    [[0, 1]], 1
];
var DescribeFleetMetricResponse$ = [3, n0, _DFMRes,
    0,
    [_mNe, _qS, _aTg, _pe, _aF, _d, _qV, _iN, _cD, _lMD, _u, _ve, _mA],
    [0, 0, () => AggregationType$, 1, 0, 0, 0, 0, 4, 4, 0, 1, 0]
];
var DescribeIndexRequest$ = [3, n0, _DIR,
    0,
    [_iN],
    [[0, 1]], 1
];
var DescribeIndexResponse$ = [3, n0, _DIRe,
    0,
    [_iN, _iSn, _sc],
    [0, 0, 0]
];
var DescribeJobExecutionRequest$ = [3, n0, _DJERe,
    0,
    [_jI, _tN, _eN],
    [[0, 1], [0, 1], [1, { [_hQ]: _eN }]], 2
];
var DescribeJobExecutionResponse$ = [3, n0, _DJERes,
    0,
    [_exe],
    [() => JobExecution$]
];
var DescribeJobRequest$ = [3, n0, _DJRe,
    0,
    [_jI, _bS],
    [[0, 1], [2, { [_hQ]: _bS }]], 1
];
var DescribeJobResponse$ = [3, n0, _DJRes,
    0,
    [_dSo, _j],
    [0, () => Job$]
];
var DescribeJobTemplateRequest$ = [3, n0, _DJTRe,
    0,
    [_jTI],
    [[0, 1]], 1
];
var DescribeJobTemplateResponse$ = [3, n0, _DJTRes,
    0,
    [_jTA, _jTI, _d, _dSo, _do, _cAr, _pUC, _jERC, _aCb, _tCi, _jERCo, _mW, _dPV],
    [0, 0, 0, 0, 0, 4, () => PresignedUrlConfig$, () => JobExecutionsRolloutConfig$, () => AbortConfig$, () => TimeoutConfig$, () => JobExecutionsRetryConfig$, () => MaintenanceWindows, 64 | 0]
];
var DescribeManagedJobTemplateRequest$ = [3, n0, _DMJTR,
    0,
    [_tNe, _tV],
    [[0, 1], [0, { [_hQ]: _tV }]], 1
];
var DescribeManagedJobTemplateResponse$ = [3, n0, _DMJTRe,
    0,
    [_tNe, _tAem, _d, _tV, _env, _dP, _do],
    [0, 0, 0, 0, 64 | 0, () => DocumentParameters, 0]
];
var DescribeMitigationActionRequest$ = [3, n0, _DMARes,
    0,
    [_aN],
    [[0, 1]], 1
];
var DescribeMitigationActionResponse$ = [3, n0, _DMAResc,
    0,
    [_aN, _aT, _aAc, _aI, _rAo, _aPc, _cD, _lMD],
    [0, 0, 0, 0, 0, () => MitigationActionParams$, 4, 4]
];
var DescribeProvisioningTemplateRequest$ = [3, n0, _DPTRes,
    0,
    [_tNe],
    [[0, 1]], 1
];
var DescribeProvisioningTemplateResponse$ = [3, n0, _DPTResc,
    0,
    [_tAem, _tNe, _d, _cD, _lMD, _dVI, _tB, _en, _pRA, _pPH, _ty],
    [0, 0, 0, 4, 4, 1, 0, 2, 0, () => ProvisioningHook$, 0]
];
var DescribeProvisioningTemplateVersionRequest$ = [3, n0, _DPTVRes,
    0,
    [_tNe, _vIe],
    [[0, 1], [1, 1]], 2
];
var DescribeProvisioningTemplateVersionResponse$ = [3, n0, _DPTVResc,
    0,
    [_vIe, _cD, _tB, _iDV],
    [1, 4, 0, 2]
];
var DescribeRoleAliasRequest$ = [3, n0, _DRARes,
    0,
    [_rAol],
    [[0, 1]], 1
];
var DescribeRoleAliasResponse$ = [3, n0, _DRAResc,
    0,
    [_rAD],
    [() => RoleAliasDescription$]
];
var DescribeScheduledAuditRequest$ = [3, n0, _DSARes,
    0,
    [_sAN],
    [[0, 1]], 1
];
var DescribeScheduledAuditResponse$ = [3, n0, _DSAResc,
    0,
    [_fr, _dOM, _dOW, _tCN, _sAN, _sAAc],
    [0, 0, 0, 64 | 0, 0, 0]
];
var DescribeSecurityProfileRequest$ = [3, n0, _DSPRes,
    0,
    [_sPN],
    [[0, 1]], 1
];
var DescribeSecurityProfileResponse$ = [3, n0, _DSPResc,
    0,
    [_sPN, _sPA, _sPD, _be, _aTl, _aMTR, _aMTRV, _ve, _cD, _lMD, _mEC],
    [0, 0, 0, () => Behaviors, () => AlertTargets, 64 | 0, () => AdditionalMetricsToRetainV2List, 1, 4, 4, () => MetricsExportConfig$]
];
var DescribeStreamRequest$ = [3, n0, _DSRes,
    0,
    [_sIt],
    [[0, 1]], 1
];
var DescribeStreamResponse$ = [3, n0, _DSResc,
    0,
    [_sItr],
    [() => StreamInfo$]
];
var DescribeThingGroupRequest$ = [3, n0, _DTGRes,
    0,
    [_tGNh],
    [[0, 1]], 1
];
var DescribeThingGroupResponse$ = [3, n0, _DTGResc,
    0,
    [_tGNh, _tGI, _tGA, _ve, _tGP, _tGM, _iN, _qS, _qV, _st],
    [0, 0, 0, 1, () => ThingGroupProperties$, () => ThingGroupMetadata$, 0, 0, 0, 0]
];
var DescribeThingRegistrationTaskRequest$ = [3, n0, _DTRTR,
    0,
    [_tI],
    [[0, 1]], 1
];
var DescribeThingRegistrationTaskResponse$ = [3, n0, _DTRTRe,
    0,
    [_tI, _cD, _lMD, _tB, _iFB, _iFK, _rAo, _st, _m, _sCu, _fC, _pP],
    [0, 4, 4, 0, 0, 0, 0, 0, 0, 1, 1, 1]
];
var DescribeThingRequest$ = [3, n0, _DTRes,
    0,
    [_tN],
    [[0, 1]], 1
];
var DescribeThingResponse$ = [3, n0, _DTResc,
    0,
    [_dCI, _tN, _tIh, _tA, _tTN, _at, _ve, _bGN],
    [0, 0, 0, 0, 0, 128 | 0, 1, 0]
];
var DescribeThingTypeRequest$ = [3, n0, _DTTRes,
    0,
    [_tTN],
    [[0, 1]], 1
];
var DescribeThingTypeResponse$ = [3, n0, _DTTResc,
    0,
    [_tTN, _tTI, _tTA, _tTP, _tTM],
    [0, 0, 0, () => ThingTypeProperties$, () => ThingTypeMetadata$]
];
var Destination$ = [3, n0, _Des,
    0,
    [_sDe],
    [() => S3Destination$]
];
var DetachPolicyRequest$ = [3, n0, _DPRet,
    0,
    [_pNo, _tar],
    [[0, 1], 0], 2
];
var DetachPrincipalPolicyRequest$ = [3, n0, _DPPR,
    0,
    [_pNo, _pr],
    [[0, 1], [0, { [_hH]: _xaip }]], 2
];
var DetachSecurityProfileRequest$ = [3, n0, _DSPRet,
    0,
    [_sPN, _sPTA],
    [[0, 1], [0, { [_hQ]: _sPTA }]], 2
];
var DetachSecurityProfileResponse$ = [3, n0, _DSPReta,
    0,
    [],
    []
];
var DetachThingPrincipalRequest$ = [3, n0, _DTPR,
    0,
    [_tN, _pr],
    [[0, 1], [0, { [_hH]: _xap }]], 2
];
var DetachThingPrincipalResponse$ = [3, n0, _DTPRe,
    0,
    [],
    []
];
var DetectMitigationActionExecution$ = [3, n0, _DMAE,
    0,
    [_tI, _vI, _aN, _tN, _eSD, _eED, _st, _eC, _m],
    [0, 0, 0, 0, 4, 4, 0, 0, 0]
];
var DetectMitigationActionsTaskStatistics$ = [3, n0, _DMATS,
    0,
    [_aE, _aS, _aFc],
    [1, 1, 1]
];
var DetectMitigationActionsTaskSummary$ = [3, n0, _DMATSe,
    0,
    [_tI, _tS, _tST, _tET, _tar, _vEOR, _oAVI, _sAI, _aDc, _tSas],
    [0, 0, 4, 4, () => DetectMitigationActionsTaskTarget$, () => ViolationEventOccurrenceRange$, 2, 2, () => MitigationActionList, () => DetectMitigationActionsTaskStatistics$]
];
var DetectMitigationActionsTaskTarget$ = [3, n0, _DMATT,
    0,
    [_vIi, _sPN, _bN],
    [64 | 0, 0, 0]
];
var DisableTopicRuleRequest$ = [3, n0, _DTRRi,
    0,
    [_rN],
    [[0, 1]], 1
];
var DisassociateSbomFromPackageVersionRequest$ = [3, n0, _DSFPVR,
    0,
    [_pN, _vN, _cT],
    [[0, 1], [0, 1], [0, { [_hQ]: _cT, [_iT]: 1 }]], 2
];
var DisassociateSbomFromPackageVersionResponse$ = [3, n0, _DSFPVRi,
    0,
    [],
    []
];
var DocumentParameter$ = [3, n0, _DP,
    0,
    [_ke, _d, _reg, _exa, _op],
    [0, 0, 0, 0, 2]
];
var DomainConfigurationSummary$ = [3, n0, _DCS,
    0,
    [_dCN, _dCA, _sTe],
    [0, 0, 0]
];
var DynamoDBAction$ = [3, n0, _DDBA,
    0,
    [_tNab, _rAo, _hKF, _hKV, _ope, _hKT, _rKF, _rKV, _rKT, _pF],
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 4
];
var DynamoDBv2Action$ = [3, n0, _DDBAy,
    0,
    [_rAo, _pI],
    [0, () => PutItemInput$], 2
];
var EffectivePolicy$ = [3, n0, _EP,
    0,
    [_pNo, _pAo, _pDo],
    [0, 0, 0]
];
var ElasticsearchAction$ = [3, n0, _EA,
    0,
    [_rAo, _end, _i, _ty, _id],
    [0, 0, 0, 0, 0], 5
];
var EnableIoTLoggingParams$ = [3, n0, _EITLP,
    0,
    [_rAFL, _lL],
    [0, 0], 2
];
var EnableTopicRuleRequest$ = [3, n0, _ETRR,
    0,
    [_rN],
    [[0, 1]], 1
];
var ErrorInfo$ = [3, n0, _EI,
    0,
    [_cod, _m],
    [0, 0]
];
var ExplicitDeny$ = [3, n0, _ED,
    0,
    [_p],
    [() => Policies]
];
var ExponentialRolloutRate$ = [3, n0, _ERR,
    0,
    [_bRPM, _iF, _rIC],
    [1, 1, () => RateIncreaseCriteria$], 3
];
var Field$ = [3, n0, _F,
    0,
    [_n, _ty],
    [0, 0]
];
var FileLocation$ = [3, n0, _FL,
    0,
    [_stre, _sL],
    [() => _Stream$, () => S3Location$]
];
var FirehoseAction$ = [3, n0, _FA,
    0,
    [_rAo, _dSN, _sep, _bM],
    [0, 0, 0, 2], 2
];
var FleetMetricNameAndArn$ = [3, n0, _FMNAA,
    0,
    [_mNe, _mA],
    [0, 0]
];
var GeoLocationTarget$ = [3, n0, _GLT,
    0,
    [_n, _or],
    [0, 0]
];
var GetBehaviorModelTrainingSummariesRequest$ = [3, n0, _GBMTSR,
    0,
    [_sPN, _mR, _nT],
    [[0, { [_hQ]: _sPN }], [1, { [_hQ]: _mR }], [0, { [_hQ]: _nT }]]
];
var GetBehaviorModelTrainingSummariesResponse$ = [3, n0, _GBMTSRe,
    0,
    [_su, _nT],
    [() => BehaviorModelTrainingSummaries, 0]
];
var GetBucketsAggregationRequest$ = [3, n0, _GBAR,
    0,
    [_qS, _aF, _bATu, _iN, _qV],
    [0, 0, () => BucketsAggregationType$, 0, 0], 3
];
var GetBucketsAggregationResponse$ = [3, n0, _GBARe,
    0,
    [_tCo, _bu],
    [1, () => Buckets]
];
var GetCardinalityRequest$ = [3, n0, _GCR,
    0,
    [_qS, _iN, _aF, _qV],
    [0, 0, 0, 0], 1
];
var GetCardinalityResponse$ = [3, n0, _GCRe,
    0,
    [_ca],
    [1]
];
var GetCommandExecutionRequest$ = [3, n0, _GCER,
    0,
    [_eI, _tAa, _iR],
    [[0, 1], [0, { [_hQ]: _tAa }], [2, { [_hQ]: _iR }]], 2
];
var GetCommandExecutionResponse$ = [3, n0, _GCERe,
    0,
    [_eI, _cAo, _tAa, _st, _sRt, _res, _par, _eTS, _cAr, _lUA, _sAt, _cAom, _tTL],
    [0, 0, 0, 0, () => StatusReason$, () => CommandExecutionResultMap, () => CommandExecutionParameterMap, 1, 4, 4, 4, 4, 4]
];
var GetCommandRequest$ = [3, n0, _GCRet,
    0,
    [_cIo],
    [[0, 1]], 1
];
var GetCommandResponse$ = [3, n0, _GCReto,
    0,
    [_cIo, _cAo, _na, _dN, _d, _mP, _pa, _pT, _pre, _rAo, _cAr, _lUA, _dep, _pD],
    [0, 0, 0, 0, 0, () => CommandParameterList, () => CommandPayload$, 0, () => CommandPreprocessor$, 0, 4, 4, 2, 2]
];
var GetEffectivePoliciesRequest$ = [3, n0, _GEPR,
    0,
    [_pr, _cIPI, _tN],
    [0, 0, [0, { [_hQ]: _tN }]]
];
var GetEffectivePoliciesResponse$ = [3, n0, _GEPRe,
    0,
    [_eP],
    [() => EffectivePolicies]
];
var GetIndexingConfigurationRequest$ = [3, n0, _GICR,
    0,
    [],
    []
];
var GetIndexingConfigurationResponse$ = [3, n0, _GICRe,
    0,
    [_tIC, _tGIC],
    [() => ThingIndexingConfiguration$, () => ThingGroupIndexingConfiguration$]
];
var GetJobDocumentRequest$ = [3, n0, _GJDR,
    0,
    [_jI, _bS],
    [[0, 1], [2, { [_hQ]: _bS }]], 1
];
var GetJobDocumentResponse$ = [3, n0, _GJDRe,
    0,
    [_do],
    [0]
];
var GetLoggingOptionsRequest$ = [3, n0, _GLOR,
    0,
    [],
    []
];
var GetLoggingOptionsResponse$ = [3, n0, _GLORe,
    0,
    [_rAo, _lL],
    [0, 0]
];
var GetOTAUpdateRequest$ = [3, n0, _GOTAUR,
    0,
    [_oUI],
    [[0, 1]], 1
];
var GetOTAUpdateResponse$ = [3, n0, _GOTAURe,
    0,
    [_oUIt],
    [() => OTAUpdateInfo$]
];
var GetPackageConfigurationRequest$ = [3, n0, _GPCR,
    0,
    [],
    []
];
var GetPackageConfigurationResponse$ = [3, n0, _GPCRe,
    0,
    [_vUBJC],
    [() => VersionUpdateByJobsConfig$]
];
var GetPackageRequest$ = [3, n0, _GPR,
    0,
    [_pN],
    [[0, 1]], 1
];
var GetPackageResponse$ = [3, n0, _GPRe,
    0,
    [_pN, _pA, _d, _dVN, _cD, _lMD],
    [0, 0, [() => ResourceDescription, 0], 0, 4, 4]
];
var GetPackageVersionRequest$ = [3, n0, _GPVR,
    0,
    [_pN, _vN],
    [[0, 1], [0, 1]], 2
];
var GetPackageVersionResponse$ = [3, n0, _GPVRe,
    0,
    [_pVA, _pN, _vN, _d, _at, _art, _st, _eRr, _cD, _lMD, _sb, _sVS, _rec],
    [0, 0, 0, [() => ResourceDescription, 0], [() => ResourceAttributes, 0], () => PackageVersionArtifact$, 0, 0, 4, 4, () => Sbom$, 0, [() => PackageVersionRecipe, 0]]
];
var GetPercentilesRequest$ = [3, n0, _GPRet,
    0,
    [_qS, _iN, _aF, _qV, _per],
    [0, 0, 0, 0, 64 | 1], 1
];
var GetPercentilesResponse$ = [3, n0, _GPRete,
    0,
    [_perc],
    [() => Percentiles]
];
var GetPolicyRequest$ = [3, n0, _GPReto,
    0,
    [_pNo],
    [[0, 1]], 1
];
var GetPolicyResponse$ = [3, n0, _GPRetol,
    0,
    [_pNo, _pAo, _pDo, _dVI, _cD, _lMD, _gI],
    [0, 0, 0, 0, 4, 4, 0]
];
var GetPolicyVersionRequest$ = [3, n0, _GPVRet,
    0,
    [_pNo, _pVI],
    [[0, 1], [0, 1]], 2
];
var GetPolicyVersionResponse$ = [3, n0, _GPVReto,
    0,
    [_pAo, _pNo, _pDo, _pVI, _iDV, _cD, _lMD, _gI],
    [0, 0, 0, 0, 2, 4, 4, 0]
];
var GetRegistrationCodeRequest$ = [3, n0, _GRCR,
    0,
    [],
    []
];
var GetRegistrationCodeResponse$ = [3, n0, _GRCRe,
    0,
    [_rCeg],
    [0]
];
var GetStatisticsRequest$ = [3, n0, _GSR,
    0,
    [_qS, _iN, _aF, _qV],
    [0, 0, 0, 0], 1
];
var GetStatisticsResponse$ = [3, n0, _GSRe,
    0,
    [_sta],
    [() => Statistics$]
];
var GetThingConnectivityDataRequest$ = [3, n0, _GTCDR,
    0,
    [_tN, _iSI],
    [[() => ConnectivityApiThingName, 1], 2], 1
];
var GetThingConnectivityDataResponse$ = [3, n0, _GTCDRe,
    0,
    [_tN, _conn, _ti, _dR, _sIo, _sP, _tIa, _tPa, _vEI, _kAD, _cSl, _sE, _cIl],
    [[() => ConnectivityApiThingName, 0], 2, 4, 0, [() => SourceIp, 0], [() => SourcePort, 0], [() => TargetIp, 0], [() => TargetPort, 0], [() => VpcEndpointId, 0], 1, 2, 1, 0]
];
var GetTopicRuleDestinationRequest$ = [3, n0, _GTRDR,
    0,
    [_ar],
    [[0, 1]], 1
];
var GetTopicRuleDestinationResponse$ = [3, n0, _GTRDRe,
    0,
    [_tRD],
    [() => TopicRuleDestination$]
];
var GetTopicRuleRequest$ = [3, n0, _GTRR,
    0,
    [_rN],
    [[0, 1]], 1
];
var GetTopicRuleResponse$ = [3, n0, _GTRRe,
    0,
    [_rAu, _ru],
    [0, () => TopicRule$]
];
var GetV2LoggingOptionsRequest$ = [3, n0, _GVLOR,
    0,
    [_ver],
    [[2, { [_hQ]: _ver }]]
];
var GetV2LoggingOptionsResponse$ = [3, n0, _GVLORe,
    0,
    [_rAo, _dLL, _dAL, _eCv],
    [0, 0, 2, () => LogEventConfigurations]
];
var GroupNameAndArn$ = [3, n0, _GNAA,
    0,
    [_gN, _gA],
    [0, 0]
];
var HttpAction$ = [3, n0, _HA,
    0,
    [_ur, _cU, _he, _au, _eB, _bC],
    [0, 0, () => HeaderList, () => HttpAuthorization$, 2, () => BatchConfig$], 1
];
var HttpActionHeader$ = [3, n0, _HAH,
    0,
    [_ke, _va],
    [0, 0], 2
];
var HttpAuthorization$ = [3, n0, _HAt,
    0,
    [_sig],
    [() => SigV4Authorization$]
];
var HttpContext$ = [3, n0, _HC,
    0,
    [_he, _qS],
    [128 | 0, 0]
];
var HttpUrlDestinationConfiguration$ = [3, n0, _HUDC,
    0,
    [_cU],
    [0], 1
];
var HttpUrlDestinationProperties$ = [3, n0, _HUDP,
    0,
    [_cU],
    [0]
];
var HttpUrlDestinationSummary$ = [3, n0, _HUDS,
    0,
    [_cU],
    [0]
];
var ImplicitDeny$ = [3, n0, _ID,
    0,
    [_p],
    [() => Policies]
];
var IndexingFilter$ = [3, n0, _IF,
    0,
    [_nSN, _gL, _conne],
    [64 | 0, () => GeoLocationsFilter, () => ConnectivityFilter$]
];
var InfluxDBAction$ = [3, n0, _IDBA,
    0,
    [_dA, _rAo, _dNa, _tNab, _org, _tag, _tU, _bC],
    [0, 0, 0, 0, 0, 128 | 0, 0, () => InfluxDBBatchConfig$], 4
];
var InfluxDBBatchConfig$ = [3, n0, _IDBBC,
    0,
    [_mBS, _mBOM, _mBSB, _bAT],
    [1, 1, 1, 2]
];
var InfluxDBDestinationConfiguration$ = [3, n0, _IDBDC,
    0,
    [_end, _iDBV, _sIe, _sTec, _sK],
    [0, 0, 0, 0, 0], 3
];
var InfluxDBDestinationProperties$ = [3, n0, _IDBDP,
    0,
    [_end, _iDBV, _sIe, _sTec, _sK],
    [0, 0, 0, 0, 0]
];
var InfluxDBDestinationSummary$ = [3, n0, _IDBDS,
    0,
    [_end, _iDBV, _sIe, _sTec, _sK],
    [0, 0, 0, 0, 0]
];
var IotAnalyticsAction$ = [3, n0, _IAA,
    0,
    [_cAh, _cNh, _bM, _rAo],
    [0, 0, 2, 0]
];
var IotEventsAction$ = [3, n0, _IEA,
    0,
    [_iNn, _rAo, _mI, _bM],
    [0, 0, 0, 2], 2
];
var IotSiteWiseAction$ = [3, n0, _ISWA,
    0,
    [_pAPVE, _rAo],
    [() => PutAssetPropertyValueEntryList, 0], 2
];
var IssuerCertificateIdentifier$ = [3, n0, _ICI,
    0,
    [_iCS, _iI, _iCSN],
    [0, 0, 0]
];
var Job$ = [3, n0, _J,
    0,
    [_jA, _jI, _tSa, _st, _fCo, _rC, _co, _ta, _d, _pUC, _jERC, _aCb, _cAr, _lUA, _cAom, _jPD, _tCi, _nI, _jTA, _jERCo, _dP, _iC, _sC, _sJR, _dPV],
    [0, 0, 0, 0, 2, 0, 0, 64 | 0, 0, () => PresignedUrlConfig$, () => JobExecutionsRolloutConfig$, () => AbortConfig$, 4, 4, 4, () => JobProcessDetails$, () => TimeoutConfig$, 0, 0, () => JobExecutionsRetryConfig$, 128 | 0, 2, () => SchedulingConfig$, () => ScheduledJobRolloutList, 64 | 0]
];
var JobExecution$ = [3, n0, _JE,
    0,
    [_jI, _st, _fCo, _sDt, _tA, _qA, _sAt, _lUA, _eN, _vNe, _aSBTO],
    [0, 0, 2, () => JobExecutionStatusDetails$, 0, 4, 4, 4, 1, 1, 1]
];
var JobExecutionsRetryConfig$ = [3, n0, _JERC,
    0,
    [_cL],
    [() => RetryCriteriaList], 1
];
var JobExecutionsRolloutConfig$ = [3, n0, _JERCo,
    0,
    [_mPM, _eR],
    [1, () => ExponentialRolloutRate$]
];
var JobExecutionStatusDetails$ = [3, n0, _JESD,
    0,
    [_dM],
    [128 | 0]
];
var JobExecutionSummary$ = [3, n0, _JES,
    0,
    [_st, _qA, _sAt, _lUA, _eN, _rAe],
    [0, 4, 4, 4, 1, 1]
];
var JobExecutionSummaryForJob$ = [3, n0, _JESFJ,
    0,
    [_tA, _jES],
    [0, () => JobExecutionSummary$]
];
var JobExecutionSummaryForThing$ = [3, n0, _JESFT,
    0,
    [_jI, _jES],
    [0, () => JobExecutionSummary$]
];
var JobProcessDetails$ = [3, n0, _JPD,
    0,
    [_pTr, _nOCT, _nOST, _nOFT, _nORT, _nOQT, _nOIPT, _nORTu, _nOTOT],
    [64 | 0, 1, 1, 1, 1, 1, 1, 1, 1]
];
var JobSummary$ = [3, n0, _JS,
    0,
    [_jA, _jI, _tGI, _tSa, _st, _cAr, _lUA, _cAom, _iC],
    [0, 0, 0, 0, 0, 4, 4, 4, 2]
];
var JobTemplateSummary$ = [3, n0, _JTS,
    0,
    [_jTA, _jTI, _d, _cAr],
    [0, 0, 0, 4]
];
var KafkaAction$ = [3, n0, _KA,
    0,
    [_dA, _to, _cPl, _ke, _part, _he],
    [0, 0, 128 | 0, 0, 0, () => KafkaHeaders], 3
];
var KafkaActionHeader$ = [3, n0, _KAH,
    0,
    [_ke, _va],
    [0, 0], 2
];
var KeyPair$ = [3, n0, _KP,
    0,
    [_PKu, _PK],
    [0, [() => PrivateKey, 0]]
];
var KinesisAction$ = [3, n0, _KAi,
    0,
    [_rAo, _sN, _pK],
    [0, 0, 0], 2
];
var LambdaAction$ = [3, n0, _LA,
    0,
    [_fA],
    [0], 1
];
var ListActiveViolationsRequest$ = [3, n0, _LAVR,
    0,
    [_tN, _sPN, _bCT, _lSA, _vS, _nT, _mR],
    [[0, { [_hQ]: _tN }], [0, { [_hQ]: _sPN }], [0, { [_hQ]: _bCT }], [2, { [_hQ]: _lSA }], [0, { [_hQ]: _vS }], [0, { [_hQ]: _nT }], [1, { [_hQ]: _mR }]]
];
var ListActiveViolationsResponse$ = [3, n0, _LAVRi,
    0,
    [_aV, _nT],
    [() => ActiveViolations, 0]
];
var ListAttachedPoliciesRequest$ = [3, n0, _LAPR,
    0,
    [_tar, _recu, _mar, _pS],
    [[0, 1], [2, { [_hQ]: _recu }], [0, { [_hQ]: _mar }], [1, { [_hQ]: _pS }]], 1
];
var ListAttachedPoliciesResponse$ = [3, n0, _LAPRi,
    0,
    [_p, _nM],
    [() => Policies, 0]
];
var ListAuditFindingsRequest$ = [3, n0, _LAFR,
    0,
    [_tI, _cN, _rIe, _mR, _nT, _sT, _eT, _lSF],
    [0, 0, () => ResourceIdentifier$, 1, 0, 4, 4, 2]
];
var ListAuditFindingsResponse$ = [3, n0, _LAFRi,
    0,
    [_find, _nT],
    [() => AuditFindings, 0]
];
var ListAuditMitigationActionsExecutionsRequest$ = [3, n0, _LAMAER,
    0,
    [_tI, _fI, _aSc, _mR, _nT],
    [[0, { [_hQ]: _tI }], [0, { [_hQ]: _fI }], [0, { [_hQ]: _aSc }], [1, { [_hQ]: _mR }], [0, { [_hQ]: _nT }]], 2
];
var ListAuditMitigationActionsExecutionsResponse$ = [3, n0, _LAMAERi,
    0,
    [_aEc, _nT],
    [() => AuditMitigationActionExecutionMetadataList, 0]
];
var ListAuditMitigationActionsTasksRequest$ = [3, n0, _LAMATR,
    0,
    [_sT, _eT, _aTI, _fI, _tS, _mR, _nT],
    [[4, { [_hQ]: _sT }], [4, { [_hQ]: _eT }], [0, { [_hQ]: _aTI }], [0, { [_hQ]: _fI }], [0, { [_hQ]: _tS }], [1, { [_hQ]: _mR }], [0, { [_hQ]: _nT }]], 2
];
var ListAuditMitigationActionsTasksResponse$ = [3, n0, _LAMATRi,
    0,
    [_tas, _nT],
    [() => AuditMitigationActionsTaskMetadataList, 0]
];
var ListAuditSuppressionsRequest$ = [3, n0, _LASR,
    0,
    [_cN, _rIe, _aO, _nT, _mR],
    [0, () => ResourceIdentifier$, 2, 0, 1]
];
var ListAuditSuppressionsResponse$ = [3, n0, _LASRi,
    0,
    [_sup, _nT],
    [() => AuditSuppressionList, 0]
];
var ListAuditTasksRequest$ = [3, n0, _LATR,
    0,
    [_sT, _eT, _tT, _tS, _nT, _mR],
    [[4, { [_hQ]: _sT }], [4, { [_hQ]: _eT }], [0, { [_hQ]: _tT }], [0, { [_hQ]: _tS }], [0, { [_hQ]: _nT }], [1, { [_hQ]: _mR }]], 2
];
var ListAuditTasksResponse$ = [3, n0, _LATRi,
    0,
    [_tas, _nT],
    [() => AuditTaskMetadataList, 0]
];
var ListAuthorizersRequest$ = [3, n0, _LAR,
    0,
    [_pS, _mar, _aO, _st],
    [[1, { [_hQ]: _pS }], [0, { [_hQ]: _mar }], [2, { [_hQ]: _iAO }], [0, { [_hQ]: _st }]]
];
var ListAuthorizersResponse$ = [3, n0, _LARi,
    0,
    [_aut, _nM],
    [() => Authorizers, 0]
];
var ListBillingGroupsRequest$ = [3, n0, _LBGR,
    0,
    [_nT, _mR, _nPF],
    [[0, { [_hQ]: _nT }], [1, { [_hQ]: _mR }], [0, { [_hQ]: _nPF }]]
];
var ListBillingGroupsResponse$ = [3, n0, _LBGRi,
    0,
    [_bG, _nT],
    [() => BillingGroupNameAndArnList, 0]
];
var ListCACertificatesRequest$ = [3, n0, _LCACR,
    0,
    [_pS, _mar, _aO, _tNe],
    [[1, { [_hQ]: _pS }], [0, { [_hQ]: _mar }], [2, { [_hQ]: _iAO }], [0, { [_hQ]: _tNe }]]
];
var ListCACertificatesResponse$ = [3, n0, _LCACRi,
    0,
    [_ce, _nM],
    [() => CACertificates, 0]
];
var ListCertificateProvidersRequest$ = [3, n0, _LCPR,
    0,
    [_nT, _aO],
    [[0, { [_hQ]: _nT }], [2, { [_hQ]: _iAO }]]
];
var ListCertificateProvidersResponse$ = [3, n0, _LCPRi,
    0,
    [_cPe, _nT],
    [() => CertificateProviders, 0]
];
var ListCertificatesByCARequest$ = [3, n0, _LCBCAR,
    0,
    [_cCI, _pS, _mar, _aO],
    [[0, 1], [1, { [_hQ]: _pS }], [0, { [_hQ]: _mar }], [2, { [_hQ]: _iAO }]], 1
];
var ListCertificatesByCAResponse$ = [3, n0, _LCBCARi,
    0,
    [_ce, _nM],
    [() => Certificates, 0]
];
var ListCertificatesRequest$ = [3, n0, _LCR,
    0,
    [_pS, _mar, _aO],
    [[1, { [_hQ]: _pS }], [0, { [_hQ]: _mar }], [2, { [_hQ]: _iAO }]]
];
var ListCertificatesResponse$ = [3, n0, _LCRi,
    0,
    [_ce, _nM],
    [() => Certificates, 0]
];
var ListCommandExecutionsRequest$ = [3, n0, _LCER,
    0,
    [_mR, _nT, _na, _st, _sO, _sTF, _cTF, _tAa, _cAo],
    [[1, { [_hQ]: _mR }], [0, { [_hQ]: _nT }], 0, 0, 0, () => TimeFilter$, () => TimeFilter$, 0, 0]
];
var ListCommandExecutionsResponse$ = [3, n0, _LCERi,
    0,
    [_cE, _nT],
    [() => CommandExecutionSummaryList, 0]
];
var ListCommandsRequest$ = [3, n0, _LCRis,
    0,
    [_mR, _nT, _na, _cPNo, _sO],
    [[1, { [_hQ]: _mR }], [0, { [_hQ]: _nT }], [0, { [_hQ]: _na }], [0, { [_hQ]: _cPNo }], [0, { [_hQ]: _sO }]]
];
var ListCommandsResponse$ = [3, n0, _LCRist,
    0,
    [_com, _nT],
    [() => CommandSummaryList, 0]
];
var ListCustomMetricsRequest$ = [3, n0, _LCMR,
    0,
    [_nT, _mR],
    [[0, { [_hQ]: _nT }], [1, { [_hQ]: _mR }]]
];
var ListCustomMetricsResponse$ = [3, n0, _LCMRi,
    0,
    [_mNet, _nT],
    [64 | 0, 0]
];
var ListDetectMitigationActionsExecutionsRequest$ = [3, n0, _LDMAER,
    0,
    [_tI, _vI, _tN, _sT, _eT, _mR, _nT],
    [[0, { [_hQ]: _tI }], [0, { [_hQ]: _vI }], [0, { [_hQ]: _tN }], [4, { [_hQ]: _sT }], [4, { [_hQ]: _eT }], [1, { [_hQ]: _mR }], [0, { [_hQ]: _nT }]]
];
var ListDetectMitigationActionsExecutionsResponse$ = [3, n0, _LDMAERi,
    0,
    [_aEc, _nT],
    [() => DetectMitigationActionExecutionList, 0]
];
var ListDetectMitigationActionsTasksRequest$ = [3, n0, _LDMATR,
    0,
    [_sT, _eT, _mR, _nT],
    [[4, { [_hQ]: _sT }], [4, { [_hQ]: _eT }], [1, { [_hQ]: _mR }], [0, { [_hQ]: _nT }]], 2
];
var ListDetectMitigationActionsTasksResponse$ = [3, n0, _LDMATRi,
    0,
    [_tas, _nT],
    [() => DetectMitigationActionsTaskSummaryList, 0]
];
var ListDimensionsRequest$ = [3, n0, _LDR,
    0,
    [_nT, _mR],
    [[0, { [_hQ]: _nT }], [1, { [_hQ]: _mR }]]
];
var ListDimensionsResponse$ = [3, n0, _LDRi,
    0,
    [_dNi, _nT],
    [64 | 0, 0]
];
var ListDomainConfigurationsRequest$ = [3, n0, _LDCR,
    0,
    [_mar, _pS, _sTe],
    [[0, { [_hQ]: _mar }], [1, { [_hQ]: _pS }], [0, { [_hQ]: _sTe }]]
];
var ListDomainConfigurationsResponse$ = [3, n0, _LDCRi,
    0,
    [_dCo, _nM],
    [() => DomainConfigurations, 0]
];
var ListFleetMetricsRequest$ = [3, n0, _LFMR,
    0,
    [_nT, _mR],
    [[0, { [_hQ]: _nT }], [1, { [_hQ]: _mR }]]
];
var ListFleetMetricsResponse$ = [3, n0, _LFMRi,
    0,
    [_fM, _nT],
    [() => FleetMetricNameAndArnList, 0]
];
var ListIndicesRequest$ = [3, n0, _LIR,
    0,
    [_nT, _mR],
    [[0, { [_hQ]: _nT }], [1, { [_hQ]: _mR }]]
];
var ListIndicesResponse$ = [3, n0, _LIRi,
    0,
    [_iNnd, _nT],
    [64 | 0, 0]
];
var ListJobExecutionsForJobRequest$ = [3, n0, _LJEFJR,
    0,
    [_jI, _st, _mR, _nT],
    [[0, 1], [0, { [_hQ]: _st }], [1, { [_hQ]: _mR }], [0, { [_hQ]: _nT }]], 1
];
var ListJobExecutionsForJobResponse$ = [3, n0, _LJEFJRi,
    0,
    [_eS, _nT],
    [() => JobExecutionSummaryForJobList, 0]
];
var ListJobExecutionsForThingRequest$ = [3, n0, _LJEFTR,
    0,
    [_tN, _st, _nI, _mR, _nT, _jI],
    [[0, 1], [0, { [_hQ]: _st }], [0, { [_hQ]: _nI }], [1, { [_hQ]: _mR }], [0, { [_hQ]: _nT }], [0, { [_hQ]: _jI }]], 1
];
var ListJobExecutionsForThingResponse$ = [3, n0, _LJEFTRi,
    0,
    [_eS, _nT],
    [() => JobExecutionSummaryForThingList, 0]
];
var ListJobsRequest$ = [3, n0, _LJR,
    0,
    [_st, _tSa, _mR, _nT, _tGNh, _tGI, _nI],
    [[0, { [_hQ]: _st }], [0, { [_hQ]: _tSa }], [1, { [_hQ]: _mR }], [0, { [_hQ]: _nT }], [0, { [_hQ]: _tGNh }], [0, { [_hQ]: _tGI }], [0, { [_hQ]: _nI }]]
];
var ListJobsResponse$ = [3, n0, _LJRi,
    0,
    [_jo, _nT],
    [() => JobSummaryList, 0]
];
var ListJobTemplatesRequest$ = [3, n0, _LJTR,
    0,
    [_mR, _nT],
    [[1, { [_hQ]: _mR }], [0, { [_hQ]: _nT }]]
];
var ListJobTemplatesResponse$ = [3, n0, _LJTRi,
    0,
    [_jT, _nT],
    [() => JobTemplateSummaryList, 0]
];
var ListManagedJobTemplatesRequest$ = [3, n0, _LMJTR,
    0,
    [_tNe, _mR, _nT],
    [[0, { [_hQ]: _tNe }], [1, { [_hQ]: _mR }], [0, { [_hQ]: _nT }]]
];
var ListManagedJobTemplatesResponse$ = [3, n0, _LMJTRi,
    0,
    [_mJT, _nT],
    [() => ManagedJobTemplatesSummaryList, 0]
];
var ListMetricValuesRequest$ = [3, n0, _LMVR,
    0,
    [_tN, _mNe, _sT, _eT, _dNim, _dVO, _mR, _nT],
    [[0, { [_hQ]: _tN }], [0, { [_hQ]: _mNe }], [4, { [_hQ]: _sT }], [4, { [_hQ]: _eT }], [0, { [_hQ]: _dNim }], [0, { [_hQ]: _dVO }], [1, { [_hQ]: _mR }], [0, { [_hQ]: _nT }]], 4
];
var ListMetricValuesResponse$ = [3, n0, _LMVRi,
    0,
    [_mDL, _nT],
    [() => MetricDatumList, 0]
];
var ListMitigationActionsRequest$ = [3, n0, _LMAR,
    0,
    [_aT, _mR, _nT],
    [[0, { [_hQ]: _aT }], [1, { [_hQ]: _mR }], [0, { [_hQ]: _nT }]]
];
var ListMitigationActionsResponse$ = [3, n0, _LMARi,
    0,
    [_aIc, _nT],
    [() => MitigationActionIdentifierList, 0]
];
var ListOTAUpdatesRequest$ = [3, n0, _LOTAUR,
    0,
    [_mR, _nT, _oUS],
    [[1, { [_hQ]: _mR }], [0, { [_hQ]: _nT }], [0, { [_hQ]: _oUS }]]
];
var ListOTAUpdatesResponse$ = [3, n0, _LOTAURi,
    0,
    [_oU, _nT],
    [() => OTAUpdatesSummary, 0]
];
var ListOutgoingCertificatesRequest$ = [3, n0, _LOCR,
    0,
    [_pS, _mar, _aO],
    [[1, { [_hQ]: _pS }], [0, { [_hQ]: _mar }], [2, { [_hQ]: _iAO }]]
];
var ListOutgoingCertificatesResponse$ = [3, n0, _LOCRi,
    0,
    [_oC, _nM],
    [() => OutgoingCertificates, 0]
];
var ListPackagesRequest$ = [3, n0, _LPR,
    0,
    [_mR, _nT],
    [[1, { [_hQ]: _mR }], [0, { [_hQ]: _nT }]]
];
var ListPackagesResponse$ = [3, n0, _LPRi,
    0,
    [_pSa, _nT],
    [() => PackageSummaryList, 0]
];
var ListPackageVersionsRequest$ = [3, n0, _LPVR,
    0,
    [_pN, _st, _mR, _nT],
    [[0, 1], [0, { [_hQ]: _st }], [1, { [_hQ]: _mR }], [0, { [_hQ]: _nT }]], 1
];
var ListPackageVersionsResponse$ = [3, n0, _LPVRi,
    0,
    [_pVS, _nT],
    [() => PackageVersionSummaryList, 0]
];
var ListPoliciesRequest$ = [3, n0, _LPRis,
    0,
    [_mar, _pS, _aO],
    [[0, { [_hQ]: _mar }], [1, { [_hQ]: _pS }], [2, { [_hQ]: _iAO }]]
];
var ListPoliciesResponse$ = [3, n0, _LPRist,
    0,
    [_p, _nM],
    [() => Policies, 0]
];
var ListPolicyPrincipalsRequest$ = [3, n0, _LPPR,
    0,
    [_pNo, _mar, _pS, _aO],
    [[0, { [_hH]: _xaip_ }], [0, { [_hQ]: _mar }], [1, { [_hQ]: _pS }], [2, { [_hQ]: _iAO }]], 1
];
var ListPolicyPrincipalsResponse$ = [3, n0, _LPPRi,
    0,
    [_pri, _nM],
    [64 | 0, 0]
];
var ListPolicyVersionsRequest$ = [3, n0, _LPVRis,
    0,
    [_pNo],
    [[0, 1]], 1
];
var ListPolicyVersionsResponse$ = [3, n0, _LPVRist,
    0,
    [_pV],
    [() => PolicyVersions]
];
var ListPrincipalPoliciesRequest$ = [3, n0, _LPPRis,
    0,
    [_pr, _mar, _pS, _aO],
    [[0, { [_hH]: _xaip }], [0, { [_hQ]: _mar }], [1, { [_hQ]: _pS }], [2, { [_hQ]: _iAO }]], 1
];
var ListPrincipalPoliciesResponse$ = [3, n0, _LPPRist,
    0,
    [_p, _nM],
    [() => Policies, 0]
];
var ListPrincipalThingsRequest$ = [3, n0, _LPTR,
    0,
    [_pr, _nT, _mR],
    [[0, { [_hH]: _xap }], [0, { [_hQ]: _nT }], [1, { [_hQ]: _mR }]], 1
];
var ListPrincipalThingsResponse$ = [3, n0, _LPTRi,
    0,
    [_th, _nT],
    [64 | 0, 0]
];
var ListPrincipalThingsV2Request$ = [3, n0, _LPTVR,
    0,
    [_pr, _nT, _mR, _tPT],
    [[0, { [_hH]: _xap }], [0, { [_hQ]: _nT }], [1, { [_hQ]: _mR }], [0, { [_hQ]: _tPT }]], 1
];
var ListPrincipalThingsV2Response$ = [3, n0, _LPTVRi,
    0,
    [_pTO, _nT],
    [() => PrincipalThingObjects, 0]
];
var ListProvisioningTemplatesRequest$ = [3, n0, _LPTRis,
    0,
    [_mR, _nT],
    [[1, { [_hQ]: _mR }], [0, { [_hQ]: _nT }]]
];
var ListProvisioningTemplatesResponse$ = [3, n0, _LPTRist,
    0,
    [_te, _nT],
    [() => ProvisioningTemplateListing, 0]
];
var ListProvisioningTemplateVersionsRequest$ = [3, n0, _LPTVRis,
    0,
    [_tNe, _mR, _nT],
    [[0, 1], [1, { [_hQ]: _mR }], [0, { [_hQ]: _nT }]], 1
];
var ListProvisioningTemplateVersionsResponse$ = [3, n0, _LPTVRist,
    0,
    [_vers, _nT],
    [() => ProvisioningTemplateVersionListing, 0]
];
var ListRelatedResourcesForAuditFindingRequest$ = [3, n0, _LRRFAFR,
    0,
    [_fI, _nT, _mR],
    [[0, { [_hQ]: _fI }], [0, { [_hQ]: _nT }], [1, { [_hQ]: _mR }]], 1
];
var ListRelatedResourcesForAuditFindingResponse$ = [3, n0, _LRRFAFRi,
    0,
    [_rR, _nT],
    [() => RelatedResources, 0]
];
var ListRoleAliasesRequest$ = [3, n0, _LRAR,
    0,
    [_pS, _mar, _aO],
    [[1, { [_hQ]: _pS }], [0, { [_hQ]: _mar }], [2, { [_hQ]: _iAO }]]
];
var ListRoleAliasesResponse$ = [3, n0, _LRARi,
    0,
    [_rAole, _nM],
    [64 | 0, 0]
];
var ListSbomValidationResultsRequest$ = [3, n0, _LSVRR,
    0,
    [_pN, _vN, _vR, _mR, _nT],
    [[0, 1], [0, 1], [0, { [_hQ]: _vR }], [1, { [_hQ]: _mR }], [0, { [_hQ]: _nT }]], 2
];
var ListSbomValidationResultsResponse$ = [3, n0, _LSVRRi,
    0,
    [_vRS, _nT],
    [() => SbomValidationResultSummaryList, 0]
];
var ListScheduledAuditsRequest$ = [3, n0, _LSAR,
    0,
    [_nT, _mR],
    [[0, { [_hQ]: _nT }], [1, { [_hQ]: _mR }]]
];
var ListScheduledAuditsResponse$ = [3, n0, _LSARi,
    0,
    [_sAc, _nT],
    [() => ScheduledAuditMetadataList, 0]
];
var ListSecurityProfilesForTargetRequest$ = [3, n0, _LSPFTR,
    0,
    [_sPTA, _nT, _mR, _recu],
    [[0, { [_hQ]: _sPTA }], [0, { [_hQ]: _nT }], [1, { [_hQ]: _mR }], [2, { [_hQ]: _recu }]], 1
];
var ListSecurityProfilesForTargetResponse$ = [3, n0, _LSPFTRi,
    0,
    [_sPTM, _nT],
    [() => SecurityProfileTargetMappings, 0]
];
var ListSecurityProfilesRequest$ = [3, n0, _LSPR,
    0,
    [_nT, _mR, _dNim, _mNe],
    [[0, { [_hQ]: _nT }], [1, { [_hQ]: _mR }], [0, { [_hQ]: _dNim }], [0, { [_hQ]: _mNe }]]
];
var ListSecurityProfilesResponse$ = [3, n0, _LSPRi,
    0,
    [_sPI, _nT],
    [() => SecurityProfileIdentifiers, 0]
];
var ListStreamsRequest$ = [3, n0, _LSR,
    0,
    [_mR, _nT, _aO],
    [[1, { [_hQ]: _mR }], [0, { [_hQ]: _nT }], [2, { [_hQ]: _iAO }]]
];
var ListStreamsResponse$ = [3, n0, _LSRi,
    0,
    [_strea, _nT],
    [() => StreamsSummary, 0]
];
var ListTagsForResourceRequest$ = [3, n0, _LTFRR,
    0,
    [_rA, _nT],
    [[0, { [_hQ]: _rA }], [0, { [_hQ]: _nT }]], 1
];
var ListTagsForResourceResponse$ = [3, n0, _LTFRRi,
    0,
    [_tag, _nT],
    [() => TagList, 0]
];
var ListTargetsForPolicyRequest$ = [3, n0, _LTFPR,
    0,
    [_pNo, _mar, _pS],
    [[0, 1], [0, { [_hQ]: _mar }], [1, { [_hQ]: _pS }]], 1
];
var ListTargetsForPolicyResponse$ = [3, n0, _LTFPRi,
    0,
    [_ta, _nM],
    [64 | 0, 0]
];
var ListTargetsForSecurityProfileRequest$ = [3, n0, _LTFSPR,
    0,
    [_sPN, _nT, _mR],
    [[0, 1], [0, { [_hQ]: _nT }], [1, { [_hQ]: _mR }]], 1
];
var ListTargetsForSecurityProfileResponse$ = [3, n0, _LTFSPRi,
    0,
    [_sPT, _nT],
    [() => SecurityProfileTargets, 0]
];
var ListThingGroupsForThingRequest$ = [3, n0, _LTGFTR,
    0,
    [_tN, _nT, _mR],
    [[0, 1], [0, { [_hQ]: _nT }], [1, { [_hQ]: _mR }]], 1
];
var ListThingGroupsForThingResponse$ = [3, n0, _LTGFTRi,
    0,
    [_tG, _nT],
    [() => ThingGroupNameAndArnList, 0]
];
var ListThingGroupsRequest$ = [3, n0, _LTGR,
    0,
    [_nT, _mR, _pG, _nPF, _recu],
    [[0, { [_hQ]: _nT }], [1, { [_hQ]: _mR }], [0, { [_hQ]: _pG }], [0, { [_hQ]: _nPF }], [2, { [_hQ]: _recu }]]
];
var ListThingGroupsResponse$ = [3, n0, _LTGRi,
    0,
    [_tG, _nT],
    [() => ThingGroupNameAndArnList, 0]
];
var ListThingPrincipalsRequest$ = [3, n0, _LTPR,
    0,
    [_tN, _nT, _mR],
    [[0, 1], [0, { [_hQ]: _nT }], [1, { [_hQ]: _mR }]], 1
];
var ListThingPrincipalsResponse$ = [3, n0, _LTPRi,
    0,
    [_pri, _nT],
    [64 | 0, 0]
];
var ListThingPrincipalsV2Request$ = [3, n0, _LTPVR,
    0,
    [_tN, _nT, _mR, _tPT],
    [[0, 1], [0, { [_hQ]: _nT }], [1, { [_hQ]: _mR }], [0, { [_hQ]: _tPT }]], 1
];
var ListThingPrincipalsV2Response$ = [3, n0, _LTPVRi,
    0,
    [_tPO, _nT],
    [() => ThingPrincipalObjects, 0]
];
var ListThingRegistrationTaskReportsRequest$ = [3, n0, _LTRTRR,
    0,
    [_tI, _rT, _nT, _mR],
    [[0, 1], [0, { [_hQ]: _rT }], [0, { [_hQ]: _nT }], [1, { [_hQ]: _mR }]], 2
];
var ListThingRegistrationTaskReportsResponse$ = [3, n0, _LTRTRRi,
    0,
    [_rL, _rT, _nT],
    [64 | 0, 0, 0]
];
var ListThingRegistrationTasksRequest$ = [3, n0, _LTRTR,
    0,
    [_nT, _mR, _st],
    [[0, { [_hQ]: _nT }], [1, { [_hQ]: _mR }], [0, { [_hQ]: _st }]]
];
var ListThingRegistrationTasksResponse$ = [3, n0, _LTRTRi,
    0,
    [_tIas, _nT],
    [64 | 0, 0]
];
var ListThingsInBillingGroupRequest$ = [3, n0, _LTIBGR,
    0,
    [_bGN, _nT, _mR],
    [[0, 1], [0, { [_hQ]: _nT }], [1, { [_hQ]: _mR }]], 1
];
var ListThingsInBillingGroupResponse$ = [3, n0, _LTIBGRi,
    0,
    [_th, _nT],
    [64 | 0, 0]
];
var ListThingsInThingGroupRequest$ = [3, n0, _LTITGR,
    0,
    [_tGNh, _recu, _nT, _mR],
    [[0, 1], [2, { [_hQ]: _recu }], [0, { [_hQ]: _nT }], [1, { [_hQ]: _mR }]], 1
];
var ListThingsInThingGroupResponse$ = [3, n0, _LTITGRi,
    0,
    [_th, _nT],
    [64 | 0, 0]
];
var ListThingsRequest$ = [3, n0, _LTR,
    0,
    [_nT, _mR, _aNt, _aVt, _tTN, _uPAV],
    [[0, { [_hQ]: _nT }], [1, { [_hQ]: _mR }], [0, { [_hQ]: _aNt }], [0, { [_hQ]: _aVt }], [0, { [_hQ]: _tTN }], [2, { [_hQ]: _uPAV }]]
];
var ListThingsResponse$ = [3, n0, _LTRi,
    0,
    [_th, _nT],
    [() => ThingAttributeList, 0]
];
var ListThingTypesRequest$ = [3, n0, _LTTR,
    0,
    [_nT, _mR, _tTN],
    [[0, { [_hQ]: _nT }], [1, { [_hQ]: _mR }], [0, { [_hQ]: _tTN }]]
];
var ListThingTypesResponse$ = [3, n0, _LTTRi,
    0,
    [_tTh, _nT],
    [() => ThingTypeList, 0]
];
var ListTopicRuleDestinationsRequest$ = [3, n0, _LTRDR,
    0,
    [_mR, _nT],
    [[1, { [_hQ]: _mR }], [0, { [_hQ]: _nT }]]
];
var ListTopicRuleDestinationsResponse$ = [3, n0, _LTRDRi,
    0,
    [_dSes, _nT],
    [() => TopicRuleDestinationSummaries, 0]
];
var ListTopicRulesRequest$ = [3, n0, _LTRR,
    0,
    [_to, _mR, _nT, _rD],
    [[0, { [_hQ]: _to }], [1, { [_hQ]: _mR }], [0, { [_hQ]: _nT }], [2, { [_hQ]: _rD }]]
];
var ListTopicRulesResponse$ = [3, n0, _LTRRi,
    0,
    [_rul, _nT],
    [() => TopicRuleList, 0]
];
var ListV2LoggingLevelsRequest$ = [3, n0, _LVLLR,
    0,
    [_tTa, _nT, _mR],
    [[0, { [_hQ]: _tTa }], [0, { [_hQ]: _nT }], [1, { [_hQ]: _mR }]]
];
var ListV2LoggingLevelsResponse$ = [3, n0, _LVLLRi,
    0,
    [_lTC, _nT],
    [() => LogTargetConfigurations, 0]
];
var ListViolationEventsRequest$ = [3, n0, _LVER,
    0,
    [_sT, _eT, _tN, _sPN, _bCT, _lSA, _vS, _nT, _mR],
    [[4, { [_hQ]: _sT }], [4, { [_hQ]: _eT }], [0, { [_hQ]: _tN }], [0, { [_hQ]: _sPN }], [0, { [_hQ]: _bCT }], [2, { [_hQ]: _lSA }], [0, { [_hQ]: _vS }], [0, { [_hQ]: _nT }], [1, { [_hQ]: _mR }]], 2
];
var ListViolationEventsResponse$ = [3, n0, _LVERi,
    0,
    [_vE, _nT],
    [() => ViolationEvents, 0]
];
var LocationAction$ = [3, n0, _LAo,
    0,
    [_rAo, _tNr, _dI, _la, _lon, _ti],
    [0, 0, 0, 0, 0, () => LocationTimestamp$], 5
];
var LocationTimestamp$ = [3, n0, _LT,
    0,
    [_va, _u],
    [0, 0], 1
];
var LogEventConfiguration$ = [3, n0, _LEC,
    0,
    [_eTv, _lL, _lD],
    [0, 0, 0], 1
];
var LoggingOptionsPayload$ = [3, n0, _LOP,
    0,
    [_rAo, _lL],
    [0, 0], 1
];
var LogTarget$ = [3, n0, _LTo,
    0,
    [_tTa, _tNa],
    [0, 0], 1
];
var LogTargetConfiguration$ = [3, n0, _LTC,
    0,
    [_lT, _lL],
    [() => LogTarget$, 0]
];
var MachineLearningDetectionConfig$ = [3, n0, _MLDC,
    0,
    [_cLo],
    [0], 1
];
var MaintenanceWindow$ = [3, n0, _MW,
    0,
    [_sT, _dIM],
    [0, 1], 2
];
var ManagedJobTemplateSummary$ = [3, n0, _MJTS,
    0,
    [_tAem, _tNe, _d, _env, _tV],
    [0, 0, 0, 64 | 0, 0]
];
var MetricDatum$ = [3, n0, _MD,
    0,
    [_ti, _va],
    [4, () => MetricValue$]
];
var MetricDimension$ = [3, n0, _MDe,
    0,
    [_dNim, _oper],
    [0, 0], 1
];
var MetricsExportConfig$ = [3, n0, _MEC,
    0,
    [_mTq, _rAo],
    [0, 0], 2
];
var MetricToRetain$ = [3, n0, _MTR,
    0,
    [_met, _mD, _eM],
    [0, () => MetricDimension$, 2], 1
];
var MetricValue$ = [3, n0, _MV,
    0,
    [_cou, _ci, _po, _nu, _num, _stri],
    [1, 64 | 0, 64 | 1, 1, 64 | 1, 64 | 0]
];
var MitigationAction$ = [3, n0, _MA,
    0,
    [_n, _id, _rAo, _aPc],
    [0, 0, 0, () => MitigationActionParams$]
];
var MitigationActionIdentifier$ = [3, n0, _MAI,
    0,
    [_aN, _aAc, _cD],
    [0, 0, 4]
];
var MitigationActionParams$ = [3, n0, _MAP,
    0,
    [_uDCP, _uCACP, _aTTTGP, _rDPVP, _eITLP, _pFTSP],
    [() => UpdateDeviceCertificateParams$, () => UpdateCACertificateParams$, () => AddThingsToThingGroupParams$, () => ReplaceDefaultPolicyVersionParams$, () => EnableIoTLoggingParams$, () => PublishFindingToSnsParams$]
];
var Mqtt5Configuration$ = [3, n0, _MC,
    0,
    [_pAr],
    [() => PropagatingAttributeList]
];
var MqttContext$ = [3, n0, _MCq,
    0,
    [_us, _pas, _cIl],
    [0, 21, 0]
];
var MqttHeaders$ = [3, n0, _MH,
    0,
    [_pFI, _cTo, _rTe, _cDor, _mE, _uP],
    [0, 0, 0, 0, 0, () => UserProperties]
];
var NonCompliantResource$ = [3, n0, _NCR,
    0,
    [_rTes, _rIe, _aId],
    [0, () => ResourceIdentifier$, 128 | 0]
];
var OpenSearchAction$ = [3, n0, _OSA,
    0,
    [_rAo, _end, _i, _ty, _id],
    [0, 0, 0, 0, 0], 5
];
var OTAUpdateFile$ = [3, n0, _OTAUF,
    0,
    [_fN, _fTil, _fV, _fL, _cSo, _at],
    [0, 1, 0, () => FileLocation$, () => CodeSigning$, 128 | 0]
];
var OTAUpdateInfo$ = [3, n0, _OTAUI,
    0,
    [_oUI, _oUA, _cD, _lMD, _d, _ta, _pro, _aJERC, _aJPUC, _tSa, _oUF, _oUS, _aIJI, _aIJA, _eIr, _aPd],
    [0, 0, 4, 4, 0, 64 | 0, 64 | 0, () => AwsJobExecutionsRolloutConfig$, () => AwsJobPresignedUrlConfig$, 0, () => OTAUpdateFiles, 0, 0, 0, () => ErrorInfo$, 128 | 0]
];
var OTAUpdateSummary$ = [3, n0, _OTAUS,
    0,
    [_oUI, _oUA, _cD],
    [0, 0, 4]
];
var OutgoingCertificate$ = [3, n0, _OC,
    0,
    [_cAe, _cI, _tTr, _tDr, _tM, _cD],
    [0, 0, 0, 4, 0, 4]
];
var PackageSummary$ = [3, n0, _PS,
    0,
    [_pN, _dVN, _cD, _lMD],
    [0, 0, 4, 4]
];
var PackageVersionArtifact$ = [3, n0, _PVA,
    0,
    [_sL],
    [() => S3Location$]
];
var PackageVersionSummary$ = [3, n0, _PVS,
    0,
    [_pN, _vN, _st, _cD, _lMD],
    [0, 0, 0, 4, 4]
];
var PercentPair$ = [3, n0, _PP,
    0,
    [_perce, _va],
    [1, 1]
];
var Policy$ = [3, n0, _P,
    0,
    [_pNo, _pAo],
    [0, 0]
];
var PolicyVersion$ = [3, n0, _PV,
    0,
    [_vIe, _iDV, _cDr],
    [0, 2, 4]
];
var PolicyVersionIdentifier$ = [3, n0, _PVI,
    0,
    [_pNo, _pVI],
    [0, 0]
];
var PresignedUrlConfig$ = [3, n0, _PUC,
    0,
    [_rAo, _eIS],
    [0, 1]
];
var PrincipalThingObject$ = [3, n0, _PTO,
    0,
    [_tN, _tPT],
    [0, 0], 1
];
var PropagatingAttribute$ = [3, n0, _PA,
    0,
    [_uPK, _tAh, _cAon],
    [0, 0, 0]
];
var ProvisioningHook$ = [3, n0, _PH,
    0,
    [_tAa, _pVa],
    [0, 0], 1
];
var ProvisioningTemplateSummary$ = [3, n0, _PTS,
    0,
    [_tAem, _tNe, _d, _cD, _lMD, _en, _ty],
    [0, 0, 0, 4, 4, 2, 0]
];
var ProvisioningTemplateVersionSummary$ = [3, n0, _PTVS,
    0,
    [_vIe, _cD, _iDV],
    [1, 4, 2]
];
var PublishFindingToSnsParams$ = [3, n0, _PFTSP,
    0,
    [_tAo],
    [0], 1
];
var PutAssetPropertyValueEntry$ = [3, n0, _PAPVE,
    0,
    [_pVr, _eIn, _aIs, _pIr, _pAro],
    [() => AssetPropertyValueList, 0, 0, 0, 0], 1
];
var PutItemInput$ = [3, n0, _PII,
    0,
    [_tNab],
    [0], 1
];
var PutVerificationStateOnViolationRequest$ = [3, n0, _PVSOVR,
    0,
    [_vI, _vS, _vSD],
    [[0, 1], 0, 0], 2
];
var PutVerificationStateOnViolationResponse$ = [3, n0, _PVSOVRu,
    0,
    [],
    []
];
var RateIncreaseCriteria$ = [3, n0, _RIC,
    0,
    [_nONT, _nOST],
    [1, 1]
];
var RegisterCACertificateRequest$ = [3, n0, _RCACR,
    0,
    [_cCa, _vCe, _sAA, _aAR, _rCe, _tag, _cMe],
    [0, 0, [2, { [_hQ]: _sAA }], [2, { [_hQ]: _aAR }], () => RegistrationConfig$, () => TagList, 0], 1
];
var RegisterCACertificateResponse$ = [3, n0, _RCACRe,
    0,
    [_cAe, _cI],
    [0, 0]
];
var RegisterCertificateRequest$ = [3, n0, _RCR,
    0,
    [_cP, _cCP, _sAA, _st],
    [0, 0, [2, { [_hQ]: _sAA }], 0], 1
];
var RegisterCertificateResponse$ = [3, n0, _RCRe,
    0,
    [_cAe, _cI],
    [0, 0]
];
var RegisterCertificateWithoutCARequest$ = [3, n0, _RCWCAR,
    0,
    [_cP, _st],
    [0, 0], 1
];
var RegisterCertificateWithoutCAResponse$ = [3, n0, _RCWCARe,
    0,
    [_cAe, _cI],
    [0, 0]
];
var RegisterThingRequest$ = [3, n0, _RTR,
    0,
    [_tB, _par],
    [0, 128 | 0], 1
];
var RegisterThingResponse$ = [3, n0, _RTRe,
    0,
    [_cP, _rAes],
    [0, 128 | 0]
];
var RegistrationConfig$ = [3, n0, _RC,
    0,
    [_tB, _rAo, _tNe],
    [0, 0, 0]
];
var RejectCertificateTransferRequest$ = [3, n0, _RCTR,
    0,
    [_cI, _rRe],
    [[0, 1], 0], 1
];
var RelatedResource$ = [3, n0, _RR,
    0,
    [_rTes, _rIe, _aId],
    [0, () => ResourceIdentifier$, 128 | 0]
];
var RemoveThingFromBillingGroupRequest$ = [3, n0, _RTFBGR,
    0,
    [_bGN, _bGA, _tN, _tA],
    [0, 0, 0, 0]
];
var RemoveThingFromBillingGroupResponse$ = [3, n0, _RTFBGRe,
    0,
    [],
    []
];
var RemoveThingFromThingGroupRequest$ = [3, n0, _RTFTGR,
    0,
    [_tGNh, _tGA, _tN, _tA],
    [0, 0, 0, 0]
];
var RemoveThingFromThingGroupResponse$ = [3, n0, _RTFTGRe,
    0,
    [],
    []
];
var ReplaceDefaultPolicyVersionParams$ = [3, n0, _RDPVP,
    0,
    [_tNe],
    [0], 1
];
var ReplaceTopicRuleRequest$ = [3, n0, _RTRR,
    0,
    [_rN, _tRP],
    [[0, 1], [() => TopicRulePayload$, 16]], 2
];
var RepublishAction$ = [3, n0, _RA,
    0,
    [_rAo, _to, _qo, _he],
    [0, 0, 1, () => MqttHeaders$], 2
];
var ResourceIdentifier$ = [3, n0, _RI,
    0,
    [_dCIe, _cCI, _cIPI, _cIl, _pVIo, _ac, _iRA, _rAA, _iCI, _dCAe],
    [0, 0, 0, 0, () => PolicyVersionIdentifier$, 0, 0, 0, () => IssuerCertificateIdentifier$, 0]
];
var RetryCriteria$ = [3, n0, _RCe,
    0,
    [_fT, _nOR],
    [0, 1], 2
];
var RoleAliasDescription$ = [3, n0, _RAD,
    0,
    [_rAol, _rAA, _rAo, _ow, _cDS, _cD, _lMD],
    [0, 0, 0, 0, 1, 4, 4]
];
var S3Action$ = [3, n0, _SA,
    0,
    [_rAo, _bNu, _ke, _cAa],
    [0, 0, 0, 0], 3
];
var S3Destination$ = [3, n0, _SD,
    0,
    [_buc, _pref],
    [0, 0]
];
var S3Location$ = [3, n0, _SL,
    0,
    [_buc, _ke, _ve],
    [0, 0, 0]
];
var SalesforceAction$ = [3, n0, _SAa,
    0,
    [_tok, _ur],
    [0, 0], 2
];
var Sbom$ = [3, n0, _Sb,
    0,
    [_sL],
    [() => S3Location$]
];
var SbomValidationResultSummary$ = [3, n0, _SVRS,
    0,
    [_fN, _vR, _eC, _eMr],
    [0, 0, 0, 0]
];
var ScheduledAuditMetadata$ = [3, n0, _SAM,
    0,
    [_sAN, _sAAc, _fr, _dOM, _dOW],
    [0, 0, 0, 0, 0]
];
var ScheduledJobRollout$ = [3, n0, _SJR,
    0,
    [_sT],
    [0]
];
var SchedulingConfig$ = [3, n0, _SC,
    0,
    [_sT, _eT, _eBn, _mW],
    [0, 0, 0, () => MaintenanceWindows]
];
var SearchIndexRequest$ = [3, n0, _SIR,
    0,
    [_qS, _iN, _nT, _mR, _qV],
    [0, 0, 0, 1, 0], 1
];
var SearchIndexResponse$ = [3, n0, _SIRe,
    0,
    [_nT, _th, _tG],
    [0, () => ThingDocumentList, () => ThingGroupDocumentList]
];
var SecurityProfileIdentifier$ = [3, n0, _SPI,
    0,
    [_n, _ar],
    [0, 0], 2
];
var SecurityProfileTarget$ = [3, n0, _SPT,
    0,
    [_ar],
    [0], 1
];
var SecurityProfileTargetMapping$ = [3, n0, _SPTM,
    0,
    [_sPIe, _tar],
    [() => SecurityProfileIdentifier$, () => SecurityProfileTarget$]
];
var ServerCertificateConfig$ = [3, n0, _SCC,
    0,
    [_eOCSPC, _oLA, _oARA],
    [2, 0, 0]
];
var ServerCertificateSummary$ = [3, n0, _SCS,
    0,
    [_sCAe, _sCS, _sCSD],
    [0, 0, 0]
];
var SetDefaultAuthorizerRequest$ = [3, n0, _SDAR,
    0,
    [_aNu],
    [0], 1
];
var SetDefaultAuthorizerResponse$ = [3, n0, _SDARe,
    0,
    [_aNu, _aA],
    [0, 0]
];
var SetDefaultPolicyVersionRequest$ = [3, n0, _SDPVR,
    0,
    [_pNo, _pVI],
    [[0, 1], [0, 1]], 2
];
var SetLoggingOptionsRequest$ = [3, n0, _SLOR,
    0,
    [_lOP],
    [[() => LoggingOptionsPayload$, 16]], 1
];
var SetV2LoggingLevelRequest$ = [3, n0, _SVLLR,
    0,
    [_lT, _lL],
    [() => LogTarget$, 0], 2
];
var SetV2LoggingOptionsRequest$ = [3, n0, _SVLOR,
    0,
    [_rAo, _dLL, _dAL, _eCv],
    [0, 0, 2, () => LogEventConfigurations]
];
var SigningProfileParameter$ = [3, n0, _SPP,
    0,
    [_cAe, _pl, _cPOD],
    [0, 0, 0]
];
var SigV4Authorization$ = [3, n0, _SVA,
    0,
    [_sRi, _sNe, _rAo],
    [0, 0, 0], 3
];
var SnsAction$ = [3, n0, _SAn,
    0,
    [_tAa, _rAo, _mF],
    [0, 0, 0], 2
];
var SqsAction$ = [3, n0, _SAq,
    0,
    [_rAo, _qU, _uB],
    [0, 0, 2], 2
];
var StartAuditMitigationActionsTaskRequest$ = [3, n0, _SAMATR,
    0,
    [_tI, _tar, _aCTAM, _cRT],
    [[0, 1], () => AuditMitigationActionsTaskTarget$, [2, n0, _ACTAM, 0, 0, 64 | 0], [0, 4]], 3
];
var StartAuditMitigationActionsTaskResponse$ = [3, n0, _SAMATRt,
    0,
    [_tI],
    [0]
];
var StartDetectMitigationActionsTaskRequest$ = [3, n0, _SDMATR,
    0,
    [_tI, _tar, _act, _vEOR, _iOAV, _iSA, _cRT],
    [[0, 1], () => DetectMitigationActionsTaskTarget$, 64 | 0, () => ViolationEventOccurrenceRange$, 2, 2, [0, 4]], 3
];
var StartDetectMitigationActionsTaskResponse$ = [3, n0, _SDMATRt,
    0,
    [_tI],
    [0]
];
var StartOnDemandAuditTaskRequest$ = [3, n0, _SODATR,
    0,
    [_tCN],
    [64 | 0], 1
];
var StartOnDemandAuditTaskResponse$ = [3, n0, _SODATRt,
    0,
    [_tI],
    [0]
];
var StartSigningJobParameter$ = [3, n0, _SSJP,
    0,
    [_sPP, _sPNi, _des],
    [() => SigningProfileParameter$, 0, () => Destination$]
];
var StartThingRegistrationTaskRequest$ = [3, n0, _STRTR,
    0,
    [_tB, _iFB, _iFK, _rAo],
    [0, 0, 0, 0], 4
];
var StartThingRegistrationTaskResponse$ = [3, n0, _STRTRt,
    0,
    [_tI],
    [0]
];
var StatisticalThreshold$ = [3, n0, _ST,
    0,
    [_stat],
    [0]
];
var Statistics$ = [3, n0, _St,
    0,
    [_cou, _av, _sum, _min, _max, _sOS, _var, _sDtd],
    [1, 1, 1, 1, 1, 1, 1, 1]
];
var StatusReason$ = [3, n0, _SR,
    0,
    [_rC, _rDe],
    [0, 0], 1
];
var StepFunctionsAction$ = [3, n0, _SFA,
    0,
    [_sMN, _rAo, _eNP],
    [0, 0, 0], 2
];
var StopThingRegistrationTaskRequest$ = [3, n0, _STRTRto,
    0,
    [_tI],
    [[0, 1]], 1
];
var StopThingRegistrationTaskResponse$ = [3, n0, _STRTRtop,
    0,
    [],
    []
];
var _Stream$ = [3, n0, _Str,
    0,
    [_sIt, _fIil],
    [0, 1]
];
var StreamFile$ = [3, n0, _SF,
    0,
    [_fIil, _sL],
    [1, () => S3Location$]
];
var StreamInfo$ = [3, n0, _SIt,
    0,
    [_sIt, _sAtr, _sVtr, _d, _fi, _cAr, _lUA, _rAo],
    [0, 0, 1, 0, () => StreamFiles, 4, 4, 0]
];
var StreamSummary$ = [3, n0, _SS,
    0,
    [_sIt, _sAtr, _sVtr, _d],
    [0, 0, 1, 0]
];
var Tag$ = [3, n0, _T,
    0,
    [_K, _V],
    [0, 0], 1
];
var TagResourceRequest$ = [3, n0, _TRR,
    0,
    [_rA, _tag],
    [0, () => TagList], 2
];
var TagResourceResponse$ = [3, n0, _TRRa,
    0,
    [],
    []
];
var TaskStatistics$ = [3, n0, _TS,
    0,
    [_tCot, _iPC, _wFDCC, _cCo, _nCC, _fCa, _cCan],
    [1, 1, 1, 1, 1, 1, 1]
];
var TaskStatisticsForAuditCheck$ = [3, n0, _TSFAC,
    0,
    [_tFC, _fFC, _sFC, _sFCk, _cFC],
    [1, 1, 1, 1, 1]
];
var TermsAggregation$ = [3, n0, _TA,
    0,
    [_mB],
    [1]
];
var TestAuthorizationRequest$ = [3, n0, _TAR,
    0,
    [_aIut, _pr, _cIPI, _cIl, _pNTA, _pNTS],
    [() => AuthInfos, 0, 0, [0, { [_hQ]: _cIl }], 64 | 0, 64 | 0], 1
];
var TestAuthorizationResponse$ = [3, n0, _TARe,
    0,
    [_aR],
    [() => AuthResults]
];
var TestInvokeAuthorizerRequest$ = [3, n0, _TIAR,
    0,
    [_aNu, _tok, _tSo, _hC, _mC, _tCl],
    [[0, 1], 0, 0, () => HttpContext$, () => MqttContext$, () => TlsContext$], 1
];
var TestInvokeAuthorizerResponse$ = [3, n0, _TIARe,
    0,
    [_iAs, _pIri, _pDol, _rAIS, _dAIS],
    [2, 0, 64 | 0, 1, 1]
];
var ThingAttribute$ = [3, n0, _TAh,
    0,
    [_tN, _tTN, _tA, _at, _ve],
    [0, 0, 0, 128 | 0, 1]
];
var ThingConnectivity$ = [3, n0, _TC,
    0,
    [_conn, _ti, _dR, _kAD, _cSl, _sE, _cIl],
    [2, 1, 0, 1, 2, 1, 0]
];
var ThingDocument$ = [3, n0, _TD,
    0,
    [_tN, _tIh, _tTN, _tGN, _at, _sh, _dD, _conne],
    [0, 0, 0, 64 | 0, 128 | 0, 0, 0, () => ThingConnectivity$]
];
var ThingGroupDocument$ = [3, n0, _TGD,
    0,
    [_tGNh, _tGI, _tGD, _at, _pGNa],
    [0, 0, 0, 128 | 0, 64 | 0]
];
var ThingGroupIndexingConfiguration$ = [3, n0, _TGIC,
    0,
    [_tGIM, _mFa, _cF],
    [0, () => Fields, () => Fields], 1
];
var ThingGroupMetadata$ = [3, n0, _TGM,
    0,
    [_pGN, _rTPTG, _cD],
    [0, () => ThingGroupNameAndArnList, 4]
];
var ThingGroupProperties$ = [3, n0, _TGP,
    0,
    [_tGD, _aPt],
    [0, () => AttributePayload$]
];
var ThingIndexingConfiguration$ = [3, n0, _TIC,
    0,
    [_tIM, _tCIM, _dDIM, _nSIM, _mFa, _cF, _fil],
    [0, 0, 0, 0, () => Fields, () => Fields, () => IndexingFilter$], 1
];
var ThingPrincipalObject$ = [3, n0, _TPO,
    0,
    [_pr, _tPT],
    [0, 0], 1
];
var ThingTypeDefinition$ = [3, n0, _TTD,
    0,
    [_tTN, _tTA, _tTP, _tTM],
    [0, 0, () => ThingTypeProperties$, () => ThingTypeMetadata$]
];
var ThingTypeMetadata$ = [3, n0, _TTM,
    0,
    [_dep, _dDe, _cD],
    [2, 4, 4]
];
var ThingTypeProperties$ = [3, n0, _TTP,
    0,
    [_tTD, _sAe, _mCq],
    [0, 64 | 0, () => Mqtt5Configuration$]
];
var TimeFilter$ = [3, n0, _TF,
    0,
    [_af, _bef],
    [0, 0]
];
var TimeoutConfig$ = [3, n0, _TCi,
    0,
    [_iPTIM],
    [1]
];
var TimestreamAction$ = [3, n0, _TAi,
    0,
    [_rAo, _dNa, _tNab, _di, _ti],
    [0, 0, 0, () => TimestreamDimensionList, () => TimestreamTimestamp$], 4
];
var TimestreamDimension$ = [3, n0, _TDi,
    0,
    [_n, _va],
    [0, 0], 2
];
var TimestreamTimestamp$ = [3, n0, _TT,
    0,
    [_va, _u],
    [0, 0], 2
];
var TlsConfig$ = [3, n0, _TCl,
    0,
    [_sPe],
    [0]
];
var TlsContext$ = [3, n0, _TCls,
    0,
    [_sNer],
    [0]
];
var TopicRule$ = [3, n0, _TR,
    0,
    [_rN, _sql, _d, _cAr, _act, _rD, _aISV, _eAr],
    [0, 0, 0, 4, () => ActionList, 2, 0, () => Action$]
];
var TopicRuleDestination$ = [3, n0, _TRD,
    0,
    [_ar, _st, _cAr, _lUA, _sRt, _hUP, _vP, _iDBP],
    [0, 0, 4, 4, 0, () => HttpUrlDestinationProperties$, () => VpcDestinationProperties$, () => InfluxDBDestinationProperties$]
];
var TopicRuleDestinationConfiguration$ = [3, n0, _TRDC,
    0,
    [_hUC, _vCp, _iDBC],
    [() => HttpUrlDestinationConfiguration$, () => VpcDestinationConfiguration$, () => InfluxDBDestinationConfiguration$]
];
var TopicRuleDestinationSummary$ = [3, n0, _TRDS,
    0,
    [_ar, _st, _cAr, _lUA, _sRt, _hUS, _vDS, _iDBS],
    [0, 0, 4, 4, 0, () => HttpUrlDestinationSummary$, () => VpcDestinationSummary$, () => InfluxDBDestinationSummary$]
];
var TopicRuleListItem$ = [3, n0, _TRLI,
    0,
    [_rAu, _rN, _tPo, _cAr, _rD],
    [0, 0, 0, 4, 2]
];
var TopicRulePayload$ = [3, n0, _TRP,
    0,
    [_sql, _act, _d, _rD, _aISV, _eAr],
    [0, () => ActionList, 0, 2, 0, () => Action$], 2
];
var TransferCertificateRequest$ = [3, n0, _TCR,
    0,
    [_cI, _tAA, _tM],
    [[0, 1], [0, { [_hQ]: _tAA }], 0], 2
];
var TransferCertificateResponse$ = [3, n0, _TCRr,
    0,
    [_tCA],
    [0]
];
var TransferData$ = [3, n0, _TDr,
    0,
    [_tM, _rRe, _tDr, _aDcc, _rDej],
    [0, 0, 4, 4, 4]
];
var UntagResourceRequest$ = [3, n0, _URR,
    0,
    [_rA, _tK],
    [0, 64 | 0], 2
];
var UntagResourceResponse$ = [3, n0, _URRn,
    0,
    [],
    []
];
var UpdateAccountAuditConfigurationRequest$ = [3, n0, _UAACR,
    0,
    [_rAo, _aNTC, _aCC],
    [0, () => AuditNotificationTargetConfigurations, () => AuditCheckConfigurations]
];
var UpdateAccountAuditConfigurationResponse$ = [3, n0, _UAACRp,
    0,
    [],
    []
];
var UpdateAuditSuppressionRequest$ = [3, n0, _UASR,
    0,
    [_cN, _rIe, _eD, _sI, _d],
    [0, () => ResourceIdentifier$, 4, 2, 0], 2
];
var UpdateAuditSuppressionResponse$ = [3, n0, _UASRp,
    0,
    [],
    []
];
var UpdateAuthorizerRequest$ = [3, n0, _UAR,
    0,
    [_aNu, _aFA, _tKN, _tSPK, _st, _eCFH],
    [[0, 1], 0, 0, 128 | 0, 0, 2], 1
];
var UpdateAuthorizerResponse$ = [3, n0, _UARp,
    0,
    [_aNu, _aA],
    [0, 0]
];
var UpdateBillingGroupRequest$ = [3, n0, _UBGR,
    0,
    [_bGN, _bGP, _eV],
    [[0, 1], () => BillingGroupProperties$, 1], 2
];
var UpdateBillingGroupResponse$ = [3, n0, _UBGRp,
    0,
    [_ve],
    [1]
];
var UpdateCACertificateParams$ = [3, n0, _UCACP,
    0,
    [_a],
    [0], 1
];
var UpdateCACertificateRequest$ = [3, n0, _UCACR,
    0,
    [_cI, _nS, _nARS, _rCe, _rAR],
    [[0, 1], [0, { [_hQ]: _nS }], [0, { [_hQ]: _nARS }], () => RegistrationConfig$, 2], 1
];
var UpdateCertificateProviderRequest$ = [3, n0, _UCPR,
    0,
    [_cPN, _lFA, _aDFO],
    [[0, 1], 0, 64 | 0], 1
];
var UpdateCertificateProviderResponse$ = [3, n0, _UCPRp,
    0,
    [_cPN, _cPA],
    [0, 0]
];
var UpdateCertificateRequest$ = [3, n0, _UCR,
    0,
    [_cI, _nS],
    [[0, 1], [0, { [_hQ]: _nS }]], 2
];
var UpdateCommandRequest$ = [3, n0, _UCRp,
    0,
    [_cIo, _dN, _d, _dep],
    [[0, 1], 0, 0, 2], 1
];
var UpdateCommandResponse$ = [3, n0, _UCRpd,
    0,
    [_cIo, _dN, _d, _dep, _lUA],
    [0, 0, 0, 2, 4]
];
var UpdateCustomMetricRequest$ = [3, n0, _UCMR,
    0,
    [_mNe, _dN],
    [[0, 1], 0], 2
];
var UpdateCustomMetricResponse$ = [3, n0, _UCMRp,
    0,
    [_mNe, _mA, _mTe, _dN, _cD, _lMD],
    [0, 0, 0, 0, 4, 4]
];
var UpdateDeviceCertificateParams$ = [3, n0, _UDCP,
    0,
    [_a],
    [0], 1
];
var UpdateDimensionRequest$ = [3, n0, _UDR,
    0,
    [_n, _sVt],
    [[0, 1], 64 | 0], 2
];
var UpdateDimensionResponse$ = [3, n0, _UDRp,
    0,
    [_n, _ar, _ty, _sVt, _cD, _lMD],
    [0, 0, 0, 64 | 0, 4, 4]
];
var UpdateDomainConfigurationRequest$ = [3, n0, _UDCR,
    0,
    [_dCN, _aC, _dCS, _rAC, _tC, _sCC, _aTu, _aP, _cCC],
    [[0, 1], () => AuthorizerConfig$, 0, 2, () => TlsConfig$, () => ServerCertificateConfig$, 0, 0, () => ClientCertificateConfig$], 1
];
var UpdateDomainConfigurationResponse$ = [3, n0, _UDCRp,
    0,
    [_dCN, _dCA],
    [0, 0]
];
var UpdateDynamicThingGroupRequest$ = [3, n0, _UDTGR,
    0,
    [_tGNh, _tGP, _eV, _iN, _qS, _qV],
    [[0, 1], () => ThingGroupProperties$, 1, 0, 0, 0], 2
];
var UpdateDynamicThingGroupResponse$ = [3, n0, _UDTGRp,
    0,
    [_ve],
    [1]
];
var UpdateEncryptionConfigurationRequest$ = [3, n0, _UECR,
    0,
    [_eTn, _kKA, _kARA],
    [0, 0, 0], 1
];
var UpdateEncryptionConfigurationResponse$ = [3, n0, _UECRp,
    0,
    [],
    []
];
var UpdateEventConfigurationsRequest$ = [3, n0, _UECRpd,
    0,
    [_eCv],
    [() => EventConfigurations]
];
var UpdateEventConfigurationsResponse$ = [3, n0, _UECRpda,
    0,
    [],
    []
];
var UpdateFleetMetricRequest$ = [3, n0, _UFMR,
    0,
    [_mNe, _iN, _qS, _aTg, _pe, _aF, _d, _qV, _u, _eV],
    [[0, 1], 0, 0, () => AggregationType$, 1, 0, 0, 0, 0, 1], 2
];
var UpdateIndexingConfigurationRequest$ = [3, n0, _UICR,
    0,
    [_tIC, _tGIC],
    [() => ThingIndexingConfiguration$, () => ThingGroupIndexingConfiguration$]
];
var UpdateIndexingConfigurationResponse$ = [3, n0, _UICRp,
    0,
    [],
    []
];
var UpdateJobRequest$ = [3, n0, _UJR,
    0,
    [_jI, _d, _pUC, _jERC, _aCb, _tCi, _nI, _jERCo],
    [[0, 1], 0, () => PresignedUrlConfig$, () => JobExecutionsRolloutConfig$, () => AbortConfig$, () => TimeoutConfig$, [0, { [_hQ]: _nI }], () => JobExecutionsRetryConfig$], 1
];
var UpdateMitigationActionRequest$ = [3, n0, _UMAR,
    0,
    [_aN, _rAo, _aPc],
    [[0, 1], 0, () => MitigationActionParams$], 1
];
var UpdateMitigationActionResponse$ = [3, n0, _UMARp,
    0,
    [_aAc, _aI],
    [0, 0]
];
var UpdatePackageConfigurationRequest$ = [3, n0, _UPCR,
    0,
    [_vUBJC, _cT],
    [() => VersionUpdateByJobsConfig$, [0, { [_hQ]: _cT, [_iT]: 1 }]]
];
var UpdatePackageConfigurationResponse$ = [3, n0, _UPCRp,
    0,
    [],
    []
];
var UpdatePackageRequest$ = [3, n0, _UPR,
    0,
    [_pN, _d, _dVN, _uDV, _cT],
    [[0, 1], [() => ResourceDescription, 0], 0, 2, [0, { [_hQ]: _cT, [_iT]: 1 }]], 1
];
var UpdatePackageResponse$ = [3, n0, _UPRp,
    0,
    [],
    []
];
var UpdatePackageVersionRequest$ = [3, n0, _UPVR,
    0,
    [_pN, _vN, _d, _at, _art, _a, _rec, _cT],
    [[0, 1], [0, 1], [() => ResourceDescription, 0], [() => ResourceAttributes, 0], () => PackageVersionArtifact$, 0, [() => PackageVersionRecipe, 0], [0, { [_hQ]: _cT, [_iT]: 1 }]], 2
];
var UpdatePackageVersionResponse$ = [3, n0, _UPVRp,
    0,
    [],
    []
];
var UpdateProvisioningTemplateRequest$ = [3, n0, _UPTR,
    0,
    [_tNe, _d, _en, _dVI, _pRA, _pPH, _rPPH],
    [[0, 1], 0, 2, 1, 0, () => ProvisioningHook$, 2], 1
];
var UpdateProvisioningTemplateResponse$ = [3, n0, _UPTRp,
    0,
    [],
    []
];
var UpdateRoleAliasRequest$ = [3, n0, _URAR,
    0,
    [_rAol, _rAo, _cDS],
    [[0, 1], 0, 1], 1
];
var UpdateRoleAliasResponse$ = [3, n0, _URARp,
    0,
    [_rAol, _rAA],
    [0, 0]
];
var UpdateScheduledAuditRequest$ = [3, n0, _USAR,
    0,
    [_sAN, _fr, _dOM, _dOW, _tCN],
    [[0, 1], 0, 0, 0, 64 | 0], 1
];
var UpdateScheduledAuditResponse$ = [3, n0, _USARp,
    0,
    [_sAAc],
    [0]
];
var UpdateSecurityProfileRequest$ = [3, n0, _USPR,
    0,
    [_sPN, _sPD, _be, _aTl, _aMTR, _aMTRV, _dB, _dAT, _dAMTR, _eV, _mEC, _dMEC],
    [[0, 1], 0, () => Behaviors, () => AlertTargets, 64 | 0, () => AdditionalMetricsToRetainV2List, 2, 2, 2, [1, { [_hQ]: _eV }], () => MetricsExportConfig$, 2], 1
];
var UpdateSecurityProfileResponse$ = [3, n0, _USPRp,
    0,
    [_sPN, _sPA, _sPD, _be, _aTl, _aMTR, _aMTRV, _ve, _cD, _lMD, _mEC],
    [0, 0, 0, () => Behaviors, () => AlertTargets, 64 | 0, () => AdditionalMetricsToRetainV2List, 1, 4, 4, () => MetricsExportConfig$]
];
var UpdateStreamRequest$ = [3, n0, _USR,
    0,
    [_sIt, _d, _fi, _rAo],
    [[0, 1], 0, () => StreamFiles, 0], 1
];
var UpdateStreamResponse$ = [3, n0, _USRp,
    0,
    [_sIt, _sAtr, _d, _sVtr],
    [0, 0, 0, 1]
];
var UpdateThingGroupRequest$ = [3, n0, _UTGR,
    0,
    [_tGNh, _tGP, _eV],
    [[0, 1], () => ThingGroupProperties$, 1], 2
];
var UpdateThingGroupResponse$ = [3, n0, _UTGRp,
    0,
    [_ve],
    [1]
];
var UpdateThingGroupsForThingRequest$ = [3, n0, _UTGFTR,
    0,
    [_tN, _tGTA, _tGTR, _oDG],
    [0, 64 | 0, 64 | 0, 2]
];
var UpdateThingGroupsForThingResponse$ = [3, n0, _UTGFTRp,
    0,
    [],
    []
];
var UpdateThingRequest$ = [3, n0, _UTR,
    0,
    [_tN, _tTN, _aPt, _eV, _rTT],
    [[0, 1], 0, () => AttributePayload$, 1, 2], 1
];
var UpdateThingResponse$ = [3, n0, _UTRp,
    0,
    [],
    []
];
var UpdateThingTypeRequest$ = [3, n0, _UTTR,
    0,
    [_tTN, _tTP],
    [[0, 1], () => ThingTypeProperties$], 1
];
var UpdateThingTypeResponse$ = [3, n0, _UTTRp,
    0,
    [],
    []
];
var UpdateTopicRuleDestinationRequest$ = [3, n0, _UTRDR,
    0,
    [_ar, _st],
    [0, 0], 2
];
var UpdateTopicRuleDestinationResponse$ = [3, n0, _UTRDRp,
    0,
    [],
    []
];
var UserProperty$ = [3, n0, _UP,
    0,
    [_ke, _va],
    [0, 0], 2
];
var ValidateSecurityProfileBehaviorsRequest$ = [3, n0, _VSPBR,
    0,
    [_be],
    [() => Behaviors], 1
];
var ValidateSecurityProfileBehaviorsResponse$ = [3, n0, _VSPBRa,
    0,
    [_vali, _vEa],
    [2, () => ValidationErrors]
];
var ValidationError$ = [3, n0, _VEa,
    0,
    [_eMr],
    [0]
];
var VersionUpdateByJobsConfig$ = [3, n0, _VUBJC,
    0,
    [_en, _rAo],
    [2, 0]
];
var ViolationEvent$ = [3, n0, _VEi,
    0,
    [_vI, _tN, _sPN, _b, _mV, _vEAI, _vET, _vS, _vSD, _vETi],
    [0, 0, 0, () => Behavior$, () => MetricValue$, () => ViolationEventAdditionalInfo$, 0, 0, 0, 4]
];
var ViolationEventAdditionalInfo$ = [3, n0, _VEAI,
    0,
    [_cLo],
    [0]
];
var ViolationEventOccurrenceRange$ = [3, n0, _VEOR,
    0,
    [_sT, _eT],
    [4, 4], 2
];
var VpcDestinationConfiguration$ = [3, n0, _VDC,
    0,
    [_sIu, _vIp, _rAo, _sG],
    [64 | 0, 0, 0, 64 | 0], 3
];
var VpcDestinationProperties$ = [3, n0, _VDP,
    0,
    [_sIu, _sG, _vIp, _rAo],
    [64 | 0, 64 | 0, 0, 0]
];
var VpcDestinationSummary$ = [3, n0, _VDS,
    0,
    [_sIu, _sG, _vIp, _rAo],
    [64 | 0, 64 | 0, 0, 0]
];
var __Unit = "unit";
var AbortCriteriaList = [1, n0, _ACL,
    0, () => AbortCriteria$
];
var ActionList = [1, n0, _AL,
    0, () => Action$
];
var ActiveViolations = [1, n0, _AVc,
    0, () => ActiveViolation$
];
var AdditionalMetricsToRetainV2List = [1, n0, _AMTRVL,
    0, () => MetricToRetain$
];
var AssetPropertyValueList = [1, n0, _APVL,
    0, () => AssetPropertyValue$
];
var AuditFindings = [1, n0, _AFu,
    0, () => AuditFinding$
];
var AuditMitigationActionExecutionMetadataList = [1, n0, _AMAEML,
    0, () => AuditMitigationActionExecutionMetadata$
];
var AuditMitigationActionsTaskMetadataList = [1, n0, _AMATML,
    0, () => AuditMitigationActionsTaskMetadata$
];
var AuditSuppressionList = [1, n0, _ASL,
    0, () => AuditSuppression$
];
var AuditTaskMetadataList = [1, n0, _ATML,
    0, () => AuditTaskMetadata$
];
var AuthInfos = [1, n0, _AIu,
    0, () => AuthInfo$
];
var Authorizers = [1, n0, _Au,
    0, () => AuthorizerSummary$
];
var AuthResults = [1, n0, _ARu,
    0, () => AuthResult$
];
var AwsJobAbortCriteriaList = [1, n0, _AJACL,
    0, () => AwsJobAbortCriteria$
];
var BehaviorModelTrainingSummaries = [1, n0, _BMTSe,
    0, () => BehaviorModelTrainingSummary$
];
var Behaviors = [1, n0, _Be,
    0, () => Behavior$
];
var BillingGroupNameAndArnList = [1, n0, _BGNAAL,
    0, () => GroupNameAndArn$
];
var Buckets = [1, n0, _Buc,
    0, () => Bucket$
];
var CACertificates = [1, n0, _CACe,
    0, () => CACertificate$
];
var CertificateProviders = [1, n0, _CPe,
    0, () => CertificateProviderSummary$
];
var Certificates = [1, n0, _Ce,
    0, () => Certificate$
];
var CommandExecutionSummaryList = [1, n0, _CESL,
    0, () => CommandExecutionSummary$
];
var CommandParameterList = [1, n0, _CPL,
    0, () => CommandParameter$
];
var CommandParameterValueConditionList = [1, n0, _CPVCL,
    0, () => CommandParameterValueCondition$
];
var CommandSummaryList = [1, n0, _CSL,
    0, () => CommandSummary$
];
var DetectMitigationActionExecutionList = [1, n0, _DMAEL,
    0, () => DetectMitigationActionExecution$
];
var DetectMitigationActionsTaskSummaryList = [1, n0, _DMATSL,
    0, () => DetectMitigationActionsTaskSummary$
];
var DocumentParameters = [1, n0, _DPo,
    0, () => DocumentParameter$
];
var DomainConfigurations = [1, n0, _DC,
    0, () => DomainConfigurationSummary$
];
var EffectivePolicies = [1, n0, _EPf,
    0, () => EffectivePolicy$
];
var Fields = [1, n0, _Fi,
    0, () => Field$
];
var FleetMetricNameAndArnList = [1, n0, _FMNAAL,
    0, () => FleetMetricNameAndArn$
];
var GeoLocationsFilter = [1, n0, _GLF,
    0, () => GeoLocationTarget$
];
var HeaderList = [1, n0, _HL,
    0, () => HttpActionHeader$
];
var JobExecutionSummaryForJobList = [1, n0, _JESFJL,
    0, () => JobExecutionSummaryForJob$
];
var JobExecutionSummaryForThingList = [1, n0, _JESFTL,
    0, () => JobExecutionSummaryForThing$
];
var JobSummaryList = [1, n0, _JSL,
    0, () => JobSummary$
];
var JobTemplateSummaryList = [1, n0, _JTSL,
    0, () => JobTemplateSummary$
];
var KafkaHeaders = [1, n0, _KH,
    0, () => KafkaActionHeader$
];
var LogEventConfigurations = [1, n0, _LECo,
    0, () => LogEventConfiguration$
];
var LogTargetConfigurations = [1, n0, _LTCo,
    0, () => LogTargetConfiguration$
];
var MaintenanceWindows = [1, n0, _MWa,
    0, () => MaintenanceWindow$
];
var ManagedJobTemplatesSummaryList = [1, n0, _MJTSL,
    0, () => ManagedJobTemplateSummary$
];
var MetricDatumList = [1, n0, _MDL,
    0, () => MetricDatum$
];
var MitigationActionIdentifierList = [1, n0, _MAIL,
    0, () => MitigationActionIdentifier$
];
var MitigationActionList = [1, n0, _MAL,
    0, () => MitigationAction$
];
var OTAUpdateFiles = [1, n0, _OTAUFp,
    0, () => OTAUpdateFile$
];
var OTAUpdatesSummary = [1, n0, _OTAUSp,
    0, () => OTAUpdateSummary$
];
var OutgoingCertificates = [1, n0, _OCu,
    0, () => OutgoingCertificate$
];
var PackageSummaryList = [1, n0, _PSL,
    0, () => PackageSummary$
];
var PackageVersionSummaryList = [1, n0, _PVSL,
    0, () => PackageVersionSummary$
];
var Percentiles = [1, n0, _Pe,
    0, () => PercentPair$
];
var Policies = [1, n0, _Po,
    0, () => Policy$
];
var PolicyVersions = [1, n0, _PVo,
    0, () => PolicyVersion$
];
var PrincipalThingObjects = [1, n0, _PTOr,
    0, () => PrincipalThingObject$
];
var PropagatingAttributeList = [1, n0, _PAL,
    0, () => PropagatingAttribute$
];
var ProvisioningTemplateListing = [1, n0, _PTL,
    0, () => ProvisioningTemplateSummary$
];
var ProvisioningTemplateVersionListing = [1, n0, _PTVL,
    0, () => ProvisioningTemplateVersionSummary$
];
var PutAssetPropertyValueEntryList = [1, n0, _PAPVEL,
    0, () => PutAssetPropertyValueEntry$
];
var RelatedResources = [1, n0, _RRe,
    0, () => RelatedResource$
];
var RetryCriteriaList = [1, n0, _RCL,
    0, () => RetryCriteria$
];
var SbomValidationResultSummaryList = [1, n0, _SVRSL,
    0, () => SbomValidationResultSummary$
];
var ScheduledAuditMetadataList = [1, n0, _SAML,
    0, () => ScheduledAuditMetadata$
];
var ScheduledJobRolloutList = [1, n0, _SJRL,
    0, () => ScheduledJobRollout$
];
var SecurityProfileIdentifiers = [1, n0, _SPIe,
    0, () => SecurityProfileIdentifier$
];
var SecurityProfileTargetMappings = [1, n0, _SPTMe,
    0, () => SecurityProfileTargetMapping$
];
var SecurityProfileTargets = [1, n0, _SPTe,
    0, () => SecurityProfileTarget$
];
var ServerCertificates = [1, n0, _SCe,
    0, () => ServerCertificateSummary$
];
var StreamFiles = [1, n0, _SFt,
    0, () => StreamFile$
];
var StreamsSummary = [1, n0, _SSt,
    0, () => StreamSummary$
];
var TagList = [1, n0, _TL,
    0, () => Tag$
];
var ThingAttributeList = [1, n0, _TAL,
    0, () => ThingAttribute$
];
var ThingDocumentList = [1, n0, _TDL,
    0, () => ThingDocument$
];
var ThingGroupDocumentList = [1, n0, _TGDL,
    0, () => ThingGroupDocument$
];
var ThingGroupNameAndArnList = [1, n0, _TGNAAL,
    0, () => GroupNameAndArn$
];
var ThingPrincipalObjects = [1, n0, _TPOh,
    0, () => ThingPrincipalObject$
];
var ThingTypeList = [1, n0, _TTL,
    0, () => ThingTypeDefinition$
];
var TimestreamDimensionList = [1, n0, _TDLi,
    0, () => TimestreamDimension$
];
var TopicRuleDestinationSummaries = [1, n0, _TRDSo,
    0, () => TopicRuleDestinationSummary$
];
var TopicRuleList = [1, n0, _TRL,
    0, () => TopicRuleListItem$
];
var UserProperties = [1, n0, _UPs,
    0, () => UserProperty$
];
var ValidationErrors = [1, n0, _VEal,
    0, () => ValidationError$
];
var ViolationEvents = [1, n0, _VEio,
    0, () => ViolationEvent$
];
var AlertTargets = [2, n0, _ATle,
    0, 0, () => AlertTarget$
];
var AuditCheckConfigurations = [2, n0, _ACCu,
    0, 0, () => AuditCheckConfiguration$
];
var AuditDetails = [2, n0, _ADu,
    0, 0, () => AuditCheckDetails$
];
var AuditMitigationActionsTaskStatistics = [2, n0, _AMATS,
    0, 0, () => TaskStatisticsForAuditCheck$
];
var AuditNotificationTargetConfigurations = [2, n0, _ANTC,
    0, 0, () => AuditNotificationTarget$
];
var CommandExecutionParameterMap = [2, n0, _CEPM,
    0, 0, () => CommandParameterValue$
];
var CommandExecutionResultMap = [2, n0, _CERM,
    0, 0, () => CommandExecutionResult$
];
var EventConfigurations = [2, n0, _EC,
    0, 0, () => Configuration$
];
var ResourceAttributes = [2, n0, _RAe,
    8, 0, 0
];
var AssetPropertyVariant$ = [4, n0, _APVs,
    0,
    [_sVtri, _iV, _dVo, _bV],
    [0, 0, 0, 0]
];
var AcceptCertificateTransfer$ = [9, n0, _ACT,
    { [_h]: ["PATCH", "/accept-certificate-transfer/{certificateId}", 200] }, () => AcceptCertificateTransferRequest$, () => __Unit
];
var AddThingToBillingGroup$ = [9, n0, _ATTBG,
    { [_h]: ["PUT", "/billing-groups/addThingToBillingGroup", 200] }, () => AddThingToBillingGroupRequest$, () => AddThingToBillingGroupResponse$
];
var AddThingToThingGroup$ = [9, n0, _ATTTG,
    { [_h]: ["PUT", "/thing-groups/addThingToThingGroup", 200] }, () => AddThingToThingGroupRequest$, () => AddThingToThingGroupResponse$
];
var AssociateSbomWithPackageVersion$ = [9, n0, _ASWPV,
    { [_h]: ["PUT", "/packages/{packageName}/versions/{versionName}/sbom", 200] }, () => AssociateSbomWithPackageVersionRequest$, () => AssociateSbomWithPackageVersionResponse$
];
var AssociateTargetsWithJob$ = [9, n0, _ATWJ,
    { [_h]: ["POST", "/jobs/{jobId}/targets", 200] }, () => AssociateTargetsWithJobRequest$, () => AssociateTargetsWithJobResponse$
];
var AttachPolicy$ = [9, n0, _APt,
    { [_h]: ["PUT", "/target-policies/{policyName}", 200] }, () => AttachPolicyRequest$, () => __Unit
];
var AttachPrincipalPolicy$ = [9, n0, _APP,
    { [_h]: ["PUT", "/principal-policies/{policyName}", 200] }, () => AttachPrincipalPolicyRequest$, () => __Unit
];
var AttachSecurityProfile$ = [9, n0, _ASP,
    { [_h]: ["PUT", "/security-profiles/{securityProfileName}/targets", 200] }, () => AttachSecurityProfileRequest$, () => AttachSecurityProfileResponse$
];
var AttachThingPrincipal$ = [9, n0, _ATP,
    { [_h]: ["PUT", "/things/{thingName}/principals", 200] }, () => AttachThingPrincipalRequest$, () => AttachThingPrincipalResponse$
];
var CancelAuditMitigationActionsTask$ = [9, n0, _CAMAT,
    { [_h]: ["PUT", "/audit/mitigationactions/tasks/{taskId}/cancel", 200] }, () => CancelAuditMitigationActionsTaskRequest$, () => CancelAuditMitigationActionsTaskResponse$
];
var CancelAuditTask$ = [9, n0, _CAT,
    { [_h]: ["PUT", "/audit/tasks/{taskId}/cancel", 200] }, () => CancelAuditTaskRequest$, () => CancelAuditTaskResponse$
];
var CancelCertificateTransfer$ = [9, n0, _CCT,
    { [_h]: ["PATCH", "/cancel-certificate-transfer/{certificateId}", 200] }, () => CancelCertificateTransferRequest$, () => __Unit
];
var CancelDetectMitigationActionsTask$ = [9, n0, _CDMAT,
    { [_h]: ["PUT", "/detect/mitigationactions/tasks/{taskId}/cancel", 200] }, () => CancelDetectMitigationActionsTaskRequest$, () => CancelDetectMitigationActionsTaskResponse$
];
var CancelJob$ = [9, n0, _CJ,
    { [_h]: ["PUT", "/jobs/{jobId}/cancel", 200] }, () => CancelJobRequest$, () => CancelJobResponse$
];
var CancelJobExecution$ = [9, n0, _CJE,
    { [_h]: ["PUT", "/things/{thingName}/jobs/{jobId}/cancel", 200] }, () => CancelJobExecutionRequest$, () => __Unit
];
var ClearDefaultAuthorizer$ = [9, n0, _CDA,
    { [_h]: ["DELETE", "/default-authorizer", 200] }, () => ClearDefaultAuthorizerRequest$, () => ClearDefaultAuthorizerResponse$
];
var ConfirmTopicRuleDestination$ = [9, n0, _CTRD,
    { [_h]: ["GET", "/confirmdestination/{confirmationToken+}", 200] }, () => ConfirmTopicRuleDestinationRequest$, () => ConfirmTopicRuleDestinationResponse$
];
var CreateAuditSuppression$ = [9, n0, _CAS,
    { [_h]: ["POST", "/audit/suppressions/create", 200] }, () => CreateAuditSuppressionRequest$, () => CreateAuditSuppressionResponse$
];
var CreateAuthorizer$ = [9, n0, _CA,
    { [_h]: ["POST", "/authorizer/{authorizerName}", 200] }, () => CreateAuthorizerRequest$, () => CreateAuthorizerResponse$
];
var CreateBillingGroup$ = [9, n0, _CBG,
    { [_h]: ["POST", "/billing-groups/{billingGroupName}", 200] }, () => CreateBillingGroupRequest$, () => CreateBillingGroupResponse$
];
var CreateCertificateFromCsr$ = [9, n0, _CCFC,
    { [_h]: ["POST", "/certificates", 200] }, () => CreateCertificateFromCsrRequest$, () => CreateCertificateFromCsrResponse$
];
var CreateCertificateProvider$ = [9, n0, _CCP,
    { [_h]: ["POST", "/certificate-providers/{certificateProviderName}", 200] }, () => CreateCertificateProviderRequest$, () => CreateCertificateProviderResponse$
];
var CreateCommand$ = [9, n0, _CC,
    { [_h]: ["PUT", "/commands/{commandId}", 200] }, () => CreateCommandRequest$, () => CreateCommandResponse$
];
var CreateCustomMetric$ = [9, n0, _CCM,
    { [_h]: ["POST", "/custom-metric/{metricName}", 200] }, () => CreateCustomMetricRequest$, () => CreateCustomMetricResponse$
];
var CreateDimension$ = [9, n0, _CDr,
    { [_h]: ["POST", "/dimensions/{name}", 200] }, () => CreateDimensionRequest$, () => CreateDimensionResponse$
];
var CreateDomainConfiguration$ = [9, n0, _CDC,
    { [_h]: ["POST", "/domainConfigurations/{domainConfigurationName}", 200] }, () => CreateDomainConfigurationRequest$, () => CreateDomainConfigurationResponse$
];
var CreateDynamicThingGroup$ = [9, n0, _CDTG,
    { [_h]: ["POST", "/dynamic-thing-groups/{thingGroupName}", 200] }, () => CreateDynamicThingGroupRequest$, () => CreateDynamicThingGroupResponse$
];
var CreateFleetMetric$ = [9, n0, _CFM,
    { [_h]: ["PUT", "/fleet-metric/{metricName}", 200] }, () => CreateFleetMetricRequest$, () => CreateFleetMetricResponse$
];
var CreateJob$ = [9, n0, _CJr,
    { [_h]: ["PUT", "/jobs/{jobId}", 200] }, () => CreateJobRequest$, () => CreateJobResponse$
];
var CreateJobTemplate$ = [9, n0, _CJT,
    { [_h]: ["PUT", "/job-templates/{jobTemplateId}", 200] }, () => CreateJobTemplateRequest$, () => CreateJobTemplateResponse$
];
var CreateKeysAndCertificate$ = [9, n0, _CKAC,
    { [_h]: ["POST", "/keys-and-certificate", 200] }, () => CreateKeysAndCertificateRequest$, () => CreateKeysAndCertificateResponse$
];
var CreateMitigationAction$ = [9, n0, _CMAr,
    { [_h]: ["POST", "/mitigationactions/actions/{actionName}", 200] }, () => CreateMitigationActionRequest$, () => CreateMitigationActionResponse$
];
var CreateOTAUpdate$ = [9, n0, _COTAU,
    { [_h]: ["POST", "/otaUpdates/{otaUpdateId}", 200] }, () => CreateOTAUpdateRequest$, () => CreateOTAUpdateResponse$
];
var CreatePackage$ = [9, n0, _CPr,
    { [_h]: ["PUT", "/packages/{packageName}", 200] }, () => CreatePackageRequest$, () => CreatePackageResponse$
];
var CreatePackageVersion$ = [9, n0, _CPVr,
    { [_h]: ["PUT", "/packages/{packageName}/versions/{versionName}", 200] }, () => CreatePackageVersionRequest$, () => CreatePackageVersionResponse$
];
var CreatePolicy$ = [9, n0, _CPre,
    { [_h]: ["POST", "/policies/{policyName}", 200] }, () => CreatePolicyRequest$, () => CreatePolicyResponse$
];
var CreatePolicyVersion$ = [9, n0, _CPVre,
    { [_h]: ["POST", "/policies/{policyName}/version", 200] }, () => CreatePolicyVersionRequest$, () => CreatePolicyVersionResponse$
];
var CreateProvisioningClaim$ = [9, n0, _CPC,
    { [_h]: ["POST", "/provisioning-templates/{templateName}/provisioning-claim", 200] }, () => CreateProvisioningClaimRequest$, () => CreateProvisioningClaimResponse$
];
var CreateProvisioningTemplate$ = [9, n0, _CPT,
    { [_h]: ["POST", "/provisioning-templates", 200] }, () => CreateProvisioningTemplateRequest$, () => CreateProvisioningTemplateResponse$
];
var CreateProvisioningTemplateVersion$ = [9, n0, _CPTV,
    { [_h]: ["POST", "/provisioning-templates/{templateName}/versions", 200] }, () => CreateProvisioningTemplateVersionRequest$, () => CreateProvisioningTemplateVersionResponse$
];
var CreateRoleAlias$ = [9, n0, _CRA,
    { [_h]: ["POST", "/role-aliases/{roleAlias}", 200] }, () => CreateRoleAliasRequest$, () => CreateRoleAliasResponse$
];
var CreateScheduledAudit$ = [9, n0, _CSA,
    { [_h]: ["POST", "/audit/scheduledaudits/{scheduledAuditName}", 200] }, () => CreateScheduledAuditRequest$, () => CreateScheduledAuditResponse$
];
var CreateSecurityProfile$ = [9, n0, _CSP,
    { [_h]: ["POST", "/security-profiles/{securityProfileName}", 200] }, () => CreateSecurityProfileRequest$, () => CreateSecurityProfileResponse$
];
var CreateStream$ = [9, n0, _CSr,
    { [_h]: ["POST", "/streams/{streamId}", 200] }, () => CreateStreamRequest$, () => CreateStreamResponse$
];
var CreateThing$ = [9, n0, _CT,
    { [_h]: ["POST", "/things/{thingName}", 200] }, () => CreateThingRequest$, () => CreateThingResponse$
];
var CreateThingGroup$ = [9, n0, _CTG,
    { [_h]: ["POST", "/thing-groups/{thingGroupName}", 200] }, () => CreateThingGroupRequest$, () => CreateThingGroupResponse$
];
var CreateThingType$ = [9, n0, _CTT,
    { [_h]: ["POST", "/thing-types/{thingTypeName}", 200] }, () => CreateThingTypeRequest$, () => CreateThingTypeResponse$
];
var CreateTopicRule$ = [9, n0, _CTRre,
    { [_h]: ["POST", "/rules/{ruleName}", 200] }, () => CreateTopicRuleRequest$, () => __Unit
];
var CreateTopicRuleDestination$ = [9, n0, _CTRDr,
    { [_h]: ["POST", "/destinations", 200] }, () => CreateTopicRuleDestinationRequest$, () => CreateTopicRuleDestinationResponse$
];
var DeleteAccountAuditConfiguration$ = [9, n0, _DAAC,
    { [_h]: ["DELETE", "/audit/configuration", 200] }, () => DeleteAccountAuditConfigurationRequest$, () => DeleteAccountAuditConfigurationResponse$
];
var DeleteAuditSuppression$ = [9, n0, _DAS,
    { [_h]: ["POST", "/audit/suppressions/delete", 200] }, () => DeleteAuditSuppressionRequest$, () => DeleteAuditSuppressionResponse$
];
var DeleteAuthorizer$ = [9, n0, _DA,
    { [_h]: ["DELETE", "/authorizer/{authorizerName}", 200] }, () => DeleteAuthorizerRequest$, () => DeleteAuthorizerResponse$
];
var DeleteBillingGroup$ = [9, n0, _DBG,
    { [_h]: ["DELETE", "/billing-groups/{billingGroupName}", 200] }, () => DeleteBillingGroupRequest$, () => DeleteBillingGroupResponse$
];
var DeleteCACertificate$ = [9, n0, _DCAC,
    { [_h]: ["DELETE", "/cacertificate/{certificateId}", 200] }, () => DeleteCACertificateRequest$, () => DeleteCACertificateResponse$
];
var DeleteCertificate$ = [9, n0, _DCe,
    { [_h]: ["DELETE", "/certificates/{certificateId}", 200] }, () => DeleteCertificateRequest$, () => __Unit
];
var DeleteCertificateProvider$ = [9, n0, _DCP,
    { [_h]: ["DELETE", "/certificate-providers/{certificateProviderName}", 200] }, () => DeleteCertificateProviderRequest$, () => DeleteCertificateProviderResponse$
];
var DeleteCommand$ = [9, n0, _DCel,
    { [_h]: ["DELETE", "/commands/{commandId}", 200] }, () => DeleteCommandRequest$, () => DeleteCommandResponse$
];
var DeleteCommandExecution$ = [9, n0, _DCEe,
    { [_h]: ["DELETE", "/command-executions/{executionId}", 200] }, () => DeleteCommandExecutionRequest$, () => DeleteCommandExecutionResponse$
];
var DeleteCustomMetric$ = [9, n0, _DCM,
    { [_h]: ["DELETE", "/custom-metric/{metricName}", 200] }, () => DeleteCustomMetricRequest$, () => DeleteCustomMetricResponse$
];
var DeleteDimension$ = [9, n0, _DD,
    { [_h]: ["DELETE", "/dimensions/{name}", 200] }, () => DeleteDimensionRequest$, () => DeleteDimensionResponse$
];
var DeleteDomainConfiguration$ = [9, n0, _DDC,
    { [_h]: ["DELETE", "/domainConfigurations/{domainConfigurationName}", 200] }, () => DeleteDomainConfigurationRequest$, () => DeleteDomainConfigurationResponse$
];
var DeleteDynamicThingGroup$ = [9, n0, _DDTG,
    { [_h]: ["DELETE", "/dynamic-thing-groups/{thingGroupName}", 200] }, () => DeleteDynamicThingGroupRequest$, () => DeleteDynamicThingGroupResponse$
];
var DeleteFleetMetric$ = [9, n0, _DFM,
    { [_h]: ["DELETE", "/fleet-metric/{metricName}", 200] }, () => DeleteFleetMetricRequest$, () => __Unit
];
var DeleteJob$ = [9, n0, _DJ,
    { [_h]: ["DELETE", "/jobs/{jobId}", 200] }, () => DeleteJobRequest$, () => __Unit
];
var DeleteJobExecution$ = [9, n0, _DJE,
    { [_h]: ["DELETE", "/things/{thingName}/jobs/{jobId}/executionNumber/{executionNumber}", 200] }, () => DeleteJobExecutionRequest$, () => __Unit
];
var DeleteJobTemplate$ = [9, n0, _DJT,
    { [_h]: ["DELETE", "/job-templates/{jobTemplateId}", 200] }, () => DeleteJobTemplateRequest$, () => __Unit
];
var DeleteMitigationAction$ = [9, n0, _DMA,
    { [_h]: ["DELETE", "/mitigationactions/actions/{actionName}", 200] }, () => DeleteMitigationActionRequest$, () => DeleteMitigationActionResponse$
];
var DeleteOTAUpdate$ = [9, n0, _DOTAU,
    { [_h]: ["DELETE", "/otaUpdates/{otaUpdateId}", 200] }, () => DeleteOTAUpdateRequest$, () => DeleteOTAUpdateResponse$
];
var DeletePackage$ = [9, n0, _DPe,
    { [_h]: ["DELETE", "/packages/{packageName}", 200] }, () => DeletePackageRequest$, () => DeletePackageResponse$
];
var DeletePackageVersion$ = [9, n0, _DPV,
    { [_h]: ["DELETE", "/packages/{packageName}/versions/{versionName}", 200] }, () => DeletePackageVersionRequest$, () => DeletePackageVersionResponse$
];
var DeletePolicy$ = [9, n0, _DPel,
    { [_h]: ["DELETE", "/policies/{policyName}", 200] }, () => DeletePolicyRequest$, () => __Unit
];
var DeletePolicyVersion$ = [9, n0, _DPVe,
    { [_h]: ["DELETE", "/policies/{policyName}/version/{policyVersionId}", 200] }, () => DeletePolicyVersionRequest$, () => __Unit
];
var DeleteProvisioningTemplate$ = [9, n0, _DPT,
    { [_h]: ["DELETE", "/provisioning-templates/{templateName}", 200] }, () => DeleteProvisioningTemplateRequest$, () => DeleteProvisioningTemplateResponse$
];
var DeleteProvisioningTemplateVersion$ = [9, n0, _DPTV,
    { [_h]: ["DELETE", "/provisioning-templates/{templateName}/versions/{versionId}", 200] }, () => DeleteProvisioningTemplateVersionRequest$, () => DeleteProvisioningTemplateVersionResponse$
];
var DeleteRegistrationCode$ = [9, n0, _DRC,
    { [_h]: ["DELETE", "/registrationcode", 200] }, () => DeleteRegistrationCodeRequest$, () => DeleteRegistrationCodeResponse$
];
var DeleteRoleAlias$ = [9, n0, _DRA,
    { [_h]: ["DELETE", "/role-aliases/{roleAlias}", 200] }, () => DeleteRoleAliasRequest$, () => DeleteRoleAliasResponse$
];
var DeleteScheduledAudit$ = [9, n0, _DSA,
    { [_h]: ["DELETE", "/audit/scheduledaudits/{scheduledAuditName}", 200] }, () => DeleteScheduledAuditRequest$, () => DeleteScheduledAuditResponse$
];
var DeleteSecurityProfile$ = [9, n0, _DSP,
    { [_h]: ["DELETE", "/security-profiles/{securityProfileName}", 200] }, () => DeleteSecurityProfileRequest$, () => DeleteSecurityProfileResponse$
];
var DeleteStream$ = [9, n0, _DS,
    { [_h]: ["DELETE", "/streams/{streamId}", 200] }, () => DeleteStreamRequest$, () => DeleteStreamResponse$
];
var DeleteThing$ = [9, n0, _DT,
    { [_h]: ["DELETE", "/things/{thingName}", 200] }, () => DeleteThingRequest$, () => DeleteThingResponse$
];
var DeleteThingGroup$ = [9, n0, _DTG,
    { [_h]: ["DELETE", "/thing-groups/{thingGroupName}", 200] }, () => DeleteThingGroupRequest$, () => DeleteThingGroupResponse$
];
var DeleteThingType$ = [9, n0, _DTT,
    { [_h]: ["DELETE", "/thing-types/{thingTypeName}", 200] }, () => DeleteThingTypeRequest$, () => DeleteThingTypeResponse$
];
var DeleteTopicRule$ = [9, n0, _DTRel,
    { [_h]: ["DELETE", "/rules/{ruleName}", 200] }, () => DeleteTopicRuleRequest$, () => __Unit
];
var DeleteTopicRuleDestination$ = [9, n0, _DTRD,
    { [_h]: ["DELETE", "/destinations/{arn+}", 200] }, () => DeleteTopicRuleDestinationRequest$, () => DeleteTopicRuleDestinationResponse$
];
var DeleteV2LoggingLevel$ = [9, n0, _DVLL,
    { [_h]: ["DELETE", "/v2LoggingLevel", 200] }, () => DeleteV2LoggingLevelRequest$, () => __Unit
];
var DeprecateThingType$ = [9, n0, _DTTe,
    { [_h]: ["POST", "/thing-types/{thingTypeName}/deprecate", 200] }, () => DeprecateThingTypeRequest$, () => DeprecateThingTypeResponse$
];
var DescribeAccountAuditConfiguration$ = [9, n0, _DAACe,
    { [_h]: ["GET", "/audit/configuration", 200] }, () => DescribeAccountAuditConfigurationRequest$, () => DescribeAccountAuditConfigurationResponse$
];
var DescribeAuditFinding$ = [9, n0, _DAF,
    { [_h]: ["GET", "/audit/findings/{findingId}", 200] }, () => DescribeAuditFindingRequest$, () => DescribeAuditFindingResponse$
];
var DescribeAuditMitigationActionsTask$ = [9, n0, _DAMAT,
    { [_h]: ["GET", "/audit/mitigationactions/tasks/{taskId}", 200] }, () => DescribeAuditMitigationActionsTaskRequest$, () => DescribeAuditMitigationActionsTaskResponse$
];
var DescribeAuditSuppression$ = [9, n0, _DASe,
    { [_h]: ["POST", "/audit/suppressions/describe", 200] }, () => DescribeAuditSuppressionRequest$, () => DescribeAuditSuppressionResponse$
];
var DescribeAuditTask$ = [9, n0, _DAT,
    { [_h]: ["GET", "/audit/tasks/{taskId}", 200] }, () => DescribeAuditTaskRequest$, () => DescribeAuditTaskResponse$
];
var DescribeAuthorizer$ = [9, n0, _DAe,
    { [_h]: ["GET", "/authorizer/{authorizerName}", 200] }, () => DescribeAuthorizerRequest$, () => DescribeAuthorizerResponse$
];
var DescribeBillingGroup$ = [9, n0, _DBGe,
    { [_h]: ["GET", "/billing-groups/{billingGroupName}", 200] }, () => DescribeBillingGroupRequest$, () => DescribeBillingGroupResponse$
];
var DescribeCACertificate$ = [9, n0, _DCACe,
    { [_h]: ["GET", "/cacertificate/{certificateId}", 200] }, () => DescribeCACertificateRequest$, () => DescribeCACertificateResponse$
];
var DescribeCertificate$ = [9, n0, _DCes,
    { [_h]: ["GET", "/certificates/{certificateId}", 200] }, () => DescribeCertificateRequest$, () => DescribeCertificateResponse$
];
var DescribeCertificateProvider$ = [9, n0, _DCPe,
    { [_h]: ["GET", "/certificate-providers/{certificateProviderName}", 200] }, () => DescribeCertificateProviderRequest$, () => DescribeCertificateProviderResponse$
];
var DescribeCustomMetric$ = [9, n0, _DCMe,
    { [_h]: ["GET", "/custom-metric/{metricName}", 200] }, () => DescribeCustomMetricRequest$, () => DescribeCustomMetricResponse$
];
var DescribeDefaultAuthorizer$ = [9, n0, _DDA,
    { [_h]: ["GET", "/default-authorizer", 200] }, () => DescribeDefaultAuthorizerRequest$, () => DescribeDefaultAuthorizerResponse$
];
var DescribeDetectMitigationActionsTask$ = [9, n0, _DDMAT,
    { [_h]: ["GET", "/detect/mitigationactions/tasks/{taskId}", 200] }, () => DescribeDetectMitigationActionsTaskRequest$, () => DescribeDetectMitigationActionsTaskResponse$
];
var DescribeDimension$ = [9, n0, _DDe,
    { [_h]: ["GET", "/dimensions/{name}", 200] }, () => DescribeDimensionRequest$, () => DescribeDimensionResponse$
];
var DescribeDomainConfiguration$ = [9, n0, _DDCe,
    { [_h]: ["GET", "/domainConfigurations/{domainConfigurationName}", 200] }, () => DescribeDomainConfigurationRequest$, () => DescribeDomainConfigurationResponse$
];
var DescribeEncryptionConfiguration$ = [9, n0, _DEC,
    { [_h]: ["GET", "/encryption-configuration", 200] }, () => DescribeEncryptionConfigurationRequest$, () => DescribeEncryptionConfigurationResponse$
];
var DescribeEndpoint$ = [9, n0, _DE,
    { [_h]: ["GET", "/endpoint", 200] }, () => DescribeEndpointRequest$, () => DescribeEndpointResponse$
];
var DescribeEventConfigurations$ = [9, n0, _DECe,
    { [_h]: ["GET", "/event-configurations", 200] }, () => DescribeEventConfigurationsRequest$, () => DescribeEventConfigurationsResponse$
];
var DescribeFleetMetric$ = [9, n0, _DFMe,
    { [_h]: ["GET", "/fleet-metric/{metricName}", 200] }, () => DescribeFleetMetricRequest$, () => DescribeFleetMetricResponse$
];
var DescribeIndex$ = [9, n0, _DI,
    { [_h]: ["GET", "/indices/{indexName}", 200] }, () => DescribeIndexRequest$, () => DescribeIndexResponse$
];
var DescribeJob$ = [9, n0, _DJe,
    { [_h]: ["GET", "/jobs/{jobId}", 200] }, () => DescribeJobRequest$, () => DescribeJobResponse$
];
var DescribeJobExecution$ = [9, n0, _DJEe,
    { [_h]: ["GET", "/things/{thingName}/jobs/{jobId}", 200] }, () => DescribeJobExecutionRequest$, () => DescribeJobExecutionResponse$
];
var DescribeJobTemplate$ = [9, n0, _DJTe,
    { [_h]: ["GET", "/job-templates/{jobTemplateId}", 200] }, () => DescribeJobTemplateRequest$, () => DescribeJobTemplateResponse$
];
var DescribeManagedJobTemplate$ = [9, n0, _DMJT,
    { [_h]: ["GET", "/managed-job-templates/{templateName}", 200] }, () => DescribeManagedJobTemplateRequest$, () => DescribeManagedJobTemplateResponse$
];
var DescribeMitigationAction$ = [9, n0, _DMAe,
    { [_h]: ["GET", "/mitigationactions/actions/{actionName}", 200] }, () => DescribeMitigationActionRequest$, () => DescribeMitigationActionResponse$
];
var DescribeProvisioningTemplate$ = [9, n0, _DPTe,
    { [_h]: ["GET", "/provisioning-templates/{templateName}", 200] }, () => DescribeProvisioningTemplateRequest$, () => DescribeProvisioningTemplateResponse$
];
var DescribeProvisioningTemplateVersion$ = [9, n0, _DPTVe,
    { [_h]: ["GET", "/provisioning-templates/{templateName}/versions/{versionId}", 200] }, () => DescribeProvisioningTemplateVersionRequest$, () => DescribeProvisioningTemplateVersionResponse$
];
var DescribeRoleAlias$ = [9, n0, _DRAe,
    { [_h]: ["GET", "/role-aliases/{roleAlias}", 200] }, () => DescribeRoleAliasRequest$, () => DescribeRoleAliasResponse$
];
var DescribeScheduledAudit$ = [9, n0, _DSAe,
    { [_h]: ["GET", "/audit/scheduledaudits/{scheduledAuditName}", 200] }, () => DescribeScheduledAuditRequest$, () => DescribeScheduledAuditResponse$
];
var DescribeSecurityProfile$ = [9, n0, _DSPe,
    { [_h]: ["GET", "/security-profiles/{securityProfileName}", 200] }, () => DescribeSecurityProfileRequest$, () => DescribeSecurityProfileResponse$
];
var DescribeStream$ = [9, n0, _DSe,
    { [_h]: ["GET", "/streams/{streamId}", 200] }, () => DescribeStreamRequest$, () => DescribeStreamResponse$
];
var DescribeThing$ = [9, n0, _DTe,
    { [_h]: ["GET", "/things/{thingName}", 200] }, () => DescribeThingRequest$, () => DescribeThingResponse$
];
var DescribeThingGroup$ = [9, n0, _DTGe,
    { [_h]: ["GET", "/thing-groups/{thingGroupName}", 200] }, () => DescribeThingGroupRequest$, () => DescribeThingGroupResponse$
];
var DescribeThingRegistrationTask$ = [9, n0, _DTRT,
    { [_h]: ["GET", "/thing-registration-tasks/{taskId}", 200] }, () => DescribeThingRegistrationTaskRequest$, () => DescribeThingRegistrationTaskResponse$
];
var DescribeThingType$ = [9, n0, _DTTes,
    { [_h]: ["GET", "/thing-types/{thingTypeName}", 200] }, () => DescribeThingTypeRequest$, () => DescribeThingTypeResponse$
];
var DetachPolicy$ = [9, n0, _DPet,
    { [_h]: ["POST", "/target-policies/{policyName}", 200] }, () => DetachPolicyRequest$, () => __Unit
];
var DetachPrincipalPolicy$ = [9, n0, _DPP,
    { [_h]: ["DELETE", "/principal-policies/{policyName}", 200] }, () => DetachPrincipalPolicyRequest$, () => __Unit
];
var DetachSecurityProfile$ = [9, n0, _DSPet,
    { [_h]: ["DELETE", "/security-profiles/{securityProfileName}/targets", 200] }, () => DetachSecurityProfileRequest$, () => DetachSecurityProfileResponse$
];
var DetachThingPrincipal$ = [9, n0, _DTP,
    { [_h]: ["DELETE", "/things/{thingName}/principals", 200] }, () => DetachThingPrincipalRequest$, () => DetachThingPrincipalResponse$
];
var DisableTopicRule$ = [9, n0, _DTRi,
    { [_h]: ["POST", "/rules/{ruleName}/disable", 200] }, () => DisableTopicRuleRequest$, () => __Unit
];
var DisassociateSbomFromPackageVersion$ = [9, n0, _DSFPV,
    { [_h]: ["DELETE", "/packages/{packageName}/versions/{versionName}/sbom", 200] }, () => DisassociateSbomFromPackageVersionRequest$, () => DisassociateSbomFromPackageVersionResponse$
];
var EnableTopicRule$ = [9, n0, _ETR,
    { [_h]: ["POST", "/rules/{ruleName}/enable", 200] }, () => EnableTopicRuleRequest$, () => __Unit
];
var GetBehaviorModelTrainingSummaries$ = [9, n0, _GBMTS,
    { [_h]: ["GET", "/behavior-model-training/summaries", 200] }, () => GetBehaviorModelTrainingSummariesRequest$, () => GetBehaviorModelTrainingSummariesResponse$
];
var GetBucketsAggregation$ = [9, n0, _GBA,
    { [_h]: ["POST", "/indices/buckets", 200] }, () => GetBucketsAggregationRequest$, () => GetBucketsAggregationResponse$
];
var GetCardinality$ = [9, n0, _GC,
    { [_h]: ["POST", "/indices/cardinality", 200] }, () => GetCardinalityRequest$, () => GetCardinalityResponse$
];
var GetCommand$ = [9, n0, _GCe,
    { [_h]: ["GET", "/commands/{commandId}", 200] }, () => GetCommandRequest$, () => GetCommandResponse$
];
var GetCommandExecution$ = [9, n0, _GCE,
    { [_h]: ["GET", "/command-executions/{executionId}", 200] }, () => GetCommandExecutionRequest$, () => GetCommandExecutionResponse$
];
var GetEffectivePolicies$ = [9, n0, _GEP,
    { [_h]: ["POST", "/effective-policies", 200] }, () => GetEffectivePoliciesRequest$, () => GetEffectivePoliciesResponse$
];
var GetIndexingConfiguration$ = [9, n0, _GIC,
    { [_h]: ["GET", "/indexing/config", 200] }, () => GetIndexingConfigurationRequest$, () => GetIndexingConfigurationResponse$
];
var GetJobDocument$ = [9, n0, _GJD,
    { [_h]: ["GET", "/jobs/{jobId}/job-document", 200] }, () => GetJobDocumentRequest$, () => GetJobDocumentResponse$
];
var GetLoggingOptions$ = [9, n0, _GLO,
    { [_h]: ["GET", "/loggingOptions", 200] }, () => GetLoggingOptionsRequest$, () => GetLoggingOptionsResponse$
];
var GetOTAUpdate$ = [9, n0, _GOTAU,
    { [_h]: ["GET", "/otaUpdates/{otaUpdateId}", 200] }, () => GetOTAUpdateRequest$, () => GetOTAUpdateResponse$
];
var GetPackage$ = [9, n0, _GP,
    { [_h]: ["GET", "/packages/{packageName}", 200] }, () => GetPackageRequest$, () => GetPackageResponse$
];
var GetPackageConfiguration$ = [9, n0, _GPC,
    { [_h]: ["GET", "/package-configuration", 200] }, () => GetPackageConfigurationRequest$, () => GetPackageConfigurationResponse$
];
var GetPackageVersion$ = [9, n0, _GPV,
    { [_h]: ["GET", "/packages/{packageName}/versions/{versionName}", 200] }, () => GetPackageVersionRequest$, () => GetPackageVersionResponse$
];
var GetPercentiles$ = [9, n0, _GPe,
    { [_h]: ["POST", "/indices/percentiles", 200] }, () => GetPercentilesRequest$, () => GetPercentilesResponse$
];
var GetPolicy$ = [9, n0, _GPet,
    { [_h]: ["GET", "/policies/{policyName}", 200] }, () => GetPolicyRequest$, () => GetPolicyResponse$
];
var GetPolicyVersion$ = [9, n0, _GPVe,
    { [_h]: ["GET", "/policies/{policyName}/version/{policyVersionId}", 200] }, () => GetPolicyVersionRequest$, () => GetPolicyVersionResponse$
];
var GetRegistrationCode$ = [9, n0, _GRC,
    { [_h]: ["GET", "/registrationcode", 200] }, () => GetRegistrationCodeRequest$, () => GetRegistrationCodeResponse$
];
var GetStatistics$ = [9, n0, _GS,
    { [_h]: ["POST", "/indices/statistics", 200] }, () => GetStatisticsRequest$, () => GetStatisticsResponse$
];
var GetThingConnectivityData$ = [9, n0, _GTCD,
    { [_h]: ["POST", "/things/{thingName}/connectivity-data", 200] }, () => GetThingConnectivityDataRequest$, () => GetThingConnectivityDataResponse$
];
var GetTopicRule$ = [9, n0, _GTR,
    { [_h]: ["GET", "/rules/{ruleName}", 200] }, () => GetTopicRuleRequest$, () => GetTopicRuleResponse$
];
var GetTopicRuleDestination$ = [9, n0, _GTRD,
    { [_h]: ["GET", "/destinations/{arn+}", 200] }, () => GetTopicRuleDestinationRequest$, () => GetTopicRuleDestinationResponse$
];
var GetV2LoggingOptions$ = [9, n0, _GVLO,
    { [_h]: ["GET", "/v2LoggingOptions", 200] }, () => GetV2LoggingOptionsRequest$, () => GetV2LoggingOptionsResponse$
];
var ListActiveViolations$ = [9, n0, _LAV,
    { [_h]: ["GET", "/active-violations", 200] }, () => ListActiveViolationsRequest$, () => ListActiveViolationsResponse$
];
var ListAttachedPolicies$ = [9, n0, _LAP,
    { [_h]: ["POST", "/attached-policies/{target}", 200] }, () => ListAttachedPoliciesRequest$, () => ListAttachedPoliciesResponse$
];
var ListAuditFindings$ = [9, n0, _LAF,
    { [_h]: ["POST", "/audit/findings", 200] }, () => ListAuditFindingsRequest$, () => ListAuditFindingsResponse$
];
var ListAuditMitigationActionsExecutions$ = [9, n0, _LAMAE,
    { [_h]: ["GET", "/audit/mitigationactions/executions", 200] }, () => ListAuditMitigationActionsExecutionsRequest$, () => ListAuditMitigationActionsExecutionsResponse$
];
var ListAuditMitigationActionsTasks$ = [9, n0, _LAMAT,
    { [_h]: ["GET", "/audit/mitigationactions/tasks", 200] }, () => ListAuditMitigationActionsTasksRequest$, () => ListAuditMitigationActionsTasksResponse$
];
var ListAuditSuppressions$ = [9, n0, _LAS,
    { [_h]: ["POST", "/audit/suppressions/list", 200] }, () => ListAuditSuppressionsRequest$, () => ListAuditSuppressionsResponse$
];
var ListAuditTasks$ = [9, n0, _LAT,
    { [_h]: ["GET", "/audit/tasks", 200] }, () => ListAuditTasksRequest$, () => ListAuditTasksResponse$
];
var ListAuthorizers$ = [9, n0, _LAi,
    { [_h]: ["GET", "/authorizers", 200] }, () => ListAuthorizersRequest$, () => ListAuthorizersResponse$
];
var ListBillingGroups$ = [9, n0, _LBG,
    { [_h]: ["GET", "/billing-groups", 200] }, () => ListBillingGroupsRequest$, () => ListBillingGroupsResponse$
];
var ListCACertificates$ = [9, n0, _LCAC,
    { [_h]: ["GET", "/cacertificates", 200] }, () => ListCACertificatesRequest$, () => ListCACertificatesResponse$
];
var ListCertificateProviders$ = [9, n0, _LCP,
    { [_h]: ["GET", "/certificate-providers", 200] }, () => ListCertificateProvidersRequest$, () => ListCertificateProvidersResponse$
];
var ListCertificates$ = [9, n0, _LC,
    { [_h]: ["GET", "/certificates", 200] }, () => ListCertificatesRequest$, () => ListCertificatesResponse$
];
var ListCertificatesByCA$ = [9, n0, _LCBCA,
    { [_h]: ["GET", "/certificates-by-ca/{caCertificateId}", 200] }, () => ListCertificatesByCARequest$, () => ListCertificatesByCAResponse$
];
var ListCommandExecutions$ = [9, n0, _LCE,
    { [_h]: ["POST", "/command-executions", 200] }, () => ListCommandExecutionsRequest$, () => ListCommandExecutionsResponse$
];
var ListCommands$ = [9, n0, _LCi,
    { [_h]: ["GET", "/commands", 200] }, () => ListCommandsRequest$, () => ListCommandsResponse$
];
var ListCustomMetrics$ = [9, n0, _LCM,
    { [_h]: ["GET", "/custom-metrics", 200] }, () => ListCustomMetricsRequest$, () => ListCustomMetricsResponse$
];
var ListDetectMitigationActionsExecutions$ = [9, n0, _LDMAE,
    { [_h]: ["GET", "/detect/mitigationactions/executions", 200] }, () => ListDetectMitigationActionsExecutionsRequest$, () => ListDetectMitigationActionsExecutionsResponse$
];
var ListDetectMitigationActionsTasks$ = [9, n0, _LDMAT,
    { [_h]: ["GET", "/detect/mitigationactions/tasks", 200] }, () => ListDetectMitigationActionsTasksRequest$, () => ListDetectMitigationActionsTasksResponse$
];
var ListDimensions$ = [9, n0, _LD,
    { [_h]: ["GET", "/dimensions", 200] }, () => ListDimensionsRequest$, () => ListDimensionsResponse$
];
var ListDomainConfigurations$ = [9, n0, _LDC,
    { [_h]: ["GET", "/domainConfigurations", 200] }, () => ListDomainConfigurationsRequest$, () => ListDomainConfigurationsResponse$
];
var ListFleetMetrics$ = [9, n0, _LFM,
    { [_h]: ["GET", "/fleet-metrics", 200] }, () => ListFleetMetricsRequest$, () => ListFleetMetricsResponse$
];
var ListIndices$ = [9, n0, _LI,
    { [_h]: ["GET", "/indices", 200] }, () => ListIndicesRequest$, () => ListIndicesResponse$
];
var ListJobExecutionsForJob$ = [9, n0, _LJEFJ,
    { [_h]: ["GET", "/jobs/{jobId}/things", 200] }, () => ListJobExecutionsForJobRequest$, () => ListJobExecutionsForJobResponse$
];
var ListJobExecutionsForThing$ = [9, n0, _LJEFT,
    { [_h]: ["GET", "/things/{thingName}/jobs", 200] }, () => ListJobExecutionsForThingRequest$, () => ListJobExecutionsForThingResponse$
];
var ListJobs$ = [9, n0, _LJ,
    { [_h]: ["GET", "/jobs", 200] }, () => ListJobsRequest$, () => ListJobsResponse$
];
var ListJobTemplates$ = [9, n0, _LJT,
    { [_h]: ["GET", "/job-templates", 200] }, () => ListJobTemplatesRequest$, () => ListJobTemplatesResponse$
];
var ListManagedJobTemplates$ = [9, n0, _LMJT,
    { [_h]: ["GET", "/managed-job-templates", 200] }, () => ListManagedJobTemplatesRequest$, () => ListManagedJobTemplatesResponse$
];
var ListMetricValues$ = [9, n0, _LMV,
    { [_h]: ["GET", "/metric-values", 200] }, () => ListMetricValuesRequest$, () => ListMetricValuesResponse$
];
var ListMitigationActions$ = [9, n0, _LMA,
    { [_h]: ["GET", "/mitigationactions/actions", 200] }, () => ListMitigationActionsRequest$, () => ListMitigationActionsResponse$
];
var ListOTAUpdates$ = [9, n0, _LOTAU,
    { [_h]: ["GET", "/otaUpdates", 200] }, () => ListOTAUpdatesRequest$, () => ListOTAUpdatesResponse$
];
var ListOutgoingCertificates$ = [9, n0, _LOC,
    { [_h]: ["GET", "/certificates-out-going", 200] }, () => ListOutgoingCertificatesRequest$, () => ListOutgoingCertificatesResponse$
];
var ListPackages$ = [9, n0, _LP,
    { [_h]: ["GET", "/packages", 200] }, () => ListPackagesRequest$, () => ListPackagesResponse$
];
var ListPackageVersions$ = [9, n0, _LPV,
    { [_h]: ["GET", "/packages/{packageName}/versions", 200] }, () => ListPackageVersionsRequest$, () => ListPackageVersionsResponse$
];
var ListPolicies$ = [9, n0, _LPi,
    { [_h]: ["GET", "/policies", 200] }, () => ListPoliciesRequest$, () => ListPoliciesResponse$
];
var ListPolicyPrincipals$ = [9, n0, _LPP,
    { [_h]: ["GET", "/policy-principals", 200] }, () => ListPolicyPrincipalsRequest$, () => ListPolicyPrincipalsResponse$
];
var ListPolicyVersions$ = [9, n0, _LPVi,
    { [_h]: ["GET", "/policies/{policyName}/version", 200] }, () => ListPolicyVersionsRequest$, () => ListPolicyVersionsResponse$
];
var ListPrincipalPolicies$ = [9, n0, _LPPi,
    { [_h]: ["GET", "/principal-policies", 200] }, () => ListPrincipalPoliciesRequest$, () => ListPrincipalPoliciesResponse$
];
var ListPrincipalThings$ = [9, n0, _LPT,
    { [_h]: ["GET", "/principals/things", 200] }, () => ListPrincipalThingsRequest$, () => ListPrincipalThingsResponse$
];
var ListPrincipalThingsV2$ = [9, n0, _LPTV,
    { [_h]: ["GET", "/principals/things-v2", 200] }, () => ListPrincipalThingsV2Request$, () => ListPrincipalThingsV2Response$
];
var ListProvisioningTemplates$ = [9, n0, _LPTi,
    { [_h]: ["GET", "/provisioning-templates", 200] }, () => ListProvisioningTemplatesRequest$, () => ListProvisioningTemplatesResponse$
];
var ListProvisioningTemplateVersions$ = [9, n0, _LPTVi,
    { [_h]: ["GET", "/provisioning-templates/{templateName}/versions", 200] }, () => ListProvisioningTemplateVersionsRequest$, () => ListProvisioningTemplateVersionsResponse$
];
var ListRelatedResourcesForAuditFinding$ = [9, n0, _LRRFAF,
    { [_h]: ["GET", "/audit/relatedResources", 200] }, () => ListRelatedResourcesForAuditFindingRequest$, () => ListRelatedResourcesForAuditFindingResponse$
];
var ListRoleAliases$ = [9, n0, _LRA,
    { [_h]: ["GET", "/role-aliases", 200] }, () => ListRoleAliasesRequest$, () => ListRoleAliasesResponse$
];
var ListSbomValidationResults$ = [9, n0, _LSVR,
    { [_h]: ["GET", "/packages/{packageName}/versions/{versionName}/sbom-validation-results", 200] }, () => ListSbomValidationResultsRequest$, () => ListSbomValidationResultsResponse$
];
var ListScheduledAudits$ = [9, n0, _LSA,
    { [_h]: ["GET", "/audit/scheduledaudits", 200] }, () => ListScheduledAuditsRequest$, () => ListScheduledAuditsResponse$
];
var ListSecurityProfiles$ = [9, n0, _LSP,
    { [_h]: ["GET", "/security-profiles", 200] }, () => ListSecurityProfilesRequest$, () => ListSecurityProfilesResponse$
];
var ListSecurityProfilesForTarget$ = [9, n0, _LSPFT,
    { [_h]: ["GET", "/security-profiles-for-target", 200] }, () => ListSecurityProfilesForTargetRequest$, () => ListSecurityProfilesForTargetResponse$
];
var ListStreams$ = [9, n0, _LS,
    { [_h]: ["GET", "/streams", 200] }, () => ListStreamsRequest$, () => ListStreamsResponse$
];
var ListTagsForResource$ = [9, n0, _LTFR,
    { [_h]: ["GET", "/tags", 200] }, () => ListTagsForResourceRequest$, () => ListTagsForResourceResponse$
];
var ListTargetsForPolicy$ = [9, n0, _LTFP,
    { [_h]: ["POST", "/policy-targets/{policyName}", 200] }, () => ListTargetsForPolicyRequest$, () => ListTargetsForPolicyResponse$
];
var ListTargetsForSecurityProfile$ = [9, n0, _LTFSP,
    { [_h]: ["GET", "/security-profiles/{securityProfileName}/targets", 200] }, () => ListTargetsForSecurityProfileRequest$, () => ListTargetsForSecurityProfileResponse$
];
var ListThingGroups$ = [9, n0, _LTG,
    { [_h]: ["GET", "/thing-groups", 200] }, () => ListThingGroupsRequest$, () => ListThingGroupsResponse$
];
var ListThingGroupsForThing$ = [9, n0, _LTGFT,
    { [_h]: ["GET", "/things/{thingName}/thing-groups", 200] }, () => ListThingGroupsForThingRequest$, () => ListThingGroupsForThingResponse$
];
var ListThingPrincipals$ = [9, n0, _LTP,
    { [_h]: ["GET", "/things/{thingName}/principals", 200] }, () => ListThingPrincipalsRequest$, () => ListThingPrincipalsResponse$
];
var ListThingPrincipalsV2$ = [9, n0, _LTPV,
    { [_h]: ["GET", "/things/{thingName}/principals-v2", 200] }, () => ListThingPrincipalsV2Request$, () => ListThingPrincipalsV2Response$
];
var ListThingRegistrationTaskReports$ = [9, n0, _LTRTRis,
    { [_h]: ["GET", "/thing-registration-tasks/{taskId}/reports", 200] }, () => ListThingRegistrationTaskReportsRequest$, () => ListThingRegistrationTaskReportsResponse$
];
var ListThingRegistrationTasks$ = [9, n0, _LTRT,
    { [_h]: ["GET", "/thing-registration-tasks", 200] }, () => ListThingRegistrationTasksRequest$, () => ListThingRegistrationTasksResponse$
];
var ListThings$ = [9, n0, _LTi,
    { [_h]: ["GET", "/things", 200] }, () => ListThingsRequest$, () => ListThingsResponse$
];
var ListThingsInBillingGroup$ = [9, n0, _LTIBG,
    { [_h]: ["GET", "/billing-groups/{billingGroupName}/things", 200] }, () => ListThingsInBillingGroupRequest$, () => ListThingsInBillingGroupResponse$
];
var ListThingsInThingGroup$ = [9, n0, _LTITG,
    { [_h]: ["GET", "/thing-groups/{thingGroupName}/things", 200] }, () => ListThingsInThingGroupRequest$, () => ListThingsInThingGroupResponse$
];
var ListThingTypes$ = [9, n0, _LTT,
    { [_h]: ["GET", "/thing-types", 200] }, () => ListThingTypesRequest$, () => ListThingTypesResponse$
];
var ListTopicRuleDestinations$ = [9, n0, _LTRD,
    { [_h]: ["GET", "/destinations", 200] }, () => ListTopicRuleDestinationsRequest$, () => ListTopicRuleDestinationsResponse$
];
var ListTopicRules$ = [9, n0, _LTRis,
    { [_h]: ["GET", "/rules", 200] }, () => ListTopicRulesRequest$, () => ListTopicRulesResponse$
];
var ListV2LoggingLevels$ = [9, n0, _LVLL,
    { [_h]: ["GET", "/v2LoggingLevel", 200] }, () => ListV2LoggingLevelsRequest$, () => ListV2LoggingLevelsResponse$
];
var ListViolationEvents$ = [9, n0, _LVE,
    { [_h]: ["GET", "/violation-events", 200] }, () => ListViolationEventsRequest$, () => ListViolationEventsResponse$
];
var PutVerificationStateOnViolation$ = [9, n0, _PVSOV,
    { [_h]: ["POST", "/violations/verification-state/{violationId}", 200] }, () => PutVerificationStateOnViolationRequest$, () => PutVerificationStateOnViolationResponse$
];
var RegisterCACertificate$ = [9, n0, _RCAC,
    { [_h]: ["POST", "/cacertificate", 200] }, () => RegisterCACertificateRequest$, () => RegisterCACertificateResponse$
];
var RegisterCertificate$ = [9, n0, _RCeg,
    { [_h]: ["POST", "/certificate/register", 200] }, () => RegisterCertificateRequest$, () => RegisterCertificateResponse$
];
var RegisterCertificateWithoutCA$ = [9, n0, _RCWCA,
    { [_h]: ["POST", "/certificate/register-no-ca", 200] }, () => RegisterCertificateWithoutCARequest$, () => RegisterCertificateWithoutCAResponse$
];
var RegisterThing$ = [9, n0, _RT,
    { [_h]: ["POST", "/things", 200] }, () => RegisterThingRequest$, () => RegisterThingResponse$
];
var RejectCertificateTransfer$ = [9, n0, _RCT,
    { [_h]: ["PATCH", "/reject-certificate-transfer/{certificateId}", 200] }, () => RejectCertificateTransferRequest$, () => __Unit
];
var RemoveThingFromBillingGroup$ = [9, n0, _RTFBG,
    { [_h]: ["PUT", "/billing-groups/removeThingFromBillingGroup", 200] }, () => RemoveThingFromBillingGroupRequest$, () => RemoveThingFromBillingGroupResponse$
];
var RemoveThingFromThingGroup$ = [9, n0, _RTFTG,
    { [_h]: ["PUT", "/thing-groups/removeThingFromThingGroup", 200] }, () => RemoveThingFromThingGroupRequest$, () => RemoveThingFromThingGroupResponse$
];
var ReplaceTopicRule$ = [9, n0, _RTRep,
    { [_h]: ["PATCH", "/rules/{ruleName}", 200] }, () => ReplaceTopicRuleRequest$, () => __Unit
];
var SearchIndex$ = [9, n0, _SIe,
    { [_h]: ["POST", "/indices/search", 200] }, () => SearchIndexRequest$, () => SearchIndexResponse$
];
var SetDefaultAuthorizer$ = [9, n0, _SDA,
    { [_h]: ["POST", "/default-authorizer", 200] }, () => SetDefaultAuthorizerRequest$, () => SetDefaultAuthorizerResponse$
];
var SetDefaultPolicyVersion$ = [9, n0, _SDPV,
    { [_h]: ["PATCH", "/policies/{policyName}/version/{policyVersionId}", 200] }, () => SetDefaultPolicyVersionRequest$, () => __Unit
];
var SetLoggingOptions$ = [9, n0, _SLO,
    { [_h]: ["POST", "/loggingOptions", 200] }, () => SetLoggingOptionsRequest$, () => __Unit
];
var SetV2LoggingLevel$ = [9, n0, _SVLL,
    { [_h]: ["POST", "/v2LoggingLevel", 200] }, () => SetV2LoggingLevelRequest$, () => __Unit
];
var SetV2LoggingOptions$ = [9, n0, _SVLO,
    { [_h]: ["POST", "/v2LoggingOptions", 200] }, () => SetV2LoggingOptionsRequest$, () => __Unit
];
var StartAuditMitigationActionsTask$ = [9, n0, _SAMAT,
    { [_h]: ["POST", "/audit/mitigationactions/tasks/{taskId}", 200] }, () => StartAuditMitigationActionsTaskRequest$, () => StartAuditMitigationActionsTaskResponse$
];
var StartDetectMitigationActionsTask$ = [9, n0, _SDMAT,
    { [_h]: ["PUT", "/detect/mitigationactions/tasks/{taskId}", 200] }, () => StartDetectMitigationActionsTaskRequest$, () => StartDetectMitigationActionsTaskResponse$
];
var StartOnDemandAuditTask$ = [9, n0, _SODAT,
    { [_h]: ["POST", "/audit/tasks", 200] }, () => StartOnDemandAuditTaskRequest$, () => StartOnDemandAuditTaskResponse$
];
var StartThingRegistrationTask$ = [9, n0, _STRT,
    { [_h]: ["POST", "/thing-registration-tasks", 200] }, () => StartThingRegistrationTaskRequest$, () => StartThingRegistrationTaskResponse$
];
var StopThingRegistrationTask$ = [9, n0, _STRTt,
    { [_h]: ["PUT", "/thing-registration-tasks/{taskId}/cancel", 200] }, () => StopThingRegistrationTaskRequest$, () => StopThingRegistrationTaskResponse$
];
var TagResource$ = [9, n0, _TRa,
    { [_h]: ["POST", "/tags", 200] }, () => TagResourceRequest$, () => TagResourceResponse$
];
var TestAuthorization$ = [9, n0, _TAe,
    { [_h]: ["POST", "/test-authorization", 200] }, () => TestAuthorizationRequest$, () => TestAuthorizationResponse$
];
var TestInvokeAuthorizer$ = [9, n0, _TIA,
    { [_h]: ["POST", "/authorizer/{authorizerName}/test", 200] }, () => TestInvokeAuthorizerRequest$, () => TestInvokeAuthorizerResponse$
];
var TransferCertificate$ = [9, n0, _TCr,
    { [_h]: ["PATCH", "/transfer-certificate/{certificateId}", 200] }, () => TransferCertificateRequest$, () => TransferCertificateResponse$
];
var UntagResource$ = [9, n0, _UR,
    { [_h]: ["POST", "/untag", 200] }, () => UntagResourceRequest$, () => UntagResourceResponse$
];
var UpdateAccountAuditConfiguration$ = [9, n0, _UAAC,
    { [_h]: ["PATCH", "/audit/configuration", 200] }, () => UpdateAccountAuditConfigurationRequest$, () => UpdateAccountAuditConfigurationResponse$
];
var UpdateAuditSuppression$ = [9, n0, _UAS,
    { [_h]: ["PATCH", "/audit/suppressions/update", 200] }, () => UpdateAuditSuppressionRequest$, () => UpdateAuditSuppressionResponse$
];
var UpdateAuthorizer$ = [9, n0, _UA,
    { [_h]: ["PUT", "/authorizer/{authorizerName}", 200] }, () => UpdateAuthorizerRequest$, () => UpdateAuthorizerResponse$
];
var UpdateBillingGroup$ = [9, n0, _UBG,
    { [_h]: ["PATCH", "/billing-groups/{billingGroupName}", 200] }, () => UpdateBillingGroupRequest$, () => UpdateBillingGroupResponse$
];
var UpdateCACertificate$ = [9, n0, _UCAC,
    { [_h]: ["PUT", "/cacertificate/{certificateId}", 200] }, () => UpdateCACertificateRequest$, () => __Unit
];
var UpdateCertificate$ = [9, n0, _UC,
    { [_h]: ["PUT", "/certificates/{certificateId}", 200] }, () => UpdateCertificateRequest$, () => __Unit
];
var UpdateCertificateProvider$ = [9, n0, _UCP,
    { [_h]: ["PUT", "/certificate-providers/{certificateProviderName}", 200] }, () => UpdateCertificateProviderRequest$, () => UpdateCertificateProviderResponse$
];
var UpdateCommand$ = [9, n0, _UCp,
    { [_h]: ["PATCH", "/commands/{commandId}", 200] }, () => UpdateCommandRequest$, () => UpdateCommandResponse$
];
var UpdateCustomMetric$ = [9, n0, _UCM,
    { [_h]: ["PATCH", "/custom-metric/{metricName}", 200] }, () => UpdateCustomMetricRequest$, () => UpdateCustomMetricResponse$
];
var UpdateDimension$ = [9, n0, _UD,
    { [_h]: ["PATCH", "/dimensions/{name}", 200] }, () => UpdateDimensionRequest$, () => UpdateDimensionResponse$
];
var UpdateDomainConfiguration$ = [9, n0, _UDC,
    { [_h]: ["PUT", "/domainConfigurations/{domainConfigurationName}", 200] }, () => UpdateDomainConfigurationRequest$, () => UpdateDomainConfigurationResponse$
];
var UpdateDynamicThingGroup$ = [9, n0, _UDTG,
    { [_h]: ["PATCH", "/dynamic-thing-groups/{thingGroupName}", 200] }, () => UpdateDynamicThingGroupRequest$, () => UpdateDynamicThingGroupResponse$
];
var UpdateEncryptionConfiguration$ = [9, n0, _UEC,
    { [_h]: ["PATCH", "/encryption-configuration", 200] }, () => UpdateEncryptionConfigurationRequest$, () => UpdateEncryptionConfigurationResponse$
];
var UpdateEventConfigurations$ = [9, n0, _UECp,
    { [_h]: ["PATCH", "/event-configurations", 200] }, () => UpdateEventConfigurationsRequest$, () => UpdateEventConfigurationsResponse$
];
var UpdateFleetMetric$ = [9, n0, _UFM,
    { [_h]: ["PATCH", "/fleet-metric/{metricName}", 200] }, () => UpdateFleetMetricRequest$, () => __Unit
];
var UpdateIndexingConfiguration$ = [9, n0, _UIC,
    { [_h]: ["POST", "/indexing/config", 200] }, () => UpdateIndexingConfigurationRequest$, () => UpdateIndexingConfigurationResponse$
];
var UpdateJob$ = [9, n0, _UJ,
    { [_h]: ["PATCH", "/jobs/{jobId}", 200] }, () => UpdateJobRequest$, () => __Unit
];
var UpdateMitigationAction$ = [9, n0, _UMA,
    { [_h]: ["PATCH", "/mitigationactions/actions/{actionName}", 200] }, () => UpdateMitigationActionRequest$, () => UpdateMitigationActionResponse$
];
var UpdatePackage$ = [9, n0, _UPp,
    { [_h]: ["PATCH", "/packages/{packageName}", 200] }, () => UpdatePackageRequest$, () => UpdatePackageResponse$
];
var UpdatePackageConfiguration$ = [9, n0, _UPC,
    { [_h]: ["PATCH", "/package-configuration", 200] }, () => UpdatePackageConfigurationRequest$, () => UpdatePackageConfigurationResponse$
];
var UpdatePackageVersion$ = [9, n0, _UPV,
    { [_h]: ["PATCH", "/packages/{packageName}/versions/{versionName}", 200] }, () => UpdatePackageVersionRequest$, () => UpdatePackageVersionResponse$
];
var UpdateProvisioningTemplate$ = [9, n0, _UPT,
    { [_h]: ["PATCH", "/provisioning-templates/{templateName}", 200] }, () => UpdateProvisioningTemplateRequest$, () => UpdateProvisioningTemplateResponse$
];
var UpdateRoleAlias$ = [9, n0, _URA,
    { [_h]: ["PUT", "/role-aliases/{roleAlias}", 200] }, () => UpdateRoleAliasRequest$, () => UpdateRoleAliasResponse$
];
var UpdateScheduledAudit$ = [9, n0, _USA,
    { [_h]: ["PATCH", "/audit/scheduledaudits/{scheduledAuditName}", 200] }, () => UpdateScheduledAuditRequest$, () => UpdateScheduledAuditResponse$
];
var UpdateSecurityProfile$ = [9, n0, _USP,
    { [_h]: ["PATCH", "/security-profiles/{securityProfileName}", 200] }, () => UpdateSecurityProfileRequest$, () => UpdateSecurityProfileResponse$
];
var UpdateStream$ = [9, n0, _US,
    { [_h]: ["PUT", "/streams/{streamId}", 200] }, () => UpdateStreamRequest$, () => UpdateStreamResponse$
];
var UpdateThing$ = [9, n0, _UT,
    { [_h]: ["PATCH", "/things/{thingName}", 200] }, () => UpdateThingRequest$, () => UpdateThingResponse$
];
var UpdateThingGroup$ = [9, n0, _UTG,
    { [_h]: ["PATCH", "/thing-groups/{thingGroupName}", 200] }, () => UpdateThingGroupRequest$, () => UpdateThingGroupResponse$
];
var UpdateThingGroupsForThing$ = [9, n0, _UTGFT,
    { [_h]: ["PUT", "/thing-groups/updateThingGroupsForThing", 200] }, () => UpdateThingGroupsForThingRequest$, () => UpdateThingGroupsForThingResponse$
];
var UpdateThingType$ = [9, n0, _UTT,
    { [_h]: ["PATCH", "/thing-types/{thingTypeName}", 200] }, () => UpdateThingTypeRequest$, () => UpdateThingTypeResponse$
];
var UpdateTopicRuleDestination$ = [9, n0, _UTRD,
    { [_h]: ["PATCH", "/destinations", 200] }, () => UpdateTopicRuleDestinationRequest$, () => UpdateTopicRuleDestinationResponse$
];
var ValidateSecurityProfileBehaviors$ = [9, n0, _VSPB,
    { [_h]: ["POST", "/security-profile-behaviors/validate", 200] }, () => ValidateSecurityProfileBehaviorsRequest$, () => ValidateSecurityProfileBehaviorsResponse$
];

const getRuntimeConfig$1 = (config) => {
    return {
        apiVersion: "2015-05-28",
        base64Decoder: config?.base64Decoder ?? fromBase64,
        base64Encoder: config?.base64Encoder ?? toBase64,
        disableHostPrefix: config?.disableHostPrefix ?? false,
        endpointProvider: config?.endpointProvider ?? defaultEndpointResolver,
        extensions: config?.extensions ?? [],
        httpAuthSchemeProvider: config?.httpAuthSchemeProvider ?? defaultIoTHttpAuthSchemeProvider,
        httpAuthSchemes: config?.httpAuthSchemes ?? [
            {
                schemeId: "aws.auth#sigv4",
                identityProvider: (ipc) => ipc.getIdentityProvider("aws.auth#sigv4"),
                signer: new AwsSdkSigV4Signer(),
            },
        ],
        logger: config?.logger ?? new NoOpLogger(),
        protocol: config?.protocol ?? AwsRestJsonProtocol,
        protocolSettings: config?.protocolSettings ?? {
            defaultNamespace: "com.amazonaws.iot",
            errorTypeRegistries,
            version: "2015-05-28",
            serviceTarget: "AWSIotService",
        },
        serviceId: config?.serviceId ?? "IoT",
        sha256: config?.sha256 ?? Sha256,
        urlParser: config?.urlParser ?? parseUrl,
        utf8Decoder: config?.utf8Decoder ?? fromUtf8,
        utf8Encoder: config?.utf8Encoder ?? toUtf8,
    };
};

const getRuntimeConfig = (config) => {
    emitWarningIfUnsupportedVersion(process.version);
    const defaultsMode = resolveDefaultsModeConfig(config);
    const defaultConfigProvider = () => defaultsMode().then(loadConfigsForDefaultMode);
    const clientSharedValues = getRuntimeConfig$1(config);
    emitWarningIfUnsupportedVersion$1(process.version);
    const loaderConfig = {
        profile: config?.profile,
        logger: clientSharedValues.logger,
    };
    return {
        ...clientSharedValues,
        ...config,
        runtime: "node",
        defaultsMode,
        authSchemePreference: config?.authSchemePreference ?? loadConfig(NODE_AUTH_SCHEME_PREFERENCE_OPTIONS, loaderConfig),
        bodyLengthChecker: config?.bodyLengthChecker ?? calculateBodyLength,
        credentialDefaultProvider: config?.credentialDefaultProvider ?? defaultProvider,
        defaultSocketTimeout: getDefaultSocketTimeout(config?.requestHandler, 900_000),
        defaultUserAgentProvider: config?.defaultUserAgentProvider ?? createDefaultUserAgentProvider({ serviceId: clientSharedValues.serviceId, clientVersion: packageInfo.version }),
        maxAttempts: config?.maxAttempts ?? loadConfig(NODE_MAX_ATTEMPT_CONFIG_OPTIONS, config),
        region: config?.region ?? loadConfig(NODE_REGION_CONFIG_OPTIONS, { ...NODE_REGION_CONFIG_FILE_OPTIONS, ...loaderConfig }),
        requestHandler: NodeHttpHandler.create(config?.requestHandler ?? defaultConfigProvider),
        retryMode: config?.retryMode ??
            loadConfig({
                ...NODE_RETRY_MODE_CONFIG_OPTIONS,
                default: async () => (await defaultConfigProvider()).retryMode || DEFAULT_RETRY_MODE,
            }, config),
        streamCollector: config?.streamCollector ?? streamCollector,
        useDualstackEndpoint: config?.useDualstackEndpoint ?? loadConfig(NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, loaderConfig),
        useFipsEndpoint: config?.useFipsEndpoint ?? loadConfig(NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, loaderConfig),
        userAgentAppId: config?.userAgentAppId ?? loadConfig(NODE_APP_ID_CONFIG_OPTIONS, loaderConfig),
    };
};

const getHttpAuthExtensionConfiguration = (runtimeConfig) => {
    const _httpAuthSchemes = runtimeConfig.httpAuthSchemes;
    let _httpAuthSchemeProvider = runtimeConfig.httpAuthSchemeProvider;
    let _credentials = runtimeConfig.credentials;
    return {
        setHttpAuthScheme(httpAuthScheme) {
            const index = _httpAuthSchemes.findIndex((scheme) => scheme.schemeId === httpAuthScheme.schemeId);
            if (index === -1) {
                _httpAuthSchemes.push(httpAuthScheme);
            }
            else {
                _httpAuthSchemes.splice(index, 1, httpAuthScheme);
            }
        },
        httpAuthSchemes() {
            return _httpAuthSchemes;
        },
        setHttpAuthSchemeProvider(httpAuthSchemeProvider) {
            _httpAuthSchemeProvider = httpAuthSchemeProvider;
        },
        httpAuthSchemeProvider() {
            return _httpAuthSchemeProvider;
        },
        setCredentials(credentials) {
            _credentials = credentials;
        },
        credentials() {
            return _credentials;
        },
    };
};
const resolveHttpAuthRuntimeConfig = (config) => {
    return {
        httpAuthSchemes: config.httpAuthSchemes(),
        httpAuthSchemeProvider: config.httpAuthSchemeProvider(),
        credentials: config.credentials(),
    };
};

const resolveRuntimeExtensions = (runtimeConfig, extensions) => {
    const extensionConfiguration = Object.assign(getAwsRegionExtensionConfiguration(runtimeConfig), getDefaultExtensionConfiguration(runtimeConfig), getHttpHandlerExtensionConfiguration(runtimeConfig), getHttpAuthExtensionConfiguration(runtimeConfig));
    extensions.forEach((extension) => extension.configure(extensionConfiguration));
    return Object.assign(runtimeConfig, resolveAwsRegionExtensionConfiguration(extensionConfiguration), resolveDefaultRuntimeConfig(extensionConfiguration), resolveHttpHandlerRuntimeConfig(extensionConfiguration), resolveHttpAuthRuntimeConfig(extensionConfiguration));
};

class IoTClient extends Client {
    config;
    constructor(...[configuration]) {
        const _config_0 = getRuntimeConfig(configuration || {});
        super(_config_0);
        this.initConfig = _config_0;
        const _config_1 = resolveClientEndpointParameters(_config_0);
        const _config_2 = resolveUserAgentConfig(_config_1);
        const _config_3 = resolveRetryConfig(_config_2);
        const _config_4 = resolveRegionConfig(_config_3);
        const _config_5 = resolveHostHeaderConfig(_config_4);
        const _config_6 = resolveEndpointConfig(_config_5);
        const _config_7 = resolveHttpAuthSchemeConfig(_config_6);
        const _config_8 = resolveRuntimeExtensions(_config_7, configuration?.extensions || []);
        this.config = _config_8;
        this.middlewareStack.use(getSchemaSerdePlugin(this.config));
        this.middlewareStack.use(getUserAgentPlugin(this.config));
        this.middlewareStack.use(getOmitRetryHeadersPlugin(this.config));
        this.middlewareStack.use(getRetryPlugin(this.config));
        this.middlewareStack.use(getContentLengthPlugin(this.config));
        this.middlewareStack.use(getHostHeaderPlugin(this.config));
        this.middlewareStack.use(getLoggerPlugin(this.config));
        this.middlewareStack.use(getRecursionDetectionPlugin(this.config));
        this.middlewareStack.use(getHttpAuthSchemeEndpointRuleSetPlugin(this.config, {
            httpAuthSchemeParametersProvider: defaultIoTHttpAuthSchemeParametersProvider,
            identityProviderConfigProvider: async (config) => new DefaultIdentityProviderConfig({
                "aws.auth#sigv4": config.credentials,
            }),
        }));
        this.middlewareStack.use(getHttpSigningPlugin(this.config));
    }
    destroy() {
        super.destroy();
    }
}

const command = makeBuilder(commonParams, "AWSIotService", "IoTClient", getEndpointPlugin);
const _ep0 = {};
const _mw0 = (Command, cs, config, o) => [];

class AcceptCertificateTransferCommand extends command(_ep0, _mw0, "AcceptCertificateTransfer", AcceptCertificateTransfer$) {
}

class AddThingToBillingGroupCommand extends command(_ep0, _mw0, "AddThingToBillingGroup", AddThingToBillingGroup$) {
}

class AddThingToThingGroupCommand extends command(_ep0, _mw0, "AddThingToThingGroup", AddThingToThingGroup$) {
}

class AssociateSbomWithPackageVersionCommand extends command(_ep0, _mw0, "AssociateSbomWithPackageVersion", AssociateSbomWithPackageVersion$) {
}

class AssociateTargetsWithJobCommand extends command(_ep0, _mw0, "AssociateTargetsWithJob", AssociateTargetsWithJob$) {
}

class AttachPolicyCommand extends command(_ep0, _mw0, "AttachPolicy", AttachPolicy$) {
}

class AttachPrincipalPolicyCommand extends command(_ep0, _mw0, "AttachPrincipalPolicy", AttachPrincipalPolicy$) {
}

class AttachSecurityProfileCommand extends command(_ep0, _mw0, "AttachSecurityProfile", AttachSecurityProfile$) {
}

class AttachThingPrincipalCommand extends command(_ep0, _mw0, "AttachThingPrincipal", AttachThingPrincipal$) {
}

class CancelAuditMitigationActionsTaskCommand extends command(_ep0, _mw0, "CancelAuditMitigationActionsTask", CancelAuditMitigationActionsTask$) {
}

class CancelAuditTaskCommand extends command(_ep0, _mw0, "CancelAuditTask", CancelAuditTask$) {
}

class CancelCertificateTransferCommand extends command(_ep0, _mw0, "CancelCertificateTransfer", CancelCertificateTransfer$) {
}

class CancelDetectMitigationActionsTaskCommand extends command(_ep0, _mw0, "CancelDetectMitigationActionsTask", CancelDetectMitigationActionsTask$) {
}

class CancelJobCommand extends command(_ep0, _mw0, "CancelJob", CancelJob$) {
}

class CancelJobExecutionCommand extends command(_ep0, _mw0, "CancelJobExecution", CancelJobExecution$) {
}

class ClearDefaultAuthorizerCommand extends command(_ep0, _mw0, "ClearDefaultAuthorizer", ClearDefaultAuthorizer$) {
}

class ConfirmTopicRuleDestinationCommand extends command(_ep0, _mw0, "ConfirmTopicRuleDestination", ConfirmTopicRuleDestination$) {
}

class CreateAuditSuppressionCommand extends command(_ep0, _mw0, "CreateAuditSuppression", CreateAuditSuppression$) {
}

class CreateAuthorizerCommand extends command(_ep0, _mw0, "CreateAuthorizer", CreateAuthorizer$) {
}

class CreateBillingGroupCommand extends command(_ep0, _mw0, "CreateBillingGroup", CreateBillingGroup$) {
}

class CreateCertificateFromCsrCommand extends command(_ep0, _mw0, "CreateCertificateFromCsr", CreateCertificateFromCsr$) {
}

class CreateCertificateProviderCommand extends command(_ep0, _mw0, "CreateCertificateProvider", CreateCertificateProvider$) {
}

class CreateCommandCommand extends command(_ep0, _mw0, "CreateCommand", CreateCommand$) {
}

class CreateCustomMetricCommand extends command(_ep0, _mw0, "CreateCustomMetric", CreateCustomMetric$) {
}

class CreateDimensionCommand extends command(_ep0, _mw0, "CreateDimension", CreateDimension$) {
}

class CreateDomainConfigurationCommand extends command(_ep0, _mw0, "CreateDomainConfiguration", CreateDomainConfiguration$) {
}

class CreateDynamicThingGroupCommand extends command(_ep0, _mw0, "CreateDynamicThingGroup", CreateDynamicThingGroup$) {
}

class CreateFleetMetricCommand extends command(_ep0, _mw0, "CreateFleetMetric", CreateFleetMetric$) {
}

class CreateJobCommand extends command(_ep0, _mw0, "CreateJob", CreateJob$) {
}

class CreateJobTemplateCommand extends command(_ep0, _mw0, "CreateJobTemplate", CreateJobTemplate$) {
}

class CreateKeysAndCertificateCommand extends command(_ep0, _mw0, "CreateKeysAndCertificate", CreateKeysAndCertificate$) {
}

class CreateMitigationActionCommand extends command(_ep0, _mw0, "CreateMitigationAction", CreateMitigationAction$) {
}

class CreateOTAUpdateCommand extends command(_ep0, _mw0, "CreateOTAUpdate", CreateOTAUpdate$) {
}

class CreatePackageCommand extends command(_ep0, _mw0, "CreatePackage", CreatePackage$) {
}

class CreatePackageVersionCommand extends command(_ep0, _mw0, "CreatePackageVersion", CreatePackageVersion$) {
}

class CreatePolicyCommand extends command(_ep0, _mw0, "CreatePolicy", CreatePolicy$) {
}

class CreatePolicyVersionCommand extends command(_ep0, _mw0, "CreatePolicyVersion", CreatePolicyVersion$) {
}

class CreateProvisioningClaimCommand extends command(_ep0, _mw0, "CreateProvisioningClaim", CreateProvisioningClaim$) {
}

class CreateProvisioningTemplateCommand extends command(_ep0, _mw0, "CreateProvisioningTemplate", CreateProvisioningTemplate$) {
}

class CreateProvisioningTemplateVersionCommand extends command(_ep0, _mw0, "CreateProvisioningTemplateVersion", CreateProvisioningTemplateVersion$) {
}

class CreateRoleAliasCommand extends command(_ep0, _mw0, "CreateRoleAlias", CreateRoleAlias$) {
}

class CreateScheduledAuditCommand extends command(_ep0, _mw0, "CreateScheduledAudit", CreateScheduledAudit$) {
}

class CreateSecurityProfileCommand extends command(_ep0, _mw0, "CreateSecurityProfile", CreateSecurityProfile$) {
}

class CreateStreamCommand extends command(_ep0, _mw0, "CreateStream", CreateStream$) {
}

class CreateThingCommand extends command(_ep0, _mw0, "CreateThing", CreateThing$) {
}

class CreateThingGroupCommand extends command(_ep0, _mw0, "CreateThingGroup", CreateThingGroup$) {
}

class CreateThingTypeCommand extends command(_ep0, _mw0, "CreateThingType", CreateThingType$) {
}

class CreateTopicRuleCommand extends command(_ep0, _mw0, "CreateTopicRule", CreateTopicRule$) {
}

class CreateTopicRuleDestinationCommand extends command(_ep0, _mw0, "CreateTopicRuleDestination", CreateTopicRuleDestination$) {
}

class DeleteAccountAuditConfigurationCommand extends command(_ep0, _mw0, "DeleteAccountAuditConfiguration", DeleteAccountAuditConfiguration$) {
}

class DeleteAuditSuppressionCommand extends command(_ep0, _mw0, "DeleteAuditSuppression", DeleteAuditSuppression$) {
}

class DeleteAuthorizerCommand extends command(_ep0, _mw0, "DeleteAuthorizer", DeleteAuthorizer$) {
}

class DeleteBillingGroupCommand extends command(_ep0, _mw0, "DeleteBillingGroup", DeleteBillingGroup$) {
}

class DeleteCACertificateCommand extends command(_ep0, _mw0, "DeleteCACertificate", DeleteCACertificate$) {
}

class DeleteCertificateCommand extends command(_ep0, _mw0, "DeleteCertificate", DeleteCertificate$) {
}

class DeleteCertificateProviderCommand extends command(_ep0, _mw0, "DeleteCertificateProvider", DeleteCertificateProvider$) {
}

class DeleteCommandCommand extends command(_ep0, _mw0, "DeleteCommand", DeleteCommand$) {
}

class DeleteCommandExecutionCommand extends command(_ep0, _mw0, "DeleteCommandExecution", DeleteCommandExecution$) {
}

class DeleteCustomMetricCommand extends command(_ep0, _mw0, "DeleteCustomMetric", DeleteCustomMetric$) {
}

class DeleteDimensionCommand extends command(_ep0, _mw0, "DeleteDimension", DeleteDimension$) {
}

class DeleteDomainConfigurationCommand extends command(_ep0, _mw0, "DeleteDomainConfiguration", DeleteDomainConfiguration$) {
}

class DeleteDynamicThingGroupCommand extends command(_ep0, _mw0, "DeleteDynamicThingGroup", DeleteDynamicThingGroup$) {
}

class DeleteFleetMetricCommand extends command(_ep0, _mw0, "DeleteFleetMetric", DeleteFleetMetric$) {
}

class DeleteJobCommand extends command(_ep0, _mw0, "DeleteJob", DeleteJob$) {
}

class DeleteJobExecutionCommand extends command(_ep0, _mw0, "DeleteJobExecution", DeleteJobExecution$) {
}

class DeleteJobTemplateCommand extends command(_ep0, _mw0, "DeleteJobTemplate", DeleteJobTemplate$) {
}

class DeleteMitigationActionCommand extends command(_ep0, _mw0, "DeleteMitigationAction", DeleteMitigationAction$) {
}

class DeleteOTAUpdateCommand extends command(_ep0, _mw0, "DeleteOTAUpdate", DeleteOTAUpdate$) {
}

class DeletePackageCommand extends command(_ep0, _mw0, "DeletePackage", DeletePackage$) {
}

class DeletePackageVersionCommand extends command(_ep0, _mw0, "DeletePackageVersion", DeletePackageVersion$) {
}

class DeletePolicyCommand extends command(_ep0, _mw0, "DeletePolicy", DeletePolicy$) {
}

class DeletePolicyVersionCommand extends command(_ep0, _mw0, "DeletePolicyVersion", DeletePolicyVersion$) {
}

class DeleteProvisioningTemplateCommand extends command(_ep0, _mw0, "DeleteProvisioningTemplate", DeleteProvisioningTemplate$) {
}

class DeleteProvisioningTemplateVersionCommand extends command(_ep0, _mw0, "DeleteProvisioningTemplateVersion", DeleteProvisioningTemplateVersion$) {
}

class DeleteRegistrationCodeCommand extends command(_ep0, _mw0, "DeleteRegistrationCode", DeleteRegistrationCode$) {
}

class DeleteRoleAliasCommand extends command(_ep0, _mw0, "DeleteRoleAlias", DeleteRoleAlias$) {
}

class DeleteScheduledAuditCommand extends command(_ep0, _mw0, "DeleteScheduledAudit", DeleteScheduledAudit$) {
}

class DeleteSecurityProfileCommand extends command(_ep0, _mw0, "DeleteSecurityProfile", DeleteSecurityProfile$) {
}

class DeleteStreamCommand extends command(_ep0, _mw0, "DeleteStream", DeleteStream$) {
}

class DeleteThingCommand extends command(_ep0, _mw0, "DeleteThing", DeleteThing$) {
}

class DeleteThingGroupCommand extends command(_ep0, _mw0, "DeleteThingGroup", DeleteThingGroup$) {
}

class DeleteThingTypeCommand extends command(_ep0, _mw0, "DeleteThingType", DeleteThingType$) {
}

class DeleteTopicRuleCommand extends command(_ep0, _mw0, "DeleteTopicRule", DeleteTopicRule$) {
}

class DeleteTopicRuleDestinationCommand extends command(_ep0, _mw0, "DeleteTopicRuleDestination", DeleteTopicRuleDestination$) {
}

class DeleteV2LoggingLevelCommand extends command(_ep0, _mw0, "DeleteV2LoggingLevel", DeleteV2LoggingLevel$) {
}

class DeprecateThingTypeCommand extends command(_ep0, _mw0, "DeprecateThingType", DeprecateThingType$) {
}

class DescribeAccountAuditConfigurationCommand extends command(_ep0, _mw0, "DescribeAccountAuditConfiguration", DescribeAccountAuditConfiguration$) {
}

class DescribeAuditFindingCommand extends command(_ep0, _mw0, "DescribeAuditFinding", DescribeAuditFinding$) {
}

class DescribeAuditMitigationActionsTaskCommand extends command(_ep0, _mw0, "DescribeAuditMitigationActionsTask", DescribeAuditMitigationActionsTask$) {
}

class DescribeAuditSuppressionCommand extends command(_ep0, _mw0, "DescribeAuditSuppression", DescribeAuditSuppression$) {
}

class DescribeAuditTaskCommand extends command(_ep0, _mw0, "DescribeAuditTask", DescribeAuditTask$) {
}

class DescribeAuthorizerCommand extends command(_ep0, _mw0, "DescribeAuthorizer", DescribeAuthorizer$) {
}

class DescribeBillingGroupCommand extends command(_ep0, _mw0, "DescribeBillingGroup", DescribeBillingGroup$) {
}

class DescribeCACertificateCommand extends command(_ep0, _mw0, "DescribeCACertificate", DescribeCACertificate$) {
}

class DescribeCertificateCommand extends command(_ep0, _mw0, "DescribeCertificate", DescribeCertificate$) {
}

class DescribeCertificateProviderCommand extends command(_ep0, _mw0, "DescribeCertificateProvider", DescribeCertificateProvider$) {
}

class DescribeCustomMetricCommand extends command(_ep0, _mw0, "DescribeCustomMetric", DescribeCustomMetric$) {
}

class DescribeDefaultAuthorizerCommand extends command(_ep0, _mw0, "DescribeDefaultAuthorizer", DescribeDefaultAuthorizer$) {
}

class DescribeDetectMitigationActionsTaskCommand extends command(_ep0, _mw0, "DescribeDetectMitigationActionsTask", DescribeDetectMitigationActionsTask$) {
}

class DescribeDimensionCommand extends command(_ep0, _mw0, "DescribeDimension", DescribeDimension$) {
}

class DescribeDomainConfigurationCommand extends command(_ep0, _mw0, "DescribeDomainConfiguration", DescribeDomainConfiguration$) {
}

class DescribeEncryptionConfigurationCommand extends command(_ep0, _mw0, "DescribeEncryptionConfiguration", DescribeEncryptionConfiguration$) {
}

class DescribeEndpointCommand extends command(_ep0, _mw0, "DescribeEndpoint", DescribeEndpoint$) {
}

class DescribeEventConfigurationsCommand extends command(_ep0, _mw0, "DescribeEventConfigurations", DescribeEventConfigurations$) {
}

class DescribeFleetMetricCommand extends command(_ep0, _mw0, "DescribeFleetMetric", DescribeFleetMetric$) {
}

class DescribeIndexCommand extends command(_ep0, _mw0, "DescribeIndex", DescribeIndex$) {
}

class DescribeJobCommand extends command(_ep0, _mw0, "DescribeJob", DescribeJob$) {
}

class DescribeJobExecutionCommand extends command(_ep0, _mw0, "DescribeJobExecution", DescribeJobExecution$) {
}

class DescribeJobTemplateCommand extends command(_ep0, _mw0, "DescribeJobTemplate", DescribeJobTemplate$) {
}

class DescribeManagedJobTemplateCommand extends command(_ep0, _mw0, "DescribeManagedJobTemplate", DescribeManagedJobTemplate$) {
}

class DescribeMitigationActionCommand extends command(_ep0, _mw0, "DescribeMitigationAction", DescribeMitigationAction$) {
}

class DescribeProvisioningTemplateCommand extends command(_ep0, _mw0, "DescribeProvisioningTemplate", DescribeProvisioningTemplate$) {
}

class DescribeProvisioningTemplateVersionCommand extends command(_ep0, _mw0, "DescribeProvisioningTemplateVersion", DescribeProvisioningTemplateVersion$) {
}

class DescribeRoleAliasCommand extends command(_ep0, _mw0, "DescribeRoleAlias", DescribeRoleAlias$) {
}

class DescribeScheduledAuditCommand extends command(_ep0, _mw0, "DescribeScheduledAudit", DescribeScheduledAudit$) {
}

class DescribeSecurityProfileCommand extends command(_ep0, _mw0, "DescribeSecurityProfile", DescribeSecurityProfile$) {
}

class DescribeStreamCommand extends command(_ep0, _mw0, "DescribeStream", DescribeStream$) {
}

class DescribeThingCommand extends command(_ep0, _mw0, "DescribeThing", DescribeThing$) {
}

class DescribeThingGroupCommand extends command(_ep0, _mw0, "DescribeThingGroup", DescribeThingGroup$) {
}

class DescribeThingRegistrationTaskCommand extends command(_ep0, _mw0, "DescribeThingRegistrationTask", DescribeThingRegistrationTask$) {
}

class DescribeThingTypeCommand extends command(_ep0, _mw0, "DescribeThingType", DescribeThingType$) {
}

class DetachPolicyCommand extends command(_ep0, _mw0, "DetachPolicy", DetachPolicy$) {
}

class DetachPrincipalPolicyCommand extends command(_ep0, _mw0, "DetachPrincipalPolicy", DetachPrincipalPolicy$) {
}

class DetachSecurityProfileCommand extends command(_ep0, _mw0, "DetachSecurityProfile", DetachSecurityProfile$) {
}

class DetachThingPrincipalCommand extends command(_ep0, _mw0, "DetachThingPrincipal", DetachThingPrincipal$) {
}

class DisableTopicRuleCommand extends command(_ep0, _mw0, "DisableTopicRule", DisableTopicRule$) {
}

class DisassociateSbomFromPackageVersionCommand extends command(_ep0, _mw0, "DisassociateSbomFromPackageVersion", DisassociateSbomFromPackageVersion$) {
}

class EnableTopicRuleCommand extends command(_ep0, _mw0, "EnableTopicRule", EnableTopicRule$) {
}

class GetBehaviorModelTrainingSummariesCommand extends command(_ep0, _mw0, "GetBehaviorModelTrainingSummaries", GetBehaviorModelTrainingSummaries$) {
}

class GetBucketsAggregationCommand extends command(_ep0, _mw0, "GetBucketsAggregation", GetBucketsAggregation$) {
}

class GetCardinalityCommand extends command(_ep0, _mw0, "GetCardinality", GetCardinality$) {
}

class GetCommandCommand extends command(_ep0, _mw0, "GetCommand", GetCommand$) {
}

class GetCommandExecutionCommand extends command(_ep0, _mw0, "GetCommandExecution", GetCommandExecution$) {
}

class GetEffectivePoliciesCommand extends command(_ep0, _mw0, "GetEffectivePolicies", GetEffectivePolicies$) {
}

class GetIndexingConfigurationCommand extends command(_ep0, _mw0, "GetIndexingConfiguration", GetIndexingConfiguration$) {
}

class GetJobDocumentCommand extends command(_ep0, _mw0, "GetJobDocument", GetJobDocument$) {
}

class GetLoggingOptionsCommand extends command(_ep0, _mw0, "GetLoggingOptions", GetLoggingOptions$) {
}

class GetOTAUpdateCommand extends command(_ep0, _mw0, "GetOTAUpdate", GetOTAUpdate$) {
}

class GetPackageCommand extends command(_ep0, _mw0, "GetPackage", GetPackage$) {
}

class GetPackageConfigurationCommand extends command(_ep0, _mw0, "GetPackageConfiguration", GetPackageConfiguration$) {
}

class GetPackageVersionCommand extends command(_ep0, _mw0, "GetPackageVersion", GetPackageVersion$) {
}

class GetPercentilesCommand extends command(_ep0, _mw0, "GetPercentiles", GetPercentiles$) {
}

class GetPolicyCommand extends command(_ep0, _mw0, "GetPolicy", GetPolicy$) {
}

class GetPolicyVersionCommand extends command(_ep0, _mw0, "GetPolicyVersion", GetPolicyVersion$) {
}

class GetRegistrationCodeCommand extends command(_ep0, _mw0, "GetRegistrationCode", GetRegistrationCode$) {
}

class GetStatisticsCommand extends command(_ep0, _mw0, "GetStatistics", GetStatistics$) {
}

class GetThingConnectivityDataCommand extends command(_ep0, _mw0, "GetThingConnectivityData", GetThingConnectivityData$) {
}

class GetTopicRuleCommand extends command(_ep0, _mw0, "GetTopicRule", GetTopicRule$) {
}

class GetTopicRuleDestinationCommand extends command(_ep0, _mw0, "GetTopicRuleDestination", GetTopicRuleDestination$) {
}

class GetV2LoggingOptionsCommand extends command(_ep0, _mw0, "GetV2LoggingOptions", GetV2LoggingOptions$) {
}

class ListActiveViolationsCommand extends command(_ep0, _mw0, "ListActiveViolations", ListActiveViolations$) {
}

class ListAttachedPoliciesCommand extends command(_ep0, _mw0, "ListAttachedPolicies", ListAttachedPolicies$) {
}

class ListAuditFindingsCommand extends command(_ep0, _mw0, "ListAuditFindings", ListAuditFindings$) {
}

class ListAuditMitigationActionsExecutionsCommand extends command(_ep0, _mw0, "ListAuditMitigationActionsExecutions", ListAuditMitigationActionsExecutions$) {
}

class ListAuditMitigationActionsTasksCommand extends command(_ep0, _mw0, "ListAuditMitigationActionsTasks", ListAuditMitigationActionsTasks$) {
}

class ListAuditSuppressionsCommand extends command(_ep0, _mw0, "ListAuditSuppressions", ListAuditSuppressions$) {
}

class ListAuditTasksCommand extends command(_ep0, _mw0, "ListAuditTasks", ListAuditTasks$) {
}

class ListAuthorizersCommand extends command(_ep0, _mw0, "ListAuthorizers", ListAuthorizers$) {
}

class ListBillingGroupsCommand extends command(_ep0, _mw0, "ListBillingGroups", ListBillingGroups$) {
}

class ListCACertificatesCommand extends command(_ep0, _mw0, "ListCACertificates", ListCACertificates$) {
}

class ListCertificateProvidersCommand extends command(_ep0, _mw0, "ListCertificateProviders", ListCertificateProviders$) {
}

class ListCertificatesByCACommand extends command(_ep0, _mw0, "ListCertificatesByCA", ListCertificatesByCA$) {
}

class ListCertificatesCommand extends command(_ep0, _mw0, "ListCertificates", ListCertificates$) {
}

class ListCommandExecutionsCommand extends command(_ep0, _mw0, "ListCommandExecutions", ListCommandExecutions$) {
}

class ListCommandsCommand extends command(_ep0, _mw0, "ListCommands", ListCommands$) {
}

class ListCustomMetricsCommand extends command(_ep0, _mw0, "ListCustomMetrics", ListCustomMetrics$) {
}

class ListDetectMitigationActionsExecutionsCommand extends command(_ep0, _mw0, "ListDetectMitigationActionsExecutions", ListDetectMitigationActionsExecutions$) {
}

class ListDetectMitigationActionsTasksCommand extends command(_ep0, _mw0, "ListDetectMitigationActionsTasks", ListDetectMitigationActionsTasks$) {
}

class ListDimensionsCommand extends command(_ep0, _mw0, "ListDimensions", ListDimensions$) {
}

class ListDomainConfigurationsCommand extends command(_ep0, _mw0, "ListDomainConfigurations", ListDomainConfigurations$) {
}

class ListFleetMetricsCommand extends command(_ep0, _mw0, "ListFleetMetrics", ListFleetMetrics$) {
}

class ListIndicesCommand extends command(_ep0, _mw0, "ListIndices", ListIndices$) {
}

class ListJobExecutionsForJobCommand extends command(_ep0, _mw0, "ListJobExecutionsForJob", ListJobExecutionsForJob$) {
}

class ListJobExecutionsForThingCommand extends command(_ep0, _mw0, "ListJobExecutionsForThing", ListJobExecutionsForThing$) {
}

class ListJobsCommand extends command(_ep0, _mw0, "ListJobs", ListJobs$) {
}

class ListJobTemplatesCommand extends command(_ep0, _mw0, "ListJobTemplates", ListJobTemplates$) {
}

class ListManagedJobTemplatesCommand extends command(_ep0, _mw0, "ListManagedJobTemplates", ListManagedJobTemplates$) {
}

class ListMetricValuesCommand extends command(_ep0, _mw0, "ListMetricValues", ListMetricValues$) {
}

class ListMitigationActionsCommand extends command(_ep0, _mw0, "ListMitigationActions", ListMitigationActions$) {
}

class ListOTAUpdatesCommand extends command(_ep0, _mw0, "ListOTAUpdates", ListOTAUpdates$) {
}

class ListOutgoingCertificatesCommand extends command(_ep0, _mw0, "ListOutgoingCertificates", ListOutgoingCertificates$) {
}

class ListPackagesCommand extends command(_ep0, _mw0, "ListPackages", ListPackages$) {
}

class ListPackageVersionsCommand extends command(_ep0, _mw0, "ListPackageVersions", ListPackageVersions$) {
}

class ListPoliciesCommand extends command(_ep0, _mw0, "ListPolicies", ListPolicies$) {
}

class ListPolicyPrincipalsCommand extends command(_ep0, _mw0, "ListPolicyPrincipals", ListPolicyPrincipals$) {
}

class ListPolicyVersionsCommand extends command(_ep0, _mw0, "ListPolicyVersions", ListPolicyVersions$) {
}

class ListPrincipalPoliciesCommand extends command(_ep0, _mw0, "ListPrincipalPolicies", ListPrincipalPolicies$) {
}

class ListPrincipalThingsCommand extends command(_ep0, _mw0, "ListPrincipalThings", ListPrincipalThings$) {
}

class ListPrincipalThingsV2Command extends command(_ep0, _mw0, "ListPrincipalThingsV2", ListPrincipalThingsV2$) {
}

class ListProvisioningTemplatesCommand extends command(_ep0, _mw0, "ListProvisioningTemplates", ListProvisioningTemplates$) {
}

class ListProvisioningTemplateVersionsCommand extends command(_ep0, _mw0, "ListProvisioningTemplateVersions", ListProvisioningTemplateVersions$) {
}

class ListRelatedResourcesForAuditFindingCommand extends command(_ep0, _mw0, "ListRelatedResourcesForAuditFinding", ListRelatedResourcesForAuditFinding$) {
}

class ListRoleAliasesCommand extends command(_ep0, _mw0, "ListRoleAliases", ListRoleAliases$) {
}

class ListSbomValidationResultsCommand extends command(_ep0, _mw0, "ListSbomValidationResults", ListSbomValidationResults$) {
}

class ListScheduledAuditsCommand extends command(_ep0, _mw0, "ListScheduledAudits", ListScheduledAudits$) {
}

class ListSecurityProfilesCommand extends command(_ep0, _mw0, "ListSecurityProfiles", ListSecurityProfiles$) {
}

class ListSecurityProfilesForTargetCommand extends command(_ep0, _mw0, "ListSecurityProfilesForTarget", ListSecurityProfilesForTarget$) {
}

class ListStreamsCommand extends command(_ep0, _mw0, "ListStreams", ListStreams$) {
}

class ListTagsForResourceCommand extends command(_ep0, _mw0, "ListTagsForResource", ListTagsForResource$) {
}

class ListTargetsForPolicyCommand extends command(_ep0, _mw0, "ListTargetsForPolicy", ListTargetsForPolicy$) {
}

class ListTargetsForSecurityProfileCommand extends command(_ep0, _mw0, "ListTargetsForSecurityProfile", ListTargetsForSecurityProfile$) {
}

class ListThingGroupsCommand extends command(_ep0, _mw0, "ListThingGroups", ListThingGroups$) {
}

class ListThingGroupsForThingCommand extends command(_ep0, _mw0, "ListThingGroupsForThing", ListThingGroupsForThing$) {
}

class ListThingPrincipalsCommand extends command(_ep0, _mw0, "ListThingPrincipals", ListThingPrincipals$) {
}

class ListThingPrincipalsV2Command extends command(_ep0, _mw0, "ListThingPrincipalsV2", ListThingPrincipalsV2$) {
}

class ListThingRegistrationTaskReportsCommand extends command(_ep0, _mw0, "ListThingRegistrationTaskReports", ListThingRegistrationTaskReports$) {
}

class ListThingRegistrationTasksCommand extends command(_ep0, _mw0, "ListThingRegistrationTasks", ListThingRegistrationTasks$) {
}

class ListThingsCommand extends command(_ep0, _mw0, "ListThings", ListThings$) {
}

class ListThingsInBillingGroupCommand extends command(_ep0, _mw0, "ListThingsInBillingGroup", ListThingsInBillingGroup$) {
}

class ListThingsInThingGroupCommand extends command(_ep0, _mw0, "ListThingsInThingGroup", ListThingsInThingGroup$) {
}

class ListThingTypesCommand extends command(_ep0, _mw0, "ListThingTypes", ListThingTypes$) {
}

class ListTopicRuleDestinationsCommand extends command(_ep0, _mw0, "ListTopicRuleDestinations", ListTopicRuleDestinations$) {
}

class ListTopicRulesCommand extends command(_ep0, _mw0, "ListTopicRules", ListTopicRules$) {
}

class ListV2LoggingLevelsCommand extends command(_ep0, _mw0, "ListV2LoggingLevels", ListV2LoggingLevels$) {
}

class ListViolationEventsCommand extends command(_ep0, _mw0, "ListViolationEvents", ListViolationEvents$) {
}

class PutVerificationStateOnViolationCommand extends command(_ep0, _mw0, "PutVerificationStateOnViolation", PutVerificationStateOnViolation$) {
}

class RegisterCACertificateCommand extends command(_ep0, _mw0, "RegisterCACertificate", RegisterCACertificate$) {
}

class RegisterCertificateCommand extends command(_ep0, _mw0, "RegisterCertificate", RegisterCertificate$) {
}

class RegisterCertificateWithoutCACommand extends command(_ep0, _mw0, "RegisterCertificateWithoutCA", RegisterCertificateWithoutCA$) {
}

class RegisterThingCommand extends command(_ep0, _mw0, "RegisterThing", RegisterThing$) {
}

class RejectCertificateTransferCommand extends command(_ep0, _mw0, "RejectCertificateTransfer", RejectCertificateTransfer$) {
}

class RemoveThingFromBillingGroupCommand extends command(_ep0, _mw0, "RemoveThingFromBillingGroup", RemoveThingFromBillingGroup$) {
}

class RemoveThingFromThingGroupCommand extends command(_ep0, _mw0, "RemoveThingFromThingGroup", RemoveThingFromThingGroup$) {
}

class ReplaceTopicRuleCommand extends command(_ep0, _mw0, "ReplaceTopicRule", ReplaceTopicRule$) {
}

class SearchIndexCommand extends command(_ep0, _mw0, "SearchIndex", SearchIndex$) {
}

class SetDefaultAuthorizerCommand extends command(_ep0, _mw0, "SetDefaultAuthorizer", SetDefaultAuthorizer$) {
}

class SetDefaultPolicyVersionCommand extends command(_ep0, _mw0, "SetDefaultPolicyVersion", SetDefaultPolicyVersion$) {
}

class SetLoggingOptionsCommand extends command(_ep0, _mw0, "SetLoggingOptions", SetLoggingOptions$) {
}

class SetV2LoggingLevelCommand extends command(_ep0, _mw0, "SetV2LoggingLevel", SetV2LoggingLevel$) {
}

class SetV2LoggingOptionsCommand extends command(_ep0, _mw0, "SetV2LoggingOptions", SetV2LoggingOptions$) {
}

class StartAuditMitigationActionsTaskCommand extends command(_ep0, _mw0, "StartAuditMitigationActionsTask", StartAuditMitigationActionsTask$) {
}

class StartDetectMitigationActionsTaskCommand extends command(_ep0, _mw0, "StartDetectMitigationActionsTask", StartDetectMitigationActionsTask$) {
}

class StartOnDemandAuditTaskCommand extends command(_ep0, _mw0, "StartOnDemandAuditTask", StartOnDemandAuditTask$) {
}

class StartThingRegistrationTaskCommand extends command(_ep0, _mw0, "StartThingRegistrationTask", StartThingRegistrationTask$) {
}

class StopThingRegistrationTaskCommand extends command(_ep0, _mw0, "StopThingRegistrationTask", StopThingRegistrationTask$) {
}

class TagResourceCommand extends command(_ep0, _mw0, "TagResource", TagResource$) {
}

class TestAuthorizationCommand extends command(_ep0, _mw0, "TestAuthorization", TestAuthorization$) {
}

class TestInvokeAuthorizerCommand extends command(_ep0, _mw0, "TestInvokeAuthorizer", TestInvokeAuthorizer$) {
}

class TransferCertificateCommand extends command(_ep0, _mw0, "TransferCertificate", TransferCertificate$) {
}

class UntagResourceCommand extends command(_ep0, _mw0, "UntagResource", UntagResource$) {
}

class UpdateAccountAuditConfigurationCommand extends command(_ep0, _mw0, "UpdateAccountAuditConfiguration", UpdateAccountAuditConfiguration$) {
}

class UpdateAuditSuppressionCommand extends command(_ep0, _mw0, "UpdateAuditSuppression", UpdateAuditSuppression$) {
}

class UpdateAuthorizerCommand extends command(_ep0, _mw0, "UpdateAuthorizer", UpdateAuthorizer$) {
}

class UpdateBillingGroupCommand extends command(_ep0, _mw0, "UpdateBillingGroup", UpdateBillingGroup$) {
}

class UpdateCACertificateCommand extends command(_ep0, _mw0, "UpdateCACertificate", UpdateCACertificate$) {
}

class UpdateCertificateCommand extends command(_ep0, _mw0, "UpdateCertificate", UpdateCertificate$) {
}

class UpdateCertificateProviderCommand extends command(_ep0, _mw0, "UpdateCertificateProvider", UpdateCertificateProvider$) {
}

class UpdateCommandCommand extends command(_ep0, _mw0, "UpdateCommand", UpdateCommand$) {
}

class UpdateCustomMetricCommand extends command(_ep0, _mw0, "UpdateCustomMetric", UpdateCustomMetric$) {
}

class UpdateDimensionCommand extends command(_ep0, _mw0, "UpdateDimension", UpdateDimension$) {
}

class UpdateDomainConfigurationCommand extends command(_ep0, _mw0, "UpdateDomainConfiguration", UpdateDomainConfiguration$) {
}

class UpdateDynamicThingGroupCommand extends command(_ep0, _mw0, "UpdateDynamicThingGroup", UpdateDynamicThingGroup$) {
}

class UpdateEncryptionConfigurationCommand extends command(_ep0, _mw0, "UpdateEncryptionConfiguration", UpdateEncryptionConfiguration$) {
}

class UpdateEventConfigurationsCommand extends command(_ep0, _mw0, "UpdateEventConfigurations", UpdateEventConfigurations$) {
}

class UpdateFleetMetricCommand extends command(_ep0, _mw0, "UpdateFleetMetric", UpdateFleetMetric$) {
}

class UpdateIndexingConfigurationCommand extends command(_ep0, _mw0, "UpdateIndexingConfiguration", UpdateIndexingConfiguration$) {
}

class UpdateJobCommand extends command(_ep0, _mw0, "UpdateJob", UpdateJob$) {
}

class UpdateMitigationActionCommand extends command(_ep0, _mw0, "UpdateMitigationAction", UpdateMitigationAction$) {
}

class UpdatePackageCommand extends command(_ep0, _mw0, "UpdatePackage", UpdatePackage$) {
}

class UpdatePackageConfigurationCommand extends command(_ep0, _mw0, "UpdatePackageConfiguration", UpdatePackageConfiguration$) {
}

class UpdatePackageVersionCommand extends command(_ep0, _mw0, "UpdatePackageVersion", UpdatePackageVersion$) {
}

class UpdateProvisioningTemplateCommand extends command(_ep0, _mw0, "UpdateProvisioningTemplate", UpdateProvisioningTemplate$) {
}

class UpdateRoleAliasCommand extends command(_ep0, _mw0, "UpdateRoleAlias", UpdateRoleAlias$) {
}

class UpdateScheduledAuditCommand extends command(_ep0, _mw0, "UpdateScheduledAudit", UpdateScheduledAudit$) {
}

class UpdateSecurityProfileCommand extends command(_ep0, _mw0, "UpdateSecurityProfile", UpdateSecurityProfile$) {
}

class UpdateStreamCommand extends command(_ep0, _mw0, "UpdateStream", UpdateStream$) {
}

class UpdateThingCommand extends command(_ep0, _mw0, "UpdateThing", UpdateThing$) {
}

class UpdateThingGroupCommand extends command(_ep0, _mw0, "UpdateThingGroup", UpdateThingGroup$) {
}

class UpdateThingGroupsForThingCommand extends command(_ep0, _mw0, "UpdateThingGroupsForThing", UpdateThingGroupsForThing$) {
}

class UpdateThingTypeCommand extends command(_ep0, _mw0, "UpdateThingType", UpdateThingType$) {
}

class UpdateTopicRuleDestinationCommand extends command(_ep0, _mw0, "UpdateTopicRuleDestination", UpdateTopicRuleDestination$) {
}

class ValidateSecurityProfileBehaviorsCommand extends command(_ep0, _mw0, "ValidateSecurityProfileBehaviors", ValidateSecurityProfileBehaviors$) {
}

const paginateGetBehaviorModelTrainingSummaries = createPaginator(IoTClient, GetBehaviorModelTrainingSummariesCommand, "nextToken", "nextToken", "maxResults");

const paginateListActiveViolations = createPaginator(IoTClient, ListActiveViolationsCommand, "nextToken", "nextToken", "maxResults");

const paginateListAttachedPolicies = createPaginator(IoTClient, ListAttachedPoliciesCommand, "marker", "nextMarker", "pageSize");

const paginateListAuditFindings = createPaginator(IoTClient, ListAuditFindingsCommand, "nextToken", "nextToken", "maxResults");

const paginateListAuditMitigationActionsExecutions = createPaginator(IoTClient, ListAuditMitigationActionsExecutionsCommand, "nextToken", "nextToken", "maxResults");

const paginateListAuditMitigationActionsTasks = createPaginator(IoTClient, ListAuditMitigationActionsTasksCommand, "nextToken", "nextToken", "maxResults");

const paginateListAuditSuppressions = createPaginator(IoTClient, ListAuditSuppressionsCommand, "nextToken", "nextToken", "maxResults");

const paginateListAuditTasks = createPaginator(IoTClient, ListAuditTasksCommand, "nextToken", "nextToken", "maxResults");

const paginateListAuthorizers = createPaginator(IoTClient, ListAuthorizersCommand, "marker", "nextMarker", "pageSize");

const paginateListBillingGroups = createPaginator(IoTClient, ListBillingGroupsCommand, "nextToken", "nextToken", "maxResults");

const paginateListCACertificates = createPaginator(IoTClient, ListCACertificatesCommand, "marker", "nextMarker", "pageSize");

const paginateListCertificatesByCA = createPaginator(IoTClient, ListCertificatesByCACommand, "marker", "nextMarker", "pageSize");

const paginateListCertificates = createPaginator(IoTClient, ListCertificatesCommand, "marker", "nextMarker", "pageSize");

const paginateListCommandExecutions = createPaginator(IoTClient, ListCommandExecutionsCommand, "nextToken", "nextToken", "maxResults");

const paginateListCommands = createPaginator(IoTClient, ListCommandsCommand, "nextToken", "nextToken", "maxResults");

const paginateListCustomMetrics = createPaginator(IoTClient, ListCustomMetricsCommand, "nextToken", "nextToken", "maxResults");

const paginateListDetectMitigationActionsExecutions = createPaginator(IoTClient, ListDetectMitigationActionsExecutionsCommand, "nextToken", "nextToken", "maxResults");

const paginateListDetectMitigationActionsTasks = createPaginator(IoTClient, ListDetectMitigationActionsTasksCommand, "nextToken", "nextToken", "maxResults");

const paginateListDimensions = createPaginator(IoTClient, ListDimensionsCommand, "nextToken", "nextToken", "maxResults");

const paginateListDomainConfigurations = createPaginator(IoTClient, ListDomainConfigurationsCommand, "marker", "nextMarker", "pageSize");

const paginateListFleetMetrics = createPaginator(IoTClient, ListFleetMetricsCommand, "nextToken", "nextToken", "maxResults");

const paginateListIndices = createPaginator(IoTClient, ListIndicesCommand, "nextToken", "nextToken", "maxResults");

const paginateListJobExecutionsForJob = createPaginator(IoTClient, ListJobExecutionsForJobCommand, "nextToken", "nextToken", "maxResults");

const paginateListJobExecutionsForThing = createPaginator(IoTClient, ListJobExecutionsForThingCommand, "nextToken", "nextToken", "maxResults");

const paginateListJobs = createPaginator(IoTClient, ListJobsCommand, "nextToken", "nextToken", "maxResults");

const paginateListJobTemplates = createPaginator(IoTClient, ListJobTemplatesCommand, "nextToken", "nextToken", "maxResults");

const paginateListManagedJobTemplates = createPaginator(IoTClient, ListManagedJobTemplatesCommand, "nextToken", "nextToken", "maxResults");

const paginateListMetricValues = createPaginator(IoTClient, ListMetricValuesCommand, "nextToken", "nextToken", "maxResults");

const paginateListMitigationActions = createPaginator(IoTClient, ListMitigationActionsCommand, "nextToken", "nextToken", "maxResults");

const paginateListOTAUpdates = createPaginator(IoTClient, ListOTAUpdatesCommand, "nextToken", "nextToken", "maxResults");

const paginateListOutgoingCertificates = createPaginator(IoTClient, ListOutgoingCertificatesCommand, "marker", "nextMarker", "pageSize");

const paginateListPackages = createPaginator(IoTClient, ListPackagesCommand, "nextToken", "nextToken", "maxResults");

const paginateListPackageVersions = createPaginator(IoTClient, ListPackageVersionsCommand, "nextToken", "nextToken", "maxResults");

const paginateListPolicies = createPaginator(IoTClient, ListPoliciesCommand, "marker", "nextMarker", "pageSize");

const paginateListPolicyPrincipals = createPaginator(IoTClient, ListPolicyPrincipalsCommand, "marker", "nextMarker", "pageSize");

const paginateListPrincipalPolicies = createPaginator(IoTClient, ListPrincipalPoliciesCommand, "marker", "nextMarker", "pageSize");

const paginateListPrincipalThings = createPaginator(IoTClient, ListPrincipalThingsCommand, "nextToken", "nextToken", "maxResults");

const paginateListPrincipalThingsV2 = createPaginator(IoTClient, ListPrincipalThingsV2Command, "nextToken", "nextToken", "maxResults");

const paginateListProvisioningTemplates = createPaginator(IoTClient, ListProvisioningTemplatesCommand, "nextToken", "nextToken", "maxResults");

const paginateListProvisioningTemplateVersions = createPaginator(IoTClient, ListProvisioningTemplateVersionsCommand, "nextToken", "nextToken", "maxResults");

const paginateListRelatedResourcesForAuditFinding = createPaginator(IoTClient, ListRelatedResourcesForAuditFindingCommand, "nextToken", "nextToken", "maxResults");

const paginateListRoleAliases = createPaginator(IoTClient, ListRoleAliasesCommand, "marker", "nextMarker", "pageSize");

const paginateListSbomValidationResults = createPaginator(IoTClient, ListSbomValidationResultsCommand, "nextToken", "nextToken", "maxResults");

const paginateListScheduledAudits = createPaginator(IoTClient, ListScheduledAuditsCommand, "nextToken", "nextToken", "maxResults");

const paginateListSecurityProfilesForTarget = createPaginator(IoTClient, ListSecurityProfilesForTargetCommand, "nextToken", "nextToken", "maxResults");

const paginateListSecurityProfiles = createPaginator(IoTClient, ListSecurityProfilesCommand, "nextToken", "nextToken", "maxResults");

const paginateListStreams = createPaginator(IoTClient, ListStreamsCommand, "nextToken", "nextToken", "maxResults");

const paginateListTagsForResource = createPaginator(IoTClient, ListTagsForResourceCommand, "nextToken", "nextToken", "");

const paginateListTargetsForPolicy = createPaginator(IoTClient, ListTargetsForPolicyCommand, "marker", "nextMarker", "pageSize");

const paginateListTargetsForSecurityProfile = createPaginator(IoTClient, ListTargetsForSecurityProfileCommand, "nextToken", "nextToken", "maxResults");

const paginateListThingGroupsForThing = createPaginator(IoTClient, ListThingGroupsForThingCommand, "nextToken", "nextToken", "maxResults");

const paginateListThingGroups = createPaginator(IoTClient, ListThingGroupsCommand, "nextToken", "nextToken", "maxResults");

const paginateListThingPrincipals = createPaginator(IoTClient, ListThingPrincipalsCommand, "nextToken", "nextToken", "maxResults");

const paginateListThingPrincipalsV2 = createPaginator(IoTClient, ListThingPrincipalsV2Command, "nextToken", "nextToken", "maxResults");

const paginateListThingRegistrationTaskReports = createPaginator(IoTClient, ListThingRegistrationTaskReportsCommand, "nextToken", "nextToken", "maxResults");

const paginateListThingRegistrationTasks = createPaginator(IoTClient, ListThingRegistrationTasksCommand, "nextToken", "nextToken", "maxResults");

const paginateListThingsInBillingGroup = createPaginator(IoTClient, ListThingsInBillingGroupCommand, "nextToken", "nextToken", "maxResults");

const paginateListThingsInThingGroup = createPaginator(IoTClient, ListThingsInThingGroupCommand, "nextToken", "nextToken", "maxResults");

const paginateListThings = createPaginator(IoTClient, ListThingsCommand, "nextToken", "nextToken", "maxResults");

const paginateListThingTypes = createPaginator(IoTClient, ListThingTypesCommand, "nextToken", "nextToken", "maxResults");

const paginateListTopicRuleDestinations = createPaginator(IoTClient, ListTopicRuleDestinationsCommand, "nextToken", "nextToken", "maxResults");

const paginateListTopicRules = createPaginator(IoTClient, ListTopicRulesCommand, "nextToken", "nextToken", "maxResults");

const paginateListV2LoggingLevels = createPaginator(IoTClient, ListV2LoggingLevelsCommand, "nextToken", "nextToken", "maxResults");

const paginateListViolationEvents = createPaginator(IoTClient, ListViolationEventsCommand, "nextToken", "nextToken", "maxResults");

const commands = {
    AcceptCertificateTransferCommand,
    AddThingToBillingGroupCommand,
    AddThingToThingGroupCommand,
    AssociateSbomWithPackageVersionCommand,
    AssociateTargetsWithJobCommand,
    AttachPolicyCommand,
    AttachPrincipalPolicyCommand,
    AttachSecurityProfileCommand,
    AttachThingPrincipalCommand,
    CancelAuditMitigationActionsTaskCommand,
    CancelAuditTaskCommand,
    CancelCertificateTransferCommand,
    CancelDetectMitigationActionsTaskCommand,
    CancelJobCommand,
    CancelJobExecutionCommand,
    ClearDefaultAuthorizerCommand,
    ConfirmTopicRuleDestinationCommand,
    CreateAuditSuppressionCommand,
    CreateAuthorizerCommand,
    CreateBillingGroupCommand,
    CreateCertificateFromCsrCommand,
    CreateCertificateProviderCommand,
    CreateCommandCommand,
    CreateCustomMetricCommand,
    CreateDimensionCommand,
    CreateDomainConfigurationCommand,
    CreateDynamicThingGroupCommand,
    CreateFleetMetricCommand,
    CreateJobCommand,
    CreateJobTemplateCommand,
    CreateKeysAndCertificateCommand,
    CreateMitigationActionCommand,
    CreateOTAUpdateCommand,
    CreatePackageCommand,
    CreatePackageVersionCommand,
    CreatePolicyCommand,
    CreatePolicyVersionCommand,
    CreateProvisioningClaimCommand,
    CreateProvisioningTemplateCommand,
    CreateProvisioningTemplateVersionCommand,
    CreateRoleAliasCommand,
    CreateScheduledAuditCommand,
    CreateSecurityProfileCommand,
    CreateStreamCommand,
    CreateThingCommand,
    CreateThingGroupCommand,
    CreateThingTypeCommand,
    CreateTopicRuleCommand,
    CreateTopicRuleDestinationCommand,
    DeleteAccountAuditConfigurationCommand,
    DeleteAuditSuppressionCommand,
    DeleteAuthorizerCommand,
    DeleteBillingGroupCommand,
    DeleteCACertificateCommand,
    DeleteCertificateCommand,
    DeleteCertificateProviderCommand,
    DeleteCommandCommand,
    DeleteCommandExecutionCommand,
    DeleteCustomMetricCommand,
    DeleteDimensionCommand,
    DeleteDomainConfigurationCommand,
    DeleteDynamicThingGroupCommand,
    DeleteFleetMetricCommand,
    DeleteJobCommand,
    DeleteJobExecutionCommand,
    DeleteJobTemplateCommand,
    DeleteMitigationActionCommand,
    DeleteOTAUpdateCommand,
    DeletePackageCommand,
    DeletePackageVersionCommand,
    DeletePolicyCommand,
    DeletePolicyVersionCommand,
    DeleteProvisioningTemplateCommand,
    DeleteProvisioningTemplateVersionCommand,
    DeleteRegistrationCodeCommand,
    DeleteRoleAliasCommand,
    DeleteScheduledAuditCommand,
    DeleteSecurityProfileCommand,
    DeleteStreamCommand,
    DeleteThingCommand,
    DeleteThingGroupCommand,
    DeleteThingTypeCommand,
    DeleteTopicRuleCommand,
    DeleteTopicRuleDestinationCommand,
    DeleteV2LoggingLevelCommand,
    DeprecateThingTypeCommand,
    DescribeAccountAuditConfigurationCommand,
    DescribeAuditFindingCommand,
    DescribeAuditMitigationActionsTaskCommand,
    DescribeAuditSuppressionCommand,
    DescribeAuditTaskCommand,
    DescribeAuthorizerCommand,
    DescribeBillingGroupCommand,
    DescribeCACertificateCommand,
    DescribeCertificateCommand,
    DescribeCertificateProviderCommand,
    DescribeCustomMetricCommand,
    DescribeDefaultAuthorizerCommand,
    DescribeDetectMitigationActionsTaskCommand,
    DescribeDimensionCommand,
    DescribeDomainConfigurationCommand,
    DescribeEncryptionConfigurationCommand,
    DescribeEndpointCommand,
    DescribeEventConfigurationsCommand,
    DescribeFleetMetricCommand,
    DescribeIndexCommand,
    DescribeJobCommand,
    DescribeJobExecutionCommand,
    DescribeJobTemplateCommand,
    DescribeManagedJobTemplateCommand,
    DescribeMitigationActionCommand,
    DescribeProvisioningTemplateCommand,
    DescribeProvisioningTemplateVersionCommand,
    DescribeRoleAliasCommand,
    DescribeScheduledAuditCommand,
    DescribeSecurityProfileCommand,
    DescribeStreamCommand,
    DescribeThingCommand,
    DescribeThingGroupCommand,
    DescribeThingRegistrationTaskCommand,
    DescribeThingTypeCommand,
    DetachPolicyCommand,
    DetachPrincipalPolicyCommand,
    DetachSecurityProfileCommand,
    DetachThingPrincipalCommand,
    DisableTopicRuleCommand,
    DisassociateSbomFromPackageVersionCommand,
    EnableTopicRuleCommand,
    GetBehaviorModelTrainingSummariesCommand,
    GetBucketsAggregationCommand,
    GetCardinalityCommand,
    GetCommandCommand,
    GetCommandExecutionCommand,
    GetEffectivePoliciesCommand,
    GetIndexingConfigurationCommand,
    GetJobDocumentCommand,
    GetLoggingOptionsCommand,
    GetOTAUpdateCommand,
    GetPackageCommand,
    GetPackageConfigurationCommand,
    GetPackageVersionCommand,
    GetPercentilesCommand,
    GetPolicyCommand,
    GetPolicyVersionCommand,
    GetRegistrationCodeCommand,
    GetStatisticsCommand,
    GetThingConnectivityDataCommand,
    GetTopicRuleCommand,
    GetTopicRuleDestinationCommand,
    GetV2LoggingOptionsCommand,
    ListActiveViolationsCommand,
    ListAttachedPoliciesCommand,
    ListAuditFindingsCommand,
    ListAuditMitigationActionsExecutionsCommand,
    ListAuditMitigationActionsTasksCommand,
    ListAuditSuppressionsCommand,
    ListAuditTasksCommand,
    ListAuthorizersCommand,
    ListBillingGroupsCommand,
    ListCACertificatesCommand,
    ListCertificateProvidersCommand,
    ListCertificatesCommand,
    ListCertificatesByCACommand,
    ListCommandExecutionsCommand,
    ListCommandsCommand,
    ListCustomMetricsCommand,
    ListDetectMitigationActionsExecutionsCommand,
    ListDetectMitigationActionsTasksCommand,
    ListDimensionsCommand,
    ListDomainConfigurationsCommand,
    ListFleetMetricsCommand,
    ListIndicesCommand,
    ListJobExecutionsForJobCommand,
    ListJobExecutionsForThingCommand,
    ListJobsCommand,
    ListJobTemplatesCommand,
    ListManagedJobTemplatesCommand,
    ListMetricValuesCommand,
    ListMitigationActionsCommand,
    ListOTAUpdatesCommand,
    ListOutgoingCertificatesCommand,
    ListPackagesCommand,
    ListPackageVersionsCommand,
    ListPoliciesCommand,
    ListPolicyPrincipalsCommand,
    ListPolicyVersionsCommand,
    ListPrincipalPoliciesCommand,
    ListPrincipalThingsCommand,
    ListPrincipalThingsV2Command,
    ListProvisioningTemplatesCommand,
    ListProvisioningTemplateVersionsCommand,
    ListRelatedResourcesForAuditFindingCommand,
    ListRoleAliasesCommand,
    ListSbomValidationResultsCommand,
    ListScheduledAuditsCommand,
    ListSecurityProfilesCommand,
    ListSecurityProfilesForTargetCommand,
    ListStreamsCommand,
    ListTagsForResourceCommand,
    ListTargetsForPolicyCommand,
    ListTargetsForSecurityProfileCommand,
    ListThingGroupsCommand,
    ListThingGroupsForThingCommand,
    ListThingPrincipalsCommand,
    ListThingPrincipalsV2Command,
    ListThingRegistrationTaskReportsCommand,
    ListThingRegistrationTasksCommand,
    ListThingsCommand,
    ListThingsInBillingGroupCommand,
    ListThingsInThingGroupCommand,
    ListThingTypesCommand,
    ListTopicRuleDestinationsCommand,
    ListTopicRulesCommand,
    ListV2LoggingLevelsCommand,
    ListViolationEventsCommand,
    PutVerificationStateOnViolationCommand,
    RegisterCACertificateCommand,
    RegisterCertificateCommand,
    RegisterCertificateWithoutCACommand,
    RegisterThingCommand,
    RejectCertificateTransferCommand,
    RemoveThingFromBillingGroupCommand,
    RemoveThingFromThingGroupCommand,
    ReplaceTopicRuleCommand,
    SearchIndexCommand,
    SetDefaultAuthorizerCommand,
    SetDefaultPolicyVersionCommand,
    SetLoggingOptionsCommand,
    SetV2LoggingLevelCommand,
    SetV2LoggingOptionsCommand,
    StartAuditMitigationActionsTaskCommand,
    StartDetectMitigationActionsTaskCommand,
    StartOnDemandAuditTaskCommand,
    StartThingRegistrationTaskCommand,
    StopThingRegistrationTaskCommand,
    TagResourceCommand,
    TestAuthorizationCommand,
    TestInvokeAuthorizerCommand,
    TransferCertificateCommand,
    UntagResourceCommand,
    UpdateAccountAuditConfigurationCommand,
    UpdateAuditSuppressionCommand,
    UpdateAuthorizerCommand,
    UpdateBillingGroupCommand,
    UpdateCACertificateCommand,
    UpdateCertificateCommand,
    UpdateCertificateProviderCommand,
    UpdateCommandCommand,
    UpdateCustomMetricCommand,
    UpdateDimensionCommand,
    UpdateDomainConfigurationCommand,
    UpdateDynamicThingGroupCommand,
    UpdateEncryptionConfigurationCommand,
    UpdateEventConfigurationsCommand,
    UpdateFleetMetricCommand,
    UpdateIndexingConfigurationCommand,
    UpdateJobCommand,
    UpdateMitigationActionCommand,
    UpdatePackageCommand,
    UpdatePackageConfigurationCommand,
    UpdatePackageVersionCommand,
    UpdateProvisioningTemplateCommand,
    UpdateRoleAliasCommand,
    UpdateScheduledAuditCommand,
    UpdateSecurityProfileCommand,
    UpdateStreamCommand,
    UpdateThingCommand,
    UpdateThingGroupCommand,
    UpdateThingGroupsForThingCommand,
    UpdateThingTypeCommand,
    UpdateTopicRuleDestinationCommand,
    ValidateSecurityProfileBehaviorsCommand,
};
const paginators = {
    paginateGetBehaviorModelTrainingSummaries,
    paginateListActiveViolations,
    paginateListAttachedPolicies,
    paginateListAuditFindings,
    paginateListAuditMitigationActionsExecutions,
    paginateListAuditMitigationActionsTasks,
    paginateListAuditSuppressions,
    paginateListAuditTasks,
    paginateListAuthorizers,
    paginateListBillingGroups,
    paginateListCACertificates,
    paginateListCertificates,
    paginateListCertificatesByCA,
    paginateListCommandExecutions,
    paginateListCommands,
    paginateListCustomMetrics,
    paginateListDetectMitigationActionsExecutions,
    paginateListDetectMitigationActionsTasks,
    paginateListDimensions,
    paginateListDomainConfigurations,
    paginateListFleetMetrics,
    paginateListIndices,
    paginateListJobExecutionsForJob,
    paginateListJobExecutionsForThing,
    paginateListJobs,
    paginateListJobTemplates,
    paginateListManagedJobTemplates,
    paginateListMetricValues,
    paginateListMitigationActions,
    paginateListOTAUpdates,
    paginateListOutgoingCertificates,
    paginateListPackages,
    paginateListPackageVersions,
    paginateListPolicies,
    paginateListPolicyPrincipals,
    paginateListPrincipalPolicies,
    paginateListPrincipalThings,
    paginateListPrincipalThingsV2,
    paginateListProvisioningTemplates,
    paginateListProvisioningTemplateVersions,
    paginateListRelatedResourcesForAuditFinding,
    paginateListRoleAliases,
    paginateListSbomValidationResults,
    paginateListScheduledAudits,
    paginateListSecurityProfiles,
    paginateListSecurityProfilesForTarget,
    paginateListStreams,
    paginateListTagsForResource,
    paginateListTargetsForPolicy,
    paginateListTargetsForSecurityProfile,
    paginateListThingGroups,
    paginateListThingGroupsForThing,
    paginateListThingPrincipals,
    paginateListThingPrincipalsV2,
    paginateListThingRegistrationTaskReports,
    paginateListThingRegistrationTasks,
    paginateListThings,
    paginateListThingsInBillingGroup,
    paginateListThingsInThingGroup,
    paginateListThingTypes,
    paginateListTopicRuleDestinations,
    paginateListTopicRules,
    paginateListV2LoggingLevels,
    paginateListViolationEvents,
};
class IoT extends IoTClient {
}
createAggregatedClient(commands, IoT, { paginators });

const AbortAction = {
    CANCEL: "CANCEL",
};
const JobExecutionFailureType = {
    ALL: "ALL",
    FAILED: "FAILED",
    REJECTED: "REJECTED",
    TIMED_OUT: "TIMED_OUT",
};
const DynamoKeyType = {
    NUMBER: "NUMBER",
    STRING: "STRING",
};
const InfluxDBTimestampUnit = {
    MICROSECONDS: "us",
    MILLISECONDS: "ms",
    NANOSECONDS: "ns",
    SECONDS: "s",
};
const CannedAccessControlList = {
    AuthenticatedRead: "authenticated-read",
    AwsExecRead: "aws-exec-read",
    BucketOwnerFullControl: "bucket-owner-full-control",
    BucketOwnerRead: "bucket-owner-read",
    LogDeliveryWrite: "log-delivery-write",
    Private: "private",
    PublicRead: "public-read",
    PublicReadWrite: "public-read-write",
};
const MessageFormat = {
    JSON: "JSON",
    RAW: "RAW",
};
const ActionType = {
    CONNECT: "CONNECT",
    PUBLISH: "PUBLISH",
    RECEIVE: "RECEIVE",
    SUBSCRIBE: "SUBSCRIBE",
};
const ComparisonOperator = {
    GREATER_THAN: "greater-than",
    GREATER_THAN_EQUALS: "greater-than-equals",
    IN_CIDR_SET: "in-cidr-set",
    IN_PORT_SET: "in-port-set",
    IN_SET: "in-set",
    LESS_THAN: "less-than",
    LESS_THAN_EQUALS: "less-than-equals",
    NOT_IN_CIDR_SET: "not-in-cidr-set",
    NOT_IN_PORT_SET: "not-in-port-set",
    NOT_IN_SET: "not-in-set",
};
const ConfidenceLevel = {
    HIGH: "HIGH",
    LOW: "LOW",
    MEDIUM: "MEDIUM",
};
const DimensionValueOperator = {
    IN: "IN",
    NOT_IN: "NOT_IN",
};
const VerificationState = {
    BENIGN_POSITIVE: "BENIGN_POSITIVE",
    FALSE_POSITIVE: "FALSE_POSITIVE",
    TRUE_POSITIVE: "TRUE_POSITIVE",
    UNKNOWN: "UNKNOWN",
};
const AggregationTypeName = {
    CARDINALITY: "Cardinality",
    PERCENTILES: "Percentiles",
    STATISTICS: "Statistics",
};
const AlertTargetType = {
    SNS: "SNS",
};
const ApplicationProtocol = {
    DEFAULT: "DEFAULT",
    HTTPS: "HTTPS",
    MQTT_WSS: "MQTT_WSS",
    SECURE_MQTT: "SECURE_MQTT",
};
const SbomValidationStatus = {
    FAILED: "FAILED",
    IN_PROGRESS: "IN_PROGRESS",
    SUCCEEDED: "SUCCEEDED",
};
const ThingPrincipalType = {
    EXCLUSIVE_THING: "EXCLUSIVE_THING",
    NON_EXCLUSIVE_THING: "NON_EXCLUSIVE_THING",
};
const ConfigName = {
    CERT_AGE_THRESHOLD_IN_DAYS: "CERT_AGE_THRESHOLD_IN_DAYS",
    CERT_EXPIRATION_THRESHOLD_IN_DAYS: "CERT_EXPIRATION_THRESHOLD_IN_DAYS",
};
const AuditCheckRunStatus = {
    CANCELED: "CANCELED",
    COMPLETED_COMPLIANT: "COMPLETED_COMPLIANT",
    COMPLETED_NON_COMPLIANT: "COMPLETED_NON_COMPLIANT",
    FAILED: "FAILED",
    IN_PROGRESS: "IN_PROGRESS",
    WAITING_FOR_DATA_COLLECTION: "WAITING_FOR_DATA_COLLECTION",
};
const ResourceType = {
    ACCOUNT_SETTINGS: "ACCOUNT_SETTINGS",
    CA_CERTIFICATE: "CA_CERTIFICATE",
    CLIENT_ID: "CLIENT_ID",
    COGNITO_IDENTITY_POOL: "COGNITO_IDENTITY_POOL",
    DEVICE_CERTIFICATE: "DEVICE_CERTIFICATE",
    IAM_ROLE: "IAM_ROLE",
    IOT_POLICY: "IOT_POLICY",
    ISSUER_CERTIFICATE: "ISSUER_CERTIFICATE",
    ROLE_ALIAS: "ROLE_ALIAS",
};
const AuditFindingSeverity = {
    CRITICAL: "CRITICAL",
    HIGH: "HIGH",
    LOW: "LOW",
    MEDIUM: "MEDIUM",
};
const AuditFrequency = {
    BIWEEKLY: "BIWEEKLY",
    DAILY: "DAILY",
    MONTHLY: "MONTHLY",
    WEEKLY: "WEEKLY",
};
const AuditMitigationActionsExecutionStatus = {
    CANCELED: "CANCELED",
    COMPLETED: "COMPLETED",
    FAILED: "FAILED",
    IN_PROGRESS: "IN_PROGRESS",
    PENDING: "PENDING",
    SKIPPED: "SKIPPED",
};
const AuditMitigationActionsTaskStatus = {
    CANCELED: "CANCELED",
    COMPLETED: "COMPLETED",
    FAILED: "FAILED",
    IN_PROGRESS: "IN_PROGRESS",
};
const AuditNotificationType = {
    SNS: "SNS",
};
const AuditTaskStatus = {
    CANCELED: "CANCELED",
    COMPLETED: "COMPLETED",
    FAILED: "FAILED",
    IN_PROGRESS: "IN_PROGRESS",
};
const AuditTaskType = {
    ON_DEMAND_AUDIT_TASK: "ON_DEMAND_AUDIT_TASK",
    SCHEDULED_AUDIT_TASK: "SCHEDULED_AUDIT_TASK",
};
const AuthDecision = {
    ALLOWED: "ALLOWED",
    EXPLICIT_DENY: "EXPLICIT_DENY",
    IMPLICIT_DENY: "IMPLICIT_DENY",
};
const AuthenticationType = {
    AWS_SIGV4: "AWS_SIGV4",
    AWS_X509: "AWS_X509",
    CUSTOM_AUTH: "CUSTOM_AUTH",
    CUSTOM_AUTH_X509: "CUSTOM_AUTH_X509",
    DEFAULT: "DEFAULT",
};
const AuthorizerStatus = {
    ACTIVE: "ACTIVE",
    INACTIVE: "INACTIVE",
};
const AutoRegistrationStatus = {
    DISABLE: "DISABLE",
    ENABLE: "ENABLE",
};
const CertificateProviderOperation = {
    CreateCertificateFromCsr: "CreateCertificateFromCsr",
};
const CommandParameterType = {
    BINARY: "BINARY",
    BOOLEAN: "BOOLEAN",
    DOUBLE: "DOUBLE",
    INTEGER: "INTEGER",
    LONG: "LONG",
    STRING: "STRING",
    UNSIGNEDLONG: "UNSIGNEDLONG",
};
const CommandParameterValueComparisonOperator = {
    EQUALS: "EQUALS",
    GREATER_THAN: "GREATER_THAN",
    GREATER_THAN_EQUALS: "GREATER_THAN_EQUALS",
    IN_RANGE: "IN_RANGE",
    IN_SET: "IN_SET",
    LESS_THAN: "LESS_THAN",
    LESS_THAN_EQUALS: "LESS_THAN_EQUALS",
    NOT_EQUALS: "NOT_EQUALS",
    NOT_IN_RANGE: "NOT_IN_RANGE",
    NOT_IN_SET: "NOT_IN_SET",
};
const CommandNamespace = {
    AWSIoT: "AWS-IoT",
    AWSIoTFleetWise: "AWS-IoT-FleetWise",
};
const OutputFormat = {
    CBOR: "CBOR",
    JSON: "JSON",
};
const CustomMetricType = {
    IP_ADDRESS_LIST: "ip-address-list",
    NUMBER: "number",
    NUMBER_LIST: "number-list",
    STRING_LIST: "string-list",
};
const DimensionType = {
    TOPIC_FILTER: "TOPIC_FILTER",
};
const ServiceType = {
    CREDENTIAL_PROVIDER: "CREDENTIAL_PROVIDER",
    DATA: "DATA",
    JOBS: "JOBS",
};
const FleetMetricUnit = {
    Bits: "Bits",
    BitsSecond: "Bits/Second",
    Bytes: "Bytes",
    BytesSecond: "Bytes/Second",
    Count: "Count",
    CountSecond: "Count/Second",
    Gigabits: "Gigabits",
    GigabitsSecond: "Gigabits/Second",
    Gigabytes: "Gigabytes",
    GigabytesSecond: "Gigabytes/Second",
    Kilobits: "Kilobits",
    KilobitsSecond: "Kilobits/Second",
    Kilobytes: "Kilobytes",
    KilobytesSecond: "Kilobytes/Second",
    Megabits: "Megabits",
    MegabitsSecond: "Megabits/Second",
    Megabytes: "Megabytes",
    MegabytesSecond: "Megabytes/Second",
    Microseconds: "Microseconds",
    Milliseconds: "Milliseconds",
    None: "None",
    Percent: "Percent",
    Seconds: "Seconds",
    Terabits: "Terabits",
    TerabitsSecond: "Terabits/Second",
    Terabytes: "Terabytes",
    TerabytesSecond: "Terabytes/Second",
};
const RetryableFailureType = {
    ALL: "ALL",
    FAILED: "FAILED",
    TIMED_OUT: "TIMED_OUT",
};
const JobEndBehavior = {
    CANCEL: "CANCEL",
    FORCE_CANCEL: "FORCE_CANCEL",
    STOP_ROLLOUT: "STOP_ROLLOUT",
};
const TargetSelection = {
    CONTINUOUS: "CONTINUOUS",
    SNAPSHOT: "SNAPSHOT",
};
const LogLevel = {
    DEBUG: "DEBUG",
    DISABLED: "DISABLED",
    ERROR: "ERROR",
    INFO: "INFO",
    WARN: "WARN",
};
const PolicyTemplateName = {
    BLANK_POLICY: "BLANK_POLICY",
};
const CACertificateUpdateAction = {
    DEACTIVATE: "DEACTIVATE",
};
const DeviceCertificateUpdateAction = {
    DEACTIVATE: "DEACTIVATE",
};
const AwsJobAbortCriteriaAbortAction = {
    CANCEL: "CANCEL",
};
const AwsJobAbortCriteriaFailureType = {
    ALL: "ALL",
    FAILED: "FAILED",
    REJECTED: "REJECTED",
    TIMED_OUT: "TIMED_OUT",
};
const Protocol = {
    HTTP: "HTTP",
    MQTT: "MQTT",
};
const OTAUpdateStatus = {
    CREATE_COMPLETE: "CREATE_COMPLETE",
    CREATE_FAILED: "CREATE_FAILED",
    CREATE_IN_PROGRESS: "CREATE_IN_PROGRESS",
    CREATE_PENDING: "CREATE_PENDING",
    DELETE_FAILED: "DELETE_FAILED",
    DELETE_IN_PROGRESS: "DELETE_IN_PROGRESS",
};
const PackageVersionStatus = {
    DEPRECATED: "DEPRECATED",
    DRAFT: "DRAFT",
    PUBLISHED: "PUBLISHED",
};
const TemplateType = {
    FLEET_PROVISIONING: "FLEET_PROVISIONING",
    JITP: "JITP",
};
const DayOfWeek = {
    FRI: "FRI",
    MON: "MON",
    SAT: "SAT",
    SUN: "SUN",
    THU: "THU",
    TUE: "TUE",
    WED: "WED",
};
const InfluxDBVersion = {
    V2: "V2",
    V3: "V3",
};
const InfluxDBSecretType = {
    SECRET_BINARY: "SecretBinary",
    SECRET_STRING: "SecretString",
};
const TopicRuleDestinationStatus = {
    DELETING: "DELETING",
    DISABLED: "DISABLED",
    ENABLED: "ENABLED",
    ERROR: "ERROR",
    IN_PROGRESS: "IN_PROGRESS",
};
const LogTargetType = {
    CLIENT_ID: "CLIENT_ID",
    DEFAULT: "DEFAULT",
    PRINCIPAL_ID: "PRINCIPAL_ID",
    SOURCE_IP: "SOURCE_IP",
    THING_GROUP: "THING_GROUP",
};
const CertificateMode = {
    DEFAULT: "DEFAULT",
    SNI_ONLY: "SNI_ONLY",
};
const CACertificateStatus = {
    ACTIVE: "ACTIVE",
    INACTIVE: "INACTIVE",
};
const CertificateStatus = {
    ACTIVE: "ACTIVE",
    INACTIVE: "INACTIVE",
    PENDING_ACTIVATION: "PENDING_ACTIVATION",
    PENDING_TRANSFER: "PENDING_TRANSFER",
    REGISTER_INACTIVE: "REGISTER_INACTIVE",
    REVOKED: "REVOKED",
};
const DetectMitigationActionsTaskStatus = {
    CANCELED: "CANCELED",
    FAILED: "FAILED",
    IN_PROGRESS: "IN_PROGRESS",
    SUCCESSFUL: "SUCCESSFUL",
};
const DomainConfigurationStatus = {
    DISABLED: "DISABLED",
    ENABLED: "ENABLED",
};
const DomainType = {
    AWS_MANAGED: "AWS_MANAGED",
    CUSTOMER_MANAGED: "CUSTOMER_MANAGED",
    ENDPOINT: "ENDPOINT",
};
const ServerCertificateStatus = {
    INVALID: "INVALID",
    VALID: "VALID",
};
const ConfigurationStatus = {
    HEALTHY: "HEALTHY",
    UNHEALTHY: "UNHEALTHY",
};
const EncryptionType = {
    AWS_OWNED_KMS_KEY: "AWS_OWNED_KMS_KEY",
    CUSTOMER_MANAGED_KMS_KEY: "CUSTOMER_MANAGED_KMS_KEY",
};
const EventType = {
    CA_CERTIFICATE: "CA_CERTIFICATE",
    CERTIFICATE: "CERTIFICATE",
    JOB: "JOB",
    JOB_EXECUTION: "JOB_EXECUTION",
    POLICY: "POLICY",
    THING: "THING",
    THING_GROUP: "THING_GROUP",
    THING_GROUP_HIERARCHY: "THING_GROUP_HIERARCHY",
    THING_GROUP_MEMBERSHIP: "THING_GROUP_MEMBERSHIP",
    THING_TYPE: "THING_TYPE",
    THING_TYPE_ASSOCIATION: "THING_TYPE_ASSOCIATION",
};
const IndexStatus = {
    ACTIVE: "ACTIVE",
    BUILDING: "BUILDING",
    REBUILDING: "REBUILDING",
};
const JobStatus = {
    CANCELED: "CANCELED",
    COMPLETED: "COMPLETED",
    DELETION_IN_PROGRESS: "DELETION_IN_PROGRESS",
    IN_PROGRESS: "IN_PROGRESS",
    SCHEDULED: "SCHEDULED",
};
const JobExecutionStatus = {
    CANCELED: "CANCELED",
    FAILED: "FAILED",
    IN_PROGRESS: "IN_PROGRESS",
    QUEUED: "QUEUED",
    REJECTED: "REJECTED",
    REMOVED: "REMOVED",
    SUCCEEDED: "SUCCEEDED",
    TIMED_OUT: "TIMED_OUT",
};
const MitigationActionType = {
    ADD_THINGS_TO_THING_GROUP: "ADD_THINGS_TO_THING_GROUP",
    ENABLE_IOT_LOGGING: "ENABLE_IOT_LOGGING",
    PUBLISH_FINDING_TO_SNS: "PUBLISH_FINDING_TO_SNS",
    REPLACE_DEFAULT_POLICY_VERSION: "REPLACE_DEFAULT_POLICY_VERSION",
    UPDATE_CA_CERTIFICATE: "UPDATE_CA_CERTIFICATE",
    UPDATE_DEVICE_CERTIFICATE: "UPDATE_DEVICE_CERTIFICATE",
};
const DynamicGroupStatus = {
    ACTIVE: "ACTIVE",
    BUILDING: "BUILDING",
    REBUILDING: "REBUILDING",
};
const Status = {
    Cancelled: "Cancelled",
    Cancelling: "Cancelling",
    Completed: "Completed",
    Failed: "Failed",
    InProgress: "InProgress",
};
const ModelStatus = {
    ACTIVE: "ACTIVE",
    EXPIRED: "EXPIRED",
    PENDING_BUILD: "PENDING_BUILD",
};
const CommandExecutionStatus = {
    CREATED: "CREATED",
    FAILED: "FAILED",
    IN_PROGRESS: "IN_PROGRESS",
    REJECTED: "REJECTED",
    SUCCEEDED: "SUCCEEDED",
    TIMED_OUT: "TIMED_OUT",
};
const FieldType = {
    BOOLEAN: "Boolean",
    NUMBER: "Number",
    STRING: "String",
};
const ThingGroupIndexingMode = {
    OFF: "OFF",
    ON: "ON",
};
const DeviceDefenderIndexingMode = {
    OFF: "OFF",
    VIOLATIONS: "VIOLATIONS",
};
const FleetIndexingApi = {
    GET_THING_CONNECTIVITY_DATA: "GET_THING_CONNECTIVITY_DATA",
};
const TargetFieldOrder = {
    LatLon: "LatLon",
    LonLat: "LonLat",
};
const NamedShadowIndexingMode = {
    OFF: "OFF",
    ON: "ON",
};
const ThingConnectivityIndexingMode = {
    OFF: "OFF",
    STATUS: "STATUS",
};
const ThingIndexingMode = {
    OFF: "OFF",
    REGISTRY: "REGISTRY",
    REGISTRY_AND_SHADOW: "REGISTRY_AND_SHADOW",
};
const DisconnectReasonValue = {
    API_INITIATED_DISCONNECT: "API_INITIATED_DISCONNECT",
    AUTH_ERROR: "AUTH_ERROR",
    CLIENT_ERROR: "CLIENT_ERROR",
    CLIENT_INITIATED_DISCONNECT: "CLIENT_INITIATED_DISCONNECT",
    CONNECTION_LOST: "CONNECTION_LOST",
    CUSTOMAUTH_TTL_EXPIRATION: "CUSTOMAUTH_TTL_EXPIRATION",
    DUPLICATE_CLIENTID: "DUPLICATE_CLIENTID",
    FORBIDDEN_ACCESS: "FORBIDDEN_ACCESS",
    MQTT_KEEP_ALIVE_TIMEOUT: "MQTT_KEEP_ALIVE_TIMEOUT",
    NONE: "NONE",
    SERVER_ERROR: "SERVER_ERROR",
    SERVER_INITIATED_DISCONNECT: "SERVER_INITIATED_DISCONNECT",
    THROTTLED: "THROTTLED",
    UNKNOWN: "UNKNOWN",
    WEBSOCKET_TTL_EXPIRATION: "WEBSOCKET_TTL_EXPIRATION",
};
const BehaviorCriteriaType = {
    MACHINE_LEARNING: "MACHINE_LEARNING",
    STATIC: "STATIC",
    STATISTICAL: "STATISTICAL",
};
const SortOrder = {
    Ascending: "ASCENDING",
    Descending: "DESCENDING",
};
const DetectMitigationActionExecutionStatus = {
    FAILED: "FAILED",
    IN_PROGRESS: "IN_PROGRESS",
    SKIPPED: "SKIPPED",
    SUCCESSFUL: "SUCCESSFUL",
};
const SbomValidationResult = {
    FAILED: "FAILED",
    SUCCEEDED: "SUCCEEDED",
};
const SbomValidationErrorCode = {
    FILE_SIZE_LIMIT_EXCEEDED: "FILE_SIZE_LIMIT_EXCEEDED",
    INCOMPATIBLE_FORMAT: "INCOMPATIBLE_FORMAT",
};
const ReportType = {
    ERRORS: "ERRORS",
    RESULTS: "RESULTS",
};
const ViolationEventType = {
    ALARM_CLEARED: "alarm-cleared",
    ALARM_INVALIDATED: "alarm-invalidated",
    IN_ALARM: "in-alarm",
};
const PackageVersionAction = {
    DEPRECATE: "DEPRECATE",
    PUBLISH: "PUBLISH",
};

__webpack_unused_export__ = AbortAction;
__webpack_unused_export__ = AbortConfig$;
__webpack_unused_export__ = AbortCriteria$;
__webpack_unused_export__ = AcceptCertificateTransfer$;
__webpack_unused_export__ = AcceptCertificateTransferCommand;
__webpack_unused_export__ = AcceptCertificateTransferRequest$;
__webpack_unused_export__ = Action$;
__webpack_unused_export__ = ActionType;
__webpack_unused_export__ = ActiveViolation$;
__webpack_unused_export__ = AddThingToBillingGroup$;
__webpack_unused_export__ = AddThingToBillingGroupCommand;
__webpack_unused_export__ = AddThingToBillingGroupRequest$;
__webpack_unused_export__ = AddThingToBillingGroupResponse$;
__webpack_unused_export__ = AddThingToThingGroup$;
__webpack_unused_export__ = AddThingToThingGroupCommand;
__webpack_unused_export__ = AddThingToThingGroupRequest$;
__webpack_unused_export__ = AddThingToThingGroupResponse$;
__webpack_unused_export__ = AddThingsToThingGroupParams$;
__webpack_unused_export__ = AggregationType$;
__webpack_unused_export__ = AggregationTypeName;
__webpack_unused_export__ = AlertTarget$;
__webpack_unused_export__ = AlertTargetType;
__webpack_unused_export__ = Allowed$;
__webpack_unused_export__ = ApplicationProtocol;
__webpack_unused_export__ = AssetPropertyTimestamp$;
__webpack_unused_export__ = AssetPropertyValue$;
__webpack_unused_export__ = AssetPropertyVariant$;
__webpack_unused_export__ = AssociateSbomWithPackageVersion$;
__webpack_unused_export__ = AssociateSbomWithPackageVersionCommand;
__webpack_unused_export__ = AssociateSbomWithPackageVersionRequest$;
__webpack_unused_export__ = AssociateSbomWithPackageVersionResponse$;
__webpack_unused_export__ = AssociateTargetsWithJob$;
__webpack_unused_export__ = AssociateTargetsWithJobCommand;
__webpack_unused_export__ = AssociateTargetsWithJobRequest$;
__webpack_unused_export__ = AssociateTargetsWithJobResponse$;
__webpack_unused_export__ = AttachPolicy$;
__webpack_unused_export__ = AttachPolicyCommand;
__webpack_unused_export__ = AttachPolicyRequest$;
__webpack_unused_export__ = AttachPrincipalPolicy$;
__webpack_unused_export__ = AttachPrincipalPolicyCommand;
__webpack_unused_export__ = AttachPrincipalPolicyRequest$;
__webpack_unused_export__ = AttachSecurityProfile$;
__webpack_unused_export__ = AttachSecurityProfileCommand;
__webpack_unused_export__ = AttachSecurityProfileRequest$;
__webpack_unused_export__ = AttachSecurityProfileResponse$;
__webpack_unused_export__ = AttachThingPrincipal$;
__webpack_unused_export__ = AttachThingPrincipalCommand;
__webpack_unused_export__ = AttachThingPrincipalRequest$;
__webpack_unused_export__ = AttachThingPrincipalResponse$;
__webpack_unused_export__ = AttributePayload$;
__webpack_unused_export__ = AuditCheckConfiguration$;
__webpack_unused_export__ = AuditCheckDetails$;
__webpack_unused_export__ = AuditCheckRunStatus;
__webpack_unused_export__ = AuditFinding$;
__webpack_unused_export__ = AuditFindingSeverity;
__webpack_unused_export__ = AuditFrequency;
__webpack_unused_export__ = AuditMitigationActionExecutionMetadata$;
__webpack_unused_export__ = AuditMitigationActionsExecutionStatus;
__webpack_unused_export__ = AuditMitigationActionsTaskMetadata$;
__webpack_unused_export__ = AuditMitigationActionsTaskStatus;
__webpack_unused_export__ = AuditMitigationActionsTaskTarget$;
__webpack_unused_export__ = AuditNotificationTarget$;
__webpack_unused_export__ = AuditNotificationType;
__webpack_unused_export__ = AuditSuppression$;
__webpack_unused_export__ = AuditTaskMetadata$;
__webpack_unused_export__ = AuditTaskStatus;
__webpack_unused_export__ = AuditTaskType;
__webpack_unused_export__ = AuthDecision;
__webpack_unused_export__ = AuthInfo$;
__webpack_unused_export__ = AuthResult$;
__webpack_unused_export__ = AuthenticationType;
__webpack_unused_export__ = AuthorizerConfig$;
__webpack_unused_export__ = AuthorizerDescription$;
__webpack_unused_export__ = AuthorizerStatus;
__webpack_unused_export__ = AuthorizerSummary$;
__webpack_unused_export__ = AutoRegistrationStatus;
__webpack_unused_export__ = AwsJobAbortConfig$;
__webpack_unused_export__ = AwsJobAbortCriteria$;
__webpack_unused_export__ = AwsJobAbortCriteriaAbortAction;
__webpack_unused_export__ = AwsJobAbortCriteriaFailureType;
__webpack_unused_export__ = AwsJobExecutionsRolloutConfig$;
__webpack_unused_export__ = AwsJobExponentialRolloutRate$;
__webpack_unused_export__ = AwsJobPresignedUrlConfig$;
__webpack_unused_export__ = AwsJobRateIncreaseCriteria$;
__webpack_unused_export__ = AwsJobTimeoutConfig$;
__webpack_unused_export__ = AwsJsonSubstitutionCommandPreprocessorConfig$;
__webpack_unused_export__ = BatchConfig$;
__webpack_unused_export__ = Behavior$;
__webpack_unused_export__ = BehaviorCriteria$;
__webpack_unused_export__ = BehaviorCriteriaType;
__webpack_unused_export__ = BehaviorModelTrainingSummary$;
__webpack_unused_export__ = BillingGroupMetadata$;
__webpack_unused_export__ = BillingGroupProperties$;
__webpack_unused_export__ = Bucket$;
__webpack_unused_export__ = BucketsAggregationType$;
__webpack_unused_export__ = CACertificate$;
__webpack_unused_export__ = CACertificateDescription$;
__webpack_unused_export__ = CACertificateStatus;
__webpack_unused_export__ = CACertificateUpdateAction;
__webpack_unused_export__ = CancelAuditMitigationActionsTask$;
__webpack_unused_export__ = CancelAuditMitigationActionsTaskCommand;
__webpack_unused_export__ = CancelAuditMitigationActionsTaskRequest$;
__webpack_unused_export__ = CancelAuditMitigationActionsTaskResponse$;
__webpack_unused_export__ = CancelAuditTask$;
__webpack_unused_export__ = CancelAuditTaskCommand;
__webpack_unused_export__ = CancelAuditTaskRequest$;
__webpack_unused_export__ = CancelAuditTaskResponse$;
__webpack_unused_export__ = CancelCertificateTransfer$;
__webpack_unused_export__ = CancelCertificateTransferCommand;
__webpack_unused_export__ = CancelCertificateTransferRequest$;
__webpack_unused_export__ = CancelDetectMitigationActionsTask$;
__webpack_unused_export__ = CancelDetectMitigationActionsTaskCommand;
__webpack_unused_export__ = CancelDetectMitigationActionsTaskRequest$;
__webpack_unused_export__ = CancelDetectMitigationActionsTaskResponse$;
__webpack_unused_export__ = CancelJob$;
__webpack_unused_export__ = CancelJobCommand;
__webpack_unused_export__ = CancelJobExecution$;
__webpack_unused_export__ = CancelJobExecutionCommand;
__webpack_unused_export__ = CancelJobExecutionRequest$;
__webpack_unused_export__ = CancelJobRequest$;
__webpack_unused_export__ = CancelJobResponse$;
__webpack_unused_export__ = CannedAccessControlList;
__webpack_unused_export__ = Certificate$;
__webpack_unused_export__ = CertificateConflictException;
__webpack_unused_export__ = CertificateConflictException$;
__webpack_unused_export__ = CertificateDescription$;
__webpack_unused_export__ = CertificateMode;
__webpack_unused_export__ = CertificateProviderOperation;
__webpack_unused_export__ = CertificateProviderSummary$;
__webpack_unused_export__ = CertificateStateException;
__webpack_unused_export__ = CertificateStateException$;
__webpack_unused_export__ = CertificateStatus;
__webpack_unused_export__ = CertificateValidationException;
__webpack_unused_export__ = CertificateValidationException$;
__webpack_unused_export__ = CertificateValidity$;
__webpack_unused_export__ = ClearDefaultAuthorizer$;
__webpack_unused_export__ = ClearDefaultAuthorizerCommand;
__webpack_unused_export__ = ClearDefaultAuthorizerRequest$;
__webpack_unused_export__ = ClearDefaultAuthorizerResponse$;
__webpack_unused_export__ = ClientCertificateConfig$;
__webpack_unused_export__ = CloudwatchAlarmAction$;
__webpack_unused_export__ = CloudwatchLogsAction$;
__webpack_unused_export__ = CloudwatchMetricAction$;
__webpack_unused_export__ = CodeSigning$;
__webpack_unused_export__ = CodeSigningCertificateChain$;
__webpack_unused_export__ = CodeSigningSignature$;
__webpack_unused_export__ = CommandExecutionResult$;
__webpack_unused_export__ = CommandExecutionStatus;
__webpack_unused_export__ = CommandExecutionSummary$;
__webpack_unused_export__ = CommandNamespace;
__webpack_unused_export__ = CommandParameter$;
__webpack_unused_export__ = CommandParameterType;
__webpack_unused_export__ = CommandParameterValue$;
__webpack_unused_export__ = CommandParameterValueComparisonOperand$;
__webpack_unused_export__ = CommandParameterValueComparisonOperator;
__webpack_unused_export__ = CommandParameterValueCondition$;
__webpack_unused_export__ = CommandParameterValueNumberRange$;
__webpack_unused_export__ = CommandPayload$;
__webpack_unused_export__ = CommandPreprocessor$;
__webpack_unused_export__ = CommandSummary$;
__webpack_unused_export__ = ComparisonOperator;
__webpack_unused_export__ = ConfidenceLevel;
__webpack_unused_export__ = ConfigName;
__webpack_unused_export__ = Configuration$;
__webpack_unused_export__ = ConfigurationDetails$;
__webpack_unused_export__ = ConfigurationStatus;
__webpack_unused_export__ = ConfirmTopicRuleDestination$;
__webpack_unused_export__ = ConfirmTopicRuleDestinationCommand;
__webpack_unused_export__ = ConfirmTopicRuleDestinationRequest$;
__webpack_unused_export__ = ConfirmTopicRuleDestinationResponse$;
__webpack_unused_export__ = ConflictException;
__webpack_unused_export__ = ConflictException$;
__webpack_unused_export__ = ConflictingResourceUpdateException;
__webpack_unused_export__ = ConflictingResourceUpdateException$;
__webpack_unused_export__ = ConnectivityFilter$;
__webpack_unused_export__ = CreateAuditSuppression$;
__webpack_unused_export__ = CreateAuditSuppressionCommand;
__webpack_unused_export__ = CreateAuditSuppressionRequest$;
__webpack_unused_export__ = CreateAuditSuppressionResponse$;
__webpack_unused_export__ = CreateAuthorizer$;
__webpack_unused_export__ = CreateAuthorizerCommand;
__webpack_unused_export__ = CreateAuthorizerRequest$;
__webpack_unused_export__ = CreateAuthorizerResponse$;
__webpack_unused_export__ = CreateBillingGroup$;
__webpack_unused_export__ = CreateBillingGroupCommand;
__webpack_unused_export__ = CreateBillingGroupRequest$;
__webpack_unused_export__ = CreateBillingGroupResponse$;
__webpack_unused_export__ = CreateCertificateFromCsr$;
__webpack_unused_export__ = CreateCertificateFromCsrCommand;
__webpack_unused_export__ = CreateCertificateFromCsrRequest$;
__webpack_unused_export__ = CreateCertificateFromCsrResponse$;
__webpack_unused_export__ = CreateCertificateProvider$;
__webpack_unused_export__ = CreateCertificateProviderCommand;
__webpack_unused_export__ = CreateCertificateProviderRequest$;
__webpack_unused_export__ = CreateCertificateProviderResponse$;
__webpack_unused_export__ = CreateCommand$;
__webpack_unused_export__ = CreateCommandCommand;
__webpack_unused_export__ = CreateCommandRequest$;
__webpack_unused_export__ = CreateCommandResponse$;
__webpack_unused_export__ = CreateCustomMetric$;
__webpack_unused_export__ = CreateCustomMetricCommand;
__webpack_unused_export__ = CreateCustomMetricRequest$;
__webpack_unused_export__ = CreateCustomMetricResponse$;
__webpack_unused_export__ = CreateDimension$;
__webpack_unused_export__ = CreateDimensionCommand;
__webpack_unused_export__ = CreateDimensionRequest$;
__webpack_unused_export__ = CreateDimensionResponse$;
__webpack_unused_export__ = CreateDomainConfiguration$;
__webpack_unused_export__ = CreateDomainConfigurationCommand;
__webpack_unused_export__ = CreateDomainConfigurationRequest$;
__webpack_unused_export__ = CreateDomainConfigurationResponse$;
__webpack_unused_export__ = CreateDynamicThingGroup$;
__webpack_unused_export__ = CreateDynamicThingGroupCommand;
__webpack_unused_export__ = CreateDynamicThingGroupRequest$;
__webpack_unused_export__ = CreateDynamicThingGroupResponse$;
__webpack_unused_export__ = CreateFleetMetric$;
__webpack_unused_export__ = CreateFleetMetricCommand;
__webpack_unused_export__ = CreateFleetMetricRequest$;
__webpack_unused_export__ = CreateFleetMetricResponse$;
__webpack_unused_export__ = CreateJob$;
__webpack_unused_export__ = CreateJobCommand;
__webpack_unused_export__ = CreateJobRequest$;
__webpack_unused_export__ = CreateJobResponse$;
__webpack_unused_export__ = CreateJobTemplate$;
__webpack_unused_export__ = CreateJobTemplateCommand;
__webpack_unused_export__ = CreateJobTemplateRequest$;
__webpack_unused_export__ = CreateJobTemplateResponse$;
__webpack_unused_export__ = CreateKeysAndCertificate$;
__webpack_unused_export__ = CreateKeysAndCertificateCommand;
__webpack_unused_export__ = CreateKeysAndCertificateRequest$;
__webpack_unused_export__ = CreateKeysAndCertificateResponse$;
__webpack_unused_export__ = CreateMitigationAction$;
__webpack_unused_export__ = CreateMitigationActionCommand;
__webpack_unused_export__ = CreateMitigationActionRequest$;
__webpack_unused_export__ = CreateMitigationActionResponse$;
__webpack_unused_export__ = CreateOTAUpdate$;
exports.fl$ = CreateOTAUpdateCommand;
__webpack_unused_export__ = CreateOTAUpdateRequest$;
__webpack_unused_export__ = CreateOTAUpdateResponse$;
__webpack_unused_export__ = CreatePackage$;
__webpack_unused_export__ = CreatePackageCommand;
__webpack_unused_export__ = CreatePackageRequest$;
__webpack_unused_export__ = CreatePackageResponse$;
__webpack_unused_export__ = CreatePackageVersion$;
__webpack_unused_export__ = CreatePackageVersionCommand;
__webpack_unused_export__ = CreatePackageVersionRequest$;
__webpack_unused_export__ = CreatePackageVersionResponse$;
__webpack_unused_export__ = CreatePolicy$;
__webpack_unused_export__ = CreatePolicyCommand;
__webpack_unused_export__ = CreatePolicyRequest$;
__webpack_unused_export__ = CreatePolicyResponse$;
__webpack_unused_export__ = CreatePolicyVersion$;
__webpack_unused_export__ = CreatePolicyVersionCommand;
__webpack_unused_export__ = CreatePolicyVersionRequest$;
__webpack_unused_export__ = CreatePolicyVersionResponse$;
__webpack_unused_export__ = CreateProvisioningClaim$;
__webpack_unused_export__ = CreateProvisioningClaimCommand;
__webpack_unused_export__ = CreateProvisioningClaimRequest$;
__webpack_unused_export__ = CreateProvisioningClaimResponse$;
__webpack_unused_export__ = CreateProvisioningTemplate$;
__webpack_unused_export__ = CreateProvisioningTemplateCommand;
__webpack_unused_export__ = CreateProvisioningTemplateRequest$;
__webpack_unused_export__ = CreateProvisioningTemplateResponse$;
__webpack_unused_export__ = CreateProvisioningTemplateVersion$;
__webpack_unused_export__ = CreateProvisioningTemplateVersionCommand;
__webpack_unused_export__ = CreateProvisioningTemplateVersionRequest$;
__webpack_unused_export__ = CreateProvisioningTemplateVersionResponse$;
__webpack_unused_export__ = CreateRoleAlias$;
__webpack_unused_export__ = CreateRoleAliasCommand;
__webpack_unused_export__ = CreateRoleAliasRequest$;
__webpack_unused_export__ = CreateRoleAliasResponse$;
__webpack_unused_export__ = CreateScheduledAudit$;
__webpack_unused_export__ = CreateScheduledAuditCommand;
__webpack_unused_export__ = CreateScheduledAuditRequest$;
__webpack_unused_export__ = CreateScheduledAuditResponse$;
__webpack_unused_export__ = CreateSecurityProfile$;
__webpack_unused_export__ = CreateSecurityProfileCommand;
__webpack_unused_export__ = CreateSecurityProfileRequest$;
__webpack_unused_export__ = CreateSecurityProfileResponse$;
__webpack_unused_export__ = CreateStream$;
__webpack_unused_export__ = CreateStreamCommand;
__webpack_unused_export__ = CreateStreamRequest$;
__webpack_unused_export__ = CreateStreamResponse$;
__webpack_unused_export__ = CreateThing$;
__webpack_unused_export__ = CreateThingCommand;
__webpack_unused_export__ = CreateThingGroup$;
__webpack_unused_export__ = CreateThingGroupCommand;
__webpack_unused_export__ = CreateThingGroupRequest$;
__webpack_unused_export__ = CreateThingGroupResponse$;
__webpack_unused_export__ = CreateThingRequest$;
__webpack_unused_export__ = CreateThingResponse$;
__webpack_unused_export__ = CreateThingType$;
__webpack_unused_export__ = CreateThingTypeCommand;
__webpack_unused_export__ = CreateThingTypeRequest$;
__webpack_unused_export__ = CreateThingTypeResponse$;
__webpack_unused_export__ = CreateTopicRule$;
__webpack_unused_export__ = CreateTopicRuleCommand;
__webpack_unused_export__ = CreateTopicRuleDestination$;
__webpack_unused_export__ = CreateTopicRuleDestinationCommand;
__webpack_unused_export__ = CreateTopicRuleDestinationRequest$;
__webpack_unused_export__ = CreateTopicRuleDestinationResponse$;
__webpack_unused_export__ = CreateTopicRuleRequest$;
__webpack_unused_export__ = CustomCodeSigning$;
__webpack_unused_export__ = CustomMetricType;
__webpack_unused_export__ = DayOfWeek;
__webpack_unused_export__ = DeleteAccountAuditConfiguration$;
__webpack_unused_export__ = DeleteAccountAuditConfigurationCommand;
__webpack_unused_export__ = DeleteAccountAuditConfigurationRequest$;
__webpack_unused_export__ = DeleteAccountAuditConfigurationResponse$;
__webpack_unused_export__ = DeleteAuditSuppression$;
__webpack_unused_export__ = DeleteAuditSuppressionCommand;
__webpack_unused_export__ = DeleteAuditSuppressionRequest$;
__webpack_unused_export__ = DeleteAuditSuppressionResponse$;
__webpack_unused_export__ = DeleteAuthorizer$;
__webpack_unused_export__ = DeleteAuthorizerCommand;
__webpack_unused_export__ = DeleteAuthorizerRequest$;
__webpack_unused_export__ = DeleteAuthorizerResponse$;
__webpack_unused_export__ = DeleteBillingGroup$;
__webpack_unused_export__ = DeleteBillingGroupCommand;
__webpack_unused_export__ = DeleteBillingGroupRequest$;
__webpack_unused_export__ = DeleteBillingGroupResponse$;
__webpack_unused_export__ = DeleteCACertificate$;
__webpack_unused_export__ = DeleteCACertificateCommand;
__webpack_unused_export__ = DeleteCACertificateRequest$;
__webpack_unused_export__ = DeleteCACertificateResponse$;
__webpack_unused_export__ = DeleteCertificate$;
__webpack_unused_export__ = DeleteCertificateCommand;
__webpack_unused_export__ = DeleteCertificateProvider$;
__webpack_unused_export__ = DeleteCertificateProviderCommand;
__webpack_unused_export__ = DeleteCertificateProviderRequest$;
__webpack_unused_export__ = DeleteCertificateProviderResponse$;
__webpack_unused_export__ = DeleteCertificateRequest$;
__webpack_unused_export__ = DeleteCommand$;
__webpack_unused_export__ = DeleteCommandCommand;
__webpack_unused_export__ = DeleteCommandExecution$;
__webpack_unused_export__ = DeleteCommandExecutionCommand;
__webpack_unused_export__ = DeleteCommandExecutionRequest$;
__webpack_unused_export__ = DeleteCommandExecutionResponse$;
__webpack_unused_export__ = DeleteCommandRequest$;
__webpack_unused_export__ = DeleteCommandResponse$;
__webpack_unused_export__ = DeleteConflictException;
__webpack_unused_export__ = DeleteConflictException$;
__webpack_unused_export__ = DeleteCustomMetric$;
__webpack_unused_export__ = DeleteCustomMetricCommand;
__webpack_unused_export__ = DeleteCustomMetricRequest$;
__webpack_unused_export__ = DeleteCustomMetricResponse$;
__webpack_unused_export__ = DeleteDimension$;
__webpack_unused_export__ = DeleteDimensionCommand;
__webpack_unused_export__ = DeleteDimensionRequest$;
__webpack_unused_export__ = DeleteDimensionResponse$;
__webpack_unused_export__ = DeleteDomainConfiguration$;
__webpack_unused_export__ = DeleteDomainConfigurationCommand;
__webpack_unused_export__ = DeleteDomainConfigurationRequest$;
__webpack_unused_export__ = DeleteDomainConfigurationResponse$;
__webpack_unused_export__ = DeleteDynamicThingGroup$;
__webpack_unused_export__ = DeleteDynamicThingGroupCommand;
__webpack_unused_export__ = DeleteDynamicThingGroupRequest$;
__webpack_unused_export__ = DeleteDynamicThingGroupResponse$;
__webpack_unused_export__ = DeleteFleetMetric$;
__webpack_unused_export__ = DeleteFleetMetricCommand;
__webpack_unused_export__ = DeleteFleetMetricRequest$;
__webpack_unused_export__ = DeleteJob$;
__webpack_unused_export__ = DeleteJobCommand;
__webpack_unused_export__ = DeleteJobExecution$;
__webpack_unused_export__ = DeleteJobExecutionCommand;
__webpack_unused_export__ = DeleteJobExecutionRequest$;
__webpack_unused_export__ = DeleteJobRequest$;
__webpack_unused_export__ = DeleteJobTemplate$;
__webpack_unused_export__ = DeleteJobTemplateCommand;
__webpack_unused_export__ = DeleteJobTemplateRequest$;
__webpack_unused_export__ = DeleteMitigationAction$;
__webpack_unused_export__ = DeleteMitigationActionCommand;
__webpack_unused_export__ = DeleteMitigationActionRequest$;
__webpack_unused_export__ = DeleteMitigationActionResponse$;
__webpack_unused_export__ = DeleteOTAUpdate$;
exports.w_d = DeleteOTAUpdateCommand;
__webpack_unused_export__ = DeleteOTAUpdateRequest$;
__webpack_unused_export__ = DeleteOTAUpdateResponse$;
__webpack_unused_export__ = DeletePackage$;
__webpack_unused_export__ = DeletePackageCommand;
__webpack_unused_export__ = DeletePackageRequest$;
__webpack_unused_export__ = DeletePackageResponse$;
__webpack_unused_export__ = DeletePackageVersion$;
__webpack_unused_export__ = DeletePackageVersionCommand;
__webpack_unused_export__ = DeletePackageVersionRequest$;
__webpack_unused_export__ = DeletePackageVersionResponse$;
__webpack_unused_export__ = DeletePolicy$;
__webpack_unused_export__ = DeletePolicyCommand;
__webpack_unused_export__ = DeletePolicyRequest$;
__webpack_unused_export__ = DeletePolicyVersion$;
__webpack_unused_export__ = DeletePolicyVersionCommand;
__webpack_unused_export__ = DeletePolicyVersionRequest$;
__webpack_unused_export__ = DeleteProvisioningTemplate$;
__webpack_unused_export__ = DeleteProvisioningTemplateCommand;
__webpack_unused_export__ = DeleteProvisioningTemplateRequest$;
__webpack_unused_export__ = DeleteProvisioningTemplateResponse$;
__webpack_unused_export__ = DeleteProvisioningTemplateVersion$;
__webpack_unused_export__ = DeleteProvisioningTemplateVersionCommand;
__webpack_unused_export__ = DeleteProvisioningTemplateVersionRequest$;
__webpack_unused_export__ = DeleteProvisioningTemplateVersionResponse$;
__webpack_unused_export__ = DeleteRegistrationCode$;
__webpack_unused_export__ = DeleteRegistrationCodeCommand;
__webpack_unused_export__ = DeleteRegistrationCodeRequest$;
__webpack_unused_export__ = DeleteRegistrationCodeResponse$;
__webpack_unused_export__ = DeleteRoleAlias$;
__webpack_unused_export__ = DeleteRoleAliasCommand;
__webpack_unused_export__ = DeleteRoleAliasRequest$;
__webpack_unused_export__ = DeleteRoleAliasResponse$;
__webpack_unused_export__ = DeleteScheduledAudit$;
__webpack_unused_export__ = DeleteScheduledAuditCommand;
__webpack_unused_export__ = DeleteScheduledAuditRequest$;
__webpack_unused_export__ = DeleteScheduledAuditResponse$;
__webpack_unused_export__ = DeleteSecurityProfile$;
__webpack_unused_export__ = DeleteSecurityProfileCommand;
__webpack_unused_export__ = DeleteSecurityProfileRequest$;
__webpack_unused_export__ = DeleteSecurityProfileResponse$;
__webpack_unused_export__ = DeleteStream$;
__webpack_unused_export__ = DeleteStreamCommand;
__webpack_unused_export__ = DeleteStreamRequest$;
__webpack_unused_export__ = DeleteStreamResponse$;
__webpack_unused_export__ = DeleteThing$;
__webpack_unused_export__ = DeleteThingCommand;
__webpack_unused_export__ = DeleteThingGroup$;
__webpack_unused_export__ = DeleteThingGroupCommand;
__webpack_unused_export__ = DeleteThingGroupRequest$;
__webpack_unused_export__ = DeleteThingGroupResponse$;
__webpack_unused_export__ = DeleteThingRequest$;
__webpack_unused_export__ = DeleteThingResponse$;
__webpack_unused_export__ = DeleteThingType$;
__webpack_unused_export__ = DeleteThingTypeCommand;
__webpack_unused_export__ = DeleteThingTypeRequest$;
__webpack_unused_export__ = DeleteThingTypeResponse$;
__webpack_unused_export__ = DeleteTopicRule$;
__webpack_unused_export__ = DeleteTopicRuleCommand;
__webpack_unused_export__ = DeleteTopicRuleDestination$;
__webpack_unused_export__ = DeleteTopicRuleDestinationCommand;
__webpack_unused_export__ = DeleteTopicRuleDestinationRequest$;
__webpack_unused_export__ = DeleteTopicRuleDestinationResponse$;
__webpack_unused_export__ = DeleteTopicRuleRequest$;
__webpack_unused_export__ = DeleteV2LoggingLevel$;
__webpack_unused_export__ = DeleteV2LoggingLevelCommand;
__webpack_unused_export__ = DeleteV2LoggingLevelRequest$;
__webpack_unused_export__ = Denied$;
__webpack_unused_export__ = DeprecateThingType$;
__webpack_unused_export__ = DeprecateThingTypeCommand;
__webpack_unused_export__ = DeprecateThingTypeRequest$;
__webpack_unused_export__ = DeprecateThingTypeResponse$;
__webpack_unused_export__ = DescribeAccountAuditConfiguration$;
__webpack_unused_export__ = DescribeAccountAuditConfigurationCommand;
__webpack_unused_export__ = DescribeAccountAuditConfigurationRequest$;
__webpack_unused_export__ = DescribeAccountAuditConfigurationResponse$;
__webpack_unused_export__ = DescribeAuditFinding$;
__webpack_unused_export__ = DescribeAuditFindingCommand;
__webpack_unused_export__ = DescribeAuditFindingRequest$;
__webpack_unused_export__ = DescribeAuditFindingResponse$;
__webpack_unused_export__ = DescribeAuditMitigationActionsTask$;
__webpack_unused_export__ = DescribeAuditMitigationActionsTaskCommand;
__webpack_unused_export__ = DescribeAuditMitigationActionsTaskRequest$;
__webpack_unused_export__ = DescribeAuditMitigationActionsTaskResponse$;
__webpack_unused_export__ = DescribeAuditSuppression$;
__webpack_unused_export__ = DescribeAuditSuppressionCommand;
__webpack_unused_export__ = DescribeAuditSuppressionRequest$;
__webpack_unused_export__ = DescribeAuditSuppressionResponse$;
__webpack_unused_export__ = DescribeAuditTask$;
__webpack_unused_export__ = DescribeAuditTaskCommand;
__webpack_unused_export__ = DescribeAuditTaskRequest$;
__webpack_unused_export__ = DescribeAuditTaskResponse$;
__webpack_unused_export__ = DescribeAuthorizer$;
__webpack_unused_export__ = DescribeAuthorizerCommand;
__webpack_unused_export__ = DescribeAuthorizerRequest$;
__webpack_unused_export__ = DescribeAuthorizerResponse$;
__webpack_unused_export__ = DescribeBillingGroup$;
__webpack_unused_export__ = DescribeBillingGroupCommand;
__webpack_unused_export__ = DescribeBillingGroupRequest$;
__webpack_unused_export__ = DescribeBillingGroupResponse$;
__webpack_unused_export__ = DescribeCACertificate$;
__webpack_unused_export__ = DescribeCACertificateCommand;
__webpack_unused_export__ = DescribeCACertificateRequest$;
__webpack_unused_export__ = DescribeCACertificateResponse$;
__webpack_unused_export__ = DescribeCertificate$;
__webpack_unused_export__ = DescribeCertificateCommand;
__webpack_unused_export__ = DescribeCertificateProvider$;
__webpack_unused_export__ = DescribeCertificateProviderCommand;
__webpack_unused_export__ = DescribeCertificateProviderRequest$;
__webpack_unused_export__ = DescribeCertificateProviderResponse$;
__webpack_unused_export__ = DescribeCertificateRequest$;
__webpack_unused_export__ = DescribeCertificateResponse$;
__webpack_unused_export__ = DescribeCustomMetric$;
__webpack_unused_export__ = DescribeCustomMetricCommand;
__webpack_unused_export__ = DescribeCustomMetricRequest$;
__webpack_unused_export__ = DescribeCustomMetricResponse$;
__webpack_unused_export__ = DescribeDefaultAuthorizer$;
__webpack_unused_export__ = DescribeDefaultAuthorizerCommand;
__webpack_unused_export__ = DescribeDefaultAuthorizerRequest$;
__webpack_unused_export__ = DescribeDefaultAuthorizerResponse$;
__webpack_unused_export__ = DescribeDetectMitigationActionsTask$;
__webpack_unused_export__ = DescribeDetectMitigationActionsTaskCommand;
__webpack_unused_export__ = DescribeDetectMitigationActionsTaskRequest$;
__webpack_unused_export__ = DescribeDetectMitigationActionsTaskResponse$;
__webpack_unused_export__ = DescribeDimension$;
__webpack_unused_export__ = DescribeDimensionCommand;
__webpack_unused_export__ = DescribeDimensionRequest$;
__webpack_unused_export__ = DescribeDimensionResponse$;
__webpack_unused_export__ = DescribeDomainConfiguration$;
__webpack_unused_export__ = DescribeDomainConfigurationCommand;
__webpack_unused_export__ = DescribeDomainConfigurationRequest$;
__webpack_unused_export__ = DescribeDomainConfigurationResponse$;
__webpack_unused_export__ = DescribeEncryptionConfiguration$;
__webpack_unused_export__ = DescribeEncryptionConfigurationCommand;
__webpack_unused_export__ = DescribeEncryptionConfigurationRequest$;
__webpack_unused_export__ = DescribeEncryptionConfigurationResponse$;
__webpack_unused_export__ = DescribeEndpoint$;
__webpack_unused_export__ = DescribeEndpointCommand;
__webpack_unused_export__ = DescribeEndpointRequest$;
__webpack_unused_export__ = DescribeEndpointResponse$;
__webpack_unused_export__ = DescribeEventConfigurations$;
__webpack_unused_export__ = DescribeEventConfigurationsCommand;
__webpack_unused_export__ = DescribeEventConfigurationsRequest$;
__webpack_unused_export__ = DescribeEventConfigurationsResponse$;
__webpack_unused_export__ = DescribeFleetMetric$;
__webpack_unused_export__ = DescribeFleetMetricCommand;
__webpack_unused_export__ = DescribeFleetMetricRequest$;
__webpack_unused_export__ = DescribeFleetMetricResponse$;
__webpack_unused_export__ = DescribeIndex$;
__webpack_unused_export__ = DescribeIndexCommand;
__webpack_unused_export__ = DescribeIndexRequest$;
__webpack_unused_export__ = DescribeIndexResponse$;
__webpack_unused_export__ = DescribeJob$;
__webpack_unused_export__ = DescribeJobCommand;
__webpack_unused_export__ = DescribeJobExecution$;
__webpack_unused_export__ = DescribeJobExecutionCommand;
__webpack_unused_export__ = DescribeJobExecutionRequest$;
__webpack_unused_export__ = DescribeJobExecutionResponse$;
__webpack_unused_export__ = DescribeJobRequest$;
__webpack_unused_export__ = DescribeJobResponse$;
__webpack_unused_export__ = DescribeJobTemplate$;
__webpack_unused_export__ = DescribeJobTemplateCommand;
__webpack_unused_export__ = DescribeJobTemplateRequest$;
__webpack_unused_export__ = DescribeJobTemplateResponse$;
__webpack_unused_export__ = DescribeManagedJobTemplate$;
__webpack_unused_export__ = DescribeManagedJobTemplateCommand;
__webpack_unused_export__ = DescribeManagedJobTemplateRequest$;
__webpack_unused_export__ = DescribeManagedJobTemplateResponse$;
__webpack_unused_export__ = DescribeMitigationAction$;
__webpack_unused_export__ = DescribeMitigationActionCommand;
__webpack_unused_export__ = DescribeMitigationActionRequest$;
__webpack_unused_export__ = DescribeMitigationActionResponse$;
__webpack_unused_export__ = DescribeProvisioningTemplate$;
__webpack_unused_export__ = DescribeProvisioningTemplateCommand;
__webpack_unused_export__ = DescribeProvisioningTemplateRequest$;
__webpack_unused_export__ = DescribeProvisioningTemplateResponse$;
__webpack_unused_export__ = DescribeProvisioningTemplateVersion$;
__webpack_unused_export__ = DescribeProvisioningTemplateVersionCommand;
__webpack_unused_export__ = DescribeProvisioningTemplateVersionRequest$;
__webpack_unused_export__ = DescribeProvisioningTemplateVersionResponse$;
__webpack_unused_export__ = DescribeRoleAlias$;
__webpack_unused_export__ = DescribeRoleAliasCommand;
__webpack_unused_export__ = DescribeRoleAliasRequest$;
__webpack_unused_export__ = DescribeRoleAliasResponse$;
__webpack_unused_export__ = DescribeScheduledAudit$;
__webpack_unused_export__ = DescribeScheduledAuditCommand;
__webpack_unused_export__ = DescribeScheduledAuditRequest$;
__webpack_unused_export__ = DescribeScheduledAuditResponse$;
__webpack_unused_export__ = DescribeSecurityProfile$;
__webpack_unused_export__ = DescribeSecurityProfileCommand;
__webpack_unused_export__ = DescribeSecurityProfileRequest$;
__webpack_unused_export__ = DescribeSecurityProfileResponse$;
__webpack_unused_export__ = DescribeStream$;
__webpack_unused_export__ = DescribeStreamCommand;
__webpack_unused_export__ = DescribeStreamRequest$;
__webpack_unused_export__ = DescribeStreamResponse$;
__webpack_unused_export__ = DescribeThing$;
__webpack_unused_export__ = DescribeThingCommand;
__webpack_unused_export__ = DescribeThingGroup$;
__webpack_unused_export__ = DescribeThingGroupCommand;
__webpack_unused_export__ = DescribeThingGroupRequest$;
__webpack_unused_export__ = DescribeThingGroupResponse$;
__webpack_unused_export__ = DescribeThingRegistrationTask$;
__webpack_unused_export__ = DescribeThingRegistrationTaskCommand;
__webpack_unused_export__ = DescribeThingRegistrationTaskRequest$;
__webpack_unused_export__ = DescribeThingRegistrationTaskResponse$;
__webpack_unused_export__ = DescribeThingRequest$;
__webpack_unused_export__ = DescribeThingResponse$;
__webpack_unused_export__ = DescribeThingType$;
__webpack_unused_export__ = DescribeThingTypeCommand;
__webpack_unused_export__ = DescribeThingTypeRequest$;
__webpack_unused_export__ = DescribeThingTypeResponse$;
__webpack_unused_export__ = Destination$;
__webpack_unused_export__ = DetachPolicy$;
__webpack_unused_export__ = DetachPolicyCommand;
__webpack_unused_export__ = DetachPolicyRequest$;
__webpack_unused_export__ = DetachPrincipalPolicy$;
__webpack_unused_export__ = DetachPrincipalPolicyCommand;
__webpack_unused_export__ = DetachPrincipalPolicyRequest$;
__webpack_unused_export__ = DetachSecurityProfile$;
__webpack_unused_export__ = DetachSecurityProfileCommand;
__webpack_unused_export__ = DetachSecurityProfileRequest$;
__webpack_unused_export__ = DetachSecurityProfileResponse$;
__webpack_unused_export__ = DetachThingPrincipal$;
__webpack_unused_export__ = DetachThingPrincipalCommand;
__webpack_unused_export__ = DetachThingPrincipalRequest$;
__webpack_unused_export__ = DetachThingPrincipalResponse$;
__webpack_unused_export__ = DetectMitigationActionExecution$;
__webpack_unused_export__ = DetectMitigationActionExecutionStatus;
__webpack_unused_export__ = DetectMitigationActionsTaskStatistics$;
__webpack_unused_export__ = DetectMitigationActionsTaskStatus;
__webpack_unused_export__ = DetectMitigationActionsTaskSummary$;
__webpack_unused_export__ = DetectMitigationActionsTaskTarget$;
__webpack_unused_export__ = DeviceCertificateUpdateAction;
__webpack_unused_export__ = DeviceDefenderIndexingMode;
__webpack_unused_export__ = DimensionType;
__webpack_unused_export__ = DimensionValueOperator;
__webpack_unused_export__ = DisableTopicRule$;
__webpack_unused_export__ = DisableTopicRuleCommand;
__webpack_unused_export__ = DisableTopicRuleRequest$;
__webpack_unused_export__ = DisassociateSbomFromPackageVersion$;
__webpack_unused_export__ = DisassociateSbomFromPackageVersionCommand;
__webpack_unused_export__ = DisassociateSbomFromPackageVersionRequest$;
__webpack_unused_export__ = DisassociateSbomFromPackageVersionResponse$;
__webpack_unused_export__ = DisconnectReasonValue;
__webpack_unused_export__ = DocumentParameter$;
__webpack_unused_export__ = DomainConfigurationStatus;
__webpack_unused_export__ = DomainConfigurationSummary$;
__webpack_unused_export__ = DomainType;
__webpack_unused_export__ = DynamicGroupStatus;
__webpack_unused_export__ = DynamoDBAction$;
__webpack_unused_export__ = DynamoDBv2Action$;
__webpack_unused_export__ = DynamoKeyType;
__webpack_unused_export__ = EffectivePolicy$;
__webpack_unused_export__ = ElasticsearchAction$;
__webpack_unused_export__ = EnableIoTLoggingParams$;
__webpack_unused_export__ = EnableTopicRule$;
__webpack_unused_export__ = EnableTopicRuleCommand;
__webpack_unused_export__ = EnableTopicRuleRequest$;
__webpack_unused_export__ = EncryptionType;
__webpack_unused_export__ = ErrorInfo$;
__webpack_unused_export__ = EventType;
__webpack_unused_export__ = ExplicitDeny$;
__webpack_unused_export__ = ExponentialRolloutRate$;
__webpack_unused_export__ = Field$;
__webpack_unused_export__ = FieldType;
__webpack_unused_export__ = FileLocation$;
__webpack_unused_export__ = FirehoseAction$;
__webpack_unused_export__ = FleetIndexingApi;
__webpack_unused_export__ = FleetMetricNameAndArn$;
__webpack_unused_export__ = FleetMetricUnit;
__webpack_unused_export__ = GeoLocationTarget$;
__webpack_unused_export__ = GetBehaviorModelTrainingSummaries$;
__webpack_unused_export__ = GetBehaviorModelTrainingSummariesCommand;
__webpack_unused_export__ = GetBehaviorModelTrainingSummariesRequest$;
__webpack_unused_export__ = GetBehaviorModelTrainingSummariesResponse$;
__webpack_unused_export__ = GetBucketsAggregation$;
__webpack_unused_export__ = GetBucketsAggregationCommand;
__webpack_unused_export__ = GetBucketsAggregationRequest$;
__webpack_unused_export__ = GetBucketsAggregationResponse$;
__webpack_unused_export__ = GetCardinality$;
__webpack_unused_export__ = GetCardinalityCommand;
__webpack_unused_export__ = GetCardinalityRequest$;
__webpack_unused_export__ = GetCardinalityResponse$;
__webpack_unused_export__ = GetCommand$;
__webpack_unused_export__ = GetCommandCommand;
__webpack_unused_export__ = GetCommandExecution$;
__webpack_unused_export__ = GetCommandExecutionCommand;
__webpack_unused_export__ = GetCommandExecutionRequest$;
__webpack_unused_export__ = GetCommandExecutionResponse$;
__webpack_unused_export__ = GetCommandRequest$;
__webpack_unused_export__ = GetCommandResponse$;
__webpack_unused_export__ = GetEffectivePolicies$;
__webpack_unused_export__ = GetEffectivePoliciesCommand;
__webpack_unused_export__ = GetEffectivePoliciesRequest$;
__webpack_unused_export__ = GetEffectivePoliciesResponse$;
__webpack_unused_export__ = GetIndexingConfiguration$;
__webpack_unused_export__ = GetIndexingConfigurationCommand;
__webpack_unused_export__ = GetIndexingConfigurationRequest$;
__webpack_unused_export__ = GetIndexingConfigurationResponse$;
__webpack_unused_export__ = GetJobDocument$;
__webpack_unused_export__ = GetJobDocumentCommand;
__webpack_unused_export__ = GetJobDocumentRequest$;
__webpack_unused_export__ = GetJobDocumentResponse$;
__webpack_unused_export__ = GetLoggingOptions$;
__webpack_unused_export__ = GetLoggingOptionsCommand;
__webpack_unused_export__ = GetLoggingOptionsRequest$;
__webpack_unused_export__ = GetLoggingOptionsResponse$;
__webpack_unused_export__ = GetOTAUpdate$;
exports.rk0 = GetOTAUpdateCommand;
__webpack_unused_export__ = GetOTAUpdateRequest$;
__webpack_unused_export__ = GetOTAUpdateResponse$;
__webpack_unused_export__ = GetPackage$;
__webpack_unused_export__ = GetPackageCommand;
__webpack_unused_export__ = GetPackageConfiguration$;
__webpack_unused_export__ = GetPackageConfigurationCommand;
__webpack_unused_export__ = GetPackageConfigurationRequest$;
__webpack_unused_export__ = GetPackageConfigurationResponse$;
__webpack_unused_export__ = GetPackageRequest$;
__webpack_unused_export__ = GetPackageResponse$;
__webpack_unused_export__ = GetPackageVersion$;
__webpack_unused_export__ = GetPackageVersionCommand;
__webpack_unused_export__ = GetPackageVersionRequest$;
__webpack_unused_export__ = GetPackageVersionResponse$;
__webpack_unused_export__ = GetPercentiles$;
__webpack_unused_export__ = GetPercentilesCommand;
__webpack_unused_export__ = GetPercentilesRequest$;
__webpack_unused_export__ = GetPercentilesResponse$;
__webpack_unused_export__ = GetPolicy$;
__webpack_unused_export__ = GetPolicyCommand;
__webpack_unused_export__ = GetPolicyRequest$;
__webpack_unused_export__ = GetPolicyResponse$;
__webpack_unused_export__ = GetPolicyVersion$;
__webpack_unused_export__ = GetPolicyVersionCommand;
__webpack_unused_export__ = GetPolicyVersionRequest$;
__webpack_unused_export__ = GetPolicyVersionResponse$;
__webpack_unused_export__ = GetRegistrationCode$;
__webpack_unused_export__ = GetRegistrationCodeCommand;
__webpack_unused_export__ = GetRegistrationCodeRequest$;
__webpack_unused_export__ = GetRegistrationCodeResponse$;
__webpack_unused_export__ = GetStatistics$;
__webpack_unused_export__ = GetStatisticsCommand;
__webpack_unused_export__ = GetStatisticsRequest$;
__webpack_unused_export__ = GetStatisticsResponse$;
__webpack_unused_export__ = GetThingConnectivityData$;
__webpack_unused_export__ = GetThingConnectivityDataCommand;
__webpack_unused_export__ = GetThingConnectivityDataRequest$;
__webpack_unused_export__ = GetThingConnectivityDataResponse$;
__webpack_unused_export__ = GetTopicRule$;
__webpack_unused_export__ = GetTopicRuleCommand;
__webpack_unused_export__ = GetTopicRuleDestination$;
__webpack_unused_export__ = GetTopicRuleDestinationCommand;
__webpack_unused_export__ = GetTopicRuleDestinationRequest$;
__webpack_unused_export__ = GetTopicRuleDestinationResponse$;
__webpack_unused_export__ = GetTopicRuleRequest$;
__webpack_unused_export__ = GetTopicRuleResponse$;
__webpack_unused_export__ = GetV2LoggingOptions$;
__webpack_unused_export__ = GetV2LoggingOptionsCommand;
__webpack_unused_export__ = GetV2LoggingOptionsRequest$;
__webpack_unused_export__ = GetV2LoggingOptionsResponse$;
__webpack_unused_export__ = GroupNameAndArn$;
__webpack_unused_export__ = HttpAction$;
__webpack_unused_export__ = HttpActionHeader$;
__webpack_unused_export__ = HttpAuthorization$;
__webpack_unused_export__ = HttpContext$;
__webpack_unused_export__ = HttpUrlDestinationConfiguration$;
__webpack_unused_export__ = HttpUrlDestinationProperties$;
__webpack_unused_export__ = HttpUrlDestinationSummary$;
__webpack_unused_export__ = ImplicitDeny$;
__webpack_unused_export__ = IndexNotReadyException;
__webpack_unused_export__ = IndexNotReadyException$;
__webpack_unused_export__ = IndexStatus;
__webpack_unused_export__ = IndexingFilter$;
__webpack_unused_export__ = InfluxDBAction$;
__webpack_unused_export__ = InfluxDBBatchConfig$;
__webpack_unused_export__ = InfluxDBDestinationConfiguration$;
__webpack_unused_export__ = InfluxDBDestinationProperties$;
__webpack_unused_export__ = InfluxDBDestinationSummary$;
__webpack_unused_export__ = InfluxDBSecretType;
__webpack_unused_export__ = InfluxDBTimestampUnit;
__webpack_unused_export__ = InfluxDBVersion;
__webpack_unused_export__ = InternalException;
__webpack_unused_export__ = InternalException$;
__webpack_unused_export__ = InternalFailureException;
__webpack_unused_export__ = InternalFailureException$;
__webpack_unused_export__ = InternalServerException;
__webpack_unused_export__ = InternalServerException$;
__webpack_unused_export__ = InvalidAggregationException;
__webpack_unused_export__ = InvalidAggregationException$;
__webpack_unused_export__ = InvalidQueryException;
__webpack_unused_export__ = InvalidQueryException$;
__webpack_unused_export__ = InvalidRequestException;
__webpack_unused_export__ = InvalidRequestException$;
__webpack_unused_export__ = InvalidResponseException;
__webpack_unused_export__ = InvalidResponseException$;
__webpack_unused_export__ = InvalidStateTransitionException;
__webpack_unused_export__ = InvalidStateTransitionException$;
__webpack_unused_export__ = IoT;
exports.CgZ = IoTClient;
__webpack_unused_export__ = IoTServiceException;
__webpack_unused_export__ = IoTServiceException$;
__webpack_unused_export__ = IotAnalyticsAction$;
__webpack_unused_export__ = IotEventsAction$;
__webpack_unused_export__ = IotSiteWiseAction$;
__webpack_unused_export__ = IssuerCertificateIdentifier$;
__webpack_unused_export__ = Job$;
__webpack_unused_export__ = JobEndBehavior;
__webpack_unused_export__ = JobExecution$;
__webpack_unused_export__ = JobExecutionFailureType;
__webpack_unused_export__ = JobExecutionStatus;
__webpack_unused_export__ = JobExecutionStatusDetails$;
__webpack_unused_export__ = JobExecutionSummary$;
__webpack_unused_export__ = JobExecutionSummaryForJob$;
__webpack_unused_export__ = JobExecutionSummaryForThing$;
__webpack_unused_export__ = JobExecutionsRetryConfig$;
__webpack_unused_export__ = JobExecutionsRolloutConfig$;
__webpack_unused_export__ = JobProcessDetails$;
__webpack_unused_export__ = JobStatus;
__webpack_unused_export__ = JobSummary$;
__webpack_unused_export__ = JobTemplateSummary$;
__webpack_unused_export__ = KafkaAction$;
__webpack_unused_export__ = KafkaActionHeader$;
__webpack_unused_export__ = KeyPair$;
__webpack_unused_export__ = KinesisAction$;
__webpack_unused_export__ = LambdaAction$;
__webpack_unused_export__ = LimitExceededException;
__webpack_unused_export__ = LimitExceededException$;
__webpack_unused_export__ = ListActiveViolations$;
__webpack_unused_export__ = ListActiveViolationsCommand;
__webpack_unused_export__ = ListActiveViolationsRequest$;
__webpack_unused_export__ = ListActiveViolationsResponse$;
__webpack_unused_export__ = ListAttachedPolicies$;
__webpack_unused_export__ = ListAttachedPoliciesCommand;
__webpack_unused_export__ = ListAttachedPoliciesRequest$;
__webpack_unused_export__ = ListAttachedPoliciesResponse$;
__webpack_unused_export__ = ListAuditFindings$;
__webpack_unused_export__ = ListAuditFindingsCommand;
__webpack_unused_export__ = ListAuditFindingsRequest$;
__webpack_unused_export__ = ListAuditFindingsResponse$;
__webpack_unused_export__ = ListAuditMitigationActionsExecutions$;
__webpack_unused_export__ = ListAuditMitigationActionsExecutionsCommand;
__webpack_unused_export__ = ListAuditMitigationActionsExecutionsRequest$;
__webpack_unused_export__ = ListAuditMitigationActionsExecutionsResponse$;
__webpack_unused_export__ = ListAuditMitigationActionsTasks$;
__webpack_unused_export__ = ListAuditMitigationActionsTasksCommand;
__webpack_unused_export__ = ListAuditMitigationActionsTasksRequest$;
__webpack_unused_export__ = ListAuditMitigationActionsTasksResponse$;
__webpack_unused_export__ = ListAuditSuppressions$;
__webpack_unused_export__ = ListAuditSuppressionsCommand;
__webpack_unused_export__ = ListAuditSuppressionsRequest$;
__webpack_unused_export__ = ListAuditSuppressionsResponse$;
__webpack_unused_export__ = ListAuditTasks$;
__webpack_unused_export__ = ListAuditTasksCommand;
__webpack_unused_export__ = ListAuditTasksRequest$;
__webpack_unused_export__ = ListAuditTasksResponse$;
__webpack_unused_export__ = ListAuthorizers$;
__webpack_unused_export__ = ListAuthorizersCommand;
__webpack_unused_export__ = ListAuthorizersRequest$;
__webpack_unused_export__ = ListAuthorizersResponse$;
__webpack_unused_export__ = ListBillingGroups$;
__webpack_unused_export__ = ListBillingGroupsCommand;
__webpack_unused_export__ = ListBillingGroupsRequest$;
__webpack_unused_export__ = ListBillingGroupsResponse$;
__webpack_unused_export__ = ListCACertificates$;
__webpack_unused_export__ = ListCACertificatesCommand;
__webpack_unused_export__ = ListCACertificatesRequest$;
__webpack_unused_export__ = ListCACertificatesResponse$;
__webpack_unused_export__ = ListCertificateProviders$;
__webpack_unused_export__ = ListCertificateProvidersCommand;
__webpack_unused_export__ = ListCertificateProvidersRequest$;
__webpack_unused_export__ = ListCertificateProvidersResponse$;
__webpack_unused_export__ = ListCertificates$;
__webpack_unused_export__ = ListCertificatesByCA$;
__webpack_unused_export__ = ListCertificatesByCACommand;
__webpack_unused_export__ = ListCertificatesByCARequest$;
__webpack_unused_export__ = ListCertificatesByCAResponse$;
__webpack_unused_export__ = ListCertificatesCommand;
__webpack_unused_export__ = ListCertificatesRequest$;
__webpack_unused_export__ = ListCertificatesResponse$;
__webpack_unused_export__ = ListCommandExecutions$;
__webpack_unused_export__ = ListCommandExecutionsCommand;
__webpack_unused_export__ = ListCommandExecutionsRequest$;
__webpack_unused_export__ = ListCommandExecutionsResponse$;
__webpack_unused_export__ = ListCommands$;
__webpack_unused_export__ = ListCommandsCommand;
__webpack_unused_export__ = ListCommandsRequest$;
__webpack_unused_export__ = ListCommandsResponse$;
__webpack_unused_export__ = ListCustomMetrics$;
__webpack_unused_export__ = ListCustomMetricsCommand;
__webpack_unused_export__ = ListCustomMetricsRequest$;
__webpack_unused_export__ = ListCustomMetricsResponse$;
__webpack_unused_export__ = ListDetectMitigationActionsExecutions$;
__webpack_unused_export__ = ListDetectMitigationActionsExecutionsCommand;
__webpack_unused_export__ = ListDetectMitigationActionsExecutionsRequest$;
__webpack_unused_export__ = ListDetectMitigationActionsExecutionsResponse$;
__webpack_unused_export__ = ListDetectMitigationActionsTasks$;
__webpack_unused_export__ = ListDetectMitigationActionsTasksCommand;
__webpack_unused_export__ = ListDetectMitigationActionsTasksRequest$;
__webpack_unused_export__ = ListDetectMitigationActionsTasksResponse$;
__webpack_unused_export__ = ListDimensions$;
__webpack_unused_export__ = ListDimensionsCommand;
__webpack_unused_export__ = ListDimensionsRequest$;
__webpack_unused_export__ = ListDimensionsResponse$;
__webpack_unused_export__ = ListDomainConfigurations$;
__webpack_unused_export__ = ListDomainConfigurationsCommand;
__webpack_unused_export__ = ListDomainConfigurationsRequest$;
__webpack_unused_export__ = ListDomainConfigurationsResponse$;
__webpack_unused_export__ = ListFleetMetrics$;
__webpack_unused_export__ = ListFleetMetricsCommand;
__webpack_unused_export__ = ListFleetMetricsRequest$;
__webpack_unused_export__ = ListFleetMetricsResponse$;
__webpack_unused_export__ = ListIndices$;
__webpack_unused_export__ = ListIndicesCommand;
__webpack_unused_export__ = ListIndicesRequest$;
__webpack_unused_export__ = ListIndicesResponse$;
__webpack_unused_export__ = ListJobExecutionsForJob$;
__webpack_unused_export__ = ListJobExecutionsForJobCommand;
__webpack_unused_export__ = ListJobExecutionsForJobRequest$;
__webpack_unused_export__ = ListJobExecutionsForJobResponse$;
__webpack_unused_export__ = ListJobExecutionsForThing$;
__webpack_unused_export__ = ListJobExecutionsForThingCommand;
__webpack_unused_export__ = ListJobExecutionsForThingRequest$;
__webpack_unused_export__ = ListJobExecutionsForThingResponse$;
__webpack_unused_export__ = ListJobTemplates$;
__webpack_unused_export__ = ListJobTemplatesCommand;
__webpack_unused_export__ = ListJobTemplatesRequest$;
__webpack_unused_export__ = ListJobTemplatesResponse$;
__webpack_unused_export__ = ListJobs$;
__webpack_unused_export__ = ListJobsCommand;
__webpack_unused_export__ = ListJobsRequest$;
__webpack_unused_export__ = ListJobsResponse$;
__webpack_unused_export__ = ListManagedJobTemplates$;
__webpack_unused_export__ = ListManagedJobTemplatesCommand;
__webpack_unused_export__ = ListManagedJobTemplatesRequest$;
__webpack_unused_export__ = ListManagedJobTemplatesResponse$;
__webpack_unused_export__ = ListMetricValues$;
__webpack_unused_export__ = ListMetricValuesCommand;
__webpack_unused_export__ = ListMetricValuesRequest$;
__webpack_unused_export__ = ListMetricValuesResponse$;
__webpack_unused_export__ = ListMitigationActions$;
__webpack_unused_export__ = ListMitigationActionsCommand;
__webpack_unused_export__ = ListMitigationActionsRequest$;
__webpack_unused_export__ = ListMitigationActionsResponse$;
__webpack_unused_export__ = ListOTAUpdates$;
__webpack_unused_export__ = ListOTAUpdatesCommand;
__webpack_unused_export__ = ListOTAUpdatesRequest$;
__webpack_unused_export__ = ListOTAUpdatesResponse$;
__webpack_unused_export__ = ListOutgoingCertificates$;
__webpack_unused_export__ = ListOutgoingCertificatesCommand;
__webpack_unused_export__ = ListOutgoingCertificatesRequest$;
__webpack_unused_export__ = ListOutgoingCertificatesResponse$;
__webpack_unused_export__ = ListPackageVersions$;
__webpack_unused_export__ = ListPackageVersionsCommand;
__webpack_unused_export__ = ListPackageVersionsRequest$;
__webpack_unused_export__ = ListPackageVersionsResponse$;
__webpack_unused_export__ = ListPackages$;
__webpack_unused_export__ = ListPackagesCommand;
__webpack_unused_export__ = ListPackagesRequest$;
__webpack_unused_export__ = ListPackagesResponse$;
__webpack_unused_export__ = ListPolicies$;
__webpack_unused_export__ = ListPoliciesCommand;
__webpack_unused_export__ = ListPoliciesRequest$;
__webpack_unused_export__ = ListPoliciesResponse$;
__webpack_unused_export__ = ListPolicyPrincipals$;
__webpack_unused_export__ = ListPolicyPrincipalsCommand;
__webpack_unused_export__ = ListPolicyPrincipalsRequest$;
__webpack_unused_export__ = ListPolicyPrincipalsResponse$;
__webpack_unused_export__ = ListPolicyVersions$;
__webpack_unused_export__ = ListPolicyVersionsCommand;
__webpack_unused_export__ = ListPolicyVersionsRequest$;
__webpack_unused_export__ = ListPolicyVersionsResponse$;
__webpack_unused_export__ = ListPrincipalPolicies$;
__webpack_unused_export__ = ListPrincipalPoliciesCommand;
__webpack_unused_export__ = ListPrincipalPoliciesRequest$;
__webpack_unused_export__ = ListPrincipalPoliciesResponse$;
__webpack_unused_export__ = ListPrincipalThings$;
__webpack_unused_export__ = ListPrincipalThingsCommand;
__webpack_unused_export__ = ListPrincipalThingsRequest$;
__webpack_unused_export__ = ListPrincipalThingsResponse$;
__webpack_unused_export__ = ListPrincipalThingsV2$;
__webpack_unused_export__ = ListPrincipalThingsV2Command;
__webpack_unused_export__ = ListPrincipalThingsV2Request$;
__webpack_unused_export__ = ListPrincipalThingsV2Response$;
__webpack_unused_export__ = ListProvisioningTemplateVersions$;
__webpack_unused_export__ = ListProvisioningTemplateVersionsCommand;
__webpack_unused_export__ = ListProvisioningTemplateVersionsRequest$;
__webpack_unused_export__ = ListProvisioningTemplateVersionsResponse$;
__webpack_unused_export__ = ListProvisioningTemplates$;
__webpack_unused_export__ = ListProvisioningTemplatesCommand;
__webpack_unused_export__ = ListProvisioningTemplatesRequest$;
__webpack_unused_export__ = ListProvisioningTemplatesResponse$;
__webpack_unused_export__ = ListRelatedResourcesForAuditFinding$;
__webpack_unused_export__ = ListRelatedResourcesForAuditFindingCommand;
__webpack_unused_export__ = ListRelatedResourcesForAuditFindingRequest$;
__webpack_unused_export__ = ListRelatedResourcesForAuditFindingResponse$;
__webpack_unused_export__ = ListRoleAliases$;
__webpack_unused_export__ = ListRoleAliasesCommand;
__webpack_unused_export__ = ListRoleAliasesRequest$;
__webpack_unused_export__ = ListRoleAliasesResponse$;
__webpack_unused_export__ = ListSbomValidationResults$;
__webpack_unused_export__ = ListSbomValidationResultsCommand;
__webpack_unused_export__ = ListSbomValidationResultsRequest$;
__webpack_unused_export__ = ListSbomValidationResultsResponse$;
__webpack_unused_export__ = ListScheduledAudits$;
__webpack_unused_export__ = ListScheduledAuditsCommand;
__webpack_unused_export__ = ListScheduledAuditsRequest$;
__webpack_unused_export__ = ListScheduledAuditsResponse$;
__webpack_unused_export__ = ListSecurityProfiles$;
__webpack_unused_export__ = ListSecurityProfilesCommand;
__webpack_unused_export__ = ListSecurityProfilesForTarget$;
__webpack_unused_export__ = ListSecurityProfilesForTargetCommand;
__webpack_unused_export__ = ListSecurityProfilesForTargetRequest$;
__webpack_unused_export__ = ListSecurityProfilesForTargetResponse$;
__webpack_unused_export__ = ListSecurityProfilesRequest$;
__webpack_unused_export__ = ListSecurityProfilesResponse$;
__webpack_unused_export__ = ListStreams$;
__webpack_unused_export__ = ListStreamsCommand;
__webpack_unused_export__ = ListStreamsRequest$;
__webpack_unused_export__ = ListStreamsResponse$;
__webpack_unused_export__ = ListTagsForResource$;
__webpack_unused_export__ = ListTagsForResourceCommand;
__webpack_unused_export__ = ListTagsForResourceRequest$;
__webpack_unused_export__ = ListTagsForResourceResponse$;
__webpack_unused_export__ = ListTargetsForPolicy$;
__webpack_unused_export__ = ListTargetsForPolicyCommand;
__webpack_unused_export__ = ListTargetsForPolicyRequest$;
__webpack_unused_export__ = ListTargetsForPolicyResponse$;
__webpack_unused_export__ = ListTargetsForSecurityProfile$;
__webpack_unused_export__ = ListTargetsForSecurityProfileCommand;
__webpack_unused_export__ = ListTargetsForSecurityProfileRequest$;
__webpack_unused_export__ = ListTargetsForSecurityProfileResponse$;
__webpack_unused_export__ = ListThingGroups$;
__webpack_unused_export__ = ListThingGroupsCommand;
__webpack_unused_export__ = ListThingGroupsForThing$;
__webpack_unused_export__ = ListThingGroupsForThingCommand;
__webpack_unused_export__ = ListThingGroupsForThingRequest$;
__webpack_unused_export__ = ListThingGroupsForThingResponse$;
__webpack_unused_export__ = ListThingGroupsRequest$;
__webpack_unused_export__ = ListThingGroupsResponse$;
__webpack_unused_export__ = ListThingPrincipals$;
__webpack_unused_export__ = ListThingPrincipalsCommand;
__webpack_unused_export__ = ListThingPrincipalsRequest$;
__webpack_unused_export__ = ListThingPrincipalsResponse$;
__webpack_unused_export__ = ListThingPrincipalsV2$;
__webpack_unused_export__ = ListThingPrincipalsV2Command;
__webpack_unused_export__ = ListThingPrincipalsV2Request$;
__webpack_unused_export__ = ListThingPrincipalsV2Response$;
__webpack_unused_export__ = ListThingRegistrationTaskReports$;
__webpack_unused_export__ = ListThingRegistrationTaskReportsCommand;
__webpack_unused_export__ = ListThingRegistrationTaskReportsRequest$;
__webpack_unused_export__ = ListThingRegistrationTaskReportsResponse$;
__webpack_unused_export__ = ListThingRegistrationTasks$;
__webpack_unused_export__ = ListThingRegistrationTasksCommand;
__webpack_unused_export__ = ListThingRegistrationTasksRequest$;
__webpack_unused_export__ = ListThingRegistrationTasksResponse$;
__webpack_unused_export__ = ListThingTypes$;
__webpack_unused_export__ = ListThingTypesCommand;
__webpack_unused_export__ = ListThingTypesRequest$;
__webpack_unused_export__ = ListThingTypesResponse$;
__webpack_unused_export__ = ListThings$;
__webpack_unused_export__ = ListThingsCommand;
__webpack_unused_export__ = ListThingsInBillingGroup$;
__webpack_unused_export__ = ListThingsInBillingGroupCommand;
__webpack_unused_export__ = ListThingsInBillingGroupRequest$;
__webpack_unused_export__ = ListThingsInBillingGroupResponse$;
__webpack_unused_export__ = ListThingsInThingGroup$;
__webpack_unused_export__ = ListThingsInThingGroupCommand;
__webpack_unused_export__ = ListThingsInThingGroupRequest$;
__webpack_unused_export__ = ListThingsInThingGroupResponse$;
__webpack_unused_export__ = ListThingsRequest$;
__webpack_unused_export__ = ListThingsResponse$;
__webpack_unused_export__ = ListTopicRuleDestinations$;
__webpack_unused_export__ = ListTopicRuleDestinationsCommand;
__webpack_unused_export__ = ListTopicRuleDestinationsRequest$;
__webpack_unused_export__ = ListTopicRuleDestinationsResponse$;
__webpack_unused_export__ = ListTopicRules$;
__webpack_unused_export__ = ListTopicRulesCommand;
__webpack_unused_export__ = ListTopicRulesRequest$;
__webpack_unused_export__ = ListTopicRulesResponse$;
__webpack_unused_export__ = ListV2LoggingLevels$;
__webpack_unused_export__ = ListV2LoggingLevelsCommand;
__webpack_unused_export__ = ListV2LoggingLevelsRequest$;
__webpack_unused_export__ = ListV2LoggingLevelsResponse$;
__webpack_unused_export__ = ListViolationEvents$;
__webpack_unused_export__ = ListViolationEventsCommand;
__webpack_unused_export__ = ListViolationEventsRequest$;
__webpack_unused_export__ = ListViolationEventsResponse$;
__webpack_unused_export__ = LocationAction$;
__webpack_unused_export__ = LocationTimestamp$;
__webpack_unused_export__ = LogEventConfiguration$;
__webpack_unused_export__ = LogLevel;
__webpack_unused_export__ = LogTarget$;
__webpack_unused_export__ = LogTargetConfiguration$;
__webpack_unused_export__ = LogTargetType;
__webpack_unused_export__ = LoggingOptionsPayload$;
__webpack_unused_export__ = MachineLearningDetectionConfig$;
__webpack_unused_export__ = MaintenanceWindow$;
__webpack_unused_export__ = MalformedPolicyException;
__webpack_unused_export__ = MalformedPolicyException$;
__webpack_unused_export__ = ManagedJobTemplateSummary$;
__webpack_unused_export__ = MessageFormat;
__webpack_unused_export__ = MetricDatum$;
__webpack_unused_export__ = MetricDimension$;
__webpack_unused_export__ = MetricToRetain$;
__webpack_unused_export__ = MetricValue$;
__webpack_unused_export__ = MetricsExportConfig$;
__webpack_unused_export__ = MitigationAction$;
__webpack_unused_export__ = MitigationActionIdentifier$;
__webpack_unused_export__ = MitigationActionParams$;
__webpack_unused_export__ = MitigationActionType;
__webpack_unused_export__ = ModelStatus;
__webpack_unused_export__ = Mqtt5Configuration$;
__webpack_unused_export__ = MqttContext$;
__webpack_unused_export__ = MqttHeaders$;
__webpack_unused_export__ = NamedShadowIndexingMode;
__webpack_unused_export__ = NonCompliantResource$;
__webpack_unused_export__ = NotConfiguredException;
__webpack_unused_export__ = NotConfiguredException$;
__webpack_unused_export__ = OTAUpdateFile$;
__webpack_unused_export__ = OTAUpdateInfo$;
__webpack_unused_export__ = OTAUpdateStatus;
__webpack_unused_export__ = OTAUpdateSummary$;
__webpack_unused_export__ = OpenSearchAction$;
__webpack_unused_export__ = OutgoingCertificate$;
__webpack_unused_export__ = OutputFormat;
__webpack_unused_export__ = PackageSummary$;
__webpack_unused_export__ = PackageVersionAction;
__webpack_unused_export__ = PackageVersionArtifact$;
__webpack_unused_export__ = PackageVersionStatus;
__webpack_unused_export__ = PackageVersionSummary$;
__webpack_unused_export__ = PercentPair$;
__webpack_unused_export__ = Policy$;
__webpack_unused_export__ = PolicyTemplateName;
__webpack_unused_export__ = PolicyVersion$;
__webpack_unused_export__ = PolicyVersionIdentifier$;
__webpack_unused_export__ = PresignedUrlConfig$;
__webpack_unused_export__ = PrincipalThingObject$;
__webpack_unused_export__ = PropagatingAttribute$;
__webpack_unused_export__ = Protocol;
__webpack_unused_export__ = ProvisioningHook$;
__webpack_unused_export__ = ProvisioningTemplateSummary$;
__webpack_unused_export__ = ProvisioningTemplateVersionSummary$;
__webpack_unused_export__ = PublishFindingToSnsParams$;
__webpack_unused_export__ = PutAssetPropertyValueEntry$;
__webpack_unused_export__ = PutItemInput$;
__webpack_unused_export__ = PutVerificationStateOnViolation$;
__webpack_unused_export__ = PutVerificationStateOnViolationCommand;
__webpack_unused_export__ = PutVerificationStateOnViolationRequest$;
__webpack_unused_export__ = PutVerificationStateOnViolationResponse$;
__webpack_unused_export__ = RateIncreaseCriteria$;
__webpack_unused_export__ = RegisterCACertificate$;
__webpack_unused_export__ = RegisterCACertificateCommand;
__webpack_unused_export__ = RegisterCACertificateRequest$;
__webpack_unused_export__ = RegisterCACertificateResponse$;
__webpack_unused_export__ = RegisterCertificate$;
__webpack_unused_export__ = RegisterCertificateCommand;
__webpack_unused_export__ = RegisterCertificateRequest$;
__webpack_unused_export__ = RegisterCertificateResponse$;
__webpack_unused_export__ = RegisterCertificateWithoutCA$;
__webpack_unused_export__ = RegisterCertificateWithoutCACommand;
__webpack_unused_export__ = RegisterCertificateWithoutCARequest$;
__webpack_unused_export__ = RegisterCertificateWithoutCAResponse$;
__webpack_unused_export__ = RegisterThing$;
__webpack_unused_export__ = RegisterThingCommand;
__webpack_unused_export__ = RegisterThingRequest$;
__webpack_unused_export__ = RegisterThingResponse$;
__webpack_unused_export__ = RegistrationCodeValidationException;
__webpack_unused_export__ = RegistrationCodeValidationException$;
__webpack_unused_export__ = RegistrationConfig$;
__webpack_unused_export__ = RejectCertificateTransfer$;
__webpack_unused_export__ = RejectCertificateTransferCommand;
__webpack_unused_export__ = RejectCertificateTransferRequest$;
__webpack_unused_export__ = RelatedResource$;
__webpack_unused_export__ = RemoveThingFromBillingGroup$;
__webpack_unused_export__ = RemoveThingFromBillingGroupCommand;
__webpack_unused_export__ = RemoveThingFromBillingGroupRequest$;
__webpack_unused_export__ = RemoveThingFromBillingGroupResponse$;
__webpack_unused_export__ = RemoveThingFromThingGroup$;
__webpack_unused_export__ = RemoveThingFromThingGroupCommand;
__webpack_unused_export__ = RemoveThingFromThingGroupRequest$;
__webpack_unused_export__ = RemoveThingFromThingGroupResponse$;
__webpack_unused_export__ = ReplaceDefaultPolicyVersionParams$;
__webpack_unused_export__ = ReplaceTopicRule$;
__webpack_unused_export__ = ReplaceTopicRuleCommand;
__webpack_unused_export__ = ReplaceTopicRuleRequest$;
__webpack_unused_export__ = ReportType;
__webpack_unused_export__ = RepublishAction$;
__webpack_unused_export__ = ResourceAlreadyExistsException;
__webpack_unused_export__ = ResourceAlreadyExistsException$;
__webpack_unused_export__ = ResourceIdentifier$;
__webpack_unused_export__ = ResourceNotFoundException;
__webpack_unused_export__ = ResourceNotFoundException$;
__webpack_unused_export__ = ResourceRegistrationFailureException;
__webpack_unused_export__ = ResourceRegistrationFailureException$;
__webpack_unused_export__ = ResourceType;
__webpack_unused_export__ = RetryCriteria$;
__webpack_unused_export__ = RetryableFailureType;
__webpack_unused_export__ = RoleAliasDescription$;
__webpack_unused_export__ = S3Action$;
__webpack_unused_export__ = S3Destination$;
__webpack_unused_export__ = S3Location$;
__webpack_unused_export__ = SalesforceAction$;
__webpack_unused_export__ = Sbom$;
__webpack_unused_export__ = SbomValidationErrorCode;
__webpack_unused_export__ = SbomValidationResult;
__webpack_unused_export__ = SbomValidationResultSummary$;
__webpack_unused_export__ = SbomValidationStatus;
__webpack_unused_export__ = ScheduledAuditMetadata$;
__webpack_unused_export__ = ScheduledJobRollout$;
__webpack_unused_export__ = SchedulingConfig$;
__webpack_unused_export__ = SearchIndex$;
__webpack_unused_export__ = SearchIndexCommand;
__webpack_unused_export__ = SearchIndexRequest$;
__webpack_unused_export__ = SearchIndexResponse$;
__webpack_unused_export__ = SecurityProfileIdentifier$;
__webpack_unused_export__ = SecurityProfileTarget$;
__webpack_unused_export__ = SecurityProfileTargetMapping$;
__webpack_unused_export__ = ServerCertificateConfig$;
__webpack_unused_export__ = ServerCertificateStatus;
__webpack_unused_export__ = ServerCertificateSummary$;
__webpack_unused_export__ = ServiceQuotaExceededException;
__webpack_unused_export__ = ServiceQuotaExceededException$;
__webpack_unused_export__ = ServiceType;
__webpack_unused_export__ = ServiceUnavailableException;
__webpack_unused_export__ = ServiceUnavailableException$;
__webpack_unused_export__ = SetDefaultAuthorizer$;
__webpack_unused_export__ = SetDefaultAuthorizerCommand;
__webpack_unused_export__ = SetDefaultAuthorizerRequest$;
__webpack_unused_export__ = SetDefaultAuthorizerResponse$;
__webpack_unused_export__ = SetDefaultPolicyVersion$;
__webpack_unused_export__ = SetDefaultPolicyVersionCommand;
__webpack_unused_export__ = SetDefaultPolicyVersionRequest$;
__webpack_unused_export__ = SetLoggingOptions$;
__webpack_unused_export__ = SetLoggingOptionsCommand;
__webpack_unused_export__ = SetLoggingOptionsRequest$;
__webpack_unused_export__ = SetV2LoggingLevel$;
__webpack_unused_export__ = SetV2LoggingLevelCommand;
__webpack_unused_export__ = SetV2LoggingLevelRequest$;
__webpack_unused_export__ = SetV2LoggingOptions$;
__webpack_unused_export__ = SetV2LoggingOptionsCommand;
__webpack_unused_export__ = SetV2LoggingOptionsRequest$;
__webpack_unused_export__ = SigV4Authorization$;
__webpack_unused_export__ = SigningProfileParameter$;
__webpack_unused_export__ = SnsAction$;
__webpack_unused_export__ = SortOrder;
__webpack_unused_export__ = SqlParseException;
__webpack_unused_export__ = SqlParseException$;
__webpack_unused_export__ = SqsAction$;
__webpack_unused_export__ = StartAuditMitigationActionsTask$;
__webpack_unused_export__ = StartAuditMitigationActionsTaskCommand;
__webpack_unused_export__ = StartAuditMitigationActionsTaskRequest$;
__webpack_unused_export__ = StartAuditMitigationActionsTaskResponse$;
__webpack_unused_export__ = StartDetectMitigationActionsTask$;
__webpack_unused_export__ = StartDetectMitigationActionsTaskCommand;
__webpack_unused_export__ = StartDetectMitigationActionsTaskRequest$;
__webpack_unused_export__ = StartDetectMitigationActionsTaskResponse$;
__webpack_unused_export__ = StartOnDemandAuditTask$;
__webpack_unused_export__ = StartOnDemandAuditTaskCommand;
__webpack_unused_export__ = StartOnDemandAuditTaskRequest$;
__webpack_unused_export__ = StartOnDemandAuditTaskResponse$;
__webpack_unused_export__ = StartSigningJobParameter$;
__webpack_unused_export__ = StartThingRegistrationTask$;
__webpack_unused_export__ = StartThingRegistrationTaskCommand;
__webpack_unused_export__ = StartThingRegistrationTaskRequest$;
__webpack_unused_export__ = StartThingRegistrationTaskResponse$;
__webpack_unused_export__ = StatisticalThreshold$;
__webpack_unused_export__ = Statistics$;
__webpack_unused_export__ = Status;
__webpack_unused_export__ = StatusReason$;
__webpack_unused_export__ = StepFunctionsAction$;
__webpack_unused_export__ = StopThingRegistrationTask$;
__webpack_unused_export__ = StopThingRegistrationTaskCommand;
__webpack_unused_export__ = StopThingRegistrationTaskRequest$;
__webpack_unused_export__ = StopThingRegistrationTaskResponse$;
__webpack_unused_export__ = StreamFile$;
__webpack_unused_export__ = StreamInfo$;
__webpack_unused_export__ = StreamSummary$;
__webpack_unused_export__ = Tag$;
__webpack_unused_export__ = TagResource$;
__webpack_unused_export__ = TagResourceCommand;
__webpack_unused_export__ = TagResourceRequest$;
__webpack_unused_export__ = TagResourceResponse$;
__webpack_unused_export__ = TargetFieldOrder;
__webpack_unused_export__ = TargetSelection;
__webpack_unused_export__ = TaskAlreadyExistsException;
__webpack_unused_export__ = TaskAlreadyExistsException$;
__webpack_unused_export__ = TaskStatistics$;
__webpack_unused_export__ = TaskStatisticsForAuditCheck$;
__webpack_unused_export__ = TemplateType;
__webpack_unused_export__ = TermsAggregation$;
__webpack_unused_export__ = TestAuthorization$;
__webpack_unused_export__ = TestAuthorizationCommand;
__webpack_unused_export__ = TestAuthorizationRequest$;
__webpack_unused_export__ = TestAuthorizationResponse$;
__webpack_unused_export__ = TestInvokeAuthorizer$;
__webpack_unused_export__ = TestInvokeAuthorizerCommand;
__webpack_unused_export__ = TestInvokeAuthorizerRequest$;
__webpack_unused_export__ = TestInvokeAuthorizerResponse$;
__webpack_unused_export__ = ThingAttribute$;
__webpack_unused_export__ = ThingConnectivity$;
__webpack_unused_export__ = ThingConnectivityIndexingMode;
__webpack_unused_export__ = ThingDocument$;
__webpack_unused_export__ = ThingGroupDocument$;
__webpack_unused_export__ = ThingGroupIndexingConfiguration$;
__webpack_unused_export__ = ThingGroupIndexingMode;
__webpack_unused_export__ = ThingGroupMetadata$;
__webpack_unused_export__ = ThingGroupProperties$;
__webpack_unused_export__ = ThingIndexingConfiguration$;
__webpack_unused_export__ = ThingIndexingMode;
__webpack_unused_export__ = ThingPrincipalObject$;
__webpack_unused_export__ = ThingPrincipalType;
__webpack_unused_export__ = ThingTypeDefinition$;
__webpack_unused_export__ = ThingTypeMetadata$;
__webpack_unused_export__ = ThingTypeProperties$;
__webpack_unused_export__ = ThrottlingException;
__webpack_unused_export__ = ThrottlingException$;
__webpack_unused_export__ = TimeFilter$;
__webpack_unused_export__ = TimeoutConfig$;
__webpack_unused_export__ = TimestreamAction$;
__webpack_unused_export__ = TimestreamDimension$;
__webpack_unused_export__ = TimestreamTimestamp$;
__webpack_unused_export__ = TlsConfig$;
__webpack_unused_export__ = TlsContext$;
__webpack_unused_export__ = TopicRule$;
__webpack_unused_export__ = TopicRuleDestination$;
__webpack_unused_export__ = TopicRuleDestinationConfiguration$;
__webpack_unused_export__ = TopicRuleDestinationStatus;
__webpack_unused_export__ = TopicRuleDestinationSummary$;
__webpack_unused_export__ = TopicRuleListItem$;
__webpack_unused_export__ = TopicRulePayload$;
__webpack_unused_export__ = TransferAlreadyCompletedException;
__webpack_unused_export__ = TransferAlreadyCompletedException$;
__webpack_unused_export__ = TransferCertificate$;
__webpack_unused_export__ = TransferCertificateCommand;
__webpack_unused_export__ = TransferCertificateRequest$;
__webpack_unused_export__ = TransferCertificateResponse$;
__webpack_unused_export__ = TransferConflictException;
__webpack_unused_export__ = TransferConflictException$;
__webpack_unused_export__ = TransferData$;
__webpack_unused_export__ = UnauthorizedException;
__webpack_unused_export__ = UnauthorizedException$;
__webpack_unused_export__ = UntagResource$;
__webpack_unused_export__ = UntagResourceCommand;
__webpack_unused_export__ = UntagResourceRequest$;
__webpack_unused_export__ = UntagResourceResponse$;
__webpack_unused_export__ = UpdateAccountAuditConfiguration$;
__webpack_unused_export__ = UpdateAccountAuditConfigurationCommand;
__webpack_unused_export__ = UpdateAccountAuditConfigurationRequest$;
__webpack_unused_export__ = UpdateAccountAuditConfigurationResponse$;
__webpack_unused_export__ = UpdateAuditSuppression$;
__webpack_unused_export__ = UpdateAuditSuppressionCommand;
__webpack_unused_export__ = UpdateAuditSuppressionRequest$;
__webpack_unused_export__ = UpdateAuditSuppressionResponse$;
__webpack_unused_export__ = UpdateAuthorizer$;
__webpack_unused_export__ = UpdateAuthorizerCommand;
__webpack_unused_export__ = UpdateAuthorizerRequest$;
__webpack_unused_export__ = UpdateAuthorizerResponse$;
__webpack_unused_export__ = UpdateBillingGroup$;
__webpack_unused_export__ = UpdateBillingGroupCommand;
__webpack_unused_export__ = UpdateBillingGroupRequest$;
__webpack_unused_export__ = UpdateBillingGroupResponse$;
__webpack_unused_export__ = UpdateCACertificate$;
__webpack_unused_export__ = UpdateCACertificateCommand;
__webpack_unused_export__ = UpdateCACertificateParams$;
__webpack_unused_export__ = UpdateCACertificateRequest$;
__webpack_unused_export__ = UpdateCertificate$;
__webpack_unused_export__ = UpdateCertificateCommand;
__webpack_unused_export__ = UpdateCertificateProvider$;
__webpack_unused_export__ = UpdateCertificateProviderCommand;
__webpack_unused_export__ = UpdateCertificateProviderRequest$;
__webpack_unused_export__ = UpdateCertificateProviderResponse$;
__webpack_unused_export__ = UpdateCertificateRequest$;
__webpack_unused_export__ = UpdateCommand$;
__webpack_unused_export__ = UpdateCommandCommand;
__webpack_unused_export__ = UpdateCommandRequest$;
__webpack_unused_export__ = UpdateCommandResponse$;
__webpack_unused_export__ = UpdateCustomMetric$;
__webpack_unused_export__ = UpdateCustomMetricCommand;
__webpack_unused_export__ = UpdateCustomMetricRequest$;
__webpack_unused_export__ = UpdateCustomMetricResponse$;
__webpack_unused_export__ = UpdateDeviceCertificateParams$;
__webpack_unused_export__ = UpdateDimension$;
__webpack_unused_export__ = UpdateDimensionCommand;
__webpack_unused_export__ = UpdateDimensionRequest$;
__webpack_unused_export__ = UpdateDimensionResponse$;
__webpack_unused_export__ = UpdateDomainConfiguration$;
__webpack_unused_export__ = UpdateDomainConfigurationCommand;
__webpack_unused_export__ = UpdateDomainConfigurationRequest$;
__webpack_unused_export__ = UpdateDomainConfigurationResponse$;
__webpack_unused_export__ = UpdateDynamicThingGroup$;
__webpack_unused_export__ = UpdateDynamicThingGroupCommand;
__webpack_unused_export__ = UpdateDynamicThingGroupRequest$;
__webpack_unused_export__ = UpdateDynamicThingGroupResponse$;
__webpack_unused_export__ = UpdateEncryptionConfiguration$;
__webpack_unused_export__ = UpdateEncryptionConfigurationCommand;
__webpack_unused_export__ = UpdateEncryptionConfigurationRequest$;
__webpack_unused_export__ = UpdateEncryptionConfigurationResponse$;
__webpack_unused_export__ = UpdateEventConfigurations$;
__webpack_unused_export__ = UpdateEventConfigurationsCommand;
__webpack_unused_export__ = UpdateEventConfigurationsRequest$;
__webpack_unused_export__ = UpdateEventConfigurationsResponse$;
__webpack_unused_export__ = UpdateFleetMetric$;
__webpack_unused_export__ = UpdateFleetMetricCommand;
__webpack_unused_export__ = UpdateFleetMetricRequest$;
__webpack_unused_export__ = UpdateIndexingConfiguration$;
__webpack_unused_export__ = UpdateIndexingConfigurationCommand;
__webpack_unused_export__ = UpdateIndexingConfigurationRequest$;
__webpack_unused_export__ = UpdateIndexingConfigurationResponse$;
__webpack_unused_export__ = UpdateJob$;
__webpack_unused_export__ = UpdateJobCommand;
__webpack_unused_export__ = UpdateJobRequest$;
__webpack_unused_export__ = UpdateMitigationAction$;
__webpack_unused_export__ = UpdateMitigationActionCommand;
__webpack_unused_export__ = UpdateMitigationActionRequest$;
__webpack_unused_export__ = UpdateMitigationActionResponse$;
__webpack_unused_export__ = UpdatePackage$;
__webpack_unused_export__ = UpdatePackageCommand;
__webpack_unused_export__ = UpdatePackageConfiguration$;
__webpack_unused_export__ = UpdatePackageConfigurationCommand;
__webpack_unused_export__ = UpdatePackageConfigurationRequest$;
__webpack_unused_export__ = UpdatePackageConfigurationResponse$;
__webpack_unused_export__ = UpdatePackageRequest$;
__webpack_unused_export__ = UpdatePackageResponse$;
__webpack_unused_export__ = UpdatePackageVersion$;
__webpack_unused_export__ = UpdatePackageVersionCommand;
__webpack_unused_export__ = UpdatePackageVersionRequest$;
__webpack_unused_export__ = UpdatePackageVersionResponse$;
__webpack_unused_export__ = UpdateProvisioningTemplate$;
__webpack_unused_export__ = UpdateProvisioningTemplateCommand;
__webpack_unused_export__ = UpdateProvisioningTemplateRequest$;
__webpack_unused_export__ = UpdateProvisioningTemplateResponse$;
__webpack_unused_export__ = UpdateRoleAlias$;
__webpack_unused_export__ = UpdateRoleAliasCommand;
__webpack_unused_export__ = UpdateRoleAliasRequest$;
__webpack_unused_export__ = UpdateRoleAliasResponse$;
__webpack_unused_export__ = UpdateScheduledAudit$;
__webpack_unused_export__ = UpdateScheduledAuditCommand;
__webpack_unused_export__ = UpdateScheduledAuditRequest$;
__webpack_unused_export__ = UpdateScheduledAuditResponse$;
__webpack_unused_export__ = UpdateSecurityProfile$;
__webpack_unused_export__ = UpdateSecurityProfileCommand;
__webpack_unused_export__ = UpdateSecurityProfileRequest$;
__webpack_unused_export__ = UpdateSecurityProfileResponse$;
__webpack_unused_export__ = UpdateStream$;
__webpack_unused_export__ = UpdateStreamCommand;
__webpack_unused_export__ = UpdateStreamRequest$;
__webpack_unused_export__ = UpdateStreamResponse$;
__webpack_unused_export__ = UpdateThing$;
__webpack_unused_export__ = UpdateThingCommand;
__webpack_unused_export__ = UpdateThingGroup$;
__webpack_unused_export__ = UpdateThingGroupCommand;
__webpack_unused_export__ = UpdateThingGroupRequest$;
__webpack_unused_export__ = UpdateThingGroupResponse$;
__webpack_unused_export__ = UpdateThingGroupsForThing$;
__webpack_unused_export__ = UpdateThingGroupsForThingCommand;
__webpack_unused_export__ = UpdateThingGroupsForThingRequest$;
__webpack_unused_export__ = UpdateThingGroupsForThingResponse$;
__webpack_unused_export__ = UpdateThingRequest$;
__webpack_unused_export__ = UpdateThingResponse$;
__webpack_unused_export__ = UpdateThingType$;
__webpack_unused_export__ = UpdateThingTypeCommand;
__webpack_unused_export__ = UpdateThingTypeRequest$;
__webpack_unused_export__ = UpdateThingTypeResponse$;
__webpack_unused_export__ = UpdateTopicRuleDestination$;
__webpack_unused_export__ = UpdateTopicRuleDestinationCommand;
__webpack_unused_export__ = UpdateTopicRuleDestinationRequest$;
__webpack_unused_export__ = UpdateTopicRuleDestinationResponse$;
__webpack_unused_export__ = UserProperty$;
__webpack_unused_export__ = ValidateSecurityProfileBehaviors$;
__webpack_unused_export__ = ValidateSecurityProfileBehaviorsCommand;
__webpack_unused_export__ = ValidateSecurityProfileBehaviorsRequest$;
__webpack_unused_export__ = ValidateSecurityProfileBehaviorsResponse$;
__webpack_unused_export__ = ValidationError$;
__webpack_unused_export__ = ValidationException;
__webpack_unused_export__ = ValidationException$;
__webpack_unused_export__ = VerificationState;
__webpack_unused_export__ = VersionConflictException;
__webpack_unused_export__ = VersionConflictException$;
__webpack_unused_export__ = VersionUpdateByJobsConfig$;
__webpack_unused_export__ = VersionsLimitExceededException;
__webpack_unused_export__ = VersionsLimitExceededException$;
__webpack_unused_export__ = ViolationEvent$;
__webpack_unused_export__ = ViolationEventAdditionalInfo$;
__webpack_unused_export__ = ViolationEventOccurrenceRange$;
__webpack_unused_export__ = ViolationEventType;
__webpack_unused_export__ = VpcDestinationConfiguration$;
__webpack_unused_export__ = VpcDestinationProperties$;
__webpack_unused_export__ = VpcDestinationSummary$;
__webpack_unused_export__ = _Stream$;
__webpack_unused_export__ = errorTypeRegistries;
__webpack_unused_export__ = paginateGetBehaviorModelTrainingSummaries;
__webpack_unused_export__ = paginateListActiveViolations;
__webpack_unused_export__ = paginateListAttachedPolicies;
__webpack_unused_export__ = paginateListAuditFindings;
__webpack_unused_export__ = paginateListAuditMitigationActionsExecutions;
__webpack_unused_export__ = paginateListAuditMitigationActionsTasks;
__webpack_unused_export__ = paginateListAuditSuppressions;
__webpack_unused_export__ = paginateListAuditTasks;
__webpack_unused_export__ = paginateListAuthorizers;
__webpack_unused_export__ = paginateListBillingGroups;
__webpack_unused_export__ = paginateListCACertificates;
__webpack_unused_export__ = paginateListCertificates;
__webpack_unused_export__ = paginateListCertificatesByCA;
__webpack_unused_export__ = paginateListCommandExecutions;
__webpack_unused_export__ = paginateListCommands;
__webpack_unused_export__ = paginateListCustomMetrics;
__webpack_unused_export__ = paginateListDetectMitigationActionsExecutions;
__webpack_unused_export__ = paginateListDetectMitigationActionsTasks;
__webpack_unused_export__ = paginateListDimensions;
__webpack_unused_export__ = paginateListDomainConfigurations;
__webpack_unused_export__ = paginateListFleetMetrics;
__webpack_unused_export__ = paginateListIndices;
__webpack_unused_export__ = paginateListJobExecutionsForJob;
__webpack_unused_export__ = paginateListJobExecutionsForThing;
__webpack_unused_export__ = paginateListJobTemplates;
__webpack_unused_export__ = paginateListJobs;
__webpack_unused_export__ = paginateListManagedJobTemplates;
__webpack_unused_export__ = paginateListMetricValues;
__webpack_unused_export__ = paginateListMitigationActions;
__webpack_unused_export__ = paginateListOTAUpdates;
__webpack_unused_export__ = paginateListOutgoingCertificates;
__webpack_unused_export__ = paginateListPackageVersions;
__webpack_unused_export__ = paginateListPackages;
__webpack_unused_export__ = paginateListPolicies;
__webpack_unused_export__ = paginateListPolicyPrincipals;
__webpack_unused_export__ = paginateListPrincipalPolicies;
__webpack_unused_export__ = paginateListPrincipalThings;
__webpack_unused_export__ = paginateListPrincipalThingsV2;
__webpack_unused_export__ = paginateListProvisioningTemplateVersions;
__webpack_unused_export__ = paginateListProvisioningTemplates;
__webpack_unused_export__ = paginateListRelatedResourcesForAuditFinding;
__webpack_unused_export__ = paginateListRoleAliases;
__webpack_unused_export__ = paginateListSbomValidationResults;
__webpack_unused_export__ = paginateListScheduledAudits;
__webpack_unused_export__ = paginateListSecurityProfiles;
__webpack_unused_export__ = paginateListSecurityProfilesForTarget;
__webpack_unused_export__ = paginateListStreams;
__webpack_unused_export__ = paginateListTagsForResource;
__webpack_unused_export__ = paginateListTargetsForPolicy;
__webpack_unused_export__ = paginateListTargetsForSecurityProfile;
__webpack_unused_export__ = paginateListThingGroups;
__webpack_unused_export__ = paginateListThingGroupsForThing;
__webpack_unused_export__ = paginateListThingPrincipals;
__webpack_unused_export__ = paginateListThingPrincipalsV2;
__webpack_unused_export__ = paginateListThingRegistrationTaskReports;
__webpack_unused_export__ = paginateListThingRegistrationTasks;
__webpack_unused_export__ = paginateListThingTypes;
__webpack_unused_export__ = paginateListThings;
__webpack_unused_export__ = paginateListThingsInBillingGroup;
__webpack_unused_export__ = paginateListThingsInThingGroup;
__webpack_unused_export__ = paginateListTopicRuleDestinations;
__webpack_unused_export__ = paginateListTopicRules;
__webpack_unused_export__ = paginateListV2LoggingLevels;
__webpack_unused_export__ = paginateListViolationEvents;


/***/ }),

/***/ 1695:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

var __webpack_unused_export__;
const { awsEndpointFunctions, emitWarningIfUnsupportedVersion: emitWarningIfUnsupportedVersion$1, createDefaultUserAgentProvider, getDefaultSocketTimeout, NODE_APP_ID_CONFIG_OPTIONS, getAwsRegionExtensionConfiguration, resolveAwsRegionExtensionConfiguration, resolveUserAgentConfig, resolveHostHeaderConfig, getUserAgentPlugin, getHostHeaderPlugin, getLoggerPlugin, getRecursionDetectionPlugin, setCredentialFeature, stsRegionDefaultResolver } = __webpack_require__(5152);
const { NoAuthSigner, getHttpAuthSchemeEndpointRuleSetPlugin, DefaultIdentityProviderConfig, getHttpSigningPlugin } = __webpack_require__(402);
const { normalizeProvider, getSmithyContext, ServiceException, NoOpLogger, emitWarningIfUnsupportedVersion, loadConfigsForDefaultMode, getDefaultExtensionConfiguration, resolveDefaultRuntimeConfig, Client, makeBuilder, createAggregatedClient } = __webpack_require__(2658);
const { Command: $Command } = __webpack_require__(2658);
__webpack_unused_export__ = $Command;
__webpack_unused_export__ = Client;
const { resolveDefaultsModeConfig, loadConfig, NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, NODE_REGION_CONFIG_OPTIONS, NODE_REGION_CONFIG_FILE_OPTIONS, resolveRegionConfig } = __webpack_require__(7291);
const { BinaryDecisionDiagram, EndpointCache, decideEndpoint, customEndpointFunctions, resolveParams, resolveEndpointConfig, getEndpointPlugin } = __webpack_require__(2085);
const { parseUrl, getHttpHandlerExtensionConfiguration, resolveHttpHandlerRuntimeConfig, getContentLengthPlugin } = __webpack_require__(3422);
const { DEFAULT_RETRY_MODE, NODE_RETRY_MODE_CONFIG_OPTIONS, NODE_MAX_ATTEMPT_CONFIG_OPTIONS, resolveRetryConfig, getRetryPlugin } = __webpack_require__(3609);
const { TypeRegistry, getSchemaSerdePlugin } = __webpack_require__(6890);
const { resolveAwsSdkSigV4Config, resolveAwsSdkSigV4AConfig, AwsSdkSigV4Signer, AwsSdkSigV4ASigner, NODE_SIGV4A_CONFIG_OPTIONS, NODE_AUTH_SCHEME_PREFERENCE_OPTIONS } = __webpack_require__(7523);
const { SignatureV4MultiRegion } = __webpack_require__(5785);
const { defaultProvider } = __webpack_require__(5861);
const { toUtf8, fromUtf8, toBase64, fromBase64, calculateBodyLength } = __webpack_require__(2430);
const { streamCollector, NodeHttpHandler } = __webpack_require__(1279);
const { AwsQueryProtocol } = __webpack_require__(7288);
const { Sha256 } = __webpack_require__(9542);

const q = "ref";
const a = -1, b = true, c = "isSet", d = "PartitionResult", e = "booleanEquals", f = "stringEquals", g = "getAttr", h = "us-east-1", i = "sigv4", j = "sts", k = "https://sts.{Region}.{PartitionResult#dnsSuffix}", l = { [q]: "Endpoint" }, m = { [q]: "Region" }, n = { [q]: d }, o = {}, p = [m];
const _data = {
    conditions: [
        [c, [l]],
        [c, p],
        ["aws.partition", p, d],
        [e, [{ [q]: "UseFIPS" }, b]],
        [e, [{ [q]: "UseDualStack" }, b]],
        [f, [m, "aws-global"]],
        [e, [{ [q]: "UseGlobalEndpoint" }, b]],
        [f, [m, "eu-central-1"]],
        [e, [{ fn: g, argv: [n, "supportsDualStack"] }, b]],
        [e, [{ fn: g, argv: [n, "supportsFIPS"] }, b]],
        [f, [m, "ap-south-1"]],
        [f, [m, "eu-north-1"]],
        [f, [m, "eu-west-1"]],
        [f, [m, "eu-west-2"]],
        [f, [m, "eu-west-3"]],
        [f, [m, "sa-east-1"]],
        [f, [m, h]],
        [f, [m, "us-east-2"]],
        [f, [m, "us-west-2"]],
        [f, [m, "us-west-1"]],
        [f, [m, "ca-central-1"]],
        [f, [m, "ap-southeast-1"]],
        [f, [m, "ap-northeast-1"]],
        [f, [m, "ap-southeast-2"]],
        [f, [{ fn: g, argv: [n, "name"] }, "aws-us-gov"]]
    ],
    results: [
        [a],
        ["https://sts.amazonaws.com", { authSchemes: [{ name: i, signingName: j, signingRegion: h }] }],
        [k, { authSchemes: [{ name: i, signingName: j, signingRegion: "{Region}" }] }],
        [a, "Invalid Configuration: FIPS and custom endpoint are not supported"],
        [a, "Invalid Configuration: Dualstack and custom endpoint are not supported"],
        [l, o],
        ["https://sts-fips.{Region}.{PartitionResult#dualStackDnsSuffix}", o],
        [a, "FIPS and DualStack are enabled, but this partition does not support one or both"],
        ["https://sts.{Region}.amazonaws.com", o],
        ["https://sts-fips.{Region}.{PartitionResult#dnsSuffix}", o],
        [a, "FIPS is enabled but this partition does not support FIPS"],
        ["https://sts.{Region}.{PartitionResult#dualStackDnsSuffix}", o],
        [a, "DualStack is enabled but this partition does not support DualStack"],
        [k, o],
        [a, "Invalid Configuration: Missing Region"]
    ]
};
const root = 2;
const r = 100_000_000;
const nodes = new Int32Array([
    -1, 1, -1,
    0, 30, 3,
    1, 4, r + 14,
    2, 5, r + 14,
    3, 25, 6,
    4, 24, 7,
    5, r + 1, 8,
    6, 9, r + 13,
    7, r + 1, 10,
    10, r + 1, 11,
    11, r + 1, 12,
    12, r + 1, 13,
    13, r + 1, 14,
    14, r + 1, 15,
    15, r + 1, 16,
    16, r + 1, 17,
    17, r + 1, 18,
    18, r + 1, 19,
    19, r + 1, 20,
    20, r + 1, 21,
    21, r + 1, 22,
    22, r + 1, 23,
    23, r + 1, r + 2,
    8, r + 11, r + 12,
    4, 28, 26,
    9, 27, r + 10,
    24, r + 8, r + 9,
    8, 29, r + 7,
    9, r + 6, r + 7,
    3, r + 3, 31,
    4, r + 4, r + 5,
]);
const bdd = BinaryDecisionDiagram.from(nodes, root, _data.conditions, _data.results);

const cache = new EndpointCache({
    size: 50,
    params: ["Endpoint", "Region", "UseDualStack", "UseFIPS", "UseGlobalEndpoint"],
});
const defaultEndpointResolver = (endpointParams, context = {}) => {
    return cache.get(endpointParams, () => decideEndpoint(bdd, {
        endpointParams: endpointParams,
        logger: context.logger,
    }));
};
customEndpointFunctions.aws = awsEndpointFunctions;

const createEndpointRuleSetHttpAuthSchemeParametersProvider = (defaultHttpAuthSchemeParametersProvider) => async (config, context, input) => {
    if (!input) {
        throw new Error("Could not find `input` for `defaultEndpointRuleSetHttpAuthSchemeParametersProvider`");
    }
    const defaultParameters = await defaultHttpAuthSchemeParametersProvider(config, context, input);
    const instructionsFn = getSmithyContext(context)?.commandInstance?.constructor
        ?.getEndpointParameterInstructions;
    if (!instructionsFn) {
        throw new Error(`getEndpointParameterInstructions() is not defined on '${context.commandName}'`);
    }
    const endpointParameters = await resolveParams(input, { getEndpointParameterInstructions: instructionsFn }, config);
    return Object.assign(defaultParameters, endpointParameters);
};
const _defaultSTSHttpAuthSchemeParametersProvider = async (config, context, input) => {
    return {
        operation: getSmithyContext(context).operation,
        region: await normalizeProvider(config.region)() || (() => {
            throw new Error("expected `region` to be configured for `aws.auth#sigv4`");
        })(),
    };
};
const defaultSTSHttpAuthSchemeParametersProvider = createEndpointRuleSetHttpAuthSchemeParametersProvider(_defaultSTSHttpAuthSchemeParametersProvider);
function createAwsAuthSigv4HttpAuthOption(authParameters) {
    return {
        schemeId: "aws.auth#sigv4",
        signingProperties: {
            name: "sts",
            region: authParameters.region,
        },
        propertiesExtractor: (config, context) => ({
            signingProperties: {
                config,
                context,
            },
        }),
    };
}
function createAwsAuthSigv4aHttpAuthOption(authParameters) {
    return {
        schemeId: "aws.auth#sigv4a",
        signingProperties: {
            name: "sts",
            region: authParameters.region,
        },
        propertiesExtractor: (config, context) => ({
            signingProperties: {
                config,
                context,
            },
        }),
    };
}
function createSmithyApiNoAuthHttpAuthOption(authParameters) {
    return {
        schemeId: "smithy.api#noAuth",
    };
}
const createEndpointRuleSetHttpAuthSchemeProvider = (defaultEndpointResolver, defaultHttpAuthSchemeResolver, createHttpAuthOptionFunctions) => {
    const endpointRuleSetHttpAuthSchemeProvider = (authParameters) => {
        const endpoint = defaultEndpointResolver(authParameters);
        const authSchemes = endpoint.properties?.authSchemes;
        if (!authSchemes) {
            return defaultHttpAuthSchemeResolver(authParameters);
        }
        const options = [];
        for (const scheme of authSchemes) {
            const { name: resolvedName, properties = {}, ...rest } = scheme;
            const name = resolvedName.toLowerCase();
            if (resolvedName !== name) {
                console.warn(`HttpAuthScheme has been normalized with lowercasing: '${resolvedName}' to '${name}'`);
            }
            let schemeId;
            if (name === "sigv4a") {
                schemeId = "aws.auth#sigv4a";
                const sigv4Present = authSchemes.find((s) => {
                    const name = s.name.toLowerCase();
                    return name !== "sigv4a" && name.startsWith("sigv4");
                });
                if (SignatureV4MultiRegion.sigv4aDependency() === "none" && sigv4Present) {
                    continue;
                }
            }
            else if (name.startsWith("sigv4")) {
                schemeId = "aws.auth#sigv4";
            }
            else {
                throw new Error(`Unknown HttpAuthScheme found in '@smithy.rules#endpointRuleSet': '${name}'`);
            }
            const createOption = createHttpAuthOptionFunctions[schemeId];
            if (!createOption) {
                throw new Error(`Could not find HttpAuthOption create function for '${schemeId}'`);
            }
            const option = createOption(authParameters);
            option.schemeId = schemeId;
            option.signingProperties = { ...(option.signingProperties || {}), ...rest, ...properties };
            options.push(option);
        }
        return options;
    };
    return endpointRuleSetHttpAuthSchemeProvider;
};
const _defaultSTSHttpAuthSchemeProvider = (authParameters) => {
    const options = [];
    switch (authParameters.operation) {
        case "AssumeRoleWithSAML": {
            options.push(createSmithyApiNoAuthHttpAuthOption());
            options.push(createAwsAuthSigv4aHttpAuthOption(authParameters));
            break;
        }
        case "AssumeRoleWithWebIdentity": {
            options.push(createSmithyApiNoAuthHttpAuthOption());
            options.push(createAwsAuthSigv4aHttpAuthOption(authParameters));
            break;
        }
        default: {
            options.push(createAwsAuthSigv4HttpAuthOption(authParameters));
            options.push(createAwsAuthSigv4aHttpAuthOption(authParameters));
        }
    }
    return options;
};
const defaultSTSHttpAuthSchemeProvider = createEndpointRuleSetHttpAuthSchemeProvider(defaultEndpointResolver, _defaultSTSHttpAuthSchemeProvider, {
    "aws.auth#sigv4": createAwsAuthSigv4HttpAuthOption,
    "aws.auth#sigv4a": createAwsAuthSigv4aHttpAuthOption,
    "smithy.api#noAuth": createSmithyApiNoAuthHttpAuthOption,
});
const resolveHttpAuthSchemeConfig = (config) => {
    const config_0 = resolveAwsSdkSigV4Config(config);
    const config_1 = resolveAwsSdkSigV4AConfig(config_0);
    return Object.assign(config_1, {
        authSchemePreference: normalizeProvider(config.authSchemePreference ?? []),
    });
};

const resolveClientEndpointParameters = (options) => {
    return Object.assign(options, {
        useDualstackEndpoint: options.useDualstackEndpoint ?? false,
        useFipsEndpoint: options.useFipsEndpoint ?? false,
        useGlobalEndpoint: options.useGlobalEndpoint ?? false,
        defaultSigningName: "sts",
    });
};
const commonParams = {
    UseGlobalEndpoint: { type: "builtInParams", name: "useGlobalEndpoint" },
    UseFIPS: { type: "builtInParams", name: "useFipsEndpoint" },
    Endpoint: { type: "builtInParams", name: "endpoint" },
    Region: { type: "builtInParams", name: "region" },
    UseDualStack: { type: "builtInParams", name: "useDualstackEndpoint" },
};

var version = "3.1173.0";
var packageInfo = {
	version: version};

class STSServiceException extends ServiceException {
    static shapeId = "smithy.ts.sdk.synthetic.com.amazonaws.sts#STSServiceException";
    constructor(options) {
        super(options);
        Object.setPrototypeOf(this, STSServiceException.prototype);
    }
}

class ExpiredTokenException extends STSServiceException {
    static shapeId = "com.amazonaws.sts#ExpiredTokenException";
    name = "ExpiredTokenException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "ExpiredTokenException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ExpiredTokenException.prototype);
    }
}
class InvalidContextAssertionException extends STSServiceException {
    static shapeId = "com.amazonaws.sts#InvalidContextAssertionException";
    name = "InvalidContextAssertionException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidContextAssertionException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidContextAssertionException.prototype);
    }
}
class MalformedPolicyDocumentException extends STSServiceException {
    static shapeId = "com.amazonaws.sts#MalformedPolicyDocumentException";
    name = "MalformedPolicyDocumentException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "MalformedPolicyDocumentException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, MalformedPolicyDocumentException.prototype);
    }
}
class PackedPolicyTooLargeException extends STSServiceException {
    static shapeId = "com.amazonaws.sts#PackedPolicyTooLargeException";
    name = "PackedPolicyTooLargeException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "PackedPolicyTooLargeException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, PackedPolicyTooLargeException.prototype);
    }
}
class RegionDisabledException extends STSServiceException {
    static shapeId = "com.amazonaws.sts#RegionDisabledException";
    name = "RegionDisabledException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "RegionDisabledException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, RegionDisabledException.prototype);
    }
}
class IDPRejectedClaimException extends STSServiceException {
    static shapeId = "com.amazonaws.sts#IDPRejectedClaimException";
    name = "IDPRejectedClaimException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "IDPRejectedClaimException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, IDPRejectedClaimException.prototype);
    }
}
class InvalidIdentityTokenException extends STSServiceException {
    static shapeId = "com.amazonaws.sts#InvalidIdentityTokenException";
    name = "InvalidIdentityTokenException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidIdentityTokenException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidIdentityTokenException.prototype);
    }
}
class IDPCommunicationErrorException extends STSServiceException {
    static shapeId = "com.amazonaws.sts#IDPCommunicationErrorException";
    name = "IDPCommunicationErrorException";
    $fault = "client";
    $retryable = {};
    constructor(opts) {
        super({
            name: "IDPCommunicationErrorException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, IDPCommunicationErrorException.prototype);
    }
}
class InvalidAuthorizationMessageException extends STSServiceException {
    static shapeId = "com.amazonaws.sts#InvalidAuthorizationMessageException";
    name = "InvalidAuthorizationMessageException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidAuthorizationMessageException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidAuthorizationMessageException.prototype);
    }
}
class ExpiredTradeInTokenException extends STSServiceException {
    static shapeId = "com.amazonaws.sts#ExpiredTradeInTokenException";
    name = "ExpiredTradeInTokenException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "ExpiredTradeInTokenException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, ExpiredTradeInTokenException.prototype);
    }
}
class InsufficientSessionLifetimeException extends STSServiceException {
    static shapeId = "com.amazonaws.sts#InsufficientSessionLifetimeException";
    name = "InsufficientSessionLifetimeException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InsufficientSessionLifetimeException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InsufficientSessionLifetimeException.prototype);
    }
}
class InvalidSubjectCredentialsException extends STSServiceException {
    static shapeId = "com.amazonaws.sts#InvalidSubjectCredentialsException";
    name = "InvalidSubjectCredentialsException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "InvalidSubjectCredentialsException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, InvalidSubjectCredentialsException.prototype);
    }
}
class JWTPayloadSizeExceededException extends STSServiceException {
    static shapeId = "com.amazonaws.sts#JWTPayloadSizeExceededException";
    name = "JWTPayloadSizeExceededException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "JWTPayloadSizeExceededException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, JWTPayloadSizeExceededException.prototype);
    }
}
class OutboundWebIdentityFederationDisabledException extends STSServiceException {
    static shapeId = "com.amazonaws.sts#OutboundWebIdentityFederationDisabledException";
    name = "OutboundWebIdentityFederationDisabledException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "OutboundWebIdentityFederationDisabledException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, OutboundWebIdentityFederationDisabledException.prototype);
    }
}
class SessionDurationEscalationException extends STSServiceException {
    static shapeId = "com.amazonaws.sts#SessionDurationEscalationException";
    name = "SessionDurationEscalationException";
    $fault = "client";
    constructor(opts) {
        super({
            name: "SessionDurationEscalationException",
            $fault: "client",
            ...opts,
        });
        Object.setPrototypeOf(this, SessionDurationEscalationException.prototype);
    }
}

const _A = "Arn";
const _AKI = "AccessKeyId";
const _AP = "AssumedPrincipal";
const _AR = "AssumeRole";
const _ARI = "AssumedRoleId";
const _ARR = "AssumeRoleRequest";
const _ARRs = "AssumeRoleResponse";
const _ARRss = "AssumeRootRequest";
const _ARRssu = "AssumeRootResponse";
const _ARU = "AssumedRoleUser";
const _ARWSAML = "AssumeRoleWithSAML";
const _ARWSAMLR = "AssumeRoleWithSAMLRequest";
const _ARWSAMLRs = "AssumeRoleWithSAMLResponse";
const _ARWWI = "AssumeRoleWithWebIdentity";
const _ARWWIR = "AssumeRoleWithWebIdentityRequest";
const _ARWWIRs = "AssumeRoleWithWebIdentityResponse";
const _ARs = "AssumeRoot";
const _Ac = "Account";
const _Au = "Audience";
const _C = "Credentials";
const _CA = "ContextAssertion";
const _DAM = "DecodeAuthorizationMessage";
const _DAMR = "DecodeAuthorizationMessageRequest";
const _DAMRe = "DecodeAuthorizationMessageResponse";
const _DM = "DecodedMessage";
const _DS = "DurationSeconds";
const _E = "Expiration";
const _EI = "ExternalId";
const _EM = "EncodedMessage";
const _ETE = "ExpiredTokenException";
const _ETITE = "ExpiredTradeInTokenException";
const _FPA = "FederatedProviderArn";
const _FU = "FederatedUser";
const _FUI = "FederatedUserId";
const _GAKI = "GetAccessKeyInfo";
const _GAKIR = "GetAccessKeyInfoRequest";
const _GAKIRe = "GetAccessKeyInfoResponse";
const _GCI = "GetCallerIdentity";
const _GCIR = "GetCallerIdentityRequest";
const _GCIRe = "GetCallerIdentityResponse";
const _GDAT = "GetDelegatedAccessToken";
const _GDATR = "GetDelegatedAccessTokenRequest";
const _GDATRe = "GetDelegatedAccessTokenResponse";
const _GFT = "GetFederationToken";
const _GFTR = "GetFederationTokenRequest";
const _GFTRe = "GetFederationTokenResponse";
const _GSC = "GetScopedCredentials";
const _GSCR = "GetScopedCredentialsRequest";
const _GSCRe = "GetScopedCredentialsResponse";
const _GST = "GetSessionToken";
const _GSTR = "GetSessionTokenRequest";
const _GSTRe = "GetSessionTokenResponse";
const _GWIT = "GetWebIdentityToken";
const _GWITR = "GetWebIdentityTokenRequest";
const _GWITRe = "GetWebIdentityTokenResponse";
const _I = "Issuer";
const _IAME = "InvalidAuthorizationMessageException";
const _ICAE = "InvalidContextAssertionException";
const _IDPCEE = "IDPCommunicationErrorException";
const _IDPRCE = "IDPRejectedClaimException";
const _IITE = "InvalidIdentityTokenException";
const _IP = "IdentityProvider";
const _ISCE = "InvalidSubjectCredentialsException";
const _ISLE = "InsufficientSessionLifetimeException";
const _JWTPSEE = "JWTPayloadSizeExceededException";
const _K = "Key";
const _MPDE = "MalformedPolicyDocumentException";
const _MSTS = "MinimumSessionTokenSize";
const _N = "Name";
const _NQ = "NameQualifier";
const _OI = "OriginIdentity";
const _OWIFDE = "OutboundWebIdentityFederationDisabledException";
const _P = "Policy";
const _PA = "PolicyArns";
const _PAr = "PrincipalArn";
const _PAro = "ProviderArn";
const _PC = "ProvidedContexts";
const _PCLT = "ProvidedContextsListType";
const _PCr = "ProvidedContext";
const _PDT = "PolicyDescriptorType";
const _PI = "ProviderId";
const _PPS = "PackedPolicySize";
const _PPTLE = "PackedPolicyTooLargeException";
const _Pr = "Provider";
const _RA = "RoleArn";
const _RDE = "RegionDisabledException";
const _RSN = "RoleSessionName";
const _S = "Subject";
const _SA = "SigningAlgorithm";
const _SAK = "SecretAccessKey";
const _SAMLA = "SAMLAssertion";
const _SAMLAT = "SAMLAssertionType";
const _SDEE = "SessionDurationEscalationException";
const _SFWIT = "SubjectFromWebIdentityToken";
const _SI = "SourceIdentity";
const _SIe = "SessionInfo";
const _SM = "SubjectMode";
const _SN = "SerialNumber";
const _SPC = "ScopedPoliciesCount";
const _SS = "ScopedSession";
const _SSD = "ScopedSessionDescription";
const _SSI = "ScopedSessionId";
const _ST = "SubjectType";
const _STS = "SessionTokenSize";
const _STU = "SessionTokenUtilization";
const _STe = "SessionToken";
const _Sc = "Scope";
const _T = "Tags";
const _TC = "TokenCode";
const _TCr = "TransactionContext";
const _TIPC = "TrustedIdentityPropagationContext";
const _TIT = "TradeInToken";
const _TP = "TargetPrincipal";
const _TPA = "TaskPolicyArn";
const _TTK = "TransitiveTagKeys";
const _Ta = "Tag";
const _UI = "UserId";
const _V = "Value";
const _WIT = "WebIdentityToken";
const _a = "arn";
const _aKST = "accessKeySecretType";
const _aQE = "awsQueryError";
const _c = "client";
const _cTT = "clientTokenType";
const _e = "error";
const _hE = "httpError";
const _m = "message";
const _oIIT = "originIdentityIssuerType";
const _oIST = "originIdentitySubjectType";
const _oISTT = "originIdentitySubjectTypeType";
const _pDLT = "policyDescriptorListType";
const _s = "smithy.ts.sdk.synthetic.com.amazonaws.sts";
const _tCIPMT = "transactionContextIdentityProviderMapType";
const _tCVT = "transactionContextValueType";
const _tITT = "tradeInTokenType";
const _tLT = "tagListType";
const _wITT = "webIdentityTokenType";
const n0 = "com.amazonaws.sts";
const _s_registry = new TypeRegistry(_s);
var STSServiceException$ = [-3, _s, "STSServiceException", 0, [], []];
_s_registry.registerError(STSServiceException$, STSServiceException);
const n0_registry = new TypeRegistry(n0);
var ExpiredTokenException$ = [-3, n0, _ETE,
    { [_aQE]: [`ExpiredTokenException`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(ExpiredTokenException$, ExpiredTokenException);
var ExpiredTradeInTokenException$ = [-3, n0, _ETITE,
    { [_aQE]: [`ExpiredTradeInTokenException`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(ExpiredTradeInTokenException$, ExpiredTradeInTokenException);
var IDPCommunicationErrorException$ = [-3, n0, _IDPCEE,
    { [_aQE]: [`IDPCommunicationError`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(IDPCommunicationErrorException$, IDPCommunicationErrorException);
var IDPRejectedClaimException$ = [-3, n0, _IDPRCE,
    { [_aQE]: [`IDPRejectedClaim`, 403], [_e]: _c, [_hE]: 403 },
    [_m],
    [0]
];
n0_registry.registerError(IDPRejectedClaimException$, IDPRejectedClaimException);
var InsufficientSessionLifetimeException$ = [-3, n0, _ISLE,
    { [_aQE]: [`InsufficientSessionLifetime`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InsufficientSessionLifetimeException$, InsufficientSessionLifetimeException);
var InvalidAuthorizationMessageException$ = [-3, n0, _IAME,
    { [_aQE]: [`InvalidAuthorizationMessageException`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidAuthorizationMessageException$, InvalidAuthorizationMessageException);
var InvalidContextAssertionException$ = [-3, n0, _ICAE,
    { [_aQE]: [`InvalidContextAssertion`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidContextAssertionException$, InvalidContextAssertionException);
var InvalidIdentityTokenException$ = [-3, n0, _IITE,
    { [_aQE]: [`InvalidIdentityToken`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidIdentityTokenException$, InvalidIdentityTokenException);
var InvalidSubjectCredentialsException$ = [-3, n0, _ISCE,
    { [_aQE]: [`InvalidSubjectCredentials`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(InvalidSubjectCredentialsException$, InvalidSubjectCredentialsException);
var JWTPayloadSizeExceededException$ = [-3, n0, _JWTPSEE,
    { [_aQE]: [`JWTPayloadSizeExceededException`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(JWTPayloadSizeExceededException$, JWTPayloadSizeExceededException);
var MalformedPolicyDocumentException$ = [-3, n0, _MPDE,
    { [_aQE]: [`MalformedPolicyDocument`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(MalformedPolicyDocumentException$, MalformedPolicyDocumentException);
var OutboundWebIdentityFederationDisabledException$ = [-3, n0, _OWIFDE,
    { [_aQE]: [`OutboundWebIdentityFederationDisabledException`, 403], [_e]: _c, [_hE]: 403 },
    [_m],
    [0]
];
n0_registry.registerError(OutboundWebIdentityFederationDisabledException$, OutboundWebIdentityFederationDisabledException);
var PackedPolicyTooLargeException$ = [-3, n0, _PPTLE,
    { [_aQE]: [`PackedPolicyTooLarge`, 400], [_e]: _c, [_hE]: 400 },
    [_m],
    [0]
];
n0_registry.registerError(PackedPolicyTooLargeException$, PackedPolicyTooLargeException);
var RegionDisabledException$ = [-3, n0, _RDE,
    { [_aQE]: [`RegionDisabledException`, 403], [_e]: _c, [_hE]: 403 },
    [_m],
    [0]
];
n0_registry.registerError(RegionDisabledException$, RegionDisabledException);
var SessionDurationEscalationException$ = [-3, n0, _SDEE,
    { [_aQE]: [`SessionDurationEscalationException`, 403], [_e]: _c, [_hE]: 403 },
    [_m],
    [0]
];
n0_registry.registerError(SessionDurationEscalationException$, SessionDurationEscalationException);
const errorTypeRegistries = [
    _s_registry,
    n0_registry,
];
var accessKeySecretType = [0, n0, _aKST, 8, 0];
var clientTokenType = [0, n0, _cTT, 8, 0];
var originIdentityIssuerType = [0, n0, _oIIT, 8, 0];
var originIdentitySubjectType = [0, n0, _oIST, 8, 0];
var originIdentitySubjectTypeType = [0, n0, _oISTT, 8, 0];
var SAMLAssertionType = [0, n0, _SAMLAT, 8, 0];
var tradeInTokenType = [0, n0, _tITT, 8, 0];
var transactionContextValueType = [0, n0, _tCVT, 8, 0];
var webIdentityTokenType = [0, n0, _wITT, 8, 0];
var AssumedRoleUser$ = [3, n0, _ARU,
    0,
    [_ARI, _A],
    [0, 0], 2
];
var AssumeRoleRequest$ = [3, n0, _ARR,
    0,
    [_RA, _RSN, _PA, _P, _DS, _T, _TTK, _EI, _SN, _TC, _SI, _PC, _MSTS],
    [0, 0, () => policyDescriptorListType, 0, 1, () => tagListType, 64 | 0, 0, 0, 0, 0, () => ProvidedContextsListType, 1], 2
];
var AssumeRoleResponse$ = [3, n0, _ARRs,
    0,
    [_C, _ARU, _PPS, _SI, _STU, _STS],
    [[() => Credentials$, 0], () => AssumedRoleUser$, 1, 0, 1, 1]
];
var AssumeRoleWithSAMLRequest$ = [3, n0, _ARWSAMLR,
    0,
    [_RA, _PAr, _SAMLA, _PA, _P, _DS, _MSTS],
    [0, 0, [() => SAMLAssertionType, 0], () => policyDescriptorListType, 0, 1, 1], 3
];
var AssumeRoleWithSAMLResponse$ = [3, n0, _ARWSAMLRs,
    0,
    [_C, _ARU, _PPS, _S, _ST, _I, _Au, _NQ, _SI, _STU, _STS, _TIPC],
    [[() => Credentials$, 0], () => AssumedRoleUser$, 1, 0, 0, 0, 0, 0, 0, 1, 1, [() => TrustedIdentityPropagationContext$, 0]]
];
var AssumeRoleWithWebIdentityRequest$ = [3, n0, _ARWWIR,
    0,
    [_RA, _RSN, _WIT, _PI, _PA, _P, _DS, _MSTS],
    [0, 0, [() => clientTokenType, 0], 0, () => policyDescriptorListType, 0, 1, 1], 3
];
var AssumeRoleWithWebIdentityResponse$ = [3, n0, _ARWWIRs,
    0,
    [_C, _SFWIT, _ARU, _PPS, _Pr, _Au, _SI, _STU, _STS, _TIPC],
    [[() => Credentials$, 0], 0, () => AssumedRoleUser$, 1, 0, 0, 0, 1, 1, [() => TrustedIdentityPropagationContext$, 0]]
];
var AssumeRootRequest$ = [3, n0, _ARRss,
    0,
    [_TP, _TPA, _DS, _MSTS],
    [0, () => PolicyDescriptorType$, 1, 1], 2
];
var AssumeRootResponse$ = [3, n0, _ARRssu,
    0,
    [_C, _SI, _STU, _STS],
    [[() => Credentials$, 0], 0, 1, 1]
];
var Credentials$ = [3, n0, _C,
    0,
    [_AKI, _SAK, _STe, _E],
    [0, [() => accessKeySecretType, 0], 0, 4], 4
];
var DecodeAuthorizationMessageRequest$ = [3, n0, _DAMR,
    0,
    [_EM],
    [0], 1
];
var DecodeAuthorizationMessageResponse$ = [3, n0, _DAMRe,
    0,
    [_DM],
    [0]
];
var FederatedUser$ = [3, n0, _FU,
    0,
    [_FUI, _A],
    [0, 0], 2
];
var GetAccessKeyInfoRequest$ = [3, n0, _GAKIR,
    0,
    [_AKI],
    [0], 1
];
var GetAccessKeyInfoResponse$ = [3, n0, _GAKIRe,
    0,
    [_Ac],
    [0]
];
var GetCallerIdentityRequest$ = [3, n0, _GCIR,
    0,
    [],
    []
];
var GetCallerIdentityResponse$ = [3, n0, _GCIRe,
    0,
    [_UI, _Ac, _A],
    [0, 0, 0]
];
var GetDelegatedAccessTokenRequest$ = [3, n0, _GDATR,
    0,
    [_TIT],
    [[() => tradeInTokenType, 0]], 1
];
var GetDelegatedAccessTokenResponse$ = [3, n0, _GDATRe,
    0,
    [_C, _PPS, _AP],
    [[() => Credentials$, 0], 1, 0]
];
var GetFederationTokenRequest$ = [3, n0, _GFTR,
    0,
    [_N, _P, _PA, _DS, _T, _MSTS],
    [0, 0, () => policyDescriptorListType, 1, () => tagListType, 1], 1
];
var GetFederationTokenResponse$ = [3, n0, _GFTRe,
    0,
    [_C, _FU, _PPS, _STU, _STS],
    [[() => Credentials$, 0], () => FederatedUser$, 1, 1, 1]
];
var GetScopedCredentialsRequest$ = [3, n0, _GSCR,
    0,
    [_P, _DS, _MSTS, _SSD],
    [0, 1, 1, 0]
];
var GetScopedCredentialsResponse$ = [3, n0, _GSCRe,
    0,
    [_C, _SIe, _STU, _STS, _SPC, _SI],
    [[() => Credentials$, 0], () => ScopedSession$, 1, 1, 1, 0]
];
var GetSessionTokenRequest$ = [3, n0, _GSTR,
    0,
    [_DS, _SN, _TC, _MSTS],
    [1, 0, 0, 1]
];
var GetSessionTokenResponse$ = [3, n0, _GSTRe,
    0,
    [_C, _STU, _STS],
    [[() => Credentials$, 0], 1, 1]
];
var GetWebIdentityTokenRequest$ = [3, n0, _GWITR,
    0,
    [_Au, _SA, _DS, _Sc, _SM, _T],
    [64 | 0, 0, 1, 0, 0, () => tagListType], 2
];
var GetWebIdentityTokenResponse$ = [3, n0, _GWITRe,
    0,
    [_WIT, _E],
    [[() => webIdentityTokenType, 0], 4]
];
var OriginIdentity$ = [3, n0, _OI,
    0,
    [_S, _ST, _I, _FPA],
    [[() => originIdentitySubjectType, 0], [() => originIdentitySubjectTypeType, 0], [() => originIdentityIssuerType, 0], 0]
];
var PolicyDescriptorType$ = [3, n0, _PDT,
    0,
    [_a],
    [0]
];
var ProvidedContext$ = [3, n0, _PCr,
    0,
    [_PAro, _CA],
    [0, 0]
];
var ScopedSession$ = [3, n0, _SS,
    0,
    [_SSI, _A],
    [0, 0], 2
];
var Tag$ = [3, n0, _Ta,
    0,
    [_K, _V],
    [0, 0], 2
];
var TransactionContext$ = [3, n0, _TCr,
    0,
    [_IP],
    [[() => transactionContextIdentityProviderMapType, 0]]
];
var TrustedIdentityPropagationContext$ = [3, n0, _TIPC,
    8,
    [_OI, _TCr],
    [[() => OriginIdentity$, 0], [() => TransactionContext$, 0]]
];
var policyDescriptorListType = [1, n0, _pDLT,
    0, () => PolicyDescriptorType$
];
var ProvidedContextsListType = [1, n0, _PCLT,
    0, () => ProvidedContext$
];
var tagListType = [1, n0, _tLT,
    0, () => Tag$
];
var transactionContextIdentityProviderMapType = [2, n0, _tCIPMT,
    0, [0,
        0],
    [() => transactionContextValueType,
        0]
];
var AssumeRole$ = [9, n0, _AR,
    0, () => AssumeRoleRequest$, () => AssumeRoleResponse$
];
var AssumeRoleWithSAML$ = [9, n0, _ARWSAML,
    0, () => AssumeRoleWithSAMLRequest$, () => AssumeRoleWithSAMLResponse$
];
var AssumeRoleWithWebIdentity$ = [9, n0, _ARWWI,
    0, () => AssumeRoleWithWebIdentityRequest$, () => AssumeRoleWithWebIdentityResponse$
];
var AssumeRoot$ = [9, n0, _ARs,
    0, () => AssumeRootRequest$, () => AssumeRootResponse$
];
var DecodeAuthorizationMessage$ = [9, n0, _DAM,
    0, () => DecodeAuthorizationMessageRequest$, () => DecodeAuthorizationMessageResponse$
];
var GetAccessKeyInfo$ = [9, n0, _GAKI,
    0, () => GetAccessKeyInfoRequest$, () => GetAccessKeyInfoResponse$
];
var GetCallerIdentity$ = [9, n0, _GCI,
    0, () => GetCallerIdentityRequest$, () => GetCallerIdentityResponse$
];
var GetDelegatedAccessToken$ = [9, n0, _GDAT,
    0, () => GetDelegatedAccessTokenRequest$, () => GetDelegatedAccessTokenResponse$
];
var GetFederationToken$ = [9, n0, _GFT,
    0, () => GetFederationTokenRequest$, () => GetFederationTokenResponse$
];
var GetScopedCredentials$ = [9, n0, _GSC,
    0, () => GetScopedCredentialsRequest$, () => GetScopedCredentialsResponse$
];
var GetSessionToken$ = [9, n0, _GST,
    0, () => GetSessionTokenRequest$, () => GetSessionTokenResponse$
];
var GetWebIdentityToken$ = [9, n0, _GWIT,
    0, () => GetWebIdentityTokenRequest$, () => GetWebIdentityTokenResponse$
];

const getRuntimeConfig$1 = (config) => {
    return {
        apiVersion: "2011-06-15",
        base64Decoder: config?.base64Decoder ?? fromBase64,
        base64Encoder: config?.base64Encoder ?? toBase64,
        disableHostPrefix: config?.disableHostPrefix ?? false,
        endpointProvider: config?.endpointProvider ?? defaultEndpointResolver,
        extensions: config?.extensions ?? [],
        httpAuthSchemeProvider: config?.httpAuthSchemeProvider ?? defaultSTSHttpAuthSchemeProvider,
        httpAuthSchemes: config?.httpAuthSchemes ?? [
            {
                schemeId: "aws.auth#sigv4",
                identityProvider: (ipc) => ipc.getIdentityProvider("aws.auth#sigv4"),
                signer: new AwsSdkSigV4Signer(),
            },
            {
                schemeId: "aws.auth#sigv4a",
                identityProvider: (ipc) => ipc.getIdentityProvider("aws.auth#sigv4a"),
                signer: new AwsSdkSigV4ASigner(),
            },
            {
                schemeId: "smithy.api#noAuth",
                identityProvider: (ipc) => ipc.getIdentityProvider("smithy.api#noAuth") || (async () => ({})),
                signer: new NoAuthSigner(),
            },
        ],
        logger: config?.logger ?? new NoOpLogger(),
        protocol: config?.protocol ?? AwsQueryProtocol,
        protocolSettings: config?.protocolSettings ?? {
            defaultNamespace: "com.amazonaws.sts",
            errorTypeRegistries,
            xmlNamespace: "https://sts.amazonaws.com/doc/2011-06-15/",
            version: "2011-06-15",
            serviceTarget: "AWSSecurityTokenServiceV20110615",
        },
        serviceId: config?.serviceId ?? "STS",
        sha256: config?.sha256 ?? Sha256,
        signerConstructor: config?.signerConstructor ?? SignatureV4MultiRegion,
        urlParser: config?.urlParser ?? parseUrl,
        utf8Decoder: config?.utf8Decoder ?? fromUtf8,
        utf8Encoder: config?.utf8Encoder ?? toUtf8,
    };
};

const getRuntimeConfig = (config) => {
    emitWarningIfUnsupportedVersion(process.version);
    const defaultsMode = resolveDefaultsModeConfig(config);
    const defaultConfigProvider = () => defaultsMode().then(loadConfigsForDefaultMode);
    const clientSharedValues = getRuntimeConfig$1(config);
    emitWarningIfUnsupportedVersion$1(process.version);
    const loaderConfig = {
        profile: config?.profile,
        logger: clientSharedValues.logger,
    };
    return {
        ...clientSharedValues,
        ...config,
        runtime: "node",
        defaultsMode,
        authSchemePreference: config?.authSchemePreference ?? loadConfig(NODE_AUTH_SCHEME_PREFERENCE_OPTIONS, loaderConfig),
        bodyLengthChecker: config?.bodyLengthChecker ?? calculateBodyLength,
        credentialDefaultProvider: config?.credentialDefaultProvider ?? defaultProvider,
        defaultSocketTimeout: getDefaultSocketTimeout(config?.requestHandler, 300_000),
        defaultUserAgentProvider: config?.defaultUserAgentProvider ?? createDefaultUserAgentProvider({ serviceId: clientSharedValues.serviceId, clientVersion: packageInfo.version }),
        httpAuthSchemes: config?.httpAuthSchemes ?? [
            {
                schemeId: "aws.auth#sigv4",
                identityProvider: (ipc) => ipc.getIdentityProvider("aws.auth#sigv4") || (async (idProps) => await defaultProvider(idProps?.__config || {})()),
                signer: new AwsSdkSigV4Signer(),
            },
            {
                schemeId: "aws.auth#sigv4a",
                identityProvider: (ipc) => ipc.getIdentityProvider("aws.auth#sigv4a"),
                signer: new AwsSdkSigV4ASigner(),
            },
            {
                schemeId: "smithy.api#noAuth",
                identityProvider: (ipc) => ipc.getIdentityProvider("smithy.api#noAuth") || (async () => ({})),
                signer: new NoAuthSigner(),
            },
        ],
        maxAttempts: config?.maxAttempts ?? loadConfig(NODE_MAX_ATTEMPT_CONFIG_OPTIONS, config),
        region: config?.region ?? loadConfig(NODE_REGION_CONFIG_OPTIONS, { ...NODE_REGION_CONFIG_FILE_OPTIONS, ...loaderConfig }),
        requestHandler: NodeHttpHandler.create(config?.requestHandler ?? defaultConfigProvider),
        retryMode: config?.retryMode ??
            loadConfig({
                ...NODE_RETRY_MODE_CONFIG_OPTIONS,
                default: async () => (await defaultConfigProvider()).retryMode || DEFAULT_RETRY_MODE,
            }, config),
        sigv4aSigningRegionSet: config?.sigv4aSigningRegionSet ?? loadConfig(NODE_SIGV4A_CONFIG_OPTIONS, loaderConfig),
        streamCollector: config?.streamCollector ?? streamCollector,
        useDualstackEndpoint: config?.useDualstackEndpoint ?? loadConfig(NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, loaderConfig),
        useFipsEndpoint: config?.useFipsEndpoint ?? loadConfig(NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, loaderConfig),
        userAgentAppId: config?.userAgentAppId ?? loadConfig(NODE_APP_ID_CONFIG_OPTIONS, loaderConfig),
    };
};

const getHttpAuthExtensionConfiguration = (runtimeConfig) => {
    const _httpAuthSchemes = runtimeConfig.httpAuthSchemes;
    let _httpAuthSchemeProvider = runtimeConfig.httpAuthSchemeProvider;
    let _credentials = runtimeConfig.credentials;
    return {
        setHttpAuthScheme(httpAuthScheme) {
            const index = _httpAuthSchemes.findIndex((scheme) => scheme.schemeId === httpAuthScheme.schemeId);
            if (index === -1) {
                _httpAuthSchemes.push(httpAuthScheme);
            }
            else {
                _httpAuthSchemes.splice(index, 1, httpAuthScheme);
            }
        },
        httpAuthSchemes() {
            return _httpAuthSchemes;
        },
        setHttpAuthSchemeProvider(httpAuthSchemeProvider) {
            _httpAuthSchemeProvider = httpAuthSchemeProvider;
        },
        httpAuthSchemeProvider() {
            return _httpAuthSchemeProvider;
        },
        setCredentials(credentials) {
            _credentials = credentials;
        },
        credentials() {
            return _credentials;
        },
    };
};
const resolveHttpAuthRuntimeConfig = (config) => {
    return {
        httpAuthSchemes: config.httpAuthSchemes(),
        httpAuthSchemeProvider: config.httpAuthSchemeProvider(),
        credentials: config.credentials(),
    };
};

const resolveRuntimeExtensions = (runtimeConfig, extensions) => {
    const extensionConfiguration = Object.assign(getAwsRegionExtensionConfiguration(runtimeConfig), getDefaultExtensionConfiguration(runtimeConfig), getHttpHandlerExtensionConfiguration(runtimeConfig), getHttpAuthExtensionConfiguration(runtimeConfig));
    extensions.forEach((extension) => extension.configure(extensionConfiguration));
    return Object.assign(runtimeConfig, resolveAwsRegionExtensionConfiguration(extensionConfiguration), resolveDefaultRuntimeConfig(extensionConfiguration), resolveHttpHandlerRuntimeConfig(extensionConfiguration), resolveHttpAuthRuntimeConfig(extensionConfiguration));
};

class STSClient extends Client {
    config;
    constructor(...[configuration]) {
        const _config_0 = getRuntimeConfig(configuration || {});
        super(_config_0);
        this.initConfig = _config_0;
        const _config_1 = resolveClientEndpointParameters(_config_0);
        const _config_2 = resolveUserAgentConfig(_config_1);
        const _config_3 = resolveRetryConfig(_config_2);
        const _config_4 = resolveRegionConfig(_config_3);
        const _config_5 = resolveHostHeaderConfig(_config_4);
        const _config_6 = resolveEndpointConfig(_config_5);
        const _config_7 = resolveHttpAuthSchemeConfig(_config_6);
        const _config_8 = resolveRuntimeExtensions(_config_7, configuration?.extensions || []);
        this.config = _config_8;
        this.middlewareStack.use(getSchemaSerdePlugin(this.config));
        this.middlewareStack.use(getUserAgentPlugin(this.config));
        this.middlewareStack.use(getRetryPlugin(this.config));
        this.middlewareStack.use(getContentLengthPlugin(this.config));
        this.middlewareStack.use(getHostHeaderPlugin(this.config));
        this.middlewareStack.use(getLoggerPlugin(this.config));
        this.middlewareStack.use(getRecursionDetectionPlugin(this.config));
        this.middlewareStack.use(getHttpAuthSchemeEndpointRuleSetPlugin(this.config, {
            httpAuthSchemeParametersProvider: defaultSTSHttpAuthSchemeParametersProvider,
            identityProviderConfigProvider: async (config) => new DefaultIdentityProviderConfig({
                "aws.auth#sigv4": config.credentials,
                "aws.auth#sigv4a": config.credentials,
            }),
        }));
        this.middlewareStack.use(getHttpSigningPlugin(this.config));
    }
    destroy() {
        super.destroy();
    }
}

const command = makeBuilder(commonParams, "AWSSecurityTokenServiceV20110615", "STSClient", getEndpointPlugin);
const _ep0 = {};
const _mw0 = (Command, cs, config, o) => [];

class AssumeRoleCommand extends command(_ep0, _mw0, "AssumeRole", AssumeRole$) {
}

class AssumeRoleWithSAMLCommand extends command(_ep0, _mw0, "AssumeRoleWithSAML", AssumeRoleWithSAML$) {
}

class AssumeRoleWithWebIdentityCommand extends command(_ep0, _mw0, "AssumeRoleWithWebIdentity", AssumeRoleWithWebIdentity$) {
}

class AssumeRootCommand extends command(_ep0, _mw0, "AssumeRoot", AssumeRoot$) {
}

class DecodeAuthorizationMessageCommand extends command(_ep0, _mw0, "DecodeAuthorizationMessage", DecodeAuthorizationMessage$) {
}

class GetAccessKeyInfoCommand extends command(_ep0, _mw0, "GetAccessKeyInfo", GetAccessKeyInfo$) {
}

class GetCallerIdentityCommand extends command(_ep0, _mw0, "GetCallerIdentity", GetCallerIdentity$) {
}

class GetDelegatedAccessTokenCommand extends command(_ep0, _mw0, "GetDelegatedAccessToken", GetDelegatedAccessToken$) {
}

class GetFederationTokenCommand extends command(_ep0, _mw0, "GetFederationToken", GetFederationToken$) {
}

class GetScopedCredentialsCommand extends command(_ep0, _mw0, "GetScopedCredentials", GetScopedCredentials$) {
}

class GetSessionTokenCommand extends command(_ep0, _mw0, "GetSessionToken", GetSessionToken$) {
}

class GetWebIdentityTokenCommand extends command(_ep0, _mw0, "GetWebIdentityToken", GetWebIdentityToken$) {
}

const commands = {
    AssumeRoleCommand,
    AssumeRoleWithSAMLCommand,
    AssumeRoleWithWebIdentityCommand,
    AssumeRootCommand,
    DecodeAuthorizationMessageCommand,
    GetAccessKeyInfoCommand,
    GetCallerIdentityCommand,
    GetDelegatedAccessTokenCommand,
    GetFederationTokenCommand,
    GetScopedCredentialsCommand,
    GetSessionTokenCommand,
    GetWebIdentityTokenCommand,
};
class STS extends STSClient {
}
createAggregatedClient(commands, STS);

const WebIdentityTokenSubjectModeType = {
    AWS_IDENTITY: "AWSIdentity",
    ORIGIN_IDENTITY: "OriginIdentity",
};

const getAccountIdFromAssumedRoleUser = (assumedRoleUser) => {
    if (typeof assumedRoleUser?.Arn === "string") {
        const arnComponents = assumedRoleUser.Arn.split(":");
        if (arnComponents.length > 4 && arnComponents[4] !== "") {
            return arnComponents[4];
        }
    }
    return undefined;
};
const resolveRegion = async (_region, _parentRegion, credentialProviderLogger, loaderConfig = {}) => {
    const region = typeof _region === "function" ? await _region() : _region;
    const parentRegion = typeof _parentRegion === "function" ? await _parentRegion() : _parentRegion;
    let stsDefaultRegion = "";
    const resolvedRegion = region ?? parentRegion ?? (stsDefaultRegion = await stsRegionDefaultResolver(loaderConfig)());
    credentialProviderLogger?.debug?.("@aws-sdk/client-sts::resolveRegion", "accepting first of:", `${region} (credential provider clientConfig)`, `${parentRegion} (contextual client)`, `${stsDefaultRegion} (STS default: AWS_REGION, profile region, or us-east-1)`);
    return resolvedRegion;
};
const getDefaultRoleAssumer$1 = (stsOptions, STSClient) => {
    let stsClient;
    let closureSourceCreds;
    return async (sourceCreds, params) => {
        closureSourceCreds = sourceCreds;
        if (!stsClient) {
            const { logger = stsOptions?.parentClientConfig?.logger, profile = stsOptions?.parentClientConfig?.profile, region, requestHandler = stsOptions?.parentClientConfig?.requestHandler, credentialProviderLogger, userAgentAppId = stsOptions?.parentClientConfig?.userAgentAppId, } = stsOptions;
            const resolvedRegion = await resolveRegion(region, stsOptions?.parentClientConfig?.region, credentialProviderLogger, {
                logger,
                profile,
            });
            const isCompatibleRequestHandler = !isH2(requestHandler);
            stsClient = new STSClient({
                ...stsOptions,
                userAgentAppId,
                profile,
                credentialDefaultProvider: () => async () => closureSourceCreds,
                region: resolvedRegion,
                requestHandler: isCompatibleRequestHandler ? requestHandler : undefined,
                logger: logger,
            });
        }
        const { Credentials, AssumedRoleUser } = await stsClient.send(new AssumeRoleCommand(params));
        if (!Credentials || !Credentials.AccessKeyId || !Credentials.SecretAccessKey) {
            throw new Error(`Invalid response from STS.assumeRole call with role ${params.RoleArn}`);
        }
        const accountId = getAccountIdFromAssumedRoleUser(AssumedRoleUser);
        const credentials = {
            accessKeyId: Credentials.AccessKeyId,
            secretAccessKey: Credentials.SecretAccessKey,
            sessionToken: Credentials.SessionToken,
            expiration: Credentials.Expiration,
            ...(Credentials.CredentialScope && { credentialScope: Credentials.CredentialScope }),
            ...(accountId && { accountId }),
        };
        setCredentialFeature(credentials, "CREDENTIALS_STS_ASSUME_ROLE", "i");
        return credentials;
    };
};
const getDefaultRoleAssumerWithWebIdentity$1 = (stsOptions, STSClient) => {
    let stsClient;
    return async (params) => {
        if (!stsClient) {
            const { logger = stsOptions?.parentClientConfig?.logger, profile = stsOptions?.parentClientConfig?.profile, region, requestHandler = stsOptions?.parentClientConfig?.requestHandler, credentialProviderLogger, userAgentAppId = stsOptions?.parentClientConfig?.userAgentAppId, } = stsOptions;
            const resolvedRegion = await resolveRegion(region, stsOptions?.parentClientConfig?.region, credentialProviderLogger, {
                logger,
                profile,
            });
            const isCompatibleRequestHandler = !isH2(requestHandler);
            stsClient = new STSClient({
                ...stsOptions,
                userAgentAppId,
                profile,
                region: resolvedRegion,
                requestHandler: isCompatibleRequestHandler ? requestHandler : undefined,
                logger: logger,
            });
        }
        const { Credentials, AssumedRoleUser } = await stsClient.send(new AssumeRoleWithWebIdentityCommand(params));
        if (!Credentials || !Credentials.AccessKeyId || !Credentials.SecretAccessKey) {
            throw new Error(`Invalid response from STS.assumeRoleWithWebIdentity call with role ${params.RoleArn}`);
        }
        const accountId = getAccountIdFromAssumedRoleUser(AssumedRoleUser);
        const credentials = {
            accessKeyId: Credentials.AccessKeyId,
            secretAccessKey: Credentials.SecretAccessKey,
            sessionToken: Credentials.SessionToken,
            expiration: Credentials.Expiration,
            ...(Credentials.CredentialScope && { credentialScope: Credentials.CredentialScope }),
            ...(accountId && { accountId }),
        };
        if (accountId) {
            setCredentialFeature(credentials, "RESOLVED_ACCOUNT_ID", "T");
        }
        setCredentialFeature(credentials, "CREDENTIALS_STS_ASSUME_ROLE_WEB_ID", "k");
        return credentials;
    };
};
const isH2 = (requestHandler) => {
    return requestHandler?.metadata?.handlerProtocol === "h2";
};

const getCustomizableStsClientCtor = (baseCtor, customizations) => {
    if (!customizations)
        return baseCtor;
    else
        return class CustomizableSTSClient extends baseCtor {
            constructor(config) {
                super(config);
                for (const customization of customizations) {
                    this.middlewareStack.use(customization);
                }
            }
        };
};
const getDefaultRoleAssumer = (stsOptions = {}, stsPlugins) => getDefaultRoleAssumer$1(stsOptions, getCustomizableStsClientCtor(STSClient, stsPlugins));
const getDefaultRoleAssumerWithWebIdentity = (stsOptions = {}, stsPlugins) => getDefaultRoleAssumerWithWebIdentity$1(stsOptions, getCustomizableStsClientCtor(STSClient, stsPlugins));
const decorateDefaultCredentialProvider = (provider) => (input) => provider({
    roleAssumer: getDefaultRoleAssumer(input),
    roleAssumerWithWebIdentity: getDefaultRoleAssumerWithWebIdentity(input),
    ...input,
});

__webpack_unused_export__ = AssumeRole$;
__webpack_unused_export__ = AssumeRoleCommand;
__webpack_unused_export__ = AssumeRoleRequest$;
__webpack_unused_export__ = AssumeRoleResponse$;
__webpack_unused_export__ = AssumeRoleWithSAML$;
__webpack_unused_export__ = AssumeRoleWithSAMLCommand;
__webpack_unused_export__ = AssumeRoleWithSAMLRequest$;
__webpack_unused_export__ = AssumeRoleWithSAMLResponse$;
__webpack_unused_export__ = AssumeRoleWithWebIdentity$;
exports.WH = AssumeRoleWithWebIdentityCommand;
__webpack_unused_export__ = AssumeRoleWithWebIdentityRequest$;
__webpack_unused_export__ = AssumeRoleWithWebIdentityResponse$;
__webpack_unused_export__ = AssumeRoot$;
__webpack_unused_export__ = AssumeRootCommand;
__webpack_unused_export__ = AssumeRootRequest$;
__webpack_unused_export__ = AssumeRootResponse$;
__webpack_unused_export__ = AssumedRoleUser$;
__webpack_unused_export__ = Credentials$;
__webpack_unused_export__ = DecodeAuthorizationMessage$;
__webpack_unused_export__ = DecodeAuthorizationMessageCommand;
__webpack_unused_export__ = DecodeAuthorizationMessageRequest$;
__webpack_unused_export__ = DecodeAuthorizationMessageResponse$;
__webpack_unused_export__ = ExpiredTokenException;
__webpack_unused_export__ = ExpiredTokenException$;
__webpack_unused_export__ = ExpiredTradeInTokenException;
__webpack_unused_export__ = ExpiredTradeInTokenException$;
__webpack_unused_export__ = FederatedUser$;
__webpack_unused_export__ = GetAccessKeyInfo$;
__webpack_unused_export__ = GetAccessKeyInfoCommand;
__webpack_unused_export__ = GetAccessKeyInfoRequest$;
__webpack_unused_export__ = GetAccessKeyInfoResponse$;
__webpack_unused_export__ = GetCallerIdentity$;
exports.zI = GetCallerIdentityCommand;
__webpack_unused_export__ = GetCallerIdentityRequest$;
__webpack_unused_export__ = GetCallerIdentityResponse$;
__webpack_unused_export__ = GetDelegatedAccessToken$;
__webpack_unused_export__ = GetDelegatedAccessTokenCommand;
__webpack_unused_export__ = GetDelegatedAccessTokenRequest$;
__webpack_unused_export__ = GetDelegatedAccessTokenResponse$;
__webpack_unused_export__ = GetFederationToken$;
__webpack_unused_export__ = GetFederationTokenCommand;
__webpack_unused_export__ = GetFederationTokenRequest$;
__webpack_unused_export__ = GetFederationTokenResponse$;
__webpack_unused_export__ = GetScopedCredentials$;
__webpack_unused_export__ = GetScopedCredentialsCommand;
__webpack_unused_export__ = GetScopedCredentialsRequest$;
__webpack_unused_export__ = GetScopedCredentialsResponse$;
__webpack_unused_export__ = GetSessionToken$;
__webpack_unused_export__ = GetSessionTokenCommand;
__webpack_unused_export__ = GetSessionTokenRequest$;
__webpack_unused_export__ = GetSessionTokenResponse$;
__webpack_unused_export__ = GetWebIdentityToken$;
__webpack_unused_export__ = GetWebIdentityTokenCommand;
__webpack_unused_export__ = GetWebIdentityTokenRequest$;
__webpack_unused_export__ = GetWebIdentityTokenResponse$;
__webpack_unused_export__ = IDPCommunicationErrorException;
__webpack_unused_export__ = IDPCommunicationErrorException$;
__webpack_unused_export__ = IDPRejectedClaimException;
__webpack_unused_export__ = IDPRejectedClaimException$;
__webpack_unused_export__ = InsufficientSessionLifetimeException;
__webpack_unused_export__ = InsufficientSessionLifetimeException$;
__webpack_unused_export__ = InvalidAuthorizationMessageException;
__webpack_unused_export__ = InvalidAuthorizationMessageException$;
__webpack_unused_export__ = InvalidContextAssertionException;
__webpack_unused_export__ = InvalidContextAssertionException$;
__webpack_unused_export__ = InvalidIdentityTokenException;
__webpack_unused_export__ = InvalidIdentityTokenException$;
__webpack_unused_export__ = InvalidSubjectCredentialsException;
__webpack_unused_export__ = InvalidSubjectCredentialsException$;
__webpack_unused_export__ = JWTPayloadSizeExceededException;
__webpack_unused_export__ = JWTPayloadSizeExceededException$;
__webpack_unused_export__ = MalformedPolicyDocumentException;
__webpack_unused_export__ = MalformedPolicyDocumentException$;
__webpack_unused_export__ = OriginIdentity$;
__webpack_unused_export__ = OutboundWebIdentityFederationDisabledException;
__webpack_unused_export__ = OutboundWebIdentityFederationDisabledException$;
__webpack_unused_export__ = PackedPolicyTooLargeException;
__webpack_unused_export__ = PackedPolicyTooLargeException$;
__webpack_unused_export__ = PolicyDescriptorType$;
__webpack_unused_export__ = ProvidedContext$;
__webpack_unused_export__ = RegionDisabledException;
__webpack_unused_export__ = RegionDisabledException$;
__webpack_unused_export__ = STS;
exports.iM = STSClient;
__webpack_unused_export__ = STSServiceException;
__webpack_unused_export__ = STSServiceException$;
__webpack_unused_export__ = ScopedSession$;
__webpack_unused_export__ = SessionDurationEscalationException;
__webpack_unused_export__ = SessionDurationEscalationException$;
__webpack_unused_export__ = Tag$;
__webpack_unused_export__ = TransactionContext$;
__webpack_unused_export__ = TrustedIdentityPropagationContext$;
__webpack_unused_export__ = WebIdentityTokenSubjectModeType;
__webpack_unused_export__ = decorateDefaultCredentialProvider;
__webpack_unused_export__ = errorTypeRegistries;
__webpack_unused_export__ = getDefaultRoleAssumer;
__webpack_unused_export__ = getDefaultRoleAssumerWithWebIdentity;


/***/ }),

/***/ 6110:
/***/ ((module, exports, __webpack_require__) => {

/* eslint-env browser */

/**
 * This is the web browser implementation of `debug()`.
 */

exports.formatArgs = formatArgs;
exports.save = save;
exports.load = load;
exports.useColors = useColors;
exports.storage = localstorage();
exports.destroy = (() => {
	let warned = false;

	return () => {
		if (!warned) {
			warned = true;
			console.warn('Instance method `debug.destroy()` is deprecated and no longer does anything. It will be removed in the next major version of `debug`.');
		}
	};
})();

/**
 * Colors.
 */

exports.colors = [
	'#0000CC',
	'#0000FF',
	'#0033CC',
	'#0033FF',
	'#0066CC',
	'#0066FF',
	'#0099CC',
	'#0099FF',
	'#00CC00',
	'#00CC33',
	'#00CC66',
	'#00CC99',
	'#00CCCC',
	'#00CCFF',
	'#3300CC',
	'#3300FF',
	'#3333CC',
	'#3333FF',
	'#3366CC',
	'#3366FF',
	'#3399CC',
	'#3399FF',
	'#33CC00',
	'#33CC33',
	'#33CC66',
	'#33CC99',
	'#33CCCC',
	'#33CCFF',
	'#6600CC',
	'#6600FF',
	'#6633CC',
	'#6633FF',
	'#66CC00',
	'#66CC33',
	'#9900CC',
	'#9900FF',
	'#9933CC',
	'#9933FF',
	'#99CC00',
	'#99CC33',
	'#CC0000',
	'#CC0033',
	'#CC0066',
	'#CC0099',
	'#CC00CC',
	'#CC00FF',
	'#CC3300',
	'#CC3333',
	'#CC3366',
	'#CC3399',
	'#CC33CC',
	'#CC33FF',
	'#CC6600',
	'#CC6633',
	'#CC9900',
	'#CC9933',
	'#CCCC00',
	'#CCCC33',
	'#FF0000',
	'#FF0033',
	'#FF0066',
	'#FF0099',
	'#FF00CC',
	'#FF00FF',
	'#FF3300',
	'#FF3333',
	'#FF3366',
	'#FF3399',
	'#FF33CC',
	'#FF33FF',
	'#FF6600',
	'#FF6633',
	'#FF9900',
	'#FF9933',
	'#FFCC00',
	'#FFCC33'
];

/**
 * Currently only WebKit-based Web Inspectors, Firefox >= v31,
 * and the Firebug extension (any Firefox version) are known
 * to support "%c" CSS customizations.
 *
 * TODO: add a `localStorage` variable to explicitly enable/disable colors
 */

// eslint-disable-next-line complexity
function useColors() {
	// NB: In an Electron preload script, document will be defined but not fully
	// initialized. Since we know we're in Chrome, we'll just detect this case
	// explicitly
	if (typeof window !== 'undefined' && window.process && (window.process.type === 'renderer' || window.process.__nwjs)) {
		return true;
	}

	// Internet Explorer and Edge do not support colors.
	if (typeof navigator !== 'undefined' && navigator.userAgent && navigator.userAgent.toLowerCase().match(/(edge|trident)\/(\d+)/)) {
		return false;
	}

	let m;

	// Is webkit? http://stackoverflow.com/a/16459606/376773
	// document is undefined in react-native: https://github.com/facebook/react-native/pull/1632
	// eslint-disable-next-line no-return-assign
	return (typeof document !== 'undefined' && document.documentElement && document.documentElement.style && document.documentElement.style.WebkitAppearance) ||
		// Is firebug? http://stackoverflow.com/a/398120/376773
		(typeof window !== 'undefined' && window.console && (window.console.firebug || (window.console.exception && window.console.table))) ||
		// Is firefox >= v31?
		// https://developer.mozilla.org/en-US/docs/Tools/Web_Console#Styling_messages
		(typeof navigator !== 'undefined' && navigator.userAgent && (m = navigator.userAgent.toLowerCase().match(/firefox\/(\d+)/)) && parseInt(m[1], 10) >= 31) ||
		// Double check webkit in userAgent just in case we are in a worker
		(typeof navigator !== 'undefined' && navigator.userAgent && navigator.userAgent.toLowerCase().match(/applewebkit\/(\d+)/));
}

/**
 * Colorize log arguments if enabled.
 *
 * @api public
 */

function formatArgs(args) {
	args[0] = (this.useColors ? '%c' : '') +
		this.namespace +
		(this.useColors ? ' %c' : ' ') +
		args[0] +
		(this.useColors ? '%c ' : ' ') +
		'+' + module.exports.humanize(this.diff);

	if (!this.useColors) {
		return;
	}

	const c = 'color: ' + this.color;
	args.splice(1, 0, c, 'color: inherit');

	// The final "%c" is somewhat tricky, because there could be other
	// arguments passed either before or after the %c, so we need to
	// figure out the correct index to insert the CSS into
	let index = 0;
	let lastC = 0;
	args[0].replace(/%[a-zA-Z%]/g, match => {
		if (match === '%%') {
			return;
		}
		index++;
		if (match === '%c') {
			// We only are interested in the *last* %c
			// (the user may have provided their own)
			lastC = index;
		}
	});

	args.splice(lastC, 0, c);
}

/**
 * Invokes `console.debug()` when available.
 * No-op when `console.debug` is not a "function".
 * If `console.debug` is not available, falls back
 * to `console.log`.
 *
 * @api public
 */
exports.log = console.debug || console.log || (() => {});

/**
 * Save `namespaces`.
 *
 * @param {String} namespaces
 * @api private
 */
function save(namespaces) {
	try {
		if (namespaces) {
			exports.storage.setItem('debug', namespaces);
		} else {
			exports.storage.removeItem('debug');
		}
	} catch (error) {
		// Swallow
		// XXX (@Qix-) should we be logging these?
	}
}

/**
 * Load `namespaces`.
 *
 * @return {String} returns the previously persisted debug modes
 * @api private
 */
function load() {
	let r;
	try {
		r = exports.storage.getItem('debug') || exports.storage.getItem('DEBUG') ;
	} catch (error) {
		// Swallow
		// XXX (@Qix-) should we be logging these?
	}

	// If debug isn't set in LS, and we're in Electron, try to load $DEBUG
	if (!r && typeof process !== 'undefined' && 'env' in process) {
		r = process.env.DEBUG;
	}

	return r;
}

/**
 * Localstorage attempts to return the localstorage.
 *
 * This is necessary because safari throws
 * when a user disables cookies/localstorage
 * and you attempt to access it.
 *
 * @return {LocalStorage}
 * @api private
 */

function localstorage() {
	try {
		// TVMLKit (Apple TV JS Runtime) does not have a window object, just localStorage in the global context
		// The Browser also has localStorage in the global context.
		return localStorage;
	} catch (error) {
		// Swallow
		// XXX (@Qix-) should we be logging these?
	}
}

module.exports = __webpack_require__(897)(exports);

const {formatters} = module.exports;

/**
 * Map %j to `JSON.stringify()`, since no Web Inspectors do that by default.
 */

formatters.j = function (v) {
	try {
		return JSON.stringify(v);
	} catch (error) {
		return '[UnexpectedJSONParseError]: ' + error.message;
	}
};


/***/ }),

/***/ 897:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {


/**
 * This is the common logic for both the Node.js and web browser
 * implementations of `debug()`.
 */

function setup(env) {
	createDebug.debug = createDebug;
	createDebug.default = createDebug;
	createDebug.coerce = coerce;
	createDebug.disable = disable;
	createDebug.enable = enable;
	createDebug.enabled = enabled;
	createDebug.humanize = __webpack_require__(744);
	createDebug.destroy = destroy;

	Object.keys(env).forEach(key => {
		createDebug[key] = env[key];
	});

	/**
	* The currently active debug mode names, and names to skip.
	*/

	createDebug.names = [];
	createDebug.skips = [];

	/**
	* Map of special "%n" handling functions, for the debug "format" argument.
	*
	* Valid key names are a single, lower or upper-case letter, i.e. "n" and "N".
	*/
	createDebug.formatters = {};

	/**
	* Selects a color for a debug namespace
	* @param {String} namespace The namespace string for the debug instance to be colored
	* @return {Number|String} An ANSI color code for the given namespace
	* @api private
	*/
	function selectColor(namespace) {
		let hash = 0;

		for (let i = 0; i < namespace.length; i++) {
			hash = ((hash << 5) - hash) + namespace.charCodeAt(i);
			hash |= 0; // Convert to 32bit integer
		}

		return createDebug.colors[Math.abs(hash) % createDebug.colors.length];
	}
	createDebug.selectColor = selectColor;

	/**
	* Create a debugger with the given `namespace`.
	*
	* @param {String} namespace
	* @return {Function}
	* @api public
	*/
	function createDebug(namespace) {
		let prevTime;
		let enableOverride = null;
		let namespacesCache;
		let enabledCache;

		function debug(...args) {
			// Disabled?
			if (!debug.enabled) {
				return;
			}

			const self = debug;

			// Set `diff` timestamp
			const curr = Number(new Date());
			const ms = curr - (prevTime || curr);
			self.diff = ms;
			self.prev = prevTime;
			self.curr = curr;
			prevTime = curr;

			args[0] = createDebug.coerce(args[0]);

			if (typeof args[0] !== 'string') {
				// Anything else let's inspect with %O
				args.unshift('%O');
			}

			// Apply any `formatters` transformations
			let index = 0;
			args[0] = args[0].replace(/%([a-zA-Z%])/g, (match, format) => {
				// If we encounter an escaped % then don't increase the array index
				if (match === '%%') {
					return '%';
				}
				index++;
				const formatter = createDebug.formatters[format];
				if (typeof formatter === 'function') {
					const val = args[index];
					match = formatter.call(self, val);

					// Now we need to remove `args[index]` since it's inlined in the `format`
					args.splice(index, 1);
					index--;
				}
				return match;
			});

			// Apply env-specific formatting (colors, etc.)
			createDebug.formatArgs.call(self, args);

			const logFn = self.log || createDebug.log;
			logFn.apply(self, args);
		}

		debug.namespace = namespace;
		debug.useColors = createDebug.useColors();
		debug.color = createDebug.selectColor(namespace);
		debug.extend = extend;
		debug.destroy = createDebug.destroy; // XXX Temporary. Will be removed in the next major release.

		Object.defineProperty(debug, 'enabled', {
			enumerable: true,
			configurable: false,
			get: () => {
				if (enableOverride !== null) {
					return enableOverride;
				}
				if (namespacesCache !== createDebug.namespaces) {
					namespacesCache = createDebug.namespaces;
					enabledCache = createDebug.enabled(namespace);
				}

				return enabledCache;
			},
			set: v => {
				enableOverride = v;
			}
		});

		// Env-specific initialization logic for debug instances
		if (typeof createDebug.init === 'function') {
			createDebug.init(debug);
		}

		return debug;
	}

	function extend(namespace, delimiter) {
		const newDebug = createDebug(this.namespace + (typeof delimiter === 'undefined' ? ':' : delimiter) + namespace);
		newDebug.log = this.log;
		return newDebug;
	}

	/**
	* Enables a debug mode by namespaces. This can include modes
	* separated by a colon and wildcards.
	*
	* @param {String} namespaces
	* @api public
	*/
	function enable(namespaces) {
		createDebug.save(namespaces);
		createDebug.namespaces = namespaces;

		createDebug.names = [];
		createDebug.skips = [];

		const split = (typeof namespaces === 'string' ? namespaces : '')
			.trim()
			.replace(/\s+/g, ',')
			.split(',')
			.filter(Boolean);

		for (const ns of split) {
			if (ns[0] === '-') {
				createDebug.skips.push(ns.slice(1));
			} else {
				createDebug.names.push(ns);
			}
		}
	}

	/**
	 * Checks if the given string matches a namespace template, honoring
	 * asterisks as wildcards.
	 *
	 * @param {String} search
	 * @param {String} template
	 * @return {Boolean}
	 */
	function matchesTemplate(search, template) {
		let searchIndex = 0;
		let templateIndex = 0;
		let starIndex = -1;
		let matchIndex = 0;

		while (searchIndex < search.length) {
			if (templateIndex < template.length && (template[templateIndex] === search[searchIndex] || template[templateIndex] === '*')) {
				// Match character or proceed with wildcard
				if (template[templateIndex] === '*') {
					starIndex = templateIndex;
					matchIndex = searchIndex;
					templateIndex++; // Skip the '*'
				} else {
					searchIndex++;
					templateIndex++;
				}
			} else if (starIndex !== -1) { // eslint-disable-line no-negated-condition
				// Backtrack to the last '*' and try to match more characters
				templateIndex = starIndex + 1;
				matchIndex++;
				searchIndex = matchIndex;
			} else {
				return false; // No match
			}
		}

		// Handle trailing '*' in template
		while (templateIndex < template.length && template[templateIndex] === '*') {
			templateIndex++;
		}

		return templateIndex === template.length;
	}

	/**
	* Disable debug output.
	*
	* @return {String} namespaces
	* @api public
	*/
	function disable() {
		const namespaces = [
			...createDebug.names,
			...createDebug.skips.map(namespace => '-' + namespace)
		].join(',');
		createDebug.enable('');
		return namespaces;
	}

	/**
	* Returns true if the given mode name is enabled, false otherwise.
	*
	* @param {String} name
	* @return {Boolean}
	* @api public
	*/
	function enabled(name) {
		for (const skip of createDebug.skips) {
			if (matchesTemplate(name, skip)) {
				return false;
			}
		}

		for (const ns of createDebug.names) {
			if (matchesTemplate(name, ns)) {
				return true;
			}
		}

		return false;
	}

	/**
	* Coerce `val`.
	*
	* @param {Mixed} val
	* @return {Mixed}
	* @api private
	*/
	function coerce(val) {
		if (val instanceof Error) {
			return val.stack || val.message;
		}
		return val;
	}

	/**
	* XXX DO NOT USE. This is a temporary stub function.
	* XXX It WILL be removed in the next major release.
	*/
	function destroy() {
		console.warn('Instance method `debug.destroy()` is deprecated and no longer does anything. It will be removed in the next major version of `debug`.');
	}

	createDebug.enable(createDebug.load());

	return createDebug;
}

module.exports = setup;


/***/ }),

/***/ 2830:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {

/**
 * Detect Electron renderer / nwjs process, which is node, but we should
 * treat as a browser.
 */

if (typeof process === 'undefined' || process.type === 'renderer' || process.browser === true || process.__nwjs) {
	module.exports = __webpack_require__(6110);
} else {
	module.exports = __webpack_require__(5108);
}


/***/ }),

/***/ 5108:
/***/ ((module, exports, __webpack_require__) => {

/**
 * Module dependencies.
 */

const tty = __webpack_require__(2018);
const util = __webpack_require__(9023);

/**
 * This is the Node.js implementation of `debug()`.
 */

exports.init = init;
exports.log = log;
exports.formatArgs = formatArgs;
exports.save = save;
exports.load = load;
exports.useColors = useColors;
exports.destroy = util.deprecate(
	() => {},
	'Instance method `debug.destroy()` is deprecated and no longer does anything. It will be removed in the next major version of `debug`.'
);

/**
 * Colors.
 */

exports.colors = [6, 2, 3, 4, 5, 1];

try {
	// Optional dependency (as in, doesn't need to be installed, NOT like optionalDependencies in package.json)
	// eslint-disable-next-line import/no-extraneous-dependencies
	const supportsColor = __webpack_require__(1450);

	if (supportsColor && (supportsColor.stderr || supportsColor).level >= 2) {
		exports.colors = [
			20,
			21,
			26,
			27,
			32,
			33,
			38,
			39,
			40,
			41,
			42,
			43,
			44,
			45,
			56,
			57,
			62,
			63,
			68,
			69,
			74,
			75,
			76,
			77,
			78,
			79,
			80,
			81,
			92,
			93,
			98,
			99,
			112,
			113,
			128,
			129,
			134,
			135,
			148,
			149,
			160,
			161,
			162,
			163,
			164,
			165,
			166,
			167,
			168,
			169,
			170,
			171,
			172,
			173,
			178,
			179,
			184,
			185,
			196,
			197,
			198,
			199,
			200,
			201,
			202,
			203,
			204,
			205,
			206,
			207,
			208,
			209,
			214,
			215,
			220,
			221
		];
	}
} catch (error) {
	// Swallow - we only care if `supports-color` is available; it doesn't have to be.
}

/**
 * Build up the default `inspectOpts` object from the environment variables.
 *
 *   $ DEBUG_COLORS=no DEBUG_DEPTH=10 DEBUG_SHOW_HIDDEN=enabled node script.js
 */

exports.inspectOpts = Object.keys(process.env).filter(key => {
	return /^debug_/i.test(key);
}).reduce((obj, key) => {
	// Camel-case
	const prop = key
		.substring(6)
		.toLowerCase()
		.replace(/_([a-z])/g, (_, k) => {
			return k.toUpperCase();
		});

	// Coerce string value into JS value
	let val = process.env[key];
	if (/^(yes|on|true|enabled)$/i.test(val)) {
		val = true;
	} else if (/^(no|off|false|disabled)$/i.test(val)) {
		val = false;
	} else if (val === 'null') {
		val = null;
	} else {
		val = Number(val);
	}

	obj[prop] = val;
	return obj;
}, {});

/**
 * Is stdout a TTY? Colored output is enabled when `true`.
 */

function useColors() {
	return 'colors' in exports.inspectOpts ?
		Boolean(exports.inspectOpts.colors) :
		tty.isatty(process.stderr.fd);
}

/**
 * Adds ANSI color escape codes if enabled.
 *
 * @api public
 */

function formatArgs(args) {
	const {namespace: name, useColors} = this;

	if (useColors) {
		const c = this.color;
		const colorCode = '\u001B[3' + (c < 8 ? c : '8;5;' + c);
		const prefix = `  ${colorCode};1m${name} \u001B[0m`;

		args[0] = prefix + args[0].split('\n').join('\n' + prefix);
		args.push(colorCode + 'm+' + module.exports.humanize(this.diff) + '\u001B[0m');
	} else {
		args[0] = getDate() + name + ' ' + args[0];
	}
}

function getDate() {
	if (exports.inspectOpts.hideDate) {
		return '';
	}
	return new Date().toISOString() + ' ';
}

/**
 * Invokes `util.formatWithOptions()` with the specified arguments and writes to stderr.
 */

function log(...args) {
	return process.stderr.write(util.formatWithOptions(exports.inspectOpts, ...args) + '\n');
}

/**
 * Save `namespaces`.
 *
 * @param {String} namespaces
 * @api private
 */
function save(namespaces) {
	if (namespaces) {
		process.env.DEBUG = namespaces;
	} else {
		// If you set a process.env field to null or undefined, it gets cast to the
		// string 'null' or 'undefined'. Just delete instead.
		delete process.env.DEBUG;
	}
}

/**
 * Load `namespaces`.
 *
 * @return {String} returns the previously persisted debug modes
 * @api private
 */

function load() {
	return process.env.DEBUG;
}

/**
 * Init logic for `debug` instances.
 *
 * Create a new `inspectOpts` object in case `useColors` is set
 * differently for a particular `debug` instance.
 */

function init(debug) {
	debug.inspectOpts = {};

	const keys = Object.keys(exports.inspectOpts);
	for (let i = 0; i < keys.length; i++) {
		debug.inspectOpts[keys[i]] = exports.inspectOpts[keys[i]];
	}
}

module.exports = __webpack_require__(897)(exports);

const {formatters} = module.exports;

/**
 * Map %o to `util.inspect()`, all on a single line.
 */

formatters.o = function (v) {
	this.inspectOpts.colors = this.useColors;
	return util.inspect(v, this.inspectOpts)
		.split('\n')
		.map(str => str.trim())
		.join(' ');
};

/**
 * Map %O to `util.inspect()`, allowing multiple lines if needed.
 */

formatters.O = function (v) {
	this.inspectOpts.colors = this.useColors;
	return util.inspect(v, this.inspectOpts);
};


/***/ }),

/***/ 3813:
/***/ ((module) => {



module.exports = (flag, argv = process.argv) => {
	const prefix = flag.startsWith('-') ? '' : (flag.length === 1 ? '-' : '--');
	const position = argv.indexOf(prefix + flag);
	const terminatorPosition = argv.indexOf('--');
	return position !== -1 && (terminatorPosition === -1 || position < terminatorPosition);
};


/***/ }),

/***/ 744:
/***/ ((module) => {

/**
 * Helpers.
 */

var s = 1000;
var m = s * 60;
var h = m * 60;
var d = h * 24;
var w = d * 7;
var y = d * 365.25;

/**
 * Parse or format the given `val`.
 *
 * Options:
 *
 *  - `long` verbose formatting [false]
 *
 * @param {String|Number} val
 * @param {Object} [options]
 * @throws {Error} throw an error if val is not a non-empty string or a number
 * @return {String|Number}
 * @api public
 */

module.exports = function (val, options) {
  options = options || {};
  var type = typeof val;
  if (type === 'string' && val.length > 0) {
    return parse(val);
  } else if (type === 'number' && isFinite(val)) {
    return options.long ? fmtLong(val) : fmtShort(val);
  }
  throw new Error(
    'val is not a non-empty string or a valid number. val=' +
      JSON.stringify(val)
  );
};

/**
 * Parse the given `str` and return milliseconds.
 *
 * @param {String} str
 * @return {Number}
 * @api private
 */

function parse(str) {
  str = String(str);
  if (str.length > 100) {
    return;
  }
  var match = /^(-?(?:\d+)?\.?\d+) *(milliseconds?|msecs?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|years?|yrs?|y)?$/i.exec(
    str
  );
  if (!match) {
    return;
  }
  var n = parseFloat(match[1]);
  var type = (match[2] || 'ms').toLowerCase();
  switch (type) {
    case 'years':
    case 'year':
    case 'yrs':
    case 'yr':
    case 'y':
      return n * y;
    case 'weeks':
    case 'week':
    case 'w':
      return n * w;
    case 'days':
    case 'day':
    case 'd':
      return n * d;
    case 'hours':
    case 'hour':
    case 'hrs':
    case 'hr':
    case 'h':
      return n * h;
    case 'minutes':
    case 'minute':
    case 'mins':
    case 'min':
    case 'm':
      return n * m;
    case 'seconds':
    case 'second':
    case 'secs':
    case 'sec':
    case 's':
      return n * s;
    case 'milliseconds':
    case 'millisecond':
    case 'msecs':
    case 'msec':
    case 'ms':
      return n;
    default:
      return undefined;
  }
}

/**
 * Short format for `ms`.
 *
 * @param {Number} ms
 * @return {String}
 * @api private
 */

function fmtShort(ms) {
  var msAbs = Math.abs(ms);
  if (msAbs >= d) {
    return Math.round(ms / d) + 'd';
  }
  if (msAbs >= h) {
    return Math.round(ms / h) + 'h';
  }
  if (msAbs >= m) {
    return Math.round(ms / m) + 'm';
  }
  if (msAbs >= s) {
    return Math.round(ms / s) + 's';
  }
  return ms + 'ms';
}

/**
 * Long format for `ms`.
 *
 * @param {Number} ms
 * @return {String}
 * @api private
 */

function fmtLong(ms) {
  var msAbs = Math.abs(ms);
  if (msAbs >= d) {
    return plural(ms, msAbs, d, 'day');
  }
  if (msAbs >= h) {
    return plural(ms, msAbs, h, 'hour');
  }
  if (msAbs >= m) {
    return plural(ms, msAbs, m, 'minute');
  }
  if (msAbs >= s) {
    return plural(ms, msAbs, s, 'second');
  }
  return ms + ' ms';
}

/**
 * Pluralization helper.
 */

function plural(ms, msAbs, n, name) {
  var isPlural = msAbs >= n * 1.5;
  return Math.round(ms / n) + ' ' + name + (isPlural ? 's' : '');
}


/***/ }),

/***/ 1450:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {


const os = __webpack_require__(857);
const tty = __webpack_require__(2018);
const hasFlag = __webpack_require__(3813);

const {env} = process;

let forceColor;
if (hasFlag('no-color') ||
	hasFlag('no-colors') ||
	hasFlag('color=false') ||
	hasFlag('color=never')) {
	forceColor = 0;
} else if (hasFlag('color') ||
	hasFlag('colors') ||
	hasFlag('color=true') ||
	hasFlag('color=always')) {
	forceColor = 1;
}

if ('FORCE_COLOR' in env) {
	if (env.FORCE_COLOR === 'true') {
		forceColor = 1;
	} else if (env.FORCE_COLOR === 'false') {
		forceColor = 0;
	} else {
		forceColor = env.FORCE_COLOR.length === 0 ? 1 : Math.min(parseInt(env.FORCE_COLOR, 10), 3);
	}
}

function translateLevel(level) {
	if (level === 0) {
		return false;
	}

	return {
		level,
		hasBasic: true,
		has256: level >= 2,
		has16m: level >= 3
	};
}

function supportsColor(haveStream, streamIsTTY) {
	if (forceColor === 0) {
		return 0;
	}

	if (hasFlag('color=16m') ||
		hasFlag('color=full') ||
		hasFlag('color=truecolor')) {
		return 3;
	}

	if (hasFlag('color=256')) {
		return 2;
	}

	if (haveStream && !streamIsTTY && forceColor === undefined) {
		return 0;
	}

	const min = forceColor || 0;

	if (env.TERM === 'dumb') {
		return min;
	}

	if (process.platform === 'win32') {
		// Windows 10 build 10586 is the first Windows release that supports 256 colors.
		// Windows 10 build 14931 is the first release that supports 16m/TrueColor.
		const osRelease = os.release().split('.');
		if (
			Number(osRelease[0]) >= 10 &&
			Number(osRelease[2]) >= 10586
		) {
			return Number(osRelease[2]) >= 14931 ? 3 : 2;
		}

		return 1;
	}

	if ('CI' in env) {
		if (['TRAVIS', 'CIRCLECI', 'APPVEYOR', 'GITLAB_CI', 'GITHUB_ACTIONS', 'BUILDKITE'].some(sign => sign in env) || env.CI_NAME === 'codeship') {
			return 1;
		}

		return min;
	}

	if ('TEAMCITY_VERSION' in env) {
		return /^(9\.(0*[1-9]\d*)\.|\d{2,}\.)/.test(env.TEAMCITY_VERSION) ? 1 : 0;
	}

	if (env.COLORTERM === 'truecolor') {
		return 3;
	}

	if ('TERM_PROGRAM' in env) {
		const version = parseInt((env.TERM_PROGRAM_VERSION || '').split('.')[0], 10);

		switch (env.TERM_PROGRAM) {
			case 'iTerm.app':
				return version >= 3 ? 3 : 2;
			case 'Apple_Terminal':
				return 2;
			// No default
		}
	}

	if (/-256(color)?$/i.test(env.TERM)) {
		return 2;
	}

	if (/^screen|^xterm|^vt100|^vt220|^rxvt|color|ansi|cygwin|linux/i.test(env.TERM)) {
		return 1;
	}

	if ('COLORTERM' in env) {
		return 1;
	}

	return min;
}

function getSupportLevel(stream) {
	const level = supportsColor(stream, stream && stream.isTTY);
	return translateLevel(level);
}

module.exports = {
	supportsColor: getSupportLevel,
	stdout: translateLevel(supportsColor(true, tty.isatty(1))),
	stderr: translateLevel(supportsColor(true, tty.isatty(2)))
};


/***/ }),

/***/ 319:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  g6: () => (/* binding */ Agent)
});

// UNUSED EXPORTS: json, req, toBuffer

// EXTERNAL MODULE: external "net"
var external_net_ = __webpack_require__(9278);
// EXTERNAL MODULE: external "http"
var external_http_ = __webpack_require__(8611);
// EXTERNAL MODULE: external "https"
var external_https_ = __webpack_require__(5692);
;// CONCATENATED MODULE: ./node_modules/agent-base/dist/helpers.js


async function toBuffer(stream) {
    let length = 0;
    const chunks = [];
    for await (const chunk of stream) {
        length += chunk.length;
        chunks.push(chunk);
    }
    return Buffer.concat(chunks, length);
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function json(stream) {
    const buf = await toBuffer(stream);
    const str = buf.toString('utf8');
    try {
        return JSON.parse(str);
    }
    catch (_err) {
        const err = _err;
        err.message += ` (input: ${str})`;
        throw err;
    }
}
function req(url, opts = {}) {
    const href = typeof url === 'string' ? url : url.href;
    const req = (href.startsWith('https:') ? https : http).request(url, opts);
    const promise = new Promise((resolve, reject) => {
        req
            .once('response', resolve)
            .once('error', reject)
            .end();
    });
    req.then = promise.then.bind(promise);
    return req;
}
//# sourceMappingURL=helpers.js.map
;// CONCATENATED MODULE: ./node_modules/agent-base/dist/index.js




const INTERNAL = Symbol('AgentBaseInternalState');
class Agent extends external_http_.Agent {
    constructor(opts) {
        super(opts);
        this[INTERNAL] = {};
    }
    /**
     * Determine whether this is an `http` or `https` request.
     */
    isSecureEndpoint(options) {
        if (options) {
            // First check the `secureEndpoint` property explicitly, since this
            // means that a parent `Agent` is "passing through" to this instance.
            // eslint-disable-next-line @typescript-eslint/no-explicit-any
            if (typeof options.secureEndpoint === 'boolean') {
                return options.secureEndpoint;
            }
            // If no explicit `secure` endpoint, check if `protocol` property is
            // set. This will usually be the case since using a full string URL
            // or `URL` instance should be the most common usage.
            if (typeof options.protocol === 'string') {
                return options.protocol === 'https:';
            }
        }
        // Finally, if no `protocol` property was set, then fall back to
        // checking the stack trace of the current call stack, and try to
        // detect the "https" module.
        const { stack } = new Error();
        if (typeof stack !== 'string')
            return false;
        return stack
            .split('\n')
            .some((l) => l.indexOf('(https.js:') !== -1 ||
            l.indexOf('node:https:') !== -1);
    }
    // In order to support async signatures in `connect()` and Node's native
    // connection pooling in `http.Agent`, the array of sockets for each origin
    // has to be updated synchronously. This is so the length of the array is
    // accurate when `addRequest()` is next called. We achieve this by creating a
    // fake socket and adding it to `sockets[origin]` and incrementing
    // `totalSocketCount`.
    incrementSockets(name) {
        // If `maxSockets` and `maxTotalSockets` are both Infinity then there is no
        // need to create a fake socket because Node.js native connection pooling
        // will never be invoked.
        if (this.maxSockets === Infinity && this.maxTotalSockets === Infinity) {
            return null;
        }
        // All instances of `sockets` are expected TypeScript errors. The
        // alternative is to add it as a private property of this class but that
        // will break TypeScript subclassing.
        if (!this.sockets[name]) {
            // @ts-expect-error `sockets` is readonly in `@types/node`
            this.sockets[name] = [];
        }
        const fakeSocket = new external_net_.Socket({ writable: false });
        this.sockets[name].push(fakeSocket);
        // @ts-expect-error `totalSocketCount` isn't defined in `@types/node`
        this.totalSocketCount++;
        return fakeSocket;
    }
    decrementSockets(name, socket) {
        if (!this.sockets[name] || socket === null) {
            return;
        }
        const sockets = this.sockets[name];
        const index = sockets.indexOf(socket);
        if (index !== -1) {
            sockets.splice(index, 1);
            // @ts-expect-error  `totalSocketCount` isn't defined in `@types/node`
            this.totalSocketCount--;
            if (sockets.length === 0) {
                // @ts-expect-error `sockets` is readonly in `@types/node`
                delete this.sockets[name];
            }
        }
    }
    // In order to properly update the socket pool, we need to call `getName()` on
    // the core `https.Agent` if it is a secureEndpoint.
    getName(options) {
        const secureEndpoint = this.isSecureEndpoint(options);
        if (secureEndpoint) {
            return external_https_.Agent.prototype.getName.call(this, options);
        }
        return super.getName(options);
    }
    createSocket(req, options, cb) {
        const connectOpts = {
            ...options,
            secureEndpoint: this.isSecureEndpoint(options),
        };
        const name = this.getName(connectOpts);
        const fakeSocket = this.incrementSockets(name);
        Promise.resolve()
            .then(() => this.connect(req, connectOpts))
            .then((socket) => {
            this.decrementSockets(name, fakeSocket);
            if (typeof socket
                .addRequest === 'function') {
                try {
                    return socket.addRequest(req, connectOpts);
                }
                catch (err) {
                    return cb(err);
                }
            }
            this[INTERNAL].currentSocket = socket;
            // @ts-expect-error `createSocket()` isn't defined in `@types/node`
            super.createSocket(req, options, cb);
        }, (err) => {
            this.decrementSockets(name, fakeSocket);
            cb(err);
        });
    }
    createConnection() {
        const socket = this[INTERNAL].currentSocket;
        this[INTERNAL].currentSocket = undefined;
        if (!socket) {
            throw new Error('No socket was returned in the `connect()` function');
        }
        return socket;
    }
    get defaultPort() {
        return (this[INTERNAL].defaultPort ??
            (this.protocol === 'https:' ? 443 : 80));
    }
    set defaultPort(v) {
        if (this[INTERNAL]) {
            this[INTERNAL].defaultPort = v;
        }
    }
    get protocol() {
        return (this[INTERNAL].protocol ??
            (this.isSecureEndpoint() ? 'https:' : 'http:'));
    }
    set protocol(v) {
        if (this[INTERNAL]) {
            this[INTERNAL].protocol = v;
        }
    }
}
//# sourceMappingURL=index.js.map

/***/ }),

/***/ 8947:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   s: () => (/* binding */ HttpProxyAgent)
/* harmony export */ });
/* harmony import */ var net__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9278);
/* harmony import */ var tls__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4756);
/* harmony import */ var debug__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2830);
/* harmony import */ var events__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4434);
/* harmony import */ var agent_base__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(319);
/* harmony import */ var url__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(7016);
/* harmony import */ var proxy_agent_negotiate__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(6825);







const debug = debug__WEBPACK_IMPORTED_MODULE_2__('http-proxy-agent');
/**
 * The `HttpProxyAgent` implements an HTTP Agent subclass that connects
 * to the specified "HTTP proxy server" in order to proxy HTTP requests.
 */
class HttpProxyAgent extends agent_base__WEBPACK_IMPORTED_MODULE_4__/* .Agent */ .g6 {
    constructor(proxy, opts) {
        super(opts);
        this.proxy = typeof proxy === 'string' ? new url__WEBPACK_IMPORTED_MODULE_5__.URL(proxy) : proxy;
        this.proxyHeaders = opts?.headers ?? {};
        debug('Creating new HttpProxyAgent instance: %o', this.proxy.href);
        if (opts?.negotiate) {
            this.onProxyAuth = (0,proxy_agent_negotiate__WEBPACK_IMPORTED_MODULE_6__/* .createNegotiateAuth */ .h)();
        }
        else if (opts?.onProxyAuth) {
            this.onProxyAuth = opts.onProxyAuth;
        }
        // Trim off the brackets from IPv6 addresses
        const host = (this.proxy.hostname || this.proxy.host).replace(/^\[|\]$/g, '');
        const port = this.proxy.port
            ? parseInt(this.proxy.port, 10)
            : this.proxy.protocol === 'https:'
                ? 443
                : 80;
        this.connectOpts = {
            ...(opts
                ? omit(opts, 'headers', 'onProxyAuth', 'negotiate')
                : null),
            host,
            port,
        };
    }
    addRequest(req, opts) {
        req._header = null;
        this.setRequestProps(req, opts);
        // @ts-expect-error `addRequest()` isn't defined in `@types/node`
        super.addRequest(req, opts);
    }
    setRequestProps(req, opts) {
        const { proxy } = this;
        const protocol = opts.secureEndpoint ? 'https:' : 'http:';
        const hostname = req.getHeader('host') || 'localhost';
        const base = `${protocol}//${hostname}`;
        const url = new url__WEBPACK_IMPORTED_MODULE_5__.URL(req.path, base);
        if (opts.port !== 80) {
            url.port = String(opts.port);
        }
        // Change the `http.ClientRequest` instance's "path" field
        // to the absolute path of the URL that will be requested.
        req.path = String(url);
        // Inject the `Proxy-Authorization` header if necessary.
        const headers = typeof this.proxyHeaders === 'function'
            ? this.proxyHeaders()
            : { ...this.proxyHeaders };
        if (proxy.username || proxy.password) {
            const auth = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
            headers['Proxy-Authorization'] = `Basic ${Buffer.from(auth).toString('base64')}`;
        }
        if (!headers['Proxy-Connection']) {
            headers['Proxy-Connection'] = this.keepAlive
                ? 'Keep-Alive'
                : 'close';
        }
        for (const name of Object.keys(headers)) {
            const value = headers[name];
            if (value) {
                req.setHeader(name, value);
            }
        }
    }
    async connect(req, opts) {
        req._header = null;
        if (!req.path.includes('://')) {
            this.setRequestProps(req, opts);
        }
        // At this point, the http ClientRequest's internal `_header` field
        // might have already been set. If this is the case then we'll need
        // to re-generate the string since we just changed the `req.path`.
        let first;
        let endOfHeaders;
        debug('Regenerating stored HTTP header string for request');
        req._implicitHeader();
        if (req.outputData && req.outputData.length > 0) {
            debug('Patching connection write() output buffer with updated header');
            first = req.outputData[0].data;
            endOfHeaders = first.indexOf('\r\n\r\n') + 4;
            req.outputData[0].data =
                req._header + first.substring(endOfHeaders);
            debug('Output buffer: %o', req.outputData[0].data);
        }
        // Create a socket connection to the proxy server.
        let socket;
        if (this.proxy.protocol === 'https:') {
            debug('Creating `tls.Socket`: %o', this.connectOpts);
            socket = tls__WEBPACK_IMPORTED_MODULE_1__.connect(this.connectOpts);
        }
        else {
            debug('Creating `net.Socket`: %o', this.connectOpts);
            socket = net__WEBPACK_IMPORTED_MODULE_0__.connect(this.connectOpts);
        }
        // Wait for the socket's `connect` event, so that this `callback()`
        // function throws instead of the `http` request machinery. This is
        // important for i.e. `PacProxyAgent` which determines a failed proxy
        // connection via the `callback()` function throwing.
        await (0,events__WEBPACK_IMPORTED_MODULE_3__.once)(socket, 'connect');
        // Emit the 'proxyConnect' event for parity with https-proxy-agent
        const connect = { socket };
        req.emit('proxyConnect', connect);
        this.emit('proxyConnect', connect, req);
        req.emit('proxy', { proxy: this.proxy.href, socket });
        return socket;
    }
}
HttpProxyAgent.protocols = ['http', 'https'];
function omit(obj, ...keys) {
    const ret = {};
    let key;
    for (key in obj) {
        if (!keys.includes(key)) {
            ret[key] = obj[key];
        }
    }
    return ret;
}
//# sourceMappingURL=index.js.map

/***/ }),

/***/ 1566:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  b: () => (/* binding */ HttpsProxyAgent)
});

// EXTERNAL MODULE: external "net"
var external_net_ = __webpack_require__(9278);
// EXTERNAL MODULE: external "tls"
var external_tls_ = __webpack_require__(4756);
// EXTERNAL MODULE: external "assert"
var external_assert_ = __webpack_require__(2613);
// EXTERNAL MODULE: ./node_modules/debug/src/index.js
var src = __webpack_require__(2830);
// EXTERNAL MODULE: ./node_modules/agent-base/dist/index.js + 1 modules
var dist = __webpack_require__(319);
// EXTERNAL MODULE: external "url"
var external_url_ = __webpack_require__(7016);
;// CONCATENATED MODULE: ./node_modules/https-proxy-agent/dist/parse-proxy-response.js

const debug = src('https-proxy-agent:parse-proxy-response');
function parseProxyResponse(socket) {
    return new Promise((resolve, reject) => {
        // we need to buffer any HTTP traffic that happens with the proxy before we get
        // the CONNECT response, so that if the response is anything other than an "200"
        // response code, then we can re-play the "data" events on the socket once the
        // HTTP parser is hooked up...
        let buffersLength = 0;
        const buffers = [];
        function read() {
            const b = socket.read();
            if (b)
                ondata(b);
            else
                socket.once('readable', read);
        }
        function cleanup() {
            socket.removeListener('end', onend);
            socket.removeListener('error', onerror);
            socket.removeListener('readable', read);
        }
        function onend() {
            cleanup();
            debug('onend');
            reject(new Error('Proxy connection ended before receiving CONNECT response'));
        }
        function onerror(err) {
            cleanup();
            debug('onerror %o', err);
            reject(err);
        }
        function ondata(b) {
            buffers.push(b);
            buffersLength += b.length;
            const buffered = Buffer.concat(buffers, buffersLength);
            const endOfHeaders = buffered.indexOf('\r\n\r\n');
            if (endOfHeaders === -1) {
                // keep buffering
                debug('have not received end of HTTP headers yet...');
                read();
                return;
            }
            const headerParts = buffered
                .slice(0, endOfHeaders)
                .toString('ascii')
                .split('\r\n');
            const firstLine = headerParts.shift();
            if (!firstLine) {
                socket.destroy();
                return reject(new Error('No header received from proxy CONNECT response'));
            }
            const firstLineParts = firstLine.split(' ');
            const statusCode = +firstLineParts[1];
            const statusText = firstLineParts.slice(2).join(' ');
            const headers = {};
            for (const header of headerParts) {
                if (!header)
                    continue;
                const firstColon = header.indexOf(':');
                if (firstColon === -1) {
                    socket.destroy();
                    return reject(new Error(`Invalid header from proxy CONNECT response: "${header}"`));
                }
                const key = header.slice(0, firstColon).toLowerCase();
                const value = header.slice(firstColon + 1).trimStart();
                const current = headers[key];
                if (typeof current === 'string') {
                    headers[key] = [current, value];
                }
                else if (Array.isArray(current)) {
                    current.push(value);
                }
                else {
                    headers[key] = value;
                }
            }
            debug('got proxy server response: %o %o', firstLine, headers);
            cleanup();
            resolve({
                connect: {
                    statusCode,
                    statusText,
                    headers,
                },
                buffered,
            });
        }
        socket.on('error', onerror);
        socket.on('end', onend);
        read();
    });
}
//# sourceMappingURL=parse-proxy-response.js.map
// EXTERNAL MODULE: ./node_modules/proxy-agent-negotiate/dist/index.js
var proxy_agent_negotiate_dist = __webpack_require__(6825);
;// CONCATENATED MODULE: ./node_modules/https-proxy-agent/dist/index.js








const dist_debug = src('https-proxy-agent');
const setServernameFromNonIpHost = (options) => {
    if (options.servername === undefined &&
        options.host &&
        !external_net_.isIP(options.host)) {
        return {
            ...options,
            servername: options.host,
        };
    }
    return options;
};
/**
 * The `HttpsProxyAgent` implements an HTTP Agent subclass that connects to
 * the specified "HTTP(s) proxy server" in order to proxy HTTPS requests.
 *
 * Outgoing HTTP requests are first tunneled through the proxy server using the
 * `CONNECT` HTTP request method to establish a connection to the proxy server,
 * and then the proxy server connects to the destination target and issues the
 * HTTP request from the proxy server.
 *
 * `https:` requests have their socket connection upgraded to TLS once
 * the connection to the proxy server has been established.
 */
class HttpsProxyAgent extends dist/* Agent */.g6 {
    constructor(proxy, opts) {
        super(opts);
        this.options = { path: undefined };
        this.proxy = typeof proxy === 'string' ? new external_url_.URL(proxy) : proxy;
        this.proxyHeaders = opts?.headers ?? {};
        dist_debug('Creating new HttpsProxyAgent instance: %o', this.proxy.href);
        if (opts?.negotiate) {
            this.onProxyAuth = (0,proxy_agent_negotiate_dist/* createNegotiateAuth */.h)();
        }
        else if (opts?.onProxyAuth) {
            this.onProxyAuth = opts.onProxyAuth;
        }
        // Trim off the brackets from IPv6 addresses
        const host = (this.proxy.hostname || this.proxy.host).replace(/^\[|\]$/g, '');
        const port = this.proxy.port
            ? parseInt(this.proxy.port, 10)
            : this.proxy.protocol === 'https:'
                ? 443
                : 80;
        this.connectOpts = {
            // Attempt to negotiate http/1.1 for proxy servers that support http/2
            ALPNProtocols: ['http/1.1'],
            ...(opts
                ? omit(opts, 'headers', 'onProxyAuth', 'negotiate')
                : null),
            host,
            port,
        };
    }
    /**
     * Called when the node-core HTTP client library is creating a
     * new HTTP request.
     */
    async connect(req, opts) {
        const { proxy } = this;
        if (!opts.host) {
            throw new TypeError('No "host" provided');
        }
        // Create a socket connection to the proxy server.
        let socket;
        if (proxy.protocol === 'https:') {
            dist_debug('Creating `tls.Socket`: %o', this.connectOpts);
            socket = external_tls_.connect(setServernameFromNonIpHost(this.connectOpts));
        }
        else {
            dist_debug('Creating `net.Socket`: %o', this.connectOpts);
            socket = external_net_.connect(this.connectOpts);
        }
        const headers = typeof this.proxyHeaders === 'function'
            ? this.proxyHeaders()
            : { ...this.proxyHeaders };
        const host = external_net_.isIPv6(opts.host) ? `[${opts.host}]` : opts.host;
        let payload = `CONNECT ${host}:${opts.port} HTTP/1.1\r\n`;
        // Inject the `Proxy-Authorization` header if necessary.
        if (proxy.username || proxy.password) {
            const auth = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
            headers['Proxy-Authorization'] = `Basic ${Buffer.from(auth).toString('base64')}`;
        }
        headers.Host = `${host}:${opts.port}`;
        if (!headers['Proxy-Connection']) {
            headers['Proxy-Connection'] = this.keepAlive
                ? 'Keep-Alive'
                : 'close';
        }
        for (const name of Object.keys(headers)) {
            payload += `${name}: ${headers[name]}\r\n`;
        }
        const proxyResponsePromise = parseProxyResponse(socket);
        socket.write(`${payload}\r\n`);
        const { connect, buffered } = await proxyResponsePromise;
        req.emit('proxyConnect', connect);
        this.emit('proxyConnect', connect, req);
        req.emit('proxy', { proxy: this.proxy.href, socket });
        if (connect.statusCode === 200) {
            req.once('socket', resume);
            if (opts.secureEndpoint) {
                // The proxy is connecting to a TLS server, so upgrade
                // this socket connection to a TLS connection.
                dist_debug('Upgrading socket connection to TLS');
                return external_tls_.connect({
                    ...omit(setServernameFromNonIpHost(opts), 'host', 'path', 'port'),
                    socket,
                });
            }
            return socket;
        }
        // Handle 407 Proxy Authentication Required
        if (connect.statusCode === 407 && this.onProxyAuth) {
            dist_debug('Got 407 response, invoking onProxyAuth callback');
            socket.destroy();
            const proxyAuthenticate = connect.headers['proxy-authenticate'] || '';
            const scheme = Array.isArray(proxyAuthenticate)
                ? proxyAuthenticate[0].split(/\s/)[0]
                : proxyAuthenticate.split(/\s/)[0];
            const authResponse = await this.onProxyAuth({
                response: connect,
                scheme,
            });
            // Retry with the auth headers
            return this._connectWithAuth(req, opts, authResponse.headers);
        }
        // Some other status code that's not 200... need to re-play the HTTP
        // header "data" events onto the socket once the HTTP machinery is
        // attached so that the node core `http` can parse and handle the
        // error status code.
        // Close the original socket, and a new "fake" socket is returned
        // instead, so that the proxy doesn't get the HTTP request
        // written to it (which may contain `Authorization` headers or other
        // sensitive data).
        //
        // See: https://hackerone.com/reports/541502
        socket.destroy();
        const fakeSocket = new external_net_.Socket({ writable: false });
        fakeSocket.readable = true;
        // Need to wait for the "socket" event to re-play the "data" events.
        req.once('socket', (s) => {
            dist_debug('Replaying proxy buffer for failed request');
            external_assert_(s.listenerCount('data') > 0);
            // Replay the "buffered" Buffer onto the fake `socket`, since at
            // this point the HTTP module machinery has been hooked up for
            // the user.
            s.push(buffered);
            s.push(null);
        });
        return fakeSocket;
    }
    /**
     * Retry a CONNECT request with additional auth headers.
     */
    async _connectWithAuth(req, opts, authHeaders) {
        const { proxy } = this;
        let socket;
        if (proxy.protocol === 'https:') {
            socket = external_tls_.connect(setServernameFromNonIpHost(this.connectOpts));
        }
        else {
            socket = external_net_.connect(this.connectOpts);
        }
        const headers = typeof this.proxyHeaders === 'function'
            ? this.proxyHeaders()
            : { ...this.proxyHeaders };
        const host = external_net_.isIPv6(opts.host) ? `[${opts.host}]` : opts.host;
        let payload = `CONNECT ${host}:${opts.port} HTTP/1.1\r\n`;
        if (proxy.username || proxy.password) {
            const auth = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
            headers['Proxy-Authorization'] = `Basic ${Buffer.from(auth).toString('base64')}`;
        }
        // Merge auth headers (overrides existing)
        Object.assign(headers, authHeaders);
        headers.Host = `${host}:${opts.port}`;
        if (!headers['Proxy-Connection']) {
            headers['Proxy-Connection'] = this.keepAlive
                ? 'Keep-Alive'
                : 'close';
        }
        for (const name of Object.keys(headers)) {
            payload += `${name}: ${headers[name]}\r\n`;
        }
        const proxyResponsePromise = parseProxyResponse(socket);
        socket.write(`${payload}\r\n`);
        const { connect } = await proxyResponsePromise;
        req.emit('proxyConnect', connect);
        this.emit('proxyConnect', connect, req);
        if (connect.statusCode === 200) {
            req.once('socket', resume);
            if (opts.secureEndpoint) {
                dist_debug('Upgrading socket connection to TLS');
                return external_tls_.connect({
                    ...omit(setServernameFromNonIpHost(opts), 'host', 'path', 'port'),
                    socket,
                });
            }
            return socket;
        }
        // If still not 200, throw
        socket.destroy();
        throw new Error(`Proxy authentication failed with status ${connect.statusCode} after retry`);
    }
}
HttpsProxyAgent.protocols = ['http', 'https'];
function resume(socket) {
    // Defer the resume so that all 'socket' event handlers have a chance
    // to attach their listeners (e.g. the HTTP client's 'data' handler)
    // before data starts flowing. Without this, buffered proxy-response
    // data can be emitted synchronously before listeners are ready.
    // See: https://github.com/nicolo-ribaudo/tc39-proposal-await-dictionary/issues/7
    setImmediate(() => {
        socket.resume();
    });
}
function omit(obj, ...keys) {
    const ret = {};
    let key;
    for (key in obj) {
        if (!keys.includes(key)) {
            ret[key] = obj[key];
        }
    }
    return ret;
}
//# sourceMappingURL=index.js.map

/***/ }),

/***/ 6825:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   h: () => (/* binding */ createNegotiateAuth)
/* harmony export */ });
function createNegotiateAuth() {
    return async ({ response, scheme }) => {
        if (scheme.toLowerCase() !== 'negotiate') {
            throw new Error(`Expected Negotiate scheme but got "${scheme}"`);
        }
        let kerberos;
        try {
            kerberos = await __webpack_require__.e(/* import() */ 50).then(__webpack_require__.t.bind(__webpack_require__, 8050, 19));
        }
        catch {
            throw new Error('The "kerberos" package is required for Negotiate proxy authentication. ' +
                'Install it with: npm install kerberos');
        }
        const proxyAuthenticate = response.headers['proxy-authenticate'] || '';
        const challengeHeader = Array.isArray(proxyAuthenticate)
            ? proxyAuthenticate[0]
            : proxyAuthenticate;
        const serverToken = typeof challengeHeader === 'string' && challengeHeader.includes(' ')
            ? challengeHeader.split(' ').slice(1).join(' ')
            : undefined;
        const client = await kerberos.initializeClient('HTTP@proxy', {
            mechOID: kerberos.GSS_MECH_OID_SPNEGO,
        });
        const token = await client.step(serverToken || '');
        if (!token) {
            throw new Error('Kerberos client.step() returned no token');
        }
        return {
            headers: {
                'Proxy-Authorization': `Negotiate ${token}`,
            },
        };
    };
}
//# sourceMappingURL=index.js.map

/***/ })

};
