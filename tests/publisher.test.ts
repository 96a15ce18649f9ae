import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { PUBLISHERS } from "../emulator/services/extensionCommon";
import { startWorld, World, expectRefusedAtCheck, callCounter } from "./support/world";
import { callsAgainstPage } from "./support/resourcePages";

// Publisher through the real dynamic-provider host, against the emulator, in the engine's order.
const T = "Publisher";
const ICON = join(__dirname, "fixtures", "acme-icon.png");
let w: World;
let D: string;
const { calls, measured } = callCounter(() => w);

type Vo = {
  publisher_unique_id: string;
  name: string | null;
  en_name: string | null;
  support_url: string | null;
  website: string | null;
  description: string | null;
  logo_url: string | null;
};
const fields = (f: Partial<Vo>) => ({ name: "", en_name: "", description: "", website: "", support_url: "", source_url: "", logo_url: "", ...f });

async function createOutOfBand(f: Partial<Vo>): Promise<string> {
  const before = new Set((await all()).map((p) => p.publisher_unique_id));
  const res = await w.outOfBand.send({ service: "pipeline", method: "POST", path: `/v1/${D}/publisher/create`, body: fields(f), operation: "Test.create" });
  expect(res.body).toBe(true); // a bare `true`, no id (§4.9.3)
  return (await all()).find((p) => !before.has(p.publisher_unique_id))!.publisher_unique_id;
}
/** The service's truth: every publisher of the account. */
async function all(): Promise<Vo[]> {
  const res = await w.outOfBand.send<{ data: Vo[] }>({
    service: "pipeline",
    method: "GET",
    path: `/v1/${D}/publisher/query-all`,
    query: { offset: 0, limit: 1000 },
    operation: "Test.list",
  });
  return res.body.data;
}
async function remote(id: string): Promise<Vo | undefined> {
  const res = await w.outOfBand.send<{ publisher_detail_map: Record<string, Vo> }>({
    service: "pipeline",
    method: "POST",
    path: `/v1/${D}/publisher/detail`,
    body: [id],
    operation: "Test.detail",
  });
  return res.body.publisher_detail_map[id];
}
/** Host log lines arrive asynchronously: wait for one that matches. */
async function hostLog(pattern: RegExp): Promise<string | undefined> {
  for (let i = 0; i < 100; i++) {
    const line = w.host.logs.find((l) => pattern.test(l));
    if (line) return line;
    await sleep(20);
  }
  return undefined;
}
const writes = (mark: number) => w.emu.log.since(mark).filter((e) => e.method !== "GET" && e.operation !== "Publisher.detail");

beforeAll(async () => {
  w = await startWorld();
  D = w.account.domainId;
});
afterEach(() => w.emu.faults.clear());
afterAll(async () => {
  // Figures for the issue note: API calls per operation.
  console.log(`Publisher API calls per operation: ${JSON.stringify(calls)}`);
  await w.close();
});

