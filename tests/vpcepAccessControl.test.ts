import { expectRefusedAtCheck, startWorld, World, callCounter } from "./support/world";
import { callsAgainstPage } from "./support/resourcePages";
import { seedVpcepRecords, vpcepRecords } from "../emulator";

// VPCEP access control (CodeArts API Reference (VPCEP, English and Chinese editions) §4.1.1): adopt without a call, revoke removed endpoints, revoke all on destroy.
const T = "VpcepAccessControl";
const R = "ap-southeast-3";
let w: World;
const { calls, measured } = callCounter(() => w);
const ids = ["vpcep-a1", "vpcep-b2", "vpcep-c3"];

beforeAll(async () => {
  w = await startWorld();
  seedVpcepRecords(w.emu.store, w.account.domainId, R, ids);
});
afterAll(async () => {
  console.log(`VpcepAccessControl API calls per operation: ${JSON.stringify(calls)}`);
  await w.close();
});

test("create adopts the listed endpoints without an API call", async () => {
  const r = await measured("create", () => w.engine.up(T, "acl", { region: R, vpceps: ids.map((vpcepId) => ({ vpcepId })) }));
  expect(r.op).toBe("create");
  expect(calls.create).toBe(0);
  expect(r.state!.outputs.path).toBe("/devuc-accessmgmt/v2/vpceps");
});
test("refresh has nothing to read: no call, no change", async () => {
  const r = await measured("read", () => w.engine.refresh(T, "acl"));
  expect(r.state!.outputs.vpceps).toHaveLength(3);
  expect(calls.read).toBe(0);
});
test("removing an endpoint revokes that one through the signed DELETE with its region header", async () => {
  const r = await measured("revoke one endpoint", () => w.engine.up(T, "acl", { region: R, vpceps: [{ vpcepId: "vpcep-a1" }, { vpcepId: "vpcep-c3" }] }));
  expect(r.op).toBe("update");
  expect(vpcepRecords(w.emu.store, w.account.domainId, R).sort()).toEqual(["vpcep-a1", "vpcep-c3"]);
  expect(w.emu.log.entries.filter((e) => e.operation === "VpcepAccessControl.delete").map((e) => e.status)).toEqual([200]);
});
test("destroy revokes the rest; endpoints already revoked count as revoked", async () => {
  await w.outOfBand.send({
    service: "devuc",
    method: "DELETE",
    path: "/devuc-accessmgmt/v2/vpceps",
    headers: { region: R },
    body: { vpceps: [{ vpcep_id: "vpcep-a1" }] },
    operation: "Test.revoke",
  });
  const state = w.engine.state.get(w.engine.urn(T, "acl"))!;
  await measured("delete", () => w.engine.destroy(T, "acl"));
  expect(vpcepRecords(w.emu.store, w.account.domainId, R)).toEqual([]);
  // Everything is revoked now: the service answers 404 UC.00011005, which is success.
  await expect(w.host.delete(state.id, state.urn, state.outputs)).resolves.toBeUndefined();
  expect(w.emu.log.entries.at(-1)).toMatchObject({ operation: "VpcepAccessControl.delete", status: 404 });
});
test("the Chinese reference's path is a setting; where the gateway does not serve it, the English URI is tried next (V1)", async () => {
  seedVpcepRecords(w.emu.store, w.account.domainId, R, ["vpcep-z9"]);
  await w.engine.up(T, "zh", { region: R, vpceps: [{ vpcepId: "vpcep-z9" }], path: "/v2/vpceps" });
  await w.engine.destroy(T, "zh");
  expect(vpcepRecords(w.emu.store, w.account.domainId, R)).not.toContain("vpcep-z9");
  expect(w.emu.log.entries.slice(-2).map((e) => [e.path, e.status])).toEqual([
    ["/v2/vpceps", 404],
    ["/devuc-accessmgmt/v2/vpceps", 200],
  ]);
});

describe("bad inputs fail at check, naming the property, with zero API calls", () => {
  const table: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ["missing region", { vpceps: [{ vpcepId: "a" }] }, "region", /is required/],
    ["region with a space", { region: "ap southeast", vpceps: [{ vpcepId: "a" }] }, "region", /1–40 letters, digits or -/],
    ["region over 40", { region: "r".repeat(41), vpceps: [{ vpcepId: "a" }] }, "region", /1–40/],
    ["no endpoints", { region: R, vpceps: [] }, "vpceps", /at least one endpoint/],
    ["upper-case vpcep id", { region: R, vpceps: [{ vpcepId: "VPCEP-A" }] }, "vpceps[0].vpcepId", /lower-case letters/],
    ["duplicate endpoint", { region: R, vpceps: [{ vpcepId: "a" }, { vpcepId: "a" }] }, "vpceps", /twice/],
    ["description with a slash", { region: R, vpceps: [{ vpcepId: "a", description: "a/b" }] }, "vpceps[0].description", /at most 128 letters/],
    ["enterpriseId with a dot", { region: R, enterpriseId: "a.b", vpceps: [{ vpcepId: "a" }] }, "enterpriseId", /letters, digits, - or _/],
    ["unknown path", { region: R, path: "/v3/vpceps", vpceps: [{ vpcepId: "a" }] }, "path", /English reference/],
  ];
  test("cases per kind", () => console.log(`VpcepAccessControl bad-input cases: ${table.length}`));
  test.each(table)("%s", (_label, inputs, property, reason) => expectRefusedAtCheck(w, T, inputs, property, reason));
});

test("the API calls per operation its page states (docs/resources) are the ones measured above", () => {
  expect(callsAgainstPage("VpcepAccessControl", calls)).toEqual([]);
});
