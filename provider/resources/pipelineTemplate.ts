import { z } from "zod";
import { Context, PartialCreateError, ResourceKind } from "../dynamic";
import { hexId, object } from "../answers";
import { ApiError } from "../errors";
import { seg } from "../http";
import { collect, offsetPages } from "../paging";
import { canonicalJson, hex32, jsonDocument, nonBlank, ownId } from "./common";
import { customVariable, limitObject, Variable, variablesFromApi, variablesToApi } from "./pipelineVariables";

/**
 * PipelineTemplate — a CodeArts Pipeline template of the account (CodeArts Pipeline API Reference §4.1): create, GET by id,
 * full-body PUT, delete. The path names the tenant (`{tenant_id}` = the account's domain id); a
 * template cannot move to another tenant, so a tenant change replaces it.
 */
export const pipelineTemplateSchema = z.strictObject({
  /** The account (domain) id the template belongs to; defaults to the provider's huaweicloud:domainId. */
  tenantId: hex32("account (domain) ID").optional(),
  name: nonBlank,
  /** The API stores "" for none; both read back as none. */
  description: z
    .string()
    .optional()
    .transform((s) => (s === "" ? undefined : s)),
  /** e.g. "none", "Java"; the API lists no values. */
  language: nonBlank,
  variables: z
    .array(customVariable(limitObject))
    .optional()
    .transform((v) => (v?.length ? v : undefined)),
  /** The orchestration JSON, as an object or a string; compared semantically. */
  definition: jsonDocument("the template orchestration JSON", {
    test: (doc) => Array.isArray(doc.stages),
    message: "must include stages, an array (Table 4-9: the template orchestration JSON, including stages)",
  }),
  /** Whether pipelines made from the template show their source. */
  isShowSource: z.boolean(),
  /** Id of an existing template of the tenant to take under management instead of creating one. */
  adoptId: hex32("pipeline template ID").optional(),
});
export type PipelineTemplateInputs = z.output<typeof pipelineTemplateSchema>;

export interface PipelineTemplateOutputs extends Record<string, unknown> {
  tenantId?: string;
  name: string;
  description?: string;
  language: string;
  variables?: Variable[];
  definition: string;
  isShowSource: boolean;
  /** The tenant the template lives in (the `{tenant_id}` of its path). */
  domainId: string;
  icon?: string;
  manifestVersion?: string;
  isSystem?: boolean;
  region?: string;
  creatorId?: string;
  updaterId?: string;
  createTime?: number;
  updateTime?: number;
}

/** Table 4-14. */
interface TemplateVo {
  id: string;
  name: string;
  icon?: string | null;
  manifest_version?: string | null;
  language: string;
  description?: string | null;
  is_system?: boolean | null;
  region?: string | null;
  domain_id?: string | null;
  variables?: unknown;
  creator_id?: string | null;
  updater_id?: string | null;
  create_time?: number | null;
  update_time?: number | null;
  is_show_source?: boolean | null;
  definition?: string | null;
}

/**
 * DEVCP.00021006: "The template does not exist." (CodeArts Pipeline API Reference §5.2, HTTP 400); DEVPIPE.00011203: the
 * code the Terraform provider knows for the same; DEVCP.00012002: record does not exist.
 */
const NOT_FOUND = ["DEVCP.00021006", "DEVPIPE.00011203", "DEVCP.00012002"];

const templatesPath = (tenant: string) => `/v5/${seg(tenant)}/api/pipeline-templates`;
/** One template's path; an empty id is refused (seg), never the collection's path. */
const templatePath = (tenant: string, templateId: string) => `${templatesPath(tenant)}/${seg(templateId, "a pipeline template id")}`;

/** Create and update answer `{"templateId"}` (the examples); the tables say `templatelId`. Both are accepted. */
/** §4.1.3: the template's detail; what a read records is required. */
const templateAnswer = object({ id: hexId, name: z.string(), language: z.string() });
/** §4.1.1/§4.1.4/§4.1.5: the template's id, spelt `templateId` or (§4.1.5's example) `templatelId`, in its documented form. */
const templateIdAnswer = z.union([object({ templateId: hexId }), object({ templatelId: hexId })]);
const templatesPage = object({ total: z.number().optional(), templates: z.array(object({ id: z.string(), name: z.string() })).nullable() });

function idFrom(body: unknown): string | undefined {
  const b = (body ?? {}) as { templateId?: unknown; templatelId?: unknown };
  const id = b.templateId ?? b.templatelId;
  return typeof id === "string" && id !== "" ? id : undefined;
}

