export const id = 607;
export const ids = [607];
export const modules = {

/***/ 9607:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  DEFAULT_CONNECTION_TIMEOUT_MS: () => (/* reexport */ DEFAULT_CONNECTION_TIMEOUT_MS),
  DEFAULT_REQUEST_TIMEOUT_MS: () => (/* reexport */ DEFAULT_REQUEST_TIMEOUT_MS),
  adoptExistingCopies: () => (/* reexport */ files/* adoptExistingCopies */.$P),
  createClients: () => (/* reexport */ createClients),
  createOrAdopt: () => (/* reexport */ createOrAdopt),
  deleteOtaUpdate: () => (/* reexport */ deleteOtaUpdate),
  fingerprintFiles: () => (/* reexport */ files/* fingerprintFiles */.Q6),
  getOtaUpdate: () => (/* reexport */ getOtaUpdate),
  resolveCredentials: () => (/* reexport */ resolveCredentials),
  uploadPending: () => (/* reexport */ files/* uploadPending */.PI)
});

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-iot/dist-cjs/index.js
var dist_cjs = __webpack_require__(8907);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-sts/dist-cjs/index.js
var client_sts_dist_cjs = __webpack_require__(1695);
;// CONCATENATED MODULE: ./package.json
const package_namespaceObject = {"rE":"0.1.0"};
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/proxy.js
var proxy = __webpack_require__(9783);
// EXTERNAL MODULE: ./node_modules/agent-base/dist/index.js + 1 modules
var dist = __webpack_require__(319);
// EXTERNAL MODULE: ./node_modules/http-proxy-agent/dist/index.js
var http_proxy_agent_dist = __webpack_require__(8947);
// EXTERNAL MODULE: ./node_modules/https-proxy-agent/dist/index.js + 1 modules
var https_proxy_agent_dist = __webpack_require__(1566);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
;// CONCATENATED MODULE: ./src/aws/proxy.ts
/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY for the SDK clients, which ignore these variables by themselves. The agents
 * come from TooTallNate's proxy-agents: https-proxy-agent opens a CONNECT tunnel for HTTPS targets (TLS stays end to
 * end), http-proxy-agent sends plain-HTTP requests to the proxy in absolute form. Whether a connection uses the proxy
 * is decided per target host by the Actions toolkit's own NO_PROXY matching (`checkBypass` of @actions/http-client,
 * which the OIDC token request goes through too), so NO_PROXY also covers hosts the SDK picks itself (S3
 * virtual-host buckets) and loopback never goes through a proxy. That matching reads NO_PROXY from process.env;
 * `preferUpperCaseProxyVariables` (runner/inputs.ts) has made the upper-case spelling win there by then.
 */







/** A proxy refused or failed to open the tunnel; `proxyStatus` is 0 when it closed without answering. */
class ProxyConnectError extends Error {
    proxyStatus;
    constructor(message, proxyStatus, options) {
        super(message, options);
        this.name = 'ProxyConnectError';
        this.proxyStatus = proxyStatus;
    }
}
function parseProxyUrl(value, variable) {
    const text = value?.trim() ?? '';
    if (text === '')
        return undefined;
    let url;
    try {
        url = new URL(text.includes('://') ? text : `http://${text}`);
    }
    catch {
        throw new errors/* ActionError */.l('InvalidInput', `${variable} is not a valid proxy URL.`, {
            hint: `Set ${variable} to http://host:port (or http://user:password@host:port), or unset it.`,
        });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new errors/* ActionError */.l('InvalidInput', `${variable} uses ${url.protocol}; only http:// and https:// proxies work.`, { hint: `Set ${variable} to http://host:port, or unset it.` });
    }
    return url;
}
/** Where the proxy is, for messages: never its credentials. */
function describeProxy(proxy) {
    return `${proxy.protocol}//${proxy.host}`;
}
/** `host:port` of a connection the SDK asks for, an IPv6 address in brackets. */
function authority(opts) {
    const host = opts.host ?? 'localhost';
    return `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${opts.port}`;
}
/** The connection's target as a URL, for the toolkit's NO_PROXY matching. */
function targetUrl(opts) {
    return new URL(`${opts.secureEndpoint ? 'https' : 'http'}://${authority(opts)}`);
}
function hasCode(error) {
    return typeof error === 'object' && error !== null && 'code' in error;
}
/**
 * https-proxy-agent with a proxy's refusal as a ProxyConnectError: by itself it hands the proxy's answer to the
 * request as if the target had sent it, and reports a proxy that hangs up as a plain Error.
 */
