import { clientSettings, seedPlanJournals, seedPlanRequirements, seedTestEnvironments } from "../emulator";
import { KINDS, type KindName } from "../provider/kinds";
import { LOOKUPS, type LookupArgs, type LookupResult } from "../provider/lookups";
import { KINDS_UNDER_TEST, type Env } from "./harness/kinds";
import { startWorld, type World } from "./support/world";
import * as sdk from "../sdk";

// The SDK's plain types (sdk/lookups.ts) agree with the look-ups' schemas: what a program may pass, the
// schema takes; what the look-up answers, the SDK's type describes (a mismatch fails to compile).
type Takes<L, A> = A extends LookupArgs<L> ? true : false;
type Describes<L, R> = LookupResult<L> extends R ? true : false;
type L = typeof LOOKUPS;
export const typesAgree: [
  Takes<L["getPipelineGroup"], sdk.GetPipelineGroupArgs>,
  Takes<L["getPipelineTemplate"], sdk.InTenantArgs>,
  Takes<L["getPipeline"], sdk.InProjectArgs>,
  Takes<L["getRule"], sdk.InTenantArgs>,
  Takes<L["getRuleSet"], sdk.InTenantArgs>,
  Takes<L["getOpenSourcePolicy"], sdk.InTenantArgs>,
  Takes<L["getPublisher"], sdk.NameOrId>,
  Takes<L["getPlugin"], sdk.GetPluginArgs>,
  Takes<L["getPluginVersion"], sdk.GetPluginVersionArgs>,
  Takes<L["getScript"], sdk.NameOrId>,
  Takes<L["getTestPlan"], sdk.InProjectArgs>,
  Takes<L["getTestEnvironments"], sdk.InCloudTestProjectArgs>,
  Takes<L["getTestPlanRequirements"], sdk.OfTestPlanArgs>,
  Takes<L["getTestPlanHistory"], sdk.OfTestPlanArgs>,
  Describes<L["getTestEnvironments"], { environments: sdk.TestEnvironment[] }>,
  Describes<L["getTestPlanRequirements"], { requirements: sdk.TestPlanRequirement[] }>,
  Describes<L["getTestPlanHistory"], { history: sdk.TestPlanJournal[] }>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true];

// The look-ups (provider/lookups) against the emulator: each kind's object made through the real host,
// then found by name and by id; none; and several where the service lets names repeat.
let w: World;
const settings = () => ({ settings: clientSettings(w.emu) });
const envs = new Map<string, Env>();

beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w?.close();
});

/** The kind's test inputs (tests/harness/kinds.ts), made through the engine once per kind; its state. */
async function made(kind: string, n: number, override: Record<string, unknown> = {}) {
  const k = KINDS_UNDER_TEST.find((x) => x.type === kind)!;
  if (!envs.has(kind)) envs.set(kind, (await k.setup?.(w)) ?? {});
  const r = await w.engine.up(kind, `${kind}-${n}`, { ...k.inputs(envs.get(kind)!, n), ...override });
  if (r.op === "invalid" || !r.state) throw new Error(`${kind}: could not make the test object: ${JSON.stringify(r)}`);
  return { state: r.state, env: envs.get(kind)! };
}

/** What the resource records, as a look-up answers it: without the shim and the create-only adoptId. */
function recorded(outputs: Record<string, unknown>, id: string) {
  const { __provider: _p, adoptId: _a, ...rest } = outputs;
  return { ...rest, id };
}

/**
 * Per kind: the look-up, the key arguments (scope and name) of the object made, its id argument, and the
 * outputs no read by id can see (as for `pulumi import`, docs/plugin.md): absent from the answer.
 */