/** The tenant and template an id names: `<tenantId>/<templateId>` (for `get`), or the plain id with the state's tenant. */
async function locate(ctx: Context, id: string, state: Record<string, unknown>): Promise<{ tenant: string; templateId: string }> {
  const slash = id.indexOf("/");
  const templateId = slash > 0 ? id.slice(slash + 1) : id;
  // Checked before the tenant is looked up, which may ask IAM: a bad id sends nothing anywhere.
  seg(templateId, "a pipeline template id");
  if (slash > 0) return { tenant: id.slice(0, slash), templateId };
  const known = [state.domainId, state.tenantId].find((t): t is string => typeof t === "string" && t !== "");
  return { tenant: known ?? (await ctx.client.domainId()), templateId };
}

/** The full body of create and update (Tables 4-9 and 4-19: the same mandatory set). */
function body(inputs: PipelineTemplateInputs, tenant: string) {
  return {
    name: inputs.name,
    description: inputs.description ?? "",
    language: inputs.language,
    variables: variablesToApi(inputs.variables) ?? [],
    definition: inputs.definition,
    // Only custom templates can be managed (system ones belong to the service), as in Terraform.
    is_system: false,
    domain_id: tenant,
    is_show_source: inputs.isShowSource,
  };
}

async function getTemplate(ctx: Context, tenant: string, templateId: string): Promise<TemplateVo> {
  const res = await ctx.client.send<TemplateVo>({
    service: "pipeline",
    method: "GET",
    path: templatePath(tenant, templateId),
    operation: "PipelineTemplate.get",
    answer: templateAnswer,
    resource: templateId,
  });
  return res.body;
}

/**
 * L4: the service may keep a definition verbatim or normalise it (keys sorted, numeric `sequence`
 * strings made numbers, null members dropped; Terraform's pipelines need `ignore_changes = [definition]`).
 * Equal "up to normalisation": key order aside, a number and the string of its digits, and a null member
 * and an absent one, are the same.
 */
export function sameUpToNormalisation(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "string") return /^-?\d+(\.\d+)?$/.test(b) && Number(b) === a;
  if (typeof a === "string" && typeof b === "number") return sameUpToNormalisation(b, a);
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameUpToNormalisation(x, b[i]));
  if (a !== null && typeof a === "object" && b !== null && typeof b === "object") {
    const o = a as Record<string, unknown>;
    const p = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(o), ...Object.keys(p)].filter((k) => !(o[k] === null || o[k] === undefined) || !(p[k] === null || p[k] === undefined)));
    return [...keys].every((k) => sameUpToNormalisation(o[k], p[k]));
  }
  return a === b;
}

/** The definition to record: the state's (declared) text when the service's is the same up to normalisation (L4), else the service's. */
function definitionFrom(text: string | null | undefined, state: Record<string, unknown>): string {
  const read = canonicalJson(text) ?? "";
  if (typeof state.definition !== "string" || state.definition === read) return read;
  try {
    return sameUpToNormalisation(JSON.parse(read), JSON.parse(state.definition)) ? state.definition : read;
  } catch {
    return read;
  }
}

/** What a program declares to get this template; `tenantId` only when the state had one. */
function inputsFrom(t: TemplateVo, tenant: string, state: Record<string, unknown>): PipelineTemplateInputs {
  return {
    tenantId: state.tenantId === undefined ? undefined : tenant,
    name: t.name,
    description: t.description ? t.description : undefined,
    language: t.language,
    variables: variablesFromApi(t.variables) as PipelineTemplateInputs["variables"],
    definition: definitionFrom(t.definition, state),
    isShowSource: t.is_show_source === true,
    adoptId: undefined,
  };
}

function outputsFrom(t: TemplateVo, tenant: string, inputs: PipelineTemplateInputs): PipelineTemplateOutputs {
  const { adoptId: _adopt, ...declared } = inputs;
  return {
    ...declared,
    domainId: t.domain_id ?? tenant,
    icon: t.icon ?? undefined,
    manifestVersion: t.manifest_version ?? undefined,
    isSystem: t.is_system ?? undefined,
    region: t.region ?? undefined,
    creatorId: t.creator_id ?? undefined,
    updaterId: t.updater_id ?? undefined,
    createTime: t.create_time ?? undefined,
    updateTime: t.update_time ?? undefined,
  };
}

