import { z } from "zod";
import { containsUnknown, Context, PartialCreateError, ResourceKind } from "../dynamic";
import { isTrue } from "../answers";
import { ApiError } from "../errors";
import { attributionOf, EXTENSION_NOT_FOUND, findPlugin, optionalText, orEmpty, PluginBasicVo, pluginsNamed, text, v3 } from "./extensionCommon";

/**
 * Plugin — an extension plug-in's identity and basic information; its versions are PluginVersion
 * resources. The shell is created, updated and deleted through the v3 "basic plug-in" APIs
 * (CodeArts Pipeline API Reference §4.9.26 `extension/info/add`, §4.9.27 `info/update`, §4.9.28 `info/delete`): they are
 * the only APIs that create a plug-in without a version, and the §4.9.26 example's `basic_plugin`
 * is what the v1 listing shows with version "" / "init" (§4.9.17 example), so v1 versions attach
 * to it. It is read by exact name from the v1 listing (§4.9.17); the id is the plug-in name.
 */
export const BUSINESS_TYPES = ["Build", "Gate", "Deploy", "Test", "Normal"] as const;

export const pluginSchema = z
  .strictObject({
    /** The plug-in's identity (the APIs address it by name); a new name is a new plug-in. */
    pluginName: z.string().min(1, "must not be empty"),
    displayName: z.string().min(1, "must not be empty"),
    businessType: z.enum(BUSINESS_TYPES, {
      error: (i) => (i.input === undefined ? "is required" : "must be one of Build, Gate, Deploy, Test, Normal (the service types of CodeArts Pipeline API Reference §4.9.17)"),
    }),
    /** What the console shows for the service type, e.g. "General" for Normal, "CodeCheck" for Gate (§4.9.17 example). */
    businessTypeDisplayName: optionalText(),
    description: optionalText(),
    iconUrl: optionalText(),
    /** User ids; the API keeps them as one JSON-encoded string (§4.9.21 example). */
    maintainers: z
      .array(z.string().min(1, "must not be empty"))
      .optional()
      .transform((m) => (m && m.length > 0 ? m : undefined)),
    /** `is_private` (Integer, §4.9.26); the listings do not return it. */
    isPrivate: z.number().int("must be an integer").optional(),
    /** "agent" in every example. */
    runtimeAttribution: z.string().min(1, "must not be empty").default("agent"),
    /** "single" (the §4.9.26 example) or "multi". */
    pluginCompositionType: z.enum(["single", "multi"], "must be single or multi").default("single"),
    /** Name of an existing plug-in to take under management instead of creating one; must equal pluginName. */
    adoptId: z.string().min(1, "must not be empty").optional(),
  })
  .superRefine((v, issue) => {
    if (v.adoptId !== undefined && !containsUnknown(v.pluginName) && v.adoptId !== v.pluginName) {
      issue.addIssue({ code: "custom", path: ["adoptId"], message: "must equal pluginName (a plug-in is identified by its name)" });
    }
  });
export type PluginInputs = z.output<typeof pluginSchema>;

export interface PluginOutputs extends Record<string, unknown> {
  pluginName: string;
  displayName: string;
  businessType: PluginInputs["businessType"];
  businessTypeDisplayName?: string;
  description?: string;
  iconUrl?: string;
  maintainers?: string[];
  isPrivate?: number;
  runtimeAttribution: string;
  pluginCompositionType: "single" | "multi";
  uniqueId?: string;
  pluginAttribution?: string;
  /** The newest version and its state ("init" while there is none, "draft", "formal"). */
  latestVersion?: string;
  versionAttribution?: string;
  opUser?: string;
  opTime?: string;
  workspaceId?: string;
}

/** `maintainers` is a JSON-encoded array of user ids in a String ("" when unset). */
export function decodeMaintainers(raw: unknown): string[] | undefined {
  const s = text(raw);
  if (s === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(s);
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v.length > 0 ? v : undefined;
  } catch {
    // a plain user id
  }
  return [s];
}

