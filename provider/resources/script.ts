import { createHash } from "crypto";
import { z } from "zod";
import { changedKeys, Context, PartialCreateError, ResourceKind } from "../dynamic";
import { unlessGone } from "../errors";
import { cocData } from "../answers";
import { seg } from "../http";
import { collect, findFirst, markerPages } from "../paging";

/**
 * Script — a Cloud Operations Center custom script (Cloud Operations Center API Reference §4.2.1–§4.2.5): create, read, update,
 * delete. `name` and `type` replace (the update API, §4.2.4, does not take them). Success bodies are
 * wrapped in `{"data": …}`. A script with reviewers waits in PENDING_APPROVE until a human approves
 * it: `status` is an output, the provider does not wait.
 *
 * Sensitive parameters: the service answers their value masked (17 asterisks). The state never holds
 * the value either: outputs carry the mask and a SHA-256 of the value, so a changed value is still seen
 * by diff, the mask never reads as drift, and no output holds the secret in plain text.
 */
export const MASK = "*****************";
const scriptName = z.string().regex(/^[A-Za-z0-9_]{1,64}$/, "must be 1–64 letters, digits or underscores (§4.2.1)");

/**
 * §4.2.1's `param_value` pattern made valid: letters, digits, space and _ - / * ? : " ' = + @ [ ] { },
 * no "{{". Whether the service enforces it or only the length is open (S2): declared values are held
 * to it, so no reading refuses them later.
 */
