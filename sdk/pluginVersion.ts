import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { pluginVersionSchema } from "../provider/resources/pluginVersion";
import type { Args } from "./inputs";
import { dynamicProvider } from "./provider";

export type PluginVersionArgs = Args<z.input<typeof pluginVersionSchema>>;
type Declared = z.output<typeof pluginVersionSchema>;

/**
 * A version of an extension plug-in: its inputs and execution steps. Created as a draft and edited
 * in place while it is one; `publish: true` releases it (and binds `publisherId`). A released
 * version is immutable: declare a new version instead of changing it. See docs/resources/plugin-version.md.
 */
export class PluginVersion extends pulumi.dynamic.Resource {
  declare readonly pluginName: pulumi.Output<string>;
  declare readonly version: pulumi.Output<string>;
  declare readonly versionDescription: pulumi.Output<string | undefined>;
  declare readonly executionType: pulumi.Output<string>;
  declare readonly steps: pulumi.Output<Declared["steps"]>;
  declare readonly inputs: pulumi.Output<Declared["inputs"]>;
  declare readonly publish: pulumi.Output<boolean>;
  declare readonly publisherId: pulumi.Output<string | undefined>;
  declare readonly adoptId: pulumi.Output<string | undefined>;
  declare readonly displayName: pulumi.Output<string | undefined>;
  declare readonly uniqueId: pulumi.Output<string | undefined>;
  /** "draft" or "formal" (released). */
  declare readonly versionAttribution: pulumi.Output<string | undefined>;
  declare readonly pluginAttribution: pulumi.Output<string | undefined>;
  declare readonly pluginCompositionType: pulumi.Output<string | undefined>;
  declare readonly runtimeAttribution: pulumi.Output<string | undefined>;
  declare readonly opUser: pulumi.Output<string | undefined>;
  declare readonly opTime: pulumi.Output<string | undefined>;

  constructor(name: string, args: PluginVersionArgs, opts?: pulumi.CustomResourceOptions) {
    const optional = { versionDescription: undefined, executionType: undefined, inputs: undefined, publish: undefined, publisherId: undefined, adoptId: undefined };
    const outputs = {
      displayName: undefined, uniqueId: undefined, versionAttribution: undefined, pluginAttribution: undefined, pluginCompositionType: undefined,
      runtimeAttribution: undefined, opUser: undefined, opTime: undefined,
    };
    super(dynamicProvider("PluginVersion"), name, { ...optional, ...outputs, ...args }, opts, "codearts", "PluginVersion");
  }

  /** Reads an existing version into the program without managing it; `id` is `<pluginName>/<version>`. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): PluginVersion {
    return new PluginVersion(name, {} as PluginVersionArgs, { ...opts, id });
  }
}
