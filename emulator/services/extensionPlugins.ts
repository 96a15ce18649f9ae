import { z } from "zod";
import { MANIFEST, packageManifest, sha256 } from "../../provider/pluginPackage";
import { readZip } from "../../provider/zip";
import type { Reading } from "../dialects";
import { newHexId } from "../ids";
import type { CallerContext, Reply, Router } from "../router";
import { attribution, BUSINESS_TYPES, fuzzy, iconPath, invalid, msString, notFound, ok, paged, pageParams, PLUGINS, PUBLISHERS, uploadedFile, VERSIONS } from "./extensionCommon";
import { jsonObject } from "./json";
import { pipelineRoute } from "./pipelineCommon";
import { nameExists, nameTaken } from "./names";
import { unsetReadBack } from "./unset";

/**
 * Extension plug-ins (CodeArts Pipeline API Reference §4.9, all but the publisher APIs), stored per account: a plug-in
 * "shell" (its identity and basic information, keyed by `plugin_name`) and its versions (keyed by
 * name and version). The lifecycle: v3 `extension/info/add` creates the shell with version "" and
 * `version_attribution` "init" (the §4.9.26 example plug-in `basic_plugin` appears so in the
 * §4.9.17 example); v1 `create-draft` adds a draft version, `edit-draft` changes it, `publish-draft`
 * makes it "formal". A formal version cannot be edited or deleted as a draft; v3 `info/delete`
 * removes the whole plug-in (`type=all`, the §4.9.28 example) or one version (`type=single`, what
 * the Terraform provider sends for a published version).
 *
 * Mutating APIs answer a bare `true`; the upload APIs a bare string; §4.9.23 a bare array (its
 * example; its table says a paged object). Responses spell `*_attribution` as every example does.
 */
export function registerExtensionPlugins(router: Router): void {
  const v1 = "/v1/{domain_id}/agent-plugin";
  const r = (method: string, path: string, op: string, h: (ctx: CallerContext) => Reply) => pipelineRoute(router, method, path, op, h);
  // X12: what §4.9.1 makes is open: a released version (`released`) or a draft (`draft`).
  r("POST", `${v1}/create`, "PluginVersion.create", (ctx) => createVersion(ctx, ctx.dialect.is("X12", "draft") ? "draft" : "formal"));
  r("POST", `${v1}/create-draft`, "PluginVersion.createDraft", (ctx) => createVersion(ctx, "draft"));
  r("POST", `${v1}/edit-draft`, "PluginVersion.editDraft", editDraft);
  r("POST", `${v1}/publish-draft`, "PluginVersion.publishDraft", publishDraft);
  r("POST", `${v1}/update-info`, "Plugin.updateInfoV1", updateInfo);
  r("POST", `${v1}/publish-plugin`, "Plugin.publish", (ctx) => publishOrBind(ctx, true));
  r("POST", `${v1}/publish-plugin-bind`, "Plugin.bindPublisher", (ctx) => publishOrBind(ctx, false));
  r("POST", "/v1/{domain_id}/common/upload-plugin-icon", "Plugin.uploadIcon", uploadIcon);
  r("DELETE", `${v1}/delete-draft`, "PluginVersion.deleteDraft", deleteDraft);
  r("POST", "/v1/{domain_id}/relation/stage-plugins", "Plugin.stagePlugins", stagePlugins);
  r("GET", "/v1/{domain_id}/relation/plugin/single", "Plugin.listBasic", listBasic);
  r("POST", "/v1/{domain_id}/relation/plugins", "Plugin.listOptional", listOptional);
  r("POST", `${v1}/query-all`, "Plugin.list", queryAll);
  r("POST", `${v1}/plugin-metrics`, "PluginVersion.metrics", (ctx) => partQuery(ctx, "metrics"));
  r("POST", `${v1}/plugin-input`, "PluginVersion.inputs", (ctx) => partQuery(ctx, "input"));
  r("POST", `${v1}/plugin-output`, "PluginVersion.outputs", (ctx) => partQuery(ctx, "output"));
  // §4.9.21: the URI says GET, the example sends POST; both reach the same API.
  r("GET", `${v1}/query`, "PluginVersion.list", queryVersions);
  r("POST", `${v1}/query`, "PluginVersion.listPost", queryVersions);
  r("GET", `${v1}/detail`, "PluginVersion.detail", versionDetail);
  r("GET", `${v1}/all-version`, "PluginVersion.allVersions", allVersions);
  r("POST", "/v3/{domain_id}/extension/info/add", "Plugin.create", addInfo);
  r("POST", "/v3/{domain_id}/extension/info/update", "Plugin.update", updateInfo);
  r("DELETE", "/v3/{domain_id}/extension/info/delete", "Plugin.delete", deleteInfo);
  r("POST", "/v3/{domain_id}/extension/upload", "Plugin.upload", uploadPackage);
  r("GET", "/v3/{domain_id}/extension/detail", "Plugin.packageDetail", packageDetail);
}

/** ExtensionValidation (Table 4-433): every key present, null when unset (§4.9.19 example). */
interface ValidationVo {
  required_message: string | null;
  regex: string | null;
  regex_message: string | null;
  max_length: number | null;
  min_length: number | null;
}

