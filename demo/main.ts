import { parseArgs } from "node:util";
import { startEmulator, DEFAULT_ACCOUNT, stackConfig } from "../emulator";
import { DialectError, LEAST_CONVENIENT, parseDialectArgs, readDialectFile } from "../emulator/dialects";
import { Engine, ProviderHost, serializedProvider } from "../tests/harness";
import { formatTable, outOfBandClient, StepLine } from "./lifecycle";
import { SCENARIOS } from "./scenarios";
import { runPlatform } from "./automation";
import { findPulumiCli } from "../cli/pulumiCli";
import { renderMarkdown } from "../cli/summary";

/**
 * The main job: start the embedded emulator and, with the Pulumi CLI (on PATH, or built by `npm run
 * pulumi-cli`), run the example platform program through it: up, a change, drift, destroy, with the
 * summaries. Without the CLI: each resource kind's lifecycle through the real dynamic-provider host
 * (the gRPC server the Pulumi engine talks to). Needs no network.
 */
async function main(): Promise<void> {
  const dialect = dialectFromArgs(process.argv.slice(2));
  const emu = await startEmulator({ port: 0, quiet: true, dialect });
  const account = DEFAULT_ACCOUNT;
  console.log(`emulator listening on ${emu.url} (account ${account.domainName}, AK ${account.accessKey})`);
  const chosen = Object.entries(dialect).map(([k, v]) => `${k}=${v}`);
  console.log(`dialect: ${chosen.length === 0 ? "every row at its default reading" : chosen.join(" ")}`);
  const cli = await findPulumiCli();
  if (cli.found) {
    console.log(`Pulumi CLI ${cli.version} (${cli.path}): running the example platform program on a local backend`);
    try {
      await runPlatform(
        emu,
        account,
        (title, r, outputs) => {
          console.log(`\n## ${title}${r.error ? " (FAILED)" : ""}\n`);
          console.log(renderMarkdown(r.summary));
          // What the program exported: the ticket, the package version, the looked-up ids.
          if (outputs) console.log(`\nOutputs: ${JSON.stringify(outputs)}`);
          if (r.error) process.exitCode = 1;
        },
        cli.command,
      );
    } finally {
      await emu.close();
    }
    return;
  }
  console.log(
    "Pulumi CLI not found (on PATH, or built by `npm run pulumi-cli`, which builds it from source in about 5 minutes): " +
      "running the same resource kinds' lifecycles through the real dynamic-provider host instead",
  );
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

/**
 * `npm run demo -- --dialect P1=page0 --dialect X1=whole` speaks those readings of the docs'
 * ambiguous passages (docs/ambiguities.md); `--least-convenient` speaks, for every row, the reading
 * that asks the most of the provider; `--dialect-file FILE` the readings a file names (what
 * `pulumi-codearts conformance --out FILE` found your service to speak). Later options win.
 */
function dialectFromArgs(args: string[]): Record<string, string> {
  const { values } = parseArgs({
    args,
    options: { dialect: { type: "string", multiple: true, default: [] }, "dialect-file": { type: "string" }, "least-convenient": { type: "boolean", default: false } },
  });
  const base = values["least-convenient"] ? (LEAST_CONVENIENT as Record<string, string>) : {};
  const fromFile = values["dialect-file"] ? (readDialectFile(values["dialect-file"]) as Record<string, string>) : {};
  return { ...base, ...fromFile, ...(parseDialectArgs(values.dialect!) as Record<string, string>) };
}

main().catch((e) => {
  console.error(e instanceof DialectError ? `demo: ${e.message}` : e);
  process.exit(e instanceof DialectError ? 64 : 1);
});