const CASES: {
  kind: string;
  fn: keyof typeof LOOKUPS;
  key: (e: Env, outs: Record<string, unknown>) => Record<string, unknown>;
  byId?: (e: Env, id: string) => Record<string, unknown>;
  unread?: string[];
  /** Names may repeat: a second object of the same key, made with these inputs. */
  twin?: (outs: Record<string, unknown>) => Record<string, unknown>;
}[] = [
  { kind: "PipelineGroup", fn: "getPipelineGroup", key: (e, o) => ({ projectId: e.P, name: o.name }), byId: (e, id) => ({ projectId: e.P, id }), twin: (o) => ({ name: o.name }) },
  { kind: "PipelineTemplate", fn: "getPipelineTemplate", key: (_e, o) => ({ name: o.name }), byId: (_e, id) => ({ id }), twin: (o) => ({ name: o.name }) },
  {
    kind: "Pipeline",
    fn: "getPipeline",
    key: (e, o) => ({ projectId: e.P, name: o.name }),
    byId: (e, id) => ({ projectId: e.P, id }),
    unread: ["definition", "sources", "isPublish", "groupId", "groupPathId"],
    twin: (o) => ({ name: o.name }),
  },
  { kind: "Rule", fn: "getRule", key: (_e, o) => ({ name: o.name }), byId: (_e, id) => ({ id }), unread: ["layoutContent"], twin: (o) => ({ name: o.name }) },
  { kind: "RuleSet", fn: "getRuleSet", key: (_e, o) => ({ name: o.name }), byId: (_e, id) => ({ id }), twin: (o) => ({ name: o.name }) },
  { kind: "OpenSourcePolicy", fn: "getOpenSourcePolicy", key: (_e, o) => ({ name: o.name }), byId: (_e, id) => ({ id }), twin: (o) => ({ name: o.name }) },
  {
    kind: "Publisher",
    fn: "getPublisher",
    key: (_e, o) => ({ name: o.name }),
    byId: (_e, id) => ({ id }),
    unread: ["iconFile"],
    twin: (o) => ({ name: o.name, enName: `${String(o.enName)}twin` }),
  },
  { kind: "Plugin", fn: "getPlugin", key: (_e, o) => ({ pluginName: o.pluginName }) },
  // Steps' identifiers are not returned by the version detail (docs/plugin.md, Import).
  { kind: "PluginVersion", fn: "getPluginVersion", key: (_e, o) => ({ pluginName: o.pluginName, version: o.version }), unread: ["steps"] },
  { kind: "Script", fn: "getScript", key: (_e, o) => ({ name: o.name }), byId: (_e, id) => ({ id }) },
  { kind: "TestPlan", fn: "getTestPlan", key: (e, o) => ({ projectId: e.P, name: o.name }), byId: (e, id) => ({ projectId: e.P, id }), unread: ["testCases", "serviceIdList"] },
];

describe.each(CASES)("$fn", (c) => {
  let state: { id: string; outputs: Record<string, unknown> };
  let env: Env;
  beforeAll(async () => {
    ({ state, env } = await made(c.kind, 1));
  });

  test("found by its key: the outputs its resource records, and its id", async () => {
    const found = await sdk[c.fn](c.key(env, state.outputs) as never, settings());
    const expected = recorded(state.outputs, state.id) as Record<string, unknown>;
    const answered = { ...found } as Record<string, unknown>;
    // What the service changes by itself may differ from what the create recorded (a refresh's drift report ignores them too).
    const skipped = [...(c.unread ?? []), ...((KINDS[c.kind as KindName].serviceMaintained ?? []) as string[])];
    for (const k of skipped) {
      delete expected[k];
      delete answered[k];
    }
    expect(answered).toEqual(expected);
    expect(Object.keys(found)).toEqual(expect.arrayContaining(["id", ...((KINDS[c.kind as KindName].serviceMaintained ?? []) as string[]).filter((k) => k in state.outputs)]));
  });

  if (c.byId) {
    test("found by id: the same answer as by name", async () => {
      const byName = await sdk[c.fn](c.key(env, state.outputs) as never, settings());
      expect(await sdk[c.fn](c.byId!(env, state.id) as never, settings())).toEqual(byName);
    });
  }

  test("none: an error naming the kind and the key", async () => {
    const key = c.key(env, state.outputs);
    const missing = { ...key, ...("name" in key ? { name: "no_such_object" } : "version" in key ? { version: "9.9.9" } : { pluginName: "no_such_plugin" }) };
    await expect(sdk[c.fn](missing as never, settings())).rejects.toThrow(new RegExp(`^${c.kind}: none found with .*"(no_such_object|9\\.9\\.9|no_such_plugin)"`));
    if (c.byId) {
      const byId = c.byId(env, "0123456789abcdef0123456789abcdef");
      await expect(sdk[c.fn](byId as never, settings())).rejects.toThrow(new RegExp(`^${c.kind}: none found with .*id "0123456789abcdef0123456789abcdef"`));
    }
  });

  if (c.twin) {
    test("several with the name: an error naming every candidate's id", async () => {
      const twin = await made(c.kind, 2, c.twin!(state.outputs));
      const err = await sdk[c.fn](c.key(env, state.outputs) as never, settings()).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err).toBeInstanceOf(sdk.LookupMatchError);
      expect(err!.message).toMatch(new RegExp(`^${c.kind}: 2 found with .*look it up by id`));
      expect(err!.message).toContain(state.id.slice(state.id.indexOf("/") + 1));
      expect(err!.message).toContain(twin.state.id);
      // By id, each is still found.
      if (c.byId) expect(((await sdk[c.fn](c.byId(env, twin.state.id) as never, settings())) as { id: string }).id).toBe(twin.state.id);
      await w.engine.destroy(c.kind, `${c.kind}-2`);
    });
  }
});

