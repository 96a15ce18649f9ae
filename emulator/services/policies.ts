import { z } from "zod";
import { newHexId } from "../ids";
import type { CallerContext, Reply, Router } from "../router";
import { jsonObject } from "./json";
import { invalidParameter, pipelineError, pipelineRoute } from "./pipelineCommon";
import { listWindow } from "./listing";
import { nameExists, nameTaken } from "./names";

/**
 * CodeArts Pipeline policies (CodeArts Pipeline API Reference §4.4–§4.8): rules, tenant-level rule sets and tenant-level
 * open-source governance policies per account, and the project-level read-only views that inherit
 * them. Quirks kept: action verbs in the paths, `{"status": true}` answers, `offset`/`limit`
 * mandatory on the rule and rule-set lists (and `include_tenant_rule_set` on the rule-set lists),
 * String times ("2023-10-20T10:30:20"), the detail of a rule without `layout_content` (the §4.4.1
 * example omits it), rule sets holding rule *instances* with ids of their own (§4.5.3 example), a new
 * rule set enabled (§4.5.4 example) and a new open-source policy disabled (§4.7.3 example).
 */
export function registerPolicies(router: Router): void {
  const r = "/v2/{domain_id}/rules";
  pipelineRoute(router, "POST", `${r}/create`, "Rule.create", createRule);
  pipelineRoute(router, "GET", `${r}/query`, "Rule.list", listRules);
  pipelineRoute(router, "GET", `${r}/{rule_id}/detail`, "Rule.get", getRule);
  pipelineRoute(router, "PUT", `${r}/{rule_id}/update`, "Rule.update", updateRule);
  pipelineRoute(router, "DELETE", `${r}/{rule_id}/delete`, "Rule.delete", deleteRule);
  const s = "/v2/{domain_id}/tenant/rule-sets";
  pipelineRoute(router, "POST", `${s}/create`, "RuleSet.create", createRuleSet);
  pipelineRoute(router, "GET", `${s}/query`, "RuleSet.list", listRuleSets);
  pipelineRoute(router, "GET", `${s}/{rule_set_id}/detail`, "RuleSet.get", getRuleSet);
  pipelineRoute(router, "PUT", `${s}/{rule_set_id}/update`, "RuleSet.update", updateRuleSet);
  pipelineRoute(router, "DELETE", `${s}/{rule_set_id}/delete`, "RuleSet.delete", deleteRuleSet);
  pipelineRoute(router, "PUT", `${s}/{rule_set_id}/switch`, "RuleSet.switch", switchRuleSet);
  const o = "/v2/{domain_id}/tenant/open-source/rule-sets";
  pipelineRoute(router, "POST", `${o}/create`, "OpenSourcePolicy.create", createOss);
  pipelineRoute(router, "GET", `${o}/query`, "OpenSourcePolicy.list", listOss);
  pipelineRoute(router, "GET", `${o}/{rule_set_id}/detail`, "OpenSourcePolicy.get", getOss);
  pipelineRoute(router, "PUT", `${o}/{rule_set_id}/update`, "OpenSourcePolicy.update", updateOss);
  pipelineRoute(router, "DELETE", `${o}/{rule_set_id}/delete`, "OpenSourcePolicy.delete", deleteOss);
  // §4.7.6: the URI says PUT (the example says POST); the emulator serves what the URI says.
  pipelineRoute(router, "PUT", `${o}/{rule_set_id}/switch`, "OpenSourcePolicy.switch", switchOss);
  // Project-level views (§4.6, §4.8): what a project sees, its tenant's policies included.
  pipelineRoute(router, "GET", "/v2/{project_id}/rule-sets/query", "ProjectRuleSet.list", listProjectRuleSets);
  pipelineRoute(router, "GET", "/v2/{project_id}/rule-sets/{rule_set_id}/gray/detail", "ProjectRuleSet.get", getProjectRuleSet);
  pipelineRoute(router, "GET", "/v2/{project_id}/open-source/rule-sets/query", "ProjectOpenSourcePolicy.list", listProjectOss);
  pipelineRoute(router, "GET", "/v2/{project_id}/open-source/rule-sets/{rule_set_id}/detail", "ProjectOpenSourcePolicy.get", getProjectOss);
}

