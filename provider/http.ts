import { Agent } from "undici";
import { ApiError, NetworkError, errorFields, errorInSuccessBody } from "./errors";
import type { Service } from "./endpoints";
import { wireQuery } from "./signer";

/**
 * A small typed client core in the style of the AWS SDK v3: a request passes through a stack of
 * middleware (retry → auth → error detection) down to the undici transport. Resource code only
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
  /** Overrides the generic in-body error detection for APIs whose success bodies carry `error_code`. */
  isSuccess?: (body: unknown) => boolean;
  timeoutMs?: number;
  /** Parses a JSON answer where JSON.parse would lose something (integers beyond 2^53); default JSON.parse. */
  parseJson?: (text: string) => unknown;
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  body: T;
  requestId?: string;
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

export interface TransportOptions {
  /** Resolves the base URL of a service (endpoints.ts, with overrides). */
  baseUrl: (service: Service) => string;
  timeoutMs: number;
  userAgent: string;
}

/** Encodes one path segment for use in `ApiRequest.path`. */
export const seg = (s: string): string => encodeURIComponent(s);

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

export function networkErrorCode(e: unknown): string {
  const err = e as { code?: string; cause?: { code?: string }; name?: string };
  return err?.code ?? err?.cause?.code ?? (err?.name === "TimeoutError" ? "ETIMEDOUT" : "ENETWORK");
}

/** The undici transport: one keep-alive agent per client, per-request timeouts. */
export function undiciTransport(agent: Agent, timeoutMs: number): Handler {
  return async (req) => {
    const api = req.api;
    let res;
    try {
      res = await agent.request({
        origin: req.url.origin,
        path: req.url.pathname + req.url.search,
        method: api.method,
        headers: req.headers,
        body: req.body === "" && api.method === "GET" ? undefined : req.body,
        headersTimeout: api.timeoutMs ?? timeoutMs,
        bodyTimeout: api.timeoutMs ?? timeoutMs,
      });
    } catch (e) {
      const code = networkErrorCode(e);
      throw new NetworkError(api.operation, api.method, req.url.pathname, code, !NEVER_SENT_CODES.has(code));
    }
    let text: string;
    try {
      text = await res.body.text();
    } catch (e) {
      throw new NetworkError(api.operation, api.method, req.url.pathname, networkErrorCode(e), true);
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
    let body: unknown = text;
    if (text !== "") {
      try {
        body = (api.parseJson ?? JSON.parse)(text);
      } catch {
        body = text; // some APIs answer a bare string path (seed 001 §4.9.9)
      }
    } else {
      body = undefined;
    }
    return { status: res.statusCode, headers, body, requestId: headers["x-request-id"] };
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
      body: res.body,
      retryAfterMs: retryAfterMs(res.headers["retry-after"]),
    });
  if (res.status < 200 || res.status >= 300) throw fail(errorFields(res.body));
  if (api.isSuccess?.(res.body)) return res;
  const inBody = errorInSuccessBody(res.body);
  if (inBody) throw fail(inBody);
  return res;
};

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
