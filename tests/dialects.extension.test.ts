import * as path from "path";
import { renderMatrix, rowMatrix } from "./support/dialectMatrix";
import { World, inWorld } from "./support/world";

/**
 * The extension plug-in rows of docs/ambiguities.md (X1–X12): the generic lifecycle of every
 * concerned kind under each reading, and per row a scenario that makes the reading matter, through
 * the real host, with the service's inventory checked afterwards.
 */
jest.setTimeout(240_000);

// X9 and X10 concern a plug-in's package: their lifecycles make it with one and change its content; X12's
// lifecycle declares the version published, so §4.9.1 makes it (dialectMatrix ROW_STEPS).
const ROWS = ["X1", "X6", "X3", "X4", "X8", "X2", "X5", "X7", "X9", "X10", "X11", "X12"] as const;

test("matrix: every concerned kind's lifecycle under every reading of X1–X12", async () => {
  const cells = await rowMatrix(ROWS);
  console.log(`extension dialect matrix\n${renderMatrix(cells)}`);
  expect(cells.filter((c) => !c.ok)).toEqual([]);
});

// ---- helpers ----

const step = (script: string) => ({ task: "official_shell_plugin", name: "Run", identifier: "step-run", variables: { OFFICIAL_SHELL_SCRIPT_INPUT: script } });

function held(w: World, collection: string): string[] {
  const byTenant = w.emu.store.snapshot()[collection] ?? {};
  return Object.values(byTenant).flatMap((records) => Object.keys(records));
}
const pluginsHeld = (w: World) => held(w, "plugins");
const versionsHeld = (w: World) =>
  held(w, "pluginVersions")
    .map((k) => (JSON.parse(k) as string[]).join("/"))
    .sort();

async function hostLog(w: World, pattern: RegExp): Promise<string | undefined> {
  for (let i = 0; i < 100; i++) {
    const line = w.host.logs.find((l) => pattern.test(l));
    if (line) return line;
    await new Promise((r) => setTimeout(r, 20));
  }
  return undefined;
}

// ---- X1: deleting one published version ----

describe.each(["single", "whole"])("X1=%s: destroying one published version", (reading) => {
  test("never takes the plug-in or the other declared versions with it", async () => {
    await inWorld({ X1: reading }, async (w) => {
      await w.engine.up("Plugin", "p", { pluginName: "keeper", displayName: "Keeper", businessType: "Deploy" });
      const v = (version: string) => ({ pluginName: "keeper", version, steps: [step(`./deploy.sh ${version}`)], publish: true });
      await w.engine.up("PluginVersion", "v1", v("1.0.0"));
      await w.engine.up("PluginVersion", "v2", v("2.0.0"));
      const r = await w.engine.destroy("PluginVersion", "v1");
      expect(r.op).toBe("delete");
      // The plug-in and the other declared version are still there (the probe plug-in is gone).
      expect(pluginsHeld(w)).toEqual(["keeper"]);
      if (reading === "single") {
        expect(versionsHeld(w)).toEqual(["keeper/2.0.0"]);
      } else {
        // Not deleted: left in place, removed from the stack only, and the user is told why.
        expect(versionsHeld(w)).toEqual(["keeper/1.0.0", "keeper/2.0.0"]);
        expect(await hostLog(w, /warning: PluginVersion keeper\/1\.0\.0 is published.*deletes the whole plug-in \(ambiguity X1, reading `whole`\)/)).toBeDefined();
      }
      // The remaining version still reads as it was, and destroying the plug-in takes everything.
      expect((await w.engine.refresh("PluginVersion", "v2")).op).toBe("refresh");
      expect(w.engine.state.has(w.engine.urn("PluginVersion", "v2"))).toBe(true);
      await w.engine.destroy("PluginVersion", "v2");
      await w.engine.destroy("Plugin", "p");
      expect(pluginsHeld(w)).toEqual([]);
      expect(versionsHeld(w)).toEqual([]);
    });
  });
});

// ---- X11: delete-draft of a released version ----