const RULES = "rules";
const RULE_SETS = "ruleSets";
const OSS = "openSourcePolicies";

const ok = (body: unknown): Reply => ({ status: 200, body });
/** §5.2 DEVCP.00012002 "The record does not exist" (HTTP 200, like every Pipeline error). */
const notFound = (): Reply => pipelineError("DEVCP.00012002", "The record does not exist.");
/** "2023-10-20T10:30:20", the time format of every policy detail. */
const timeString = (d: Date) => d.toISOString().slice(0, 19);

// ---------------------------------------------------------------------------------------------
// Rules (§4.4)

const property = z.object({
  key: z.string().min(1),
  type: z.string().min(1),
  name: z.string().min(1),
  operator: z.string().nullish(),
  value: z.string(),
  value_type: z.string().min(1),
});
const ruleContent = z.object({ group_name: z.string().min(1), can_modify_when_inherit: z.boolean().nullish(), properties: z.array(property) });
/** Table 4-171 (create) = Table 4-155 (update): type, name, layout_content and content are mandatory. */
const ruleBody = z.object({
  type: z.enum(["Build", "Gate", "Deploy", "Test", "Normal"]),
  name: z.string().min(1),
  layout_content: z.string(),
  plugin_id: z.string().nullish(),
  plugin_name: z.string().nullish(),
  plugin_version: z.string().nullish(),
  content: z.array(ruleContent),
});
type RuleBody = z.infer<typeof ruleBody>;

export interface RuleRecord extends RuleBody {
  id: string;
  version: string;
  creator: string;
  updater: string;
  create_time: string;
  update_time: string;
  operate_time: number;
}

function ruleFrom(ctx: CallerContext, b: RuleBody, old?: RuleRecord): RuleRecord {
  const now = ctx.now;
  return {
    id: old?.id ?? newHexId(),
    ...b,
    content: b.content.map((c) => ({ ...c, can_modify_when_inherit: c.can_modify_when_inherit ?? true })),
    version: newHexId(), // "Rule version" changes with every edit (§4.4.1/§4.4.2 examples differ per edit)
    creator: old?.creator ?? ctx.caller.user.id,
    updater: ctx.caller.user.id,
    create_time: old?.create_time ?? timeString(now),
    update_time: timeString(now),
    operate_time: now.getTime(),
  };
}

function createRule(ctx: CallerContext): Reply {
  const b = ruleBody.safeParse(jsonObject(ctx.rawBody));
  if (!b.success) return invalidParameter();
  if (nameTaken(ctx, b.data.name, ctx.store.collection<RuleRecord>(RULES).list(ctx.params.domain_id))) return pipelineError("DEVCP.00014004", nameExists("rule", b.data.name));
  const rule = ruleFrom(ctx, b.data);
  ctx.store.collection<RuleRecord>(RULES).put(ctx.params.domain_id, rule.id, rule);
  return ok({ status: true, rule_id: rule.id });
}

/** Table 4-136 (the example omits layout_content; so does the emulator). */
function ruleDetail(r: RuleRecord, layoutReturned: boolean) {
  return {
    id: r.id,
    type: r.type,
    name: r.name,
    version: r.version,
    plugin_id: r.plugin_id ?? null,
    plugin_name: r.plugin_name ?? null,
    plugin_version: r.plugin_version ?? null,
    content: r.content,
    creator: r.creator,
    create_time: r.create_time,
    updater: r.updater,
    update_time: r.update_time,
    // R4: Table 4-136 lists layout_content, the example omits it.
    ...(layoutReturned ? { layout_content: r.layout_content } : {}),
  };
}

function getRule(ctx: CallerContext): Reply {
  const r = ctx.store.collection<RuleRecord>(RULES).get(ctx.params.domain_id, ctx.params.rule_id);
  return r ? ok(ruleDetail(r, ctx.dialect.is("R4", "returned"))) : notFound();
}

