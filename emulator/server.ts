import { Dialect } from "./dialects";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { AccountDirectory, DEFAULT_ACCOUNT, SECOND_ACCOUNT, type Account } from "./accounts";
import { ADMIN_PREFIX, adminReply } from "./admin";
import { authenticate, type Caller } from "./auth";
import { Faults, type Fault } from "./faults";
import { apiNotFound, backendFailure, gatewayError, methodNotFound, throttled } from "./gateway";
import { newHexId } from "./ids";
import { RequestLog, type LogEntry } from "./log";
import { Router, type Reply, type RequestContext, type Route } from "./router";
import { services } from "./services";
import { Store } from "./store";
import { TokenStore } from "./tokens";

/**
 * The emulator: one HTTP server for IAM and every emulated service (their paths do not collide).
 * A request goes: admin API? → route lookup (unknown API: 404) → authentication (except IAM's
 * token issuing) → injected faults → the service's handler → faults that fire after the change.
 */

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default: DEFAULT_ACCOUNT and SECOND_ACCOUNT. */
  accounts?: Account[];
  /** JSON file the data is loaded from at start and written to after every change. */
  dataFile?: string;
  /** The emulator's notion of now (signature dates, token expiry, create_time). */
  clock?: () => Date;
  /** Default true: no line per request on stderr (the CLI turns them on). */
  quiet?: boolean;
  /** Validity of issued IAM tokens; default 24 hours, as IAM's. */
  tokenTtlMs?: number;
  /** Which reading of each ambiguous passage of the docs to speak (dialects.ts); default: each row's first. */
  dialect?: Record<string, string>;
}

export interface Emulator {
  /** Base URL, e.g. "http://127.0.0.1:40123"; point every service endpoint at it. */
  url: string;
  port: number;
  accounts: Account[];
  log: RequestLog;
  faults: Faults;
  store: Store;
  /** Expires every issued token; returns how many. */
  expireTokens(): number;
  /** Every IAM token issued so far. */
  issuedTokens(): string[];
  /** The readings it speaks now; `dialect.set({...})` changes them at run time. */
  dialect: Dialect;
  /** Stops the server, dropping open connections, hung answers included. */
  close(): Promise<void>;
}