describe.each(["refuse", "delete", "noop"])("X11=%s, no provenReadings: destroying a draft released out of band since the last read", (reading) => {
  test("reads the version first and deletes it as released: never a draft's delete, nothing lost or left", async () => {
    await inWorld({ X11: reading }, async (w) => {
      await w.engine.up("Plugin", "p", { pluginName: "drafted", displayName: "Drafted", businessType: "Deploy", pluginCompositionType: "multi" });
      await w.engine.up("PluginVersion", "v1", { pluginName: "drafted", version: "1.0.0", steps: [step("./deploy.sh")] });
      await w.engine.up("PluginVersion", "v2", { pluginName: "drafted", version: "2.0.0", steps: [step("./deploy.sh")], publish: true });
      await w.outOfBand.send({
        service: "pipeline",
        method: "POST",
        path: `/v1/${await w.outOfBand.domainId()}/agent-plugin/publish-draft`,
        body: { plugin_name: "drafted", display_name: "Drafted", version: "1.0.0", plugin_attribution: "custom" },
        operation: "Test.publish",
      });
      const mark = w.emu.log.mark();
      expect((await w.engine.destroy("PluginVersion", "v1")).op).toBe("delete");
      expect(w.callsSince(mark, "PluginVersion.deleteDraft")).toBe(0);
      expect(versionsHeld(w)).toEqual(["drafted/2.0.0"]);
      expect(pluginsHeld(w)).toEqual(["drafted"]);
    });
  });
});

// ---- X12: what §4.9.1 create makes ----

describe.each([
  ["released", ["Plugin.list", "PluginVersion.create", "PluginVersion.detail", "Plugin.bindPublisher"]],
  ["draft", ["Plugin.list", "PluginVersion.create", "PluginVersion.detail", "PluginVersion.publishDraft", "Plugin.bindPublisher"]],
] as const)("X12=%s: a version declared published and bound", (reading, sent) => {
  test("is made by §4.9.1 once, released and bound; destroyed with the X1 probe on released versions; nothing lost or left", async () => {
    await inWorld({ X12: reading }, async (w) => {
      await w.engine.up("Plugin", "p", { pluginName: "direct", displayName: "Direct", businessType: "Deploy", pluginCompositionType: "multi" });
      const publisherId = (await w.engine.up("Publisher", "pub", { name: "Direct", enName: "direct", supportUrl: "support@acme.example" })).state!.id;
      const declared = { pluginName: "direct", version: "1.0.0", steps: [step("./deploy.sh")], publish: true, publisherId };
      const mark = w.emu.log.mark();
      const r = await w.engine.up("PluginVersion", "v1", declared);
      expect(r.op).toBe("create");
      expect(w.emu.log.since(mark).map((e) => e.operation)).toEqual(sent);
      expect(r.state!.outputs).toMatchObject({ publish: true, publisherId, versionAttribution: "formal" });
      const stored = w.emu.store.snapshot().pluginVersions;
      const record = Object.values(stored).flatMap((records) => Object.values(records))[0] as { version_attribution: string };
      expect(record.version_attribution).toBe("formal");
      expect(versionsHeld(w)).toEqual(["direct/1.0.0"]);
      expect((await w.engine.up("PluginVersion", "v1", declared)).op).toBe("same");
      // The X1 probe (once per process) must prove the reading on released versions, whatever §4.9.1 makes.
      expect((await w.engine.destroy("PluginVersion", "v1")).op).toBe("delete");
      expect(versionsHeld(w)).toEqual([]);
      expect(pluginsHeld(w)).toEqual(["direct"]);
      expect(await hostLog(w, /deleting one released version with type=single deletes that version only/)).toBeDefined();
      if (reading === "draft") expect(await hostLog(w, /§4\.9\.1 made drafts on this service \(ambiguity X12, reading `draft`\)/)).toBeDefined();
    });
  });
});

// ---- X6: unique_id on edit-draft and info update ----

