import { Agent } from "undici";
import type { z } from "zod";
import { AnswerError, ApiError, NetworkError, errorFields, errorInSuccessBody } from "./errors";
import { SegmentError } from "./segments";
import type { Service } from "./endpoints";
import { wireQuery } from "./signer";

/**
 * A small typed client core in the style of the AWS SDK v3: a request passes through a stack of
 * middleware (shared reads → retry → auth → error detection) down to the undici transport. Resource code only
 * builds `ApiRequest`s; signing, retries and error decoding live here once.
 */
export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";
export type QueryValue = string | number | boolean | undefined | null | readonly (string | number)[];

export interface ApiRequest {
  service: Service;
  method: HttpMethod;
  /** Path with every parameter already substituted, e.g. `/v5/${projectId}/api/pipeline-group/tree`. */
  path: string;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  /** JSON body; serialized with JSON.stringify. */
  body?: unknown;
  /** Non-JSON body (multipart uploads); sent as is. */
  rawBody?: { contentType: string; data: Buffer };
  /** "PipelineGroup.create": names the failure in errors and the emulator's log. */
  operation: string;
  /** The object concerned (id or name), for error messages. */
  resource?: string;
  /**
   * Whether repeating the request after an ambiguous failure (5xx, reset, timeout) is harmless.
   * Defaults to true for GET, PUT and DELETE and false for POST; reads made with POST say true.
   */
  idempotent?: boolean;
  /**
   * Error codes that are this API's documented answer, never repeated even on a 5xx (besides retry.ts's
   * DEFINITIVE_500_CODES): CloudTest batch-add's 500 CLOUDTEST.00000001 (§4.3.1, ambiguity C1).
   */
  answerCodes?: ReadonlySet<string>;
  /** Overrides the generic in-body error detection for APIs whose success bodies carry `error_code`. */
  isSuccess?: (body: unknown) => boolean;
  /**
   * What the reference promises a 2xx answer holds (answers.ts helpers, per-kind schemas in the kind's
   * file): anything else is an AnswerError, never a success or an id. The parsed value replaces the
   * body, so callers read only what was checked. Resource kinds must give one (client.ts
   * CheckedRequest); without it any JSON is accepted (tests, tools).
   */
  answer?: z.ZodType;
  timeoutMs?: number;
  /**
   * `false`: the auth middleware adds no scope headers (X-Domain-Id, X-Project-Id) to this request,
   * whatever the configuration knows. Only for the conformance probe of ambiguity G5, which compares
   * a request sent with them and the same request sent without them. Default: added as always.
   */
  scopeHeaders?: boolean;
  /** Parses a JSON answer where JSON.parse would lose something (integers beyond 2^53); default JSON.parse. */
  parseJson?: (text: string) => unknown;
  /**
   * A POST that only reads (a listing): identical ones in flight at once may go out as one request, and
   * it does not count as a change (sharedReads.ts). GET is always a read; anything else unmarked is a write.
   */
  read?: boolean;
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  body: T;
  requestId?: string;
  contentType?: string;
  /** The raw text, for the excerpt of an answer that fails its schema. */
  text?: string;
}

/** The request as it goes on the wire; middleware may add headers. */
export interface WireRequest {
  api: ApiRequest;
  url: URL;
  /** Decoded query pairs. */
  query: Array<[string, string]>;
  headers: Record<string, string>;
  body: string | Buffer;
  attempt: number;
}

export type Handler = (req: WireRequest) => Promise<ApiResponse>;
export type Middleware = (next: Handler) => Handler;

/**
 * The largest answer read: the biggest documented answers are listing pages of 100 objects, far
 * below. A larger one is refused while it streams in (undici's maxResponseSize), never buffered.
 */
export const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

export interface TransportOptions {
  /** Resolves the base URL of a service (endpoints.ts, with overrides). */
  baseUrl: (service: Service) => string;
  timeoutMs: number;
  userAgent: string;
}

