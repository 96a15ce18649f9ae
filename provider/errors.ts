/**
 * The one error type for API failures. It carries what a user needs to act on a failure and what
 * support needs to trace it: HTTP status, `error_code`, `error_msg`, request id, the operation and
 * the resource. Messages are built only from the API's answer and our own words, never from
 * credentials (redaction.ts is the one exit for secrets).
 */
export interface ApiErrorDetails {
  status: number;
  errorCode?: string;
  errorMsg?: string;
  requestId?: string;
  operation: string;
  resource?: string;
  method: string;
  path: string;
  /** The raw body, kept for resource code that needs more than code and message. */
  body?: unknown;
  /** From a 429's Retry-After header. */
  retryAfterMs?: number;
  /** The origin the request went to, e.g. https://cloudpipeline-ext.cn-north-4.myhuaweicloud.com. */
  endpoint?: string;
}

/** Service text in messages is cut to this length: a 13 MB name must not make a 13 MB message. */
export const MAX_TEXT_IN_MESSAGE = 300;

/** `text` cut to `max` characters, saying how much was left out. */
export function excerpt(text: string, max = MAX_TEXT_IN_MESSAGE): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** Codes of API Gateway itself (APIGW in the error-code appendices of the CloudTest, CodeArts Pipeline and CodeArts API References; APIG in the gateway's own table): never the service's answer. */
export const isGatewayCode = (code: string | undefined): boolean => code !== undefined && /^APIGW?\./.test(code);

export class ApiError extends Error {
  readonly status: number;
  readonly errorCode?: string;
  readonly errorMsg?: string;
  readonly requestId?: string;
  readonly operation: string;
  readonly resource?: string;
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly retryAfterMs?: number;
  readonly endpoint?: string;

  constructor(d: ApiErrorDetails) {
    const code = d.errorCode ? ` ${excerpt(d.errorCode, 64)}` : "";
    const msg = d.errorMsg ? `: ${excerpt(d.errorMsg)}` : "";
    const rid = d.requestId ? ` (request id ${excerpt(d.requestId, 64)})` : "";
    const res = d.resource ? ` for ${excerpt(d.resource, 100)}` : "";
    const where = `[${d.method} ${d.endpoint ?? ""}${excerpt(d.path, 200)}]`;
    // A 404 without a documented not-found code (a gateway's, a proxy's) proves nothing about the object:
    // tell the user where to look, since it is most often a wrong endpoint or a missing permission.
    const hint =
      d.status === 404 ? `; this is not a documented answer of the API: check huaweicloud:endpoints (does ${d.endpoint ?? "the endpoint"} serve it?) and the IAM permissions` : "";
    super(`${d.operation}${res} failed: HTTP ${d.status}${code}${msg}${rid} ${where}${hint}`);
    this.name = "ApiError";
    Object.assign(this, d);
    this.status = d.status;
    this.operation = d.operation;
    this.method = d.method;
    this.path = d.path;
  }

  /**
   * True only when the answer proves the object does not exist: the service's JSON error with one of
   * the API's documented not-found codes (`codes`, listed once per kind). Nothing else is proof: not
   * a gateway code (APIG.* / APIGW.*: "the API does not exist" means a wrong endpoint or path), not a
   * 404 without a service code (a proxy, an HTML page), not a code that may also mean "no access".
   * Reading any of those as "gone" would drop live objects from the state and let deletes succeed
   * while the object stays.
   */
  provesAbsence(codes: readonly string[]): boolean {
    if (this.errorCode === undefined || isGatewayCode(this.errorCode) || !codes.includes(this.errorCode)) return false;
    return this.body !== null && typeof this.body === "object";
  }
}

/** The request never produced an HTTP answer: connection refused or reset, timeout, refused before sending. */
export class NetworkError extends Error {
  constructor(
    readonly operation: string,
    readonly method: string,
    readonly path: string,
    readonly code: string,
    /** True when the request may have reached the service (reset or timeout after sending). */
    readonly ambiguous: boolean,
    /** Why, in words, when the code alone does not say (e.g. the config key whose value cannot be sent). */
    readonly detail?: string,
  ) {
    super(
      `${operation} failed: ${code}${detail ? ` (${detail})` : ""} [${method} ${excerpt(path, 200)}]` +
        (ambiguous ? "; the request may have been applied" : "; the request was not sent"),
    );
    this.name = "NetworkError";
  }
}

/**
 * A 2xx answer that is not what the API documents (an HTML login page, `null`, `{}`, invalid JSON,
 * an id of the wrong form): never recorded as a success or an id. Shows status, content type and a
 * short excerpt (the redactor removes secrets at the exit). The request reached something that
 * answered, so a change may have been applied: a create treats it as ambiguous.
 */
export class AnswerError extends Error {
  constructor(
    readonly operation: string,
    readonly method: string,
    readonly endpoint: string,
    readonly path: string,
    readonly status: number,
    readonly contentType: string,
    readonly problem: string,
    readonly bodyExcerpt: string,
  ) {
    super(
      `${operation} got an answer that is not the documented one: HTTP ${status}, content type ${contentType || "(none)"}: ${problem}; ` +
        `the answer began ${JSON.stringify(bodyExcerpt)} [${method} ${endpoint}${excerpt(path, 200)}]; check huaweicloud:endpoints (is something else answering?)`,
    );
    this.name = "AnswerError";
  }
}

/** Missing or malformed provider configuration; names the config key, never its value. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Codes that mean success although they sit in `error_code` (COC and incident envelopes, Cloud Operations Center (COC) API Reference). */
const SUCCESS_CODES = new Set(["COC.00000000", "GOM.00000000"]);

/**
 * Errors reported inside a 2xx answer: an `error_code` key (Pipeline returns
 * DEVCP and DEVPIPE errors with HTTP 200), `{"error": {"code", "message"}}`, `{"success": false}`,
 * `{"status": false}`, or a bare `false`. Returns code and message, or undefined for a success.
 */
export function errorInSuccessBody(body: unknown): { errorCode?: string; errorMsg?: string } | undefined {
  if (body === false) return { errorMsg: "the service answered false" };
  if (body === null || typeof body !== "object" || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  if (typeof b.error_code === "string" && b.error_code !== "" && !SUCCESS_CODES.has(b.error_code)) {
    return { errorCode: b.error_code, errorMsg: stringOrUndefined(b.error_msg) };
  }
  if (b.error && typeof b.error === "object") {
    const e = b.error as Record<string, unknown>;
    return { errorCode: stringOrUndefined(e.code), errorMsg: stringOrUndefined(e.message) };
  }
  if (b.success === false) return { errorMsg: stringOrUndefined(b.message) ?? "the service answered success: false" };
  if (b.status === false) return { errorMsg: stringOrUndefined(b.message) ?? "the service answered status: false" };
  return undefined;
}

/** Code and message of an error answer, whatever its shape (standard, IAM `{"error": …}`, or none). */
export function errorFields(body: unknown): { errorCode?: string; errorMsg?: string; requestId?: string } {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return typeof body === "string" && body ? { errorMsg: excerpt(body) } : {};
  }
  const b = body as Record<string, unknown>;
  const nested = b.error && typeof b.error === "object" ? (b.error as Record<string, unknown>) : undefined;
  return {
    errorCode: stringOrUndefined(b.error_code) ?? stringOrUndefined(nested?.code),
    errorMsg: stringOrUndefined(b.error_msg) ?? stringOrUndefined(nested?.message),
    requestId: stringOrUndefined(b.request_id),
  };
}

function stringOrUndefined(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  return undefined;
}

/** True when `e` is an answer proving the object is gone (see ApiError.provesAbsence). */
export const provesAbsence = (e: unknown, codes: readonly string[]): boolean => e instanceof ApiError && e.provesAbsence(codes);

/** The answer of a read, or undefined when the service proves the object is gone (one of `codes`). */
export async function unlessGone<T>(read: Promise<T>, codes: readonly string[]): Promise<T | undefined> {
  try {
    return await read;
  } catch (e) {
    if (provesAbsence(e, codes)) return undefined;
    throw e;
  }
}
