import { findPulumiCli } from "../../cli/pulumiCli";
import { drifted, verdict } from "../../cli/summary";
import { runPlatform } from "../../demo/automation";
import { startEmulator, DEFAULT_ACCOUNT } from "../../emulator";

// The main job's CLI path (npm run demo with the CLI built): the example program through the real
// CLI on a local backend against the emulator, summarised by the code pulumi-codearts runs.
test("the demo: up, preview of a change, drift, destroy through the real Pulumi CLI", async () => {
  const cli = await findPulumiCli();
  if (!cli.found) throw new Error("the Pulumi CLI is not built: run `npm run pulumi-cli`");
  const emu = await startEmulator({ port: 0 });
  try {
    const titles: string[] = [];
    const run = await runPlatform(emu, DEFAULT_ACCOUNT, (title) => titles.push(title), cli.command);
    expect(titles).toEqual(["up", "preview of a change (teamName → Platform Team)", "drift after a rename in the console", "destroy"]);
    expect(run.up.error).toBeUndefined();
    expect([run.up.summary.result, run.up.summary.inconsistent, run.up.summary.counts.create]).toEqual(["succeeded", undefined, 16]); // the platform program with its API test suite
    expect(run.changePreview.summary.resources.some((r) => r.op === "update" && r.changes.includes("name"))).toBe(true);
    expect(verdict(run.drift.summary).outcome).toBe("drift");
    expect(drifted(run.drift.summary).map((r) => r.name)).toContain("team");
    expect(run.destroy.error).toBeUndefined();
    expect(run.destroy.summary.counts.delete).toBe(run.up.summary.counts.create);
    expect(Object.values(emu.store.snapshot().pipelineGroups ?? {}).flatMap((byId) => Object.keys(byId))).toEqual([]);
  } finally {
    await emu.close();
  }
});
