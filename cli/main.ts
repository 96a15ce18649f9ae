#!/usr/bin/env node
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "node:util";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { loadSettings, rememberSecrets, type Settings } from "../provider/config";
import { redactor } from "../provider/redaction";
import { runEmulator, UsageError } from "../emulator/cli";
import { doctor, Check } from "./doctor";
import { conformanceCommand, CONFORMANCE_HELP } from "./conformance/command";
import { commandSettings } from "./commandClient";
import { EXIT } from "./exit";
import { sweepCommand } from "./sweep";
import { findPulumiCli } from "./pulumiCli";
import { Operation, runOperation, selectStack } from "./stack";
import { renderMarkdown, summarize, Summary, verdict } from "./summary";

/**
 * pulumi-codearts: run a stack's preview/up/refresh/destroy/drift with the Automation API and write
 * summaries fit for a pull-request comment (Markdown) and for machines (JSON); check a machine with
 * doctor; start the embedded emulator.
 */
export { EXIT };

const HELP: Record<string, string> = {
  main: `usage: pulumi-codearts <command> [options]

commands:
  preview   preview a stack; write a Markdown and JSON summary of what would change
  up        update a stack (needs --yes when not interactive); write the summaries
  refresh   refresh a stack's state from the services; write the summaries
  destroy   destroy a stack's resources (needs --yes); write the summaries
  drift     refresh in preview mode: exit 0 when nothing drifted, ${EXIT.drift} when something did
  summarize the same summaries and exit codes from an event log that \`pulumi … --event-log FILE\` wrote
  doctor    check credentials, endpoints and the Pulumi CLI without changing anything
  emulator  start the embedded emulator of the Huawei Cloud APIs
  conformance  find out which reading of each ambiguous API passage the service speaks (docs/conformance.md)
  sweep     list (and with --yes delete) every object whose name starts with a prefix

common options:
  -s, --stack NAME   the stack (default: $PULUMI_STACK, else "dev")
  -C, --cwd DIR      the Pulumi project directory (default: .)
  -y, --yes          apply without asking
      --json         print the JSON summary instead of Markdown
      --out DIR      also write summary.md and summary.json there (default: .pulumi-codearts)
  -h, --help         help for a command: pulumi-codearts <command> --help

exit codes: 0 done (for drift: nothing drifted); 1 failed, cancelled, or an event log that is incomplete or contradicts
itself; ${EXIT.drift} drift found; ${EXIT.noPulumiCli} Pulumi CLI not found; ${EXIT.usage} usage error`,
  preview:
    "usage: pulumi-codearts preview [--stack S] [--cwd DIR] [--json] [--out DIR]\nRuns `pulumi preview` and summarises counts per operation, each changing resource with its changed properties, replacements with the reason the API forces them, and refused changes.",
  up: "usage: pulumi-codearts up [--stack S] [--cwd DIR] [--yes] [--json] [--out DIR]\nRuns `pulumi up`; without --yes on a terminal it shows the preview and asks first.",
  refresh: "usage: pulumi-codearts refresh [--stack S] [--cwd DIR] [--yes] [--json] [--out DIR]\nRuns `pulumi refresh` and summarises what changed in the state.",
  destroy: "usage: pulumi-codearts destroy [--stack S] [--cwd DIR] [--yes] [--json] [--out DIR]\nRuns `pulumi destroy`.",
  drift: `usage: pulumi-codearts drift [--stack S] [--cwd DIR] [--json] [--out DIR]\nA refresh in preview mode, for a nightly job: exit 0 when nothing drifted, ${EXIT.drift} with a report of the resources and properties that differ.`,
  summarize: `usage: pulumi-codearts summarize --event-log FILE --operation preview|up|refresh|destroy|drift [--json] [--out DIR]\nReads the engine events that \`pulumi preview|up|refresh|destroy … --event-log FILE\` wrote (one JSON event a line; for drift: \`pulumi refresh --preview-only --event-log FILE\`) and prints the same summary as the other commands, with the same exit codes: ${EXIT.drift} when drift was found, 1 when the log is incomplete or contradicts itself.`,
  doctor:
    "usage: pulumi-codearts doctor [--endpoint URL] [--json]\nReads the settings the provider would (HW_* environment variables), then checks credentials, each service's endpoint with a signed read-only call (401 and 403 told apart) and the Pulumi CLI. Changes nothing. --endpoint points every service at one URL (e.g. the emulator).",
  conformance: CONFORMANCE_HELP,
  sweep: `usage: pulumi-codearts sweep --prefix P [--yes] [--project ID] [--endpoint URL] [--json] [--transcript FILE]\nLists every object of every kind whose name starts with P (exactly, case-sensitive; at least 4 characters) and what will happen to it; with --yes deletes them in dependency order (pipelines before their groups, sub-groups before parents, rule sets before rules, plug-in versions before plug-ins before publishers). A dry run by default. --project names the CodeArts project of pipelines, pipeline groups and test plans (without it they are not listed). Test plans are listed but cannot be deleted (no API); VPCEP access records have no names and are not swept. Settings from HW_* variables, as doctor; --endpoint points every service at one URL (e.g. the emulator); --transcript writes every request and answer (redacted) as JSON lines. Exit 0 when everything listed was deleted (or a dry run), 1 when something failed, ${EXIT.usage} on a usage error.`,
  emulator:
    "usage: pulumi-codearts emulator [--port N] [--host H] [--data FILE] [--accounts FILE] [--dialect ID=NAME]... [--dialect-file FILE] [--list-dialects]\nStarts the embedded emulator; stops on Ctrl-C. --dialect picks a reading of an ambiguous passage of the docs (--list-dialects shows every row and its readings).",
};

