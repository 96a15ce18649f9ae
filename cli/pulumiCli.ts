import { execFile } from "child_process";

/** Whether the Pulumi CLI is on PATH, and its version. The Automation API needs it; doctor does not. */
export function findPulumiCli(): Promise<{ found: true; version: string } | { found: false }> {
  return new Promise((resolve) => {
    execFile("pulumi", ["version"], { timeout: 15_000 }, (err, stdout) => {
      if (err) return resolve({ found: false });
      resolve({ found: true, version: stdout.trim() });
    });
  });
}

export const CLI_MISSING = "skipped: pulumi CLI not found";
