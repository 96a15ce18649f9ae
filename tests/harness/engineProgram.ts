import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { REPO_ROOT } from "./host";
import { programFrom } from "./realEngine";

/** The compiled example platform program (every kind, wired by references): what the root Pulumi.yaml runs. */
export const PLATFORM_PROGRAM = path.join(REPO_ROOT, "dist", "examples", "platform", "index.js");

/**
 * The platform program with two knobs the engine tests need and the example does not have:
 * `engine-tests:throw` makes the program throw before registering anything (a program error), and
 * a script whose name never changes takes its type from `engine-tests:scriptType`, so changing it
 * is a delete-before-replace replacement (script names are unique, §4.2.1).
 */
export function engineTestProgram(): () => Promise<Record<string, unknown> | void> {
  const platform = programFrom(PLATFORM_PROGRAM);
  return async () => {
    const knobs = new pulumi.Config("engine-tests");
    if (knobs.getBoolean("throw")) throw new Error("the program failed on purpose (engine-tests:throw is set)");
    const outputs = await platform();
    // The built package, the one the platform program loads (one module instance; under ts-jest an
    // import would load the TypeScript sources beside it).
    const { Script } = require(path.join(REPO_ROOT, "dist", "sdk", "index.js")) as typeof import("../../sdk");
    const script = new Script("fixed-name", {
      name: "engine_tests_fixed_name",
      description: "keeps its name; its type comes from engine-tests:scriptType",
      type: (knobs.get("scriptType") ?? "SHELL") as "SHELL" | "PYTHON" | "BAT",
      content: "echo fixed",
      riskLevel: "LOW",
      version: "1.0.0",
    });
    return { ...(outputs ?? {}), fixedNameScript: script.id };
  };
}