const color = (code: number) => (s: string) => (process.stderr.isTTY && !process.env.NO_COLOR ? `\x1b[${code}m${s}\x1b[0m` : s);
const green = color(32),
  red = color(31),
  yellow = color(33),
  dim = color(2);

function progress(e: EngineEvent): void {
  const m = e.resourcePreEvent?.metadata;
  if (m && m.op !== "same" && m.type !== "pulumi:pulumi:Stack") process.stderr.write(dim(`  ${m.op} ${m.type.split(":").pop()} ${m.urn.split("::").pop()}\n`));
  const f = e.resOpFailedEvent?.metadata;
  if (f) process.stderr.write(red(`  failed: ${f.urn.split("::").pop()}\n`));
}

/**
 * Summaries leave through the one redaction (provider/redaction.ts), knowing the secrets of the
 * settings this process can read (HW_* variables): a provider message that quoted one is masked.
 */
function redacted(summary: Summary): Summary {
  rememberSecrets(loadSettingsLeniently());
  return redactor.value(summary);
}

function loadSettingsLeniently(): Settings | undefined {
  try {
    return loadSettings(() => undefined);
  } catch {
    return undefined; // a malformed setting is the provider's to report; the secrets it holds are still masked by the provider
  }
}

/** The summary always reaches stdout first; a failed write to `out` is reported, never loses it. */
function writeSummaries(raw: Summary, out: string, json: boolean): void {
  const summary = redacted(raw);
  const md = renderMarkdown(summary);
  process.stdout.write(json ? JSON.stringify(summary, null, 2) + "\n" : md);
  try {
    makeDirectory(out);
    fs.writeFileSync(path.join(out, "summary.md"), md);
    fs.writeFileSync(path.join(out, "summary.json"), JSON.stringify(summary, null, 2) + "\n");
  } catch (e) {
    console.error(red(`pulumi-codearts: could not write the summaries to ${out} (${(e as Error).message}); they are printed above`));
  }
}

/**
 * Makes a directory and its missing parents one level at a time: Node's recursive mkdir loops for
 * ever under some pseudo file systems (`--out /proc/x`).
 */
function makeDirectory(dir: string): void {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !fs.existsSync(d); d = path.dirname(d)) missing.unshift(d);
  for (const d of missing) fs.mkdirSync(d);
}

