import type { EngineEvent } from "@pulumi/pulumi/automation";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { summarize, Summary } from "./summary";

export type Operation = "preview" | "up" | "refresh" | "destroy" | "drift";

export interface RunOptions {
  cwd: string;
  stack: string;
  /** Called for every engine event, e.g. to show progress. */
  onEvent?: (e: EngineEvent) => void;
}

export interface RunResult {
  summary: Summary;
  events: EngineEvent[];
  /** The engine's error, when the operation failed. */
  error?: string;
}

/** Runs one operation on a stack of the Pulumi project in `cwd` with the Automation API. */
export async function runOperation(op: Operation, opts: RunOptions): Promise<RunResult> {
  const stack = await LocalWorkspace.selectStack({ stackName: opts.stack, workDir: opts.cwd });
  const events: EngineEvent[] = [];
  const onEvent = (e: EngineEvent) => {
    events.push(e);
    opts.onEvent?.(e);
  };
  let error: string | undefined;
  try {
    switch (op) {
      case "preview": await stack.preview({ onEvent }); break;
      case "up": await stack.up({ onEvent }); break;
      case "refresh": await stack.refresh({ onEvent }); break;
      case "destroy": await stack.destroy({ onEvent }); break;
      case "drift": await stack.previewRefresh({ onEvent }); break;
    }
  } catch (e) {
    error = (e as Error).message;
  }
  return { summary: summarize(op, events), events, error };
}
