import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { z } from "zod";
import { containsUnknown, Context, PartialCreateError, ResourceKind, stableJson, UNKNOWN } from "../dynamic";
import { isTrue, object } from "../answers";
import { ApiError } from "../errors";
import { multipartFile } from "../multipart";
import { fileSha256, iconProblem, MANIFEST as MANIFEST_NAME, manifestOf, packageProblem, sha256 } from "../pluginPackage";
import { attributionOf, EXTENSION_NOT_FOUND, findPlugin, isAmbiguous, optionalText, orEmpty, PluginBasicVo, pluginsNamed, text, v1, v3 } from "./extensionCommon";

/**
 * Plugin — an extension plug-in's identity and basic information; its versions are PluginVersion
 * resources. The shell is created, updated and deleted through the v3 "basic plug-in" APIs
 * (CodeArts Pipeline API Reference §4.9.26 `extension/info/add`, §4.9.27 `info/update`, §4.9.28 `info/delete`): they are
 * the only APIs that create a plug-in without a version, and the §4.9.26 example's `basic_plugin`
 * is what the v1 listing shows with version "" / "init" (§4.9.17 example), so v1 versions attach
 * to it. It is read by exact name from the v1 listing (§4.9.17); the id is the plug-in name.
 * A basic (`single`) plug-in's package is uploaded by §4.9.29 and read back by §4.9.30; its icon by §4.9.9.
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
    /** A local image file uploaded as the plug-in's icon (§4.9.9); the path the upload answers becomes `icon_url`. */
    iconFile: z
      .string()
      .min(1, "must not be empty")
      .superRefine((path, issue) => {
        const problem = path === UNKNOWN ? undefined : iconProblem(path);
        if (problem) issue.addIssue({ code: "custom", message: problem });
      })
      .optional(),
    /** A local plug-in package (basic plug-ins only) uploaded by §4.9.29 on create and whenever its content changes. */
    packageFile: z
      .string()
      .min(1, "must not be empty")
      .superRefine((path, issue) => {
        const problem = path === UNKNOWN ? undefined : packageProblem(path);
        if (problem) issue.addIssue({ code: "custom", message: problem });
      })
      .optional(),
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
    if (v.iconFile !== undefined && v.iconUrl !== undefined) {
      issue.addIssue({ code: "custom", path: ["iconFile"], message: "cannot be combined with iconUrl: the uploaded icon's path becomes the icon URL" });
    }
    if (v.packageFile !== undefined && v.pluginCompositionType !== "single") {
      issue.addIssue({ code: "custom", path: ["packageFile"], message: "needs pluginCompositionType single: a package is a basic plug-in's (§4.9.29)" });
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
  iconFile?: string;
  /** SHA-256 of the icon file last uploaded; unset when the service shows another icon (then `up` uploads again). */
  iconSha256?: string;
  /** Where the service keeps the uploaded icon (the `icon_url` sent). */
  iconPath?: string;
  packageFile?: string;
  /** SHA-256 of the package file last uploaded; unset when the service holds another package (then `up` uploads again). */
  packageSha256?: string;
  /** `execution.sha256` as §4.9.30 answers it for the package uploaded (compared on refresh, whatever it hashes). */
  packageDigest?: string;
  /** The version, inputs and outputs the package declares, as §4.9.30 reads them back. */
  packageVersion?: string;
  packageInputs?: Record<string, unknown>[];
  packageOutputs?: Record<string, unknown>[];
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

/** A declared file as diff compares it: its path and the hash of its content. */
const fileMark = (path: unknown, hash: unknown): unknown => (typeof path === "string" && path !== UNKNOWN ? `${path} (sha256 ${typeof hash === "string" ? hash : "none"})` : path);

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
    // With an icon file the icon URL is the upload's path, not a declared URL.
    iconUrl: typeof state.iconFile === "string" ? undefined : text(vo.icon_url),
    iconFile: typeof state.iconFile === "string" ? state.iconFile : undefined,
    packageFile: typeof state.packageFile === "string" ? state.packageFile : undefined,
    maintainers: unlessDefault(state, "maintainers", decodeMaintainers(vo.maintainers), (m) => m.length === 1 && [text(vo.op_user), text(state.opUser)].includes(m[0])),
    isPrivate: typeof state.isPrivate === "number" ? state.isPrivate : undefined,
    runtimeAttribution: attributionOf(vo, "runtime") ?? "agent",
    pluginCompositionType: composition,
  };
}

/** What the uploads recorded: the icon's and the package's. */
type IconState = Pick<PluginOutputs, "iconSha256" | "iconPath">;
type PackageState = Pick<PluginOutputs, "packageSha256" | "packageDigest" | "packageVersion" | "packageInputs" | "packageOutputs">;
const FILE_OUTPUTS = ["iconSha256", "iconPath", "packageSha256", "packageDigest", "packageVersion", "packageInputs", "packageOutputs"] as const;
const filesOf = (o: Record<string, unknown>): IconState & PackageState => Object.fromEntries(FILE_OUTPUTS.map((k) => [k, o[k]])) as IconState & PackageState;

