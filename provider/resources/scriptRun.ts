import { createHash } from "crypto";
import { setTimeout as sleep } from "timers/promises";
import { z } from "zod";
import type { Context, ResourceKind } from "../dynamic";
import { anyJson, cocData } from "../answers";
import { AnswerError, ApiError } from "../errors";
import { seg } from "../http";
import { markerPages, collect } from "../paging";
import { MASK } from "./script";

/**
 * ScriptRun — one execution of a COC custom script on hosts (Cloud Operations Center (COC) API Reference §4.2.6), followed through
 * its script ticket (§4.3.1–§4.3.4) and cancelled through §4.3.6 when it outlasts the wait bound. A run
 * is an action, not an object: every input that defines it replaces (a replacement = a new run, a new
 * ticket), and destroy only forgets it (§4.3 has no delete: the ticket stays in COC's history). A run
 * that fails, misses its success rate or times out fails the `up` and records nothing, so the next
 * `up` runs again.
 * An execute that fails ambiguously is followed up through the ticket list (§4.3.5), never repeated blindly.
 *
 * Sensitive parameter values are kept as in Script: state holds the mask and a SHA-256 of the value,
 * never the value; logs and errors never name a value.
 */

/** §4.2.6 Table 4-32's pattern (garbled in the extract) read as: letters, digits, _ - / . space ? : " = + @ \ [ ] { }, no "{{". */
export const RUN_PARAM_VALUE_PATTERN = /^(?!.*\{\{)[a-zA-Z0-9_\-/. ?:"=+@\\[\]{}]*$/;
/** The wait bound: 30 minutes by default, 10 hours at most (20 batches × the 1800 s a host may take, §4.2.6). */
export const DEFAULT_WAIT_SECONDS = 1800;
export const MAX_WAIT_SECONDS = 36000;

const param = z.strictObject({
  name: z.string().min(1, "must be 1–64 characters").max(64, "must be 1–64 characters"),
  value: z
    .string()
    .max(1024, "must be at most 1024 characters")
    .regex(RUN_PARAM_VALUE_PATTERN, `must match §4.2.6's pattern: letters, digits, space and _ - / . ? : " = + @ \\ [ ] { }, no "{{"`),
  order: z.number().int("must be an integer").min(1, "must be 1–20").max(20, "must be 1–20").optional(),
  /** Kept in state only as the mask and a hash (as Script keeps it). */
  sensitive: z.boolean().default(false),
});
const host = z.strictObject({
  resourceId: z.string().min(1, "must be 1–64 characters").max(64, "must be 1–64 characters"),
  agentSn: z.string().min(1, "must be 1–32 characters").max(32, "must be 1–32 characters"),
  projectId: z.string().min(1, "must be 1–32 characters").max(32, "must be 1–32 characters"),
  regionId: z.string().min(1, "must be 1–32 characters").max(32, "must be 1–32 characters"),
});
const batch = z.strictObject({
  hosts: z.array(host).min(1, "a batch has 1–10 hosts (§4.2.6)").max(10, "a batch has 1–10 hosts (§4.2.6)"),
  rotationStrategy: z.enum(["CONTINUE", "PAUSE"], "must be CONTINUE or PAUSE").default("CONTINUE"),
});

export const scriptRunSchema = z.strictObject({
  /** uuid of the script to run (a Script's id). */
  scriptId: z.string().regex(/^SC[0-9a-z]{1,23}$/, "must be a script uuid such as SC2023102521413701c4a8a62"),
  /** The script's version as the program knows it (e.g. a Script's `version` or `updatedAt`): a new one runs again. */
  scriptVersion: z.string().max(256, "must be at most 256 characters").optional(),
  params: z
    .array(param)
    .max(20, "at most 20 parameters (§4.2.6)")
    .superRefine((ps, ctx) => {
      const orders = ps.map((p, i) => p.order ?? i + 1);
      if ([...orders].sort((a, b) => a - b).some((o, i) => o !== i + 1)) ctx.addIssue({ code: "custom", message: "orders must start from 1 and be consecutive (§4.2.6)" });
      if (new Set(ps.map((p) => p.name)).size !== ps.length) ctx.addIssue({ code: "custom", message: "parameter names must be unique (§4.2.6)" });
    })
    .transform((ps) => ps.map((p, i) => ({ ...p, order: p.order ?? i + 1 })))
    .optional(),
  /** §4.2.6: "The script must be executed by user root". */
  executeUser: z.string().min(1, "must be 1–32 characters").max(32, "must be 1–32 characters").default("root"),
  /** Seconds a host may take (§4.2.6: 5–1800). */
  timeout: z.number().int("must be an integer").min(5, "must be 5–1800 seconds").max(1800, "must be 5–1800 seconds").default(300),
  /** Percentage of hosts that must succeed (§4.2.6: 1–100, one decimal place). */
  successRate: z
    .number()
    .min(1, "must be 1–100")
    .max(100, "must be 1–100")
    .refine((r) => Math.abs(r * 10 - Math.round(r * 10)) < 1e-9, "must have at most one decimal place (§4.2.6)")
    .default(100),
  /** `false` limits the resources the script may use on a host (§4.2.6 `resourceful`). */
  resourceful: z.boolean().default(true),
  batches: z
    .array(batch)
    .min(1, "at least one batch")
    // 20 batches of at most 10 hosts: §4.2.6's "200 hosts at a time" follows.
    .max(20, "at most 20 batches (§4.2.6)"),
  /** Any values: a change runs the script again. */
  triggers: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
  /** Seconds to wait for the ticket to end before cancelling it (default 1800, at most 36000). */
  waitTimeout: z
    .number()
    .int("must be an integer")
    .min(1, `must be 1–${MAX_WAIT_SECONDS} seconds`)
    .max(MAX_WAIT_SECONDS, `must be 1–${MAX_WAIT_SECONDS} seconds`)
    .default(DEFAULT_WAIT_SECONDS),
});
export type ScriptRunInputs = z.output<typeof scriptRunSchema>;
type Param = NonNullable<ScriptRunInputs["params"]>[number];

export interface HostResult {
  resourceId: string;
  status: string;
  /** The host's log line as the ticket shows it (§4.3.4 `message`), at most 512 characters. */
  message?: string;
}
export interface BatchResult {
  batchIndex: number;
  hosts: HostResult[];
}
export interface ScriptRunOutputs extends Record<string, unknown> {
  /** The ticket's execute_uuid (also the id). */
  executeUuid?: string;
  /** The ticket's status when the run was recorded (§4.3.1): FINISHED after a successful up. */
  status?: string;
  scriptName?: string;
  startedAt?: number;
  finishedAt?: number;
  /** Per batch, each host's status and message (§4.3.4). */
  batchResults?: BatchResult[];
}

const hash = (v: string) => createHash("sha256").update(v, "utf8").digest("hex");
const stored = (p: Param) => (p.sensitive ? { ...p, value: MASK, valueHash: hash(p.value) } : p);
function stateOf(i: ScriptRunInputs): Record<string, unknown> {
  return { ...i, params: i.params?.map(stored) };
}

/** §4.2.6: `{"data": "<execute_uuid>"}`, 1–26 characters (Table 4-36). */
const executeAnswer = cocData(z.string().regex(/^SCT[0-9A-Za-z]{1,23}$/, "must be an execute_uuid such as SCT2023083109562601af694bf"));
const ticketInfo = z.looseObject({ execute_uuid: z.string(), status: z.string(), gmt_created: z.number().nullish(), gmt_finished: z.number().nullish() });
/** §4.3.1: the example wraps it in {"data": …}, Table 4-37 lists it top-level (E6). */
const infoAnswer = z.union([cocData(ticketInfo), ticketInfo]);
const batchItem = z.looseObject({ batch_index: z.number().int(), total_instances: z.number().int() });
/** §4.3.2: Table 4-42 a bare array; wrapped in {"data": …} like the other ticket answers (E6). */
const batchesAnswer = z.union([cocData(z.array(batchItem)), z.array(batchItem)]);
const instance = z.looseObject({
  id: z.number().int(),
  status: z.string(),
  message: z.string().nullish(),
  target_instance: z.looseObject({ resource_id: z.string() }),
});
const batchDetail = z.looseObject({ batch_index: z.number().int(), execute_instances: z.array(instance) });
/** §4.3.4 (E6). */
const batchAnswer = z.union([cocData(batchDetail), batchDetail]);
const unwrap = <T>(body: unknown, key: string): T => {
  const b = body as Record<string, unknown>;
  return (Array.isArray(body) || (b && typeof b === "object" && key in b) ? body : b.data) as T;
};

/** What §4.3.1 says a ticket is in: these end it (E5: PAUSED does not, it waits for a person). */
const ENDED = ["FINISHED", "ERROR", "ABNORMAL", "CANCELED", "ROLLBACKED"];

async function ticket(ctx: Context, id: string): Promise<z.infer<typeof ticketInfo>> {
  const res = await ctx.client.send({ service: "coc", method: "GET", path: `/v1/job/script/orders/${seg(id)}`, operation: "ScriptRun.get", answer: infoAnswer, resource: id });
  return unwrap(res.body, "execute_uuid");
}

/** §4.3.2 then §4.3.4 per batch (50 a page, marker = the last instance id, from 0). */
async function batchResults(ctx: Context, id: string): Promise<BatchResult[]> {
  const res = await ctx.client.send({
    service: "coc",
    method: "GET",
    path: `/v1/job/script/orders/${seg(id)}/batches`,
    operation: "ScriptRun.batches",
    answer: batchesAnswer,
    resource: id,
  });
  const list = unwrap<Array<z.infer<typeof batchItem>>>(res.body, "batch_index");
  const out: BatchResult[] = [];
  for (const b of [...list].sort((x, y) => x.batch_index - y.batch_index)) {
    const instances = await collect(
      markerPages(
        async (marker: number | undefined, limit) => {
          const page = await ctx.client.send({
            service: "coc",
            method: "GET",
            path: `/v1/job/script/orders/${seg(id)}/batches/${b.batch_index}`,
            query: { limit, marker: marker ?? 0 },
            operation: "ScriptRun.batch",
            answer: batchAnswer,
            resource: id,
          });
          return { items: unwrap<z.infer<typeof batchDetail>>(page.body, "execute_instances").execute_instances };
        },
        (last) => last.id,
        50,
      ),
    );
    out.push({
      batchIndex: b.batch_index,
      hosts: instances.map((i) => ({ resourceId: i.target_instance.resource_id, status: i.status, ...(i.message ? { message: i.message.slice(0, 512) } : {}) })),
    });
  }
  return out;
}

const isBatchResults = (v: unknown): v is BatchResult[] =>
  Array.isArray(v) &&
  v.every(
    (b) =>
      typeof b?.batchIndex === "number" &&
      Array.isArray(b.hosts) &&
      b.hosts.every((h: unknown) => typeof (h as HostResult)?.resourceId === "string" && typeof (h as HostResult)?.status === "string"),
  );

/**
 * The per-batch results the state recorded, when the ticket just read shows they cannot have changed; otherwise
 * undefined, and the read asks §4.3.2 and §4.3.4 again. They are taken as they are when:
 * - the state has them (a state written before they were recorded, or by Resource.get, has none);
 * - the state's status is one that ends a ticket (ENDED: §4.3.1's FINISHED, ERROR, CANCELED, ROLLBACKED, and
 *   §4.3.5's ABNORMAL, E7). The status and the results are recorded together, and the status is read first
 *   (waitForEnd, then batchResults; read: ticket, then batchResults), so results recorded with an ended status
 *   were read after the ticket ended. READY, PROCESSING and PAUSED do not end it (E5): a paused ticket that is
 *   then continued or cancelled runs or cancels hosts;
 * - the ticket reads the same status now, and the same `gmt_finished` (§4.3.1 has no update or modified time:
 *   its end time is the nearest, and a ticket that ended again would end later);
 * - every recorded host ended FINISHED. §4.3.6 operates a ticket that is running (the Chinese edition: "operates
 *   a script ticket being executed"):
 *   CANCEL_INSTANCE and SKIP_BATCH act on hosts and batches that have not ended, PAUSE_ORDER, CONTINUE_ORDER
 *   and CANCEL_ORDER on the ticket before it ends, so none changes an ended ticket's batches. But its request
 *   example sends `"operation_type": "RETRY_INSTANCE"`, which its list of operation types does not name: if a
 *   service retries a host of an ended ticket, that host did not end FINISHED, and the ticket may end again with
 *   the same status. So a state that records a host in any other status (a run that met a successRate below
 *   100, a ticket a refresh found ERROR, ABNORMAL or CANCELED) keeps reading the batches.
 */
function settled(state: Record<string, unknown>, info: z.infer<typeof ticketInfo>): BatchResult[] | undefined {
  const recorded = state.batchResults;
  if (!isBatchResults(recorded)) return undefined;
  if (typeof state.status !== "string" || !ENDED.includes(state.status) || info.status !== state.status) return undefined;
  if ((info.gmt_finished ?? undefined) !== (state.finishedAt ?? undefined)) return undefined;
  if (recorded.some((b) => b.hosts.some((h) => h.status !== "FINISHED"))) return undefined;
  return recorded;
}

const outputsOf = (info: z.infer<typeof ticketInfo>, results: BatchResult[]): ScriptRunOutputs => ({
  executeUuid: info.execute_uuid,
  status: info.status,
  scriptName: (info as { properties?: { script_name?: string } }).properties?.script_name ?? undefined,
  startedAt: info.gmt_created ?? undefined,
  finishedAt: info.gmt_finished ?? undefined,
  batchResults: results,
});

/** The hosts that did not succeed, with the ticket's own messages: what a failed run says. */
function failures(results: BatchResult[]): string {
  const bad = results.flatMap((b) =>
    b.hosts.filter((h) => h.status !== "FINISHED").map((h) => `batch ${b.batchIndex} host ${h.resourceId} ${h.status}${h.message ? `: ${h.message}` : ""}`),
  );
  return bad.length ? bad.join("; ") : "no host reported a failure";
}

const succeeded = (results: BatchResult[]) => {
  const hosts = results.flatMap((b) => b.hosts);
  return { ok: hosts.filter((h) => h.status === "FINISHED").length, all: hosts.length };
};

/**
 * Polls §4.3.1 until the ticket ends or `waitTimeout` passes: every 0.25 s at first, growing to 10 s,
 * so a short run is seen quickly and a long one costs one call per 10 s. Progress goes to the engine's log.
 */
async function waitForEnd(ctx: Context, id: string, waitSeconds: number): Promise<{ info: z.infer<typeof ticketInfo>; timedOut: boolean }> {
  const deadline = Date.now() + waitSeconds * 1000;
  let delay = 250;
  let said = "";
  for (;;) {
    const info = await ticket(ctx, id);
    const batchNo = (info as { properties?: { current_execute_batch_index?: number } }).properties?.current_execute_batch_index;
    const now = `${info.status}${batchNo ? `, batch ${batchNo}` : ""}`;
    if (now !== said) {
      ctx.log(
        info.status === "PAUSED"
          ? `ScriptRun ${id}: PAUSED after batch ${batchNo ?? "?"} (rotation_strategy PAUSE): continue it in COC, or it is cancelled after waitTimeout ${waitSeconds} s`
          : `ScriptRun ${id}: ${now}`,
      );
      said = now;
    }
    if (ENDED.includes(info.status)) return { info, timedOut: false };
    const left = deadline - Date.now();
    if (left <= 0) return { info, timedOut: true };
    await sleep(Math.min(delay, left));
    delay = Math.min(delay * 1.5, 10_000);
  }
}

/** §4.3.6 CANCEL_ORDER; a ticket that ended meanwhile refuses it, and is then read as it ended. */
async function cancel(ctx: Context, id: string): Promise<z.infer<typeof ticketInfo>> {
  try {
    await ctx.client.send({
      service: "coc",
      method: "PUT",
      path: `/v1/job/script/orders/${seg(id)}/operation`,
      body: { operation_type: "CANCEL_ORDER" },
      operation: "ScriptRun.cancel",
      answer: anyJson,
      resource: id,
    });
  } catch (e) {
    const info = await ticket(ctx, id);
    if (ENDED.includes(info.status)) return info;
    throw e;
  }
  return ticket(ctx, id);
}

async function execute(ctx: Context, inputs: ScriptRunInputs): Promise<string> {
  const body = {
    execute_param: {
      resourceful: inputs.resourceful,
      timeout: inputs.timeout,
      success_rate: inputs.successRate,
      execute_user: inputs.executeUser,
      script_params: (inputs.params ?? []).map((p) => ({ param_name: p.name, param_value: p.value, param_order: p.order! })),
    },
    execute_batches: inputs.batches.map((b, i) => ({
      batch_index: i + 1,
      rotation_strategy: b.rotationStrategy,
      target_instances: b.hosts.map((h) => ({ resource_id: h.resourceId, agent_sn: h.agentSn, project_id: h.projectId, region_id: h.regionId })),
    })),
  };
  try {
    const res = await ctx.client.send({
      service: "coc",
      method: "POST",
      path: `/v1/job/scripts/${seg(inputs.scriptId)}`,
      body,
      operation: "ScriptRun.execute",
      answer: executeAnswer,
      resource: inputs.scriptId,
    });
    return (res.body as { data: string }).data;
  } catch (e) {
    // E1: §4.2.6 documents its errors as "204: Error information is included"; a bare 204 is one too, not an ambiguous answer.
    if (e instanceof AnswerError && e.status === 204)
      throw new Error(`ScriptRun: the service refused to run script ${inputs.scriptId} (HTTP 204 without detail, §4.2.6's error answer); nothing ran`, { cause: e });
    if (e instanceof ApiError && e.status === 204)
      throw new Error(`ScriptRun: the service refused to run script ${inputs.scriptId}: ${e.errorCode ?? ""} ${e.errorMsg ?? ""} (HTTP 204, §4.2.6's error answer); nothing ran`, {
        cause: e,
      });
    throw e;
  }
}

const orderItem = z.looseObject({ order_id: z.union([z.number().int(), z.string().regex(/^\d+$/)]), execute_uuid: z.string() });
const orderPage = z.looseObject({ data: z.array(orderItem) });
/** §4.3.5: `{"data": {"total", "data": [...]}}` as the example shows, or `{"total", "data": [...]}` as Table 4-54 lists it (E6). */
const ordersAnswer = z.union([cocData(orderPage), orderPage]);

/**
 * The tickets created in the last hour (§4.3.5 `start_time`, in seconds: Table 4-53 caps it at 2147483647),
 * every page (marker = the last `order_id`). What an ambiguous execute may have made is a ticket in this
 * list that was not in it before: no field ties a ticket to its request.
 */
async function recentTickets(ctx: Context): Promise<string[]> {
  const since = Math.floor(Date.now() / 1000) - 3600;
  const items = await collect(
    markerPages(
      async (marker: string | undefined, limit) => {
        const res = await ctx.client.send({
          service: "coc",
          method: "GET",
          path: "/v1/job/script/orders",
          query: { limit, marker, start_time: since },
          operation: "ScriptRun.list",
          answer: ordersAnswer,
        });
        const body = res.body as { data: unknown };
        const page = (Array.isArray(body.data) ? body : body.data) as z.infer<typeof orderPage>;
        return { items: page.data };
      },
      (last) => String(last.order_id),
      100,
    ),
  );
  return items.map((t) => t.execute_uuid);
}

/** Waits for a started run to end and judges it: the outputs of a run that succeeded, or the error of one that did not. */
async function finish(ctx: Context, id: string, inputs: ScriptRunInputs): Promise<ScriptRunOutputs> {
  const waited = await waitForEnd(ctx, id, inputs.waitTimeout);
  if (waited.timedOut) {
    const after = await cancel(ctx, id);
    throw new Error(
      `ScriptRun ${id}: the ticket did not end within waitTimeout ${inputs.waitTimeout} s (it read ${waited.info.status}); cancelled it (§4.3.6 CANCEL_ORDER): it now reads ${after.status}. Nothing is recorded: the next up runs the script again`,
    );
  }
  const results = await batchResults(ctx, id);
  const { ok, all } = succeeded(results);
  if (waited.info.status !== "FINISHED") {
    throw new Error(
      `ScriptRun ${id}: the ticket ended ${waited.info.status}, ${ok} of ${all} hosts succeeded: ${failures(results)}. Nothing is recorded: the next up runs the script again`,
    );
  }
  // The service judges the success rate; a FINISHED ticket below it (a reading where it only stops later batches) fails too.
  if (all > 0 && (ok / all) * 100 < inputs.successRate) {
    throw new Error(
      `ScriptRun ${id}: ${ok} of ${all} hosts succeeded, below successRate ${inputs.successRate} %: ${failures(results)}. Nothing is recorded: the next up runs the script again`,
    );
  }
  ctx.log(`ScriptRun ${id}: FINISHED on ${ok} of ${all} hosts`);
  return { ...(stateOf(inputs) as Record<string, unknown>), ...outputsOf(waited.info, results) };
}

export const scriptRun: ResourceKind<typeof scriptRunSchema, ScriptRunOutputs> = {
  name: "ScriptRun",
  schema: scriptRunSchema,
  // Every input that defines a run replaces: a replacement is a new run (§4.2.6 cannot change one).
  replaceOn: ["scriptId", "scriptVersion", "params", "executeUser", "timeout", "successRate", "resourceful", "batches", "triggers"],
  replaceWhy: {
    scriptId: "a run is a new ticket (§4.2.6)",
    scriptVersion: "a new script version runs the script again",
    params: "a run is a new ticket (§4.2.6)",
    executeUser: "a run is a new ticket (§4.2.6)",
    timeout: "a run is a new ticket (§4.2.6)",
    successRate: "a run is a new ticket (§4.2.6)",
    resourceful: "a run is a new ticket (§4.2.6)",
    batches: "a run is a new ticket (§4.2.6)",
    triggers: "a trigger changed: the script runs again",
  },
  secrets: ["params"],
  stateOf,
  diffView: (props, side) =>
    side === "declared" && Array.isArray(props.params)
      ? { ...props, params: (props.params as Param[]).map((p) => (typeof p === "object" && p?.sensitive && p.value !== MASK ? stored(p) : p)) }
      : props,
  noImport: "a run is an action: importing a past ticket would record a run this program never made",
  sweep: { notSwept: "not swept: a run leaves a ticket, and tickets have no delete API (§4.3): they stay in COC's history" },

  async create(ctx, inputs) {
    const id = await execute(ctx, inputs);
    ctx.log(`ScriptRun ${id}: started script ${inputs.scriptId} on ${inputs.batches.reduce((n, b) => n + b.hosts.length, 0)} hosts in ${inputs.batches.length} batches`);
    return { id, outs: await finish(ctx, id, inputs) };
  },

  // An execute that failed ambiguously (5xx, reset, timeout) may have started a ticket: the glue lists the last
  // hour's tickets before each run, and after such a failure takes the one new ticket as this run's (several: refused).
  naturalKey: {
    unique: false,
    find: (ctx) => recentTickets(ctx),
    recover: async (ctx, id, inputs) => {
      ctx.log(`ScriptRun ${id}: the execute failed ambiguously, but this ticket appeared: following it`);
      return finish(ctx, id, inputs);
    },
  },

  // 1 call for a run that had ended when its results were recorded and still reads so (settled); else, as before,
  // the ticket, the batch list and each batch's detail.
  async read(ctx, id, state) {
    const info = await ticket(ctx, id);
    const outs = { ...state, ...outputsOf(info, settled(state, info) ?? (await batchResults(ctx, id))) } as ScriptRunOutputs;
    // The ticket shows neither hosts in the program's form nor sensitive values: the inputs are the state's.
    const inputs = Object.fromEntries(Object.keys(scriptRunSchema.shape).map((k) => [k, state[k]])) as ScriptRunInputs;
    return { outs, inputs };
  },

  // Only waitTimeout reaches update: it bounds a wait that is over, so nothing is called.
  async update(_ctx, _id, olds, news) {
    return { ...olds, waitTimeout: news.waitTimeout };
  },

  async delete(ctx, id) {
    ctx.log(`ScriptRun ${id}: forgotten; the ticket stays in COC's history (§4.3 has no delete)`);
  },
};
