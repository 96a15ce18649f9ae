import { z } from "zod";
import { Dialect, DialectError } from "./dialects";
import { faultRuleSchema, type Faults } from "./faults";
import type { RequestLog } from "./log";
import type { Reply } from "./router";
import type { Store } from "./store";
import { seedTestCases } from "./services/cloudtest";
import { putRepositoryFile } from "./services/cloudtestSuites";
import { maskSensitiveScripts } from "./services/cocScripts";
import { cocResourceSeed, maskSensitiveTickets, seedCocResources } from "./services/cocTickets";
import { seedVpcepRecords } from "./services/vpcep";

/**
 * The emulator's own HTTP API under /__emulator/, for an emulator running in another process (the
 * demo, the CLI): read the log and the data, inject faults, expire tokens. Unauthenticated, so
 * only loopback callers are served. Not logged and never faulted.
 */
export const ADMIN_PREFIX = "/__emulator/";

export interface AdminTarget {
  log: RequestLog;
  faults: Faults;
  store: Store;
  dialect: Dialect;
  expireTokens(): number;
}

export interface AdminRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  rawBody: Buffer;
  remoteAddress: string | undefined;
  /** Host, Origin and Sec-Fetch-Site headers: a browser page on another site must not reach the admin API. */
  host?: string;
  origin?: string;
  fetchSite?: string;
}

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d{1,5})?$/i;

/**
 * Loopback peers only, and only by a loopback Host name (no DNS rebinding) and not from another site:
 * a cross-origin "simple" POST (text/plain) from a browser page would otherwise inject faults.
 */
function refusal(req: AdminRequest): string | undefined {
  if (!isLoopback(req.remoteAddress)) return "the admin API only answers loopback clients";
  if (!req.host || !LOOPBACK_HOST.test(req.host)) return "the admin API only answers requests addressed to a loopback host name";
  if (req.origin !== undefined && !/^https?:\/\/(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d{1,5})?$/i.test(req.origin)) return "the admin API does not answer cross-site requests";
  if (req.fetchSite !== undefined && req.fetchSite !== "same-origin" && req.fetchSite !== "none") return "the admin API does not answer cross-site requests";
  return undefined;
}

const isLoopback = (address: string | undefined): boolean => address !== undefined && (address === "::1" || /^(::ffff:)?127\./.test(address));

const adminError = (status: number, message: string): Reply => ({ status, body: { error: message } });

export function adminReply(req: AdminRequest, target: AdminTarget): Reply {
  const refused = refusal(req);
  if (refused) return adminError(403, refused);
  switch (`${req.method} ${req.path.slice(ADMIN_PREFIX.length)}`) {
    case "GET log": {
      const since = Number(req.query.get("since") ?? 0);
      return { status: 200, body: { entries: target.log.since(Number.isFinite(since) ? since : 0) } };
    }
    case "POST faults":
      return injectFaults(req.rawBody, target.faults);
    case "DELETE faults":
      target.faults.clear();
      return { status: 200, body: { cleared: true } };
    case "POST expire-tokens":
      return { status: 200, body: { expired: target.expireTokens() } };
    case "GET dialect":
      return { status: 200, body: target.dialect.current() };
    case "POST dialect":
      return setDialect(req.rawBody, target.dialect);
    case "DELETE dialect":
      target.dialect.reset();
      return { status: 200, body: target.dialect.current() };
    case "GET state":
      return { status: 200, body: maskSensitiveTickets(maskSensitiveScripts(target.store.snapshot())) };
    case "POST cloudtest/testcases":
      return seedFrom(req.rawBody, z.object({ projectId: z.string(), serviceId: z.number().int(), ids: z.array(z.string()) }), (b) =>
        seedTestCases(target.store, b.projectId, b.serviceId, b.ids),
      );
    case "POST cloudtest/repository-files":
      return seedFrom(req.rawBody, z.object({ repositoryId: z.string(), branch: z.string(), path: z.string(), content: z.string() }), (b) =>
        putRepositoryFile(target.store, b.repositoryId, b.branch, b.path, b.content),
      );
    case "POST vpceps":
      return seedFrom(req.rawBody, z.object({ domainId: z.string(), region: z.string(), vpcepIds: z.array(z.string()) }), (b) =>
        seedVpcepRecords(target.store, b.domainId, b.region, b.vpcepIds),
      );
    case "POST coc/resources":
      return seedFrom(req.rawBody, z.object({ domainId: z.string(), resources: z.array(cocResourceSeed), stepMs: z.number().int().min(1).optional() }), (b) =>
        seedCocResources(target.store, b.domainId, b.resources, b.stepMs),
      );
    default:
      return adminError(404, `no admin endpoint ${req.method} ${req.path}`);
  }
}

/** Seeds data that has no create API (CloudTest test cases, repository files, VPCEP access records). */
function seedFrom<T>(rawBody: Buffer, schema: z.ZodType<T>, seed: (b: T) => void): Reply {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString("utf8"));
  } catch {
    return adminError(400, "the body must be JSON");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) return adminError(400, z.prettifyError(parsed.error));
  seed(parsed.data);
  return { status: 200, body: { seeded: true } };
}

/** Body: `{ "ID": "NAME", … }`; rows not named keep their reading. */
function setDialect(rawBody: Buffer, dialect: Dialect): Reply {
  try {
    const body: unknown = JSON.parse(rawBody.toString("utf8"));
    if (!body || typeof body !== "object" || Array.isArray(body)) throw new Error("not an object");
    dialect.set(body as Record<string, unknown>);
  } catch (e) {
    return adminError(400, e instanceof DialectError ? e.message : 'the body must be a JSON object {"ID": "NAME", ...}');
  }
  return { status: 200, body: dialect.current() };
}

/** Body: one fault rule or an array of them (FaultRule, see faults.ts). */
function injectFaults(rawBody: Buffer, faults: Faults): Reply {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString("utf8"));
  } catch {
    return adminError(400, "the body must be JSON: a fault rule or an array of fault rules");
  }
  const rules = z.array(faultRuleSchema).safeParse(Array.isArray(body) ? body : [body]);
  if (!rules.success) return adminError(400, z.prettifyError(rules.error));
  try {
    for (const rule of rules.data) faults.inject(rule);
  } catch (e) {
    return adminError(400, (e as Error).message);
  }
  return { status: 200, body: { pending: faults.pending() } };
}