interface InputRecord {
  unique_id: string;
  name: string | null;
  default_value: string | null;
  type: string | null;
  /** X7: an ExtensionValidation parsed from JSON (`json`), or the String as sent (`text`). */
  validation: ValidationVo | string;
  layout_content: string | null;
}

export interface PluginRecord {
  plugin_name: string;
  display_name: string | null;
  business_type: string | null;
  business_type_display_name: string | null;
  description: string | null;
  icon_url: string | null;
  maintainers: string | null;
  is_private: number | null;
  region: string | null;
  runtime_attribution: string;
  plugin_composition_type: string;
  unique_id: string;
  op_user: string;
  op_time: string;
  workspace_id: string;
  publisher_unique_id: string | null;
  /**
   * Made by a version create for a plug-in that did not exist; removed with its last version
   * ("creating a customized plugin version at the first time will create a plugin automatically,
   * and when all versions are deleted, the plugin will be deleted", a comment in the Terraform provider).
   */
  implicit: boolean;
  created: number;
  /** L5: the fields the caller left unset (absent, null or ""), read back per unsetReadBack; `creator` fills `maintainers` under `defaults`. */
  unset?: string[];
  creator?: string;
  /** §4.9.29 uploads, by version. */
  packages: Record<string, PackageRecord>;
}

export interface VersionRecord {
  plugin_name: string;
  version: string;
  version_description: string | null;
  version_attribution: "draft" | "formal";
  unique_id: string;
  op_user: string;
  op_time: string;
  runtime_attribution: string;
  input_info: InputRecord[];
  execution_type: string | null;
  /** As sent; `identifier` is kept but not answered (the §4.9.22 example steps carry none). */
  steps: Array<Record<string, unknown>>;
  /** Pipelines using the version; a used version cannot be deleted. Nothing in the emulator uses one yet. */
  refer_count: number | null;
  created: number;
  /** L5: the fields the caller left unset (absent, null, "" or []). */
  unset?: string[];
}

interface PackageRecord {
  type: string;
  name: string;
  friendly_name: string | null;
  category: string | null;
  description: string | null;
  version: string;
  version_description: string | null;
  inputs: unknown[];
  outputs: unknown[];
  execution: { target: string | null; type: string | null; sha256: string };
}

// ---- request bodies (every §4.9 field is optional; types as the tables give them) ----

const text = z.string().nullish();
const infoFields = {
  unique_id: text,
  icon_url: text,
  runtime_attribution: text,
  runtime_attributes: text,
  plugin_name: text,
  display_name: text,
  business_type: z.enum(BUSINESS_TYPES).nullish(),
  business_type_display_name: text,
  description: text,
  is_private: z.number().int().nullish(),
  region: text,
  maintainers: text,
};
/** Tables 4-452 / 4-456 / 4-331. */
const infoBody = z.object({ ...infoFields, plugin_composition_type: z.enum(["single", "multi"]).nullish() });
/** Tables 4-305 / 4-311 / 4-321: the info fields plus the version's content. */
const versionBody = z.object({
  ...infoFields,
  version: text,
  version_description: text,
  execution_info: z
    .object({
      inner_execution_info: z
        .object({ execution_type: text, steps: z.array(z.record(z.string(), z.unknown())).nullish() })
        .loose()
        .nullish(),
    })
    .nullish(),
  // `validation` is a String in the request tables (an ExtensionValidation in JSON) and an object in responses.
  input_info: z.array(z.object({ name: text, default_value: text, type: text, validation: text, layout_content: text })).nullish(),
});
const validationJson = z.object({
  required_message: text,
  regex: text,
  regex_message: text,
  max_length: z.number().int().nullish(),
  min_length: z.number().int().nullish(),
});
/** Tables 4-335 / 4-339. */
const publishBody = z.object({ plugin_name: text, version: text, publisher_unique_id: text });
/** Table 4-327. */
const publishDraftBody = z.object({ plugin_name: text, display_name: text, version: text, plugin_attribution: text, version_attribution: text });
/** Table 4-393. */
const queryAllBody = z.object({
  plugin_name: text,
  regex_name: text,
  maintainer: text,
  business_type: z.array(z.string()).nullish(),
  plugin_attribute: text,
  plugin_attribution: text,
});
/** Table 4-400. */
const partQueryBody = z.array(z.object({ plugin_name: text, display_name: text, version: text }).loose());
// ---- store access ----

const plugins = (ctx: CallerContext) => ctx.store.collection<PluginRecord>(PLUGINS);
const versions = (ctx: CallerContext) => ctx.store.collection<VersionRecord>(VERSIONS);
const versionKey = (name: string, version: string) => JSON.stringify([name, version]);
const domainOf = (ctx: CallerContext) => ctx.caller.account.domainId;
const getPlugin = (ctx: CallerContext, name: string | null | undefined) => (name ? plugins(ctx).get(domainOf(ctx), name) : undefined);
const getVersion = (ctx: CallerContext, name: string | null | undefined, version: string | null | undefined) =>
  name && version ? versions(ctx).get(domainOf(ctx), versionKey(name, version)) : undefined;
/** A plug-in's versions, newest first (the §4.9.23 example lists "0.0.2" before "0.0.1"). */
const versionsOf = (ctx: CallerContext, name: string) =>
  versions(ctx)
    .list(domainOf(ctx))
    .filter((v) => v.plugin_name === name)
    .sort((a, b) => b.created - a.created);
