import { Engine, serializedProvider, serializeProvider, serializeShim } from "./harness";

import { KINDS } from "../provider/kinds";
import { startWorld, World } from "./support/world";

// `__provider` is stored in every resource's state, twice (inputs and outputs), and refresh/delete run
// the stored copy. It must stay small, capture nothing but the kind, load the provider by the
// package's public name, and every text any released version wrote must keep working.
describe("the __provider text", () => {
  test("names only the kind, captures nothing, holds no secret, and is at most 128 bytes for every kind", async () => {
    const sizes: Record<string, number> = {};
    for (const kind of Object.keys(KINDS)) {
      const sp = await serializeProvider(kind);
      sizes[kind] = sp.bytes;
      expect(sp.containsSecrets).toBe(false);
      // No serialized closure: nothing captured, nothing of the program's.
      expect(sp.text).not.toMatch(/with\(\{/);
      // Loaded by the public package name only: no deep or absolute paths (they break under an exports map).
      const requires = [...sp.text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
      expect(requires).toEqual(["pulumi-codearts/provider"]);
      // The protocol number travels with every call, so a newer package can tell old state from new.
      expect(sp.text).toContain(`.kindProvider(3, ${JSON.stringify(kind)})`);
    }
    console.log(
      `__provider bytes per kind (0.1.0 shim: ${Buffer.byteLength(SHIM_0_1_0)} for PipelineGroup; protocol 2: ${(await serializeShim("PipelineGroup")).bytes}):\n${Object.entries(
        sizes,
      )
        .map(([k, n]) => `  ${k}: ${n}`)
        .join("\n")}`,
    );
    for (const [kind, n] of Object.entries(sizes)) expect([kind, n <= 128]).toEqual([kind, true]);
  });

  test("differs between kinds only by the kind name", async () => {
    const a = await serializeProvider("PipelineGroup");
    const b = await serializeProvider("SomeOtherKind");
    expect(b.text.split('"SomeOtherKind"').join('"PipelineGroup"')).toBe(a.text);
  });

  test("a kind this package does not have fails its first call naming the kind", async () => {
    const w = await startWorld();
    try {
      const e = new Engine(w.host, { providerFor: serializedProvider });
      await expect(e.up("NoSuchKind", "x", {})).rejects.toThrow(/unknown resource kind "NoSuchKind"/);
    } finally {
      await w.close();
    }
  });
});

// Stacks written by 0.1.0 hold its shim (one function per method, protocol 1), later ones the two-function
// shim (protocol 2): refresh, diff, update and delete run that stored text against the installed package,
// so it must keep working.
describe.each([
  ["the 0.1.0 shim (protocol 1)", async () => SHIM_0_1_0],
  ["the protocol 2 shim", async () => (await serializeShim("PipelineGroup")).text],
])("state written by %s", (_label, legacyText) => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(() => w?.close());

  test("is refreshed, updated and deleted by this package; a new up records the new shim without any change", async () => {
    const legacy = await legacyText();
    const old = new Engine(w.host, { providerFor: async () => legacy });
    const created = await old.up("PipelineGroup", "legacy", { projectId: w.account.codeartsProjects[0], name: "legacy" });
    expect(created.op).toBe("create");
    expect(created.state!.outputs.__provider).toBe(legacy);
    expect(legacy).not.toBe(await serializedProvider("PipelineGroup"));
    expect((await old.refresh("PipelineGroup", "legacy")).state!.outputs.name).toBe("legacy");
    // The program now runs the new package: its shim differs, and that alone is no change.
    const current = new Engine(w.host, { providerFor: serializedProvider });
    current.state.set(old.urn("PipelineGroup", "legacy"), old.state.get(old.urn("PipelineGroup", "legacy"))!);
    const same = await current.up("PipelineGroup", "legacy", { projectId: w.account.codeartsProjects[0], name: "legacy" });
    expect(same.op).toBe("same");
    const renamed = await current.up("PipelineGroup", "legacy", { projectId: w.account.codeartsProjects[0], name: "legacy-2" });
    expect(renamed.op).toBe("update");
    // Delete runs the text stored in the outputs: still the old one after the update, whose outputs the old shim made.
    const id = created.state!.id;
    const held = () => Object.values(w.emu.store.snapshot().pipelineGroups ?? {}).flatMap((byId) => Object.keys(byId));
    expect(held()).toContain(id);
    await old.destroy("PipelineGroup", "legacy");
    expect(held()).not.toContain(id);
  });
});

const SHIM_0_1_0 = `exports.handler = __f0;

var __provider = {configure: __f1, check: __f2, diff: __f3, create: __f4, read: __f5, update: __f6, delete: __f7};

function __f1(__0) {
  return (function() {
    with({ this: undefined, arguments: undefined }) {

return (req) => require("pulumi-codearts/provider").configure(req);

    }
  }).apply(undefined, undefined).apply(this, arguments);
}

function __f2(__0, __1) {
  return (function() {
    with({ protocol: 1, kind: "PipelineGroup", this: undefined, arguments: undefined }) {

return (olds, news) => require("pulumi-codearts/provider").dispatch(protocol, kind, "check", olds, news);

    }
  }).apply(undefined, undefined).apply(this, arguments);
}

function __f3(__0, __1, __2) {
  return (function() {
    with({ protocol: 1, kind: "PipelineGroup", this: undefined, arguments: undefined }) {

return (id, olds, news) => require("pulumi-codearts/provider").dispatch(protocol, kind, "diff", id, olds, news);

    }
  }).apply(undefined, undefined).apply(this, arguments);
}

function __f4(__0) {
  return (function() {
    with({ protocol: 1, kind: "PipelineGroup", this: undefined, arguments: undefined }) {

return (inputs) => require("pulumi-codearts/provider").dispatch(protocol, kind, "create", inputs);

    }
  }).apply(undefined, undefined).apply(this, arguments);
}

function __f5(__0, __1) {
  return (function() {
    with({ protocol: 1, kind: "PipelineGroup", this: undefined, arguments: undefined }) {

return (id, props) => require("pulumi-codearts/provider").dispatch(protocol, kind, "read", id, props);

    }
  }).apply(undefined, undefined).apply(this, arguments);
}

function __f6(__0, __1, __2) {
  return (function() {
    with({ protocol: 1, kind: "PipelineGroup", this: undefined, arguments: undefined }) {

return (id, olds, news) => require("pulumi-codearts/provider").dispatch(protocol, kind, "update", id, olds, news);

    }
  }).apply(undefined, undefined).apply(this, arguments);
}

function __f7(__0, __1) {
  return (function() {
    with({ protocol: 1, kind: "PipelineGroup", this: undefined, arguments: undefined }) {

return (id, props) => require("pulumi-codearts/provider").dispatch(protocol, kind, "delete", id, props);

    }
  }).apply(undefined, undefined).apply(this, arguments);
}

function __f0() {
  return (function() {
    with({ provider: __provider, this: undefined, arguments: undefined }) {

return () => provider;

    }
  }).apply(undefined, undefined).apply(this, arguments);
}
`;
