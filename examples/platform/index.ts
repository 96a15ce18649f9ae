import * as pulumi from "@pulumi/pulumi";
import { PipelineGroup } from "pulumi-codearts";

/**
 * The example platform program: one team's CodeArts setup declared as code. The root Pulumi.yaml
 * runs it (compiled to dist/examples/platform/index.js by `npm run build`).
 *
 * Config (namespace codearts-platform):
 *   projectId  the CodeArts project (32 hex)
 *   teamName   used in names; changing it is the demo's "change"
 */
const config = new pulumi.Config("codearts-platform");
const projectId = config.require("projectId");
const team = config.get("teamName") ?? "Platform";

const root = new PipelineGroup("team", { projectId, name: team });
const services = new PipelineGroup("services", { projectId, name: `${team} services`, parentId: root.id });

export const teamGroupPath = root.pathId;
export const servicesGroupPath = services.pathId;