const allPlugins = (ctx: CallerContext) =>
  plugins(ctx)
    .list(domainOf(ctx))
    .sort((a, b) => b.created - a.created);

function stamp(ctx: CallerContext): { op_user: string; op_time: string } {
  return { op_user: ctx.caller.user.name, op_time: msString(ctx.now) };
}

/** `created` orders listings; two objects made in the same millisecond keep their creation order. */
let lastCreated = 0;
function nextCreated(now: Date): number {
  lastCreated = Math.max(lastCreated + 1, now.getTime());
  return lastCreated;
}

function parseBody<T extends z.ZodType>(schema: T, ctx: CallerContext): z.output<T> | undefined {
  const parsed = schema.safeParse(jsonObject(ctx.rawBody));
  return parsed.success ? parsed.data : undefined;
}

// ---- L5: fields left unset ----

/** The plug-in fields a program may leave unset (every one optional in Tables 4-452/4-456). */
const PLUGIN_UNSET = ["description", "icon_url", "maintainers", "business_type_display_name"] as const;
/** The version fields a program may leave unset. */
const VERSION_UNSET = ["version_description", "input_info"] as const;
const SERVICE_TYPE_NAMES: Record<string, string> = { Build: "Build", Gate: "CodeCheck", Deploy: "Deploy", Test: "Test", Normal: "General" };
const isUnset = (v: unknown) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);

/** Which of `keys` a body leaves unset; with `before`, a key the body does not carry keeps its state. */
function unsetOf(b: Record<string, unknown>, keys: readonly string[], before?: readonly string[]): string[] {
  return keys.filter((k) => (before && b[k] === undefined ? before.includes(k) : isUnset(b[k])));
}

/** L5 `defaults`: what the service fills in (the creator as maintainer, the service type's display name, "" and []). */
function pluginDefaults(p: PluginRecord): Record<string, unknown> {
  return {
    description: "",
    icon_url: "",
    maintainers: JSON.stringify([p.creator ?? p.op_user]),
    business_type_display_name: SERVICE_TYPE_NAMES[p.business_type ?? ""] ?? "",
  };
}
const VERSION_DEFAULTS = { version_description: "", input_info: [] };

// ---- the plug-in shell ----

type InfoBody = z.output<typeof infoBody>;

function newShell(ctx: CallerContext, b: InfoBody & { plugin_name: string }, implicit: boolean, composition: string): PluginRecord {
  return {
    plugin_name: b.plugin_name,
    display_name: b.display_name ?? null,
    business_type: b.business_type ?? null,
    business_type_display_name: b.business_type_display_name ?? null,
    description: b.description ?? null,
    icon_url: b.icon_url ?? null,
    maintainers: b.maintainers ?? null,
    is_private: b.is_private ?? null,
    region: b.region ?? null,
    // The §4.9.26 example sends none and its plug-in reads back "agent" (§4.9.17 example).
    runtime_attribution: (attribution(b, "runtime") as string | undefined) ?? "agent",
    plugin_composition_type: b.plugin_composition_type ?? composition,
    unique_id: newHexId(),
    ...stamp(ctx),
    workspace_id: domainOf(ctx),
    publisher_unique_id: null,
    implicit,
    created: nextCreated(ctx.now),
    unset: unsetOf(b, PLUGIN_UNSET),
    creator: ctx.caller.user.name,
    packages: {},
  };
}

function addInfo(ctx: CallerContext): Reply {
  const b = parseBody(infoBody, ctx);
  if (!b || !b.plugin_name) return invalid();
  if (getPlugin(ctx, b.plugin_name)) return invalid(`The plug-in name ${b.plugin_name} already exists.`);
  if (
    nameTaken(
      ctx,
      b.display_name,
      allPlugins(ctx).map((p) => ({ name: p.display_name })),
    )
  )
    return invalid(nameExists("plug-in display", b.display_name ?? ""));
  plugins(ctx).put(domainOf(ctx), b.plugin_name, newShell(ctx, { ...b, plugin_name: b.plugin_name }, false, "single"));
  return ok(true);
}

/** §4.9.27 (v3) and §4.9.6 (v1): same body; fields sent replace the stored ones, fields left out are kept. */
function updateInfo(ctx: CallerContext): Reply {
  const b = parseBody(infoBody, ctx);
  if (!b || !b.plugin_name) return invalid();
  const shell = getPlugin(ctx, b.plugin_name);
  if (!shell) return notFound(`The plug-in ${b.plugin_name}`);
  if (!uniqueIdAccepted(ctx, b.unique_id, shell.unique_id)) return invalid("unique_id must be the plug-in's unique ID.");
  const set = <K extends keyof PluginRecord>(key: K, v: PluginRecord[K] | undefined) => (v === undefined ? shell[key] : v);
  plugins(ctx).put(domainOf(ctx), shell.plugin_name, {
    ...shell,
    display_name: set("display_name", b.display_name),
    business_type: set("business_type", b.business_type),
    business_type_display_name: set("business_type_display_name", b.business_type_display_name),
    description: set("description", b.description),
    icon_url: set("icon_url", b.icon_url),
    maintainers: set("maintainers", b.maintainers),
    is_private: set("is_private", b.is_private),
    region: set("region", b.region),
    runtime_attribution: (attribution(b, "runtime") as string | undefined) ?? shell.runtime_attribution,
    plugin_composition_type: b.plugin_composition_type ?? shell.plugin_composition_type,
    unset: unsetOf(b, PLUGIN_UNSET, shell.unset ?? []),
    ...stamp(ctx),
  });
  return ok(true);
}

