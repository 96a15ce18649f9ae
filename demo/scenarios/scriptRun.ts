import { clientSettings, seedCocResources } from "../../emulator";
import { listTenantResources } from "../../provider/lookups/coc";
import type { Scenario } from "../lifecycle";

/** A script run with its ticket: hosts found through §4.1.1, a run followed to FINISHED, a failing host, a cancel at the bound. */
export const scriptRunScenario: Scenario = async ({ emu, engine, account }, step) => {
  const T = "ScriptRun";
  // Hosts are the tenant's resources (COC has no create API for them): the demo seeds them, one failing, one hanging.
  const hosts = (names: string[]) =>
    names.map((n) => ({ resourceId: n, agentSn: `sn-${n}`, projectId: account.iamProjects[0].id.slice(0, 32), regionId: account.iamProjects[0].name }));
  seedCocResources(
    emu.store,
    account.domainId,
    [
      ...hosts(["web-1", "web-2"]),
      { ...hosts(["web-3"])[0], behaviour: "fail", message: "logrotate: error: skipping /var/log/app.log" },
      { ...hosts(["web-4"])[0], behaviour: "hang" },
    ],
    200,
  );
  const scriptId = (
    await engine.up("Script", "run-script", {
      name: "demo_run_rotate",
      description: "Rotates logs",
      type: "SHELL",
      content: "logrotate -f ${conf}",
      riskLevel: "LOW",
      version: "1.0.0",
      params: [{ name: "token", value: "", sensitive: true }],
    })
  ).state!.id;
  const found = await listTenantResources({ provider: "ecs", type: "cloudservers", settings: clientSettings(emu, account) });
  const target = (names: string[]) =>
    found.filter((h) => names.includes(h.resourceId)).map((h) => ({ resourceId: h.resourceId, agentSn: h.agentId!, projectId: h.projectId!, regionId: h.regionId! }));
  const run = (names: string[][], over: Record<string, unknown> = {}) => ({
    scriptId,
    scriptVersion: "1.0.0",
    params: [{ name: "token", value: "demo-secret", sensitive: true }],
    batches: names.map((n) => ({ hosts: target(n) })),
    ...over,
  });
  await step("listTenantResources (§4.1.1)", async () => `${found.length} hosts: ${found.map((h) => h.resourceId).join(", ")}`);
  await step("run on two batches, wait for the ticket", async () => {
    const r = await engine.up(T, "run", run([["web-1"], ["web-2"]]));
    return `${r.op} ${r.state!.id}: ${r.state!.outputs.status}, ${r.state!.outputs.batchResults.map((b: { hosts: unknown[] }) => b.hosts.length).join("+")} hosts`;
  });
  await step("no-op runs nothing", async () => `${(await engine.up(T, "run", run([["web-1"], ["web-2"]]))).op}`);
  await step("a new trigger runs again", async () => `${(await engine.up(T, "run", run([["web-1"], ["web-2"]], { triggers: ["release-2"] }))).op}`);
  await step("a failing host fails the up with the ticket's message", async () =>
    engine.up(T, "failing", run([["web-1", "web-3"]])).then(
      () => "unexpectedly succeeded",
      (e: Error) => e.message.slice(e.message.indexOf("ScriptRun"), e.message.indexOf("ScriptRun") + 160),
    ),
  );
  await step("a hanging host: cancelled at waitTimeout", async () =>
    engine.up(T, "hung", run([["web-4"]], { waitTimeout: 1 })).then(
      () => "unexpectedly succeeded",
      (e: Error) => e.message.slice(e.message.indexOf("the ticket did not end"), e.message.indexOf("the ticket did not end") + 120),
    ),
  );
  await step("destroy forgets (the ticket stays)", async () => `${(await engine.destroy(T, "run")).op}`);
  await engine.destroy("Script", "run-script");
};