/** Encodes one path segment for use in `ApiRequest.path` (segments.ts: `.`/`..` refused). */
export { seg } from "./segments";

export function queryPairs(query: Record<string, QueryValue> | undefined): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) for (const item of v) pairs.push([k, String(item)]);
    else pairs.push([k, String(v)]);
  }
  return pairs;
}

export function buildWireRequest(api: ApiRequest, opts: TransportOptions): WireRequest {
  const base = new URL(opts.baseUrl(api.service));
  const query = queryPairs(api.query);
  const basePath = base.pathname.replace(/\/+$/, "");
  const url = new URL(base.origin + basePath + api.path);
  // Every segment went through seg(); this is the proof that nothing was collapsed on the way.
  if (url.pathname !== basePath + api.path || url.search !== "" || url.hash !== "") {
    throw new SegmentError(
      `${api.operation}: the request path ${JSON.stringify(api.path.slice(0, 200))} is not a plain path (dot segments, a query or characters a URL rewrites); nothing was sent`,
    );
  }
  // The wire carries the canonical query, exactly what the signature covers (as Terraform's client does).
  url.search = wireQuery(query);
  const headers: Record<string, string> = { host: url.host, "user-agent": opts.userAgent, ...api.headers };
  let body: string | Buffer = "";
  if (api.rawBody) {
    headers["content-type"] = api.rawBody.contentType;
    body = api.rawBody.data;
  } else {
    headers["content-type"] = "application/json";
    if (api.body !== undefined) body = JSON.stringify(api.body);
  }
  return { api, url, query, headers, body, attempt: 0 };
}

const RESET_CODES = new Set(["ECONNRESET", "UND_ERR_SOCKET", "UND_ERR_CLOSED", "EPIPE"]);
const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT", "ETIMEDOUT", "UND_ERR_ABORTED"]);
const NEVER_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
/** Refused by undici or Node before anything was sent (a header value with CR/LF, a bad URL): never retried. */
export const INVALID_REQUEST_CODES = new Set(["UND_ERR_INVALID_ARG", "ERR_INVALID_CHAR", "ERR_INVALID_ARG_VALUE", "ERR_INVALID_URL", "ERR_INVALID_HTTP_TOKEN"]);
const INVALID_REQUEST_DETAIL =
  "a header or the URL holds a value no request can carry, e.g. CR or LF: check huaweicloud:accessKey, huaweicloud:securityToken, huaweicloud:endpoints and the resource's inputs";

export function networkErrorCode(e: unknown): string {
  const err = e as { code?: string; cause?: { code?: string }; name?: string };
  return err?.code ?? err?.cause?.code ?? (err?.name === "TimeoutError" ? "ETIMEDOUT" : "ENETWORK");
}

/** The agent every client uses: keep-alive, and answers above MAX_ANSWER_BYTES refused as they stream in. */
export const newAgent = (): Agent => new Agent({ keepAliveTimeout: 10_000, connections: 32, maxResponseSize: MAX_ANSWER_BYTES });

const isJsonType = (contentType: string): boolean => /^application\/([\w.+-]*\+)?json\b/i.test(contentType.trim());

/**
 * The undici transport. Each attempt has one overall deadline (AbortSignal.timeout: connection,
 * headers and body together, so a body dribbled a byte at a time cannot stretch it); undici's per-phase
 * timeouts stay as the finer bound. A 2xx answer must be JSON as the API references document every answer;
 * error answers are parsed leniently (a proxy's HTML 404 is still an error, just without a code).
 */