/**
 * X6: `unique_id` of edit-draft (§4.9.4) and info update (§4.9.27) is optional and unexplained.
 * `required`: it must be the draft's / plug-in's own id; `ignored`: whatever is sent is ignored.
 */
function uniqueIdAccepted(ctx: CallerContext, sent: string | null | undefined, own: string): boolean {
  return ctx.dialect.is("X6", "ignored") || sent === own;
}

function deleteInfo(ctx: CallerContext): Reply {
  const name = ctx.query.get("plugin_name");
  const asked = ctx.query.get("type") ?? "all";
  if (!name || (asked !== "all" && asked !== "single")) return invalid();
  // X1: the table documents only `plugin_name`; under `whole` the service ignores `type`/`version`
  // and deletes the whole plug-in with every version.
  const type = ctx.dialect.is("X1", "whole") ? "all" : asked;
  const shell = getPlugin(ctx, name);
  if (!shell) return notFound(`The plug-in ${name}`);
  const domain = domainOf(ctx);
  if (type === "all") {
    for (const v of versionsOf(ctx, name)) versions(ctx).remove(domain, versionKey(name, v.version));
    plugins(ctx).remove(domain, name);
    return ok(true);
  }
  const version = getVersion(ctx, name, ctx.query.get("version"));
  if (!version) return notFound(`Version ${ctx.query.get("version") ?? ""} of the plug-in ${name}`);
  return removeVersion(ctx, shell, version);
}

function removeVersion(ctx: CallerContext, shell: PluginRecord, v: VersionRecord): Reply {
  if ((v.refer_count ?? 0) > 0) return invalid(`Version ${v.version} of the plug-in ${v.plugin_name} is used by ${v.refer_count} pipelines and cannot be deleted.`);
  const domain = domainOf(ctx);
  versions(ctx).remove(domain, versionKey(v.plugin_name, v.version));
  if (shell.implicit && versionsOf(ctx, shell.plugin_name).length === 0) plugins(ctx).remove(domain, shell.plugin_name);
  return ok(true);
}

// ---- versions ----

function inputRecord(
  i: { name?: string | null; default_value?: string | null; type?: string | null; validation?: string | null; layout_content?: string | null },
  textValidation: boolean,
): InputRecord | undefined {
  let validation: ValidationVo | string = { required_message: null, regex: null, regex_message: null, max_length: null, min_length: null };
  if (i.validation && textValidation) {
    validation = i.validation;
  } else if (i.validation) {
    let json: unknown;
    try {
      json = JSON.parse(i.validation);
    } catch {
      return undefined;
    }
    const v = validationJson.safeParse(json);
    if (!v.success) return undefined;
    validation = {
      required_message: v.data.required_message ?? null,
      regex: v.data.regex ?? null,
      regex_message: v.data.regex_message ?? null,
      max_length: v.data.max_length ?? null,
      min_length: v.data.min_length ?? null,
    };
  }
  return { unique_id: newHexId(), name: i.name ?? null, default_value: i.default_value ?? null, type: i.type ?? null, validation, layout_content: i.layout_content ?? null };
}

type VersionBody = z.output<typeof versionBody>;

/** The version's content from a create/edit body; undefined when an input's validation is not JSON. */
function content(ctx: CallerContext, b: VersionBody): Pick<VersionRecord, "version_description" | "input_info" | "execution_type" | "steps"> | undefined {
  // X7: `validation` is a String "Verification" with no format: `json` an ExtensionValidation in JSON
  // (answered as an object), `text` any text, kept and answered as sent.
  const inputs = (b.input_info ?? []).map((i) => inputRecord(i, ctx.dialect.is("X7", "text")));
  if (inputs.some((i) => i === undefined)) return undefined;
  const inner = b.execution_info?.inner_execution_info;
  return {
    version_description: b.version_description ?? null,
    input_info: inputs as InputRecord[],
    execution_type: inner?.execution_type ?? null,
    steps: inner?.steps ?? [],
  };
}

/**
 * §4.9.1 creates a version directly ("Creating a Plug-in Version"), §4.9.2 a draft. Whether §4.9.1's version is
 * released or a draft the reference does not say (X12): `released` (the default), `draft`.
 */
