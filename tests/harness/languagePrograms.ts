import { DEFAULT_ACCOUNT, SECOND_ACCOUNT, stackConfig, type Emulator, type LogEntry } from "../../emulator";
import { KINDS_UNDER_TEST, stateMismatch } from "./kinds";
import type { ResourceState } from "./engine";
import type { ExportedResource } from "./realEngine";
import type { ConfigValue } from "./host";

/**
 * What the language suite's programs (YAML, Python, Go, import: tests/engine/languages.*.test.ts) share:
 * the two accounts they use, their configuration, and the checks made after every operation.
 */
export const P = DEFAULT_ACCOUNT.codeartsProjects[0];
export const P2 = SECOND_ACCOUNT.codeartsProjects[0];
/** The kinds each language's program declares: groups, a rule and a rule set using it, a script, a test plan. */
export const KINDS_IN_PROGRAM = ["PipelineGroup", "Rule", "RuleSet", "Script", "TestPlan"];
/** What must never be in clear: both accounts' secret keys and the program's secret script parameter. */
export const secretsWith = (deployToken: string) => [DEFAULT_ACCOUNT.secretKey, SECOND_ACCOUNT.secretKey, deployToken];

/** The default provider's configuration: the dynamic resources' keys, in the plugin's codearts: namespace. */
export function pluginConfig(emu: { url: string }): Record<string, ConfigValue> {
  return Object.fromEntries(Object.entries(stackConfig(emu, DEFAULT_ACCOUNT)).map(([k, v]) => [k.replace(/^huaweicloud:/, "codearts:"), v]));
}

/** The programs' own configuration (namespace `project`): the project, the secret token and the second account's explicit provider. */
export function programConfig(project: string, emu: { url: string }, deployToken: string): Record<string, ConfigValue> {
  return {
    [`${project}:projectId`]: P,
    [`${project}:deployToken`]: { secret: deployToken },
    [`${project}:emulatorUrl`]: emu.url,
    [`${project}:secondAccessKey`]: SECOND_ACCOUNT.accessKey,
    [`${project}:secondSecretKey`]: { secret: SECOND_ACCOUNT.secretKey },
    [`${project}:secondDomainId`]: SECOND_ACCOUNT.domainId,
    [`${project}:secondIamProjectId`]: SECOND_ACCOUNT.iamProjects[0].id,
    [`${project}:secondProjectId`]: P2,
  };
}

/** Requests that change something: not a read, whatever its method (several listings are POSTs). */
export const mutating = (calls: LogEntry[]) => calls.map((c) => c.operation ?? `${c.method} ${c.path}`).filter((o) => !/\.(list|get|detail|query|show|tree)\w*$/i.test(o));

export const byName = <T extends { urn: string }>(resources: T[], name: string): T | undefined => resources.find((r) => r.urn.endsWith(`::${name}`));

/** A value `pulumi stack export` wrote as a secret (the engine's signature). */
export const isSecret = (v: unknown) =>
  typeof v === "object" && v !== null && (v as Record<string, unknown>)["4dabf18193072939515e22adb298388d"] === "1b47061264138c4ac30d75fd1eb44270";

/**
 * Where the service and `pulumi stack export` disagree for these kinds (empty: the service holds exactly what
 * the state claims), and which secrets the export holds in clear (empty: none).
 */
export function disagreements(
  emu: Emulator,
  exported: { text: string; resources: ExportedResource[] },
  o: { kinds: string[]; forgotten: Set<string>; secrets: string[] },
): { mismatches: string[]; inClear: string[] } {
  const state = new Map<string, ResourceState>(exported.resources.filter((x) => x.custom && x.id).map((x, i) => [`${i}`, x as unknown as ResourceState]));
  const mismatches = KINDS_UNDER_TEST.filter((k) => o.kinds.includes(k.type))
    .map((k) => stateMismatch({ emu, engine: { state } }, k, o.forgotten))
    .filter((m): m is string => m !== undefined);
  return { mismatches, inClear: o.secrets.filter((s) => exported.text.includes(s)) };
}
