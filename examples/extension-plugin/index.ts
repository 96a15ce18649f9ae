import { Plugin, PluginVersion, Publisher } from "pulumi-codearts";

/*
 * GitOps for a home-made pipeline step: a publisher, the plug-in, version 0.0.1 released and bound to
 * the publisher, and 0.0.2 as a draft under review. Merging the pull request that flips 0.0.2 to
 * `publish: true` releases it. A released version cannot change: to change 0.0.1, declare 0.0.3.
 *
 * Configure: huaweicloud:region, huaweicloud:accessKey, huaweicloud:secretKey (secret) and
 * huaweicloud:domainId, or point huaweicloud:endpoints at the emulator (`npm run emulator`).
 */
const publisher = new Publisher("acme", {
  name: "Acme",
  enName: "acme",
  supportUrl: "support@acme.example",
  website: "https://acme.example",
});

const plugin = new Plugin("release", {
  pluginName: "acme_release",
  displayName: "Release",
  businessType: "Deploy",
  description: "Deploys with Acme's scripts",
  // Its versions are composite (steps): some services refuse those on a "single" plug-in (docs/ambiguities.md#x2).
  pluginCompositionType: "multi",
});

const inputs = [{ name: "TARGET", type: "input", defaultValue: "staging", validation: { requiredMessage: "Name the target environment" } }];
const deploy = (script: string) => [{ task: "official_shell_plugin", name: "Deploy", variables: { OFFICIAL_SHELL_SCRIPT_INPUT: script } }];

export const released = new PluginVersion("v0.0.1", {
  pluginName: plugin.pluginName,
  version: "0.0.1",
  versionDescription: "First release",
  inputs,
  steps: deploy("./deploy.sh ${TARGET}"),
  publish: true,
  publisherId: publisher.id,
}).id;

export const draft = new PluginVersion("v0.0.2", {
  pluginName: plugin.pluginName,
  version: "0.0.2",
  versionDescription: "Canary first",
  inputs,
  steps: deploy("./deploy.sh --canary ${TARGET}"),
  publish: false,
}).id;
