import type { Router } from "../router";
import { registerExtensionPlugins } from "./extensionPlugins";
import { registerIam } from "./iam";
import { registerPipelineGroups } from "./pipelineGroups";
import { registerPipelines } from "./pipelines";
import { registerPipelineTemplates } from "./pipelineTemplates";
import { registerCloudTest } from "./cloudtest";
import { registerCloudTestQueries } from "./cloudtestQueries";
import { registerCocScripts } from "./cocScripts";
import { registerPolicies } from "./policies";
import { registerVpcep } from "./vpcep";
import { registerPublishers } from "./publishers";

/** Every emulated API. Adding a service = one file in this folder + one line here. */
export const services: ReadonlyArray<(router: Router) => void> = [
  registerIam,
  registerPipelineGroups,
  registerPipelineTemplates,
  registerPipelines,
  registerPublishers,
  registerExtensionPlugins,
  registerPolicies,
  registerCloudTest,
  registerCloudTestQueries,
  registerCocScripts,
  registerVpcep,
];