function createVersion(ctx: CallerContext, attributionValue: "draft" | "formal"): Reply {
  const b = parseBody(versionBody, ctx);
  if (!b || !b.plugin_name || !b.version) return invalid();
  const c = content(ctx, b);
  if (!c) return invalid("input_info[].validation must be an ExtensionValidation in JSON.");
  const domain = domainOf(ctx);
  let shell = getPlugin(ctx, b.plugin_name);
  if (getVersion(ctx, b.plugin_name, b.version)) return invalid(`Version ${b.version} of the plug-in ${b.plugin_name} already exists.`);
  // X2: a shell made by v3 info/add reads back `single`; under `refused` it takes no composite (step) version.
  if (shell && shell.plugin_composition_type === "single" && c.steps.length > 0 && ctx.dialect.is("X2", "refused")) {
    return invalid(`The plug-in ${shell.plugin_name} is a single plug-in; a composite version cannot be added to it.`);
  }
  if (!shell) {
    // A plug-in built from steps reads back as "multi" (apie_test in the §4.9.17 and §4.9.22 examples).
    shell = newShell(ctx, { ...b, plugin_name: b.plugin_name, plugin_composition_type: undefined }, true, "multi");
    plugins(ctx).put(domain, shell.plugin_name, shell);
  }
  versions(ctx).put(domain, versionKey(b.plugin_name, b.version), {
    plugin_name: b.plugin_name,
    version: b.version,
    ...c,
    version_attribution: attributionValue,
    unique_id: newHexId(),
    ...stamp(ctx),
    runtime_attribution: (attribution(b, "runtime") as string | undefined) ?? shell.runtime_attribution,
    refer_count: null,
    created: nextCreated(ctx.now),
    unset: unsetOf(b, VERSION_UNSET),
  });
  return ok(true);
}

function editDraft(ctx: CallerContext): Reply {
  const b = parseBody(versionBody, ctx);
  if (!b || !b.plugin_name || !b.version) return invalid();
  const v = getVersion(ctx, b.plugin_name, b.version);
  if (!v) return notFound(`Version ${b.version} of the plug-in ${b.plugin_name}`);
  if (v.version_attribution !== "draft") return invalid(`Version ${v.version} of the plug-in ${v.plugin_name} is released and cannot be edited.`);
  // The Terraform provider must send the version's unique_id to edit it.
  if (!uniqueIdAccepted(ctx, b.unique_id, v.unique_id)) return invalid("unique_id must be the draft's unique ID.");
  const c = content(ctx, b);
  if (!c) return invalid("input_info[].validation must be an ExtensionValidation in JSON.");
  versions(ctx).put(domainOf(ctx), versionKey(v.plugin_name, v.version), {
    ...v,
    ...c,
    runtime_attribution: (attribution(b, "runtime") as string | undefined) ?? v.runtime_attribution,
    unset: unsetOf(b, VERSION_UNSET),
    ...stamp(ctx),
  });
  return ok(true);
}

function publishDraft(ctx: CallerContext): Reply {
  const b = parseBody(publishDraftBody, ctx);
  if (!b || !b.plugin_name || !b.version) return invalid();
  const v = getVersion(ctx, b.plugin_name, b.version);
  if (!v) return notFound(`Version ${b.version} of the plug-in ${b.plugin_name}`);
  if (v.version_attribution !== "draft") return invalid(`Version ${v.version} of the plug-in ${v.plugin_name} is already released.`);
  versions(ctx).put(domainOf(ctx), versionKey(v.plugin_name, v.version), { ...v, version_attribution: "formal", ...stamp(ctx) });
  return ok(true);
}

/**
 * §4.9.7 "Releasing a Plug-in" and §4.9.8 "Binding a Plug-in to a Publisher" have the same body and
 * undocumented semantics. Here: both bind the plug-in to the publisher (a binding is per plug-in:
 * §4.9.15/§4.9.16 show one publisher per plug-in); §4.9.7 also releases a named draft version,
 * while §4.9.8 binds only a released one. `version` "" (both examples) names the plug-in as a whole.
 */
function publishOrBind(ctx: CallerContext, release: boolean): Reply {
  const b = parseBody(publishBody, ctx);
  if (!b || !b.plugin_name) return invalid();
  const shell = getPlugin(ctx, b.plugin_name);
  if (!shell) return notFound(`The plug-in ${b.plugin_name}`);
  const domain = domainOf(ctx);
  if (b.publisher_unique_id && !ctx.store.collection(PUBLISHERS).get(domain, b.publisher_unique_id)) return notFound("The publisher");
  if (b.version) {
    const v = getVersion(ctx, b.plugin_name, b.version);
    if (!v) return notFound(`Version ${b.version} of the plug-in ${b.plugin_name}`);
    if (v.version_attribution === "draft") {
      if (!release) return invalid(`Version ${v.version} of the plug-in ${v.plugin_name} is a draft; release it first.`);
      versions(ctx).put(domain, versionKey(v.plugin_name, v.version), { ...v, version_attribution: "formal", ...stamp(ctx) });
    }
  }
  if (b.publisher_unique_id) plugins(ctx).put(domain, shell.plugin_name, { ...shell, publisher_unique_id: b.publisher_unique_id });
  return ok(true);
}

/**
 * X11: what §4.9.11 delete-draft does to a version that is released, on which the reference is silent.
 * `refuse`: an error, nothing changed; `delete`: the released version is deleted as a draft would be;
 * `noop`: `true`, nothing changed.
 */
const RELEASED_DRAFT_DELETE: { [R in Reading<"X11">]: (ctx: CallerContext, shell: PluginRecord, v: VersionRecord) => Reply } = {
  refuse: (_ctx, _shell, v) => invalid(`Version ${v.version} of the plug-in ${v.plugin_name} is released; it is not a draft.`),
  delete: (ctx, shell, v) => removeVersion(ctx, shell, v),
  noop: () => ok(true),
};

