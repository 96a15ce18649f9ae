import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { pluginSchema } from "../provider/resources/plugin";
import type { Args } from "./inputs";
import { dynamicProvider } from "./provider";

export type PluginArgs = Args<z.input<typeof pluginSchema>>;

/**
 * An extension plug-in: its name and basic information. Versions are PluginVersion resources. The
 * information changes in place; a new `pluginName` replaces the plug-in. See docs/resources/plugin.md.
 */
export class Plugin extends pulumi.dynamic.Resource {
  declare readonly pluginName: pulumi.Output<string>;
  declare readonly displayName: pulumi.Output<string>;
  declare readonly businessType: pulumi.Output<"Build" | "Gate" | "Deploy" | "Test" | "Normal">;
  declare readonly businessTypeDisplayName: pulumi.Output<string | undefined>;
  declare readonly description: pulumi.Output<string | undefined>;
  declare readonly iconUrl: pulumi.Output<string | undefined>;
  declare readonly maintainers: pulumi.Output<string[] | undefined>;
  declare readonly isPrivate: pulumi.Output<number | undefined>;
  declare readonly runtimeAttribution: pulumi.Output<string>;
  declare readonly pluginCompositionType: pulumi.Output<"single" | "multi">;
  declare readonly adoptId: pulumi.Output<string | undefined>;
  declare readonly uniqueId: pulumi.Output<string | undefined>;
  declare readonly pluginAttribution: pulumi.Output<string | undefined>;
  /** The newest version, and its state: "init" (none yet), "draft" or "formal". */
  declare readonly latestVersion: pulumi.Output<string | undefined>;
  declare readonly versionAttribution: pulumi.Output<string | undefined>;
  declare readonly opUser: pulumi.Output<string | undefined>;
  declare readonly opTime: pulumi.Output<string | undefined>;
  declare readonly workspaceId: pulumi.Output<string | undefined>;

  constructor(name: string, args: PluginArgs, opts?: pulumi.CustomResourceOptions) {
    const optional = {
      businessTypeDisplayName: undefined, description: undefined, iconUrl: undefined, maintainers: undefined, isPrivate: undefined, runtimeAttribution: undefined,
      pluginCompositionType: undefined, adoptId: undefined,
    };
    const outputs = { uniqueId: undefined, pluginAttribution: undefined, latestVersion: undefined, versionAttribution: undefined, opUser: undefined, opTime: undefined, workspaceId: undefined };
    super(dynamicProvider("Plugin"), name, { ...optional, ...outputs, ...args }, opts, "codearts", "Plugin");
  }

  /** Reads an existing plug-in into the program without managing it; `id` is its name. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): Plugin {
    return new Plugin(name, {} as PluginArgs, { ...opts, id });
  }
}
