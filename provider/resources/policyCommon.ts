import { z } from "zod";
import { Context } from "../dynamic";
import { QueryValue, seg } from "../http";
import { collect, offsetPages } from "../paging";
import { ownId } from "./common";

/**
 * What the tenant-level policy kinds (Rule, RuleSet, OpenSourcePolicy; CodeArts Pipeline API Reference §4.4–§4.7) share:
 * they live under `/v2/{domain_id}/…` of one tenant, a missing one is DEVCP.00012002 "The record
 * does not exist" (§5.2, inside HTTP 200) or 404, and their ids may be given as `<tenantId>/<id>`
 * to `get`.
 */
export const POLICY_NOT_FOUND = ["DEVCP.00012002"];

export const tenantPath = (tenant: string, rest: string) => `/v2/${seg(tenant)}${rest}`;

export const tenantReplaceWhy = "a policy belongs to one tenant (the {domain_id} of its path) and the API cannot move it";

/**
 * The part of a policy kind's definition about its tenant: a `tenantId` input defaulting to
 * huaweicloud:domainId (so pointing a stack at another account shows as a change), which replaces.
 */
export const tenantScoped = {
  replaceOn: ["tenantId"] as const,
  replaceWhy: { tenantId: tenantReplaceWhy },
  notFoundCodes: POLICY_NOT_FOUND,
  importId: ownId,
  defaults: <T extends { tenantId?: string }>(ctx: Context, inputs: T): T => ({ ...inputs, tenantId: inputs.tenantId ?? ctx.settings.domainId }),
};

/** The tenant of an object: from `<tenantId>/<id>`, the state, or the provider's account. */
export async function locateTenant(ctx: Context, id: string, state: Record<string, unknown>): Promise<{ tenant: string; objectId: string }> {
  const slash = id.indexOf("/");
  if (slash > 0) return { tenant: id.slice(0, slash), objectId: id.slice(slash + 1) };
  const known = typeof state.tenantId === "string" ? state.tenantId : typeof state.domainId === "string" ? state.domainId : undefined;
  return { tenant: known ?? (await ctx.client.domainId()), objectId: id };
}

/** The policy writes' answer (§4.4–§4.8): `{"status": true, …}`. */
export const statusTrue = z.looseObject({ status: z.literal(true, { error: "must be true" }) });
/** A policy listing page: `{"data": [...], "total": n}` (data null when empty). */
export const pageOf = <T extends z.ZodType>(item: T) => z.looseObject({ data: z.array(item).nullable(), total: z.number().optional() });

/** §4.5.6 / §4.7.6: enable or disable a rule set or an open-source policy. */
export async function switchPolicy(ctx: Context, kind: "RuleSet" | "OpenSourcePolicy", pathPrefix: string, isValid: boolean, id: string): Promise<void> {
  await ctx.client.send({
    service: "pipeline",
    method: "PUT", // §4.7.6's URI says PUT, its example POST: we follow the URI, as for §4.5.6
    path: `${pathPrefix}/${seg(id)}/switch`,
    body: { is_valid: isValid },
    operation: `${kind}.switch`,
    answer: statusTrue,
    resource: id,
  });
}

/**
 * The sweep facet of a policy kind: the tenant's whole list (the `name` filter is fuzzy), the
 * tenant's own objects only (no system or project-level items, R5), names compared exactly.
 */
export function policySweep(kind: string, rest: string, query: Record<string, QueryValue> = {}, after?: readonly string[]) {
  return {
    ...(after ? { after } : {}),
    async list(ctx: Context, { prefix }: { prefix: string }) {
      const tenant = await ctx.client.domainId();
      const all = offsetPages(async (offset, limit) => {
        const res = await ctx.client.send<{ data?: Array<{ id: string; name: string; level?: string }> | null; total?: number }>({
          service: "pipeline",
          method: "GET",
          path: tenantPath(tenant, rest),
          query: { offset, limit, ...query },
          operation: `${kind}.list`,
          answer: pageOf(z.looseObject({ id: z.string(), name: z.string() })),
          resource: `tenant ${tenant}`,
        });
        return { items: res.body?.data ?? [], total: res.body?.total };
      }, 50);
      const own = (p: { name: string; level?: string }) => (p.level === undefined || p.level === "tenant") && p.name.startsWith(prefix);
      return (await collect(all, own)).map((p) => ({ id: p.id, name: p.name, state: { tenantId: tenant } }));
    },
  };
}

/**
 * The natural key of a policy kind: its name in its tenant. Nothing in §4.4–§4.7 makes names unique,
 * so the glue lists before a create too, and only a new object of that name counts as made by it.
 * The listings' `name` filter is fuzzy; an exact match is kept.
 */
export function policyNames<T extends { tenantId?: string; name: string }>(kind: string, rest: string, query: Record<string, QueryValue> = {}) {
  return {
    unique: false,
    uniqueIfProven: { row: "N1" as const, reading: "unique" },
    async find(ctx: Context, inputs: T): Promise<string[]> {
      const tenant = inputs.tenantId ?? (await ctx.client.domainId());
      const named = offsetPages(async (offset, limit) => {
        const res = await ctx.client.send<{ data?: Array<{ id: string; name: string }> | null; total?: number }>({
          service: "pipeline",
          method: "GET",
          path: tenantPath(tenant, rest),
          query: { offset, limit, name: inputs.name, ...query },
          operation: `${kind}.list`,
          answer: pageOf(z.looseObject({ id: z.string(), name: z.string() })),
          resource: inputs.name,
        });
        return { items: res.body?.data ?? [], total: res.body?.total };
      }, 50);
      return (await collect(named, (p) => p.name === inputs.name)).map((p) => p.id);
    },
  };
}