class TunnelAgent extends https_proxy_agent_dist/* HttpsProxyAgent */.b {
    async connect(req, opts) {
        const tunnel = `CONNECT ${authority(opts)}`;
        let answer;
        const onAnswer = (connect) => (answer = connect);
        req.once('proxyConnect', onAnswer);
        try {
            const socket = await super.connect(req, opts);
            if (answer !== undefined && answer.statusCode !== 200) {
                socket.destroy();
                const status = `${answer.statusCode} ${answer.statusText}`.trim();
                throw new ProxyConnectError(`Proxy ${describeProxy(this.proxy)} answered ${status} to ${tunnel}.`, answer.statusCode);
            }
            return socket;
        }
        catch (error) {
            // Socket errors (ECONNREFUSED, ...) keep their code; anything else is the proxy misbehaving.
            if (error instanceof ProxyConnectError || hasCode(error))
                throw error;
            throw new ProxyConnectError(`Proxy ${describeProxy(this.proxy)} closed the connection before answering ${tunnel}.`, 0, { cause: error });
        }
        finally {
            req.off('proxyConnect', onAnswer);
        }
    }
}
/** Hands each connection to the proxy's agent or to a direct one, by the target's host. */
class PerTargetAgent extends dist/* Agent */.g6 {
    direct;
    lifetime = new AbortController();
    proxied;
    constructor(proxied, direct) {
        super({ keepAlive: true });
        this.direct = direct;
        this.proxied = proxied(this.lifetime.signal);
    }
    connect(_req, opts) {
        return (0,proxy/* checkBypass */.H)(targetUrl(opts)) ? this.direct : this.proxied;
    }
    /** Closes every connection, a tunnel still waiting for the proxy's answer included. */
    destroy() {
        this.lifetime.abort();
        this.proxied.destroy();
        this.direct.destroy();
        super.destroy();
    }
}
const POOL = { keepAlive: true, maxSockets: 50 };
/**
 * Agents for the SDK's request handler, or undefined when neither HTTPS_PROXY nor HTTP_PROXY is set; a protocol
 * without a proxy gets a plain keep-alive agent. Throws InvalidInput for a proxy URL that cannot be used. The SDK's
 * connectionTimeout bounds each connection, the proxy's answer to CONNECT included; destroying the agents also
 * closes a tunnel whose proxy never answered.
 */
function proxyAgentsFor(settings) {
    const httpsProxy = parseProxyUrl(settings.https, 'HTTPS_PROXY');
    const httpProxy = parseProxyUrl(settings.http, 'HTTP_PROXY');
    if (httpsProxy === undefined && httpProxy === undefined)
        return undefined;
    const httpDirect = new (external_node_http_default()).Agent(POOL);
    const httpsDirect = new (external_node_https_default()).Agent(POOL);
    return {
        httpAgent: httpProxy === undefined
            ? httpDirect
            : new PerTargetAgent(
            // One connection per request: http-proxy-agent puts the absolute URL into a request's head when it
            // opens a connection, and a request handed over by PerTargetAgent has its head written already, so
            // a kept-alive connection would get the head in origin form.
            (signal) => new http_proxy_agent_dist/* HttpProxyAgent */.s(httpProxy.href, { keepAlive: false, signal }), httpDirect),
        httpsAgent: httpsProxy === undefined
            ? httpsDirect
            : new PerTargetAgent((signal) => new TunnelAgent(httpsProxy.href, { ...POOL, signal }), httpsDirect),
    };
}

