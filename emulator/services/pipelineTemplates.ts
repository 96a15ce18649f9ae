import { z } from "zod";
import { newHexId } from "../ids";
import type { CallerContext, Reply, Router } from "../router";
import type { Store } from "../store";
import { jsonObject } from "./json";
import { unsetReadBack } from "./unset";
import { invalidParameter, pipelineError, pipelineRoute } from "./pipelineCommon";
import { listWindow } from "./listing";
import { nameExists, nameTaken } from "./names";

/**
 * CodeArts Pipeline templates (CodeArts Pipeline API Reference §4.1), per tenant (the account's domain id). Quirks kept:
 * the id comes back as camelCase `templateId` from create and update and as `templatelId` from
 * delete (the §4.1.2/§4.1.4/§4.1.5 examples), a missing template is HTTP 400 DEVCP.00021006 (§5.2),
 * list paging travels in the POST body, and the stored `definition` is re-serialised by the service
 * (sorted keys, ", " and ": " separators, as in the §4.1.4 example), so it never comes back byte for
 * byte as sent.
 */
export function registerPipelineTemplates(router: Router): void {
  const base = "/v5/{tenant_id}/api/pipeline-templates";
  pipelineRoute(router, "POST", `${base}/list`, "PipelineTemplate.list", list);
  pipelineRoute(router, "POST", base, "PipelineTemplate.create", create);
  pipelineRoute(router, "GET", `${base}/{template_id}`, "PipelineTemplate.get", get);
  pipelineRoute(router, "PUT", `${base}/{template_id}`, "PipelineTemplate.update", update);
  pipelineRoute(router, "DELETE", `${base}/{template_id}`, "PipelineTemplate.delete", remove);
}

// ---------------------------------------------------------------------------------------------
// Shapes shared with the pipelines service.

/** The twelve CustomVariable fields (Tables 4-10, 4-15, 4-92), in table order. */
const VARIABLE_FIELDS = [
  "pipeline_id",
  "name",
  "sequence",
  "type",
  "value",
  "is_secret",
  "description",
  "is_runtime",
  "limits",
  "is_reset",
  "latest_value",
  "runtime_value",
] as const;
export type CustomVariableVo = Record<(typeof VARIABLE_FIELDS)[number], unknown>;

/** "Integer" in the tables is a 32-bit integer. */
export const int32 = z.number().int().min(-2147483648).max(2147483647);
/** "Long": a JSON integer. */
export const long = z.number().int();
/** A mandatory String the service refuses blank, as it does group names (§4.3). */
export const nonBlank = z.string().refine((s) => s.trim() !== "");

/** CustomVariable (Table 4-10 / 4-92): every field optional, typed; `limits` is an array of objects. */
export const customVariable = z.object({
  pipeline_id: z.string().nullish(),
  name: z.string().nullish(),
  sequence: int32.nullish(),
  type: z.string().nullish(),
  value: z.string().nullish(),
  is_secret: z.boolean().nullish(),
  description: z.string().nullish(),
  is_runtime: z.boolean().nullish(),
  limits: z.array(z.record(z.string(), z.unknown())).nullish(),
  is_reset: z.boolean().nullish(),
  latest_value: z.string().nullish(),
  runtime_value: z.string().nullish(),
});

/** As the service answers a variable: every documented field present, null where none was given (§4.1.3). */
export function variableVo(v: Record<string, unknown>): CustomVariableVo {
  return Object.fromEntries(VARIABLE_FIELDS.map((k) => [k, v[k] ?? null])) as CustomVariableVo;
}

/** A definition the service accepts: a JSON object (the orchestration JSON), or undefined. */
export const parseDefinition = (text: string): Record<string, unknown> | undefined => jsonObject(Buffer.from(text, "utf8"));

/** The service's own serialisation of a definition: keys sorted, ", " and ": " separators. */
export function serviceFormat(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(serviceFormat).join(", ")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}: ${serviceFormat(o[k])}`).join(", ")}}`;
  }
  return JSON.stringify(v);
}

