import { provenReading } from "../readings";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { ServiceClient } from "../client";
import { containsUnknown, Context, Failure, PartialCreateError, ResourceKind, stableJson } from "../dynamic";
import { isTrue, object } from "../answers";
import { ApiError } from "../errors";
import { collect, findFirst, offsetPages, probedOffsetPages } from "../paging";
import { hex32 } from "./common";
import { attributionOf, EXTENSION_NOT_FOUND, findPlugin, isAmbiguous, optionalText, orEmpty, PAGE_LIMIT, PluginBasicVo, pluginsNamed, text, v1, v3 } from "./extensionCommon";

/**
 * PluginVersion — one version of an extension plug-in: its inputs and execution steps (CodeArts Pipeline API Reference
 * §4.9.1 create, §4.9.2 create-draft, §4.9.4 edit-draft, §4.9.5 publish-draft, §4.9.8 bind to a publisher,
 * §4.9.11 delete-draft, §4.9.22 detail). A draft is created with create-draft and edited while it is
 * one; `publish: true` releases it ("formal"): a version declared published is created with §4.9.1
 * (released, or a draft then published: X12), a draft declared published later is published with
 * publish-draft. `publisherId` then binds the plug-in to a publisher. A released version is immutable: a change is refused at check, before any API call.
 * The API references document no deletion of one released version: like the Terraform provider
 * it goes through §4.9.28 with `type=single`; where the service refuses, the
 * version stays and the provider says so. The id is `<pluginName>/<version>`.
 */
const nonEmpty = z.string().min(1, "must not be empty");
const nonEmptyRecord = <T>(r: Record<string, T> | undefined) => (r && Object.keys(r).length > 0 ? r : undefined);
const nonEmptyList = <T>(a: T[] | undefined) => (a && a.length > 0 ? a : undefined);
const length = z.number().int("must be an integer").min(0, "must be 0 or more (a length)").optional();

/** One step of `inner_execution_info.steps`, as every example writes it. */
const stepSchema = z.strictObject({
  /** The plug-in the step runs, e.g. "official_shell_plugin". */
  task: nonEmpty,
  name: nonEmpty,
  identifier: optionalText(),
  /** The task's inputs by name; input values are strings (`default_value` is a String, §4.9.19). */
  variables: z.record(z.string(), z.string()).optional().transform(nonEmptyRecord),
});

/** ExtensionValidation (Table 4-433); sent as a JSON String (the request tables type it String). */
const validationSchema = z
  .strictObject({ requiredMessage: optionalText(), regex: optionalText(), regexMessage: optionalText(), maxLength: length, minLength: length })
  .optional()
  .transform((v) => (v && Object.values(v).some((x) => x !== undefined) ? v : undefined));

/** One `input_info` item (Table 4-311). */
const inputSchema = z.strictObject({
  name: nonEmpty,
  defaultValue: z.string().optional(),
  type: optionalText(),
  validation: validationSchema,
  layoutContent: optionalText(),
});

/**
 * From a version just made (a draft by §4.9.2 create-draft, or whatever §4.9.1 create made: released or a
 * draft, ambiguity X12) to the declared version: published and bound as declared. What it is comes from
 * its detail, not from the endpoint that made it.
 */
async function fromCreated(ctx: Context, inputs: PluginVersionInputs): Promise<PluginVersionOutputs> {
  const id = idOf(inputs);
  // Until the detail says otherwise, the state records the least it may be: a draft (an `up` that finds
  // it released goes on from there, a release being one way).
  const outs: PluginVersionOutputs = { ...outputsFrom({}, inputs), publish: false, publisherId: undefined, versionAttribution: "draft" };
  try {
    const cur = await detail(ctx, inputs);
    if (!cur) throw new Error(`PluginVersion ${id}: created, but the service does not show it yet`);
    Object.assign(outs, outputsFrom(cur, { ...inputs, publish: isFormal(cur), publisherId: undefined }));
    await converge(ctx, cur, inputs, undefined, outs);
    return outs;
  } catch (e) {
    // The version exists: keep it in the state, so the next `up` continues from it.
    throw new PartialCreateError(id, outs, e);
  }
}

export const pluginVersionSchema = z
  .strictObject({
    /** The plug-in (a Plugin resource's pluginName); it must exist. */
    pluginName: nonEmpty,
    version: nonEmpty.refine((v) => !v.includes("/"), 'must not contain "/" (the resource id is <pluginName>/<version>)'),
    versionDescription: optionalText(),
    /** `inner_execution_info.execution_type`; "COMPOSITE" in every example. */
    executionType: nonEmpty.default("COMPOSITE"),
    steps: z.array(stepSchema),
    inputs: z.array(inputSchema).optional().transform(nonEmptyList),
    /** Release the version (one way: a released version cannot return to draft or change). */
    publish: z.boolean().default(false),
    /** Bind the plug-in to this publisher when the version is released (§4.9.8). */
    publisherId: hex32("publisher ID").optional(),
    /** `<pluginName>/<version>` of an existing version to take under management. */
    adoptId: nonEmpty.optional(),
  })
  .superRefine((v, issue) => {
    if (v.publisherId !== undefined && v.publish !== true) {
      issue.addIssue({ code: "custom", path: ["publisherId"], message: "requires publish: true (the plug-in is bound to its publisher when the version is released)" });
    }
    if (v.adoptId !== undefined && !containsUnknown([v.pluginName, v.version]) && v.adoptId !== `${v.pluginName}/${v.version}`) {
      issue.addIssue({ code: "custom", path: ["adoptId"], message: 'must be "<pluginName>/<version>" of this version' });
    }
  });
