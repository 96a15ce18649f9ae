/**
 * Self-test of the engine-protocol harness: the no-op provider (tests/harness/noop-provider.js)
 * driven through @pulumi/pulumi's real dynamic-provider host over gRPC.
 */
import {
  Engine,
  InitFailedError,
  ProviderHost,
  RpcError,
  serializedNoopProvider,
  serializeNoopProvider,
  serializeProvider,
  UNKNOWN,
  urnFor,
  SECRET_SIG_KEY,
  configureRequest,
} from "./harness";
import { version as pulumiVersion } from "@pulumi/pulumi/package.json";

const T = "Thing";
const SECRET = "sk-Zq8v3-NEVER-PRINT-ME-41";
const REGION = "cn-north-4";

/** FNV-1a, as the no-op provider computes it, to compare config values without exposing them. */
function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitDead(pid: number, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!pidAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return !pidAlive(pid);
}

let noop: string;
beforeAll(async () => {
  noop = await serializedNoopProvider();
});

describe("Configure", () => {
  let host: ProviderHost;
  let engine: Engine;
  beforeAll(async () => {
    host = await ProviderHost.start();
    await host.configure({ "huaweicloud:region": REGION, "huaweicloud:secretKey": { secret: SECRET }, "other:flag": "true" });
    engine = new Engine(host, { providerFor: async () => noop });
  });
  afterAll(() => host?.close());

  test("the host answers GetPluginInfo with the SDK version", async () => {
    const info = await host.call("GetPluginInfo");
    expect(info.version).toBe(pulumiVersion);
  });

  test("configure() gets the whole config, fully-qualified keys, secrets unwrapped to plain strings", async () => {
    const r = await engine.up(T, "cfg", { name: "c" });
    const cfg = r.state!.outputs.config;
    expect(cfg.keys).toEqual(["huaweicloud:region", "huaweicloud:secretKey", "other:flag"]);
    expect(cfg.types).toEqual({ "huaweicloud:region": "string", "huaweicloud:secretKey": "string", "other:flag": "string" });
    expect(cfg.hashes["huaweicloud:secretKey"]).toBe(fnv(SECRET));
    expect(cfg.hashes["huaweicloud:region"]).toBe(fnv(REGION));
    expect(JSON.stringify(r.state)).not.toContain(SECRET);
  });

  test("the secret went out wrapped and never shows in what the host printed", async () => {
    const args = configureRequest({ "a:b": { secret: "x" } }).args as Record<string, Record<string, string>>;
    expect(args["a:b"]).toEqual({ [SECRET_SIG_KEY]: "1b47061264138c4ac30d75fd1eb44270", value: "x" });
    await host.close(); // logs are complete once the process is gone
    expect(host.logs.join("\n")).not.toContain(SECRET);
  });
});

