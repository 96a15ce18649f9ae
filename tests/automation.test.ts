import { findPulumiCli, CLI_MISSING } from "../cli/pulumiCli";
import { drifted } from "../cli/summary";
import { runPlatform } from "../demo/automation";
import { startEmulator, DEFAULT_ACCOUNT } from "../emulator";

// The Automation API end to end: the example program on a local backend against the emulator.
// Needs the Pulumi CLI; where it is missing this prints a visible skip and asserts nothing else.
jest.setTimeout(300_000);

test("up, preview of a change, drift, destroy through the Pulumi CLI", async () => {
  const cli = await findPulumiCli();
  if (!cli.found) {
    console.log(CLI_MISSING);
    return;
  }
  const emu = await startEmulator({ port: 0 });
  try {
    const run = await runPlatform(emu, DEFAULT_ACCOUNT, () => undefined);
    expect(run.up.error).toBeUndefined();
    expect(run.up.summary.counts.create).toBeGreaterThan(0);
    expect(run.changePreview.summary.resources.some((r) => r.op === "update" && r.changes.includes("name"))).toBe(true);
    expect(drifted(run.drift.summary).map((r) => r.name)).toContain("team");
    expect(run.destroy.error).toBeUndefined();
    expect(run.destroy.summary.counts.delete).toBe(run.up.summary.counts.create);
  } finally {
    await emu.close();
  }
});