function updateRule(ctx: CallerContext): Reply {
  const rules = ctx.store.collection<RuleRecord>(RULES);
  const old = rules.get(ctx.params.domain_id, ctx.params.rule_id);
  if (!old) return notFound();
  const b = ruleBody.safeParse(jsonObject(ctx.rawBody));
  if (!b.success) return invalidParameter();
  rules.put(ctx.params.domain_id, old.id, ruleFrom(ctx, b.data, old));
  return ok({ status: true, rule_id: old.id });
}

function deleteRule(ctx: CallerContext): Reply {
  return ctx.store.collection<RuleRecord>(RULES).remove(ctx.params.domain_id, ctx.params.rule_id) ? ok({ status: true }) : notFound();
}

/** offset and limit are mandatory Integers on the rule and rule-set lists (Tables 4-144, 4-179). */
function paging(q: URLSearchParams): { offset: number; limit: number } | undefined {
  const offset = q.get("offset");
  const limit = q.get("limit");
  if (offset === null || limit === null || !/^\d+$/.test(offset) || !/^\d+$/.test(limit)) return undefined;
  return { offset: Number(offset), limit: Number(limit) };
}

function listRules(ctx: CallerContext): Reply {
  const p = paging(ctx.query);
  if (!p) return invalidParameter();
  const name = (ctx.query.get("name") ?? "").toLowerCase();
  const type = ctx.query.get("type");
  const all = ctx.store
    .collection<RuleRecord>(RULES)
    .list(ctx.params.domain_id)
    .filter((r) => r.name.toLowerCase().includes(name) && (!type || r.type === type))
    .sort((a, b) => b.operate_time - a.operate_time || a.id.localeCompare(b.id));
  const window = listWindow(ctx, all, p.offset, p.limit);
  const data = window.data.map((r) => ({ id: r.id, type: r.type, name: r.name, version: r.version, operator: r.updater, operate_time: r.operate_time }));
  return ok({ data, total: window.total });
}

// ---------------------------------------------------------------------------------------------
// Tenant-level rule sets (§4.5)

interface RuleInstance {
  id: string;
  type: string;
  name: string;
  version: string;
  plugin_id: string | null;
  plugin_name: string | null;
  plugin_version: string | null;
  is_valid: boolean;
  editable: boolean;
  content: Array<z.infer<typeof ruleContent> & { type?: string }>;
}
export interface RuleSetRecord {
  id: string;
  name: string;
  type: string;
  version: string;
  is_valid: boolean;
  creator: string;
  updater: string;
  create_time: string;
  update_time: string;
  operate_time: number;
  rule_instances: RuleInstance[];
}

const ruleRefs = z.array(z.object({ id: z.string().min(1).nullish(), is_valid: z.boolean().nullish() }));
const createSetBody = z.object({ name: z.string().min(1), rules: ruleRefs });
const updateSetBody = z.object({ name: z.string().min(1).nullish(), rules: ruleRefs.nullish() });
const switchBody = z.object({ is_valid: z.boolean() });

/** A rule set holds instances: copies of the rules it was given, with ids of their own (§4.5.3 example). */
function instancesOf(ctx: CallerContext, refs: z.infer<typeof ruleRefs>): RuleInstance[] | undefined {
  const rules = ctx.store.collection<RuleRecord>(RULES);
  const out: RuleInstance[] = [];
  for (const ref of refs) {
    const rule = ref.id ? rules.get(ctx.params.domain_id, ref.id) : undefined;
    if (!rule) return undefined;
    out.push({
      id: newHexId(),
      type: rule.type,
      name: rule.name,
      version: rule.version,
      plugin_id: rule.plugin_id ?? null,
      plugin_name: rule.plugin_name ?? null,
      plugin_version: rule.plugin_version ?? null,
      is_valid: ref.is_valid ?? true,
      editable: true,
      content: rule.content,
    });
  }
  return out;
}