describe("arguments", () => {
  test("a name and an id together, or neither: refused before any API call, naming the property", async () => {
    const P = w.account.codeartsProjects[0];
    const mark = w.emu.log.mark();
    await expect(sdk.getPipelineGroup({ projectId: P, name: "a", id: "b" } as never, settings())).rejects.toThrow(/name give exactly one of name and id \(both given\)/);
    await expect(sdk.getPipelineGroup({ projectId: P } as never, settings())).rejects.toThrow(/name give exactly one of name and id \(neither given\)/);
    await expect(sdk.getPipeline({ projectId: "nope", name: "x" }, settings())).rejects.toThrow(/projectId must be a CodeArts project ID/);
    await expect(sdk.getScript({ name: "x", colour: "red" } as never, settings())).rejects.toThrow(/colour is not a property of getScript/);
    expect(w.emu.log.since(mark)).toHaveLength(0);
  });

  test("a group's name at any depth, or only under parentId", async () => {
    const P = w.account.codeartsProjects[0];
    const top = await w.engine.up("PipelineGroup", "top", { projectId: P, name: "Platform" });
    const sub = await w.engine.up("PipelineGroup", "sub", { projectId: P, name: "Nightly", parentId: top.state!.id });
    expect((await sdk.getPipelineGroup({ projectId: P, name: "Nightly" }, settings())).id).toBe(sub.state!.id);
    await expect(sdk.getPipelineGroup({ projectId: P, name: "Nightly", parentId: sub.state!.id }, settings())).rejects.toThrow(/^PipelineGroup: none found with projectId/);
    expect(await sdk.getPipelineGroup({ projectId: P, name: "Nightly", parentId: top.state!.id }, settings())).toMatchObject({
      id: sub.state!.id,
      pathId: `${top.state!.id}.${sub.state!.id}`,
    });
  });
});

describe("CloudTest lists", () => {
  let P: string;
  let planId: string;
  beforeAll(async () => {
    P = w.account.codeartsProjects[0];
    planId = (await made("TestPlan", 7)).state.id;
    // A test case added: CloudTest records the batch-add in the plan's history.
    await made("TestPlan", 7, { testCases: [{ serviceId: 1, ids: ["c1000000000000000000000000000001"] }] });
  });

  test("environments (§4.2.1): the default one and those the project has, every page", async () => {
    const names = Array.from({ length: 3 }, (_v, i) => `Staging ${i}`);
    const ids = seedTestEnvironments(
      w.emu.store,
      P,
      names.map((n) => ({ environment_name: n, environment_description: "", is_default: false })),
    );
    const { environments } = await sdk.getTestEnvironments({ projectId: P }, settings());
    expect(environments.find((e) => e.isDefault)).toMatchObject({ environmentName: "Default environment" });
    expect(environments.filter((e) => !e.isDefault)).toEqual(ids.map((id, i) => ({ environmentId: id, environmentName: names[i], environmentDescription: "", isDefault: false })));
  });

  test("a plan's requirement tree (§4.3.4): every work item with its parent, camelCased", async () => {
    const items = Array.from({ length: 205 }, (_v, i) => ({
      workitem_id: String(4192000 + i),
      name: `Work item ${i}`,
      parent_issue: i === 0 ? "" : "4192000",
      status: { id: "1", name: "New" },
    }));
    seedPlanRequirements(w.emu.store, P, planId, items);
    const { requirements } = await sdk.getTestPlanRequirements({ projectId: P, planId }, settings());
    expect(requirements).toHaveLength(205);
    expect(requirements[3]).toEqual({ workitemId: "4192003", name: "Work item 3", parentIssue: "4192000", status: { id: "1", name: "New" }, planId, projectId: P });
  });

  test("a plan's history (§4.3.5): what was done to it, the batch-add of its test cases included", async () => {
    seedPlanJournals(w.emu.store, P, planId, [
      { detail: [{ journalized_type: "plan", type: "attribute", updated: [{ attribute_type: "name", old_value: "test", new_value: "tester" }] }], operate_time: "2021-07-10" },
    ]);
    const { history } = await sdk.getTestPlanHistory({ projectId: P, planId }, settings());
    // The test case added in beforeAll: its batch-add is the first record.
    expect(history[0].detail![0]).toMatchObject({ journalizedType: "testcase", type: "resource", added: [{ id: "c1000000000000000000000000000001" }] });
    expect(history[history.length - 1]).toEqual({
      detail: [{ journalizedType: "plan", type: "attribute", updated: [{ attributeType: "name", oldValue: "test", newValue: "tester" }] }],
      operateTime: "2021-07-10",
      planId,
      projectId: P,
    });
  });

  test("a plan the project does not have: the service's refusal", async () => {
    await expect(sdk.getTestPlanHistory({ projectId: P, planId: "0123456789abcdef0123456789abcdef" }, settings())).rejects.toThrow(/CLOUDTEST.00017003/);
  });
});
