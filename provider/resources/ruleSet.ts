import { z } from "zod";
import { Context, PartialCreateError, ResourceKind, stableJson } from "../dynamic";
import { hexId, statusTrueWith } from "../answers";
import { ApiError, unlessGone } from "../errors";
import { seg } from "../http";
import { collect, offsetPages } from "../paging";
import { hex32, nonBlank } from "./common";
import { pageOf, statusTrue, locateTenant, POLICY_NOT_FOUND, policyNames, policySweep, switchPolicy, tenantPath, tenantScoped } from "./policyCommon";

/**
 * RuleSet — a tenant-level policy (CodeArts Pipeline API Reference §4.5): a named set of rules, enabled or not.
 *
 * Rule instances: a rule set is created from rule ids (§4.5.1 example passes ids of §4.4 rules),
 * but its detail lists rule *instances* with ids of their own (the §4.5.3 example's instance id
 * `80cff078…` is no rule id) carrying the rule's name, type and plug-in. So the state keeps the
 * declared rule ids, and a read maps every instance back to a rule by name and type (declared rules
 * first, then the tenant's other rules); an instance whose rule cannot be found keeps its own id.
 * A refresh therefore shows rules added, removed or swapped behind Pulumi's back as a change of
 * `rules`. The instance ids are an output (`ruleInstanceIds`).
 *
 * `isValid` has no place in create (§4.5.1): it goes through the switch API (§4.5.6) after create
 * when the service's default (enabled) differs, and on every change.
 */
export const ruleSetSchema = z.strictObject({
  tenantId: hex32("tenant (account) ID").optional(),
  name: nonBlank,
  rules: z.array(z.strictObject({ id: hex32("rule ID"), isValid: z.boolean().default(true) })),
  isValid: z.boolean().default(true),
  adoptId: hex32("rule set ID").optional(),
});
export type RuleSetInputs = z.output<typeof ruleSetSchema>;

export interface RuleSetOutputs extends Record<string, unknown> {
  domainId: string;
  version?: string;
  ruleInstanceIds: string[];
  creator?: string;
  updater?: string;
  createTime?: string;
  updateTime?: string;
}

interface RuleSetVo {
  id: string;
  name: string;
  version?: string;
  is_valid?: boolean;
  creator?: string;
  updater?: string;
  create_time?: string;
  update_time?: string;
  rule_instances?: Array<{ id: string; type: string; name: string; is_valid?: boolean }> | null;
}

/** §4.5.3: the rule set's detail; what a read records is required. */
const ruleSetAnswer = z.looseObject({ id: hexId, name: z.string() });
const setsPath = (tenant: string) => tenantPath(tenant, "/tenant/rule-sets");

async function getRuleSet(ctx: Context, tenant: string, id: string): Promise<RuleSetVo> {
  return (
    await ctx.client.send<RuleSetVo>({
      service: "pipeline",
      method: "GET",
      path: `${setsPath(tenant)}/${seg(id)}/detail`,
      operation: "RuleSet.get",
      answer: ruleSetAnswer,
      resource: id,
    })
  ).body;
}

/** Every rule of the tenant (§4.4.2; offset and limit are mandatory). */
async function tenantRules(ctx: Context, tenant: string): Promise<Array<{ id: string; name: string; type: string }>> {
  return collect(
    offsetPages(async (offset, limit) => {
      const res = await ctx.client.send<{ data?: Array<{ id: string; name: string; type: string }>; total?: number }>({
        service: "pipeline",
        method: "GET",
        path: tenantPath(tenant, "/rules/query"),
        query: { offset, limit },
        operation: "Rule.list",
        answer: pageOf(z.looseObject({ id: z.string(), name: z.string(), type: z.string() })),
      });
      return { items: res.body?.data ?? [], total: res.body?.total };
    }, 50),
  );
}

/** Instances → the rule ids a program would declare (see the comment at the top). */
async function declaredRules(ctx: Context, tenant: string, s: RuleSetVo, state: Record<string, unknown>): Promise<RuleSetInputs["rules"]> {
  return (await instanceRules(ctx, tenant, s, state)).map(({ id, isValid }) => ({ id, isValid }));
}