;// CONCATENATED MODULE: ./src/aws/clients.ts
/**
 * The SDK clients, built once and in one place: region, credentials, endpoint overrides, proxy agents, per-request
 * timeouts and the action's user agent. SDK retries are off (maxAttempts 1): src/retry.ts retries, knowing which
 * failures are worth it and which calls must never be repeated blindly (CreateOTAUpdate).
 *
 * After assuming the role, build the clients again with the new credentials, `createClients({ ...options,
 * credentials })`; the first clients stay usable. Call `destroy()` on every set built once the run is over.
 */




const ACTION_USER_AGENT = `aws-iot-ota-update-action/${package_namespaceObject.rE}`;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const DEFAULT_CONNECTION_TIMEOUT_MS = 10_000;
/**
 * An S3 part upload needs time in proportion to its size, so S3 requests get this overall limit; a stalled
 * connection is still caught within requestTimeoutMs by the socket inactivity timeout.
 */
const S3_REQUEST_TIMEOUT_MS = 300_000;
/** The endpoint a service's client is given: its own override, else AWS_ENDPOINT_URL, else the SDK's default. */
function endpointFor(service, endpoints) {
    return endpoints[service] ?? endpoints.all;
}
/** The settings every client shares. */
function commonConfig(opts, requestTimeout, agents) {
    const idle = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    // Given as options (not a NodeHttpHandler instance), the SDK builds its own handler: no direct dependency on
    // @smithy/node-http-handler. throwOnRequestTimeout: without it an exceeded requestTimeout only logs a warning.
    const requestHandler = {
        requestTimeout,
        connectionTimeout: opts.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
        socketTimeout: idle,
        throwOnRequestTimeout: true,
        ...agents,
    };
    return {
        region: opts.region,
        credentials: opts.credentials,
        maxAttempts: 1,
        retryMode: 'standard',
        requestHandler,
        customUserAgent: opts.userAgent ?? ACTION_USER_AGENT,
    };
}
function createClients(opts) {
    const idle = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const agents = () => (opts.proxy === undefined ? undefined : proxyAgentsFor(opts.proxy));
    const built = [];
    const keep = (client) => {
        built.push(client);
        return client;
    };
    let iot;
    let sts;
    let s3;
    return {
        get iot() {
            return (iot ??= keep(new dist_cjs/* IoTClient */.CgZ({
                ...commonConfig(opts, idle, agents()),
                endpoint: endpointFor('iot', opts.endpoints),
            })));
        },
        get sts() {
            return (sts ??= keep(new client_sts_dist_cjs/* STSClient */.iM({
                ...commonConfig(opts, idle, agents()),
                endpoint: endpointFor('sts', opts.endpoints),
            })));
        },
        s3: () => (s3 ??= __webpack_require__.e(/* import() */ 711).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19)).then(({ S3Client }) => {
            const endpoint = endpointFor('s3', opts.endpoints);
            const proxied = agents();
            return keep(new S3Client({
                ...commonConfig(opts, Math.max(idle, S3_REQUEST_TIMEOUT_MS), proxied),
                endpoint,
                // Custom endpoints (emulators, S3-compatible stores) rarely serve virtual-host bucket names.
                forcePathStyle: endpoint !== undefined,
                // The SDK's handler does not wait for "100 Continue" on a caller-supplied agent anyway, and the header
                // would be written before the proxy agent can put the absolute URL in the request line.
                ...(proxied === undefined ? {} : { expectContinueHeader: false }),
            }));
        })),
        destroy: () => built.forEach((client) => client.destroy()),
    };
}

