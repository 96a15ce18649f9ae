/** The exit codes every pulumi-codearts command ends with (64 = EX_USAGE). */
export const EXIT = { ok: 0, failed: 1, drift: 2, noPulumiCli: 3, usage: 64 } as const;
