import * as pulumi from "@pulumi/pulumi";
import { scriptOutputKeys, type ScriptDeclared, type ScriptOutputs } from "./kinds.generated";
import type { Args } from "./inputs";
import { type OutputProperties, withOutputKeys } from "./outputs";
import { KindResource } from "./provider";

export type ScriptArgs = Args<ScriptDeclared>;

/**
 * A Cloud Operations Center custom script. `name` and `type` replace; the rest updates in place.
 * Parameters are always kept secret in the state (sensitive values are also never returned by the
 * provider: only the service's mask and a hash). See docs/resources/script.md.
 */
export class Script extends KindResource {
  constructor(name: string, args: ScriptArgs, opts?: pulumi.CustomResourceOptions) {
    const props = { ...withOutputKeys(scriptOutputKeys, args), params: args.params === undefined ? undefined : pulumi.secret(args.params) };
    super("Script", name, props, { ...opts, additionalSecretOutputs: ["params", ...(opts?.additionalSecretOutputs ?? [])] });
  }

  /** Reads an existing script without managing it. `id` is its uuid. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): Script {
    return new Script(name, {} as ScriptArgs, { ...opts, id });
  }
}

// The output properties, from the generated ScriptOutputs (class and interface merge).
export interface Script extends OutputProperties<ScriptOutputs> {}