export function undiciTransport(agent: Agent, timeoutMs: number): Handler {
  return async (req) => {
    const api = req.api;
    const limit = api.timeoutMs ?? timeoutMs;
    const deadline = AbortSignal.timeout(limit);
    const where = { endpoint: req.url.origin, path: req.url.pathname };
    const networkError = (e: unknown, sent: boolean) => {
      const code = networkErrorCode(e);
      if (INVALID_REQUEST_CODES.has(code)) return new NetworkError(api.operation, api.method, where.path, code, false, INVALID_REQUEST_DETAIL);
      const timedOut = deadline.aborted;
      return new NetworkError(
        api.operation,
        api.method,
        where.path,
        timedOut ? "ETIMEDOUT" : code,
        sent || !NEVER_SENT_CODES.has(code),
        timedOut ? `no complete answer within ${limit / 1000} s (huaweicloud:requestTimeout)` : undefined,
      );
    };
    let res;
    try {
      res = await agent.request({
        origin: req.url.origin,
        path: req.url.pathname + req.url.search,
        method: api.method,
        headers: req.headers,
        body: req.body === "" && api.method === "GET" ? undefined : req.body,
        headersTimeout: limit,
        bodyTimeout: limit,
        signal: deadline,
      });
    } catch (e) {
      throw networkError(e, false);
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
    const contentType = headers["content-type"] ?? "";
    const invalid = (problem: string, text: string) =>
      new AnswerError(api.operation, api.method, where.endpoint, where.path, res.statusCode, contentType, problem, text.slice(0, 120));
    let text: string;
    try {
      text = await res.body.text();
    } catch (e) {
      if (networkErrorCode(e) === "UND_ERR_RES_EXCEEDED_MAX_SIZE") throw invalid(`larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MB, refused unread`, "");
      throw networkError(e, true);
    }
    const success = res.statusCode >= 200 && res.statusCode < 300;
    let body: unknown = undefined;
    if (text !== "") {
      if (success && !isJsonType(contentType)) throw invalid("not JSON", text);
      try {
        body = (api.parseJson ?? JSON.parse)(text);
      } catch {
        if (success) throw invalid("invalid JSON", text);
        body = text; // an error page: still an error, without a service code
      }
    }
    return { status: res.statusCode, headers, body, requestId: headers["x-request-id"], contentType, text };
  };
}

/** Turns non-2xx answers and errors reported inside 2xx bodies into ApiError. */
export const errorDetection: Middleware = (next) => async (req) => {
  const res = await next(req);
  const api = req.api;
  const fail = (fields: { errorCode?: string; errorMsg?: string; requestId?: string }) =>
    new ApiError({
      status: res.status,
      ...fields,
      requestId: res.requestId ?? fields.requestId,
      operation: api.operation,
      resource: api.resource,
      method: api.method,
      path: req.url.pathname,
      endpoint: req.url.origin,
      body: res.body,
      retryAfterMs: retryAfterMs(res.headers["retry-after"]),
    });
  if (res.status < 200 || res.status >= 300) throw fail(errorFields(res.body));
  if (!api.isSuccess?.(res.body)) {
    const inBody = errorInSuccessBody(res.body);
    if (inBody) throw fail(inBody);
  }
  return checkAnswer(req, res);
};

/** A 2xx answer against the request's `answer` schema: the parsed value, or an AnswerError. */
export function checkAnswer(req: WireRequest, res: ApiResponse): ApiResponse {
  const api = req.api;
  if (!api.answer) return res;
  const parsed = api.answer.safeParse(res.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue.path.length ? ` at ${issue.path.join(".")}` : "";
    throw new AnswerError(api.operation, api.method, req.url.origin, req.url.pathname, res.status, res.contentType ?? "", `${issue.message}${at}`, (res.text ?? "").slice(0, 120));
  }
  return { ...res, body: parsed.data };
}

/** Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function isNetworkReset(e: unknown): boolean {
  return e instanceof NetworkError && RESET_CODES.has(e.code);
}
export function isTimeout(e: unknown): boolean {
  return e instanceof NetworkError && TIMEOUT_CODES.has(e.code);
}
export function compose(middleware: Middleware[], transport: Handler): Handler {
  return middleware.reduceRight((next, m) => m(next), transport);
}
