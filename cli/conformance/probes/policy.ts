import { seg } from "../../../provider/http";
import { rule } from "../../../provider/resources/rule";
import { ruleSet } from "../../../provider/resources/ruleSet";
import { openSourcePolicy } from "../../../provider/resources/openSourcePolicy";
import { describe, found, unknown, type Outcome, type Probe, type ProbeContext, type Unprobeable } from "../probe";

/**
 * Probes of the Policy family (CodeArts Pipeline API Reference §4.4–§4.8): rules, tenant rule sets, tenant open-source
 * policies and the project-level lists. Scratch objects are made with the raw APIs (the answer is the
 * point: a kind's create would read back and converge, hiding what the service did) and removed with
 * the kinds' own delete, which serves every reading of every other row.
 */

const tenantPath = (domainId: string, rest: string) => `/v2/${seg(domainId, "the account id")}${rest}`;

/** §4.4.5 example body (CodeArts Pipeline API Reference), with a scratch name. */
const ruleBody = (name: string) => ({
  name,
  type: "Build",
  plugin_id: "official_devcloud_cloudBuild",
  plugin_name: "official_devcloud_cloudBuild",
  plugin_version: "0.0.15",
  layout_content: "layout_content",
  content: [
    {
      group_name: "MavenUnitTest",
      properties: [{ key: "build.PassRatio", name: "PassRatio", type: "judge", operator: "=", value_type: "float", value: "0.1" }],
    },
  ],
});

/** §4.7.1 example content (CodeArts Pipeline API Reference): what an open-source policy is made with. */
const OSS_CONTENT = {
  version_set: { enable: true, rules: [{ ecosystem: "Maven", package_name: "sboot", predicate: "eq", package_version: "1.1", description: "", enable: true }] },
  security: { enable: true, rules: { severity: { enable: false, values: [] as string[] }, cve: { enable: false, values: [""] } } },
  license: { enable: true, rules: [{ values: [] as string[], predicate: "contain" }] },
};

const body = (o: Outcome): Record<string, unknown> => (o.ok && o.res.body && typeof o.res.body === "object" ? (o.res.body as Record<string, unknown>) : {});

/** A scratch rule (raw §4.4.5 create), its cleanup registered at once; the id, or why not. */
async function scratchRule(ctx: ProbeContext, domainId: string, label: string): Promise<{ id: string } | { why: string }> {
  const name = ctx.name(label);
  const o = await ctx.attempt({
    service: "pipeline",
    method: "POST",
    path: tenantPath(domainId, "/rules/create"),
    body: ruleBody(name),
    operation: "Conformance.Rule.create",
    resource: name,
  });
  const id = body(o).rule_id;
  if (typeof id !== "string" || id === "") return { why: `the scratch rule create answered ${describe(o)} without a rule_id` };
  ctx.cleanup(`rule ${name} (${id})`, () => rule.delete(ctx.kinds, id, { domainId }));
  return { id };
}

/** A scratch open-source policy (raw §4.7.1 create with the example content), cleanup registered at once. */
async function scratchOss(ctx: ProbeContext, domainId: string, label: string): Promise<{ id: string; name: string } | { why: string }> {
  const name = ctx.name(label);
  const o = await ctx.attempt({
    service: "pipeline",
    method: "POST",
    path: tenantPath(domainId, "/tenant/open-source/rule-sets/create"),
    body: { name, content: OSS_CONTENT },
    operation: "Conformance.OpenSourcePolicy.create",
    resource: name,
  });
  const id = body(o).rule_set_id;
  if (typeof id !== "string" || id === "") return { why: `the scratch open-source policy create answered ${describe(o)} without a rule_set_id` };
  ctx.cleanup(`open-source policy ${name} (${id})`, () => openSourcePolicy.delete(ctx.kinds, id, { domainId }));
  return { id, name };
}

async function ossDetail(ctx: ProbeContext, domainId: string, id: string): Promise<Outcome> {
  return ctx.attempt({
    service: "pipeline",
    method: "GET",
    path: tenantPath(domainId, `/tenant/open-source/rule-sets/${seg(id)}/detail`),
    operation: "Conformance.OpenSourcePolicy.get",
    resource: id,
  });
}

