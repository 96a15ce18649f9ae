import { ApiClient } from "../provider/client";
import { loadSettings } from "../provider/config";
import type { Account, Emulator } from "../emulator";
import type { Engine } from "../tests/harness";

/**
 * A resource kind's lifecycle as the demo runs it through the real dynamic-provider host:
 * create, read, no-op, update, drift, out-of-band delete, destroy. Each step reports one line.
 */
export interface StepLine {
  kind: string;
  operation: string;
  result: string;
  apiCalls: number;
  ms: number;
}

export interface DemoContext {
  emu: Emulator;
  engine: Engine;
  account: Account;
  /** A separate client that changes things behind the provider's back. */
  outOfBand: ApiClient;
}

export type Scenario = (ctx: DemoContext, step: (operation: string, run: () => Promise<string>) => Promise<void>) => Promise<void>;

export function outOfBandClient(emu: Emulator, account: Account): ApiClient {
  return new ApiClient({
    ...loadSettings(() => undefined, {}),
    region: account.iamProjects[0].name,
    accessKey: account.accessKey,
    secretKey: account.secretKey,
    domainId: account.domainId,
    endpoints: { "*": emu.url },
  });
}

export const pipelineGroupScenario: Scenario = async ({ engine, account, outOfBand }, step) => {
  const T = "PipelineGroup";
  const projectId = account.codeartsProjects[0];
  let id = "";
  await step("create", async () => {
    const r = await engine.up(T, "platform", { projectId, name: "Platform" });
    id = r.state!.id;
    return `${r.op} ${id}`;
  });
  await step("read (refresh)", async () => `${(await engine.refresh(T, "platform")).op}: name=${engine.state.values().next().value?.outputs.name}`);
  await step("no-op up", async () => `${(await engine.up(T, "platform", { projectId, name: "Platform" })).op}`);
  await step("rename", async () => `${(await engine.up(T, "platform", { projectId, name: "Platform Team" })).op}`);
  await step("drift: renamed out of band", async () => {
    await outOfBand.send({ service: "pipeline", method: "POST", path: `/v5/${projectId}/api/pipeline-group/update`, body: { name: "Renamed in console", id }, operation: "Demo.rename" });
    const r = await engine.refresh(T, "platform");
    return `refresh sees name=${r.state!.outputs.name}`;
  });
  await step("up repairs drift", async () => `${(await engine.up(T, "platform", { projectId, name: "Platform Team" })).op}`);
  await step("deleted out of band", async () => {
    await outOfBand.send({ service: "pipeline", method: "DELETE", path: `/v5/${projectId}/api/pipeline-group/delete`, query: { id }, operation: "Demo.delete" });
    return `refresh: ${(await engine.refresh(T, "platform")).op}`;
  });
  await step("up re-creates", async () => `${(await engine.up(T, "platform", { projectId, name: "Platform Team" })).op}`);
  await step("destroy", async () => `${(await engine.destroy(T, "platform")).op}`);
};

export function formatTable(lines: StepLine[]): string {
  const head = ["kind", "operation", "result", "API calls", "ms"];
  const rows = lines.map((l) => [l.kind, l.operation, l.result, String(l.apiCalls), String(l.ms)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join("  ");
  return [fmt(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(fmt)].join("\n");
}
