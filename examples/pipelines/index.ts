import * as pulumi from "@pulumi/pulumi";
import { Pipeline, PipelineGroup, PipelineTemplate } from "pulumi-codearts";

// A group, a template of the account, and one pipeline per service repository, made from the
// template and filed in the group. Changing a pipeline's inputs replaces it (the API has no update),
// except its group, which moves it; editing the template updates it in place.
const config = new pulumi.Config();
const projectId = config.require("codeartsProjectId"); // 32 hex: the CodeArts project

const group = new PipelineGroup("services", { projectId, name: "Services" });

const template = new PipelineTemplate("service-build", {
  name: "Service build",
  language: "none",
  isShowSource: true,
  variables: [{ name: "branch", type: "string", value: "master", isRuntime: true, sequence: 0 }],
  // An object or a JSON string; compared semantically, so reformatting it never shows as a change.
  definition: {
    stages: [
      {
        name: "Build",
        sequence: 0,
        identifier: "build",
        pre: [{ task: "official_devcloud_autoTrigger", sequence: 0 }],
        jobs: [{ name: "Compile", identifier: "compile", sequence: 0, depends_on: [], steps: [] }],
      },
    ],
  },
});

const repositories: Record<string, string> = {
  api: "https://codehub.example.com/team/api.git",
  web: "https://codehub.example.com/team/web.git",
};

const pipelines = Object.entries(repositories).map(
  ([name, gitUrl]) =>
    new Pipeline(name, {
      projectId,
      name,
      templateId: template.id,
      groupId: group.id,
      isPublish: false,
      sources: [{ type: "code", params: { gitType: "codehub", gitUrl, defaultBranch: "master", repoName: name } }],
    }),
);

export const groupPath = group.pathId;
export const templateId = template.id;
export const pipelineIds = pipelines.map((p) => p.id);