function toOutputs(vo: PluginBasicVo | undefined, inputs: PluginInputs, files: IconState & PackageState = {}): PluginOutputs {
  return {
    ...declared(inputs),
    ...files,
    uniqueId: text(vo?.unique_id),
    pluginAttribution: vo && attributionOf(vo, "plugin"),
    latestVersion: text(vo?.version),
    versionAttribution: vo && attributionOf(vo, "version"),
    opUser: text(vo?.op_user),
    opTime: text(vo?.op_time),
    workspaceId: text(vo?.workspace_id),
  };
}

/** §4.9.9: uploads the icon; its path (a bare string) becomes the plug-in's `icon_url`. */
async function uploadIcon(ctx: Context, name: string, file: string): Promise<Required<IconState>> {
  const bytes = readFileSync(file);
  const res = await ctx.client.send<unknown>({
    service: "pipeline",
    method: "POST",
    path: `${await v1(ctx)}/common/upload-plugin-icon`,
    query: { plugin_name: name },
    rawBody: multipartFile("upload_file", basename(file), bytes),
    operation: "Plugin.uploadIcon",
    answer: z.string().min(1, "must be the icon's path"),
    resource: name,
    idempotent: true, // a stored file nothing refers to until the info update sends its path
  });
  if (typeof res.body !== "string" || res.body === "") throw new Error(`Plugin "${name}": the icon upload answered no path`);
  return { iconPath: res.body, iconSha256: sha256(bytes) };
}

/** §4.9.30 as far as the provider reads it (Table 4-470). */
interface PackageDetail {
  version?: string | null;
  inputs?: Record<string, unknown>[] | null;
  outputs?: Record<string, unknown>[] | null;
  execution?: { sha256?: string | null } | null;
}

/** §4.9.30: one version of the plug-in's package, or undefined when the service proves it absent. */
async function packageDetail(ctx: Context, name: string, version: string): Promise<PackageDetail | undefined> {
  try {
    const res = await ctx.client.send<PackageDetail>({
      service: "pipeline",
      method: "GET",
      path: `${await v3(ctx)}/extension/detail`,
      query: { plugin_name: name, version },
      operation: "Plugin.packageDetail",
      answer: object({
        version: z.literal(version, { error: "must be the version asked for" }),
        inputs: z.array(object({})).nullish(),
        outputs: z.array(object({})).nullish(),
        execution: object({ sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, "must be a SHA-256 in hexadecimal") }),
      }),
      resource: name,
      idempotent: true, // a read
    });
    return res.body;
  } catch (e) {
    if (e instanceof ApiError && e.provesAbsence(EXTENSION_NOT_FOUND)) return undefined;
    throw e;
  }
}

const fromDetail = (d: PackageDetail): Omit<PackageState, "packageSha256"> => ({
  packageDigest: text(d.execution?.sha256),
  packageVersion: text(d.version),
  packageInputs: d.inputs ?? [],
  packageOutputs: d.outputs ?? [],
});

/**
 * §4.9.29, then §4.9.30 for what the service made of it. The file is read once: what is hashed is what
 * is sent. A refusal names X9 (the package's form is not documented), never the file's content.
 */