function deleteDraft(ctx: CallerContext): Reply {
  const name = ctx.query.get("plugin_name");
  const version = ctx.query.get("version");
  if (!name || !version) return invalid();
  const shell = getPlugin(ctx, name);
  const v = getVersion(ctx, name, version);
  if (!shell || !v) return notFound(`Version ${version} of the plug-in ${name}`);
  if (v.version_attribution !== "draft") return RELEASED_DRAFT_DELETE[ctx.dialect.of("X11")](ctx, shell, v);
  return removeVersion(ctx, shell, v);
}

function uploadIcon(ctx: CallerContext): Reply {
  const file = uploadedFile(ctx);
  if ("status" in file) return file;
  // Like §4.9.10, the answer is a path for `icon_url`; the plug-in itself is not changed.
  const owner = ctx.query.get("plugin_name") || "default";
  return ok(iconPath(domainOf(ctx), owner, newHexId(), file.filename, "plugin"));
}

// ---- reads ----

/** PluginBasicVO (Table 4-395 order, examples' spellings), for the shell alone or one of its versions. */
function basicVo(ctx: CallerContext, p: PluginRecord, v: VersionRecord | undefined, uniqueId: string) {
  const unset = [...(p.unset ?? []), ...(v?.unset ?? []).filter((k) => k === "version_description")];
  return unsetReadBack(
    ctx.dialect,
    {
      plugin_name: p.plugin_name,
      display_name: p.display_name,
      version: v?.version ?? "",
      version_description: v?.version_description ?? null,
      description: p.description,
      version_attribution: v?.version_attribution ?? "init",
      unique_id: uniqueId,
      op_user: v?.op_user ?? p.op_user,
      op_time: v?.op_time ?? p.op_time,
      plugin_composition_type: p.plugin_composition_type,
      plugin_attribution: "custom",
      workspace_id: p.workspace_id,
      business_type: p.business_type,
      business_type_display_name: p.business_type_display_name,
      maintainers: p.maintainers,
      icon_url: p.icon_url,
      refer_count: v?.refer_count ?? null,
      usage_count: null,
      runtime_attribution: v?.runtime_attribution ?? p.runtime_attribution,
      active: 1,
    },
    unset,
    { ...pluginDefaults(p), ...VERSION_DEFAULTS },
  );
}

/** §4.9.17: one row per plug-in (its newest version, or "init"); every filter optional, names fuzzy. */
function queryAll(ctx: CallerContext): Reply {
  const page = pageParams(ctx);
  const b = ctx.rawBody.length === 0 ? {} : parseBody(queryAllBody, ctx);
  if (!page || !b) return invalid();
  const wanted = b.plugin_attribution ?? b.plugin_attribute;
  const rows = allPlugins(ctx)
    .filter(
      (p) =>
        fuzzy(p.plugin_name, b.plugin_name) &&
        (fuzzy(p.plugin_name, b.regex_name) || fuzzy(p.display_name, b.regex_name)) &&
        fuzzy(p.maintainers, b.maintainer) &&
        (!b.business_type || b.business_type.length === 0 || b.business_type.includes(p.business_type ?? "")) &&
        (!wanted || wanted === "custom"),
    )
    .map((p) => basicVo(ctx, p, versionsOf(ctx, p.plugin_name)[0], p.unique_id));
  return ok(paged(ctx, rows, page));
}

/** §4.9.21: the versions of the plug-ins whose name matches (fuzzy), one row each; "init" for a plug-in without versions. */
function queryVersions(ctx: CallerContext): Reply {
  const page = pageParams(ctx);
  if (!page) return invalid();
  const rows = allPlugins(ctx)
    .filter((p) => fuzzy(p.plugin_name, ctx.query.get("plugin_name")))
    .flatMap((p) => {
      const vs = versionsOf(ctx, p.plugin_name);
      return vs.length === 0 ? [basicVo(ctx, p, undefined, p.unique_id)] : vs.map((v) => basicVo(ctx, p, v, v.unique_id));
    });
  return ok(paged(ctx, rows, page));
}

function versionDetailVo(ctx: CallerContext, p: PluginRecord, v: VersionRecord) {
  // Table 4-431 order; `plugin_execution` as in the §4.9.22 example (its steps carry no identifier).
  return unsetReadBack(
    ctx.dialect,
    {
      plugin_name: v.plugin_name,
      display_name: p.display_name,
      op_user: v.op_user,
      op_time: v.op_time,
      version: v.version,
      unique_id: v.unique_id,
      version_description: v.version_description,
      version_attribution: v.version_attribution,
      plugin_composition_type: p.plugin_composition_type,
      plugin_attribution: "custom",
      input_info: v.input_info.map((i) => inputVo(p, v, i)),
      // X8: the detail tables list the execution; under `omitted` (the Terraform provider's experience) it is not returned.
      ...(ctx.dialect.is("X8", "omitted")
        ? {}
        : {
            plugin_execution: {
              logic_id: "",
              plugin_name: v.plugin_name,
              version: v.version,
              basic_instance_id: v.unique_id,
              workspace_id: p.workspace_id,
              execution_type: v.execution_type,
              steps: v.steps.map(({ identifier: _kept, ...step }) => step),
            },
          }),
      runtime_attribution: v.runtime_attribution,
    },
    v.unset,
    VERSION_DEFAULTS,
  );
}