/** Each instance of the set with the rule id it maps to (its own id when no rule matches). */
async function instanceRules(ctx: Context, tenant: string, s: RuleSetVo, state: Record<string, unknown>): Promise<Array<{ id: string; isValid: boolean; instanceId: string }>> {
  const instances = s.rule_instances ?? [];
  if (instances.length === 0) return [];
  const all = await tenantRules(ctx, tenant);
  const known = Array.isArray(state.rules) ? (state.rules as Array<{ id: string }>).map((r) => r.id) : [];
  const ordered = [...all.filter((r) => known.includes(r.id)), ...all.filter((r) => !known.includes(r.id))];
  const used = new Set<string>();
  return instances.map((inst) => {
    const match = ordered.find((r) => !used.has(r.id) && r.name === inst.name && r.type === inst.type);
    const id = match?.id ?? inst.id;
    used.add(id);
    return { id, isValid: inst.is_valid ?? true, instanceId: inst.id };
  });
}

/** `known`: the detail the caller has just read, when nothing was written since (no second read of the same thing). */
async function snapshot(
  ctx: Context,
  tenant: string,
  id: string,
  state: Record<string, unknown>,
  known?: Awaited<ReturnType<typeof getRuleSet>>,
): Promise<{ outs: RuleSetOutputs; inputs: RuleSetInputs }> {
  const s = known ?? (await getRuleSet(ctx, tenant, id));
  const inputs: RuleSetInputs = {
    tenantId: state.tenantId === undefined ? undefined : tenant,
    name: s.name,
    rules: await declaredRules(ctx, tenant, s, state),
    isValid: s.is_valid ?? true,
    adoptId: undefined,
  };
  const { adoptId: _adopt, ...declared } = inputs;
  const outs: RuleSetOutputs = {
    ...declared,
    domainId: tenant,
    version: s.version,
    ruleInstanceIds: (s.rule_instances ?? []).map((i) => i.id),
    creator: s.creator,
    updater: s.updater,
    createTime: s.create_time,
    updateTime: s.update_time,
  };
  return { outs, inputs };
}

const rulesBody = (i: RuleSetInputs) => i.rules.map((r) => ({ id: r.id, is_valid: r.isValid }));

/** The service refused the body's parameters (§5.2 DEVCP.00014004, inside 200 or as a 400): nothing was changed. */
const refusedParameters = (e: unknown) => e instanceof ApiError && (e.errorCode === "DEVCP.00014004" || (e.status === 400 && !e.errorCode?.startsWith("APIG")));

/**
 * R1: which ids a rule-set update's `rules[].id` takes. Table 4-185 says "Rule Instance ID" and the
 * §4.5.2 example sends ids §4.5.3 lists as instance ids; create takes rule ids. So the provider sends the
 * set's instance ids when every declared rule is already in the set (the example's reading), and the
 * rule ids when the service refuses those or a rule is new; it never sends a mix. A service that takes
 * only instance ids cannot add a rule to a set: the provider stops with an error naming the rule
 * (nothing changed). Every update is verified by reading the set back.
 */
async function updateRules(ctx: Context, tenant: string, id: string, olds: Record<string, unknown>, news: RuleSetInputs): Promise<void> {
  const current = await instanceRules(ctx, tenant, await getRuleSet(ctx, tenant, id), olds);
  const free = [...current];
  const asInstances = news.rules.map((r) => {
    const i = free.findIndex((c) => c.id === r.id);
    return i < 0 ? undefined : { id: free.splice(i, 1)[0].instanceId, is_valid: r.isValid };
  });
  const send = (rules: Array<{ id: string; is_valid: boolean }>) =>
    ctx.client.send({
      service: "pipeline",
      method: "PUT",
      path: `${setsPath(tenant)}/${seg(id)}/update`,
      body: { name: news.name, rules },
      operation: "RuleSet.update",
      answer: statusTrue,
      resource: id,
    });
  if (asInstances.every((r) => r !== undefined)) {
    try {
      await send(asInstances as Array<{ id: string; is_valid: boolean }>);
      return;
    } catch (e) {
      if (!refusedParameters(e)) throw e;
      ctx.log(`RuleSet.update ${id}: the service refused the set's rule instance ids (§4.5.2 R1); sending the rule ids`);
    }
  }
  try {
    await send(rulesBody(news));
  } catch (e) {
    if (!refusedParameters(e)) throw e;
    const added = news.rules.filter((_r, i) => asInstances[i] === undefined).map((r) => r.id);
    throw new Error(
      `RuleSet.update for ${id}: the service refused the rule ids in rules[].id and ${added.length ? `the rule(s) ${added.join(", ")} are not in the set, so they have no instance id` : "the set's instance ids"}. ` +
        `Its update takes the set's rule instance ids (§4.5.2 Table 4-185 "Rule Instance ID"; ambiguity R1 instance-ids): a rule cannot be added to an existing rule set in place. ` +
        `Nothing was changed; declare a new rule set (another resource name) with the rules instead. (${(e as Error).message})`,
      { cause: e },
    );
  }
}