async function uploadPackage(ctx: Context, inputs: PluginInputs, file: string): Promise<PackageState> {
  const name = inputs.pluginName;
  const bytes = readFileSync(file);
  const m = manifestOf(bytes);
  if ("problem" in m) throw new Error(`Plugin "${name}": packageFile changed since the preview and is no longer a plug-in package (${m.problem})`);
  try {
    await ctx.client.send({
      service: "pipeline",
      method: "POST",
      path: `${await v3(ctx)}/extension/upload`,
      query: { plugin_name: name, business_type: inputs.businessType },
      rawBody: multipartFile("upload_file", basename(file), bytes),
      operation: "Plugin.upload",
      answer: isTrue,
      resource: name,
      idempotent: true, // the same package again replaces that version with itself
    });
  } catch (e) {
    if (e instanceof ApiError && !isAmbiguous(e) && e.status < 500 && e.status !== 401 && e.status !== 403 && e.status !== 429) {
      const other = m.form === "zip" ? "the manifest alone (X9 `json`)" : `a zip with ${MANIFEST_NAME} at its root (X9 \`zip\`)`;
      throw new Error(
        `Plugin "${name}": the service refused the package (${e.message}); the references do not say what a package is (ambiguity X9): this service may take ${other}`,
        { cause: e },
      );
    }
    throw e;
  }
  const d = await packageDetail(ctx, name, m.manifest.version);
  if (!d) throw new Error(`Plugin "${name}": the package upload answered true, but §4.9.30 shows no version ${m.manifest.version}`);
  return { packageSha256: sha256(bytes), ...fromDetail(d) };
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

  // A file is compared by its content: the declared side hashes the file now (no API call), the state
  // side is the hash of what was uploaded, unset when the service shows something else.
  diffView: (props, side) => ({
    ...props,
    iconFile: fileMark(props.iconFile, side === "declared" ? fileSha256(props.iconFile) : props.iconSha256),
    packageFile: fileMark(props.packageFile, side === "declared" ? fileSha256(props.packageFile) : props.packageSha256),
  }),

  async create(ctx, inputs) {
    const name = inputs.pluginName;
    // The icon first: its path is the `icon_url` the add sends.
    const icon: IconState = inputs.iconFile ? await uploadIcon(ctx, name, inputs.iconFile) : {};
    await ctx.client.send({
      service: "pipeline",
      method: "POST",
      path: `${await v3(ctx)}/extension/info/add`,
      body: infoBody({ ...inputs, iconUrl: icon.iconPath }),
      operation: "Plugin.create",
      answer: isTrue,
      resource: name,
    });
    let vo: PluginBasicVo | undefined;
    try {
      vo = await find(ctx, name);
    } catch (e) {
      throw new PartialCreateError(name, toOutputs(undefined, inputs, icon), e);
    }
    if (!vo) throw new PartialCreateError(name, toOutputs(undefined, inputs, icon), new Error(`Plugin "${name}": created, but the listing does not show it yet`));
    let pkg: PackageState = {};
    try {
      if (inputs.packageFile) pkg = await uploadPackage(ctx, inputs, inputs.packageFile);
    } catch (e) {
      // The plug-in exists without its package: kept in the state with none, so the next up uploads it.
      throw new PartialCreateError(name, toOutputs(vo, inputs, icon), e);
    }
    return { id: name, outs: toOutputs(vo, inputs, { ...icon, ...pkg }) };
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
    const files = filesOf(state);
    // An icon the service no longer shows (changed out of band) is not the file's: the next up uploads it again.
    if (inputs.iconFile && text(vo.icon_url) !== files.iconPath) Object.assign(files, { iconSha256: undefined, iconPath: text(vo.icon_url) });
    if (!inputs.iconFile) Object.assign(files, { iconSha256: undefined, iconPath: undefined });
    if (inputs.packageFile && files.packageVersion) {
      // X9: whatever `execution.sha256` hashes, it is compared with what the service answered for our own upload.
      const d = await packageDetail(ctx, id, files.packageVersion);
      const now = d ? fromDetail(d) : { packageDigest: undefined, packageVersion: undefined, packageInputs: undefined, packageOutputs: undefined };
      Object.assign(files, now, now.packageDigest === files.packageDigest && now.packageDigest !== undefined ? {} : { packageSha256: undefined });
    }
    return { outs: toOutputs(vo, inputs, files), inputs };
  },

  async update(ctx, id, olds, news) {
    // X6: under the `required` reading the update must carry the plug-in's own unique_id. The state's may
    // be stale (the plug-in re-made out of band under the same name), so it is read now.
    const now = await find(ctx, id);
    if (!now) throw new Error(`Plugin "${id}" no longer exists; run \`pulumi refresh\` to drop it from the state, then \`pulumi up\` re-creates it`);
    const uniqueId = text(now.unique_id) ?? (typeof olds.uniqueId === "string" ? olds.uniqueId : undefined);
    const recorded = filesOf(olds);
    const icon: IconState = !news.iconFile
      ? {}
      : news.iconFile === olds.iconFile && recorded.iconSha256 !== undefined && recorded.iconSha256 === fileSha256(news.iconFile)
        ? { iconSha256: recorded.iconSha256, iconPath: recorded.iconPath }
        : await uploadIcon(ctx, id, news.iconFile);
    const body = infoBody({ ...news, pluginName: id, iconUrl: news.iconFile ? icon.iconPath : news.iconUrl }, uniqueId);
    // Only the package changed: the information is as the service has it, so no info update is sent.
    const before = infoBody({ ...inputsFrom(now, olds), pluginName: id, iconUrl: text(now.icon_url) }, uniqueId);
    if (stableJson(body) !== stableJson(before)) {
      await ctx.client.send({
        service: "pipeline",
        method: "POST",
        path: `${await v3(ctx)}/extension/info/update`,
        body,
        operation: "Plugin.update",
        answer: isTrue,
        resource: id,
        idempotent: true, // setting the same information twice is harmless
      });
    }
    // No API removes a package: a package no longer declared stays on the service, and leaves the state.
    const pkg: PackageState = !news.packageFile
      ? {}
      : news.packageFile === olds.packageFile && recorded.packageSha256 !== undefined && recorded.packageSha256 === fileSha256(news.packageFile)
        ? {
            packageSha256: recorded.packageSha256,
            packageDigest: recorded.packageDigest,
            packageVersion: recorded.packageVersion,
            packageInputs: recorded.packageInputs,
            packageOutputs: recorded.packageOutputs,
          }
        : await uploadPackage(ctx, { ...news, pluginName: id }, news.packageFile);
    // Built from the declaration, not merged into olds: a property removed from the program is gone from the state too.
    const { pluginAttribution, latestVersion, versionAttribution, opUser, opTime, workspaceId } = olds;
    return { ...declared(news), ...icon, ...pkg, pluginName: id, uniqueId, pluginAttribution, latestVersion, versionAttribution, opUser, opTime, workspaceId };
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
