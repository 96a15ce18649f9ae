import { DEFAULT_ACCOUNT, seedVpcepRecords, startEmulator, type Emulator } from "../../emulator";
import { summarize, verdict } from "../../cli/summary";
import { PLATFORM_PROGRAM } from "../harness/engineProgram";
import { outOfBand, platformConfig, VPCEP_REGION, VPCEPS } from "../harness/recordEvents";
import { programFrom, RealStack, type RealRun } from "../harness/realEngine";

/**
 * What the summary makes of the engine's events for the repository's own program (examples/platform,
 * the program Pulumi.yaml runs, stack config as in tests/program.test.ts), through the real CLI: the
 * pull request comment of a rename's preview and the drift job's verdicts. These assertions were made
 * on the engine stand-in's imitation of the events; the events now come from the engine itself (its
 * `--event-log`). tests/program.test.ts keeps the same program's provider calls on the stand-in.
 */
let emu: Emulator;
let stack: RealStack;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, quiet: true });
  seedVpcepRecords(emu.store, DEFAULT_ACCOUNT.domainId, VPCEP_REGION, VPCEPS);
  stack = await RealStack.create({ program: programFrom(PLATFORM_PROGRAM), config: platformConfig(emu) });
});
afterAll(async () => {
  await stack?.dispose();
  await emu?.close();
});

async function op(run: Promise<RealRun>): Promise<RealRun> {
  const r = await run;
  if (!r.ok) throw new Error(`${r.operation} failed: ${r.error}`);
  return r;
}

test("a change of the team name: the PR comment from the engine's events names what changes by the provider's rules", async () => {
  await op(stack.up());
  await stack.setConfig({ "codearts-platform:teamName": "Payments" });
  const preview = await op(stack.preview());
  const comment = summarize("preview", preview.events);
  expect(comment.inconsistent).toBeUndefined();
  expect(comment.resources.find((l) => l.name === "team")).toMatchObject({ op: "update", changes: ["name"] });
  const replaced = comment.resources.filter((l) => l.op === "replace");
  expect(replaced.length).toBeGreaterThan(0);
  expect(replaced.filter((l) => !(l.replaces.length > 0 && l.reasons.length > 0)).map((l) => l.name)).toEqual([]);
  const up = await op(stack.up());
  expect(summarize("up", up.events).inconsistent).toBeUndefined();
});

test("the drift job on the engine's events: nothing changed, a rename and a deletion out of band; up puts it back", async () => {
  const drift = async () => verdict(summarize("drift", (await op(stack.drift())).events));
  expect(await drift()).toEqual({ outcome: "ok", message: "no drift" });
  outOfBand(
    emu,
    "pipelineGroups",
    (r) => r.name === "Payments",
    (r) => (r.name = "Renamed in the console"),
  );
  const renamed = await drift();
  expect(renamed.outcome).toBe("drift");
  expect(renamed.message).toContain("PipelineGroup team (changed: name)");
  outOfBand(emu, "rules", (r) => String(r.name).endsWith("test pass rate"), "delete");
  const deleted = await drift();
  expect(deleted.message).toContain("Rule pass-rate (deleted out of band)");
  // The state still claims what the program declared: accept the drift with a refresh, then up restores it.
  await op(stack.refresh());
  await op(stack.up());
  expect(await drift()).toMatchObject({ outcome: "ok" });
});
