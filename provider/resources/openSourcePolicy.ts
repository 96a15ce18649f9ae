import { z } from "zod";
import { Context, PartialCreateError, ResourceKind, stableJson } from "../dynamic";
import { hexId, statusTrueWith } from "../answers";
import { unlessGone } from "../errors";
import { seg } from "../http";
import { hex32, nonBlank } from "./common";
import { statusTrue, locateTenant, POLICY_NOT_FOUND, policyNames, policySweep, switchPolicy, tenantPath, tenantScoped } from "./policyCommon";

/**
 * OpenSourcePolicy — a tenant-level open-source governance policy (CodeArts Pipeline API Reference §4.7): version-set,
 * security (severity, CVE) and licence rules, with a full-body update and an enable/disable switch.
 *
 * - `parentId` exists only on update (§4.7.2), so when declared it is set by an update right after create.
 * - The examples send `cve.values: [""]` for "no CVE": empty strings are dropped from every `values`
 *   list, on input and on read, so `[""]` and `[]` are the same policy and never a diff.
 * - `isValid` goes through the switch API (§4.7.6, PUT as its URI says; the example says POST); a new
 *   policy is disabled (§4.7.3 example), so declaring `isValid: true` (the default) switches it on after create.
 */
const values = z
  .array(z.string())
  .optional()
  .transform((v) => (v ? v.filter((s) => s !== "") : undefined));
const toggle = z.boolean().optional();

