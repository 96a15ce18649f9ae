import { z } from "zod";
import { changedKeys, failuresFrom, makeProvider, ResourceKind, UNKNOWN } from "../provider/dynamic";
import { pipelineGroupSchema } from "../provider/resources/pipelineGroup";

const P = "0123456789abcdef0123456789abcdef";

// The glue's pure parts; everything that talks to an API is tested through the real host.
const neverCalled = () => {
  throw new Error("check and diff must not need an API client");
};
const provider = makeProvider(
  { name: "PipelineGroup", schema: pipelineGroupSchema, replaceOn: ["projectId", "parentId"] } as unknown as ResourceKind<typeof pipelineGroupSchema, Record<string, unknown>>,
  neverCalled,
);

describe("check", () => {
  test("zod issues become per-property failures naming the rule", async () => {
    const r = await provider.check!({}, { projectId: "nope", name: 3, parentId: P.toUpperCase(), nmae: "typo", __provider: "x" });
    const byProp = Object.fromEntries(r.failures!.map((f) => [f.property, f.reason]));
    expect(byProp.projectId).toMatch(/32 lower-case hexadecimal/);
    expect(byProp.name).toMatch(/expected string/);
    expect(byProp.parentId).toMatch(/32 lower-case hexadecimal/);
    expect(byProp.nmae).toMatch(/is not a property of PipelineGroup/);
  });
  test("a missing required property reads 'is required'", async () => {
    const r = await provider.check!({}, { projectId: P });
    expect(r.failures).toEqual([{ property: "name", reason: "is required" }]);
  });
  test("a missing enum is 'is required' too, not zod's generic message", () => {
    const s = z.strictObject({ level: z.enum(["LOW", "HIGH"]) });
    const parsed = s.safeParse({});
    expect(failuresFrom(parsed.error!, {}, "K")).toEqual([{ property: "level", reason: "is required" }]);
  });
  test("unknown values during preview are not failures", async () => {
    const r = await provider.check!({}, { projectId: UNKNOWN, name: UNKNOWN });
    expect(r.failures).toEqual([]);
    expect(r.inputs).toEqual({ projectId: UNKNOWN, name: UNKNOWN });
  });
  test("with unknowns, the known properties still get their defaults (a preview does not show them as removed)", async () => {
    const schema = z.strictObject({
      id: z.string().regex(/^[a-f0-9]{32}$/, "must be 32 lower-case hexadecimal characters"),
      mode: z.enum(["A", "B"]).default("A"),
      n: z.number().int().default(300),
      list: z.array(z.object({ x: z.string(), on: z.boolean().default(true) })),
    });
    const kind = makeProvider({ name: "K", schema, replaceOn: [] } as unknown as ResourceKind<typeof schema, Record<string, unknown>>, neverCalled);
    const r = await kind.check!({}, { id: UNKNOWN, list: [{ x: "a" }, { x: UNKNOWN }] });
    expect(r.failures).toEqual([]);
    expect(r.inputs).toEqual({ id: UNKNOWN, mode: "A", n: 300, list: [{ x: "a" }, { x: UNKNOWN }] });
    const up = await kind.check!({}, { id: P, list: [{ x: "a" }] });
    // Against the state an `up` recorded, only the unknown property differs.
    expect(changedKeys(schema, up.inputs as Record<string, unknown>, r.inputs as Record<string, unknown>)).toEqual(["id", "list"]);
    const known = await kind.check!({}, { id: UNKNOWN, list: [{ x: "a" }] });
    expect(changedKeys(schema, up.inputs as Record<string, unknown>, known.inputs as Record<string, unknown>)).toEqual(["id"]);
  });
  test("with unknowns, a known property that breaks its rule is still a failure", async () => {
    const r = await provider.check!({}, { projectId: UNKNOWN, name: 5 });
    expect(r.failures).toEqual([{ property: "name", reason: expect.stringMatching(/expected string/) }]);
  });
  test("nested paths are reported in dotted form", () => {
    const s = z.object({ a: z.array(z.object({ b: z.number() })) });
    const input = { a: [{ b: 1 }, { b: "x" }] };
    const parsed = s.safeParse(input);
    expect(failuresFrom(parsed.error!, input, "K")).toEqual([{ property: "a[1].b", reason: expect.stringMatching(/expected number/) }]);
  });
});

describe("diff", () => {
  test("no change is an explicit changes: false (pulumi/pulumi#12401)", async () => {
    const r = await provider.diff!("g", { projectId: P, name: "a", pathId: "x", __provider: "old" }, { projectId: P, name: "a", __provider: "new" });
    expect(r).toEqual({ changes: false, diffs: [], replaces: [], deleteBeforeReplace: false });
  });
  test("name changes in place; parentId replaces", async () => {
    expect(await provider.diff!("g", { projectId: P, name: "a" }, { projectId: P, name: "b" })).toEqual({
      changes: true,
      diffs: ["name"],
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(await provider.diff!("g", { projectId: P, name: "a" }, { projectId: P, name: "a", parentId: P })).toEqual({
      changes: true,
      diffs: ["parentId"],
      replaces: ["parentId"],
      deleteBeforeReplace: false,
    });
  });
  test("an unknown counts as a change; adoptId never does", () => {
    expect(changedKeys(pipelineGroupSchema, { name: "a" }, { name: UNKNOWN })).toEqual(["name"]);
    expect(changedKeys(pipelineGroupSchema, { name: "a" }, { name: "a", adoptId: P })).toEqual([]);
  });
});