/** The gateway accepts bodies up to 12 MB (CodeArts Pipeline API Reference §3.2) and answers 413 above. */
const MAX_BODY_BYTES = 12 * 1024 * 1024;

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const accounts = opts.accounts ?? [DEFAULT_ACCOUNT, SECOND_ACCOUNT];
  const host = opts.host ?? "127.0.0.1";
  const tokens = new TokenStore(opts.tokenTtlMs);
  const clock = opts.clock ?? (() => new Date());
  const api = new ApiServer({
    accounts: new AccountDirectory(accounts),
    store: Store.open(opts.dataFile),
    tokens,
    clock,
    quiet: opts.quiet ?? true,
    dialect: new Dialect(opts.dialect),
  });

  const server = createServer((req, res) => void api.handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    accounts,
    log: api.log,
    faults: api.faults,
    store: api.store,
    expireTokens: () => tokens.expireAll(clock()),
    issuedTokens: () => tokens.issued(),
    dialect: api.dialect,
    close: async () => {
      api.shutDown();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

interface ApiServerDeps {
  accounts: AccountDirectory;
  store: Store;
  tokens: TokenStore;
  clock: () => Date;
  quiet: boolean;
  dialect: Dialect;
}

/** What the log records besides the request itself. */
type Outcome = Pick<LogEntry, "operation" | "accessKey" | "fault">;

class ApiServer {
  readonly log = new RequestLog();
  readonly faults = new Faults();
  readonly store: Store;
  readonly dialect: Dialect;
  private readonly router = new Router();
  /** Answers held back by hang-after-commit. */
  private readonly hung = new Set<ServerResponse>();
  private closing = false;

  constructor(private readonly deps: ApiServerDeps) {
    this.store = deps.store;
    this.dialect = deps.dialect;
    for (const register of services) register(this.router);
  }

  shutDown(): void {
    this.closing = true;
    for (const res of this.hung) res.destroy();
    this.hung.clear();
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrived = performance.now();
    const now = this.deps.clock();
    const requestId = newHexId();
    res.setHeader("X-Request-Id", requestId);
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    const rawQuery = q < 0 ? "" : url.slice(q + 1);
    const method = req.method ?? "GET";

    const finish = (reply: Reply | undefined, outcome: Outcome = {}) => {
      if (reply) send(res, reply);
      const ms = Math.round(performance.now() - arrived);
      const entry = this.log.add({ time: now.toISOString(), method, path, query: rawQuery, status: reply?.status, ...outcome, requestId, ms });
      if (!this.deps.quiet) printEntry(entry);
    };

    try {
      const rawBody = await readBody(req);
      if (path.startsWith(ADMIN_PREFIX)) {
        const target = { log: this.log, faults: this.faults, store: this.store, dialect: this.dialect, expireTokens: () => this.deps.tokens.expireAll(this.deps.clock()) };
        send(
          res,
          adminReply(
            {
              method,
              path,
              query: new URLSearchParams(rawQuery),
              rawBody: rawBody ?? Buffer.alloc(0),
              remoteAddress: req.socket.remoteAddress,
              host: req.headers.host,
              origin: req.headers.origin,
              fetchSite: req.headers["sec-fetch-site"] as string | undefined,
            },
            target,
          ),
        );
        return;
      }
      if (!rawBody) return finish(gatewayError(413, "APIG.0201", "Request entity too large.", requestId));

      const match = this.router.match(method, path);
      if (match === "no-api") return finish(apiNotFound(requestId, this.dialect.of("G1")));
      if (match === "no-method") return finish(methodNotFound(requestId, this.dialect.of("G1")));
      const { route, params } = match;

      const ctx: RequestContext = {
        method,
        path,
        params,
        query: new URLSearchParams(rawQuery),
        headers: flattenHeaders(req.headers),
        rawBody,
        requestId,
        now,
        store: this.store,
        accounts: this.deps.accounts,
        tokens: this.deps.tokens,
        dialect: this.dialect,
      };
      let caller: Caller | undefined;
      if (!route.public) {
        const auth = authenticate({ ...ctx, query: [...ctx.query] }, ctx.accounts, ctx.tokens, now, requestId);
        if (!auth.ok) return finish(auth.reply, { operation: route.operation, accessKey: auth.accessKey });
        caller = auth.caller;
      }
      const outcome: Outcome = { operation: route.operation, accessKey: caller?.accessKey };

      const latency = this.faults.nextLatencyMs();
      if (latency > 0) await sleep(latency);
      const fault = this.faults.take(method, route.pattern, path);
      if (fault) outcome.fault = fault;
      if (fault?.type === "expire-token" && !route.public) {
        this.deps.tokens.expireAll(now);
        const again = authenticate({ ...ctx, query: [...ctx.query] }, ctx.accounts, ctx.tokens, now, requestId);
        if (!again.ok) return finish(again.reply, outcome);
      }
      const early = await this.beforeHandling(fault, requestId);
      if (early === "reset") {
        req.socket.destroy();
        return finish(undefined, outcome);
      }
      if (early) return finish(early, outcome);
      if (this.closing) return void res.destroy();

      const reply = await this.invoke(route, ctx, caller);
      if (fault?.type === "commit-then-fail") return finish(backendFailure(fault.status ?? 500, requestId), outcome);
      if (fault?.type === "hang-after-commit") {
        this.hung.add(res);
        res.on("close", () => this.hung.delete(res));
        return finish(undefined, outcome);
      }
      finish(reply, outcome);
    } catch (e) {
      process.stderr.write(`emulator: ${method} ${path} failed: ${e instanceof Error ? e.stack : String(e)}\n`);
      if (!res.headersSent) finish(emulatorBug(e, requestId));
    }
  }

  /** Faults that answer (or drop the connection) instead of the service; latency just waits. */
  private async beforeHandling(fault: Fault | undefined, requestId: string): Promise<Reply | "reset" | undefined> {
    switch (fault?.type) {
      case "latency":
        await sleep(fault.ms);
        return undefined;
      case "status":
        return backendFailure(fault.status, requestId);
      case "rate-limit":
        return throttled(fault.retryAfter, requestId);
      case "reset":
        return "reset";
      case "bad-success":
        return badSuccess(fault.body);
      default:
        return undefined;
    }
  }

  private async invoke(route: Route, ctx: RequestContext, caller: Caller | undefined): Promise<Reply> {
    try {
      return await (route.public ? route.handler(ctx) : route.handler({ ...ctx, caller: caller! }));
    } catch (e) {
      process.stderr.write(`emulator: ${route.operation} failed: ${e instanceof Error ? e.stack : String(e)}\n`);
      return emulatorBug(e, ctx.requestId);
    }
  }
}

/** A handler threw: an emulator bug, reported as such rather than as any real service's error. */
function emulatorBug(e: unknown, requestId: string): Reply {
  const message = e instanceof Error ? e.message : String(e);
  return { status: 500, body: { error_msg: `emulator internal error: ${message}`, error_code: "EMULATOR.0500", request_id: requestId } };
}

/** G4: the bodies a 200 from something other than the service may carry, and `false` where the docs promise `true`. */
function badSuccess(body: "html" | "empty" | "empty-object" | "null" | "invalid-json" | "false"): Reply {
  const html = { "Content-Type": "text/html" };
  switch (body) {
    case "html":
      return { status: 200, raw: "<html><body><form action=/login>Please log in</form></body></html>", headers: html };
    case "empty":
      return { status: 200, raw: "" };
    case "empty-object":
      return { status: 200, raw: "{}" };
    case "null":
      return { status: 200, raw: "null" };
    case "invalid-json":
      return { status: 200, raw: '{"data": ' };
    case "false":
      return { status: 200, raw: "false" };
  }
}

function send(res: ServerResponse, reply: Reply): void {
  // HTTP forbids a body on 204 (RFC 9110 §15.3.5): Node drops it, so none is announced (ambiguities.md E1).
  if (reply.status === 204) {
    res.writeHead(204, { ...reply.headers });
    res.end();
    return;
  }
  const payload = reply.raw ?? (reply.body === undefined ? "" : JSON.stringify(reply.body));
  res.writeHead(reply.status, {
    "Content-Type": "application/json;charset=UTF-8",
    "Content-Length": String(Buffer.byteLength(payload)),
    ...reply.headers,
  });
  res.end(payload);
}

/** The whole body, or undefined when it exceeds MAX_BODY_BYTES (it is still read to the end). */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(size <= MAX_BODY_BYTES ? Buffer.concat(chunks) : undefined));
    req.on("error", reject);
  });
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

function printEntry(e: LogEntry): void {
  const target = e.query ? `${e.path}?${e.query}` : e.path;
  const fault = e.fault ? ` fault=${e.fault.type}` : "";
  process.stderr.write(`${e.time} ${e.method} ${target} -> ${e.status ?? "no answer"} ${e.operation ?? "-"} ${e.ms}ms${fault}\n`);
}
