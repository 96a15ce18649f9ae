import { randomBytes } from "crypto";
import { z } from "zod";
import type { CallerContext, Handler, Reply, Router } from "../router";
import type { Store, StoreData } from "../store";
import { jsonObject } from "./json";

/**
 * COC script execution and its tickets (Cloud Operations Center API Reference §4.2.6, §4.3.1–§4.3.6) and the tenant's
 * resources (§4.1.1). A ticket runs through its states as the emulator's clock advances, worked out from
 * its creation time and the operations applied to it, so nothing runs in the background:
 * batch k runs for one step (every host of the batch at once), after the batches before it; a host
 * seeded to fail ends ABNORMAL with its message, one seeded to hang stays PROCESSING until the ticket is
 * cancelled (it ignores the ticket's timeout: the fault is a service that stops reporting). After each
 * batch the share of FINISHED hosts so far is held to `success_rate`: below it the ticket fails and the
 * later batches never start. A batch with rotation_strategy PAUSE, or one during which PAUSE_ORDER came,
 * holds the ticket PAUSED after it until CONTINUE_ORDER (ambiguities.md E5). §4.3.6's other operations:
 * CANCEL_INSTANCE ends one host CANCELED (a host of a later batch never runs), SKIP_BATCH ends every host of
 * a batch that has not ended CANCELED (the next batch starts at once; a later batch never runs),
 * CANCEL_ORDER ends the ticket CANCELED. Tests seed hosts and the step with `seedCocResources` (or
 * POST /__emulator/coc/resources).
 */
export const TICKETS = "cocTickets";
export const RESOURCES = "cocResources";
const SETTINGS = "cocTicketSettings";
/** A step of one second unless a test shortens it. */
const DEFAULT_STEP_MS = 1000;

/** A host as §4.1.1 lists it, with how it behaves when a script runs on it (the emulator's faults). */
export interface CocResource {
  id: string;
  resource_id: string;
  name: string;
  provider: string;
  type: string;
  project_id: string;
  region_id: string;
  ep_id: string;
  tags: Record<string, string>;
  properties: Record<string, unknown>;
  agent_id: string;
  /** ok: the script ends FINISHED; fail: ABNORMAL with `message`; hang: PROCESSING until cancelled. */
  behaviour: "ok" | "fail" | "hang";
  message?: string;
}

export const cocResourceSeed = z.object({
  resourceId: z.string().min(1).max(64),
  agentSn: z.string().min(1).max(32),
  projectId: z.string().min(1).max(32),
  regionId: z.string().min(1).max(32),
  name: z.string().default("host"),
  provider: z.string().default("ecs"),
  type: z.string().default("cloudservers"),
  behaviour: z.enum(["ok", "fail", "hang"]).default("ok"),
  message: z.string().optional(),
  tags: z.record(z.string(), z.string()).default({}),
});
export type CocResourceSeed = z.input<typeof cocResourceSeed>;

/** Seeds the tenant's hosts (what §4.1.1 lists and §4.2.6 runs on) and, optionally, the ticket step. */
export function seedCocResources(store: Store, domainId: string, hosts: CocResourceSeed[], stepMs?: number): void {
  const all = store.collection<CocResource>(RESOURCES);
  let next = all.list(domainId).length;
  for (const raw of hosts) {
    const h = cocResourceSeed.parse(raw);
    const id = all.list(domainId).find((r) => r.resource_id === h.resourceId)?.id ?? String(++next).padStart(8, "0");
    all.put(domainId, id, {
      id,
      resource_id: h.resourceId,
      name: h.name,
      provider: h.provider,
      type: h.type,
      project_id: h.projectId,
      region_id: h.regionId,
      ep_id: "0",
      tags: h.tags,
      properties: { host_name: h.name, region_id: h.regionId },
      agent_id: h.agentSn,
      behaviour: h.behaviour,
      message: h.message,
    });
  }
  if (stepMs !== undefined) store.collection<{ stepMs: number }>(SETTINGS).put(domainId, "clock", { stepMs });
}