const r1: Probe = {
  row: "R1",
  method:
    "makes a scratch rule and a scratch rule set holding it, reads the set's rule instance id, then updates the set naming the rule id (accepted: rule-ids) and, if refused, the instance id (accepted: instance-ids); both removed",
  cost: "scratch",
  async run(ctx) {
    const domainId = await ctx.domainId();
    const made = await scratchRule(ctx, domainId, "r1_rule");
    if ("why" in made) return unknown(made.why);
    const ruleId = made.id;
    const setName = ctx.name("r1_set");
    const sets = "/tenant/rule-sets";
    const created = await ctx.attempt({
      service: "pipeline",
      method: "POST",
      path: tenantPath(domainId, `${sets}/create`),
      body: { name: setName, rules: [{ id: ruleId, is_valid: true }] },
      operation: "Conformance.RuleSet.create",
      resource: setName,
    });
    const setId = body(created).rule_set_id;
    if (typeof setId !== "string" || setId === "") return unknown(`creating a rule set with the rule id answered ${describe(created)} without a rule_set_id`);
    ctx.cleanup(`rule set ${setName} (${setId})`, () => ruleSet.delete(ctx.kinds, setId, { domainId, ruleInstanceIds: [] }));
    const detail = await ctx.attempt({
      service: "pipeline",
      method: "GET",
      path: tenantPath(domainId, `${sets}/${seg(setId)}/detail`),
      operation: "Conformance.RuleSet.get",
      resource: setId,
    });
    const instances = body(detail).rule_instances;
    const instanceId = Array.isArray(instances) && instances.length === 1 ? (instances[0] as { id?: unknown }).id : undefined;
    if (typeof instanceId !== "string") return unknown(`the detail of a rule set made with one rule answered ${describe(detail)} without exactly one rule instance with an id`);
    if (instanceId === ruleId) return unknown(`the set's rule instance has the rule's own id (${ruleId}): rule and instance ids cannot be told apart here`);
    const update = (id: string) =>
      ctx.attempt({
        service: "pipeline",
        method: "PUT",
        path: tenantPath(domainId, `${sets}/${seg(setId)}/update`),
        body: { name: setName, rules: [{ id, is_valid: true }] },
        operation: "Conformance.RuleSet.update",
        resource: setId,
      });
    const byRule = await update(ruleId);
    if (byRule.ok) return found("rule-ids", `update naming the rule id ${ruleId} (not the set's instance id ${instanceId}) accepted: ${describe(byRule)}`);
    const byInstance = await update(instanceId);
    if (byInstance.ok)
      return found("instance-ids", `update naming the rule id refused (${describe(byRule)}); naming the set's instance id ${instanceId} accepted (${describe(byInstance)})`);
    return unknown(`the update was refused naming the rule id (${describe(byRule)}) and the instance id (${describe(byInstance)})`);
  },
};

const r2: Probe = {
  row: "R2",
  method: "makes a scratch open-source policy (the §4.7.1 example content) and reads its is_valid from the detail; removed",
  cost: "scratch",
  async run(ctx) {
    const domainId = await ctx.domainId();
    const made = await scratchOss(ctx, domainId, "r2_oss");
    if ("why" in made) return unknown(made.why);
    const d = await ossDetail(ctx, domainId, made.id);
    const v = body(d).is_valid;
    if (v === false) return found("disabled", `a new policy's detail answered is_valid false (${describe(d)})`);
    if (v === true) return found("enabled", `a new policy's detail answered is_valid true (${describe(d)})`);
    return unknown(`the new policy's detail answered ${describe(d)} with is_valid ${JSON.stringify(v)}`);
  },
};

