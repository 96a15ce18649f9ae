import { seedVpcepRecords, vpcepRecords } from "../emulator";
import { type MatrixCell, renderMatrix, rowMatrix } from "./support/dialectMatrix";
import { stackConfig, startWorld, World } from "./support/world";

/**
 * Dialects of the COC script (S) and VPCEP access-control (V) rows of ../shared/ambiguities.md: the
 * generic lifecycle under every reading, then a scenario per row in which the reading matters,
 * asserting what the service holds afterwards.
 */
jest.setTimeout(120_000);

const R = "ap-southeast-3";
const V = "VpcepAccessControl";

let cells: MatrixCell[] = [];
afterAll(() => console.log(`dialect matrix, scripts and VPCEP rows:\n${renderMatrix(cells)}`));

test("matrix: every reading of V1", async () => {
  cells = await rowMatrix(["V1"]);
  expect(cells.filter((c) => !c.ok)).toEqual([]);
});

async function withWorld(dialect: Record<string, string>, body: (w: World) => Promise<void>): Promise<void> {
  const w = await startWorld({ dialect });
  try {
    await body(w);
  } finally {
    await w.close();
  }
}

describe("V1: the DELETE path (EN URI or /v2/vpceps); the other answers a gateway 404", () => {
  for (const [reading, declared] of [["en", undefined], ["zh", undefined], ["en", "/v2/vpceps"], ["zh", "/devuc-accessmgmt/v2/vpceps"]] as const) {
    test(`V1=${reading}, declared path ${declared ?? "(default)"}: update and destroy revoke for real`, () =>
      withWorld({ V1: reading }, async (w) => {
        seedVpcepRecords(w.emu.store, w.account.domainId, R, ["vpcep-a", "vpcep-b", "vpcep-keep"]);
        const path = declared ? { path: declared } : {};
        await w.engine.up(V, "acl", { region: R, vpceps: [{ vpcepId: "vpcep-a" }, { vpcepId: "vpcep-b" }], ...path });
        expect((await w.engine.up(V, "acl", { region: R, vpceps: [{ vpcepId: "vpcep-a" }], ...path })).op).toBe("update");
        expect(vpcepRecords(w.emu.store, w.account.domainId, R).sort()).toEqual(["vpcep-a", "vpcep-keep"]);
        await w.engine.destroy(V, "acl");
        expect(vpcepRecords(w.emu.store, w.account.domainId, R)).toEqual(["vpcep-keep"]);
        const deletes = w.emu.log.entries.filter((e) => e.operation === "VpcepAccessControl.delete");
        // The answers the revokes met: a gateway 404 on the path not served, then 200 on the other.
        expect(deletes.filter((e) => e.status === 200)).toHaveLength(2);
        expect(deletes.every((e) => e.status === 200 || e.status === 404)).toBe(true);
      }));
  }

  test("a gateway 404 on both paths is never 'revoked': destroy fails naming both paths, the records and the state stay", async () => {
    // The devuc endpoint points below a prefix the gateway does not publish: neither path is served.
    const w = await startWorld({ config: (emu) => ({ ...stackConfig(emu), "huaweicloud:endpoints": JSON.stringify({ "*": emu.url, devuc: `${emu.url}/nowhere` }) }) });
    try {
      seedVpcepRecords(w.emu.store, w.account.domainId, R, ["vpcep-a", "vpcep-b"]);
      await w.engine.up(V, "acl", { region: R, vpceps: [{ vpcepId: "vpcep-a" }, { vpcepId: "vpcep-b" }] });
      await expect(w.engine.up(V, "acl", { region: R, vpceps: [{ vpcepId: "vpcep-a" }] })).rejects.toThrow(/neither documented DELETE path is served.*\/devuc-accessmgmt\/v2\/vpceps: HTTP 404 APIG\.0101.*\/v2\/vpceps: HTTP 404 APIG\.0101/);
      await expect(w.engine.destroy(V, "acl")).rejects.toThrow(/Nothing was revoked/);
      expect(vpcepRecords(w.emu.store, w.account.domainId, R).sort()).toEqual(["vpcep-a", "vpcep-b"]);
      expect(w.engine.state.get(w.engine.urn(V, "acl"))!.outputs.vpceps).toHaveLength(2);
    } finally {
      await w.close();
    }
  });
});
