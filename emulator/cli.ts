#!/usr/bin/env node
import { parseArgs } from "node:util";
import { loadAccounts } from "./accounts";
import { DialectError, listDialects, parseDialectArgs, readDialectFile } from "./dialects";
import { startEmulator } from "./server";
import { DataFileError } from "./store";

/**
 * npm run emulator -- --port 8080 [--host 127.0.0.1] [--data emulator-data.json] [--accounts accounts.json] [--quiet]
 * Prints the URL and the first account's credentials, then a line "emulator ready: <url>";
 * stops on SIGINT / SIGTERM.
 */
const USAGE =
  "usage: node dist/emulator/cli.js [--port N] [--host H] [--data file.json] [--accounts accounts.json] [--quiet]\n" +
  "         [--dialect ID=NAME]... [--dialect-file dialect.json] [--list-dialects]\n" +
  "  --dialect ID=NAME   speak reading NAME of row ID of the docs' ambiguities (repeatable; --list-dialects shows them)\n" +
  '  --dialect-file F    the same from a JSON object {"ID": "NAME", ...} (what `pulumi-codearts conformance --out` writes)';

/** A command line the emulator cannot run with: exits 64 (EX_USAGE), not 1. */
export class UsageError extends Error {}

/** --dialect-file, then each --dialect (which wins), checked against the table. */
function dialectFrom(file: string | undefined, args: string[]): Record<string, string> {
  try {
    const fromFile = file ? readDialectFile(file) : {};
    return { ...(fromFile as Record<string, string>), ...(parseDialectArgs(args) as Record<string, string>) };
  } catch (e) {
    if (e instanceof DialectError) throw new UsageError(`${e.message}\n${USAGE}`);
    throw e;
  }
}

/** Runs the emulator until SIGINT/SIGTERM; also the `pulumi-codearts emulator` command. */
export async function runEmulator(args: string[] = process.argv.slice(2)): Promise<"running" | "done"> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        dialect: { type: "string", multiple: true, default: [] },
        "dialect-file": { type: "string" },
        "list-dialects": { type: "boolean", default: false },
        port: { type: "string", default: "0" },
        host: { type: "string" },
        data: { type: "string" },
        accounts: { type: "string" },
        quiet: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${USAGE}`);
  }
  if (values.help || values["list-dialects"]) {
    console.log(values.help ? USAGE : listDialects());
    return "done";
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port!) || port > 65535) throw new UsageError(`--port must be 0-65535, not ${values.port}\n${USAGE}`);
  const dialect = dialectFrom(values["dialect-file"], values.dialect!);

  let emulator;
  try {
    emulator = await startEmulator({
      port,
      host: values.host,
      dataFile: values.data,
      accounts: values.accounts ? loadAccounts(values.accounts) : undefined,
      quiet: values.quiet,
      dialect,
    });
  } catch (e) {
    if (e instanceof DataFileError) throw new UsageError(`--data: ${e.message}\n${USAGE}`);
    throw e;
  }
  const a = emulator.accounts[0];
  console.log(
    [
      `CodeArts emulator (IAM, CodeArts Pipeline) on ${emulator.url}`,
      `data: ${values.data ?? "in memory"}; accounts: ${emulator.accounts.length}`,
      `dialect: ${
        Object.keys(dialect).length === 0
          ? "every row at its default (--list-dialects)"
          : Object.entries(dialect)
              .map(([k, v]) => `${k}=${v}`)
              .join(" ")
      }`,
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
  return "running";
}

if (require.main === module) {
  runEmulator().then(
    (running) => (running === "done" ? process.exit(0) : undefined),
    (e: unknown) => {
      console.error(`emulator: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(e instanceof UsageError ? 64 : 1);
    },
  );
}