/** The §4.9.26/§4.9.27 body, with the examples' keys: unset text as "", `runtime_attribution` as the examples spell it. Also the conformance probes'. */
export function infoBody(i: PluginInputs, uniqueId?: string) {
  return {
    ...(uniqueId ? { unique_id: uniqueId } : {}),
    plugin_name: i.pluginName,
    display_name: i.displayName,
    business_type: i.businessType,
    description: orEmpty(i.description),
    maintainers: i.maintainers ? JSON.stringify(i.maintainers) : "",
    business_type_display_name: orEmpty(i.businessTypeDisplayName),
    icon_url: orEmpty(i.iconUrl),
    plugin_composition_type: i.pluginCompositionType,
    runtime_attribution: i.runtimeAttribution,
    ...(i.isPrivate !== undefined ? { is_private: i.isPrivate } : {}),
  };
}

const declared = (i: PluginInputs) => {
  const { adoptId: _create, ...rest } = i;
  return rest;
};

/** What the console shows for each service type (the §4.9.16/§4.9.17 examples: "General" for Normal, "CodeCheck" for Gate). */
const SERVICE_TYPE_NAMES: Record<string, string> = { Build: "Build", Gate: "CodeCheck", Deploy: "Deploy", Test: "Test", Normal: "General" };

/**
 * L5: a field the program left unset (`state` has none) reads back null, absent, "" or a service default
 * (the service type's display name; the creator, the plug-in's op_user, as its one maintainer): all read
 * as "unset", so no reading makes a perpetual diff or blocks an adoption. A declared value is compared as read.
 */
function unlessDefault<T>(state: Record<string, unknown>, key: string, read: T | undefined, isDefault: (v: T) => boolean): T | undefined {
  return read !== undefined && state[key] === undefined && isDefault(read) ? undefined : read;
}

/** What a program would declare to get this plug-in; `isPrivate` is not in any answer and keeps the state's value. */
function inputsFrom(vo: PluginBasicVo, state: Record<string, unknown>): PluginInputs {
  const business = (BUSINESS_TYPES as readonly string[]).includes(vo.business_type ?? "") ? (vo.business_type as PluginInputs["businessType"]) : undefined;
  const composition = vo.plugin_composition_type === "multi" ? "multi" : "single";
  return {
    pluginName: vo.plugin_name,
    displayName: text(vo.display_name) as string,
    businessType: business as PluginInputs["businessType"],
    businessTypeDisplayName: unlessDefault(state, "businessTypeDisplayName", text(vo.business_type_display_name), (v) => v === SERVICE_TYPE_NAMES[business ?? ""]),
    description: text(vo.description),
    iconUrl: text(vo.icon_url),
    maintainers: unlessDefault(state, "maintainers", decodeMaintainers(vo.maintainers), (m) => m.length === 1 && [text(vo.op_user), text(state.opUser)].includes(m[0])),
    isPrivate: typeof state.isPrivate === "number" ? state.isPrivate : undefined,
    runtimeAttribution: attributionOf(vo, "runtime") ?? "agent",
    pluginCompositionType: composition,
  };
}

function toOutputs(vo: PluginBasicVo | undefined, inputs: PluginInputs): PluginOutputs {
  return {
    ...declared(inputs),
    uniqueId: text(vo?.unique_id),
    pluginAttribution: vo && attributionOf(vo, "plugin"),
    latestVersion: text(vo?.version),
    versionAttribution: vo && attributionOf(vo, "version"),
    opUser: text(vo?.op_user),
    opTime: text(vo?.op_time),
    workspaceId: text(vo?.workspace_id),
  };
}

async function find(ctx: Context, name: string): Promise<PluginBasicVo | undefined> {
  try {
    return await findPlugin(ctx, name);
  } catch (e) {
    if (e instanceof ApiError && e.provesAbsence(EXTENSION_NOT_FOUND)) return undefined;
    throw e;
  }
}

