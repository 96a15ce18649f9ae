import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import { summarize, Summary } from "./summary";

/** "drift" is a refresh preview; "destroy-preview" shows what a destroy would delete. */
export type Operation = "preview" | "up" | "refresh" | "destroy" | "drift" | "destroy-preview";

export interface RunResult {
  summary: Summary;
  events: EngineEvent[];
  /** The engine's error, when the operation failed. */
  error?: string;
}

/** Selects a stack of the Pulumi project in `cwd` (the Automation API needs the Pulumi CLI: `pulumiCommand`, else the one on PATH). */
export function selectStack(cwd: string, stackName: string, envVars?: Record<string, string>, pulumiCommand?: PulumiCommand): Promise<Stack> {
  return LocalWorkspace.selectStack({ stackName, workDir: cwd }, { ...(envVars ? { envVars } : {}), ...(pulumiCommand ? { pulumiCommand } : {}) });
}

/** Runs one operation on a stack; the events go to `onEvent` as they come (progress) and into the summary. */
export async function runOperation(op: Operation, stack: Stack, onEvent?: (e: EngineEvent) => void): Promise<RunResult> {
  const events: EngineEvent[] = [];
  const collect = (e: EngineEvent) => {
    events.push(e);
    onEvent?.(e);
  };
  let error: string | undefined;
  try {
    switch (op) {
      case "preview":
        await stack.preview({ onEvent: collect });
        break;
      case "up":
        await stack.up({ onEvent: collect });
        break;
      case "refresh":
        await stack.refresh({ onEvent: collect });
        break;
      case "destroy":
        await stack.destroy({ onEvent: collect });
        break;
      case "drift":
        await stack.previewRefresh({ onEvent: collect });
        break;
      case "destroy-preview":
        await stack.previewDestroy({ onEvent: collect });
        break;
    }
  } catch (e) {
    error = (e as Error).message;
  }
  return { summary: summarize(op === "destroy-preview" ? "preview" : op, events), events, error };
}