describe("Publisher lifecycle", () => {
  const acme = { name: "Acme", enName: "acme", supportUrl: "support@acme.example", website: "https://acme.example" };
  let id: string;

  test("create: the id is resolved by listing, past a similar name and a same-named publisher with other fields", async () => {
    const similar = await createOutOfBand({ name: "Acme Tools", en_name: "acme", support_url: "support@acme.example", website: "https://acme.example" });
    const sameName = await createOutOfBand({ name: "Acme", en_name: "acme", support_url: "help@other.example", website: "https://acme.example" });
    const r = await measured("create", () => w.engine.up(T, "acme", acme));
    expect(r.op).toBe("create");
    id = r.state!.id;
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect([similar, sameName]).not.toContain(id);
    expect(await remote(id)).toMatchObject({ name: "Acme", en_name: "acme", support_url: "support@acme.example", website: "https://acme.example" });
    expect(r.state!.outputs).toMatchObject({ ...acme, publisherId: id, authStatus: "processing", tenantId: D });
  });

  test("read: refresh returns what the service has, with inputs", async () => {
    const r = await measured("read", () => w.engine.refresh(T, "acme"));
    expect(r.state!.id).toBe(id);
    expect(r.state!.inputs).toMatchObject(acme);
  });

  test("no-op: the same inputs diff to no change and make no API call", async () => {
    const r = await measured("no-op", () => w.engine.up(T, "acme", acme));
    expect(r.op).toBe("same");
    expect(calls["no-op"]).toBe(0);
  });

  test("a change replaces (there is no update API), and the preview says why", async () => {
    const mark = w.emu.log.mark();
    const preview = await w.engine.preview(T, "acme", { ...acme, description: "Pipeline steps by Acme" });
    expect(preview.op).toBe("replace");
    expect(preview.diff!.replaces).toEqual(["description"]);
    expect(w.emu.log.since(mark)).toHaveLength(0);
    expect(await hostLog(/Publisher .*replacing because the publisher API has no update/)).toBeDefined();

    const r = await measured("replace", () => w.engine.up(T, "acme", { ...acme, description: "Pipeline steps by Acme" }));
    expect(r.op).toBe("replace");
    expect(r.state!.id).not.toBe(id);
    expect(await remote(id)).toBeUndefined();
    expect((await remote(r.state!.id))?.description).toBe("Pipeline steps by Acme");
    id = r.state!.id;
  });

  test("deleted out of band: refresh reports it gone, the next up re-creates it", async () => {
    await w.outOfBand.send({ service: "pipeline", method: "DELETE", path: `/v1/${D}/publisher/delete`, query: { publisher_unique_id: id }, operation: "Test.delete" });
    const r = await w.engine.refresh(T, "acme");
    expect(r.op).toBe("gone");
    const again = await w.engine.up(T, "acme", { ...acme, description: "Pipeline steps by Acme" });
    expect(again.op).toBe("create");
    id = again.state!.id;
    expect(await remote(id)).toBeDefined();
  });

  test("delete, and delete again when already gone, both succeed", async () => {
    const state = [...w.engine.state.values()].find((s) => s.name === "acme")!;
    await measured("delete", () => w.engine.destroy(T, "acme"));
    expect(await remote(id)).toBeUndefined();
    await expect(w.host.delete(state.id, state.urn, state.outputs)).resolves.toBeUndefined();
  });
});

describe("identity: nothing but the fields tells publishers apart", () => {
  const beta = { name: "Beta", enName: "beta", supportUrl: "beta@example.com" };

  test("a create is refused, with no create call, when an identical publisher already exists", async () => {
    const existing = await createOutOfBand({ name: "Beta", en_name: "beta", support_url: "beta@example.com" });
    const mark = w.emu.log.mark();
    await expect(w.engine.up(T, "beta", beta)).rejects.toThrow(new RegExp(`identical publisher already exists \\(${existing}\\).*adoptId`));
    expect(writes(mark)).toHaveLength(0);
    expect(w.engine.state.has(w.engine.urn(T, "beta"))).toBe(false);
  });

  test("ambiguity: an identical publisher appearing during the create fails clearly, and nothing is recorded", async () => {
    const gamma = { name: "Gamma", supportUrl: "gamma@example.com" };
    w.emu.faults.inject({ method: "POST", path: `/v1/${D}/publisher/create`, fault: { type: "latency", ms: 600 } });
    const mark = w.emu.log.mark();
    const up = w.engine.up(T, "gamma", gamma);
    // Once the provider's first listing is done, its create is held back: slip a twin in meanwhile.
    for (let i = 0; i < 200 && w.callsSince(mark, "Publisher.list") === 0; i++) await sleep(5);
    const twin = "f".repeat(32);
    w.emu.store
      .collection(PUBLISHERS)
      .put(D, twin, { ...fields({ name: "Gamma", support_url: "gamma@example.com" }), publisher_unique_id: twin, is_delete: 0, auth_status: "processing", last_update_time: "0" });
    await expect(up).rejects.toThrow(/2 identical publishers appeared while creating it .*adopt the right one with adoptId/);
    expect(w.engine.state.has(w.engine.urn(T, "gamma"))).toBe(false);
    expect((await all()).filter((p) => p.name === "Gamma")).toHaveLength(2);
  });

  test("a same-named publisher with other fields appearing during the create is not mistaken for this one", async () => {
    w.emu.faults.inject({ method: "POST", path: `/v1/${D}/publisher/create`, fault: { type: "latency", ms: 400 } });
    const mark = w.emu.log.mark();
    const up = w.engine.up(T, "epsilon", { name: "Epsilon", supportUrl: "epsilon@example.com" });
    for (let i = 0; i < 200 && w.callsSince(mark, "Publisher.list") === 0; i++) await sleep(5);
    const other = "e".repeat(32);
    w.emu.store.collection(PUBLISHERS).put(D, other, {
      ...fields({ name: "Epsilon", support_url: "someone-else@example.com" }),
      publisher_unique_id: other,
      is_delete: 0,
      auth_status: "processing",
      last_update_time: "0",
    });
    const r = await up;
    expect(r.op).toBe("create");
    expect(r.state!.id).not.toBe(other);
    expect((await remote(r.state!.id))?.support_url).toBe("epsilon@example.com");
    await w.engine.destroy(T, "epsilon");
  });

  test("a 5xx that hides a successful create: the listing finds it, nothing is duplicated", async () => {
    w.emu.faults.inject({ method: "POST", path: `/v1/${D}/publisher/create`, fault: { type: "commit-then-fail", status: 502 } });
    const r = await w.engine.up(T, "delta", { name: "Delta", supportUrl: "delta@example.com" });
    expect(r.op).toBe("create");
    const delta = (await all()).filter((p) => p.name === "Delta");
    expect(delta.map((p) => p.publisher_unique_id)).toEqual([r.state!.id]);
    await w.engine.destroy(T, "delta");
  });
});