/** The template-not-found answer of §5.2: HTTP 400, unlike the Pipeline errors that come with 200. */
export const templateNotFound = (): Reply => ({
  status: 400,
  body: { error_msg: "The template does not exist.", error_code: "DEVCP.00021006" },
});

// ---------------------------------------------------------------------------------------------

/** PipelineTemplate detail (Table 4-14), as stored. */
export interface TemplateRecord {
  id: string;
  name: string;
  icon: string | null;
  manifest_version: string;
  language: string;
  description: string;
  is_system: boolean;
  region: string;
  domain_id: string;
  variables: CustomVariableVo[];
  creator_id: string;
  creator_name: string;
  updater_id: string;
  create_time: number;
  update_time: number;
  is_collect: boolean | null;
  is_show_source: boolean | null;
  /** As sent (L4 `verbatim`) or in the service's format (`normalised`: storedDefinition). */
  definition: string;
  /** Fields the caller left unset (L5: read back per unsetReadBack). */
  unset?: string[];
}

const TEMPLATES = "pipelineTemplates";

/**
 * The built-in system templates every tenant sees (the §4.1.1 example's, with `domain_id` and
 * `region` "system"). They can be read and used to create pipelines, not changed.
 */
const systemTemplate = (id: string, name: string, icon: string | null, language: string, description: string, stages: string[]): TemplateRecord => ({
  id,
  name,
  icon,
  manifest_version: "3.0",
  language,
  description,
  is_system: true,
  region: "system",
  domain_id: "system",
  variables: [],
  creator_id: "system",
  creator_name: "system",
  updater_id: id,
  create_time: 1671172288000,
  update_time: 1677640980000,
  is_collect: true,
  is_show_source: null,
  definition: serviceFormat({
    stages: stages.map((name, sequence) => ({
      name,
      sequence,
      identifier: `${id}-${sequence}`,
      jobs: [{ name: `${name} job`, identifier: `${id}-${sequence}-job`, sequence: 0, steps: [] }],
      pre: [{ task: "official_devcloud_autoTrigger", sequence: 0 }],
      post: null,
      depends_on: [],
      run_always: false,
    })),
  }),
});
const SYSTEM_TEMPLATES: readonly TemplateRecord[] = [
  systemTemplate("e908740fe06e44a28f30c0f3c81b2ad5", "Serverless-maven Compilation and Deployment", "maven60", "Java", "Use Maven to build and deploy serverless project code.", [
    "Build and Check",
    "Deployment and Test",
  ]),
  systemTemplate(
    "ac3b3b9a6cb64ef6b732c8f8459ab578",
    "Building a Container Image on a Node",
    "npm60",
    "Node.js",
    "Use nodes to build container images and push them to SWR for storage.",
    ["Build"],
  ),
  systemTemplate("8ea4d170ba0d45d9b1b647a9780ebcf8", "Get Started", null, "java", "Pipeline template for beginners", ["Code check", "Build Phase", "Deployment and Publish"]),
];

/** A template a tenant can see: its own or a system one (also used by create-pipeline, §4.2.8). */
export function findTemplate(store: Store, domainId: string, id: string): TemplateRecord | undefined {
  return store.collection<TemplateRecord>(TEMPLATES).get(domainId, id) ?? SYSTEM_TEMPLATES.find((t) => t.id === id);
}

const ok = (body: unknown): Reply => ({ status: 200, body });

// Mandatory fields of Tables 4-9 / 4-19 with their types; `domain_id` must be the path's tenant.
// The definition must be the "orchestration JSON, including stages": a JSON object with a stages array.
const templateBody = z.object({
  name: nonBlank,
  description: z.string().nullish(),
  language: nonBlank,
  variables: z.array(customVariable).nullish(),
  definition: z.string().refine((s) => Array.isArray(parseDefinition(s)?.stages)),
  is_system: z.boolean(),
  domain_id: z.string(),
  is_show_source: z.boolean(),
});
type TemplateBody = z.infer<typeof templateBody>;