describe("lifecycle through the real host", () => {
  let host: ProviderHost;
  let engine: Engine;
  beforeAll(async () => {
    host = await ProviderHost.start();
    await host.configure({ "huaweicloud:region": REGION });
    engine = new Engine(host, { providerFor: async () => noop });
  });
  afterAll(() => host?.close());

  test("Check failures come back as property/reason and stop the step", async () => {
    const n = engine.calls.length;
    const r = await engine.up(T, "bad", { name: "x", bad: 1 });
    expect(r.op).toBe("invalid");
    expect(r.failures).toEqual([{ property: "bad", reason: "bad is not allowed (got 1)" }]);
    expect(engine.methods(n)).toEqual(["Check"]);
    expect(engine.state.has(engine.urn(T, "bad"))).toBe(false);
  });

  test("create: Check(olds {}) then Create with the checked inputs; __provider rides along", async () => {
    const n = engine.calls.length;
    const r = await engine.up(T, "a", { name: "x" });
    expect(r.op).toBe("create");
    expect(engine.methods(n)).toEqual(["Check", "Create"]);
    const [check, create] = engine.calls.slice(n);
    expect(check.request).toMatchObject({ urn: urnFor(T, "a"), name: "a", type: "pulumi-nodejs:dynamic:Thing", olds: {}, news: { name: "x", __provider: noop } });
    expect(create.request.properties).toEqual({ name: "x", size: 1, __provider: noop });
    expect(r.state!.id).toMatch(/^noop-\d+$/);
    expect(r.state!.inputs).toEqual({ name: "x", size: 1, __provider: noop });
    expect(r.state!.outputs).toMatchObject({ name: "x", size: 1, serial: r.state!.id, __provider: noop });
  });

  test("no change: Check(olds = stored inputs), Diff(olds = stored outputs) -> same", async () => {
    const before = engine.state.get(engine.urn(T, "a"))!;
    const n = engine.calls.length;
    const r = await engine.up(T, "a", { name: "x" });
    expect(r.op).toBe("same");
    expect(r.diff).toEqual({ changes: "DIFF_NONE", replaces: [], deleteBeforeReplace: false });
    expect(engine.methods(n)).toEqual(["Check", "Diff"]);
    const [check, diff] = engine.calls.slice(n);
    expect(check.request.olds).toEqual(before.inputs);
    expect(diff.request).toMatchObject({ id: before.id, olds: before.outputs, oldInputs: before.inputs, news: before.inputs });
    expect(diff.response).toEqual({ changes: "DIFF_NONE" });
  });

  test("in-place change: Diff DIFF_SOME without replaces -> Update(id, olds = outputs, news)", async () => {
    const before = engine.state.get(engine.urn(T, "a"))!;
    const n = engine.calls.length;
    const r = await engine.up(T, "a", { name: "y" });
    expect(r.op).toBe("update");
    expect(engine.methods(n)).toEqual(["Check", "Diff", "Update"]);
    const upd = engine.calls[n + 2];
    expect(upd.request).toMatchObject({ id: before.id, olds: before.outputs, news: { name: "y", size: 1, __provider: noop } });
    expect(r.state!.id).toBe(before.id);
    expect(r.state!.outputs.name).toBe("y");
  });

  test("replacement: create-before-delete, with the engine's second Check(olds {})", async () => {
    const before = engine.state.get(engine.urn(T, "a"))!;
    const n = engine.calls.length;
    const r = await engine.up(T, "a", { name: "y", forceNew: "1" });
    expect(r.op).toBe("replace");
    expect(r.diff).toEqual({ changes: "DIFF_SOME", replaces: ["forceNew"], deleteBeforeReplace: false });
    expect(engine.methods(n)).toEqual(["Check", "Diff", "Check", "Create", "Delete"]);
    const calls = engine.calls.slice(n);
    expect(calls[2].request.olds).toEqual({});
    expect(calls[4].request).toMatchObject({ id: before.id, properties: before.outputs });
    expect(r.state!.id).not.toBe(before.id);
    expect(engine.state.get(engine.urn(T, "a"))!.id).toBe(r.state!.id);
  });

  test("replacement: deleteBeforeReplace deletes first", async () => {
    const before = engine.state.get(engine.urn(T, "a"))!;
    const n = engine.calls.length;
    const r = await engine.up(T, "a", { name: "y", forceNew: "2", deleteBeforeReplace: true });
    expect(r.op).toBe("replace");
    expect(r.diff!.deleteBeforeReplace).toBe(true);
    expect(engine.methods(n)).toEqual(["Check", "Diff", "Check", "Delete", "Create"]);
    expect(engine.calls[n + 3].request.id).toBe(before.id);
    expect(r.state!.id).not.toBe(before.id);
  });

  test("DIFF_UNKNOWN: the engine diffs inputs itself, so a new __provider alone forces an update (pulumi/pulumi#12401)", async () => {
    await engine.up(T, "u", { name: "u", diffUnknown: true });
    const same = await engine.up(T, "u", { name: "u", diffUnknown: true });
    expect(same.diff!.changes).toBe("DIFF_UNKNOWN");
    expect(same.op).toBe("same");
    const v2 = new Engine(host, { providerFor: async () => noop + "\n// v2\n" });
    for (const [k, v] of engine.state) v2.state.set(k, v);
    expect((await v2.up(T, "u", { name: "u", diffUnknown: true })).op).toBe("update");
    // An explicit `changes: false` is immune to a new __provider.
    expect((await v2.up(T, "a", { name: "y", forceNew: "2", deleteBeforeReplace: true })).op).toBe("same");
  });

  test("preview: Check then Diff only; the unknown sentinel passes through", async () => {
    const stored = engine.state.get(engine.urn(T, "a"))!;
    const n = engine.calls.length;
    const fresh = await engine.preview(T, "p", { name: UNKNOWN });
    expect(fresh.op).toBe("create");
    expect(fresh.state!.inputs.name).toBe(UNKNOWN);
    const upd = await engine.preview(T, "a", { name: UNKNOWN, forceNew: "2", deleteBeforeReplace: true });
    expect(upd.op).toBe("update");
    const rep = await engine.preview(T, "a", { name: "y", forceNew: UNKNOWN });
    expect(rep.op).toBe("replace");
    expect(engine.methods(n)).toEqual(["Check", "Check", "Diff", "Check", "Diff", "Check"]);
    expect(engine.calls[n + 2].request.news).toMatchObject({ name: UNKNOWN });
    expect(engine.state.get(engine.urn(T, "a"))).toBe(stored);
    expect(engine.state.has(engine.urn(T, "p"))).toBe(false);
  });

  test("refresh: Read(id, outputs, inputs) stores what the provider returned; Diff(read outputs, stored inputs) says whether it drifted", async () => {
    const before = engine.state.get(engine.urn(T, "a"))!;
    const n = engine.calls.length;
    const r = await engine.refresh(T, "a");
    expect(r.op).toBe("refresh");
    expect(engine.methods(n)).toEqual(["Read", "Diff"]);
    expect(engine.calls[n].request).toMatchObject({ id: before.id, properties: before.outputs, inputs: before.inputs });
    expect(engine.calls[n + 1].request).toMatchObject({ id: before.id, olds: r.state!.outputs, news: before.inputs, oldInputs: r.state!.inputs });
    expect(r.state!.outputs).toEqual(before.outputs);
    expect(r.state!.inputs).toEqual({ name: "y", size: 1, forceNew: "2", deleteBeforeReplace: true, __provider: noop });
  });

  test("refresh of an object deleted behind Pulumi's back: Read returns an empty id -> gone", async () => {
    await engine.up(T, "g", { name: "g" });
    const st = engine.state.get(engine.urn(T, "g"))!;
    await host.delete(st.id, st.urn, st.outputs); // out of band
    const r = await engine.refresh(T, "g");
    expect(r.op).toBe("gone");
    expect(engine.state.has(st.urn)).toBe(false);
  });

  test("destroy: Delete(id, stored outputs) and the object is gone", async () => {
    const st = (await engine.up(T, "d", { name: "d" })).state!;
    const n = engine.calls.length;
    const r = await engine.destroy(T, "d");
    expect(r.op).toBe("delete");
    expect(engine.methods(n)).toEqual(["Delete"]);
    expect(engine.calls[n].request).toMatchObject({ id: st.id, properties: st.outputs, oldInputs: st.inputs });
    expect(engine.state.has(st.urn)).toBe(false);
    expect((await host.read(st.id, st.urn, st.outputs)).id).toBe("");
  });

  test("get: Read(id, props + __provider) for an object not in state", async () => {
    const n = engine.calls.length;
    const r = await engine.get(T, "ext", "ext-42", { name: "outside" });
    expect(r.op).toBe("read");
    expect(engine.calls[n].request).toMatchObject({ id: "ext-42", properties: { name: "outside", __provider: noop }, inputs: { name: "outside", __provider: noop } });
    expect(r.state!.outputs).toMatchObject({ name: "outside", external: true, __provider: noop });
    expect(engine.state.get(engine.urn(T, "ext"))!.id).toBe("ext-42");
    expect((await engine.get(T, "nope", "noop-999")).op).toBe("gone");
  });

  test("a plain Create error is a plain error with the provider's message; nothing is recorded", async () => {
    const n = engine.calls.length;
    const e = await engine.up(T, "f0", { name: "f", failCreate: "quota" }).catch((x) => x);
    expect(e).toBeInstanceOf(RpcError);
    expect(e).not.toBeInstanceOf(InitFailedError);
    expect(e.message).toBe("noop: create refused: quota");
    expect(engine.state.has(engine.urn(T, "f0"))).toBe(false);
    expect(engine.calls[n + 1].errors).toEqual(["noop: create refused: quota"]);
  });

  test("ErrorResourceInitFailed is decoded: the partially created object is recorded and the next up updates it", async () => {
    const e = await engine.up(T, "f1", { name: "f", failInit: true }).catch((x) => x);
    expect(e).toBeInstanceOf(InitFailedError);
    expect(e.message).toMatch(/^created noop-\d+ but it failed to initialize$/);
    expect(e.id).toMatch(/^noop-\d+$/);
    expect(e.properties).toMatchObject({ name: "f", serial: e.id, __provider: noop });
    expect(e.reasons).toEqual([`noop: ${e.message}`]);
    const st = engine.state.get(engine.urn(T, "f1"))!;
    expect(st).toMatchObject({ id: e.id, outputs: e.properties, initErrors: e.reasons });
    // Same inputs, Diff says no change, yet the engine updates a resource with init errors.
    const n = engine.calls.length;
    const r = await engine.up(T, "f1", { name: "f", failInit: true });
    expect(r.diff!.changes).toBe("DIFF_NONE");
    expect(r.op).toBe("update");
    expect(engine.methods(n)).toEqual(["Check", "Diff", "Update"]);
    expect(engine.state.get(engine.urn(T, "f1"))!.initErrors).toBeUndefined();
    // Update failures are decoded too.
    const u = await engine.up(T, "f1", { name: "f2", failUpdate: true }).catch((x) => x);
    expect(u).toBeInstanceOf(InitFailedError);
    expect(u.id).toBe(e.id);
  });

  test("host.create() throws InitFailedError directly too", async () => {
    const urn = urnFor(T, "direct");
    const e = await host.create(urn, { name: "z", failInit: true, __provider: noop }).catch((x) => x);
    expect(e).toBeInstanceOf(InitFailedError);
    expect(e.properties.name).toBe("z");
  });

  test("pitfall: init-failure properties without __provider leave a state that cannot be deleted", async () => {
    await engine.up(T, "bare", { name: "b", failInitBare: true }).catch(() => undefined);
    const st = engine.state.get(engine.urn(T, "bare"))!;
    expect(st.outputs.__provider).toBeUndefined();
    await expect(engine.destroy(T, "bare")).rejects.toThrow(/code must be a string/);
  });

  test("the trace is in PULUMI_DEBUG_GRPC / providertest replay shape", () => {
    const create = engine.calls.find((c) => c.method === "/pulumirpc.ResourceProvider/Create" && c.response)!;
    expect(Object.keys(create.request).sort()).toEqual(["name", "properties", "type", "urn"]);
    expect(Object.keys(create.response!).sort()).toEqual(["id", "properties"]);
    const line = JSON.parse(engine.traceJsonl().split("\n")[0]);
    expect(line.method).toBe("/pulumirpc.ResourceProvider/Check");
    expect(typeof line.request.randomSeed).toBe("string");
  });
});