describe.each(["required", "ignored"])("X6=%s: unique_id on the plug-in info update", (reading) => {
  test("an update after the plug-in was re-made out of band (a new unique_id) sends the plug-in's current id", async () => {
    await inWorld({ X6: reading }, async (w) => {
      const D = await w.outOfBand.domainId();
      await w.engine.up("Plugin", "p", { pluginName: "remade", displayName: "Remade", businessType: "Deploy" });
      // Deleted and added again under the same name by someone else: the state's uniqueId is stale.
      await w.outOfBand.send({
        service: "pipeline",
        method: "DELETE",
        path: `/v3/${D}/extension/info/delete`,
        query: { plugin_name: "remade", type: "all" },
        operation: "Test.delete",
      });
      await w.outOfBand.send({
        service: "pipeline",
        method: "POST",
        path: `/v3/${D}/extension/info/add`,
        operation: "Test.add",
        body: { plugin_name: "remade", display_name: "Remade", business_type: "Deploy", plugin_composition_type: "single", runtime_attribution: "agent" },
      });
      const r = await w.engine.up("Plugin", "p", { pluginName: "remade", displayName: "Remade (changed)", businessType: "Deploy" });
      expect(r.op).toBe("update");
      const stored = w.emu.store.snapshot().plugins;
      const shell = Object.values(stored).flatMap((records) => Object.values(records))[0] as { display_name: string; unique_id: string };
      expect(shell.display_name).toBe("Remade (changed)");
      expect(r.state!.outputs.uniqueId).toBe(shell.unique_id);
      expect((await w.engine.up("Plugin", "p", { pluginName: "remade", displayName: "Remade (changed)", businessType: "Deploy" })).op).toBe("same");
    });
  });
});

// ---- X3: the publisher list after a create ----

describe.each(["verbatim", "normalised"])("X3=%s: a publisher read back trimmed and with a default logo", (reading) => {
  test("is found after the bare-true create, shows no diff, and is not created twice", async () => {
    await inWorld({ X3: reading }, async (w) => {
      const declared = { name: "  Acme Tools ", enName: "acme ", description: " Builds things", supportUrl: "support@acme.example" };
      const r = await w.engine.up("Publisher", "pub", declared);
      expect(r.op).toBe("create");
      expect(held(w, "publishers")).toEqual([r.state!.id]);
      expect(r.state!.outputs).toMatchObject({ name: "Acme Tools", enName: "acme", description: "Builds things" });
      expect(r.state!.outputs.logoUrl).toBeUndefined();
      const again = await w.engine.refresh("Publisher", "pub");
      expect(again.state!.inputs.logoUrl).toBeUndefined();
      expect((await w.engine.up("Publisher", "pub", declared)).op).toBe("same");
      // Adoption by id, and the identical-publisher guard of a second create, see it too.
      const adopted = await w.engine.up("Publisher", "pub-adopted", { ...declared, adoptId: r.state!.id });
      expect(adopted.state!.id).toBe(r.state!.id);
      await expect(w.engine.up("Publisher", "pub-twin", declared)).rejects.toThrow(/an identical publisher already exists/);
      expect(held(w, "publishers")).toEqual([r.state!.id]);
    });
  });
});

// ---- X4: the publisher binding in the plug-in listing ----

describe.each(["bound", "null"])("X4=%s: the publisher binding read back", (reading) => {
  test("a bound, published version refreshes with its publisher and the next up is a no-op", async () => {
    await inWorld({ X4: reading }, async (w) => {
      await w.engine.up("Plugin", "p", { pluginName: "bindme", displayName: "Bind me", businessType: "Deploy" });
      const publisherId = (await w.engine.up("Publisher", "pub", { name: "Binder", supportUrl: "support@acme.example" })).state!.id;
      const declared = { pluginName: "bindme", version: "1.0.0", steps: [step("./deploy.sh")], publish: true, publisherId };
      expect((await w.engine.up("PluginVersion", "v", declared)).op).toBe("create");
      const stored = Object.values(w.emu.store.snapshot().plugins).flatMap((r) => Object.values(r)) as Array<{ publisher_unique_id: string | null }>;
      expect(stored[0].publisher_unique_id).toBe(publisherId);
      const mark = w.emu.log.mark();
      const r = await w.engine.refresh("PluginVersion", "v");
      expect(r.state!.inputs.publisherId).toBe(publisherId);
      expect(w.callsSince(mark, "Plugin.listOptional")).toBe(reading === "null" ? 1 : 0);
      const again = w.emu.log.mark();
      expect((await w.engine.up("PluginVersion", "v", declared)).op).toBe("same");
      expect(w.callsSince(again, "PluginVersion.bindPublisher")).toBe(0);
    });
  });
});