export const openSourceContentSchema = z.strictObject({
  versionSet: z
    .strictObject({
      enable: toggle,
      rules: z
        .array(
          z.strictObject({
            enable: toggle,
            ecosystem: z.string().optional(),
            packageName: z.string().optional(),
            packageVersion: z.string().optional(),
            description: z.string().optional(),
            predicate: z.string().optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  security: z
    .strictObject({
      enable: toggle,
      rules: z
        .strictObject({
          /** e.g. "Critical", "High", "Medium" (§4.7.1 table). */
          severity: z.strictObject({ enable: toggle, values }).optional(),
          cve: z.strictObject({ enable: toggle, values }).optional(),
        })
        .optional(),
    })
    .optional(),
  license: z.strictObject({ enable: toggle, rules: z.array(z.strictObject({ values, predicate: z.string().optional() })).optional() }).optional(),
});
export type OpenSourceContent = z.output<typeof openSourceContentSchema>;

export const openSourcePolicySchema = z.strictObject({
  tenantId: hex32("tenant (account) ID").optional(),
  name: nonBlank,
  content: openSourceContentSchema,
  parentId: hex32("open-source policy ID").optional(),
  isValid: z.boolean().default(true),
  adoptId: hex32("open-source policy ID").optional(),
});
export type OpenSourcePolicyInputs = z.output<typeof openSourcePolicySchema>;

export interface OpenSourcePolicyOutputs extends Record<string, unknown> {
  domainId: string;
  level?: string;
  version?: string;
  isPublic?: boolean;
  creator?: string;
  updateTime?: string;
  createTime?: string;
}

/** The content as the API answers it (§4.7.3), the members contentFrom reads; any of them may be null. */
interface OssContentVo {
  version_set?: { enable?: boolean | null; rules?: Array<Record<string, unknown>> | null } | null;
  security?: {
    enable?: boolean | null;
    rules?: { severity?: { enable?: unknown; values?: unknown } | null; cve?: { enable?: unknown; values?: unknown } | null } | null;
  } | null;
  license?: { enable?: boolean | null; rules?: Array<Record<string, unknown>> | null } | null;
}

interface OssVo {
  id: string;
  name: string;
  level?: string;
  parent_id?: string | null;
  version?: string;
  is_valid?: boolean;
  is_public?: boolean;
  creator?: string;
  create_time?: string;
  update_time?: string;
  content?: OssContentVo | null;
}

/** §4.7.3: the policy's detail; what a read records is required. */
const ossAnswer = z.looseObject({ id: hexId, name: z.string() });
const ossPath = (tenant: string) => tenantPath(tenant, "/tenant/open-source/rule-sets");

/** Declared content → the API's snake_case body. */
function contentBody(c: OpenSourceContent) {
  return {
    version_set: c.versionSet && {
      enable: c.versionSet.enable,
      rules: c.versionSet.rules?.map((r) => ({
        enable: r.enable,
        ecosystem: r.ecosystem,
        package_name: r.packageName,
        package_version: r.packageVersion,
        description: r.description,
        predicate: r.predicate,
      })),
    },
    security: c.security,
    license: c.license,
  };
}

const dropNulls = <T extends Record<string, unknown>>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as T;
const cleanValues = (v: unknown) => (Array.isArray(v) ? v.filter((s) => s !== "") : undefined);

/** The API's content → what a program declares (nulls dropped, empty strings out of `values`). */
function contentFrom(c: OssContentVo | null | undefined): OpenSourceContent {
  if (!c) return {};
  const vs = c.version_set,
    sec = c.security,
    lic = c.license;
  return dropNulls({
    versionSet: vs
      ? dropNulls({
          enable: vs.enable ?? undefined,
          rules: vs.rules?.map((r) =>
            dropNulls({
              enable: r.enable,
              ecosystem: r.ecosystem,
              packageName: r.package_name,
              packageVersion: r.package_version,
              description: r.description,
              predicate: r.predicate,
            }),
          ),
        })
      : undefined,
    security: sec
      ? dropNulls({
          enable: sec.enable ?? undefined,
          rules: sec.rules
            ? dropNulls({
                severity: sec.rules.severity ? dropNulls({ enable: sec.rules.severity.enable, values: cleanValues(sec.rules.severity.values) }) : undefined,
                cve: sec.rules.cve ? dropNulls({ enable: sec.rules.cve.enable, values: cleanValues(sec.rules.cve.values) }) : undefined,
              })
            : undefined,
        })
      : undefined,
    license: lic ? dropNulls({ enable: lic.enable ?? undefined, rules: lic.rules?.map((r) => dropNulls({ values: cleanValues(r.values), predicate: r.predicate })) }) : undefined,
  }) as OpenSourceContent;
}

async function getPolicy(ctx: Context, tenant: string, id: string): Promise<OssVo> {
  return (
    await ctx.client.send<OssVo>({
      service: "pipeline",
      method: "GET",
      path: `${ossPath(tenant)}/${seg(id)}/detail`,
      operation: "OpenSourcePolicy.get",
      answer: ossAnswer,
      resource: id,
    })
  ).body;
}

/**
 * R3: the service may keep content verbatim or normalise it (every left-out `enable` false, left-out
 * `values` and `rules` lists empty, left-out sections present and disabled). Content is compared in
 * that filled form, so a normalised read-back of what was declared is no change, and anything else is.
 */
function filled(c: OpenSourceContent): unknown {
  const t = (x?: { enable?: boolean; values?: string[] }) => ({ enable: x?.enable ?? false, values: x?.values ?? [] });
  return {
    versionSet: { enable: c.versionSet?.enable ?? false, rules: (c.versionSet?.rules ?? []).map((r) => ({ ...r, enable: r.enable ?? false })) },
    security: { enable: c.security?.enable ?? false, rules: { severity: t(c.security?.rules?.severity), cve: t(c.security?.rules?.cve) } },
    license: { enable: c.license?.enable ?? false, rules: (c.license?.rules ?? []).map((r) => ({ ...r, values: r.values ?? [] })) },
  };
}

/** The content to record: the state's (declared) when the service's is the same once filled (R3), else the service's. */
function contentOf(read: OpenSourceContent, state: Record<string, unknown>): OpenSourceContent {
  const known = state.content as OpenSourceContent | undefined;
  return known && typeof known === "object" && stableJson(filled(known)) === stableJson(filled(read)) ? known : read;
}

function snapshot(p: OssVo, tenant: string, state: Record<string, unknown>): { outs: OpenSourcePolicyOutputs; inputs: OpenSourcePolicyInputs } {
  const inputs: OpenSourcePolicyInputs = {
    tenantId: state.tenantId === undefined ? undefined : tenant,
    name: p.name,
    content: contentOf(contentFrom(p.content), state),
    parentId: p.parent_id ? p.parent_id : undefined,
    isValid: p.is_valid ?? false,
    adoptId: undefined,
  };
  const { adoptId: _adopt, ...declared } = inputs;
  return {
    inputs,
    outs: { ...declared, domainId: tenant, level: p.level, version: p.version, isPublic: p.is_public, creator: p.creator, createTime: p.create_time, updateTime: p.update_time },
  };
}

async function update(ctx: Context, tenant: string, id: string, i: OpenSourcePolicyInputs): Promise<void> {
  await ctx.client.send({
    service: "pipeline",
    method: "PUT",
    path: `${ossPath(tenant)}/${seg(id)}/update`,
    body: { name: i.name, parent_id: i.parentId, content: contentBody(i.content) },
    operation: "OpenSourcePolicy.update",
    answer: statusTrue,
    resource: id,
  });
}

export const openSourcePolicy: ResourceKind<typeof openSourcePolicySchema, OpenSourcePolicyOutputs> = {
  name: "OpenSourcePolicy",
  schema: openSourcePolicySchema,
  ...tenantScoped,
  // A new version and time on every edit and switch: the switch after create is not read back.
  serviceMaintained: ["version", "updateTime"],

  async create(ctx, inputs) {
    const tenant = inputs.tenantId ?? (await ctx.client.domainId());
    const res = await ctx.client.send<{ rule_set_id?: string }>({
      service: "pipeline",
      method: "POST",
      path: `${ossPath(tenant)}/create`,
      body: { name: inputs.name, content: contentBody(inputs.content) },
      operation: "OpenSourcePolicy.create",
      answer: statusTrueWith("rule_set_id"),
      resource: inputs.name,
    });
    const id = res.body?.rule_set_id;
    if (!id) throw new Error(`OpenSourcePolicy.create for ${inputs.name}: the answer carries no rule_set_id (request id ${res.requestId ?? "unknown"})`);
    try {
      if (inputs.parentId) await update(ctx, tenant, id, inputs);
      const created = await getPolicy(ctx, tenant, id);
      if ((created.is_valid ?? false) !== inputs.isValid) await switchPolicy(ctx, "OpenSourcePolicy", ossPath(tenant), inputs.isValid, id);
      return { id, outs: snapshot({ ...created, is_valid: inputs.isValid }, tenant, inputs).outs };
    } catch (e) {
      // What exists is the policy as created: no parent, disabled. The next up converges it.
      throw new PartialCreateError(id, { ...inputs, parentId: undefined, isValid: false, domainId: tenant }, e);
    }
  },

  naturalKey: policyNames<OpenSourcePolicyInputs>("OpenSourcePolicy", "/tenant/open-source/rule-sets/query"),
  sweep: policySweep("OpenSourcePolicy", "/tenant/open-source/rule-sets/query"),

  async read(ctx, id, state) {
    const { tenant, objectId } = await locateTenant(ctx, id, state);
    const p = await unlessGone(getPolicy(ctx, tenant, objectId), POLICY_NOT_FOUND);
    return p && snapshot(p, tenant, state);
  },

  async update(ctx, id, olds, news) {
    const { tenant, objectId } = await locateTenant(ctx, id, olds);
    const body = (i: Record<string, unknown>) => stableJson([i.name, i.content, i.parentId ?? null]);
    if (body(olds) !== body(news)) await update(ctx, tenant, objectId, news);
    if (olds.isValid !== news.isValid) await switchPolicy(ctx, "OpenSourcePolicy", ossPath(tenant), news.isValid, objectId);
    return snapshot(await getPolicy(ctx, tenant, objectId), tenant, news).outs;
  },

  async delete(ctx, id, state) {
    const { tenant, objectId } = await locateTenant(ctx, id, state);
    await ctx.client.send({
      service: "pipeline",
      method: "DELETE",
      path: `${ossPath(tenant)}/${seg(objectId)}/delete`,
      operation: "OpenSourcePolicy.delete",
      answer: statusTrue,
      resource: objectId,
    });
  },
};
