import { startEmulator, DEFAULT_ACCOUNT, stackConfig } from "../emulator";
import { Engine, ProviderHost, serializedProvider } from "../tests/harness";
import { formatTable, outOfBandClient, StepLine } from "./lifecycle";
import { SCENARIOS } from "./scenarios";

/**
 * The main job: start the embedded emulator and run each resource kind's lifecycle through the
 * real dynamic-provider host (the gRPC server the Pulumi engine talks to), printing what happened.
 * Needs no network and no Pulumi CLI.
 */
async function main(): Promise<void> {
  const emu = await startEmulator({ port: 0, quiet: true });
  const account = DEFAULT_ACCOUNT;
  console.log(`emulator listening on ${emu.url} (account ${account.domainName}, AK ${account.accessKey})`);
  const host = await ProviderHost.start();
  const outOfBand = outOfBandClient(emu, account);
  const lines: StepLine[] = [];
  let failed = false;
  try {
    await host.configure(stackConfig(emu, account));
    const engine = new Engine(host, { providerFor: serializedProvider });
    for (const [kind, scenario] of SCENARIOS) {
      await scenario({ emu, engine, account, outOfBand }, async (operation, run) => {
        const mark = emu.log.mark();
        const t0 = Date.now();
        let result: string;
        try {
          result = await run();
        } catch (e) {
          failed = true;
          result = `FAILED: ${(e as Error).message}`;
        }
        const line = { kind, operation, result, apiCalls: emu.log.since(mark).length, ms: Date.now() - t0 };
        lines.push(line);
        console.log(`  ${kind} ${operation}: ${result}`);
      });
    }
  } finally {
    await outOfBand.close();
    await host.close();
    await emu.close();
  }
  console.log("\n" + formatTable(lines));
  console.log(`\n${lines.length} steps, ${lines.filter((l) => l.result.startsWith("FAILED")).length} failed; ${lines.reduce((n, l) => n + l.apiCalls, 0)} API calls in all`);
  if (failed) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