export type PluginVersionInputs = z.output<typeof pluginVersionSchema>;
type Step = PluginVersionInputs["steps"][number];
type Input = NonNullable<PluginVersionInputs["inputs"]>[number];

export interface PluginVersionOutputs extends Record<string, unknown> {
  pluginName: string;
  version: string;
  versionDescription?: string;
  executionType: string;
  steps: Step[];
  inputs?: Input[];
  publish: boolean;
  publisherId?: string;
  displayName?: string;
  uniqueId?: string;
  /** "draft" or "formal". */
  versionAttribution?: string;
  pluginAttribution?: string;
  pluginCompositionType?: string;
  runtimeAttribution?: string;
  opUser?: string;
  opTime?: string;
}

/** The version detail (Table 4-431), as far as we read it. */
interface VersionVo extends Record<string, unknown> {
  plugin_name?: string;
  display_name?: string | null;
  op_user?: string | null;
  op_time?: string | null;
  version?: string;
  unique_id?: string | null;
  version_description?: string | null;
  plugin_composition_type?: string | null;
  input_info?: Array<Record<string, unknown>> | null;
  plugin_execution?: unknown;
}

/** What can only change while the version is a draft. */
const CONTENT = ["versionDescription", "executionType", "steps", "inputs"] as const;

export function splitId(id: string): { pluginName: string; version: string } {
  const at = id.lastIndexOf("/");
  if (at <= 0 || at === id.length - 1) throw new Error(`PluginVersion: "${id}" is not an id of the form <pluginName>/<version>`);
  return { pluginName: id.slice(0, at), version: id.slice(at + 1) };
}

const idOf = (v: { pluginName: string; version: string }) => `${v.pluginName}/${v.version}`;
const isFormal = (vo: VersionVo) => attributionOf(vo, "version") === "formal";

// ---- request bodies: the keys and spellings of the §4.9.2/§4.9.4 examples ----

function stepBody(s: Step) {
  return { task: s.task, name: s.name, ...(s.identifier ? { identifier: s.identifier } : {}), variables: s.variables ?? {} };
}

function inputBody(i: Input) {
  const v = i.validation;
  const validation = v && {
    required_message: v.requiredMessage,
    regex: v.regex,
    regex_message: v.regexMessage,
    max_length: v.maxLength,
    min_length: v.minLength,
  };
  return {
    name: i.name,
    ...(i.defaultValue !== undefined ? { default_value: i.defaultValue } : {}),
    ...(i.type ? { type: i.type } : {}),
    ...(validation ? { validation: JSON.stringify(validation) } : {}),
    ...(i.layoutContent ? { layout_content: i.layoutContent } : {}),
  };
}

/** The plug-in's own information is echoed from the plug-in, so a version never overwrites it. Also the conformance probes' version bodies. */
export function versionBody(info: PluginBasicVo, v: PluginVersionInputs, uniqueId?: string) {
  return {
    ...(uniqueId ? { unique_id: uniqueId } : {}),
    plugin_name: v.pluginName,
    display_name: orEmpty(text(info.display_name)),
    ...(text(info.business_type) ? { business_type: info.business_type } : {}),
    description: orEmpty(text(info.description)),
    maintainers: orEmpty(text(info.maintainers)),
    business_type_display_name: orEmpty(text(info.business_type_display_name)),
    icon_url: orEmpty(text(info.icon_url)),
    version: v.version,
    version_description: orEmpty(v.versionDescription),
    input_info: (v.inputs ?? []).map(inputBody),
    execution_info: { inner_execution_info: { execution_type: v.executionType, steps: v.steps.map(stepBody) } },
    runtime_attribution: attributionOf(info, "runtime") ?? "agent",
  };
}

// ---- reading ----