/** The first place two JSON values differ (objects by key, whatever the order), or undefined when equal. */
export function firstDifference(sent: unknown, got: unknown, at = "content"): string | undefined {
  if (Array.isArray(sent) && Array.isArray(got)) {
    if (sent.length !== got.length) return `${at}: ${sent.length} item(s) sent, ${got.length} read back`;
    for (let i = 0; i < sent.length; i++) {
      const d = firstDifference(sent[i], got[i], `${at}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (sent && got && typeof sent === "object" && typeof got === "object" && !Array.isArray(sent) && !Array.isArray(got)) {
    const s = sent as Record<string, unknown>,
      g = got as Record<string, unknown>;
    for (const k of new Set([...Object.keys(s), ...Object.keys(g)])) {
      if (!(k in g)) return `${at}.${k}: sent ${JSON.stringify(s[k])}, not read back`;
      if (!(k in s)) return `${at}.${k}: not sent, read back ${JSON.stringify(g[k])}`;
      const d = firstDifference(s[k], g[k], `${at}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return JSON.stringify(sent) === JSON.stringify(got) ? undefined : `${at}: sent ${JSON.stringify(sent)}, read back ${JSON.stringify(got)}`;
}

const r3: Probe = {
  row: "R3",
  method:
    'makes a scratch open-source policy with the §4.7.1 example content (cve.values [""], an empty description) and compares the detail\'s content with what was sent; removed',
  cost: "scratch",
  async run(ctx) {
    const domainId = await ctx.domainId();
    const made = await scratchOss(ctx, domainId, "r3_oss");
    if ("why" in made) return unknown(made.why);
    const d = await ossDetail(ctx, domainId, made.id);
    const content = body(d).content;
    if (!d.ok || !content || typeof content !== "object") return unknown(`the new policy's detail answered ${describe(d)} without a content object`);
    const diff = firstDifference(OSS_CONTENT, content);
    return diff ? found("normalised", `read back otherwise than sent: ${diff}`) : found("verbatim", "the detail's content equals the §4.7.1 example content sent, key for key");
  },
};

const r4: Probe = {
  row: "R4",
  method:
    "reads the detail of the account's first rule (rule list, limit 1) or, when there is none, of a scratch rule made with a layout_content (then removed); the key's presence names the reading",
  cost: "scratch",
  async run(ctx) {
    const domainId = await ctx.domainId();
    const list = await ctx.attempt({
      service: "pipeline",
      method: "GET",
      path: tenantPath(domainId, "/rules/query"),
      query: { offset: 0, limit: 1 },
      operation: "Conformance.Rule.list",
    });
    const data = body(list).data;
    const first = Array.isArray(data) && data.length > 0 ? (data[0] as { id?: unknown }).id : undefined;
    let ruleId: string;
    let whose: string;
    if (typeof first === "string" && first !== "") {
      ruleId = first;
      whose = `existing rule ${first} (layout_content is mandatory at create, Table 4-171)`;
    } else {
      if (!list.ok) return unknown(`the rule list answered ${describe(list)}`);
      const made = await scratchRule(ctx, domainId, "r4_rule");
      if ("why" in made) return unknown(made.why);
      ruleId = made.id;
      whose = `scratch rule ${made.id} made with layout_content "layout_content"`;
    }
    const d = await ctx.attempt({
      service: "pipeline",
      method: "GET",
      path: tenantPath(domainId, `/rules/${seg(ruleId)}/detail`),
      operation: "Conformance.Rule.get",
      resource: ruleId,
    });
    const b = body(d);
    if (!d.ok || b.id !== ruleId) return unknown(`the detail of ${whose} answered ${describe(d)} without the rule`);
    return "layout_content" in b
      ? found("returned", `the detail of ${whose} has layout_content ${JSON.stringify(b.layout_content).slice(0, 60)}`)
      : found("omitted", `the detail of ${whose} has no layout_content key`);
  },
};

/**
 * R5: project-level lists with include_tenant_rule_set=false, on both lists of the row: rule sets (§4.6.1,
 * GET /v2/{project_id}/rule-sets/query) and open-source policies (§4.8.2, GET
 * /v2/{project_id}/open-source/rule-sets/query). Each half the same way: a tenant object the project sees
 * with include_tenant_rule_set=true (the control) is looked for with =false, filtered by its name.
 * Present: `mixed`; absent while the control shows it: `tenant-only`. An empty false list alone proves
 * nothing, so a tenant object is needed: the project's first one, or a scratch one (a rule set needs a
 * scratch rule to hold). The row's readings are both halves together: halves that disagree are neither.
 */
type R5Half = { reading: "tenant-only" | "mixed"; evidence: string } | { unknown: string };
type Listed = { id?: unknown; name?: unknown; level?: unknown };

async function tenantHalf(
  what: string,
  list: (include: boolean, name?: string) => Promise<Outcome>,
  scratch: () => Promise<{ id: string; name: string } | { why: string }>,
  kind: string,
): Promise<R5Half> {
  const items = async (include: boolean, name?: string) => {
    const o = await list(include, name);
    const data = body(o).data;
    return { o, items: Array.isArray(data) ? (data as Listed[]) : undefined };
  };
  const control = await items(true);
  if (!control.items) return { unknown: `the ${what} with include_tenant_rule_set=true answered ${describe(control.o)} without a data list` };
  let tenant = control.items.find((i) => i.level === "tenant" && typeof i.id === "string" && typeof i.name === "string") as { id: string; name: string } | undefined;
  let whose = `the project's tenant ${kind}`;
  if (!tenant) {
    const made = await scratch();
    if ("why" in made) return { unknown: made.why };
    const again = await items(true, made.name);
    if (!again.items?.some((i) => i.id === made.id)) {
      return {
        unknown: `the scratch tenant ${kind} ${made.id} is not in the ${what} even with include_tenant_rule_set=true (${describe(again.o)}): the project does not see its tenant's ${kind}s`,
      };
    }
    tenant = made;
    whose = `the scratch tenant ${kind}`;
  }
  const without = await items(false, tenant.name);
  if (!without.items) return { unknown: `the ${what} with include_tenant_rule_set=false answered ${describe(without.o)} without a data list` };
  if (without.items.some((i) => i.id === tenant!.id)) {
    return {
      reading: "mixed",
      evidence: `${what}: ${whose} ${tenant.id} is listed with include_tenant_rule_set=false too (${without.items.length} item(s): levels ${[...new Set(without.items.map((i) => String(i.level)))].join(", ")})`,
    };
  }
  return {
    reading: "tenant-only",
    evidence: `${what}: ${whose} ${tenant.id}, listed with include_tenant_rule_set=true, is absent with =false (filtered by its name: ${without.items.length} item(s))`,
  };
}

/** A scratch tenant rule set (raw §4.5.1 create) holding a scratch rule; both removed with the kinds' delete, registered at once. */
async function scratchRuleSet(ctx: ProbeContext, domainId: string, label: string): Promise<{ id: string; name: string } | { why: string }> {
  const made = await scratchRule(ctx, domainId, `${label}_rule`);
  if ("why" in made) return made;
  const name = ctx.name(label);
  const o = await ctx.attempt({
    service: "pipeline",
    method: "POST",
    path: tenantPath(domainId, "/tenant/rule-sets/create"),
    body: { name, rules: [{ id: made.id, is_valid: true }] },
    operation: "Conformance.RuleSet.create",
    resource: name,
  });
  const id = body(o).rule_set_id;
  if (typeof id !== "string" || id === "") return { why: `the scratch rule set create answered ${describe(o)} without a rule_set_id` };
  ctx.cleanup(`rule set ${name} (${id})`, () => ruleSet.delete(ctx.kinds, id, { domainId, ruleInstanceIds: [] }));
  return { id, name };
}

const r5: Probe = {
  row: "R5",
  method:
    "lists the project's open-source policies (§4.8.2) and rule sets (§4.6.1) with include_tenant_rule_set=true to find a tenant one of each (else makes a scratch open-source policy, or a scratch rule and rule set, then removed), then lists with =false by its name: present in both → mixed, absent from both → tenant-only",
  cost: "scratch",
  async run(ctx) {
    const project = ctx.codeartsProjectId;
    if (!project) return unknown("needs a CodeArts project (--project): the lists of R5 are project-level");
    const domainId = await ctx.domainId();
    const projectList = (rest: string, operation: string) => (include: boolean, name?: string) =>
      ctx.attempt({
        service: "pipeline",
        method: "GET",
        path: `/v2/${seg(project, "the project id")}${rest}`,
        query: { include_tenant_rule_set: include, offset: 0, limit: 50, name },
        operation,
      });
    const oss = await tenantHalf(
      "§4.8.2 open-source policy list",
      projectList("/open-source/rule-sets/query", "Conformance.ProjectOpenSourcePolicy.list"),
      () => scratchOss(ctx, domainId, "r5_oss"),
      "policy",
    );
    if ("unknown" in oss) return unknown(oss.unknown);
    const sets = await tenantHalf(
      "§4.6.1 rule set list",
      projectList("/rule-sets/query", "Conformance.ProjectRuleSet.list"),
      () => scratchRuleSet(ctx, domainId, "r5_set"),
      "rule set",
    );
    if ("unknown" in sets) return unknown(sets.unknown);
    if (sets.reading !== oss.reading) return unknown(`the halves disagree, which neither reading says: ${oss.evidence}; ${sets.evidence}`);
    return found(oss.reading, `${oss.evidence}; ${sets.evidence}`);
  },
};

export const PROBES: Probe[] = [r1, r2, r3, r4, r5];
export const UNPROBEABLE: Unprobeable[] = [];
