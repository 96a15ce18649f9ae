import { execFile } from "child_process";
import * as path from "path";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { builtCli } from "./pulumiBuild";

export type FoundCli = { found: true; version: string; path: string; command?: PulumiCommand } | { found: false };

function versionOf(bin: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(bin, ["version"], { timeout: 15_000, env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } }, (err, stdout) => resolve(err ? undefined : stdout.trim()));
  });
}

/**
 * The Pulumi CLI the Automation API will use, and its version: the one on PATH, else the one
 * `npm run pulumi-cli` built from source (in a clone of this repository). Doctor reports it.
 */
export async function findPulumiCli(): Promise<FoundCli> {
  const onPath = await versionOf("pulumi");
  if (onPath) return { found: true, version: onPath, path: "pulumi" };
  const built = builtCli();
  if (!built) return { found: false };
  // One `pulumi version` run: the command the Automation API will use knows its version.
  const command = await PulumiCommand.get({ root: path.dirname(path.dirname(built)), skipVersionCheck: true }).catch(() => undefined);
  if (!command?.version) return { found: false };
  return { found: true, version: `v${command.version.toString()}`, path: built, command };
}
