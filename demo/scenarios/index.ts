import type { Scenario } from "../lifecycle";
import { pipelineGroupScenario } from "./pipelineGroup";

/** The lifecycles the demo runs, one per resource kind, in order. One line per kind. */
export const SCENARIOS: Array<[string, Scenario]> = [
  ["PipelineGroup", pipelineGroupScenario],
];