/**
 * R1 `instance-ids`: an update names the set's own rule instances (Table 4-185 "Rule Instance ID", the
 * §4.5.2 example's ids are §4.5.3's instance ids): each is kept with its new is_valid; any other id
 * (a rule id) is refused, so no rule can be added by update.
 */
function keptInstances(old: RuleSetRecord, refs: z.infer<typeof ruleRefs>): RuleInstance[] | undefined {
  const out: RuleInstance[] = [];
  for (const ref of refs) {
    const inst = old.rule_instances.find((i) => i.id === ref.id);
    if (!inst || out.includes(inst)) return undefined;
    out.push({ ...inst, is_valid: ref.is_valid ?? inst.is_valid });
  }
  return out;
}

function createRuleSet(ctx: CallerContext): Reply {
  const b = createSetBody.safeParse(jsonObject(ctx.rawBody));
  if (!b.success) return invalidParameter();
  const instances = instancesOf(ctx, b.data.rules);
  if (!instances) return invalidParameter();
  if (nameTaken(ctx, b.data.name, ctx.store.collection<RuleSetRecord>(RULE_SETS).list(ctx.params.domain_id)))
    return pipelineError("DEVCP.00014004", nameExists("rule set", b.data.name));
  const now = ctx.now;
  const set: RuleSetRecord = {
    id: newHexId(),
    name: b.data.name,
    type: "tenant",
    version: newHexId(),
    is_valid: true,
    creator: ctx.caller.user.id,
    updater: ctx.caller.user.id,
    create_time: timeString(now),
    update_time: timeString(now),
    operate_time: now.getTime(),
    rule_instances: instances,
  };
  ctx.store.collection<RuleSetRecord>(RULE_SETS).put(ctx.params.domain_id, set.id, set);
  return ok({ status: true, rule_set_id: set.id });
}

function ruleSetDetail(s: RuleSetRecord) {
  return {
    id: s.id,
    name: s.name,
    type: s.type,
    version: s.version,
    is_valid: s.is_valid,
    creator: s.creator,
    create_time: s.create_time,
    updater: s.updater,
    update_time: s.update_time,
    rule_instances: s.rule_instances,
  };
}

function getRuleSet(ctx: CallerContext): Reply {
  const s = ctx.store.collection<RuleSetRecord>(RULE_SETS).get(ctx.params.domain_id, ctx.params.rule_set_id);
  return s ? ok(ruleSetDetail(s)) : notFound();
}

function touch<T extends { updater: string; update_time: string; operate_time: number; version: string }>(ctx: CallerContext, r: T): T {
  return { ...r, updater: ctx.caller.user.id, update_time: timeString(ctx.now), operate_time: ctx.now.getTime(), version: newHexId() };
}

function updateRuleSet(ctx: CallerContext): Reply {
  const sets = ctx.store.collection<RuleSetRecord>(RULE_SETS);
  const old = sets.get(ctx.params.domain_id, ctx.params.rule_set_id);
  if (!old) return notFound();
  const b = updateSetBody.safeParse(jsonObject(ctx.rawBody));
  if (!b.success) return invalidParameter();
  const instances = b.data.rules ? (ctx.dialect.is("R1", "instance-ids") ? keptInstances(old, b.data.rules) : instancesOf(ctx, b.data.rules)) : old.rule_instances;
  if (!instances) return invalidParameter();
  sets.put(ctx.params.domain_id, old.id, touch(ctx, { ...old, name: b.data.name ?? old.name, rule_instances: instances }));
  return ok({ status: true, rule_set_id: old.id });
}

function deleteRuleSet(ctx: CallerContext): Reply {
  return ctx.store.collection<RuleSetRecord>(RULE_SETS).remove(ctx.params.domain_id, ctx.params.rule_set_id) ? ok({ status: true }) : notFound();
}

function switchRuleSet(ctx: CallerContext): Reply {
  const sets = ctx.store.collection<RuleSetRecord>(RULE_SETS);
  const old = sets.get(ctx.params.domain_id, ctx.params.rule_set_id);
  if (!old) return notFound();
  const b = switchBody.safeParse(jsonObject(ctx.rawBody));
  if (!b.success) return invalidParameter();
  sets.put(ctx.params.domain_id, old.id, touch(ctx, { ...old, is_valid: b.data.is_valid }));
  return ok({ status: true, rule_set_id: old.id });
}

