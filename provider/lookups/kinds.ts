import { z } from "zod";
import { makeProvider, type Context } from "../dynamic";
import { KINDS, type KindName } from "../kinds";
import { hex32 } from "../resources/common";
import { getGroupTree, type GroupVo } from "../resources/pipelineGroup";
import { listByName } from "../resources/publisher";
import type { TypedLookup } from "./lookup";
import type { PipelineGroupOutputs } from "../resources/pipelineGroup";
import type { PipelineTemplateOutputs } from "../resources/pipelineTemplate";
import type { PipelineOutputs } from "../resources/pipeline";
import type { RuleOutputs } from "../resources/rule";
import type { RuleSetOutputs } from "../resources/ruleSet";
import type { OpenSourcePolicyOutputs } from "../resources/openSourcePolicy";
import type { PublisherOutputs } from "../resources/publisher";
import type { PluginOutputs } from "../resources/plugin";
import type { PluginVersionOutputs } from "../resources/pluginVersion";
import type { ScriptOutputs } from "../resources/script";
import type { TestPlanOutputs } from "../resources/testPlan";
import { LookupMatchError } from "./errors";

/**
 * The look-ups of the kinds that can be found by name or id: each answers what the kind's resource
 * records (its outputs, plus `id` as a create records it), read by the kind's own `read` through the
 * glue's `lookup` (the read `pulumi import` makes), after the kind's own `naturalKey.find` where a name
 * is given. Nothing here restates a schema or an API call; what differs per kind is which arguments
 * locate an object and the id form its read takes.
 */

type Args = Record<string, unknown>;
/** The kind's natural-key listing, called with just the key (every `find` reads only its key inputs). */
const findOf = (kind: KindName) => (ctx: Context, key: Args) => KINDS[kind].naturalKey!.find(ctx, key as never);

interface KindLookup<S extends z.ZodRawShape, N extends string> {
  name: string;
  kind: KindName;
  description: string;
  /** Where the object lives (a project, a tenant): arguments that are neither the name nor the id. */
  scope: S;
  /** The argument a name is given in; absent: the object is found by id only. */
  nameKey?: N;
  /** The id argument's documentation. */
  idDoc?: string;
  /** The id the kind's read (the glue's `lookup`) takes for this object. */
  readId(args: Args, id: string): string;
  /** The ids of objects with this name (the kind's naturalKey.find, or a listing of the kind's). */
  find?(ctx: Context, args: Args): Promise<string[]>;
  /** Outputs that stand for a value the API does not return (a marker in state): left out of the answer. */
  unseen?: readonly string[];
}

/** `name` or `id`, exactly one: a key that is both would say two different things. */
function oneKey(nameKey: string | undefined) {
  return (a: Args, ctx: z.RefinementCtx) => {
    if (!nameKey) return;
    const given = [nameKey, "id"].filter((k) => a[k] !== undefined);
    if (given.length !== 1) ctx.addIssue({ code: "custom", path: [nameKey], message: `give exactly one of ${nameKey} and id (${given.length === 0 ? "neither" : "both"} given)` });
  };
}

/** The arguments as a program writes them: the scope's, and the name or the id where the kind has both. */
type KeyArgs<S extends z.ZodRawShape, N extends string> = (keyof S extends never ? unknown : z.input<z.ZodObject<S>>) &
  ([N] extends [never] ? unknown : { [P in N]?: string } & { id?: string });

/** The answer: the kind's outputs and the id its resource records (`unseen` outputs may be absent). */
type Found<O> = O & { id: string };