interface Instance {
  id: number;
  resource_id: string;
  agent_sn: string;
  project_id: string;
  region_id: string;
  host_name?: string;
  behaviour: CocResource["behaviour"] | "unknown";
  message?: string;
}
interface Operation {
  operation_type: "CANCEL_INSTANCE" | "SKIP_BATCH" | "CANCEL_ORDER" | "PAUSE_ORDER" | "CONTINUE_ORDER";
  batch_index?: number;
  instance_id?: number;
  at: number;
}
export interface TicketRecord {
  order_id: number;
  execute_uuid: string;
  script_uuid: string;
  script_name: string;
  script_version_name: string;
  creator: string;
  gmt_created: number;
  step_ms: number;
  execute_param: {
    resourceful: boolean;
    timeout: number;
    success_rate: number;
    execute_user: string;
    script_params: Array<{ param_name: string; param_value: string; param_order: number }>;
  };
  /** Names of the script's sensitive parameters: their values are shown masked. */
  sensitive: string[];
  batches: Array<{ batch_index: number; rotation_strategy: "CONTINUE" | "PAUSE"; instances: Instance[] }>;
  operations: Operation[];
}

type InstanceStatus = "READY" | "PROCESSING" | "ABNORMAL" | "CANCELED" | "FINISHED";
interface InstanceView {
  status: InstanceStatus;
  gmt_created: number | null;
  gmt_finished: number | null;
  message: string;
}
interface Progress {
  status: "PROCESSING" | "FAILED" | "PAUSED" | "CANCELED" | "FINISHED";
  gmt_finished: number | null;
  current: number;
  instances: Map<number, InstanceView>;
}

/** The ticket at `now`, worked out from its creation and the operations applied up to now. */
export function progress(t: TicketRecord, now: number): Progress {
  const ops = t.operations.filter((o) => o.at <= now).sort((a, b) => a.at - b.at);
  const cancelAt = ops.find((o) => o.operation_type === "CANCEL_ORDER")?.at;
  const views = new Map<number, InstanceView>();
  for (const b of t.batches) for (const i of b.instances) views.set(i.id, { status: "READY", gmt_created: null, gmt_finished: null, message: "" });
  // An instance cancelled, or a batch skipped, before its batch starts never runs: CANCELED when the batch would start.
  const after = (at: number | undefined, from: number) => (at === undefined ? undefined : Math.max(at, from));
  const cancelled = (i: Instance, from: number) => after(ops.find((o) => o.operation_type === "CANCEL_INSTANCE" && o.instance_id === i.id)?.at, from);
  const skipped = (b: number, from: number) => after(ops.find((o) => o.operation_type === "SKIP_BATCH" && o.batch_index === b)?.at, from);
  const cancelRest = (at: number) => {
    for (const v of views.values())
      if (v.status === "READY" || v.status === "PROCESSING") Object.assign(v, { status: "CANCELED", gmt_finished: at, message: v.message || "canceled" });
  };
  let cursor = t.gmt_created;
  let done = 0;
  let ok = 0;
  for (const [k, batch] of t.batches.entries()) {
    const start = cursor;
    const end = start + t.step_ms;
    if (cancelAt !== undefined && cancelAt < start) break;
    const skipAt = skipped(batch.batch_index, start);
    const stopAt = Math.min(cancelAt ?? Infinity, skipAt ?? Infinity);
    let hung = false;
    let orderCancelled = false;
    for (const i of batch.instances) {
      const v = views.get(i.id)!;
      v.gmt_created = start;
      const instanceStop = Math.min(stopAt, cancelled(i, start) ?? Infinity);
      const finishes = i.behaviour === "hang" ? Infinity : end;
      if (instanceStop < finishes && instanceStop <= now) {
        // A cancelled host counts neither for nor against the success rate.
        Object.assign(v, { status: "CANCELED", gmt_finished: instanceStop, message: "canceled" });
        if (instanceStop === cancelAt) orderCancelled = true;
      } else if (finishes > now) {
        v.status = "PROCESSING";
        hung = true;
      } else if (i.behaviour === "ok") {
        Object.assign(v, { status: "FINISHED", gmt_finished: end, message: `exit code 0 on ${i.resource_id}` });
        done++;
        ok++;
      } else {
        const why = i.behaviour === "unknown" ? "the host is not a resource of the tenant (no UniAgent answers)" : (i.message ?? "exit code 1");
        Object.assign(v, { status: "ABNORMAL", gmt_finished: end, message: why });
        done++;
      }
    }
    if (hung) {
      if (cancelAt !== undefined && cancelAt <= now) break;
      return { status: "PROCESSING", gmt_finished: null, current: batch.batch_index, instances: views };
    }
    if (orderCancelled || (cancelAt !== undefined && cancelAt <= end)) break;
    const batchEnd = Math.max(...[...batch.instances].map((i) => views.get(i.id)!.gmt_finished ?? end));
    if (done > 0 && (ok / done) * 100 < t.execute_param.success_rate) return { status: "FAILED", gmt_finished: batchEnd, current: batch.batch_index, instances: views };
    const last = k === t.batches.length - 1;
    if (last) return { status: "FINISHED", gmt_finished: batchEnd, current: batch.batch_index, instances: views };
    const pauseAsked = batch.rotation_strategy === "PAUSE" || ops.some((o) => o.operation_type === "PAUSE_ORDER" && o.at >= start && o.at < batchEnd);
    cursor = batchEnd;
    if (pauseAsked) {
      const resumed = ops.find((o) => o.operation_type === "CONTINUE_ORDER" && o.at >= batchEnd);
      if (!resumed) {
        if (cancelAt !== undefined) break;
        return { status: "PAUSED", gmt_finished: null, current: batch.batch_index, instances: views };
      }
      cursor = resumed.at;
    }
  }
  cancelRest(cancelAt ?? now);
  const current = t.batches.find((b) => b.instances.some((i) => views.get(i.id)!.gmt_created !== null && views.get(i.id)!.status === "CANCELED"))?.batch_index ?? 1;
  return { status: "CANCELED", gmt_finished: cancelAt ?? now, current, instances: views };
}