describe("a create whose id cannot be learnt (§4.9.3 answers no id)", () => {
  test("the listing after it fails: the error says nothing is recorded and what to do; the next up names the publisher, adoptId takes it", async () => {
    const zeta = { name: "Zeta", supportUrl: "zeta@example.com" };
    // The listing before the create goes through; every one after it fails (past the client's retries).
    w.emu.faults.inject({ method: "GET", path: `/v1/${D}/publisher/query-all`, fault: { type: "status", status: 503 }, after: 1, times: 20 });
    await expect(w.engine.up(T, "zeta", zeta)).rejects.toThrow(/the create was accepted, but the listing that finds its id failed .*nothing is recorded.*adopt it with adoptId/);
    expect(w.engine.state.has(w.engine.urn(T, "zeta"))).toBe(false);
    w.emu.faults.clear();
    const made = (await all()).filter((p) => p.name === "Zeta");
    expect(made).toHaveLength(1);
    const id = made[0].publisher_unique_id;
    await expect(w.engine.up(T, "zeta", zeta)).rejects.toThrow(new RegExp(`identical publisher already exists \\(${id}\\).*adoptId`));
    const adopted = await w.engine.up(T, "zeta", { ...zeta, adoptId: id });
    expect([adopted.op, adopted.state!.id]).toEqual(["create", id]);
    expect((await all()).filter((p) => p.name === "Zeta")).toHaveLength(1);
    await w.engine.destroy(T, "zeta");
  });
});

describe("icon upload (§4.9.10, multipart)", () => {
  test("the icon is uploaded as multipart/form-data and its path becomes the logo URL", async () => {
    const mark = w.emu.log.mark();
    const r = await measured("create with an icon", () => w.engine.up(T, "iconic", { name: "Iconic", enName: "iconic", iconFile: ICON }));
    expect(r.op).toBe("create");
    const upload = w.emu.log.since(mark).filter((e) => e.operation === "Publisher.uploadIcon");
    // Sent without publisher_en_name, as the §4.9.10 example (ambiguity X5: a name could change another publisher's icon).
    expect(upload).toEqual([expect.objectContaining({ status: 200, query: "" })]);
    const logo = (await remote(r.state!.id))!.logo_url!;
    expect(logo).toMatch(new RegExp(`^/api/v1/${D}/common/get-plugin-icon\\?object_key=default-[0-9a-f]{32}-acme-icon\\.png-${D}&icon_type=publish$`));
    expect(r.state!.outputs).toMatchObject({ iconFile: ICON, iconPath: logo });
    expect(r.state!.outputs.logoUrl).toBeUndefined();
    expect((await w.engine.refresh(T, "iconic")).state!.inputs).toMatchObject({ iconFile: ICON });
    expect((await measured("no-op with an icon", () => w.engine.up(T, "iconic", { name: "Iconic", enName: "iconic", iconFile: ICON }))).op).toBe("same");
    expect(calls["no-op with an icon"]).toBe(0);
    await w.engine.destroy(T, "iconic");
  });
});