/** `--out` is checked before any operation runs: a directory that can be made and written. */
function unwritableOut(out: string): string | undefined {
  try {
    makeDirectory(out);
    const probe = path.join(out, `.write-check-${process.pid}`);
    fs.writeFileSync(probe, "");
    fs.rmSync(probe);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  process.stderr.write(`${question} (y/N) `);
  const answer = await new Promise<string>((resolve) => process.stdin.once("data", (d) => resolve(String(d).trim())));
  process.stdin.pause();
  return /^y(es)?$/i.test(answer);
}

async function stackCommand(op: StackOperation, opts: StackCommandOptions & { stack: string; cwd: string }): Promise<number> {
  const badOut = unwritableOut(opts.out);
  if (badOut) {
    console.error(`pulumi-codearts ${op}: --out ${opts.out} cannot be written (${badOut}); nothing was run`);
    return EXIT.usage;
  }
  const cli = await findPulumiCli();
  if (!cli.found) {
    console.error(
      `pulumi-codearts ${op}: the Pulumi CLI was not found on PATH; install it (https://www.pulumi.com/docs/install/), build it (\`npm run pulumi-cli\` in a clone of pulumi-codearts) or run \`pulumi-codearts doctor\``,
    );
    return EXIT.noPulumiCli;
  }
  const stack = await selectStack(opts.cwd, opts.stack, undefined, cli.command);
  return runStackCommand(op, stack, { ...opts, cliVersion: cli.version });
}

export type StackOperation = Exclude<Operation, "destroy-preview">;
export interface StackCommandOptions {
  yes: boolean;
  json: boolean;
  out: string;
}

/**
 * `pulumi-codearts preview|up|refresh|destroy|drift` on a selected stack: the operation through the
 * Automation API (its event stream), the summaries written, the exit code. Exported so the real-engine
 * suite runs exactly this on stacks of inline programs.
 */
export async function runStackCommand(op: StackOperation, stack: Stack, opts: StackCommandOptions & { cliVersion?: string }): Promise<number> {
  const destructive = op === "up" || op === "destroy" || op === "refresh";
  if (destructive && !opts.yes) {
    // Show what would happen first, then ask.
    const plan = await runOperation(op === "refresh" ? "drift" : op === "destroy" ? "destroy-preview" : "preview", stack, progress);
    process.stderr.write(renderMarkdown(redacted(plan.summary)));
    if (!(await confirm(`Perform this ${op} on stack ${stack.name}?`))) {
      console.error(process.stdin.isTTY ? "cancelled" : `pulumi-codearts ${op}: not a terminal; pass --yes to apply`);
      return process.stdin.isTTY ? EXIT.ok : EXIT.usage;
    }
  }
  process.stderr.write(dim(`pulumi-codearts ${op} on stack ${stack.name}${opts.cliVersion ? ` (${opts.cliVersion})` : ""}\n`));
  const result = await runOperation(op, stack, progress);
  writeSummaries(result.summary, opts.out, opts.json);
  const code = reportVerdict(result.summary);
  if (result.error && code !== EXIT.failed) {
    // The CLI failed and its events do not say why (it stopped before its first event): its own words.
    console.error(red(`pulumi-codearts ${op} failed: ${redactor.text(result.error.split("\n").slice(-5).join("\n"))}`));
    return EXIT.failed;
  }
  return code;
}

/** The exit code a summary ends with, said on stderr: drift found, or a stream that cannot be trusted. */
function reportVerdict(summary: Summary): number {
  const v = verdict(redacted(summary));
  if (v.outcome === "failed" || v.outcome === "inconsistent") {
    console.error(red(v.message));
    return EXIT.failed;
  }
  if (v.outcome === "drift") {
    console.error(yellow(v.message));
    return EXIT.drift;
  }
  if (v.message) console.error(green(v.message));
  return EXIT.ok;
}

const OPERATIONS = ["preview", "up", "refresh", "destroy", "drift"] as const;

/** `summarize`: the summary of an operation someone ran with the Pulumi CLI, from its event log. */
function summarizeLog(file: string | undefined, operation: string | undefined, opts: { json: boolean; out?: string }): number {
  if (!file || !operation || !(OPERATIONS as readonly string[]).includes(operation)) {
    console.error(`pulumi-codearts summarize: --event-log FILE and --operation ${OPERATIONS.join("|")} are required\n\n${HELP.summarize}`);
    return EXIT.usage;
  }
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    console.error(`pulumi-codearts summarize: cannot read the event log ${file}: ${(e as Error).message}`);
    return EXIT.usage;
  }
  const events: EngineEvent[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === "") continue;
    try {
      events.push(JSON.parse(lines[i]) as EngineEvent);
    } catch {
      console.error(red(`pulumi-codearts summarize: ${file} line ${i + 1} is not a JSON engine event; is this a \`--event-log\` file?`));
      return EXIT.failed;
    }
  }
  if (opts.out) {
    const badOut = unwritableOut(opts.out);
    if (badOut) {
      console.error(`pulumi-codearts summarize: --out ${opts.out} cannot be written (${badOut})`);
      return EXIT.usage;
    }
  }
  const summary = summarize(operation as (typeof OPERATIONS)[number], events);
  if (opts.out) writeSummaries(summary, opts.out, opts.json);
  else process.stdout.write(opts.json ? JSON.stringify(redacted(summary), null, 2) + "\n" : renderMarkdown(redacted(summary)));
  return reportVerdict(summary);
}

