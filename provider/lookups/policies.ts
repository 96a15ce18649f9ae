import { z } from "zod";
import { object } from "../answers";
import { ApiClient, type ServiceClient } from "../client";
import { loadSettings, Settings } from "../config";
import { seg } from "../http";
import { collect, offsetPages } from "../paging";

/**
 * Read-only views of what a CodeArts project sees (CodeArts Pipeline API Reference §4.6, §4.8): its effective rule sets and
 * open-source policies, the tenant's included. Plain async functions a program (or a script) calls;
 * no resource is created. Settings are the provider's (huaweicloud:* equivalents from the
 * environment: HW_ACCESS_KEY, HW_SECRET_KEY, HW_DOMAIN_ID, HW_REGION_NAME, HW_ENDPOINTS ...) unless
 * given explicitly.
 */
export interface LookupOptions {
  settings?: Settings;
  /** Include the tenant-level policies the project inherits (the mandatory include_tenant_rule_set). Default true. */
  includeTenant?: boolean;
}

export interface ProjectRuleSet {
  id: string;
  name: string;
  type?: string;
  version?: string;
  operator?: string;
  operateTime?: number;
  isValid?: boolean;
  /** "tenant", "project", or "system" (a service-made policy, `creator: system`; R5). */
  level?: string;
  isPublic?: boolean;
}

export interface ProjectOpenSourcePolicy {
  id: string;
  name: string;
  level?: string;
  isValid?: boolean;
  version?: string;
  operator?: string;
  isPublic?: boolean;
  isLegacy?: boolean;
  operateTime?: number;
}

/** One item of a §4.6.1 / §4.8.2 page as the API names its fields (only id and name are checked). */
interface PolicyItemVo {
  id: string;
  name: string;
  type?: string;
  version?: string;
  operator?: string;
  operate_time?: number;
  is_valid?: boolean;
  level?: string;
  is_public?: boolean;
  is_legacy?: boolean;
}

/** §4.6.1 / §4.8.2: a page of policies, each with its id and name. */
const policiesPage = object({
  data: z
    .array(object({ id: z.string(), name: z.string() }))
    .nullable()
    .optional(),
  total: z.number().optional(),
});
/** §4.6.2 / §4.8.1: the detail, returned in the API's shape: it must at least be a JSON object. */
const policyDetail = object({});

/** Every request declares its answer schema (ServiceClient), as the resource kinds' do. */
async function withClient<T>(opts: LookupOptions | undefined, run: (c: ServiceClient) => Promise<T>): Promise<T> {
  const client = new ApiClient(opts?.settings ?? loadSettings(() => undefined));
  try {
    return await run(client);
  } finally {
    await client.close();
  }
}

/**
 * R5: with include_tenant_rule_set=false the service may still answer tenant-level and system items
 * (the §4.6.1/§4.8.2 examples). What the caller asked for is enforced here: without `includeTenant`,
 * items of level "tenant" are dropped; project and system items are kept, each with its `level`.
 */
const notExcludedTenant = (opts?: LookupOptions) => (item: PolicyItemVo) => (opts?.includeTenant ?? true) || item.level !== "tenant";

/** §4.6.1: the rule sets (policies) in effect for a project. */
export function listProjectRuleSets(projectId: string, opts?: LookupOptions): Promise<ProjectRuleSet[]> {
  return withClient(opts, (c) =>
    collect(
      offsetPages(async (offset, limit) => {
        const res = await c.send<{ data?: PolicyItemVo[] | null; total?: number }>({
          service: "pipeline",
          method: "GET",
          path: `/v2/${seg(projectId)}/rule-sets/query`,
          query: { offset, limit, include_tenant_rule_set: opts?.includeTenant ?? true },
          operation: "ProjectRuleSet.list",
          answer: policiesPage,
          resource: projectId,
        });
        const items = (res.body?.data ?? []).filter(notExcludedTenant(opts)).map((s) => ({
          id: s.id,
          name: s.name,
          type: s.type,
          version: s.version,
          operator: s.operator,
          operateTime: s.operate_time,
          isValid: s.is_valid,
          level: s.level,
          isPublic: s.is_public,
        }));
        return { items, total: res.body?.total };
      }, 50),
    ),
  );
}

/** §4.6.2: one policy as a project sees it, with its rule instances (the API's shape). */
export function getProjectRuleSet(projectId: string, ruleSetId: string, opts?: LookupOptions): Promise<Record<string, unknown>> {
  return withClient(
    opts,
    async (c) =>
      (
        await c.send<Record<string, unknown>>({
          service: "pipeline",
          method: "GET",
          path: `/v2/${seg(projectId)}/rule-sets/${seg(ruleSetId)}/gray/detail`,
          operation: "ProjectRuleSet.get",
          answer: policyDetail,
          resource: ruleSetId,
        })
      ).body,
  );
}

/** §4.8.2: the open-source governance policies in effect for a project. */
export function listProjectOpenSourcePolicies(projectId: string, opts?: LookupOptions): Promise<ProjectOpenSourcePolicy[]> {
  return withClient(opts, (c) =>
    collect(
      offsetPages(async (offset, limit) => {
        const res = await c.send<{ data?: PolicyItemVo[] | null; total?: number }>({
          service: "pipeline",
          method: "GET",
          path: `/v2/${seg(projectId)}/open-source/rule-sets/query`,
          query: { offset, limit, include_tenant_rule_set: opts?.includeTenant ?? true },
          operation: "ProjectOpenSourcePolicy.list",
          answer: policiesPage,
          resource: projectId,
        });
        const items = (res.body?.data ?? []).filter(notExcludedTenant(opts)).map((p) => ({
          id: p.id,
          name: p.name,
          level: p.level,
          isValid: p.is_valid,
          version: p.version,
          operator: p.operator,
          isPublic: p.is_public,
          isLegacy: p.is_legacy,
          operateTime: p.operate_time,
        }));
        return { items, total: res.body?.total };
      }, 15),
    ),
  );
}

/** §4.8.1: one open-source policy as a project sees it (the API's shape). */
export function getProjectOpenSourcePolicy(projectId: string, policyId: string, opts?: LookupOptions): Promise<Record<string, unknown>> {
  return withClient(
    opts,
    async (c) =>
      (
        await c.send<Record<string, unknown>>({
          service: "pipeline",
          method: "GET",
          path: `/v2/${seg(projectId)}/open-source/rule-sets/${seg(policyId)}/detail`,
          operation: "ProjectOpenSourcePolicy.get",
          answer: policyDetail,
          resource: policyId,
        })
      ).body,
  );
}