// ---- X8: execution_info in the version detail ----

describe.each(["returned", "omitted"])("X8=%s: the steps in the version detail", (reading) => {
  test("a published version refreshes without drift, and a draft's step change is still edited in place", async () => {
    await inWorld({ X8: reading }, async (w) => {
      await w.engine.up("Plugin", "p", { pluginName: "steps", displayName: "Steps", businessType: "Deploy" });
      const published = { pluginName: "steps", version: "1.0.0", steps: [step("./deploy.sh")], publish: true };
      expect((await w.engine.up("PluginVersion", "pub", published)).op).toBe("create");
      const r = await w.engine.refresh("PluginVersion", "pub");
      expect(r.state!.inputs.steps).toEqual(published.steps);
      expect((await w.engine.up("PluginVersion", "pub", published)).op).toBe("same");
      const draft = { pluginName: "steps", version: "2.0.0", steps: [step("./deploy.sh")] };
      await w.engine.up("PluginVersion", "draft", draft);
      const mark = w.emu.log.mark();
      expect((await w.engine.up("PluginVersion", "draft", { ...draft, steps: [step("./deploy.sh --v2")] })).op).toBe("update");
      expect(w.callsSince(mark, "PluginVersion.editDraft")).toBe(1);
      const stored = w.emu.store.snapshot().pluginVersions;
      const v2 = Object.values(stored)
        .flatMap((recs) => Object.values(recs))
        .find((v) => (v as { version: string }).version === "2.0.0") as { steps: unknown[] };
      expect(v2.steps).toEqual([step("./deploy.sh --v2")]);
      expect((await w.engine.refresh("PluginVersion", "draft")).state!.inputs.steps).toEqual([step("./deploy.sh --v2")]);
      expect((await w.engine.up("PluginVersion", "draft", { ...draft, steps: [step("./deploy.sh --v2")] })).op).toBe("same");
    });
  });
});

// ---- X2: composite versions on a `single` plug-in ----

describe.each(["accepted", "refused"])("X2=%s: a step version on a single plug-in", (reading) => {
  test("is created where accepted; refused with the reason and nothing created where not; a multi plug-in takes it under both", async () => {
    await inWorld({ X2: reading }, async (w) => {
      await w.engine.up("Plugin", "single", { pluginName: "lone", displayName: "Lone", businessType: "Deploy" });
      await w.engine.up("Plugin", "multi", { pluginName: "many", displayName: "Many", businessType: "Deploy", pluginCompositionType: "multi" });
      const onSingle = w.engine.up("PluginVersion", "v-lone", { pluginName: "lone", version: "1.0.0", steps: [step("./deploy.sh")] });
      if (reading === "accepted") {
        expect((await onSingle).op).toBe("create");
        expect(versionsHeld(w)).toEqual(["lone/1.0.0"]);
      } else {
        await expect(onSingle).rejects.toThrow(/single plug-in.*ambiguity X2, reading `refused`.*pluginCompositionType: "multi".*Nothing was created/s);
        expect(versionsHeld(w)).toEqual([]);
        expect(w.engine.state.has(w.engine.urn("PluginVersion", "v-lone"))).toBe(false);
      }
      expect((await w.engine.up("PluginVersion", "v-many", { pluginName: "many", version: "1.0.0", steps: [step("./deploy.sh")], publish: true })).op).toBe("create");
      expect(versionsHeld(w)).toContain("many/1.0.0");
      expect(pluginsHeld(w).sort()).toEqual(["lone", "many"]);
    });
  });
});