const cocError = (code: string, msg: string): Reply => ({ status: 400, body: { error_code: code, error_msg: msg } });
const invalid = (msg: string) => cocError("COC.00040701", msg);
const message = (e: z.ZodError) => e.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
/** E6: every answer in {"data": …} as the examples show, or as the tables list the fields. */
const answer = (ctx: CallerContext, data: unknown, asTable: unknown = data): Reply => ({ status: 200, body: ctx.dialect.is("E6", "wrapped") ? { data } : asTable });

/** E1: how §4.2.6 reports an error ("Status code: 204 … error_code, error_msg"). */
export function executeError(ctx: CallerContext, reply: Reply): Reply {
  if (ctx.dialect.is("E1", "400")) return reply;
  if (ctx.dialect.is("E1", "204-empty")) return { status: 204 };
  return { status: 204, body: reply.body };
}

/** Table 4-30 to 4-34; E2 (`success_rate` as a numeric string) and E3 (`resourceful` omitted) per the dialect. */
function executeBody(ctx: CallerContext) {
  const rate = z.number().min(1).max(100);
  return z.object({
    execute_param: z.object({
      resourceful: ctx.dialect.is("E3", "required") ? z.boolean() : z.boolean().default(true),
      timeout: z.number().int().min(5).max(1800),
      success_rate: ctx.dialect.is("E2", "string")
        ? z.union([
            rate,
            z
              .string()
              .regex(/^\d+(\.\d)?$/)
              .transform(Number)
              .pipe(rate),
          ])
        : rate,
      execute_user: z.string().min(1).max(32),
      script_params: z
        .array(z.object({ param_name: z.string().min(1).max(64), param_value: z.string().max(1024), param_order: z.number().int().min(1).max(20) }))
        .max(20)
        .nullish(),
    }),
    execute_batches: z
      .array(
        z.object({
          batch_index: z.number().int().min(1).max(20),
          target_instances: z
            .array(
              z.object({
                resource_id: z.string().min(1).max(64),
                agent_sn: z.string().min(1).max(32),
                project_id: z.string().min(1).max(32),
                region_id: z.string().min(1).max(32),
              }),
            )
            .min(1)
            .max(10),
          rotation_strategy: z.enum(["CONTINUE", "PAUSE"]),
        }),
      )
      .min(1)
      .max(20)
      // "A maximum of 200 hosts can be delivered at a time" (§4.2.6); batch indexes start from 1.
      .refine((bs) => bs.reduce((n, b) => n + b.target_instances.length, 0) <= 200, "at most 200 hosts")
      .refine((bs) => [...bs].sort((a, b) => a.batch_index - b.batch_index).every((b, i) => b.batch_index === i + 1), "batch_index starts from 1 and must be consecutive"),
  });
}

