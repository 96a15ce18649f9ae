/**
 * The one error type for API failures. It carries what a user needs to act on a failure and what
 * support needs to trace it: HTTP status, `error_code`, `error_msg`, request id, the operation and
 * the resource. Messages are built only from the API's answer and our own words, never from
 * credentials (see redact.ts for the last line of defence).
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
}

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

  constructor(d: ApiErrorDetails) {
    const code = d.errorCode ? ` ${d.errorCode}` : "";
    const msg = d.errorMsg ? `: ${d.errorMsg}` : "";
    const rid = d.requestId ? ` (request id ${d.requestId})` : "";
    const res = d.resource ? ` for ${d.resource}` : "";
    super(`${d.operation}${res} failed: HTTP ${d.status}${code}${msg}${rid} [${d.method} ${d.path}]`);
    this.name = "ApiError";
    Object.assign(this, d);
    this.status = d.status;
    this.operation = d.operation;
    this.method = d.method;
    this.path = d.path;
  }

  /**
   * True when the answer says the object does not exist: HTTP 404 or one of the kind's not-found
   * codes. A gateway 404 (APIG.*: "the API does not exist") is not: it means a wrong endpoint or
   * path, and reading it as "gone" would let a delete succeed while the object stays.
   */
  isNotFound(codes: readonly string[] = []): boolean {
    if (this.errorCode !== undefined && codes.includes(this.errorCode)) return true;
    return this.status === 404 && !(this.errorCode ?? "").startsWith("APIG.");
  }
}

/** The request never produced an HTTP answer: connection refused or reset, timeout. */
export class NetworkError extends Error {
  constructor(
    readonly operation: string,
    readonly method: string,
    readonly path: string,
    readonly code: string,
    /** True when the request may have reached the service (reset or timeout after sending). */
    readonly ambiguous: boolean,
  ) {
    super(`${operation} failed: ${code} [${method} ${path}]${ambiguous ? "; the request may have been applied" : ""}`);
    this.name = "NetworkError";
  }
}

/** Missing or malformed provider configuration; names the config key, never its value. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Codes that mean success although they sit in `error_code` (COC and incident envelopes, seed 004). */
const SUCCESS_CODES = new Set(["COC.00000000", "GOM.00000000"]);

/**
 * Errors reported inside a 2xx answer (api-map.md §0.3): an `error_code` key (Pipeline returns
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
    return typeof body === "string" && body ? { errorMsg: body.slice(0, 500) } : {};
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

/** The answer of a read, or undefined when it says the object is gone (HTTP 404 or one of `codes`). */
export async function unlessGone<T>(read: Promise<T>, codes: readonly string[] = []): Promise<T | undefined> {
  try {
    return await read;
  } catch (e) {
    if (e instanceof ApiError && e.isNotFound(codes)) return undefined;
    throw e;
  }
}
