#!/usr/bin/env node
import { parseArgs } from "node:util";
import { loadAccounts } from "./accounts";
import { startEmulator } from "./server";

/**
 * npm run emulator -- --port 8080 [--host 127.0.0.1] [--data emulator-data.json] [--accounts accounts.json] [--quiet]
 * Prints the URL and the first account's credentials, then a line "emulator ready: <url>";
 * stops on SIGINT / SIGTERM.
 */
const USAGE = "usage: node dist/emulator/cli.js [--port N] [--host H] [--data file.json] [--accounts accounts.json] [--quiet]";

/** Runs the emulator until SIGINT/SIGTERM; also the `pulumi-codearts emulator` command. */
export async function runEmulator(args: string[] = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: "string", default: "0" },
      host: { type: "string" },
      data: { type: "string" },
      accounts: { type: "string" },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return void console.log(USAGE);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, not ${values.port}\n${USAGE}`);

  const emulator = await startEmulator({
    port,
    host: values.host,
    dataFile: values.data,
    accounts: values.accounts ? loadAccounts(values.accounts) : undefined,
    quiet: values.quiet,
  });
  const a = emulator.accounts[0];
  console.log(
    [
      `CodeArts emulator (IAM, CodeArts Pipeline) on ${emulator.url}`,
      `data: ${values.data ?? "in memory"}; accounts: ${emulator.accounts.length}`,
      `account ${a.domainName}:`,
      `  access key         ${a.accessKey}`,
      `  secret key         ${a.secretKey}`,
      ...(a.securityToken ? [`  security token     ${a.securityToken}`] : []),
      `  domain id          ${a.domainId}`,
      `  IAM projects       ${a.iamProjects.map((p) => `${p.name} (${p.id})`).join(", ")}`,
      `  CodeArts projects  ${a.codeartsProjects.join(", ")}`,
      `  IAM user           ${a.users[0].name} / ${a.users[0].password}`,
      `point the provider at it: huaweicloud:endpoints = {"*": "${emulator.url}"}`,
      `emulator ready: ${emulator.url}`,
    ].join("\n"),
  );

  const stop = (signal: string) => {
    console.log(`emulator: ${signal}, stopping`);
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

if (require.main === module) {
  runEmulator().catch((e: unknown) => {
    console.error(`emulator: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
