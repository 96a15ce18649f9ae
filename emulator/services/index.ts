import type { Router } from "../router";
import { registerIam } from "./iam";
import { registerPipelineGroups } from "./pipelineGroups";

/** Every emulated API. Adding a service = one file in this folder + one line here. */
export const services: ReadonlyArray<(router: Router) => void> = [
  registerIam,
  registerPipelineGroups,
];