/** §4.2.6 on an existing script (cocScripts.ts finds it): validates, starts a ticket, answers its execute_uuid. */
export function startTicket(
  ctx: CallerContext,
  script: { script_uuid: string; name: string; properties: { version: string }; script_params: Array<{ param_name: string; sensitive: boolean }> },
): Reply {
  const b = executeBody(ctx).safeParse(jsonObject(ctx.rawBody));
  if (!b.success) return executeError(ctx, invalid(message(b.error)));
  const tenant = ctx.caller.account.domainId;
  const hosts = ctx.store.collection<CocResource>(RESOURCES).list(tenant);
  const tickets = ctx.store.collection<TicketRecord>(TICKETS);
  const existing = tickets.list(tenant);
  let instanceId = existing.reduce((m, t) => Math.max(m, ...t.batches.flatMap((x) => x.instances.map((i) => i.id))), 1000);
  const uuid = `SCT${ctx.now.toISOString().replace(/\D/g, "").slice(0, 14)}${randomBytes(5).toString("hex").slice(0, 9)}`;
  const t: TicketRecord = {
    order_id: existing.reduce((m, x) => Math.max(m, x.order_id), 0) + 1,
    execute_uuid: uuid,
    script_uuid: script.script_uuid,
    script_name: script.name,
    script_version_name: script.properties.version,
    creator: ctx.caller.user.name,
    gmt_created: ctx.now.getTime(),
    step_ms: ctx.store.collection<{ stepMs: number }>(SETTINGS).get(tenant, "clock")?.stepMs ?? DEFAULT_STEP_MS,
    execute_param: { ...b.data.execute_param, resourceful: b.data.execute_param.resourceful, script_params: b.data.execute_param.script_params ?? [] },
    sensitive: script.script_params.filter((p) => p.sensitive).map((p) => p.param_name),
    batches: [...b.data.execute_batches]
      .sort((x, y) => x.batch_index - y.batch_index)
      .map((batch) => ({
        batch_index: batch.batch_index,
        rotation_strategy: batch.rotation_strategy,
        instances: batch.target_instances.map((i) => {
          const host = hosts.find((h) => h.resource_id === i.resource_id);
          return { id: ++instanceId, ...i, host_name: host?.name, behaviour: host?.behaviour ?? "unknown", message: host?.message };
        }),
      })),
    operations: [],
  };
  tickets.put(tenant, uuid, t);
  return { status: 200, body: { data: uuid } };
}

export function registerCocTickets(router: Router, wrap: (h: Handler) => Handler): void {
  const r = (method: string, path: string, op: string, h: Handler) => router.route(method, path, op, wrap(h));
  r("GET", "/v1/job/script/orders/{execute_uuid}", "ScriptRun.get", info);
  r("GET", "/v1/job/script/orders/{execute_uuid}/batches", "ScriptRun.batches", batches);
  r("GET", "/v1/job/script/orders/{execute_uuid}/statistics", "ScriptRun.statistics", statistics);
  r("GET", "/v1/job/script/orders/{execute_uuid}/batches/{batch_index}", "ScriptRun.batch", batch);
  r("GET", "/v1/job/script/orders", "ScriptRun.list", list);
  r("PUT", "/v1/job/script/orders/{execute_uuid}/operation", "ScriptRun.operate", operate);
  r("GET", "/v1/resources", "Resource.list", resources);
}