/** R5 `mixed`: the system rule set every project sees (`creator: system` in the §4.6.1 example). */
const SYSTEM_RULE_SET = {
  id: "5a5ee7f7bd4a4f8b9e9e1c0b0d0e0f01",
  name: "System default policy",
  type: "system",
  version: "1",
  operator: "system",
  operate_time: 1695000000000,
  is_valid: true,
  level: "system",
  is_public: true,
};
const SYSTEM_OSS = {
  id: "5a5ee7f7bd4a4f8b9e9e1c0b0d0e0f02",
  name: "System open-source policy",
  level: "system",
  is_valid: true,
  version: "1",
  operator: "system",
  is_public: true,
  is_legacy: false,
  operate_time: 1695000000000,
};

const ruleSetItem = (s: RuleSetRecord, level: "tenant" | "project") => ({
  id: s.id,
  name: s.name,
  type: s.type,
  version: s.version,
  operator: s.updater,
  operate_time: s.operate_time,
  is_valid: s.is_valid,
  level,
  is_public: false,
});

function filteredRuleSets(ctx: CallerContext, domainId: string): RuleSetRecord[] | undefined {
  const q = ctx.query;
  const include = q.get("include_tenant_rule_set");
  if (include !== "true" && include !== "false") return undefined; // mandatory Boolean (Table 4-179)
  const name = (q.get("name") ?? "").toLowerCase();
  const isValid = q.get("is_valid");
  return ctx.store
    .collection<RuleSetRecord>(RULE_SETS)
    .list(domainId)
    .filter((s) => s.name.toLowerCase().includes(name) && (isValid === null || String(s.is_valid) === isValid))
    .sort((a, b) => b.operate_time - a.operate_time || a.id.localeCompare(b.id));
}

function listRuleSets(ctx: CallerContext): Reply {
  const p = paging(ctx.query);
  const all = filteredRuleSets(ctx, ctx.params.domain_id);
  if (!p || !all) return invalidParameter();
  const window = listWindow(ctx, all, p.offset, p.limit);
  return ok({ data: window.data.map((s) => ruleSetItem(s, "tenant")), total: window.total });
}

/** §4.6.1: a project sees its tenant's rule sets (level "tenant") when include_tenant_rule_set is true. */
function listProjectRuleSets(ctx: CallerContext): Reply {
  const p = paging(ctx.query);
  const all = filteredRuleSets(ctx, ctx.caller.account.domainId);
  if (!p || !all) return invalidParameter();
  // R5 `mixed`: the §4.6.1 example answers include_tenant_rule_set=false with tenant and system items still in it.
  const mixed = ctx.dialect.is("R5", "mixed");
  const visible: Array<Record<string, unknown>> = ctx.query.get("include_tenant_rule_set") === "true" || mixed ? all.map((s) => ruleSetItem(s, "tenant")) : [];
  if (mixed && SYSTEM_RULE_SET.name.toLowerCase().includes((ctx.query.get("name") ?? "").toLowerCase())) visible.push(SYSTEM_RULE_SET);
  const window = listWindow(ctx, visible, p.offset, p.limit);
  return ok({ data: window.data, total: window.total });
}

function getProjectRuleSet(ctx: CallerContext): Reply {
  const s = ctx.store.collection<RuleSetRecord>(RULE_SETS).get(ctx.caller.account.domainId, ctx.params.rule_set_id);
  return s ? ok({ ...ruleSetDetail(s), level: "tenant", is_public: false }) : notFound();
}

// ---------------------------------------------------------------------------------------------
// Tenant-level open-source governance policies (§4.7)