export const plugin: ResourceKind<typeof pluginSchema, PluginOutputs> = {
  name: "Plugin",
  schema: pluginSchema,
  replaceOn: ["pluginName"],
  replaceWhy: { pluginName: "a plug-in is identified by its name; no API renames one" },
  notFoundCodes: EXTENSION_NOT_FOUND,
  // The last operation on the plug-in (an update answers only `true`, so it is not read back), and its
  // newest version, which a PluginVersion creating, publishing or deleting one moves on.
  serviceMaintained: ["opUser", "opTime", "latestVersion", "versionAttribution"],

  async create(ctx, inputs) {
    const name = inputs.pluginName;
    await ctx.client.send({
      service: "pipeline",
      method: "POST",
      path: `${await v3(ctx)}/extension/info/add`,
      body: infoBody(inputs),
      operation: "Plugin.create",
      answer: isTrue,
      resource: name,
    });
    let vo: PluginBasicVo | undefined;
    try {
      vo = await find(ctx, name);
    } catch (e) {
      throw new PartialCreateError(name, toOutputs(undefined, inputs), e);
    }
    if (!vo) throw new PartialCreateError(name, toOutputs(undefined, inputs), new Error(`Plugin "${name}": created, but the listing does not show it yet`));
    return { id: name, outs: toOutputs(vo, inputs) };
  },

  // Plug-in names are unique (the add refuses a taken one): after an ambiguous add, the listing tells
  // whether it was made; if so the glue reads it and converges it on the inputs.
  naturalKey: {
    unique: true,
    find: async (ctx, inputs) => ((await find(ctx, inputs.pluginName)) ? [inputs.pluginName] : []),
  },

  // Its versions first (X1: deleting a plug-in takes every version with it), publishers after.
  sweep: {
    after: ["PluginVersion"],
    list: async (ctx, { prefix }) => (await pluginsNamed(ctx, prefix)).map((p) => ({ id: p.plugin_name, name: p.plugin_name, state: {} })),
  },

  async read(ctx, id, state) {
    const vo = await find(ctx, id);
    if (!vo) return undefined;
    const inputs = inputsFrom(vo, state);
    return { outs: toOutputs(vo, inputs), inputs };
  },

  async update(ctx, id, olds, news) {
    // X6: under the `required` reading the update must carry the plug-in's own unique_id. The state's may
    // be stale (the plug-in re-made out of band under the same name), so it is read now.
    const now = await find(ctx, id);
    if (!now) throw new Error(`Plugin "${id}" no longer exists; run \`pulumi refresh\` to drop it from the state, then \`pulumi up\` re-creates it`);
    const uniqueId = text(now.unique_id) ?? (typeof olds.uniqueId === "string" ? olds.uniqueId : undefined);
    await ctx.client.send({
      service: "pipeline",
      method: "POST",
      path: `${await v3(ctx)}/extension/info/update`,
      body: infoBody({ ...news, pluginName: id }, uniqueId),
      operation: "Plugin.update",
      answer: isTrue,
      resource: id,
      idempotent: true, // setting the same information twice is harmless
    });
    // Built from the declaration, not merged into olds: a property removed from the program is gone from the state too.
    const { pluginAttribution, latestVersion, versionAttribution, opUser, opTime, workspaceId } = olds;
    return { ...declared(news), pluginName: id, uniqueId, pluginAttribution, latestVersion, versionAttribution, opUser, opTime, workspaceId };
  },

  async delete(ctx, id) {
    await ctx.client.send({
      service: "pipeline",
      method: "DELETE",
      path: `${await v3(ctx)}/extension/info/delete`,
      // `type=all` as in the §4.9.28 example (the table documents only plugin_name).
      query: { plugin_name: id, type: "all" },
      operation: "Plugin.delete",
      answer: isTrue,
      resource: id,
    });
  },
};