function inputVo(p: PluginRecord, v: VersionRecord, i: InputRecord) {
  return {
    unique_id: i.unique_id,
    name: i.name,
    default_value: i.default_value,
    plugin_name: v.plugin_name,
    version: v.version,
    type: i.type,
    workspace_id: p.workspace_id,
    validation: i.validation,
    layout_content: i.layout_content,
  };
}

function versionDetail(ctx: CallerContext): Reply {
  const name = ctx.query.get("plugin_name");
  const version = ctx.query.get("version");
  const p = getPlugin(ctx, name);
  const v = getVersion(ctx, name, version);
  if (!p || !v) return notFound(`Version ${version ?? ""} of the plug-in ${name ?? ""}`);
  return ok(versionDetailVo(ctx, p, v));
}

/** §4.9.23, answered as its example: a bare array of version strings, newest first. */
function allVersions(ctx: CallerContext): Reply {
  const name = ctx.query.get("plugin_name");
  const page = pageParams(ctx);
  if (!page) return invalid();
  if (!getPlugin(ctx, name)) return notFound(`The plug-in ${name ?? ""}`);
  return ok(
    paged(
      ctx,
      versionsOf(ctx, name!).map((v) => v.version),
      page,
    ).data,
  );
}

/**
 * The official plug-in every example's steps run (§4.9.15, §4.9.19 examples), so catalogue reads
 * have an official entry; the emulator has no other official plug-ins.
 */
const OFFICIAL_SHELL = {
  plugin_name: "official_shell_plugin",
  display_name: "Executing the Shell",
  description: "Used to run user shell commands.",
  version: "0.0.2",
  business_type: "Normal",
  input: {
    unique_id: "aac7e571b0d4462ba7962ce1735c4ec3",
    name: "OFFICIAL_SHELL_SCRIPT_INPUT",
    default_value: "",
    type: "shell",
    workspace_id: "*",
    layout_content: null,
    validation: { required_message: null, regex: null, regex_message: null, max_length: null, min_length: null },
  },
};

interface CatalogueEntry {
  name: string;
  display_name: string | null;
  description: string | null;
  icon_url: string | null;
  business_type: string | null;
  plugin_attribution: "official" | "custom";
  composition: string;
  runtime: string;
  unique_id: string;
  publisher: string | null;
  released: boolean;
}

function catalogue(ctx: CallerContext): CatalogueEntry[] {
  const official: CatalogueEntry = {
    name: OFFICIAL_SHELL.plugin_name,
    display_name: OFFICIAL_SHELL.display_name,
    description: OFFICIAL_SHELL.description,
    icon_url: "",
    business_type: OFFICIAL_SHELL.business_type,
    plugin_attribution: "official",
    composition: "single",
    runtime: "agent",
    unique_id: OFFICIAL_SHELL.input.unique_id,
    publisher: null,
    released: true,
  };
  return [
    official,
    ...allPlugins(ctx).map((p) => ({
      name: p.plugin_name,
      display_name: p.display_name,
      description: p.description,
      icon_url: p.icon_url,
      business_type: p.business_type,
      plugin_attribution: "custom" as const,
      composition: p.plugin_composition_type,
      runtime: p.runtime_attribution,
      unique_id: p.unique_id,
      publisher: p.publisher_unique_id,
      released: versionsOf(ctx, p.plugin_name).some((v) => v.version_attribution === "formal"),
    })),
  ];
}

/** §4.9.15: every plug-in of the given attribution (all when none is given). */
function listBasic(ctx: CallerContext): Reply {
  const page = pageParams(ctx);
  if (!page) return invalid();
  const wanted = ctx.query.get("attribution");
  const rows = catalogue(ctx)
    .filter((c) => !wanted || c.plugin_attribution === wanted)
    .map((c) => ({
      name: c.name,
      display_name: c.display_name,
      plugin_attribution: c.plugin_attribution,
      icon_url: c.icon_url,
      description: c.description,
      // X4: the only example has every publisher_id null; under `null` it always is.
      publisher_id: ctx.dialect.is("X4", "null") ? null : c.publisher,
      manifest_version: "3",
    }));
  return ok(paged(ctx, rows, page));
}

function pluginsListItem(c: CatalogueEntry) {
  // Table 4-387 with the §4.9.16 example's spellings.
  return {
    unique_id: c.unique_id,
    display_name: c.display_name,
    plugin_name: c.name,
    disabled: false,
    group_name: null,
    group_type: null,
    plugin_attribution: c.plugin_attribution,
    plugin_composition_type: c.composition,
    runtime_attribution: c.runtime,
    all_steps: null,
    description: c.description,
    version_attribution: "formal",
    icon_url: c.icon_url,
    multi_step_editable: c.plugin_attribution === "custom" ? 1 : 0,
    location: "pipeline,service",
    publisher_unique_id: c.publisher,
    manifest_version: "3",
  };
}

/** Released plug-ins grouped by service type, as §4.9.14 / §4.9.16 answer them. */
function groups(entries: CatalogueEntry[]) {
  const display: Record<string, string> = { Build: "Build", Gate: "CodeCheck", Deploy: "Deploy", Test: "Test", Normal: "General" };
  return BUSINESS_TYPES.map((type) => ({ type, items: entries.filter((c) => c.business_type === type) }))
    .filter((g) => g.items.length > 0)
    .map((g) => ({
      plugins_list: g.items.map(pluginsListItem),
      display_name: display[g.type],
      business_type: g.type,
      unique_id: newHexId(),
      conditions: null,
      editable: false,
      removable: false,
      cloneable: false,
      disabled: false,
    }));
}