export const ruleSet: ResourceKind<typeof ruleSetSchema, RuleSetOutputs> = {
  name: "RuleSet",
  schema: ruleSetSchema,
  ...tenantScoped,
  // A new version, editor and time on every edit and switch.
  serviceMaintained: ["version", "updater", "updateTime"],

  async create(ctx, inputs) {
    const tenant = inputs.tenantId ?? (await ctx.client.domainId());
    const res = await ctx.client.send<{ rule_set_id?: string }>({
      service: "pipeline",
      method: "POST",
      path: `${setsPath(tenant)}/create`,
      body: { name: inputs.name, rules: rulesBody(inputs) },
      operation: "RuleSet.create",
      answer: statusTrueWith("rule_set_id"),
      resource: inputs.name,
    });
    const id = res.body?.rule_set_id;
    if (!id) throw new Error(`RuleSet.create for ${inputs.name}: the answer carries no rule_set_id (request id ${res.requestId ?? "unknown"})`);
    try {
      const s = await getRuleSet(ctx, tenant, id);
      const switched = (s.is_valid ?? true) !== inputs.isValid;
      if (switched) await switchPolicy(ctx, "RuleSet", setsPath(tenant), inputs.isValid, id);
      return { id, outs: (await snapshot(ctx, tenant, id, inputs, switched ? undefined : s)).outs };
    } catch (e) {
      throw new PartialCreateError(id, { ...inputs, domainId: tenant, isValid: !inputs.isValid, ruleInstanceIds: [] }, e);
    }
  },

  // include_tenant_rule_set is mandatory (Table 4-179).
  naturalKey: policyNames<RuleSetInputs>("RuleSet", "/tenant/rule-sets/query", { include_tenant_rule_set: true }),
  sweep: policySweep("RuleSet", "/tenant/rule-sets/query", { include_tenant_rule_set: true }),

  async read(ctx, id, state) {
    const { tenant, objectId } = await locateTenant(ctx, id, state);
    return unlessGone(snapshot(ctx, tenant, objectId, state), POLICY_NOT_FOUND);
  },

  async update(ctx, id, olds, news) {
    const { tenant, objectId } = await locateTenant(ctx, id, olds);
    const sameRules = stableJson(olds.rules) === stableJson(news.rules);
    if (!sameRules) await updateRules(ctx, tenant, objectId, olds, news);
    else if (olds.name !== news.name) {
      // A rename alone sends no rules (they are optional, Table 4-184): no instance ids to get wrong (R1).
      await ctx.client.send({
        service: "pipeline",
        method: "PUT",
        path: `${setsPath(tenant)}/${seg(objectId)}/update`,
        body: { name: news.name },
        operation: "RuleSet.update",
        answer: statusTrue,
        resource: objectId,
      });
    }
    if (olds.isValid !== news.isValid) await switchPolicy(ctx, "RuleSet", setsPath(tenant), news.isValid, objectId);
    let after = await snapshot(ctx, tenant, objectId, news);
    if (sameRules && stableJson(after.inputs.rules) !== stableJson(news.rules)) {
      // The set's rule instances are copies: after a rule was renamed they no longer map back to it.
      // Sending the rules again (as instance or rule ids, R1) refreshes them in the same up.
      await updateRules(ctx, tenant, objectId, after.outs, news);
      after = await snapshot(ctx, tenant, objectId, news);
    }
    if (stableJson(after.inputs.rules) !== stableJson(news.rules)) {
      throw new Error(
        `RuleSet.update for ${objectId}: the set reads back rules ${JSON.stringify(after.inputs.rules)}, not the declared ${JSON.stringify(news.rules)} (ambiguity R1: the service took rules[].id otherwise than as sent)`,
      );
    }
    return after.outs;
  },

  async delete(ctx, id, state) {
    const { tenant, objectId } = await locateTenant(ctx, id, state);
    await ctx.client.send({
      service: "pipeline",
      method: "DELETE",
      path: `${setsPath(tenant)}/${seg(objectId)}/delete`,
      operation: "RuleSet.delete",
      answer: statusTrue,
      resource: objectId,
    });
  },
};