/** No documented code says "no such ticket": the generic COC.00040701 (§5.1), as for any refused request. */
function ticketOf(ctx: CallerContext): TicketRecord | Reply {
  const uuid = ctx.params.execute_uuid;
  if (uuid.length < 1 || uuid.length > 26) return invalid("execute_uuid must be 1-26 characters");
  return ctx.store.collection<TicketRecord>(TICKETS).get(ctx.caller.account.domainId, uuid) ?? invalid(`execute_uuid ${uuid} not exist`);
}
const isReply = (x: TicketRecord | Reply): x is Reply => "status" in x;

/** E7: a failed ticket reads ERROR (Table 4-37's list) or ABNORMAL (§4.3.5's list). */
const ticketStatus = (ctx: CallerContext, p: Progress, inList: boolean) => (p.status === "FAILED" ? (inList || ctx.dialect.is("E7", "abnormal") ? "ABNORMAL" : "ERROR") : p.status);
/** E4: `execute_costs` in milliseconds (the example) or seconds (the table). */
const costs = (ctx: CallerContext, from: number | null, to: number | null) =>
  from === null || to === null ? null : ctx.dialect.is("E4", "ms") ? to - from : Math.round((to - from) / 1000);
/** The store's data as the admin API shows it: the values of sensitive parameters masked, as §4.3.1 shows them. */
export function maskSensitiveTickets(data: StoreData): StoreData {
  for (const records of Object.values(data[TICKETS] ?? {})) {
    for (const t of Object.values(records) as TicketRecord[]) t.execute_param = masked(t);
  }
  return data;
}

const masked = (t: TicketRecord) => ({
  ...t.execute_param,
  script_params: t.execute_param.script_params.map((p) => (t.sensitive.includes(p.param_name) ? { ...p, param_value: "*****************" } : p)),
});

function info(ctx: CallerContext): Reply {
  const t = ticketOf(ctx);
  if (isReply(t)) return t;
  const p = progress(t, ctx.now.getTime());
  const data = {
    execute_uuid: t.execute_uuid,
    gmt_created: t.gmt_created,
    gmt_finished: p.gmt_finished,
    execute_costs: costs(ctx, t.gmt_created, p.gmt_finished),
    creator: t.creator,
    status: ticketStatus(ctx, p, false),
    properties: {
      script_uuid: t.script_uuid,
      script_name: t.script_name,
      script_version_name: t.script_version_name,
      current_execute_batch_index: p.current,
      execute_param: masked(t),
      script_source: "CUSTOM_SCRIPT",
    },
  };
  return answer(ctx, data);
}

function batches(ctx: CallerContext): Reply {
  const t = ticketOf(ctx);
  if (isReply(t)) return t;
  const data = t.batches.map((b) => ({ batch_index: b.batch_index, total_instances: b.instances.length, rotation_strategy: b.rotation_strategy, properties: "" }));
  return answer(ctx, data);
}

const INSTANCE_STATES: InstanceStatus[] = ["READY", "PROCESSING", "ABNORMAL", "CANCELED", "FINISHED"];

function statistics(ctx: CallerContext): Reply {
  const t = ticketOf(ctx);
  if (isReply(t)) return t;
  const p = progress(t, ctx.now.getTime());
  const data = {
    total_instance: t.batches.reduce((n, b) => n + b.instances.length, 0),
    execute_statistics: INSTANCE_STATES.map((s) => {
      const inState = t.batches.map((b) => ({ b: b.batch_index, n: b.instances.filter((i) => p.instances.get(i.id)!.status === s).length })).filter((x) => x.n > 0);
      return { instance_status: s, instance_count: inState.reduce((n, x) => n + x.n, 0), batch_indexes: inState.map((x) => x.b) };
    }),
  };
  return answer(ctx, data);
}