// ---- X5: the publisher icon upload before the publisher exists ----

const ICON = path.join(__dirname, "fixtures", "acme-icon.png");

describe.each(["upload", "existing"])("X5=%s: a publisher declared with an icon file", (reading) => {
  test("is created with the icon as its logo, once; without enName under `existing` nothing is created", async () => {
    await inWorld({ X5: reading }, async (w) => {
      const declared = { name: "Iconic", enName: "iconic", supportUrl: "support@acme.example", iconFile: ICON };
      const r = await w.engine.up("Publisher", "pub", declared);
      expect(r.op).toBe("create");
      expect(held(w, "publishers")).toEqual([r.state!.id]);
      const stored = Object.values(w.emu.store.snapshot().publishers).flatMap((recs) => Object.values(recs)) as Array<{ logo_url: string | null }>;
      expect(stored[0].logo_url).toMatch(/^\/api\/v1\/.*icon_type=publish$/);
      expect(r.state!.outputs.iconPath).toBe(stored[0].logo_url);
      expect((await w.engine.refresh("Publisher", "pub")).state!.inputs.iconFile).toBe(ICON);
      expect((await w.engine.up("Publisher", "pub", declared)).op).toBe("same");
      const noEn = w.engine.up("Publisher", "pub-no-en", { name: "Nameless", supportUrl: "support@acme.example", iconFile: ICON });
      if (reading === "upload") {
        expect((await noEn).op).toBe("create");
      } else {
        await expect(noEn).rejects.toThrow(/ambiguity X5, reading `existing`.*declare enName.*Nothing was created/s);
        expect(held(w, "publishers")).toEqual([r.state!.id]);
        // A second publisher with the same enName would have the first one's icon changed: refused before anything.
        await expect(w.engine.up("Publisher", "pub-twin-en", { ...declared, name: "Iconic two" })).rejects.toThrow(/already have en_name "iconic".*Nothing was created/s);
        expect(held(w, "publishers")).toEqual([r.state!.id]);
      }
    });
  });
});

// ---- X7: input_info[].validation ----

describe.each(["json", "text"])("X7=%s: an input's validation", (reading) => {
  test("is sent as JSON text, read back as an object or as that text, without drift", async () => {
    await inWorld({ X7: reading }, async (w) => {
      await w.engine.up("Plugin", "p", { pluginName: "checked", displayName: "Checked", businessType: "Deploy", pluginCompositionType: "multi" });
      const target = { name: "TARGET", type: "input", defaultValue: "prod", validation: { requiredMessage: "Name the target", regex: "^[a-z]+$", maxLength: 64 } };
      const declared = { pluginName: "checked", version: "1.0.0", steps: [step("./deploy.sh")], inputs: [target] };
      expect((await w.engine.up("PluginVersion", "v", declared)).op).toBe("create");
      const stored = Object.values(w.emu.store.snapshot().pluginVersions).flatMap((r) => Object.values(r)) as Array<{ input_info: Array<{ validation: unknown }> }>;
      const v = stored[0].input_info[0].validation;
      if (reading === "text") expect(JSON.parse(v as string)).toEqual({ required_message: "Name the target", regex: "^[a-z]+$", max_length: 64 });
      else expect(v).toMatchObject({ required_message: "Name the target", regex: "^[a-z]+$", max_length: 64, min_length: null });
      expect((await w.engine.refresh("PluginVersion", "v")).state!.inputs.inputs).toEqual([target]);
      expect((await w.engine.up("PluginVersion", "v", declared)).op).toBe("same");
      const changed = { ...declared, inputs: [{ ...target, validation: { ...target.validation, maxLength: 32 } }] };
      expect((await w.engine.up("PluginVersion", "v", changed)).op).toBe("update");
      expect((await w.engine.refresh("PluginVersion", "v")).state!.inputs.inputs).toEqual(changed.inputs);
    });
  });
});