describe("adoption and get", () => {
  test("adoptId takes an existing publisher under management without creating one", async () => {
    const existing = await createOutOfBand({ name: "Legacy", en_name: "legacy", support_url: "legacy@example.com" });
    const mark = w.emu.log.mark();
    const r = await measured("adopt", () => w.engine.up(T, "legacy", { name: "Legacy", enName: "legacy", supportUrl: "legacy@example.com", adoptId: existing }));
    expect(r.op).toBe("create");
    expect(r.state!.id).toBe(existing);
    expect(w.emu.log.since(mark).filter((e) => e.operation === "Publisher.create")).toHaveLength(0);
    expect((await w.engine.refresh(T, "legacy")).state!.inputs.adoptId).toBe(existing);
    await w.engine.destroy(T, "legacy");
    expect(await remote(existing)).toBeUndefined();
  });

  test("adopting a publisher whose fields differ fails without changing anything (no update API)", async () => {
    const existing = await createOutOfBand({ name: "Other", support_url: "other@example.com" });
    const mark = w.emu.log.mark();
    await expect(w.engine.up(T, "other", { name: "Other", supportUrl: "changed@example.com", adoptId: existing })).rejects.toThrow(
      /cannot adopt .*supportUrl is "other@example.com" there, declared "changed@example.com"/,
    );
    expect(writes(mark)).toHaveLength(0);
  });

  test("adoptId of a publisher that does not exist fails without creating anything", async () => {
    const mark = w.emu.log.mark();
    await expect(w.engine.up(T, "ghost", { name: "Ghost", adoptId: "0".repeat(32) })).rejects.toThrow(/adoptId "0{32}" names no existing object/);
    expect(writes(mark)).toHaveLength(0);
  });

  test("Publisher.get reads an existing publisher by id", async () => {
    const existing = await createOutOfBand({ name: "Read only", support_url: "ro@example.com" });
    const r = await w.engine.get(T, "ro", existing);
    expect(r.state!.outputs).toMatchObject({ name: "Read only", supportUrl: "ro@example.com", publisherId: existing });
  });
});

describe("bad inputs fail at check, naming the property, with zero API calls", () => {
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ["missing name", { supportUrl: "a@b.c" }, "name", /is required/],
    ["empty name", { name: "" }, "name", /must not be empty/],
    ["name of the wrong type", { name: 42 }, "name", /expected string/],
    ["enName of the wrong type", { name: "x", enName: 1 }, "enName", /expected string/],
    ["description of the wrong type", { name: "x", description: ["a"] }, "description", /expected string/],
    ["website of the wrong type", { name: "x", website: true }, "website", /expected string/],
    ["supportUrl of the wrong type", { name: "x", supportUrl: {} }, "supportUrl", /expected string/],
    ["sourceUrl of the wrong type", { name: "x", sourceUrl: 3 }, "sourceUrl", /expected string/],
    ["logoUrl of the wrong type", { name: "x", logoUrl: 3 }, "logoUrl", /expected string/],
    ["iconFile that does not exist", { name: "x", iconFile: "/no/such/icon.png" }, "iconFile", /must name an existing file/],
    ["iconFile empty", { name: "x", iconFile: "" }, "iconFile", /must not be empty/],
    ["iconFile together with logoUrl", { name: "x", iconFile: ICON, logoUrl: "https://x/logo.png" }, "iconFile", /cannot be combined with logoUrl/],
    ["adoptId of the wrong form", { name: "x", adoptId: "P-1" }, "adoptId", /32 lower-case hexadecimal/],
    ["misspelt property", { name: "x", support_url: "a@b.c" }, "support_url", /is not a property of Publisher/],
  ];
  test.each(cases)("%s", (_label, inputs, property, reason) => expectRefusedAtCheck(w, T, inputs, property, reason));
});

test("the API calls per operation its page states (docs/resources) are the ones measured above", () => {
  expect(callsAgainstPage("Publisher", calls)).toEqual([]);
});
