import { notFoundAnswer } from "./notFound";
import type { StoreData } from "../store";
import { z } from "zod";
import { randomBytes } from "crypto";
import type { CallerContext, Handler, Reply, Router } from "../router";
import { incorrectIamAuthentication } from "../gateway";
import { jsonObject } from "./json";
import { executeError, registerCocTickets, startTicket } from "./cocTickets";

/**
 * COC custom scripts (Cloud Operations Center API Reference §4.2). Quirks kept: success bodies wrapped in `{"data": …}` (the
 * §4.2.1/§4.2.4/§4.2.6 examples), errors as HTTP 400 with COC codes, COC.00040601 meaning both "a
 * script with this name exists", "The paramValue is invalid." (both §5.1) and, as the Terraform
 * provider learned, an invalid uuid;
 * COC.00040604 "script not exist"; sensitive parameter values masked as 17 asterisks on read;
 * a script with reviewers waits in PENDING_APPROVE (no approval API); POST on the script's own path
 * executes it (§4.2.6).
 */
export function registerCocScripts(router: Router): void {
  const r = (method: string, path: string, op: string, h: Handler) =>
    router.route(
      method,
      path,
      op,
      scoped(async (ctx) => notFoundAnswer(ctx, await h(ctx))),
    );
  r("POST", "/v1/job/scripts", "Script.create", create);
  r("GET", "/v1/job/scripts", "Script.list", list);
  r("GET", "/v1/job/scripts/{script_uuid}", "Script.get", get);
  r("PUT", "/v1/job/scripts/{script_uuid}", "Script.update", update);
  r("DELETE", "/v1/job/scripts/{script_uuid}", "Script.delete", remove);
  r("POST", "/v1/job/scripts/{script_uuid}", "ScriptRun.execute", execute);
  registerCocTickets(router, scoped);
}

/**
 * Ambiguity G5 (`strict`): Table 3-3 of 004 lists X-Project-Id for AK/SK requests in multi-project
 * use; under `strict` an AK/SK request without one of the account's project ids is refused by the
 * gateway as an authentication failure (token requests carry their project scope).
 */
const scoped =
  (h: Handler): Handler =>
  (ctx) => {
    if (ctx.dialect.is("G5", "strict") && ctx.caller.accessKey !== undefined && !ctx.caller.account.iamProjects.some((p) => p.id === ctx.headers["x-project-id"])) {
      return incorrectIamAuthentication("X-Project-Id is required with AK/SK and must be a project of the account", ctx.requestId);
    }
    return h(ctx);
  };

const SCRIPTS = "cocScripts";
/** What the service shows instead of a sensitive parameter's value (as the Terraform provider meets it). */
export const MASK = "*****************";

const cocError = (code: string, msg: string): Reply => ({ status: 400, body: { error_code: code, error_msg: msg } });
const invalid = (msg: string) => cocError("COC.00040701", msg);
const notExist = () => cocError("COC.00040604", "Script not exist.");
const ok = (data: unknown): Reply => ({ status: 200, body: { data } });

/**
 * The `param_value` pattern of §4.2.1, `^((?!{2,})[a-zA-Z0-9_-/*\x20?:"'=\+@\[\]\{\}])*$`, made
 * valid: `_-/` read as three characters, `(?!{2,})` as "no two `{` in a row". Enforced under S2=pattern.
 */