const optionalBody = z.object({ business_type: text, regex_name: text }).loose();

function stagePlugins(ctx: CallerContext): Reply {
  if (ctx.rawBody.length > 0 && !parseBody(optionalBody, ctx)) return invalid();
  return ok({ full_stage_plugins_item_list: groups(catalogue(ctx).filter((c) => c.released)) });
}

/** §4.9.16: `offset` and `limit` are mandatory Integers; they page the plug-ins, which are then grouped. */
function listOptional(ctx: CallerContext): Reply {
  const page = pageParams(ctx, true);
  const b = ctx.rawBody.length === 0 ? {} : parseBody(optionalBody, ctx);
  if (!page || !b) return invalid();
  const matching = catalogue(ctx).filter(
    (c) => c.released && (!b.business_type || c.business_type === b.business_type) && (fuzzy(c.name, b.regex_name) || fuzzy(c.display_name, b.regex_name)),
  );
  const p = paged(ctx, matching, page);
  return ok({ ...p, data: groups(p.data) });
}

/** §4.9.18–§4.9.20: body = a bare array of PluginPartQueryDTO; the answer is a bare array, one item per query. */
function partQuery(ctx: CallerContext, part: "metrics" | "input" | "output"): Reply {
  let json: unknown;
  try {
    json = JSON.parse(ctx.rawBody.toString("utf8") || "[]");
  } catch {
    return invalid();
  }
  const q = partQueryBody.safeParse(json);
  if (!q.success) return invalid();
  return ok(
    q.data.map((item) => {
      const name = item.plugin_name ?? "";
      let data: unknown[] = [];
      if (part === "input") {
        if (name === OFFICIAL_SHELL.plugin_name) {
          data = [{ ...OFFICIAL_SHELL.input, plugin_name: name, version: OFFICIAL_SHELL.version }];
        } else {
          const p = getPlugin(ctx, name);
          const v = item.version ? getVersion(ctx, name, item.version) : versionsOf(ctx, name).find((x) => x.version_attribution === "formal");
          if (p && v) data = v.input_info.map((i) => inputVo(p, v, i));
        }
      }
      // No emulated plug-in declares metrics or outputs.
      return { plugin_name: name, display_name: item.display_name ?? "", data };
    }),
  );
}

// ---- v3 packages ----

/**
 * The manifest in an uploaded package, or undefined when the file is not one. §4.9.29 says only "Plug-in
 * File" (X9): under `zip` a zip archive with `codearts-extension.json` at its root, under `json` that
 * manifest alone; either must declare what §4.9.30 answers, a version at least.
 */
function manifestIn(ctx: CallerContext, data: Buffer): z.output<typeof packageManifest> | undefined {
  let raw: Buffer | undefined = data;
  if (ctx.dialect.is("X9", "zip")) raw = readZip(data)?.get(MANIFEST)?.();
  if (!raw) return undefined;
  try {
    const m = packageManifest.safeParse(JSON.parse(raw.toString("utf8")));
    return m.success ? m.data : undefined;
  } catch {
    return undefined;
  }
}

/** §4.9.29: stores the package under the version it declares (the same version again replaces it). The plug-in must exist. */
function uploadPackage(ctx: CallerContext): Reply {
  const name = ctx.query.get("plugin_name");
  const type = ctx.query.get("business_type");
  if (!name || (type && !(BUSINESS_TYPES as readonly string[]).includes(type))) return invalid();
  const shell = getPlugin(ctx, name);
  if (!shell) return notFound(`The plug-in ${name}`);
  const file = uploadedFile(ctx);
  if ("status" in file) return file;
  const m = manifestIn(ctx, file.data);
  if (!m) return invalid("The plug-in package cannot be read.");
  const pkg: PackageRecord = {
    type: m.type ?? "Task",
    name,
    friendly_name: m.friendly_name ?? shell.display_name,
    category: m.category ?? type ?? shell.business_type,
    description: m.description ?? null,
    version: m.version,
    version_description: m.version_description ?? null,
    inputs: m.inputs ?? [],
    outputs: m.outputs ?? [],
    // What `sha256` hashes is not said: here the uploaded file (the provider does not depend on it).
    execution: { target: m.execution?.target ?? null, type: m.execution?.type ?? null, sha256: sha256(file.data) },
  };
  plugins(ctx).put(domainOf(ctx), name, { ...shell, packages: { ...shell.packages, [pkg.version]: pkg } });
  return ok(true);
}

/** §4.9.30. X10: `as-table` answers `execution` as the manifest declares it, `swapped` as the example (type and target exchanged). */
function packageDetail(ctx: CallerContext): Reply {
  const name = ctx.query.get("plugin_name");
  const version = ctx.query.get("version");
  const pkg = version ? getPlugin(ctx, name)?.packages[version] : undefined;
  if (!pkg) return notFound(`Version ${version ?? ""} of the plug-in ${name ?? ""}`);
  const e = pkg.execution;
  return ok(ctx.dialect.is("X10", "swapped") ? { ...pkg, execution: { type: e.target, target: e.type, sha256: e.sha256 } } : pkg);
}
