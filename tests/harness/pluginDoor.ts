import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { REPO_ROOT } from "./host";

/**
 * The plugin's door with the package's own class names: for every resource of schema.json, a class whose
 * constructor registers `codearts:index:<Kind>` with the engine (served by pulumi-resource-codearts) and
 * declares every output property the schema lists, as Pulumi's generated SDKs do. A program written
 * against `pulumi-codearts` (the dynamic resources) runs unchanged through the plugin when this module
 * stands in for the package (programFrom's `modules`).
 */
export function pluginDoor(): Record<string, unknown> {
  const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "schema.json"), "utf8")) as { resources: Record<string, { properties?: Record<string, unknown> }> };
  const door: Record<string, unknown> = {};
  for (const [token, spec] of Object.entries(schema.resources)) {
    const kind = token.split(":")[2];
    const outputs = Object.keys(spec.properties ?? {});
    door[kind] = class extends pulumi.CustomResource {
      constructor(name: string, args: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) {
        super(token, name, { ...Object.fromEntries(outputs.map((o) => [o, undefined])), ...args }, opts);
      }
    };
  }
  return door;
}