export function renderChecks(checks: Check[]): string {
  const mark = { ok: green("ok  "), warn: yellow("warn"), fail: red("FAIL"), skip: dim("skip") };
  return checks.map((c) => `${mark[c.status]}  ${c.name.padEnd(12)} ${c.detail}`).join("\n") + "\n";
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "-h" || command === "--help" || command === "help") {
    console.log(HELP.main);
    return command ? EXIT.ok : EXIT.usage;
  }
  if (command === "--version") {
    console.log(JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")).version);
    return EXIT.ok;
  }
  if (!(command in HELP) || command === "main") {
    console.error(`pulumi-codearts: unknown command "${command}"\n\n${HELP.main}`);
    return EXIT.usage;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(HELP[command]);
    return EXIT.ok;
  }
  if (command === "emulator") {
    try {
      if ((await runEmulator(rest)) === "done") return EXIT.ok;
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      console.error(`pulumi-codearts emulator: ${e.message}`);
      return EXIT.usage;
    }
    return new Promise<number>(() => undefined); // runs until a signal stops the process
  }
  if (command === "conformance") {
    return conformanceCommand(rest, { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) });
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        stack: { type: "string", short: "s" },
        cwd: { type: "string", short: "C", default: "." },
        yes: { type: "boolean", short: "y", default: false },
        json: { type: "boolean", default: false },
        out: { type: "string", default: ".pulumi-codearts" },
        endpoint: { type: "string" },
        "event-log": { type: "string" },
        operation: { type: "string" },
        prefix: { type: "string" },
        project: { type: "string" },
        transcript: { type: "string" },
      },
    }));
  } catch (e) {
    console.error(`pulumi-codearts ${command}: ${(e as Error).message}\n\n${HELP[command]}`);
    return EXIT.usage;
  }
  if (command === "doctor") {
    const checks = await doctor(commandSettings(values.endpoint));
    process.stdout.write(values.json ? JSON.stringify(checks, null, 2) + "\n" : renderChecks(checks));
    return checks.some((c) => c.status === "fail") ? EXIT.failed : EXIT.ok;
  }
  if (command === "sweep") {
    return sweepCommand({ prefix: values.prefix, project: values.project, endpoint: values.endpoint, yes: values.yes!, json: values.json!, transcript: values.transcript });
  }
  if (command === "summarize") {
    return summarizeLog(values["event-log"], values.operation, { json: values.json!, out: rest.some((a) => a === "--out" || a.startsWith("--out=")) ? values.out : undefined });
  }
  const stack = values.stack ?? process.env.PULUMI_STACK ?? "dev";
  return stackCommand(command as StackOperation, { stack, cwd: path.resolve(values.cwd!), yes: values.yes!, json: values.json!, out: values.out! });
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`pulumi-codearts: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(EXIT.failed);
    },
  );
}
