import { createServer } from "http";
import type { AddressInfo } from "net";
import { clientSettings, seedCocResources } from "../emulator";
import { listTenantResources } from "../provider/lookups/coc";
import { type MatrixCell, renderMatrix, rowMatrix } from "./support/dialectMatrix";
import { inWorld, type World } from "./support/world";

/**
 * Dialects of the COC script-run (E) rows of docs/ambiguities.md: ScriptRun's lifecycle under every reading,
 * then the readings that change what a failed run reads, and the tenant-resource look-up (§4.1.1, E8).
 */
jest.setTimeout(120_000);

let cells: MatrixCell[] = [];
afterAll(() => console.log(`dialect matrix, script-run rows:\n${renderMatrix(cells)}`));

test("matrix: every reading of E1, E2, E3, E4, E6, E7", async () => {
  cells = await rowMatrix(["E1", "E2", "E3", "E4", "E6", "E7"]);
  expect(cells.filter((c) => !c.ok)).toEqual([]);
});

const host = (resourceId: string) => ({ resourceId, agentSn: `sn-${resourceId}`, projectId: "p1", regionId: "cn-north-4" });
async function scriptOf(w: World): Promise<string> {
  seedCocResources(w.emu.store, w.account.domainId, [host("ok"), { ...host("bad"), behaviour: "fail", message: "No space left on device" }], 20);
  return (await w.engine.up("Script", "s", { name: "e_rows", description: "d", type: "SHELL", content: "true", riskLevel: "LOW", version: "1" })).state!.id;
}

describe("E6 × E7: a failed ticket, in every envelope and status, fails the up with the host's message", () => {
  for (const E6 of ["wrapped", "as-tables"])
    for (const E7 of ["error", "abnormal"])
      test(`E6=${E6}, E7=${E7}`, () =>
        inWorld({ E6, E7 }, async (w) => {
          const scriptId = await scriptOf(w);
          const status = E7 === "error" ? "ERROR" : "ABNORMAL";
          await expect(w.engine.up("ScriptRun", "r", { scriptId, batches: [{ hosts: [host("bad")] }] })).rejects.toThrow(
            new RegExp(`ended ${status}, 0 of 1 hosts succeeded: batch 1 host bad ABNORMAL: No space left on device`),
          );
          const ok = await w.engine.up("ScriptRun", "r", { scriptId, batches: [{ hosts: [host("ok")] }, { hosts: [host("bad")] }], successRate: 50 });
          expect(ok.state!.outputs.batchResults.map((b: { hosts: Array<{ status: string }> }) => b.hosts[0].status)).toEqual(["FINISHED", "ABNORMAL"]);
        }));
});

describe("§4.1.1 listTenantResources", () => {
  test("every page of the tenant's hosts of one provider and type, as the look-up's fields", () =>
    inWorld({}, async (w) => {
      seedCocResources(w.emu.store, w.account.domainId, [
        ...Array.from({ length: 230 }, (_x, i) => host(`i-${String(i).padStart(3, "0")}`)),
        { ...host("rds-1"), provider: "rds", type: "instances" },
      ]);
      const found = await listTenantResources({ provider: "ecs", type: "cloudservers", settings: clientSettings(w.emu, w.account) });
      expect(found).toHaveLength(230);
      expect(found[0]).toMatchObject({ resourceId: "i-000", agentId: "sn-i-000", projectId: "p1", regionId: "cn-north-4", provider: "ecs", type: "cloudservers" });
      expect(new Set(found.map((h) => h.id)).size).toBe(230);
      // 100 a page (the maximum): three pages.
      expect(w.emu.log.entries.filter((e) => e.operation === "Resource.list")).toHaveLength(3);
    }));
  test("E8: a service that does not read the marker as the last id (the same page again) stops the listing with an error", async () => {
    // Every request answers the same full page, as a service reading the marker otherwise could.
    const page = { data: Array.from({ length: 100 }, (_x, i) => ({ id: String(i), resource_id: `i-${i}` })) };
    const server = createServer((_req, res) => res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(page)));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await expect(listTenantResources({ provider: "ecs", type: "cloudservers", settings: clientSettings({ url }) })).rejects.toThrow(
        /the page after marker 99 repeats resource 0: .*ambiguities\.md E8/,
      );
    } finally {
      server.close();
    }
  });
  test("provider, type and limit are mandatory (the emulator refuses without them)", () =>
    inWorld({}, async (w) => {
      await expect(w.outOfBand.send({ service: "coc", method: "GET", path: "/v1/resources", query: { type: "cloudservers", limit: 10 }, operation: "Test.list" })).rejects.toThrow(
        /COC\.00040701.*provider is mandatory/,
      );
      await expect(
        w.outOfBand.send({ service: "coc", method: "GET", path: "/v1/resources", query: { provider: "ecs", type: "cloudservers", limit: 101 }, operation: "Test.list" }),
      ).rejects.toThrow(/limit/);
    }));
});
