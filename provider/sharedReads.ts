import { checkAnswer, type ApiRequest, type ApiResponse, type Middleware, type WireRequest } from "./http";

/**
 * Identical reads in flight at the same time go out as one request (issue 23): a refresh reads
 * every PipelineGroup of a project through the project's whole group tree, and the engine runs
 * those reads concurrently in one provider process, so without this a few hundred groups ask for
 * the same tree a few hundred times.
 *
 * - What is shared: a read (GET, or a request marked `read: true`: the POST listings) with the same
 *   service, method, URL with query, body, headers and request options as one already in flight on
 *   the same ApiClient. A client is one configuration (sessions.ts), so different credentials or
 *   settings never share. Nothing is kept once the request has settled: this merges concurrent
 *   reads, it is no cache.
 * - Never across a change: every write (any request that is not a read) moves a process-wide epoch
 *   when it starts and again when it ends, whatever the service or client; a read joins only a read
 *   begun in the same epoch. So a read that starts after a write has started never gets an answer
 *   that may predate it. Process-wide and all services (stricter than needed): services refer to
 *   each other's objects, and a refresh, where sharing matters, writes nothing.
 * - Every caller gets the same outcome, the answer or the error; each caller's own `answer` schema
 *   still checks it (checkAnswer), and a caller that joined gets its own copy of the body.
 * - Retries are inside: this middleware sits outside retry, so the shared request includes its
 *   retries and a throttled service sees one caller's retries, not one set per caller. A caller that
 *   joins late gets the rest of the first caller's attempts, not a full set of its own. Timeouts are
 *   the same for all (`timeoutMs` is part of the key; requests have no cancellation of their own).
 */

/** Bumped at the start and at the end of every write this process sends. */
let writeEpoch = 0;

/** Whether a request only reads: GET, or a POST listing marked `read: true` at its call site. */
export function isRead(api: ApiRequest): boolean {
  return api.method === "GET" || api.read === true;
}

/** Functions in a request (isSuccess, parseJson) compare by identity: a numbered name per function. */
const functionIds = new WeakMap<object, number>();
let nextFunctionId = 0;
function functionId(f: unknown): number | undefined {
  if (typeof f !== "function") return undefined;
  let id = functionIds.get(f);
  if (id === undefined) functionIds.set(f, (id = ++nextFunctionId));
  return id;
}

/** Everything that decides what is sent and how the answer is read, except the `answer` schema (checked per caller). */
function keyOf(req: WireRequest, epoch: number): string {
  const api = req.api;
  return JSON.stringify([
    epoch,
    api.service,
    api.method,
    req.url.href,
    typeof req.body === "string" ? req.body : null,
    Object.entries(req.headers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    api.operation,
    api.resource ?? null,
    api.idempotent ?? null,
    api.timeoutMs ?? null,
    api.scopeHeaders ?? null,
    [...(api.answerCodes ?? [])].sort(),
    functionId(api.isSuccess) ?? null,
    functionId(api.parseJson) ?? null,
  ]);
}

/** One per ApiClient (client.ts): the reads it has in flight. */
export function sharedReads(): Middleware {
  const inFlight = new Map<string, Promise<ApiResponse>>();
  return (next) => async (req) => {
    const api = req.api;
    if (!isRead(api) || api.rawBody) {
      writeEpoch++;
      try {
        return await next(req);
      } finally {
        writeEpoch++;
      }
    }
    const key = keyOf(req, writeEpoch);
    const joined = inFlight.get(key);
    let shared = joined;
    if (!shared) {
      // The schema is left to each caller: callers with different schemas may share one answer.
      const sent = next({ ...req, api: { ...api, answer: undefined } });
      inFlight.set(key, sent);
      const forget = () => inFlight.get(key) === sent && inFlight.delete(key);
      sent.then(forget, forget);
      shared = sent;
    }
    const res = await shared;
    return checkAnswer(req, joined ? { ...res, headers: { ...res.headers }, body: structuredClone(res.body) } : res);
  };
}