/** Table 4-2; the §4.1.1 example sends `"is_system": ""`, which means no filter. */
const listBody = z.object({
  language: z.string().nullish(),
  is_system: z.union([z.boolean(), z.literal("")]).nullish(),
  name: z.string().nullish(),
  offset: long.min(0).nullish(),
  limit: long.min(0).nullish(),
  sort_key: z.enum(["name", "create_time"]).nullish(),
  sort_dir: z
    .string()
    .toLowerCase()
    .pipe(z.enum(["asc", "desc"]))
    .nullish(),
});
/** No default page size is documented (§4.1.1, §4.2.4, §4.2.7); this is the emulator's. */
export const DEFAULT_LIMIT = 10;

function parseBody(ctx: CallerContext): TemplateBody | undefined {
  const body = templateBody.safeParse(jsonObject(ctx.rawBody));
  return body.success && body.data.domain_id === ctx.params.tenant_id ? body.data : undefined;
}

/** Service defaults of a template's optional fields (L5 `defaults`). */
const TEMPLATE_DEFAULTS = { description: "", variables: [] };

/**
 * L4: the definition as stored. `verbatim`: the text as sent (the §4.1.3 example keeps unsorted keys and
 * mixed "0"/0). `normalised`: the service rewrites it: keys sorted, ", " and ": " separators, numeric
 * `sequence` strings made numbers, null members dropped.
 */
function storedDefinition(ctx: CallerContext, text: string): string {
  if (ctx.dialect.is("L4", "verbatim")) return text;
  const normalise = (v: unknown, key?: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => normalise(x));
    if (v !== null && typeof v === "object")
      return Object.fromEntries(
        Object.entries(v)
          .filter(([, x]) => x !== null)
          .map(([k, x]) => [k, normalise(x, k)]),
      );
    if (key === "sequence" && typeof v === "string" && /^\d+$/.test(v)) return Number(v);
    return v;
  };
  return serviceFormat(normalise(parseDefinition(text)));
}

function fromBody(
  ctx: CallerContext,
  b: TemplateBody,
): Pick<TemplateRecord, "name" | "description" | "language" | "variables" | "definition" | "is_system" | "is_show_source" | "unset"> {
  return {
    name: b.name,
    description: b.description ?? "",
    language: b.language,
    variables: (b.variables ?? []).map(variableVo),
    definition: storedDefinition(ctx, b.definition),
    unset: (["description", "variables"] as const).filter((k) => b[k] === undefined || b[k] === null),
    is_system: b.is_system,
    is_show_source: b.is_show_source,
  };
}

function create(ctx: CallerContext): Reply {
  const body = parseBody(ctx);
  if (!body) return invalidParameter();
  const tenant = ctx.params.tenant_id;
  const now = ctx.now.getTime();
  const t: TemplateRecord = {
    id: newHexId(),
    icon: null,
    manifest_version: "3.0",
    region: ctx.caller.account.iamProjects[0].name,
    domain_id: tenant,
    creator_id: ctx.caller.user.id,
    creator_name: ctx.caller.user.name,
    updater_id: ctx.caller.user.id,
    create_time: now,
    update_time: now,
    is_collect: null,
    ...fromBody(ctx, body),
  };
  if (nameTaken(ctx, t.name, ctx.store.collection<TemplateRecord>(TEMPLATES).list(tenant))) return pipelineError("DEVCP.00014004", nameExists("template", t.name));
  ctx.store.collection<TemplateRecord>(TEMPLATES).put(tenant, t.id, t);
  return ok({ templateId: t.id });
}

/** Table 4-14, in its field order. */
function detail(ctx: CallerContext, t: TemplateRecord) {
  return unsetReadBack(
    ctx.dialect,
    {
      id: t.id,
      name: t.name,
      icon: t.icon,
      manifest_version: t.manifest_version,
      language: t.language,
      description: t.description,
      is_system: t.is_system,
      region: t.region,
      domain_id: t.domain_id,
      variables: t.variables,
      creator_id: t.creator_id,
      updater_id: t.updater_id,
      create_time: t.create_time,
      update_time: t.update_time,
      is_collect: t.is_collect,
      is_show_source: t.is_show_source,
      definition: t.definition,
    },
    t.unset,
    TEMPLATE_DEFAULTS,
  );
}