describe("host process lifetime", () => {
  test("configure() must come first, as the engine guarantees", async () => {
    const host = await ProviderHost.start();
    try {
      await expect(host.check(urnFor(T, "x"), {}, { __provider: noop })).rejects.toThrow(/configure\(\) before Check/);
    } finally {
      await host.close();
    }
  });

  test("close() leaves no process behind", async () => {
    const host = await ProviderHost.start();
    expect(host.startMs).toBeGreaterThan(0);
    expect(pidAlive(host.pid)).toBe(true);
    await host.close();
    expect(await waitDead(host.pid)).toBe(true);
  });

  test("the host dies with its parent (the guardian notices its stdin closing)", async () => {
    const host = await ProviderHost.start();
    expect(pidAlive(host.pid)).toBe(true);
    (host as unknown as { guardian: { stdin: { destroy(): void } } }).guardian.stdin.destroy(); // what the OS does when we die
    expect(await waitDead(host.pid)).toBe(true);
    await host.close();
  });
});

describe("__provider sizes", () => {
  test("the SDK's text is small, names its kind and captures no secrets; the no-op provider is the floor", async () => {
    const shim = await serializeProvider("PipelineGroup");
    const n = await serializeNoopProvider();
    expect(shim.containsSecrets).toBe(false);
    expect(shim.text).toContain('"PipelineGroup"');
    expect(shim.text).toContain('require("pulumi-codearts/provider")');
    expect(shim.bytes).toBeLessThan(4096);
    expect(n.bytes).toBeGreaterThan(0);
  });
});
