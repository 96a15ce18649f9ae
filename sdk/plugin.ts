import * as pulumi from "@pulumi/pulumi";
import { pluginOutputKeys, type PluginDeclared, type PluginOutputs } from "./kinds.generated";
import type { Args } from "./inputs";
import { type OutputProperties, withOutputKeys } from "./outputs";
import { KindResource } from "./provider";

export type PluginArgs = Args<PluginDeclared>;

/**
 * An extension plug-in: its name and basic information. Versions are PluginVersion resources. The
 * information changes in place; a new `pluginName` replaces the plug-in. See docs/resources/plugin.md.
 */
export class Plugin extends KindResource {
  constructor(name: string, args: PluginArgs, opts?: pulumi.CustomResourceOptions) {
    super("Plugin", name, withOutputKeys(pluginOutputKeys, args), opts);
  }

  /** Reads an existing plug-in into the program without managing it; `id` is its name. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): Plugin {
    return new Plugin(name, {} as PluginArgs, { ...opts, id });
  }
}

// The output properties, from the generated PluginOutputs (class and interface merge).
export interface Plugin extends OutputProperties<PluginOutputs> {}