// EXTERNAL MODULE: ./src/aws/retry.ts
var retry = __webpack_require__(2495);
// EXTERNAL MODULE: ./src/aws/classify.ts
var classify = __webpack_require__(8199);
// EXTERNAL MODULE: ./src/aws/error-catalog.ts
var error_catalog = __webpack_require__(5641);
;// CONCATENATED MODULE: ./src/aws/credentials.ts
/**
 * Who the run acts as. With role-to-assume: the job's GitHub OIDC token, exchanged with STS
 * AssumeRoleWithWebIdentity for temporary credentials (every secret masked as soon as it exists). Without it: the
 * SDK's default chain (for example credentials exported by aws-actions/configure-aws-credentials), identified with
 * GetCallerIdentity. Either way the caller's ARN gives the partition and account that shorthand targets expand to.
 */





const OIDC_ATTEMPTS = 3;
async function resolveCredentials(auth, deps) {
    return auth.roleToAssume === undefined
        ? { credentials: undefined, identity: await callerIdentity(auth, deps) }
        : assumeRole(auth, auth.roleToAssume, deps);
}
/** The `sub` claim of a JWT, read without verifying it (only to explain a refusal). */
function tokenSubject(jwt) {
    const payload = jwt.split('.')[1];
    if (payload === undefined)
        return undefined;
    try {
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
        const sub = typeof claims === 'object' && claims !== null ? claims.sub : undefined;
        return typeof sub === 'string' ? sub : undefined;
    }
    catch {
        return undefined;
    }
}
/** Partition and account from an STS ARN (`arn:aws-cn:sts::123456789012:assumed-role/...`). */
function identityFromArn(arn) {
    const match = /^arn:(aws[a-z-]*):[^:]*:[^:]*:(\d{12}):.+$/.exec(arn);
    if (!match?.[1] || !match[2])
        return undefined;
    return { partition: match[1], accountId: match[2], arn };
}
function unexpectedAnswer(ctx, missing) {
    return (0,error_catalog/* failure */.V2)('UnexpectedResponse', ctx, `STS answered without ${missing}`);
}
async function assumeRole(auth, roleArn, deps) {
    if (!deps.idTokenAvailable) {
        throw new errors/* ActionError */.l('IdTokenPermissionMissing', `role-to-assume is set (${roleArn}), but this job cannot request a GitHub OIDC token: ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set.`, {
            hint: 'Add `permissions: id-token: write` to the job (or the workflow) that runs this step. Workflows triggered from forks never get a token.',
        });
    }
    const tokenCtx = { operation: 'OidcToken', audience: auth.audience, roleArn };
    let token;
    try {
        // @actions/core already retries 502/503/504 ten times inside getIDToken: a few rounds of ours on top are enough.
        token = await (0,retry/* retry */.L5)('GitHub OIDC token', () => deps.getIdToken(auth.audience), {
            maxAttempts: OIDC_ATTEMPTS,
            ...deps.retryPolicy,
            classify: classify/* classifyOidcError */.Ej,
        });
    }
    catch (error) {
        throw (0,error_catalog/* toActionError */.ie)(error, tokenCtx);
    }
    deps.setSecret(token);
    const subject = tokenSubject(token);
    const ctx = {
        operation: 'AssumeRoleWithWebIdentity',
        roleArn,
        audience: auth.audience,
        repository: deps.repository,
        region: auth.region,
        ...(subject === undefined ? {} : { oidcSubject: subject }),
    };
    const command = new client_sts_dist_cjs/* AssumeRoleWithWebIdentityCommand */.WH({
        RoleArn: roleArn,
        RoleSessionName: auth.roleSessionName,
        DurationSeconds: auth.roleDurationSeconds,
        WebIdentityToken: token,
    });
    let answer;
    try {
        answer = await (0,retry/* retry */.L5)('sts:AssumeRoleWithWebIdentity', () => deps.sts.send(command), deps.retryPolicy);
    }
    catch (error) {
        throw (0,error_catalog/* toActionError */.ie)(error, ctx);
    }
    const c = answer.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken)
        throw unexpectedAnswer(ctx, 'credentials');
    deps.setSecret(c.AccessKeyId);
    deps.setSecret(c.SecretAccessKey);
    deps.setSecret(c.SessionToken);
    const identity = identityFromArn(answer.AssumedRoleUser?.Arn ?? '');
    if (identity === undefined)
        throw unexpectedAnswer(ctx, 'a valid AssumedRoleUser ARN');
    return {
        credentials: {
            accessKeyId: c.AccessKeyId,
            secretAccessKey: c.SecretAccessKey,
            sessionToken: c.SessionToken,
            ...(c.Expiration === undefined ? {} : { expiration: c.Expiration }),
        },
        identity,
        ...(subject === undefined ? {} : { subject }),
    };
}
async function callerIdentity(auth, deps) {
    const ctx = { operation: 'GetCallerIdentity', region: auth.region };
    let answer;
    try {
        answer = await (0,retry/* retry */.L5)('sts:GetCallerIdentity', () => deps.sts.send(new client_sts_dist_cjs/* GetCallerIdentityCommand */.zI({})), deps.retryPolicy);
    }
    catch (error) {
        throw (0,error_catalog/* toActionError */.ie)(error, ctx);
    }
    const identity = identityFromArn(answer.Arn ?? '');
    if (identity === undefined)
        throw unexpectedAnswer(ctx, 'a valid caller ARN');
    return identity;
}