const ossContent = z.object({
  version_set: z
    .object({
      enable: z.boolean().nullish(),
      rules: z
        .array(
          z.object({
            enable: z.boolean().nullish(),
            ecosystem: z.string().nullish(),
            package_name: z.string().nullish(),
            package_version: z.string().nullish(),
            description: z.string().nullish(),
            predicate: z.string().nullish(),
          }),
        )
        .nullish(),
    })
    .nullish(),
  security: z
    .object({
      enable: z.boolean().nullish(),
      rules: z
        .object({
          severity: z.object({ enable: z.boolean().nullish(), values: z.array(z.string()).nullish() }).nullish(),
          cve: z.object({ enable: z.boolean().nullish(), values: z.array(z.string()).nullish() }).nullish(),
        })
        .nullish(),
    })
    .nullish(),
  license: z.object({ enable: z.boolean().nullish(), rules: z.array(z.object({ values: z.array(z.string()).nullish(), predicate: z.string().nullish() })).nullish() }).nullish(),
});
const ossCreateBody = z.object({ name: z.string().min(1), content: ossContent });
const ossUpdateBody = z.object({ name: z.string().min(1), parent_id: z.string().nullish(), content: ossContent });

type OssContent = z.infer<typeof ossContent>;

/**
 * R3: the content as stored. `verbatim`: as sent. `normalised`: the service fills what was left out and
 * cleans lists: every absent or null `enable` false, absent `values` and `rules` lists empty, empty
 * strings dropped from `values`, absent sections present (disabled, no rules).
 */
function storedContent(ctx: CallerContext, c: OssContent): OssContent {
  if (ctx.dialect.is("R3", "verbatim")) return c;
  const vals = (v: Array<string> | null | undefined) => (v ?? []).filter((x) => x !== "");
  const toggle = (t: { enable?: boolean | null; values?: string[] | null } | null | undefined) => ({ enable: t?.enable ?? false, values: vals(t?.values) });
  return {
    version_set: {
      enable: c.version_set?.enable ?? false,
      rules: (c.version_set?.rules ?? []).map((r) => ({ ...Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null && v !== undefined)), enable: r.enable ?? false })),
    },
    security: { enable: c.security?.enable ?? false, rules: { severity: toggle(c.security?.rules?.severity), cve: toggle(c.security?.rules?.cve) } },
    license: {
      enable: c.license?.enable ?? false,
      rules: (c.license?.rules ?? []).map((r) => ({ ...(r.predicate != null ? { predicate: r.predicate } : {}), values: vals(r.values) })),
    },
  };
}

export interface OssRecord {
  id: string;
  name: string;
  level: "tenant";
  parent_id: string | null;
  version: string;
  is_valid: boolean;
  is_public: boolean;
  is_legacy: boolean;
  creator: string;
  updater: string;
  create_time: string;
  update_time: string;
  operate_time: number;
  content: z.infer<typeof ossContent>;
}

function createOss(ctx: CallerContext): Reply {
  const b = ossCreateBody.safeParse(jsonObject(ctx.rawBody));
  if (!b.success) return invalidParameter();
  if (nameTaken(ctx, b.data.name, ctx.store.collection<OssRecord>(OSS).list(ctx.params.domain_id)))
    return pipelineError("DEVCP.00014004", nameExists("open-source policy", b.data.name));
  const now = ctx.now;
  const p: OssRecord = {
    id: newHexId(),
    name: b.data.name,
    level: "tenant",
    parent_id: null,
    version: newHexId(),
    is_valid: ctx.dialect.is("R2", "enabled"),
    is_public: false,
    is_legacy: false,
    creator: ctx.caller.user.id,
    updater: ctx.caller.user.id,
    create_time: timeString(now),
    update_time: timeString(now),
    operate_time: now.getTime(),
    content: storedContent(ctx, b.data.content),
  };
  ctx.store.collection<OssRecord>(OSS).put(ctx.params.domain_id, p.id, p);
  return ok({ status: true, rule_set_id: p.id });
}

const ossDetail = (p: OssRecord) => ({
  id: p.id,
  name: p.name,
  level: p.level,
  parent_id: p.parent_id,
  version: p.version,
  is_valid: p.is_valid,
  is_public: p.is_public,
  creator: p.creator,
  create_time: p.create_time,
  updater: p.updater,
  update_time: p.update_time,
  content: p.content,
});