function get(ctx: CallerContext): Reply {
  const t = findTemplate(ctx.store, ctx.params.tenant_id, ctx.params.template_id);
  return t ? ok(detail(ctx, t)) : templateNotFound();
}

function update(ctx: CallerContext): Reply {
  const tenant = ctx.params.tenant_id;
  const id = ctx.params.template_id;
  const templates = ctx.store.collection<TemplateRecord>(TEMPLATES);
  const t = templates.get(tenant, id);
  if (!t) return SYSTEM_TEMPLATES.some((s) => s.id === id) ? pipelineError("DEVPIPE.0011301", "No permission.") : templateNotFound();
  const body = parseBody(ctx);
  if (!body) return invalidParameter();
  templates.put(tenant, id, { ...t, ...fromBody(ctx, body), updater_id: ctx.caller.user.id, update_time: ctx.now.getTime() });
  return ok({ templateId: id });
}

function remove(ctx: CallerContext): Reply {
  const tenant = ctx.params.tenant_id;
  const id = ctx.params.template_id;
  if (ctx.store.collection<TemplateRecord>(TEMPLATES).remove(tenant, id)) return ok({ templatelId: id });
  return SYSTEM_TEMPLATES.some((s) => s.id === id) ? pipelineError("DEVPIPE.0011301", "No permission.") : templateNotFound();
}

/** The stages of a definition as PipelineTemplateSimpleVO lists them (Table 4-5). */
function stagesOf(definition: string): Array<{ name: unknown; sequence: unknown }> {
  const stages = parseDefinition(definition)?.stages;
  return Array.isArray(stages) ? stages.map((s: Record<string, unknown>) => ({ name: s?.name ?? null, sequence: s?.sequence ?? null })) : [];
}

function list(ctx: CallerContext): Reply {
  const body = listBody.safeParse(jsonObject(ctx.rawBody) ?? {});
  if (!body.success) return invalidParameter();
  const q = body.data;
  const name = q.name?.toLowerCase() ?? "";
  const all = [...SYSTEM_TEMPLATES, ...ctx.store.collection<TemplateRecord>(TEMPLATES).list(ctx.params.tenant_id)].filter(
    (t) =>
      (q.is_system === undefined || q.is_system === null || q.is_system === "" || t.is_system === q.is_system) &&
      (!q.language || t.language === q.language) &&
      t.name.toLowerCase().includes(name), // the name filter is a fuzzy (substring) match
  );
  const key = q.sort_key ?? "create_time";
  const dir = (q.sort_dir ?? "desc") === "asc" ? 1 : -1;
  all.sort((a, b) => dir * (key === "name" ? a.name.localeCompare(b.name) : a.create_time - b.create_time) || a.id.localeCompare(b.id));
  const offset = q.offset ?? 0;
  const limit = q.limit ?? DEFAULT_LIMIT;
  // PipelineTemplateSimpleVO (Table 4-4): is_collect is a Boolean and is_show_source a String here.
  const window = listWindow(ctx, all, offset, limit);
  const templates = window.data.map((t) =>
    unsetReadBack(
      ctx.dialect,
      {
        id: t.id,
        name: t.name,
        icon: t.icon,
        manifest_version: t.manifest_version,
        language: t.language,
        description: t.description,
        is_system: t.is_system,
        region: t.region,
        domain_id: t.domain_id,
        creator_id: t.creator_id,
        creator_name: t.creator_name,
        updater_id: t.updater_id,
        create_time: t.create_time,
        update_time: t.update_time,
        is_collect: t.is_collect ?? false,
        is_show_source: t.is_show_source === null ? null : String(t.is_show_source),
        stages: stagesOf(t.definition),
      },
      t.unset?.filter((k) => k === "description"),
      TEMPLATE_DEFAULTS,
    ),
  );
  return ok({ offset, limit, total: window.total, templates });
}
