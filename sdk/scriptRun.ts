import * as pulumi from "@pulumi/pulumi";
import { scriptRunOutputKeys, type ScriptRunDeclared, type ScriptRunOutputs } from "./kinds.generated";
import type { Args } from "./inputs";
import { type OutputProperties, withOutputKeys } from "./outputs";
import { KindResource } from "./provider";

export type ScriptRunArgs = Args<ScriptRunDeclared>;

/**
 * One run of a COC custom script on hosts, followed through its ticket until it ends (at most
 * `waitTimeout` seconds, then cancelled). A changed input, a new `scriptVersion` or a changed `triggers`
 * entry runs it again; destroy forgets the run (the ticket stays in COC's history). Parameters are kept
 * secret, sensitive values only as the mask and a hash. See docs/resources/script-run.md.
 */
export class ScriptRun extends KindResource {
  constructor(name: string, args: ScriptRunArgs, opts?: pulumi.CustomResourceOptions) {
    const props = { ...withOutputKeys(scriptRunOutputKeys, args), params: args.params === undefined ? undefined : pulumi.secret(args.params) };
    super("ScriptRun", name, props, { ...opts, additionalSecretOutputs: ["params", ...(opts?.additionalSecretOutputs ?? [])] });
  }
}

// The output properties, from the generated ScriptRunOutputs (class and interface merge).
export interface ScriptRun extends OutputProperties<ScriptRunOutputs> {}
