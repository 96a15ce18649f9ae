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
  const version = built ? await versionOf(built) : undefined;
  if (!built || !version) return { found: false };
  const command = await PulumiCommand.get({ root: path.dirname(path.dirname(built)), skipVersionCheck: true });
  return { found: true, version, path: built, command };
}

