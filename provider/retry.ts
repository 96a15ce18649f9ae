import { ApiError, NetworkError } from "./errors";
import { INVALID_REQUEST_CODES, type Middleware } from "./http";

/**
 * Retries with exponential backoff and full jitter, only where a repeat is safe:
 * - 429: the gateway refused the request before it reached the service, so any request may be
 *   repeated; Retry-After is honoured (capped).
 * - 5xx and connection resets or timeouts: the change may have been applied, so only requests
 *   marked idempotent are repeated; a create is never repeated blindly (the resource layer looks
 *   the object up by its natural key instead).
 * - Connection refused / DNS failures: nothing was sent, always safe.
 */
export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const defaultRetryPolicy = (maxRetries: number): RetryPolicy => ({
  maxRetries,
  baseDelayMs: 100,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 60_000,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  random: Math.random,
});

const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);

/**
 * Answers the docs give HTTP 500 that are definitive (ambiguity C2, CloudTest API Reference §6.2): a handler who is a
 * participant or viewer, a test type without permission, a duplicate plan name, cases that do not exist.
 * Repeating the request cannot change them, so they are never retried (nor looked up after: testPlan.ts).
 */
export const DEFINITIVE_500_CODES: ReadonlySet<string> = new Set([
  "CLOUDTEST.00070008",
  "CLOUDTEST.00013001",
  "CLOUDTEST.00013002",
  "CLOUDTEST.00070009",
  "CLOUDTEST.00017057",
  "CLOUDTEST.00040003",
]);

export function isIdempotent(method: string, flag: boolean | undefined): boolean {
  return flag ?? method !== "POST";
}

/** How long to wait before the next attempt, or undefined when the failure must not be retried. */
export function retryDelay(e: unknown, attempt: number, idempotent: boolean, p: RetryPolicy): number | undefined {
  const backoff = () => Math.floor(p.random() * Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** attempt));
  if (e instanceof ApiError) {
    // An error reported inside a 2xx body is an answer, not a transient failure.
    if (e.status === 429) return e.retryAfterMs !== undefined ? Math.min(e.retryAfterMs, p.maxRetryAfterMs) : backoff();
    if (RETRYABLE_STATUS.has(e.status) && idempotent && !DEFINITIVE_500_CODES.has(e.errorCode ?? "")) return backoff();
    return undefined;
  }
  if (e instanceof NetworkError) {
    if (INVALID_REQUEST_CODES.has(e.code)) return undefined; // the same value would be refused again
    if (!e.ambiguous || idempotent) return backoff();
  }
  return undefined;
}

export function retry(p: RetryPolicy): Middleware {
  return (next) => async (req) => {
    const idempotent = isIdempotent(req.api.method, req.api.idempotent);
    for (let attempt = 0; ; attempt++) {
      try {
        // Each attempt gets fresh headers: the signature covers X-Sdk-Date, which must be current.
        return await next({ ...req, headers: { ...req.headers }, attempt });
      } catch (e) {
        const answer = e instanceof ApiError && req.api.answerCodes?.has(e.errorCode ?? "");
        const delay = attempt < p.maxRetries && !answer ? retryDelay(e, attempt, idempotent, p) : undefined;
        if (delay === undefined) throw e;
        await p.sleep(delay);
      }
    }
  };
}