;// CONCATENATED MODULE: ./src/aws/iot.ts
/**
 * The three OTA update calls. Reads and deletes are retried (src/retry.ts); the create is a single attempt, because
 * repeating it blindly after a lost reply could create the update twice or mistake our own update for a stranger's.
 */




/**
 * One CreateOTAUpdate attempt. Throws the SDK's error unchanged, so the caller can decide: `isMaybeApplied(error)`
 * (lost reply, timeout, 5xx: look the id up with GetOTAUpdate) versus a definite refusal, `awsErrorCode(error)` for
 * ResourceAlreadyExistsException, then `toActionError(error, { operation: 'CreateOTAUpdate', ... })` to report it.
 */
function createOtaUpdateOnce(iot, request) {
    return iot.send(new dist_cjs/* CreateOTAUpdateCommand */.fl$(request));
}
async function context(iot, operation, otaUpdateId) {
    return { operation, otaUpdateId, region: await iot.config.region() };
}
/** The update, or undefined when no update has this id. */
async function getOtaUpdate(iot, otaUpdateId, policy) {
    let reply;
    try {
        reply = await (0,retry/* retry */.L5)('iot:GetOTAUpdate', () => iot.send(new dist_cjs/* GetOTAUpdateCommand */.rk0({ otaUpdateId })), policy);
    }
    catch (error) {
        if ((0,classify/* awsErrorCode */.J6)(error) === 'ResourceNotFoundException')
            return undefined;
        throw (0,error_catalog/* toActionError */.ie)(error, await context(iot, 'GetOTAUpdate', otaUpdateId));
    }
    if (reply.otaUpdateInfo === undefined) {
        const ctx = await context(iot, 'GetOTAUpdate', otaUpdateId);
        throw (0,error_catalog/* failure */.V2)('UnexpectedResponse', ctx, 'AWS IoT answered without otaUpdateInfo');
    }
    return reply.otaUpdateInfo;
}
/** Starts deleting the update; `not-found` when it was already gone (e.g. a retry after a lost reply). */
async function deleteOtaUpdate(iot, otaUpdateId, options, policy) {
    const command = new dist_cjs/* DeleteOTAUpdateCommand */.w_d({
        otaUpdateId,
        deleteStream: options.deleteStream,
        forceDeleteAWSJob: options.forceDeleteAWSJob,
    });
    try {
        await (0,retry/* retry */.L5)('iot:DeleteOTAUpdate', () => iot.send(command), policy);
        return 'deleted';
    }
    catch (error) {
        if ((0,classify/* awsErrorCode */.J6)(error) === 'ResourceNotFoundException')
            return 'not-found';
        throw (0,error_catalog/* toActionError */.ie)(error, await context(iot, 'DeleteOTAUpdate', otaUpdateId));
    }
}