export const PARAM_VALUE_PATTERN = /^(?!.*\{\{)[a-zA-Z0-9_\-/* ?:"'=+@[\]{}]*$/;
/** Table 4-19 of §4.2.4 limits an update's `script_params` to 5; §4.2.1 and the prose say 20 (S1). */
export const UPDATE_MAX_PARAMS = 5;

const param = z.strictObject({
  name: scriptName,
  /** The default value (0–1024 characters of the documented pattern). */
  value: z
    .string()
    .max(1024, "must be at most 1024 characters")
    .regex(
      PARAM_VALUE_PATTERN,
      `must match the documented pattern (§4.2.1: letters, digits, space and _ - / * ? : " ' = + @ [ ] { }, no "{{"); a service that enforces it refuses anything else (ambiguities.md S2)`,
    )
    .default(""),
  description: z.string().max(256, "must be at most 256 characters").default(""),
  /** Position, from 1 and consecutive; defaults to the position in the list. */
  order: z.number().int("must be an integer").min(1, "must be 1–20").max(20, "must be 1–20").optional(),
  /** The service masks the value on read; the provider keeps only its hash in state. */
  sensitive: z.boolean().default(false),
});

export const scriptSchema = z.strictObject({
  name: scriptName,
  description: z.string().min(1, "must be 1–256 characters").max(256, "must be 1–256 characters"),
  type: z.enum(["SHELL", "PYTHON", "BAT"], { error: (i) => (i.input === undefined ? "is required" : "must be SHELL, PYTHON or BAT") }),
  content: z.string().min(1, "must be 1–4096 characters").max(4096, "must be 1–4096 characters"),
  riskLevel: z.enum(["LOW", "MEDIUM", "HIGH"], { error: (i) => (i.input === undefined ? "is required" : "must be LOW, MEDIUM or HIGH") }),
  version: z.string().min(1, "must be 1–10 characters").max(10, "must be 1–10 characters"),
  reviewers: z
    .array(z.strictObject({ name: z.string().min(1, "must be 1–64 characters").max(64, "must be 1–64 characters"), id: z.string().max(32, "must be at most 32 characters") }))
    .max(5, "at most 5 reviewers (§4.2.1)")
    .optional(),
  protocol: z
    .enum(
      ["DEFAULT", "SMS", "EMAIL", "DING_TALK", "WE_LINK", "WECHAT", "CALLNOTIFY", "NOT_TO_NOTIFY"],
      "must be one of DEFAULT, SMS, EMAIL, DING_TALK, WE_LINK, WECHAT, CALLNOTIFY, NOT_TO_NOTIFY",
    )
    .optional(),
  params: z
    .array(param)
    .max(20, "at most 20 parameters (§4.2.1)")
    .superRefine((ps, ctx) => {
      const orders = ps.map((p, i) => p.order ?? i + 1);
      if ([...orders].sort((a, b) => a - b).some((o, i) => o !== i + 1)) ctx.addIssue({ code: "custom", message: "orders must start from 1 and be consecutive (§4.2.1)" });
      const names = ps.map((p) => p.name);
      if (new Set(names).size !== names.length) ctx.addIssue({ code: "custom", message: "parameter names must be unique" });
    })
    .transform((ps) => ps.map((p, i) => ({ ...p, order: p.order ?? i + 1 })))
    .optional(),
  /** uuid of an existing script (e.g. SC2023102521413701c4a8a62) to take under management. */
  adoptId: z
    .string()
    .regex(/^SC[0-9a-z]{1,23}$/, "must be a script uuid such as SC2023102521413701c4a8a62")
    .optional(),
});
export type ScriptInputs = z.output<typeof scriptSchema>;
type Param = NonNullable<ScriptInputs["params"]>[number];
type StoredParam = Omit<Param, "value"> & { value: string; valueHash?: string };

export interface ScriptOutputs extends Record<string, unknown> {
  status?: string;
  creator?: string;
  creatorId?: string;
  operator?: string;
  createdAt?: number;
  updatedAt?: number;
}

/**
 * Not found (the Terraform provider's codes): COC.00040603, COC.00040604 "script not exist". Not COC.00040601: Cloud Operations Center (COC) API Reference
 * §5.1 documents it as "a script with the same name exists" and "invalid script parameter", so it proves
 * nothing about absence (the Terraform provider also meets it for a malformed uuid).
 */
const NOT_FOUND = ["COC.00040603", "COC.00040604"];
const hash = (v: string) => createHash("sha256").update(v, "utf8").digest("hex");

/** A parameter as state holds it: a sensitive value replaced by the mask and its hash. */
function stored(p: Param): StoredParam {
  return p.sensitive ? { ...p, value: MASK, valueHash: hash(p.value) } : p;
}

interface ScriptVo {
  script_uuid: string;
  name: string;
  description: string;
  type: ScriptInputs["type"];
  content: string;
  status?: string;
  gmt_created?: number;
  gmt_modified?: number;
  creator?: string;
  creator_id?: string;
  operator?: string;
  script_params?: Array<{ param_name: string; param_value: string; param_description: string; param_order: number; sensitive: boolean }> | null;
  properties?: {
    risk_level: ScriptInputs["riskLevel"];
    version: string;
    reviewers?: Array<{ reviewer_name: string; reviewer_id: string }> | null;
    protocol?: ScriptInputs["protocol"] | null;
  };
}

/**
 * The script detail (§4.2.5) wrapped in {"data": …} like the other answers, or top-level as Table 4-25
 * lists it (S3): told apart by where `script_uuid` is; neither is an answer the docs promise.
 */
function detail(body: unknown, uuid: string): ScriptVo {
  const b = body as { script_uuid?: unknown; data?: { script_uuid?: unknown } } | null;
  if (b && typeof b === "object" && typeof b.script_uuid === "string") return b as unknown as ScriptVo;
  if (b && typeof b === "object" && b.data && typeof b.data === "object" && typeof b.data.script_uuid === "string") return b.data as unknown as ScriptVo;
  throw new Error(`Script.get for ${uuid}: the answer is neither the documented detail (Table 4-25) nor it wrapped in {"data": …}: ${JSON.stringify(body)?.slice(0, 200)}`);
}

/**
 * The list's record ids are Longs (Table 4-12), beyond 2^53 under S5=long: JSON.parse would round them
 * and the next marker would skip or repeat records. Every `"id": <integer>` is read as text.
 */
export const parseKeepingIds = (text: string): unknown => JSON.parse(text.replace(/(?<!\\)"id"\s*:\s*(-?\d+)/g, '"id":"$1"'));

/** COC wraps success bodies in {"data": …} (Cloud Operations Center (COC) API Reference examples); unwrap where present. */
const unwrap = <T>(body: unknown): T => (body && typeof body === "object" && "data" in body ? (body as { data: T }).data : (body as T));

function properties(i: ScriptInputs) {
  return { risk_level: i.riskLevel, version: i.version, reviewers: (i.reviewers ?? []).map((r) => ({ reviewer_name: r.name, reviewer_id: r.id })), protocol: i.protocol };
}
const paramsBody = (i: ScriptInputs) =>
  (i.params ?? []).map((p) => ({ param_name: p.name, param_value: p.value, param_description: p.description, param_order: p.order!, sensitive: p.sensitive }));

/** §4.2.3: `{"data": ScriptVo}`; what a read records is required. */
const scriptDetail = z.looseObject({ script_uuid: z.string(), name: z.string(), type: z.string(), content: z.string(), description: z.string() });
/** §4.2.5: the detail, wrapped in {"data": …} or at the top level (ambiguities.md S3). */
const scriptAnswer = z.union([cocData(scriptDetail), scriptDetail]);
/** §4.2.1: `{"data": "<script uuid>"}`, the uuid in its documented form (it becomes the id). */
const uuidAnswer = cocData(z.string().regex(/^SC[0-9a-z]{1,23}$/, "must be a script uuid such as SC2023102521413701c4a8a62"));
/** `id` is a Long (Table 4-12), read as text by parseKeepingIds so that ids beyond 2^53 survive (S5). */
const scriptItem = z.looseObject({ id: z.union([z.number(), z.string().regex(/^-?\d+$/)]), script_uuid: z.string(), name: z.string() });
/** §4.2.2: the page of scripts under `data` (the example nests it once more). */
const scriptListAnswer = cocData(z.union([z.array(scriptItem), z.looseObject({ data: z.array(scriptItem) })]));

/** The tenant's scripts (§4.2.2), page by page; `nameLike` is the list's fuzzy filter. */
function listScripts(ctx: Context, nameLike?: string): AsyncGenerator<{ id: string; script_uuid: string; name: string }> {
  return markerPages(
    async (marker: string | undefined, limit) => {
      const res = await ctx.client.send({
        service: "coc",
        method: "GET",
        path: "/v1/job/scripts",
        query: { limit, marker, name_like: nameLike },
        operation: "Script.list",
        answer: scriptListAnswer,
        parseJson: parseKeepingIds,
      });
      const body = res.body as { data?: unknown; total?: number };
      const items = (Array.isArray(body?.data) ? body.data : ((body?.data as { data?: unknown[] })?.data ?? [])) as Array<{ id: string; script_uuid: string; name: string }>;
      return { items };
    },
    (last) => String(last.id),
    100,
  );
}

async function getScript(ctx: Context, uuid: string): Promise<ScriptVo> {
  const res = await ctx.client.send({ service: "coc", method: "GET", path: `/v1/job/scripts/${seg(uuid)}`, operation: "Script.get", answer: scriptAnswer, resource: uuid });
  return detail(res.body, uuid);
}

/** CRLF and LF read alike (S6: a service may read CRLF back as LF): what state knows wins when only line endings differ. */
const sameContent = (a: unknown, b: unknown) => typeof a === "string" && typeof b === "string" && a.replace(/\r\n/g, "\n") === b.replace(/\r\n/g, "\n");

function snapshot(s: ScriptVo, state: Record<string, unknown>): { outs: ScriptOutputs; inputs: ScriptInputs } {
  const known = Array.isArray(state.params) ? (state.params as StoredParam[]) : [];
  const params = (s.script_params ?? []).map((p): StoredParam => {
    const base = { name: p.param_name, description: p.param_description ?? "", order: p.param_order, sensitive: p.sensitive === true };
    if (!base.sensitive) return { ...base, value: p.param_value ?? "" };
    // The service shows only the mask: the value is the one state knows, if the parameter is the same.
    const was = known.find((k) => k.name === base.name && k.sensitive);
    return { ...base, value: MASK, valueHash: was?.valueHash ?? (typeof was?.value === "string" && was.value !== MASK ? hash(was.value) : undefined) };
  });
  const inputs = {
    name: s.name,
    description: s.description,
    type: s.type,
    content: sameContent(state.content, s.content) ? (state.content as string) : s.content,
    riskLevel: s.properties?.risk_level ?? "LOW",
    version: s.properties?.version ?? "",
    reviewers: s.properties?.reviewers?.length ? s.properties.reviewers.map((r) => ({ name: r.reviewer_name, id: r.reviewer_id })) : state.reviewers === undefined ? undefined : [],
    protocol: s.properties?.protocol ?? undefined,
    params: params.length > 0 || state.params !== undefined ? (params as Param[]) : undefined,
    adoptId: undefined,
  } as ScriptInputs;
  const { adoptId: _a, ...declared } = inputs;
  return {
    inputs,
    outs: { ...declared, status: s.status, creator: s.creator, creatorId: s.creator_id, operator: s.operator, createdAt: s.gmt_created, updatedAt: s.gmt_modified },
  };
}

/** Outputs for declared inputs: sensitive values as mask + hash. */
function declaredOutputs(i: ScriptInputs, s: ScriptVo): ScriptOutputs {
  const { adoptId: _a, ...declared } = i;
  return { ...snapshot(s, {}).outs, ...declared, params: i.params?.map(stored), status: s.status };
}

/** Declared inputs as state keeps them: sensitive values as mask + hash. */
function stateOf(i: ScriptInputs): Record<string, unknown> {
  const { adoptId: _a, ...declared } = i;
  return { ...declared, params: i.params?.map(stored) };
}

export const script: ResourceKind<typeof scriptSchema, ScriptOutputs> = {
  name: "Script",
  schema: scriptSchema,
  replaceOn: ["name", "type"],
  replaceWhy: { name: "the update API (§4.2.4) cannot rename a script", type: "the update API (§4.2.4) cannot change a script's type" },
  // Names are unique per tenant (§4.2.1): the old script must go before the new one is created.
  deleteBeforeReplace: (olds, news) => olds.name === news.name,
  notFoundCodes: NOT_FOUND,
  // The service never returns a parameter's value; declared values stay secret in the state.
  secrets: ["params"],
  stateOf,
  // S1: an in-place update may carry only 5 parameters under Table 4-19; refused at preview rather than half-way.
  refuse: (olds, news) =>
    olds.name === news.name && olds.type === news.type && (news.params?.length ?? 0) > UPDATE_MAX_PARAMS && changedKeys(scriptSchema, olds, news).length > 0
      ? [
          {
            property: "params",
            reason: `an in-place update of a script sends at most ${UPDATE_MAX_PARAMS} parameters (§4.2.4 Table 4-19 "Array length: 0 to 5"; §4.2.1 allows 20 at create, ambiguities.md S1): declare at most ${UPDATE_MAX_PARAMS}, or replace the script (a new name) to keep ${news.params!.length}`,
          },
        ]
      : [],
  // A reviewer approves (status), and every edit sets the operator and modification time (§4.2.5).
  serviceMaintained: ["status", "operator", "updatedAt"],
  diffView: (props, side) =>
    side === "declared" && Array.isArray(props.params)
      ? { ...props, params: (props.params as Param[]).map((p) => (typeof p === "object" && p?.sensitive && p.value !== MASK ? stored(p) : p)) }
      : props,

  async create(ctx, inputs) {
    const res = await ctx.client.send({
      service: "coc",
      method: "POST",
      path: "/v1/job/scripts",
      body: { name: inputs.name, type: inputs.type, content: inputs.content, description: inputs.description, properties: properties(inputs), script_params: paramsBody(inputs) },
      operation: "Script.create",
      answer: uuidAnswer,
      resource: inputs.name,
    });
    const uuid = unwrap<string>(res.body);
    if (typeof uuid !== "string" || uuid === "") throw new Error(`Script.create for ${inputs.name}: the answer carries no script uuid (request id ${res.requestId ?? "unknown"})`);
    try {
      return { id: uuid, outs: declaredOutputs(inputs, await getScript(ctx, uuid)) };
    } catch (e) {
      throw new PartialCreateError(uuid, stateOf(inputs), e);
    }
  },

  // Names are unique per tenant (COC.00040601): the name finds what an ambiguous create made.
  naturalKey: {
    unique: true,
    async find(ctx, inputs) {
      const hit = await findFirst(listScripts(ctx, inputs.name.slice(0, 32)), (s) => s.name === inputs.name);
      return hit ? [hit.script_uuid] : [];
    },
    // Sensitive values come back masked: the outputs are the declared ones, as after a create.
    recover: async (ctx, id, inputs) => declaredOutputs(inputs, await getScript(ctx, id)),
  },

  sweep: {
    async list(ctx, { prefix }) {
      return (await collect(listScripts(ctx), (s) => s.name.startsWith(prefix))).map((s) => ({ id: s.script_uuid, name: s.name, state: {} }));
    },
  },

  async read(ctx, id, state) {
    const s = await unlessGone(getScript(ctx, id), NOT_FOUND);
    return s && snapshot(s, state);
  },

  async update(ctx, id, _olds, news) {
    await ctx.client.send({
      service: "coc",
      method: "PUT",
      path: `/v1/job/scripts/${seg(id)}`,
      // name and type: absent from Table 4-19 but in the example (S4); sent (unchanged: they replace) so either reading is met.
      body: { name: news.name, type: news.type, description: news.description, content: news.content, properties: properties(news), script_params: paramsBody(news) },
      operation: "Script.update",
      answer: cocData(z.string()),
      resource: id,
    });
    return declaredOutputs(news, await getScript(ctx, id));
  },

  async delete(ctx, id) {
    await ctx.client.send({ service: "coc", method: "DELETE", path: `/v1/job/scripts/${seg(id)}`, operation: "Script.delete", answer: cocData(z.string()), resource: id });
  },
};
