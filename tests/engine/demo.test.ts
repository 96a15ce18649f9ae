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
    // The platform program with its API test suite, the basic plug-in and the script run.
    expect([run.up.summary.result, run.up.summary.inconsistent, run.up.summary.counts.create]).toEqual(["succeeded", undefined, 18]);
    const out = run.outputs as {
      deployCheckPackage: { version: string; digest: string };
      rotationHosts: string[];
      rotationTicket: { id: string; status: string };
      organisationGroupId: string;
      teamGroupPath: string;
    };
    // The basic plug-in's package as the service reads it back (§4.9.30): the version the demo's manifest declares.
    expect(out.deployCheckPackage.version).toBe("1.0.0");
    expect(out.deployCheckPackage.digest).toEqual(expect.any(String));
    // The run's ticket, on the hosts the look-up listed, is the emulator's and ended FINISHED.
    expect(out.rotationHosts).toEqual(["web-1", "web-2"]);
    expect(out.rotationTicket.status).toBe("FINISHED");
    const tickets = emu.store.snapshot().cocTickets?.[DEFAULT_ACCOUNT.domainId] ?? {};
    expect(Object.keys(tickets)).toEqual([out.rotationTicket.id]);
    // The organisation's group, made out of band, found by name: the team's group is under it.
    expect(out.organisationGroupId).toBe(run.organisationGroupId);
    expect(out.teamGroupPath).toMatch(new RegExp(`^${run.organisationGroupId}\\.`));
    expect(run.changePreview.summary.resources.some((r) => r.op === "update" && r.changes.includes("name"))).toBe(true);
    expect(verdict(run.drift.summary).outcome).toBe("drift");
    expect(drifted(run.drift.summary).map((r) => r.name)).toContain("team");
    expect(run.destroy.error).toBeUndefined();
    expect(run.destroy.summary.counts.delete).toBe(run.up.summary.counts.create);
    // A look-up owns nothing: the destroy leaves the organisation's group alone.
    expect(Object.values(emu.store.snapshot().pipelineGroups ?? {}).flatMap((byId) => Object.keys(byId))).toEqual([run.organisationGroupId]);
  } finally {
    await emu.close();
  }
});