function kindLookup<O, S extends z.ZodRawShape, N extends string = never>(d: KindLookup<S, N>): TypedLookup<KeyArgs<S, N>, Found<O>> {
  const idKey = d.nameKey ? "id" : undefined;
  const shape: z.ZodRawShape = {
    ...d.scope,
    ...(d.nameKey ? { [d.nameKey]: z.string().min(1, "must not be empty").optional().describe(`The ${d.kind}'s ${d.nameKey}, matched exactly; give this or \`id\`.`) } : {}),
    ...(idKey
      ? {
          [idKey]: z
            .string()
            .min(1, "must not be empty")
            .optional()
            .describe(d.idDoc ?? `The ${d.kind}'s id, as its resource records it; give this or \`${d.nameKey}\`.`),
        }
      : {}),
  };
  const args = z.strictObject(shape).superRefine(oneKey(d.nameKey));
  return {
    name: d.name,
    description: d.description,
    args,
    returns: { kind: d.kind, unseen: d.unseen },
    async run(ctx, a: Args) {
      const glue = makeProvider(KINDS[d.kind] as never, () => ctx);
      const scope = Object.fromEntries(Object.keys(d.scope).map((k) => [k, a[k]]));
      let id = idKey ? (a[idKey] as string | undefined) : undefined;
      if (id === undefined && d.nameKey && d.find) {
        const ids = [...new Set(await d.find(ctx, a))];
        if (ids.length !== 1) throw new LookupMatchError(d.kind, { ...scope, [d.nameKey]: a[d.nameKey] }, ids);
        id = ids[0];
      }
      const readId = d.readId(a, id ?? "");
      const found = await glue.lookup(readId);
      if (!found) throw new LookupMatchError(d.kind, { ...scope, ...(idKey ? { id } : {}) }, []);
      const outs = Object.fromEntries(Object.entries(found.props).filter(([k]) => !d.unseen?.includes(k) && k !== "adoptId"));
      return { ...outs, id: found.id };
    },
  };
}

const projectId = hex32("CodeArts project ID").describe("The CodeArts project (32 hex).");
const tenantId = hex32("tenant (account) ID").optional().describe("The account (domain) id the object belongs to; defaults to the provider's domainId (huaweicloud:domainId).");
const tenantScope = { tenantId };
const projectScope = { projectId };
const noScope = {};
const pluginName = z.string().min(1, "must not be empty").describe("The plug-in's name (`plugin_name`).");
const pluginScope = { pluginName };
const versionScope = { pluginName, version: z.string().min(1, "must not be empty").describe("The version, e.g. `1.0.0`.") };
const inTenant = (a: Args, id: string) => (typeof a.tenantId === "string" ? `${a.tenantId}/${id}` : id);

const groupScope = { projectId, parentId: hex32("pipeline group ID").optional().describe("Match the name only among this group's children.") };

/** Every group of a project's tree with this name, at any depth (or only under `parentId`, when given). */
async function groupsNamed(ctx: Context, a: Args): Promise<string[]> {
  const out: string[] = [];
  const walk = (gs: readonly GroupVo[] | null | undefined) => {
    for (const g of gs ?? []) {
      if (g.name === a.name && (a.parentId === undefined || (g.parent_id || "") === a.parentId)) out.push(g.id);
      walk(g.children);
    }
  };
  walk(await getGroupTree(ctx, a.projectId as string));
  return out;
}