function objectOf(v: unknown): Record<string, unknown> | undefined {
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function stringRecord(v: unknown): Record<string, string> | undefined {
  const o = objectOf(v);
  return (
    o &&
    nonEmptyRecord(
      Object.fromEntries(
        Object.entries(o)
          .filter(([, x]) => x !== null && x !== undefined)
          .map(([k, x]) => [k, typeof x === "string" ? x : JSON.stringify(x)]),
      ),
    )
  );
}

const int = (v: unknown) => (typeof v === "number" && Number.isInteger(v) ? v : undefined);

/**
 * The version's content as a program declares it. Steps answered without `identifier` (§4.9.22 example)
 * keep the state's. X8: where the detail omits the execution (`plugin_execution`, the Terraform provider's
 * experience), the steps and execution type cannot be read: `unseen` (what was last sent) stands for them,
 * so they are neither drift nor a reason to edit.
 */
function contentFrom(vo: VersionVo, state: Record<string, unknown>, unseen: Record<string, unknown> = state): Pick<PluginVersionInputs, (typeof CONTENT)[number]> {
  // The §4.9.22 example answers `plugin_execution`; the detail table lists `execution_info` (with `inner_execution_info`).
  const info = objectOf(vo.execution_info);
  const exec = objectOf(vo.plugin_execution) ?? objectOf(info?.inner_execution_info) ?? info ?? {};
  const known = Array.isArray(state.steps) ? (state.steps as Step[]) : [];
  const steps = (Array.isArray(exec.steps) ? exec.steps : []).map((raw, i): Step => {
    const s = objectOf(raw) ?? {};
    const task = text(s.task) ?? "";
    const name = text(s.name) ?? "";
    const kept = known[i]?.task === task && known[i]?.name === name ? known[i].identifier : undefined;
    return { task, name, identifier: text(s.identifier) ?? kept, variables: stringRecord(s.variables) };
  });
  const inputs = (vo.input_info ?? []).map((i): Input => {
    const v = objectOf(i.validation);
    const validation = v && {
      requiredMessage: text(v.required_message),
      regex: text(v.regex),
      regexMessage: text(v.regex_message),
      maxLength: int(v.max_length),
      minLength: int(v.min_length),
    };
    return {
      name: text(i.name) ?? "",
      defaultValue: typeof i.default_value === "string" ? i.default_value : undefined,
      type: text(i.type),
      validation: validation && Object.values(validation).some((x) => x !== undefined) ? validation : undefined,
      layoutContent: text(i.layout_content),
    };
  });
  const versionDescription = text(vo.version_description);
  if (vo.plugin_execution == null && vo.execution_info == null) {
    const executionType = typeof unseen.executionType === "string" ? unseen.executionType : "";
    return { versionDescription, executionType, steps: Array.isArray(unseen.steps) ? (unseen.steps as Step[]) : [], inputs: nonEmptyList(inputs) };
  }
  return { versionDescription, executionType: text(exec.execution_type) ?? "", steps, inputs: nonEmptyList(inputs) };
}

function outputsFrom(vo: VersionVo, inputs: PluginVersionInputs): PluginVersionOutputs {
  const { adoptId: _createOnly, ...declared } = inputs;
  return {
    ...declared,
    displayName: text(vo.display_name),
    uniqueId: text(vo.unique_id),
    versionAttribution: attributionOf(vo, "version"),
    pluginAttribution: attributionOf(vo, "plugin"),
    pluginCompositionType: text(vo.plugin_composition_type),
    runtimeAttribution: attributionOf(vo, "runtime"),
    opUser: text(vo.op_user),
    opTime: text(vo.op_time),
  };
}

/** §4.9.18: a version's detail; identity required (a `null` or `{}` answer is not "gone"). */
const versionAnswer = object({ plugin_name: z.string(), version: z.string() });

export async function detail(ctx: Context, v: { pluginName: string; version: string }): Promise<VersionVo | undefined> {
  try {
    const res = await ctx.client.send<VersionVo>({
      service: "pipeline",
      method: "GET",
      path: `${await v1(ctx)}/agent-plugin/detail`,
      query: { plugin_name: v.pluginName, version: v.version },
      operation: "PluginVersion.detail",
      answer: versionAnswer,
      resource: idOf(v),
    });
    return res.body && typeof res.body === "object" ? res.body : undefined;
  } catch (e) {
    if (e instanceof ApiError && e.provesAbsence(EXTENSION_NOT_FOUND)) return undefined;
    throw e;
  }
}

/** §4.9.15's custom plug-ins, every page, each with its `publisher_id` (X4: may always be null). */
function basicList(ctx: Context, what: string): AsyncGenerator<{ name?: string; publisher_id?: string | null }> {
  return probedOffsetPages<{ name?: string; publisher_id?: string | null }>(
    async (offset, limit) => {
      const res = await ctx.client.send<{ total?: number; data?: Array<{ name?: string; publisher_id?: string | null }> | null }>({
        service: "pipeline",
        method: "GET",
        path: `${await v1(ctx)}/relation/plugin/single`,
        query: { attribution: "custom", offset, limit },
        operation: "Plugin.listBasic",
        answer: object({ total: z.number().optional(), data: z.array(object({ name: z.string() })).nullable() }),
        resource: what,
      });
      return { items: res.body?.data ?? [], total: res.body?.total };
    },
    PAGE_LIMIT,
    (p) => `${p.name}`,
    `PluginVersion: reading the publisher binding of ${what}`,
  );
}

/** §4.9.16's released plug-ins whose name matches `regexName` ("" as in its example: all), each with its `publisher_unique_id`. */
function optionalList(ctx: Context, regexName: string, what: string): AsyncGenerator<{ plugin_name?: string; publisher_unique_id?: string | null }> {
  return offsetPages<{ plugin_name?: string; publisher_unique_id?: string | null }>(async (offset, limit) => {
    const res = await ctx.client.send<{ total?: number; data?: Array<{ plugins_list?: Array<{ plugin_name?: string; publisher_unique_id?: string | null }> | null }> | null }>({
      service: "pipeline",
      method: "POST",
      path: `${await v1(ctx)}/relation/plugins`,
      query: { offset, limit },
      body: { regex_name: regexName },
      operation: "Plugin.listOptional",
      answer: optionalPluginsAnswer,
      resource: what,
      idempotent: true, // a read
      read: true,
    });
    return { items: (res.body?.data ?? []).flatMap((g) => g.plugins_list ?? []), total: res.body?.total };
  }, PAGE_LIMIT);
}

/** §4.9.15's entry of a custom plug-in (exact name, every page), with its `publisher_id`; undefined when not listed. */
export async function basicListEntry(ctx: Context, pluginName: string): Promise<{ name?: string; publisher_id?: string | null } | undefined> {
  return findFirst(basicList(ctx, `"${pluginName}"`), (p) => p.name === pluginName);
}

/** §4.9.16 entry of a plug-in (exact name, every page). */
export async function optionalListEntry(ctx: Context, pluginName: string): Promise<{ plugin_name?: string; publisher_unique_id?: string | null } | undefined> {
  return findFirst(optionalList(ctx, pluginName, pluginName), (p) => p.plugin_name === pluginName);
}

/**
 * Every publisher binding of the account's plug-ins: publisher id → the names of the plug-ins bound to
 * it, from both reads that can show one (§4.9.15 `publisher_id`, §4.9.16 `publisher_unique_id`; X4).
 * What the sweeper checks before deleting a publisher another's plug-in is bound to.
 */
export async function bindingsByPublisher(ctx: Context): Promise<Map<string, string[]>> {
  const out = new Map<string, Set<string>>();
  const add = (publisher: string | undefined, plugin: string | undefined) => {
    if (!publisher || !plugin) return;
    out.set(publisher, (out.get(publisher) ?? new Set()).add(plugin));
  };
  for (const p of await collect(basicList(ctx, "every plug-in"))) add(text(p.publisher_id), p.name);
  for (const p of await collect(optionalList(ctx, "", "every plug-in"))) add(text(p.publisher_unique_id), p.plugin_name);
  return new Map([...out].map(([k, v]) => [k, [...v].sort()]));
}

/** The publisher a plug-in is bound to: a binding is per plug-in, and only §4.9.15 shows it (exact name, every page). */
async function boundPublisher(ctx: Context, pluginName: string): Promise<string | undefined> {
  const basic = text((await basicListEntry(ctx, pluginName))?.publisher_id);
  if (basic) return basic;
  // X4: §4.9.15's only example has every publisher_id null; where the service never fills it, the
  // binding shows in §4.9.16 (released plug-ins, `publisher_unique_id`). Read to the end, exact name.
  return text((await optionalListEntry(ctx, pluginName))?.publisher_unique_id);
}

async function pluginInfo(ctx: Context, pluginName: string): Promise<PluginBasicVo> {
  const info = await findPlugin(ctx, pluginName);
  // Creating a version of a missing plug-in would make the service create one nothing manages (the Terraform provider says so).
  if (!info) throw new Error(`PluginVersion: plug-in "${pluginName}" does not exist; declare it with a Plugin resource first. Nothing was created`);
  return info;
}

// ---- converging ----

/**
 * §4.9.5 releases a draft. Not safe to send blindly twice (a released version is no draft), so an
 * answer that may hide a success (5xx, reset, timeout) is settled by reading the version: released →
 * done; still a draft → sent again, as often as the client would repeat an idempotent request.
 */
async function publishDraft(ctx: Context, displayName: string, news: PluginVersionInputs): Promise<void> {
  const id = idOf(news);
  for (let attempt = 0; ; attempt++) {
    try {
      await ctx.client.send({
        service: "pipeline",
        method: "POST",
        path: `${await v1(ctx)}/agent-plugin/publish-draft`,
        // The §4.9.5 example's body (the Terraform provider sends the same).
        body: { plugin_name: news.pluginName, display_name: displayName, version: news.version, plugin_attribution: "custom" },
        operation: "PluginVersion.publishDraft",
        answer: isTrue,
        resource: id,
      });
      return;
    } catch (e) {
      if (!isAmbiguous(e)) throw e;
      const now = await detail(ctx, news);
      if (now && isFormal(now)) {
        ctx.log(`PluginVersion ${id}: the publish failed (${(e as Error).message}), but the version is released`);
        return;
      }
      if (attempt >= ctx.settings.maxRetries) throw e;
      ctx.log(`PluginVersion ${id}: the publish failed (${(e as Error).message}) and the version is still a draft: publishing again`);
    }
  }
}

/**
 * Brings the version from what the service has (`cur`) to what is declared, in the only order the
 * API allows: edit the draft, release it, bind the publisher. `outs` follows every step that
 * succeeded, so a failure part-way leaves a state that says exactly how far it got.
 */
async function converge(
  ctx: Context,
  cur: VersionVo,
  news: PluginVersionInputs,
  boundTo: string | undefined,
  outs: PluginVersionOutputs,
  sent: Record<string, unknown> = news,
): Promise<void> {
  const id = idOf(news);
  const have = contentFrom(cur, news, sent);
  const changed = CONTENT.filter((k) => stableJson(have[k] ?? null) !== stableJson(news[k] ?? null));
  let formal = isFormal(cur);
  if (changed.length > 0) {
    if (formal) {
      throw new Error(`PluginVersion ${id} is published and cannot be edited (${changed.join(", ")} differ); declare a new version instead`);
    }
    const info = await pluginInfo(ctx, news.pluginName);
    await ctx.client.send({
      service: "pipeline",
      method: "POST",
      path: `${await v1(ctx)}/agent-plugin/edit-draft`,
      body: versionBody(info, news, text(cur.unique_id)),
      operation: "PluginVersion.editDraft",
      answer: isTrue,
      resource: id,
      idempotent: true, // the whole content, set twice, is the same content
    });
    for (const k of CONTENT) (outs as Record<string, unknown>)[k] = news[k];
  }
  if (news.publish && !formal) {
    await publishDraft(ctx, orEmpty(text(cur.display_name)), news);
    formal = true;
    Object.assign(outs, { publish: true, versionAttribution: "formal" });
  }
  if (!news.publish && formal) throw new Error(`PluginVersion ${id} is published; it cannot return to draft. Declare a new version instead`);
  if (news.publisherId && news.publisherId !== boundTo) {
    await ctx.client.send({
      service: "pipeline",
      method: "POST",
      path: `${await v1(ctx)}/agent-plugin/publish-plugin-bind`,
      body: { plugin_name: news.pluginName, version: news.version, publisher_unique_id: news.publisherId },
      operation: "PluginVersion.bindPublisher",
      answer: isTrue,
      resource: id,
      idempotent: true, // binding to the same publisher twice is the same binding
    });
    outs.publisherId = news.publisherId;
  }
}

/** §4.9.23: a page of a plug-in's version strings; the table wraps them in `data`, the example is a bare array. */
const versionsPage = z.union([z.array(z.string()), object({ total: z.number().optional(), data: z.array(z.string()).nullable() })]);

/** Every version of a plug-in (§4.9.23), read to a provable end (P1); none when the plug-in is gone. */
async function versionsOf(ctx: Context, pluginName: string): Promise<string[]> {
  const path = `${await v1(ctx)}/agent-plugin/all-version`;
  try {
    return await collect(
      probedOffsetPages<string>(
        async (offset, limit) => {
          const res = await ctx.client.send<string[] | { total?: number; data?: string[] | null }>({
            service: "pipeline",
            method: "GET",
            path,
            query: { plugin_name: pluginName, offset, limit },
            operation: "PluginVersion.list",
            answer: versionsPage,
            resource: pluginName,
            idempotent: true, // a read
          });
          const body = res.body;
          return Array.isArray(body) ? { items: body } : { items: body?.data ?? [], total: body?.total };
        },
        PAGE_LIMIT,
        (v) => v,
        `PluginVersion: listing the versions of ${pluginName}`,
      ),
    );
  } catch (e) {
    if (e instanceof ApiError && e.provesAbsence(EXTENSION_NOT_FOUND)) return [];
    throw e;
  }
}

// ---- deleting one released version (ambiguity X1) ----

/**
 * What §4.9.28 `info/delete?type=single&version=` does on this service: `single` deletes that version
 * (the Terraform provider's reading), `whole` ignores `type`/`version` and deletes the whole plug-in
 * (the table documents only `plugin_name`). Nothing in an answer tells them apart, so before the first
 * delete of a released version the provider proves the reading on a probe plug-in of its own: two
 * released versions, one deleted with `type=single`; `single` only if the other one is still there.
 * Six calls (the deleted version must be gone, then the other one tells), once per provider process and account; an inconclusive probe is not cached.
 */
export type DeleteReading = "single" | "whole" | "unproven";
/** §4.9.16: released plug-ins in groups, each with its publisher binding. */
const optionalPluginsAnswer = object({
  total: z.number().optional(),
  data: z
    .array(
      object({
        plugins_list: z
          .array(object({ plugin_name: z.string(), publisher_unique_id: z.string().nullable().optional() }))
          .nullable()
          .optional(),
      }),
    )
    .nullable()
    .optional(),
});
const deleteReadings = new WeakMap<ServiceClient, Promise<DeleteReading>>();

export function deleteReading(ctx: Context): Promise<DeleteReading> {
  // Proven by `pulumi-codearts conformance` (provenReadings): the same experiment, already made.
  const proven = provenReading(ctx, "X1");
  if (proven) return Promise.resolve(proven);
  let p = deleteReadings.get(ctx.client);
  if (!p) {
    p = probeDeleteReading(ctx).catch((e: unknown): DeleteReading => {
      ctx.log(`PluginVersion: could not learn what deleting one released version does (${(e as Error).message})`);
      return "unproven";
    });
    deleteReadings.set(ctx.client, p);
    void p.then((r) => {
      if (r === "unproven") deleteReadings.delete(ctx.client);
    });
  }
  return p;
}

/** The versions the X1 experiment makes: released, with one step running the official shell plug-in. */
export const DELETE_EXPERIMENT_VERSIONS = ["0.0.1", "0.0.2"] as const;

/**
 * The X1 experiment on a plug-in `name` that does not exist yet: two versions made with §4.9.1 (the first
 * one creates the plug-in, "multi"), then the first deleted with §4.9.28 `type=single&version=`.
 * Three calls; the caller reads what is left and removes the plug-in (`type=all`) whatever happens.
 * §4.9.1 makes released versions under X12 `released`; `publishDrafts` publishes each one with §4.9.5
 * publish-draft after its create (2 more calls), for a service where §4.9.1 makes drafts (X12 `draft`).
 * Shared by the provider's own probe (deleteReading) and the conformance probe of row X1.
 */
export async function deleteExperiment(ctx: Context, name: string, publishDrafts = false): Promise<void> {
  const info: PluginBasicVo = { plugin_name: name, display_name: `pulumi-codearts delete probe ${name.slice(-12)}`, business_type: "Normal" };
  const probe = (version: string): PluginVersionInputs => ({
    pluginName: name,
    version,
    versionDescription: undefined,
    inputs: undefined,
    executionType: "COMPOSITE",
    publish: true,
    steps: [{ task: "official_shell_plugin", name: "probe", identifier: undefined, variables: { OFFICIAL_SHELL_SCRIPT_INPUT: "true" } }],
  });
  const base = await v1(ctx);
  // §4.9.1 creates a version in one call (released under X12 `released`); the first one creates the (multi) plug-in.
  for (const version of DELETE_EXPERIMENT_VERSIONS) {
    await ctx.client.send({
      service: "pipeline",
      method: "POST",
      path: `${base}/agent-plugin/create`,
      body: versionBody(info, probe(version)),
      operation: "PluginVersion.create",
      answer: isTrue,
      resource: `${name}/${version}`,
    });
    if (publishDrafts) await publishDraft(ctx, orEmpty(text(info.display_name)), probe(version));
  }
  await ctx.client.send({
    service: "pipeline",
    method: "DELETE",
    path: `${await v3(ctx)}/extension/info/delete`,
    query: { plugin_name: name, version: DELETE_EXPERIMENT_VERSIONS[0], type: "single" },
    operation: "PluginVersion.delete",
    answer: isTrue,
    resource: `${name}/${DELETE_EXPERIMENT_VERSIONS[0]}`,
  });
}

async function probeDeleteReading(ctx: Context): Promise<DeleteReading> {
  const first = await deleteProbeOn(ctx, false);
  if (first !== "drafts") return first;
  // The version left reads as a draft: §4.9.1 made drafts (X12 `draft`), and what type=single does to a
  // draft says nothing of a released version. Once more, each version published after its create.
  ctx.log("PluginVersion: §4.9.1 made drafts on this service (ambiguity X12, reading `draft`): the delete probe is made again with released versions");
  const again = await deleteProbeOn(ctx, true);
  if (again === "drafts") throw new Error("the probe's versions still read as drafts after publish-draft");
  return again;
}

/** One X1 experiment on a probe plug-in of its own, then deleted; "drafts" when the version left is not released. */
async function deleteProbeOn(ctx: Context, publishDrafts: boolean): Promise<DeleteReading | "drafts"> {
  const name = `pulumi_codearts_delete_probe_${randomBytes(6).toString("hex")}`;
  try {
    await deleteExperiment(ctx, name, publishDrafts);
    // Proof, not assumption: the version deleted must be gone (an answer `true` that deleted nothing
    // would otherwise read as `single`), and then the other one says which reading it is.
    if (await detail(ctx, { pluginName: name, version: DELETE_EXPERIMENT_VERSIONS[0] })) {
      throw new Error(`§4.9.28 type=single answered true, yet version ${DELETE_EXPERIMENT_VERSIONS[0]} of ${name} is still there`);
    }
    const other = await detail(ctx, { pluginName: name, version: DELETE_EXPERIMENT_VERSIONS[1] });
    if (other && !isFormal(other)) return "drafts";
    const reading: DeleteReading = other ? "single" : "whole";
    ctx.log(
      `PluginVersion: deleting one released version with type=single ${reading === "single" ? "deletes that version only" : "deletes the whole plug-in"} on this service (probed on ${name})`,
    );
    return reading;
  } finally {
    try {
      await ctx.client.send({
        service: "pipeline",
        method: "DELETE",
        path: `${await v3(ctx)}/extension/info/delete`,
        query: { plugin_name: name, type: "all" },
        operation: "Plugin.delete",
        answer: isTrue,
        resource: name,
      });
    } catch (e) {
      if (!(e instanceof ApiError && e.provesAbsence(EXTENSION_NOT_FOUND)))
        ctx.log(`warning: the probe plug-in ${name} could not be deleted (${(e as Error).message}); delete it by hand`);
    }
  }
}

export const pluginVersion: ResourceKind<typeof pluginVersionSchema, PluginVersionOutputs> = {
  name: "PluginVersion",
  schema: pluginVersionSchema,
  replaceOn: ["pluginName", "version"],
  replaceWhy: {
    pluginName: "a version belongs to one plug-in; no API moves it",
    version: "a version is identified by its version string; no API renames it",
  },
  notFoundCodes: EXTENSION_NOT_FOUND,
  // The last operation (publishing and binding answer only `true`), and what the detail echoes of the
  // plug-in, which its Plugin resource changes.
  serviceMaintained: ["opUser", "opTime", "displayName", "pluginCompositionType"],

  refuse(olds, news): Failure[] {
    // Another plug-in or version is a new object (a replacement), not a change of this one.
    if (olds.pluginName !== news.pluginName || olds.version !== news.version || !olds.publish) return [];
    const published = `version ${news.version} of plug-in ${news.pluginName} is published, and a published version cannot change`;
    const out: Failure[] = [];
    if (news.publish === false) out.push({ property: "publish", reason: `cannot be false: ${published}. Declare a new version instead` });
    for (const k of CONTENT) {
      // An unknown value (preview) is judged when it is known, at the check of `up`.
      if (containsUnknown(news[k])) continue;
      if (stableJson(olds[k] ?? null) !== stableJson(news[k] ?? null)) {
        out.push({ property: k, reason: `cannot change: ${published}. Declare a new version (another PluginVersion) instead` });
      }
    }
    if (olds.publisherId !== undefined && news.publisherId === undefined) {
      out.push({ property: "publisherId", reason: "cannot be removed: no API unbinds a plug-in from its publisher" });
    }
    return out;
  },

  async create(ctx, inputs) {
    const info = await pluginInfo(ctx, inputs.pluginName);
    // A published version is made as the Terraform provider makes one (`is_formal`): §4.9.1 create, the
    // same body as create-draft. Whether that makes it released or a draft (X12) the detail read next
    // tells; a draft is then published as one made by create-draft is. A draft stays a create-draft.
    const direct = inputs.publish;
    try {
      await ctx.client.send({
        service: "pipeline",
        method: "POST",
        path: `${await v1(ctx)}/agent-plugin/${direct ? "create" : "create-draft"}`,
        body: versionBody(info, inputs),
        operation: direct ? "PluginVersion.create" : "PluginVersion.createDraft",
        answer: isTrue,
        resource: idOf(inputs),
      });
    } catch (e) {
      // X2: whether a `single` plug-in (what v3 info/add makes, §4.9.26) takes composite versions is not
      // documented. A refusal creates nothing; say what it means and how to declare the plug-in instead.
      if (isRefusal(e) && text(info.plugin_composition_type) === "single") {
        throw new Error(
          `PluginVersion ${idOf(inputs)}: the plug-in "${inputs.pluginName}" is a single plug-in (plugin_composition_type "single"), and this service ` +
            `refuses composite (step) versions on one (ambiguity X2, reading \`refused\`): declare the Plugin with pluginCompositionType: "multi". ` +
            `Nothing was created. The service said: ${e.message}`,
          { cause: e },
        );
      }
      throw e;
    }
    return { id: idOf(inputs), outs: await fromCreated(ctx, inputs) };
  },

  // (plug-in, version) is unique (the service refuses a second version of a version string): after an
  // ambiguous create or create-draft, the version's detail tells whether it was made, and what it is.
  naturalKey: {
    unique: true,
    find: async (ctx, inputs) => ((await detail(ctx, inputs)) ? [idOf(inputs)] : []),
    recover: (ctx, _id, inputs) => fromCreated(ctx, inputs),
  },

  // The versions of every plug-in whose name starts with the prefix; each is inside its plug-in.
  sweep: {
    async list(ctx, { prefix }) {
      const out = [];
      for (const p of await pluginsNamed(ctx, prefix)) {
        for (const version of await versionsOf(ctx, p.plugin_name)) {
          const id = idOf({ pluginName: p.plugin_name, version });
          out.push({ id, name: id, state: {}, inside: { kind: "Plugin", id: p.plugin_name } });
        }
      }
      return out;
    },
  },

  async read(ctx, id, state) {
    const key = splitId(id);
    const vo = await detail(ctx, key);
    if (!vo) return undefined;
    const publish = isFormal(vo);
    // Only a binding the state declares is checked: it costs a listing of every custom plug-in.
    const publisherId = publish && typeof state.publisherId === "string" ? await boundPublisher(ctx, key.pluginName) : undefined;
    const inputs: PluginVersionInputs = { ...key, ...contentFrom(vo, state), publish, publisherId };
    return { outs: outputsFrom(vo, inputs), inputs };
  },

  async update(ctx, id, olds, news) {
    const cur = await detail(ctx, news);
    if (!cur) throw new Error(`PluginVersion ${id} no longer exists; run \`pulumi refresh\` to drop it from the state, then \`pulumi up\` re-creates it`);
    const outs = outputsFrom(cur, { ...news, ...contentFrom(cur, olds), publish: isFormal(cur), publisherId: olds.publisherId });
    await converge(ctx, cur, news, olds.publisherId, outs, olds);
    return outs;
  },

  async delete(ctx, id, state) {
    const key = splitId(id);
    // X1 `single` proven (provenReadings) and the state says released (a release is never undone): the
    // delete is sent without reading the version first; a version already gone answers not-found.
    if (state.publish === true && provenReading(ctx, "X1") === "single") return deleteReleased(ctx, id, key);
    // X11 proven (provenReadings) and the state says draft: §4.9.11 delete-draft is sent without reading
    // the version first, as the Terraform provider does. Whether it was released out of band since is
    // told by the answer: under `delete` the service deletes a released version too (`true` = gone);
    // under `refuse` it refuses one, and the refusal sends the delete down the guarded path below.
    // Under `noop` a released version would answer `true` and stay, so the detail is read first.
    const x11 = state.publish !== true ? provenReading(ctx, "X11") : undefined;
    let refusal: ApiError | undefined;
    if (x11 === "refuse" || x11 === "delete") {
      try {
        await deleteDraft(ctx, id, key);
        return;
      } catch (e) {
        // Not-found (already gone) is what delete wanted: the resource glue takes it. Under `delete`
        // every other error is final, as it is on the guarded path.
        if (x11 === "delete" || !isRefusal(e)) throw e;
        refusal = e;
      }
    }
    const cur = await detail(ctx, key);
    if (!cur) return; // already gone
    if (!isFormal(cur)) {
      // A draft the service just refused to delete (X11 `refuse`: e.g. pipelines still use it) would be
      // refused again: that refusal is the answer.
      if (refusal) throw refusal;
      await deleteDraft(ctx, id, key);
      return;
    }
    const reading = await deleteReading(ctx);
    if (reading !== "single") {
      // X1: sending the delete could take the plug-in and every other version with it.
      ctx.log(
        `warning: PluginVersion ${id} is published, and on this service §4.9.28 \`info/delete?type=single\` ` +
          (reading === "whole" ? "deletes the whole plug-in (ambiguity X1, reading `whole`)" : "could not be proven to delete one version only (ambiguity X1)") +
          `: the version is left in place and only removed from the stack. It is deleted with its plug-in (destroy the Plugin resource ${key.pluginName}), or by hand in the console`,
      );
      return;
    }
    await deleteReleased(ctx, id, key);
  },
};

/** The service said no (a 4xx that does not prove the version or plug-in gone): nothing changed. */
const isRefusal = (e: unknown): e is ApiError => e instanceof ApiError && e.status >= 400 && e.status < 500 && !e.provesAbsence(EXTENSION_NOT_FOUND);

/** §4.9.11 delete-draft of one version (a draft on every reading; X11: what it does to a released one). */
async function deleteDraft(ctx: Context, id: string, key: { pluginName: string; version: string }): Promise<void> {
  await ctx.client.send({
    service: "pipeline",
    method: "DELETE",
    path: `${await v1(ctx)}/agent-plugin/delete-draft`,
    query: { plugin_name: key.pluginName, version: key.version },
    operation: "PluginVersion.deleteDraft",
    answer: isTrue,
    resource: id,
  });
}

/** §4.9.28 with `type=single`, once X1 `single` is known (proven by the settings or the provider's own probe). */
async function deleteReleased(ctx: Context, id: string, key: { pluginName: string; version: string }): Promise<void> {
  try {
    // Undocumented: `type=single` with a version, as the Terraform provider deletes a released version.
    await ctx.client.send({
      service: "pipeline",
      method: "DELETE",
      path: `${await v3(ctx)}/extension/info/delete`,
      query: { plugin_name: key.pluginName, version: key.version, type: "single" },
      operation: "PluginVersion.delete",
      answer: isTrue,
      resource: id,
    });
  } catch (e) {
    // The service refusing (4xx, not "gone") is final: the version stays, and the user is told.
    if (isRefusal(e)) {
      ctx.log(`warning: PluginVersion ${id} is published and the service refused to delete it, so it is left in place and only removed from the stack: ${e.message}`);
      return;
    }
    throw e;
  }
}