export const PARAM_VALUE_PATTERN = /^(?!.*\{\{)[a-zA-Z0-9_\-/* ?:"'=+@[\]{}]*$/;

/**
 * S5=long: record ids beyond 2^53 (Table 4-12 lists a Long), kept as decimal text. Just under 2^62, so
 * that an id read as a double and printed back (4611686018427388000 = 2^62 + 96) skips the records after it.
 */
const LONG_BASE = 2n ** 62n - 60n;

const reviewer = z.object({ reviewer_name: z.string().min(1).max(64), reviewer_id: z.string().max(32) });
const properties = z.object({
  risk_level: z.enum(["LOW", "MEDIUM", "HIGH"]),
  version: z.string().min(1).max(10),
  reviewers: z.array(reviewer).max(5).nullish(),
  protocol: z.enum(["DEFAULT", "SMS", "EMAIL", "DING_TALK", "WE_LINK", "WECHAT", "CALLNOTIFY", "NOT_TO_NOTIFY"]).nullish(),
});
const param = z.object({
  param_name: z.string().regex(/^[A-Za-z0-9_]{1,64}$/),
  param_value: z.string().max(1024),
  param_description: z.string().max(256),
  param_order: z.number().int().min(1).max(20),
  sensitive: z.boolean(),
});
const params = z
  .array(param)
  .max(20)
  .refine((ps) => ps.every((p, i) => [...ps].sort((a, b) => a.param_order - b.param_order)[i].param_order === i + 1), "param_order starts from 1 and must be consecutive");
/**
 * S2=pattern: a `param_value` outside the documented pattern is refused with §5.1's own answer, 400
 * COC.00040601 "The paramValue is invalid." (the code that also means "Exist script with same name").
 * Checked after the body's other rules (those answer COC.00040701).
 */
function badParamValue(ctx: CallerContext, ps: Array<{ param_value: string }> | null | undefined): Reply | undefined {
  if (!ctx.dialect.is("S2", "pattern") || (ps ?? []).every((p) => PARAM_VALUE_PATTERN.test(p.param_value))) return undefined;
  return cocError("COC.00040601", "The paramValue is invalid.");
}

/** The readings (S1, S4) that change what the create and update bodies may hold (S2: badParamValue). */
function bodies(ctx: CallerContext) {
  const ps = (max: number) =>
    z
      .array(param)
      .max(max)
      .refine(
        (list) => list.every((p, i) => [...list].sort((a, b) => a.param_order - b.param_order)[i].param_order === i + 1),
        "param_order starts from 1 and must be consecutive",
      );
  const nameType = ctx.dialect.is("S4", "required") ? { name: createBody.shape.name, type: createBody.shape.type } : { name: z.string().nullish(), type: z.string().nullish() };
  return {
    create: createBody.extend({ script_params: ps(20).nullish() }),
    update: updateBody.extend({ script_params: ps(ctx.dialect.is("S1", "5") ? 5 : 20).nullish(), ...nameType }),
  };
}

const createBody = z.object({
  name: z.string().regex(/^[A-Za-z0-9_]{1,64}$/, "name must be 1-64 letters, digits or underscores"),
  properties,
  description: z.string().min(1).max(256),
  type: z.enum(["SHELL", "PYTHON", "BAT"]),
  content: z.string().min(1).max(4096),
  script_params: params.nullish(),
});
/** Table 4-23: description and content mandatory; properties and params optional. */
const updateBody = z.object({
  description: z.string().min(1).max(256),
  content: z.string().min(1).max(4096),
  properties: properties.nullish(),
  script_params: params.nullish(),
  name: z.string().nullish(),
  type: z.string().nullish(),
});

interface ScriptRecord {
  /** A number, or decimal text beyond 2^53 (S5=long). */
  id: number | string;
  script_uuid: string;
  name: string;
  description: string;
  type: string;
  content: string;
  script_params: Array<z.infer<typeof param>>;
  status: "PENDING_APPROVE" | "APPROVED" | "REJECTED";
  gmt_created: number;
  gmt_modified: number;
  creator: string;
  creator_id: string;
  operator: string;
  properties: z.infer<typeof properties>;
}

/** `SC` + yyyyMMddHHmmss + 9 hex, as the §4.2.1 example's SC2023102521413701c4a8a62. */
function scriptUuid(now: Date): string {
  return `SC${now.toISOString().replace(/\D/g, "").slice(0, 14)}${randomBytes(5).toString("hex").slice(0, 9)}`;
}

const message = (e: z.ZodError) => e.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");

function create(ctx: CallerContext): Reply {
  const b = bodies(ctx).create.safeParse(jsonObject(ctx.rawBody));
  if (!b.success) return invalid(message(b.error));
  const badValue = badParamValue(ctx, b.data.script_params);
  if (badValue) return badValue;
  const all = ctx.store.collection<ScriptRecord>(SCRIPTS);
  const tenant = ctx.caller.account.domainId;
  if (all.list(tenant).some((s) => s.name === b.data.name)) return cocError("COC.00040601", `Exist script with same name: ${b.data.name}`);
  const now = ctx.now.getTime();
  const s: ScriptRecord = {
    id: nextId(ctx, all.list(tenant)),
    script_uuid: scriptUuid(ctx.now),
    name: b.data.name,
    description: b.data.description,
    type: b.data.type,
    content: b.data.content,
    script_params: b.data.script_params ?? [],
    status: b.data.properties.reviewers?.length ? "PENDING_APPROVE" : "APPROVED",
    gmt_created: now,
    gmt_modified: now,
    creator: ctx.caller.user.name,
    creator_id: ctx.caller.user.id,
    operator: ctx.caller.user.name,
    properties: b.data.properties,
  };
  all.put(tenant, s.script_uuid, s);
  return ok(s.script_uuid);
}

/** The store's data as the admin API shows it: sensitive parameter values masked, as the service shows them. */
export function maskSensitiveScripts(data: StoreData): StoreData {
  for (const records of Object.values(data[SCRIPTS] ?? {})) {
    for (const r of Object.values(records) as ScriptRecord[]) r.script_params = (r.script_params ?? []).map((p) => (p.sensitive ? { ...p, param_value: MASK } : p));
  }
  return data;
}

function nextId(ctx: CallerContext, existing: ScriptRecord[]): number | string {
  const last = existing.reduce((m, x) => (BigInt(x.id) > m ? BigInt(x.id) : m), 0n);
  if (ctx.dialect.is("S5", "long")) return String((last > LONG_BASE ? last : LONG_BASE) + 1n);
  return Number(last) + 1;
}

/** Table 4-28 (unwrapped detail); sensitive values masked; S6=lf reads CRLF back as LF. */
function view(s: ScriptRecord, ctx: CallerContext) {
  return {
    script_uuid: s.script_uuid,
    name: s.name,
    version: s.properties.version,
    description: s.description,
    type: s.type,
    content: ctx.dialect.is("S6", "lf") ? s.content.replace(/\r\n/g, "\n") : s.content,
    script_params: s.script_params.map((p) => (p.sensitive ? { ...p, param_value: MASK } : p)),
    status: s.status,
    gmt_created: s.gmt_created,
    gmt_modified: s.gmt_modified,
    creator: s.creator,
    creator_id: s.creator_id,
    operator: s.operator,
    properties: s.properties,
  };
}

function get(ctx: CallerContext): Reply {
  const s = ctx.store.collection<ScriptRecord>(SCRIPTS).get(ctx.caller.account.domainId, ctx.params.script_uuid);
  if (!s) return notExist();
  // S3: Table 4-25 lists the fields top-level; the other answers of §4.2 wrap them in {"data": …}.
  return ctx.dialect.is("S3", "top-level") ? { status: 200, body: view(s, ctx) } : ok(view(s, ctx));
}

function update(ctx: CallerContext): Reply {
  const all = ctx.store.collection<ScriptRecord>(SCRIPTS);
  const tenant = ctx.caller.account.domainId;
  const s = all.get(tenant, ctx.params.script_uuid);
  if (!s) return notExist();
  const b = bodies(ctx).update.safeParse(jsonObject(ctx.rawBody));
  if (!b.success) return invalid(message(b.error));
  const badValue = badParamValue(ctx, b.data.script_params);
  if (badValue) return badValue;
  const props = b.data.properties ?? s.properties;
  // "If the modified script has a reviewer, you need to select reviewers again" (§4.2.4): back to review.
  all.put(tenant, s.script_uuid, {
    ...s,
    description: b.data.description,
    content: b.data.content,
    properties: props,
    script_params: b.data.script_params ?? s.script_params,
    status: props.reviewers?.length ? "PENDING_APPROVE" : "APPROVED",
    gmt_modified: ctx.now.getTime(),
    operator: ctx.caller.user.name,
  });
  return ok(s.script_uuid);
}

function remove(ctx: CallerContext): Reply {
  const removed = ctx.store.collection<ScriptRecord>(SCRIPTS).remove(ctx.caller.account.domainId, ctx.params.script_uuid);
  return removed ? ok(ctx.params.script_uuid) : notExist();
}

/** §4.2.2: limit 1–100 mandatory, marker = id of the last record, name_like fuzzy. Top-level {total, data} as Table 4-12 lists. */
function list(ctx: CallerContext): Reply {
  const q = ctx.query;
  const limit = Number(q.get("limit"));
  if (!q.get("limit") || !Number.isInteger(limit) || limit < 1 || limit > 100) return invalid("limit must be between 1 and 100");
  const rawMarker = q.get("marker");
  if (rawMarker !== null && !/^\d{1,19}$/.test(rawMarker)) return invalid("marker must be a record id");
  const marker = rawMarker === null ? 0n : BigInt(rawMarker);
  const nameLike = q.get("name_like") ?? "";
  const all = ctx.store
    .collection<ScriptRecord>(SCRIPTS)
    .list(ctx.caller.account.domainId)
    .filter((s) => s.name.includes(nameLike) && (!q.get("type") || s.type === q.get("type")) && (!q.get("risk_level") || s.properties.risk_level === q.get("risk_level")))
    .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  const page = all.filter((s) => BigInt(s.id) > marker).slice(0, limit);
  const data = page.map((s) => ({
    id: s.id,
    script_uuid: s.script_uuid,
    name: s.name,
    type: s.type,
    status: s.status,
    gmt_created: s.gmt_created,
    gmt_modified: s.gmt_modified,
    creator: s.creator,
    creator_id: s.creator_id,
    operator: s.operator,
    properties: s.properties,
  }));
  const body = { total: all.length, data };
  // Ids beyond 2^53 go out as the JSON integers they are, digit for digit (S5=long).
  if (!data.some((d) => typeof d.id === "string")) return { status: 200, body };
  return { status: 200, body, raw: JSON.stringify({ ...body, data: data.map((d) => ({ ...d, id: `\u0000${d.id}` })) }).replace(/"\\u0000(\d+)"/g, "$1") };
}

/** §4.2.6: runs the script on its targets (cocTickets.ts); errors as E1 reads "204: Error information is included". */
function execute(ctx: CallerContext): Reply {
  const s = ctx.store.collection<ScriptRecord>(SCRIPTS).get(ctx.caller.account.domainId, ctx.params.script_uuid);
  if (!s) return executeError(ctx, notExist());
  return startTicket(ctx, s);
}