/** Table 4-48: limit 1–50 and marker 0–2147483647 mandatory; status optional. */
function batch(ctx: CallerContext): Reply {
  const t = ticketOf(ctx);
  if (isReply(t)) return t;
  const index = Number(ctx.params.batch_index);
  if (!/^\d+$/.test(ctx.params.batch_index) || index < 1 || index > 20) return invalid("batch_index must be 1-20");
  const q = ctx.query;
  const limit = Number(q.get("limit"));
  if (!q.get("limit") || !Number.isInteger(limit) || limit < 1 || limit > 50) return invalid("limit must be between 1 and 50");
  const marker = Number(q.get("marker"));
  if (q.get("marker") === null || !/^\d{1,10}$/.test(q.get("marker")!) || marker > 2147483647) return invalid("marker must be between 0 and 2147483647");
  const status = q.get("status");
  if (status !== null && !INSTANCE_STATES.includes(status as InstanceStatus)) return invalid("status must be READY, PROCESSING, ABNORMAL, CANCELED or FINISHED");
  const b = t.batches.find((x) => x.batch_index === index);
  if (!b) return invalid(`batch ${index} not exist`);
  const p = progress(t, ctx.now.getTime());
  const all = b.instances.map((i) => ({ i, v: p.instances.get(i.id)! })).filter((x) => status === null || x.v.status === status);
  const page = all.filter((x) => x.i.id > marker).slice(0, limit);
  const data = {
    batch_index: b.batch_index,
    total_instances: all.length,
    execute_instances: page.map(({ i, v }) => ({
      id: i.id,
      target_instance: {
        resource_id: i.resource_id,
        agent_sn: i.agent_sn,
        agent_status: i.behaviour === "unknown" ? null : "ONLINE",
        region_id: i.region_id,
        project_id: i.project_id,
        properties: {
          host_name: i.host_name ?? null,
          fixed_ip: null,
          floating_ip: null,
          region_id: i.region_id,
          zone_id: null,
          application: null,
          group: null,
          project_id: i.project_id,
        },
      },
      gmt_created: v.gmt_created,
      gmt_finished: v.gmt_finished,
      execute_costs: costs(ctx, v.gmt_created, v.gmt_finished),
      status: v.status,
      message: v.message,
    })),
  };
  return answer(ctx, data);
}

/** Table 4-53: every filter optional; newest first, marker = the order_id of the last record. */
function list(ctx: CallerContext): Reply {
  const q = ctx.query;
  const limit = q.get("limit") === null ? 100 : Number(q.get("limit"));
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return invalid("limit must be between 1 and 100");
  const marker = q.get("marker") === null ? undefined : Number(q.get("marker"));
  if (marker !== undefined && (!Number.isInteger(marker) || marker < 1 || marker > 2147483647)) return invalid("marker must be between 1 and 2147483647");
  // start_time and end_time in seconds: Table 4-53 caps them at 2147483647, too small for milliseconds.
  const bound = (name: string): number | undefined | Reply => {
    const v = q.get(name);
    if (v === null) return undefined;
    return /^\d{1,10}$/.test(v) && Number(v) >= 1 && Number(v) <= 2147483647 ? Number(v) * 1000 : invalid(`${name} must be between 1 and 2147483647`);
  };
  const from = bound("start_time");
  const to = bound("end_time");
  if (typeof from === "object") return from;
  if (typeof to === "object") return to;
  const now = ctx.now.getTime();
  const rows = ctx.store
    .collection<TicketRecord>(TICKETS)
    .list(ctx.caller.account.domainId)
    .map((t) => ({ t, p: progress(t, now) }))
    .filter(({ t }) => (from === undefined || t.gmt_created >= from) && (to === undefined || t.gmt_created <= to))
    .filter(({ t, p }) => (q.get("creator") === null || t.creator === q.get("creator")) && (q.get("status") === null || ticketStatus(ctx, p, true) === q.get("status")))
    .sort((a, b) => b.t.order_id - a.t.order_id);
  const page = rows.filter(({ t }) => marker === undefined || t.order_id < marker).slice(0, limit);
  const data = page.map(({ t, p }) => ({
    order_id: t.order_id,
    order_name: t.script_name,
    execute_uuid: t.execute_uuid,
    gmt_created: t.gmt_created,
    gmt_finished: p.gmt_finished,
    execute_costs: costs(ctx, t.gmt_created, p.gmt_finished),
    creator: t.creator,
    status: ticketStatus(ctx, p, true),
    properties: { region_ids: [...new Set(t.batches.flatMap((b) => b.instances.map((i) => i.region_id)))].join(",") },
  }));
  return answer(ctx, { total: rows.length, data }, { total: rows.length, data });
}