// EXTERNAL MODULE: ./src/plan/compare.ts
var compare = __webpack_require__(8512);
;// CONCATENATED MODULE: ./src/stages/create.ts





/** Quota answers (LimitExceededException) get this many tries in all: a quota rarely frees up within seconds. */
const QUOTA_ATTEMPTS = 3;
async function createOrAdopt(iot, request, options) {
    const id = request.otaUpdateId ?? '';
    const maxAttempts = options.maxAttempts ?? 5;
    let mayHaveCreated = false;
    let lastError;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        try {
            const reply = await createOtaUpdateOnce(iot, request);
            return {
                info: {
                    otaUpdateId: reply.otaUpdateId ?? id,
                    otaUpdateArn: reply.otaUpdateArn,
                    otaUpdateStatus: reply.otaUpdateStatus,
                    awsIotJobId: reply.awsIotJobId,
                    awsIotJobArn: reply.awsIotJobArn,
                },
                request,
                adopted: false,
            };
        }
        catch (error) {
            const alreadyExists = errorName(error) === 'ResourceAlreadyExistsException';
            const maybeApplied = (0,classify/* isMaybeApplied */.mG)(error);
            lastError = error;
            if (!alreadyExists && !maybeApplied) {
                // Refused before anything happened: throttling and quota answers are worth another try, the rest is final.
                const kind = (0,classify/* classifyError */.fe)(error);
                const worthRetrying = kind === 'transient' || (kind === 'quota' && attempt < QUOTA_ATTEMPTS);
                if (!worthRetrying || attempt === maxAttempts) {
                    throw (0,error_catalog/* toActionError */.ie)(error, { operation: 'CreateOTAUpdate', otaUpdateId: id });
                }
                await options.sleep(backoffMs(attempt));
                continue;
            }
            mayHaveCreated ||= maybeApplied;
            const existing = await getOtaUpdate(iot, id);
            if (!existing) {
                await options.sleep(backoffMs(attempt));
                continue;
            }
            if (existing.otaUpdateStatus === 'DELETE_IN_PROGRESS') {
                await options.awaitDeletion();
                continue;
            }
            if (alreadyExists && !mayHaveCreated && options.ifExists === 'fail') {
                throw (0,error_catalog/* toActionError */.ie)(error, { operation: 'CreateOTAUpdate', otaUpdateId: id });
            }
            const aligned = await options.alignWith(existing);
            const differences = (0,compare/* describeDifferences */.g)(existing, aligned);
            if (differences.length > 0) {
                throw new errors/* ActionError */.l('ExistingUpdateDiffers', `OTA update ${id} was created meanwhile with a different release: ${differences.join('; ')}.`, {
                    hint: 'Another run created this id with other content; give this release its own ota-update-id, or set if-exists to replace.',
                });
            }
            return { info: existing, request: aligned, adopted: true };
        }
    }
    throw (0,error_catalog/* toActionError */.ie)(lastError, { operation: 'CreateOTAUpdate', otaUpdateId: id });
}
function errorName(error) {
    return error instanceof Error ? error.name : undefined;
}
function backoffMs(attempt) {
    return Math.min(500 * 2 ** (attempt - 1), 5000);
}

// EXTERNAL MODULE: ./src/stages/files.ts + 3 modules
var files = __webpack_require__(9400);
;// CONCATENATED MODULE: ./src/stages/aws-stages.ts
/**
 * Everything of a run that loads the AWS SDK, in one module that main.ts imports only once the inputs are valid:
 * a run that stops at a bad input never pays for the SDK, and one over OIDC asks for its token while the SDK loads.
 */







/***/ })

};
