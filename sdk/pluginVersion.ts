import * as pulumi from "@pulumi/pulumi";
import { pluginVersionOutputKeys, type PluginVersionDeclared, type PluginVersionOutputs } from "./kinds.generated";
import type { Args } from "./inputs";
import { type OutputProperties, withOutputKeys } from "./outputs";
import { KindResource } from "./provider";

export type PluginVersionArgs = Args<PluginVersionDeclared>;

/**
 * A version of an extension plug-in: its inputs and execution steps. Created as a draft and edited
 * in place while it is one; `publish: true` releases it (and binds `publisherId`). A released
 * version is immutable: declare a new version instead of changing it. See docs/resources/plugin-version.md.
 */
export class PluginVersion extends KindResource {
  constructor(name: string, args: PluginVersionArgs, opts?: pulumi.CustomResourceOptions) {
    super("PluginVersion", name, withOutputKeys(pluginVersionOutputKeys, args), opts);
  }

  /** Reads an existing version into the program without managing it; `id` is `<pluginName>/<version>`. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): PluginVersion {
    return new PluginVersion(name, {} as PluginVersionArgs, { ...opts, id });
  }
}

// The output properties, from the generated PluginVersionOutputs (class and interface merge).
export interface PluginVersion extends OutputProperties<PluginVersionOutputs> {}