function getOss(ctx: CallerContext): Reply {
  const p = ctx.store.collection<OssRecord>(OSS).get(ctx.params.domain_id, ctx.params.rule_set_id);
  return p ? ok(ossDetail(p)) : notFound();
}

function updateOss(ctx: CallerContext): Reply {
  const all = ctx.store.collection<OssRecord>(OSS);
  const old = all.get(ctx.params.domain_id, ctx.params.rule_set_id);
  if (!old) return notFound();
  const b = ossUpdateBody.safeParse(jsonObject(ctx.rawBody));
  if (!b.success) return invalidParameter();
  all.put(ctx.params.domain_id, old.id, touch(ctx, { ...old, name: b.data.name, parent_id: b.data.parent_id ?? old.parent_id, content: storedContent(ctx, b.data.content) }));
  return ok({ status: true, rule_set_id: old.id });
}

function deleteOss(ctx: CallerContext): Reply {
  return ctx.store.collection<OssRecord>(OSS).remove(ctx.params.domain_id, ctx.params.rule_set_id) ? ok({ status: true }) : notFound();
}

function switchOss(ctx: CallerContext): Reply {
  const all = ctx.store.collection<OssRecord>(OSS);
  const old = all.get(ctx.params.domain_id, ctx.params.rule_set_id);
  if (!old) return notFound();
  const b = switchBody.safeParse(jsonObject(ctx.rawBody));
  if (!b.success) return invalidParameter();
  all.put(ctx.params.domain_id, old.id, touch(ctx, { ...old, is_valid: b.data.is_valid }));
  return ok({ status: true, rule_set_id: old.id });
}

/** §4.7.4 / §4.8.2: offset (default 0) and limit (default 15) are optional here. */
function ossList(ctx: CallerContext, domainId: string, visible: boolean, project = false): Reply {
  const offset = Number(ctx.query.get("offset") ?? "0");
  const limit = Number(ctx.query.get("limit") ?? "15");
  if (!Number.isInteger(offset) || !Number.isInteger(limit) || offset < 0 || limit < 0) return invalidParameter();
  const name = (ctx.query.get("name") ?? "").toLowerCase();
  const all = visible
    ? ctx.store
        .collection<OssRecord>(OSS)
        .list(domainId)
        .filter((p) => p.name.toLowerCase().includes(name))
        .sort((a, b) => b.operate_time - a.operate_time || a.id.localeCompare(b.id))
    : [];
  const items: Array<Record<string, unknown>> = all.map((p) => ({
    id: p.id,
    name: p.name,
    level: p.level,
    is_valid: p.is_valid,
    version: p.version,
    operator: p.updater,
    is_public: p.is_public,
    is_legacy: p.is_legacy,
    operate_time: p.operate_time,
  }));
  if (project && ctx.dialect.is("R5", "mixed") && SYSTEM_OSS.name.toLowerCase().includes(name)) items.push(SYSTEM_OSS);
  const window = listWindow(ctx, items, offset, limit);
  return ok({ total: window.total, data: window.data });
}

const listOss = (ctx: CallerContext) => ossList(ctx, ctx.params.domain_id, true);

/** §4.8.2: include_tenant_rule_set is mandatory; the tenant's policies are seen only when it is true. */
function listProjectOss(ctx: CallerContext): Reply {
  const include = ctx.query.get("include_tenant_rule_set");
  if (include !== "true" && include !== "false") return invalidParameter();
  // R5 `mixed`: the §4.8.2 example answers false with tenant and system items still in it.
  return ossList(ctx, ctx.caller.account.domainId, include === "true" || ctx.dialect.is("R5", "mixed"), true);
}

function getProjectOss(ctx: CallerContext): Reply {
  const p = ctx.store.collection<OssRecord>(OSS).get(ctx.caller.account.domainId, ctx.params.rule_set_id);
  return p ? ok(ossDetail(p)) : notFound();
}