export const pipelineTemplate: ResourceKind<typeof pipelineTemplateSchema, PipelineTemplateOutputs> = {
  name: "PipelineTemplate",
  importId: ownId,
  schema: pipelineTemplateSchema,
  replaceOn: ["tenantId"],
  replaceWhy: { tenantId: "a template belongs to one tenant (the {tenant_id} of its path) and the API cannot move it" },
  notFoundCodes: NOT_FOUND,
  // Set by the service on every edit (Table 4-14); create and update read them back.
  serviceMaintained: ["updaterId", "updateTime"],

  // The tenant is part of the desired state: a new huaweicloud:domainId shows as a tenant change.
  defaults: (ctx, inputs) => ({ ...inputs, tenantId: inputs.tenantId ?? ctx.settings.domainId }),

  async create(ctx, inputs) {
    const tenant = inputs.tenantId ?? (await ctx.client.domainId());
    const res = await ctx.client.send({
      service: "pipeline",
      method: "POST",
      path: templatesPath(tenant),
      body: body(inputs, tenant),
      operation: "PipelineTemplate.create",
      answer: templateIdAnswer,
      resource: inputs.name,
    });
    const id = idFrom(res.body);
    if (!id)
      throw new Error(
        `PipelineTemplate.create for ${inputs.name}: the answer carries no templateId (request id ${res.requestId ?? "unknown"}); check the tenant's templates before retrying`,
      );
    // The answer is only the id: read the rest (creator, times). The template exists from here on.
    try {
      return { id, outs: outputsFrom(await getTemplate(ctx, tenant, id), tenant, inputs) };
    } catch (e) {
      throw new PartialCreateError(id, { ...inputs, domainId: tenant }, e);
    }
  },

  // Template names may repeat (nothing in §4.2 forbids it): only a template of the declared name that
  // the tenant did not have before the create counts as made by it. The list's name filter is fuzzy.
  naturalKey: {
    unique: false,
    uniqueIfProven: { row: "N1", reading: "unique" },
    async find(ctx, inputs) {
      const tenant = inputs.tenantId ?? (await ctx.client.domainId());
      const named = offsetPages(async (offset, limit) => {
        const res = await ctx.client.send<{ total?: number; templates?: TemplateVo[] | null }>({
          service: "pipeline",
          method: "POST",
          path: `${templatesPath(tenant)}/list`,
          body: { name: inputs.name, is_system: false, offset, limit },
          operation: "PipelineTemplate.list",
          answer: templatesPage,
          resource: inputs.name,
          idempotent: true, // a read
          read: true,
        });
        return { items: res.body?.templates ?? [], total: res.body?.total };
      }, 50);
      return (await collect(named, (t) => t.name === inputs.name && t.is_system !== true)).map((t) => t.id);
    },
  },

  sweep: {
    async list(ctx, { prefix }) {
      const tenant = await ctx.client.domainId();
      const all = offsetPages(async (offset, limit) => {
        const res = await ctx.client.send<{ total?: number; templates?: TemplateVo[] | null }>({
          service: "pipeline",
          method: "POST",
          path: `${templatesPath(tenant)}/list`,
          body: { is_system: false, offset, limit },
          operation: "PipelineTemplate.list",
          answer: templatesPage,
          resource: `tenant ${tenant}`,
          idempotent: true, // a read
          read: true,
        });
        return { items: res.body?.templates ?? [], total: res.body?.total };
      }, 50);
      return (await collect(all, (t) => t.is_system !== true && t.name.startsWith(prefix))).map((t) => ({ id: t.id, name: t.name, state: { domainId: tenant } }));
    },
  },

  async read(ctx, id, state) {
    const { tenant, templateId } = await locate(ctx, id, state);
    let t: TemplateVo;
    try {
      t = await getTemplate(ctx, tenant, templateId);
    } catch (e) {
      if (e instanceof ApiError && e.provesAbsence(NOT_FOUND)) return undefined;
      throw e;
    }
    const inputs = inputsFrom(t, tenant, state);
    return { outs: outputsFrom(t, tenant, inputs), inputs };
  },

  async update(ctx, id, olds, news) {
    const tenant = olds.domainId ?? news.tenantId ?? (await ctx.client.domainId());
    await ctx.client.send({
      service: "pipeline",
      method: "PUT",
      path: templatePath(tenant, id),
      body: body(news, tenant),
      operation: "PipelineTemplate.update",
      answer: templateIdAnswer,
      resource: id,
    });
    return outputsFrom(await getTemplate(ctx, tenant, id), tenant, news);
  },

  async delete(ctx, id, state) {
    const { tenant, templateId } = await locate(ctx, id, state);
    await ctx.client.send({
      service: "pipeline",
      method: "DELETE",
      path: templatePath(tenant, templateId),
      operation: "PipelineTemplate.delete",
      answer: templateIdAnswer,
      resource: templateId,
    });
  },
};
