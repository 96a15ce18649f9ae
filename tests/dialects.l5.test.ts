import { renderMatrix, rowMatrix } from "./support/dialectMatrix";
import { inWorld } from "./support/world";

/**
 * Row L5 of docs/ambiguities.md for the extension plug-ins: fields the program left unset read
 * back `null`, `omitted` or as a service default (`defaults`: "" and [], the service type's display
 * name such as "General", the creator as maintainer). Under every reading a plug-in and a version that
 * leave their optional fields unset refresh, re-apply and adopt with no change; a declared value still drifts.
 */
jest.setTimeout(120_000);

test("matrix: every concerned kind's lifecycle under every reading of L5", async () => {
  const cells = await rowMatrix(["L5"]);
  console.log(`L5 dialect matrix\n${renderMatrix(cells)}`);
  expect(cells.filter((c) => !c.ok)).toEqual([]);
});

const step = { task: "official_shell_plugin", name: "Run", identifier: "step-run", variables: { OFFICIAL_SHELL_SCRIPT_INPUT: "echo hi" } };
const writes = (ops: Array<{ method: string; operation?: string }>) =>
  ops.filter((e) => e.method !== "GET" && !/\.(list|listBasic|listOptional)$/.test(e.operation ?? "")).map((e) => e.operation);

describe.each(["null", "omitted", "defaults"])("L5=%s: a plug-in and a version with their optional fields unset", (reading) => {
  test("refresh, up again (same) and adoption by id (no change); a declared value still shows drift", async () => {
    await inWorld({ L5: reading }, async (w) => {
      const plugin = { pluginName: "bare_plugin", displayName: "Bare", businessType: "Normal", pluginCompositionType: "multi" };
      const version = { pluginName: "bare_plugin", version: "1.0.0", steps: [step] };
      await w.engine.up("Plugin", "p", plugin);
      await w.engine.up("PluginVersion", "v", version);

      // What the service answers for the fields left unset, per reading.
      const D = w.account.domainId;
      const row = (
        await w.outOfBand.send<any>({
          service: "pipeline",
          method: "POST",
          path: `/v1/${D}/agent-plugin/query-all`,
          query: { offset: 0, limit: 10 },
          body: { plugin_name: "bare_plugin" },
          operation: "Test.list",
        })
      ).body.data[0];
      if (reading === "omitted") expect("maintainers" in row).toBe(false);
      else if (reading === "null") expect(row.maintainers).toBeNull();
      else expect([row.maintainers, row.business_type_display_name, row.description]).toEqual([expect.stringMatching(/^\["/), "General", ""]);

      for (const [type, name, inputs] of [
        ["Plugin", "p", plugin],
        ["PluginVersion", "v", version],
      ] as const) {
        const read = await w.engine.refresh(type, name);
        expect(read.op).toBe("refresh");
        expect(read.state!.inputs).not.toHaveProperty("maintainers", expect.anything());
        expect(read.state!.inputs).not.toHaveProperty("businessTypeDisplayName", expect.anything());
        expect((await w.engine.up(type, name, inputs)).op).toBe("same");
        const mark = w.emu.log.mark();
        const id = read.state!.id;
        const adopted = await w.engine.up(type, `${name}2`, { ...inputs, adoptId: id });
        expect(adopted.state!.id).toBe(id);
        expect(writes(w.emu.log.since(mark))).toEqual([]);
        w.engine.state.delete(w.engine.urn(type, `${name}2`));
      }

      // A declared value still shows drift: maintainers changed behind Pulumi's back.
      const declared = { ...plugin, maintainers: ["alice"], description: "mine" };
      expect((await w.engine.up("Plugin", "p", declared)).op).toBe("update");
      await w.outOfBand.send({
        service: "pipeline",
        method: "POST",
        path: `/v3/${D}/extension/info/update`,
        operation: "Test.update",
        body: { plugin_name: "bare_plugin", unique_id: row.unique_id, maintainers: JSON.stringify(["mallory"]) },
      });
      expect((await w.engine.refresh("Plugin", "p")).state!.inputs.maintainers).toEqual(["mallory"]);
      expect((await w.engine.up("Plugin", "p", declared)).op).toBe("update");
      expect((await w.engine.up("Plugin", "p", declared)).op).toBe("same");

      await w.engine.destroy("PluginVersion", "v");
      await w.engine.destroy("Plugin", "p");
      expect(Object.values(w.emu.store.snapshot().plugins ?? {}).flatMap((r) => Object.keys(r))).toEqual([]);
    });
  });
});