const operationBody = z.object({
  batch_index: z.number().int().min(1).max(20).nullish(),
  instance_id: z.number().int().min(1).nullish(),
  operation_type: z.enum(["CANCEL_INSTANCE", "SKIP_BATCH", "CANCEL_ORDER", "PAUSE_ORDER", "CONTINUE_ORDER"]),
});

/** §4.3.6: an operation on a ticket that has ended, or that does not apply to its state, is refused. */
function operate(ctx: CallerContext): Reply {
  const t = ticketOf(ctx);
  if (isReply(t)) return t;
  const b = operationBody.safeParse(jsonObject(ctx.rawBody));
  if (!b.success) return invalid(message(b.error));
  const now = ctx.now.getTime();
  const p = progress(t, now);
  if (p.status === "FINISHED" || p.status === "FAILED" || p.status === "CANCELED") return invalid(`the ticket has ended (${ticketStatus(ctx, p, false)})`);
  const op = b.data.operation_type;
  if (op === "CONTINUE_ORDER" && p.status !== "PAUSED") return invalid("the ticket is not paused");
  if (op === "PAUSE_ORDER" && p.status === "PAUSED") return invalid("the ticket is paused already");
  // "instance_id: applicable to instance operations", "batch_index: applicable to batch operations": each names what it acts on.
  const running = (s: InstanceStatus) => s === "READY" || s === "PROCESSING";
  if (op === "SKIP_BATCH") {
    const batch = t.batches.find((x) => x.batch_index === b.data.batch_index);
    if (!batch) return invalid("batch_index names no batch of the ticket");
    if (!batch.instances.some((i) => running(p.instances.get(i.id)!.status))) return invalid(`batch ${batch.batch_index} has ended`);
  }
  if (op === "CANCEL_INSTANCE") {
    const view = t.batches.flatMap((x) => x.instances).some((i) => i.id === b.data.instance_id) ? p.instances.get(b.data.instance_id!) : undefined;
    if (!view) return invalid("instance_id names no instance of the ticket");
    if (!running(view.status)) return invalid(`instance ${b.data.instance_id} has ended (${view.status})`);
  }
  t.operations.push({ operation_type: op, batch_index: b.data.batch_index ?? undefined, instance_id: b.data.instance_id ?? undefined, at: now });
  ctx.store.collection<TicketRecord>(TICKETS).put(ctx.caller.account.domainId, t.execute_uuid, t);
  // Table: "200 execution_uuid"; no body documented (Response Parameters: None): the uuid, as §4.2.6 answers it.
  return { status: 200, body: { data: t.execute_uuid } };
}

/** §4.1.1: provider, type and limit (≤ 100) mandatory; marker = the `id` of the last record (E8). */
function resources(ctx: CallerContext): Reply {
  const q = ctx.query;
  if (!q.get("provider")) return invalid("provider is mandatory");
  if (!q.get("type")) return invalid("type is mandatory");
  const limit = Number(q.get("limit"));
  if (!q.get("limit") || !Number.isInteger(limit) || limit < 1 || limit > 100) return invalid("limit must be between 1 and 100");
  const ids = q.getAll("resource_id_list").flatMap((v) => v.split(","));
  const marker = q.get("marker");
  const data = ctx.store
    .collection<CocResource>(RESOURCES)
    .list(ctx.caller.account.domainId)
    .filter((r) => r.provider === q.get("provider") && r.type === q.get("type") && (ids.length === 0 || ids.includes(r.resource_id)))
    .sort((a, b) => a.id.localeCompare(b.id))
    .filter((r) => marker === null || r.id > marker)
    .slice(0, limit)
    .map(({ behaviour: _b, message: _m, ...r }) => r);
  return { status: 200, body: { data } };
}