/** By function name (each `name` is its key). */
export const KIND_LOOKUPS = {
  getPipelineGroup: kindLookup<PipelineGroupOutputs, typeof groupScope, "name">({
    name: "getPipelineGroup",
    kind: "PipelineGroup",
    description:
      "Looks up a pipeline group of a CodeArts project by name or id (CodeArts Pipeline API Reference §4.3.4, the group tree). A name is matched at any depth, or only among the children of `parentId` when given; names may repeat, and then the look-up names every match.",
    scope: groupScope,
    nameKey: "name",
    readId: (a, id) => `${a.projectId}/${id}`,
    find: groupsNamed,
  }),
  getPipelineTemplate: kindLookup<PipelineTemplateOutputs, typeof tenantScope, "name">({
    name: "getPipelineTemplate",
    kind: "PipelineTemplate",
    description:
      "Looks up a custom pipeline template of the account by name or id (CodeArts Pipeline API Reference §4.1.1 list, §4.1.3 detail). System templates are not matched by name; names may repeat.",
    scope: tenantScope,
    nameKey: "name",
    readId: inTenant,
    find: findOf("PipelineTemplate"),
  }),
  getPipeline: kindLookup<PipelineOutputs, typeof projectScope, "name">({
    name: "getPipeline",
    kind: "Pipeline",
    description:
      "Looks up a pipeline of a CodeArts project by name or id (CodeArts Pipeline API Reference §4.2.4, the pipeline list: there is no read of one pipeline). Names may repeat. Like an import, only what the list shows is known: `definition` and `sources` are not returned.",
    scope: projectScope,
    nameKey: "name",
    readId: (a, id) => `${a.projectId}/${id}`,
    find: findOf("Pipeline"),
  }),
  getRule: kindLookup<RuleOutputs, typeof tenantScope, "name">({
    name: "getRule",
    kind: "Rule",
    description:
      "Looks up a rule of the tenant by name or id (CodeArts Pipeline API Reference §4.4.2 list, §4.4.1 detail). Names may repeat. `layoutContent` is not answered: the rule detail does not return it.",
    scope: tenantScope,
    nameKey: "name",
    readId: inTenant,
    find: findOf("Rule"),
    unseen: ["layoutContent"],
  }),
  getRuleSet: kindLookup<RuleSetOutputs, typeof tenantScope, "name">({
    name: "getRuleSet",
    kind: "RuleSet",
    description: "Looks up a rule set (policy) of the tenant by name or id (CodeArts Pipeline API Reference §4.5.4 list, §4.5.3 detail). Names may repeat.",
    scope: tenantScope,
    nameKey: "name",
    readId: inTenant,
    find: findOf("RuleSet"),
  }),
  getOpenSourcePolicy: kindLookup<OpenSourcePolicyOutputs, typeof tenantScope, "name">({
    name: "getOpenSourcePolicy",
    kind: "OpenSourcePolicy",
    description: "Looks up an open-source governance policy of the tenant by name or id (CodeArts Pipeline API Reference §4.7.4 list, §4.7.3 detail). Names may repeat.",
    scope: tenantScope,
    nameKey: "name",
    readId: inTenant,
    find: findOf("OpenSourcePolicy"),
  }),
  getPublisher: kindLookup<PublisherOutputs, typeof noScope, "name">({
    name: "getPublisher",
    kind: "Publisher",
    description:
      "Looks up an extension publisher by name or id (`publisher_unique_id`; CodeArts Pipeline API Reference §4.9.12 list, then the publisher's detail). Nothing makes a publisher's name unique.",
    scope: noScope,
    nameKey: "name",
    idDoc: "The publisher's `publisher_unique_id`; give this or `name`.",
    readId: (_a, id) => id,
    find: async (ctx, a) => (await listByName(ctx, a.name as string)).filter((vo) => vo.name === a.name).map((vo) => vo.publisher_unique_id),
  }),
  getPlugin: kindLookup<PluginOutputs, typeof pluginScope>({
    name: "getPlugin",
    kind: "Plugin",
    description: "Looks up an extension plug-in by its name, its identity in every plug-in API (CodeArts Pipeline API Reference §4.9.17, the plug-in listing, read by exact name).",
    scope: pluginScope,
    readId: (a) => a.pluginName as string,
  }),
  getPluginVersion: kindLookup<PluginVersionOutputs, typeof versionScope>({
    name: "getPluginVersion",
    kind: "PluginVersion",
    description: "Looks up one version of an extension plug-in (CodeArts Pipeline API Reference §4.9.18, the version detail).",
    scope: versionScope,
    readId: (a) => `${a.pluginName}/${a.version}`,
  }),
  getScript: kindLookup<ScriptOutputs, typeof noScope, "name">({
    name: "getScript",
    kind: "Script",
    description:
      "Looks up a COC custom script by name or id (its uuid; Cloud Operations Center (COC) API Reference §4.2.2 list, §4.2.5 detail). Names are unique per tenant. Sensitive parameter values are answered as the service's mask.",
    scope: noScope,
    nameKey: "name",
    idDoc: "The script's uuid (`script_uuid`); give this or `name`.",
    readId: (_a, id) => id,
    find: findOf("Script"),
  }),
  getTestPlan: kindLookup<TestPlanOutputs, typeof projectScope, "name">({
    name: "getTestPlan",
    kind: "TestPlan",
    description:
      "Looks up a CloudTest test plan of a project by name or id (CloudTest API Reference §4.3.6, the plan list). Names are unique per project. Its test cases are not answered: no API returns them.",
    scope: projectScope,
    nameKey: "name",
    readId: (a, id) => `${a.projectId}/${id}`,
    find: findOf("TestPlan"),
  }),
};
