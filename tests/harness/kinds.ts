import type { KindName } from "../../provider/kinds";
import { putRepositoryFile, seedCocResources, seedTestCases, seedVpcepRecords, VPCEP_PATH, type Account, type Emulator } from "../../emulator";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { fileSha256, MANIFEST } from "../../provider/pluginPackage";
import { makeZip } from "../../provider/zip";
import type { Engine, ResourceState } from "./engine";
import { REPO_ROOT } from "./host";

/** What the kinds need of a test world: the emulator, the engine, the account. */
export interface World {
  emu: Emulator;
  engine: Engine;
  account: Account;
}

/**
 * Every resource kind, as the reliability suites (fault matrix, scale run) drive it: inputs for the
 * n-th object, an in-place change, the route each mutating operation sends (where a fault is
 * injected), and how to count the objects the service holds. Adding a kind to those suites is one
 * entry here.
 */
export interface KindUnderTest {
  type: KindName;
  /** Objects the kind's resources depend on, made once per world through the engine (so they are in state). */
  setup?(w: World): Promise<Env>;
  /** Service-side data a cell needs that no resource manages (seeded as the console would make it). */
  seed?(w: World, n: number): void;
  inputs(env: Env, n: number): Record<string, unknown>;
  /** The same object changed in place; absent when the API has no update. */
  updated?(env: Env, n: number): Record<string, unknown>;
  /** The request each operation mutates with: method and route pattern as the emulator registers it. */
  routes: Partial<Record<Operation, Route>>;
  /** Why an operation has no cell. */
  without?: Partial<Record<Operation, string>>;
  /** The emulator's collection (store) of this kind's objects. */
  collection: string;
  /** Store record → the id the provider uses (default: the store key). */
  idOf?(key: string, record: Record<string, unknown>): string | undefined;
  /** The object ids a resource's state claims (default: its id). */
  claims?(st: ResourceState): string[];
  /**
   * What a claimed object holds beyond its existence that its converged state records (a plug-in's package):
   * why the service's record disagrees, or undefined. Checked with the inventory, so a lost part fails a cell.
   */
  heldAsRecorded?(record: Record<string, unknown>, st: ResourceState): string | undefined;
  /** Destroying the resource leaves its object in the service by design (no delete API). */
  deleteKeeps?: boolean;
  /**
   * Why a create that failed ambiguously cannot be looked up (no list or read API): the failed call may leave
   * one object the state does not claim, which the error must name as possible ("may have generated").
   */
  createUnfindable?: string;
  /**
   * Later requests of multi-step operations, each faulted in cells of its own: what the step is, its
   * route, and the inputs (for a create) or the change (for an update) that make the operation send it.
   */
  steps?: Step[];
}

export interface Step {
  operation: Operation;
  what: string;
  route: Route;
  /** The inputs of the create; for an update step, those the object is created with before the change (default: the kind's). */
  inputs?(env: Env, n: number): Record<string, unknown>;
  updated?(env: Env, n: number): Record<string, unknown>;
}

export type Operation = "create" | "update" | "delete";
export interface Route {
  method: string;
  path: string;
}
export type Env = Record<string, string>;

export const stages = [
  {
    name: "Build",
    sequence: 0,
    jobs: [{ name: "Compile", identifier: "job-1", sequence: 0, steps: [{ name: "mvn", task: "official_devcloud_cloudBuild_template", sequence: 0 }] }],
  },
];
export const definition = { stages: [{ name: "Build", sequence: 0, identifier: "s1", jobs: [{ name: "Compile", identifier: "job-1", sequence: 0, steps: [] }] }] };
const sources = [
  {
    type: "code",
    params: { gitType: "codehub", codehubId: "2111699317", defaultBranch: "master", gitUrl: "https://example.com/team/app.git", repoName: "app", alias: "app_repo" },
  },
];
export const ruleContent = (value: string) => [{ groupName: "g", properties: [{ key: "k", name: "n", type: "judge", operator: ">=", valueType: "float", value }] }];
export const ossContent = (cveEnabled: boolean) => ({
  versionSet: { enable: true, rules: [{ ecosystem: "Maven", packageName: "sboot", predicate: "eq", packageVersion: "1.1", description: "", enable: true }] },
  security: { enable: true, rules: { severity: { enable: false, values: [] }, cve: { enable: cveEnabled, values: [] } } },
  license: { enable: true, rules: [{ values: [], predicate: "contain" }] },
});
export const step = (script: string) => ({ task: "official_shell_plugin", name: "Run", identifier: "step-run", variables: { OFFICIAL_SHELL_SCRIPT_INPUT: script } });
const draft = (e: Env, n: number) => ({ pluginName: e.plugin, version: `0.${n}.0`, versionDescription: "draft", steps: [step("./deploy.sh")] });
const published = (e: Env, n: number) => ({ ...draft(e, n), publish: true });
const released = (e: Env, n: number) => ({ ...published(e, n), publisherId: e.publisher });
const fromTemplate = (e: Env, n: number) => ({ projectId: e.P, name: `pipeline-${n}`, templateId: e.T, isPublish: false, sources, groupId: e.G1 });
const ICON = path.join(REPO_ROOT, "tests", "fixtures", "acme-icon.png");

/**
 * Two packages of one version that differ in content, written for a world in the form its service takes
 * (X9: a zip with the manifest at its root, or the manifest alone; the other form is refused by design).
 */
function pluginPackages(w: World): Env {
  const dir = mkdtempSync(path.join(tmpdir(), "codearts-kinds-"));
  const json = w.emu.dialect.of("X9") === "json";
  const write = (name: string, description: string, script: string) => {
    const manifest = Buffer.from(JSON.stringify({ type: "Task", version: "1.0.0", version_description: description, execution: { target: "scripts/run.sh", type: "Shell" } }));
    const file = path.join(dir, json ? `${name}.json` : `${name}.zip`);
    writeFileSync(
      file,
      json
        ? manifest
        : makeZip([
            { name: MANIFEST, data: manifest },
            { name: "scripts/run.sh", data: Buffer.from(script) },
          ]),
    );
    return file;
  };
  return { pkg: write("package", "first", "echo first\n"), changedPkg: write("package-changed", "second", "echo second\n") };
}
/**
 * A declared package is recorded as the declared file's (packageSha256) and held by the service under the
 * recorded version with the recorded digest; the emulator's digest hashes the uploaded file, so it also
 * proves the service holds the declared content, not an older package.
 */
function packageHeld(r: Record<string, unknown>, st: ResourceState): string | undefined {
  const file = st.inputs.packageFile as string | undefined;
  if (file === undefined) return undefined;
  const { packageSha256, packageVersion, packageDigest } = st.outputs as Record<string, string | undefined>;
  const want = fileSha256(file);
  if (packageSha256 !== want) return `${st.id}: the state records package sha256 ${String(packageSha256)}, the declared file's is ${String(want)}`;
  const held = (r.packages as Record<string, { execution?: { sha256?: string } }> | undefined)?.[String(packageVersion)];
  if (!held) return `${st.id}: the service holds no package version ${String(packageVersion)}`;
  if (held.execution?.sha256 !== packageDigest || held.execution?.sha256 !== want) return `${st.id}: the service's package ${String(packageVersion)} is not the declared file's`;
  return undefined;
}
const plugin = (n: number) => ({ pluginName: `plugin_${n}`, displayName: "Plug-in", businessType: "Deploy" });
const packaged = (e: Env, n: number) => ({ ...plugin(n), packageFile: e.pkg });
/** The region the emulator's devuc endpoint serves under V2=strict (the account's first IAM project). */
const VPCEP_REGION = "cn-north-4";
/** The policy APIs (§4.4–§4.7) share one layout: POST …/create, PUT …/{id}/update, DELETE …/{id}/delete. */
const policyRoutes = (base: string, id: string): KindUnderTest["routes"] => ({
  create: { method: "POST", path: `${base}/create` },
  update: { method: "PUT", path: `${base}/{${id}}/update` },
  delete: { method: "DELETE", path: `${base}/{${id}}/delete` },
});
const P = (w: World) => w.account.codeartsProjects[0];
/** A repository with a Swagger 2.0 file of two operations, for ApiTestSuite (repositories have no API here). */
export const SUITE_REPO = "5f0c1b2a3d4e5f60718293a4b5c6d7e8";
export const PETSTORE = [
  "swagger: '2.0'",
  "info: { title: Petstore, version: 1.0.0 }",
  "paths:",
  "  /pets:",
  "    get: { responses: { '200': { description: ok } } }",
  "    post: { responses: { '201': { description: made } } }",
].join("\n");

export const KINDS_UNDER_TEST: KindUnderTest[] = [
  {
    type: "PipelineGroup",
    setup: async (w) => ({ P: P(w) }),
    inputs: (e, n) => ({ projectId: e.P, name: `group-${n}` }),
    updated: (e, n) => ({ projectId: e.P, name: `group-${n}-renamed` }),
    routes: {
      create: { method: "POST", path: "/v5/{project_id}/api/pipeline-group/create" },
      update: { method: "POST", path: "/v5/{project_id}/api/pipeline-group/update" },
      delete: { method: "DELETE", path: "/v5/{project_id}/api/pipeline-group/delete" },
    },
    collection: "pipelineGroups",
  },
  {
    type: "PipelineTemplate",
    inputs: (_e, n) => ({ name: `template ${n}`, language: "Java", isShowSource: true, definition: { stages } }),
    updated: (_e, n) => ({ name: `template ${n}`, language: "Java", isShowSource: true, definition: { stages }, description: "changed" }),
    routes: {
      create: { method: "POST", path: "/v5/{tenant_id}/api/pipeline-templates" },
      update: { method: "PUT", path: "/v5/{tenant_id}/api/pipeline-templates/{template_id}" },
      delete: { method: "DELETE", path: "/v5/{tenant_id}/api/pipeline-templates/{template_id}" },
    },
    collection: "pipelineTemplates",
  },
  {
    type: "Pipeline",
    async setup(w) {
      const g = async (name: string) => (await w.engine.up("PipelineGroup", `dep-${name}`, { projectId: P(w), name })).state!.id;
      const T = (await w.engine.up("PipelineTemplate", "dep-template", { name: "for pipelines", language: "Java", isShowSource: true, definition: { stages } })).state!.id;
      return { P: P(w), G1: await g("pipelines-1"), G2: await g("pipelines-2"), T };
    },
    inputs: (e, n) => ({ projectId: e.P, name: `pipeline-${n}`, isPublish: false, sources, definition, groupId: e.G1 }),
    // Moving to another group is the one in-place change (§4.3.5); everything else replaces.
    updated: (e, n) => ({ projectId: e.P, name: `pipeline-${n}`, isPublish: false, sources, definition, groupId: e.G2 }),
    routes: {
      create: { method: "POST", path: "/v5/{project_id}/api/pipelines" },
      update: { method: "POST", path: "/v5/{project_id}/api/pipeline-group/pipeline/move" },
      delete: { method: "DELETE", path: "/v5/{project_id}/api/pipelines/{pipeline_id}" },
    },
    steps: [
      {
        operation: "create",
        what: "from a template",
        route: { method: "POST", path: "/v5/{project_id}/api/pipeline-templates/{template_id}/create-pipeline" },
        inputs: (e, n) => fromTemplate(e, n),
      },
      {
        operation: "create",
        what: "from a template, then moved into its group",
        route: { method: "POST", path: "/v5/{project_id}/api/pipeline-group/pipeline/move" },
        inputs: (e, n) => fromTemplate(e, n),
      },
    ],
    collection: "pipelines",
  },
  {
    type: "Publisher",
    inputs: (_e, n) => ({ name: `Publisher ${n}`, enName: `publisher${n}`, supportUrl: "support@acme.example" }),
    routes: {
      create: { method: "POST", path: "/v1/{domain_id}/publisher/create" },
      delete: { method: "DELETE", path: "/v1/{domain_id}/publisher/delete" },
    },
    steps: [
      {
        operation: "create",
        what: "with an icon file",
        route: { method: "POST", path: "/v1/{domain_id}/common/upload-publisher-icon" },
        inputs: (_e, n) => ({ name: `Publisher ${n}`, enName: `publisher${n}`, supportUrl: "support@acme.example", iconFile: ICON }),
      },
    ],
    without: { update: "no update API: every change replaces" },
    collection: "publishers",
    idOf: (key, r) => (r.is_delete === 1 ? undefined : key),
  },
  {
    type: "Plugin",
    setup: async (w) => pluginPackages(w),
    inputs: (_e, n) => plugin(n),
    updated: (_e, n) => ({ ...plugin(n), displayName: "Plug-in (changed)" }),
    routes: {
      create: { method: "POST", path: "/v3/{domain_id}/extension/info/add" },
      update: { method: "POST", path: "/v3/{domain_id}/extension/info/update" },
      delete: { method: "DELETE", path: "/v3/{domain_id}/extension/info/delete" },
    },
    // The package (§4.9.29) is uploaded after the add, the icon (§4.9.9) before it; a changed package is uploaded again, with no info update.
    steps: [
      { operation: "create", what: "with a package", route: { method: "POST", path: "/v3/{domain_id}/extension/upload" }, inputs: (e, n) => packaged(e, n) },
      {
        operation: "create",
        what: "with an icon file",
        route: { method: "POST", path: "/v1/{domain_id}/common/upload-plugin-icon" },
        inputs: (_e, n) => ({ ...plugin(n), iconFile: ICON }),
      },
      {
        operation: "update",
        what: "package content changed",
        route: { method: "POST", path: "/v3/{domain_id}/extension/upload" },
        inputs: (e, n) => packaged(e, n),
        updated: (e, n) => ({ ...plugin(n), packageFile: e.changedPkg }),
      },
    ],
    collection: "plugins",
    heldAsRecorded: (r, st) => packageHeld(r, st),
  },
  {
    type: "PluginVersion",
    setup: async (w) => {
      // A multi plug-in: composite versions are refused on a `single` one under X2 `refused`.
      await w.engine.up("Plugin", "dep-plugin", { pluginName: "versioned", displayName: "Versioned", businessType: "Deploy", pluginCompositionType: "multi" });
      const publisher = (await w.engine.up("Publisher", "dep-publisher", { name: "Binder", enName: "binder", supportUrl: "support@acme.example" })).state!.id;
      return { plugin: "versioned", publisher };
    },
    inputs: (e, n) => draft(e, n),
    updated: (e, n) => ({ pluginName: e.plugin, version: `0.${n}.0`, versionDescription: "edited draft", steps: [step("./deploy.sh --verify")] }),
    routes: {
      create: { method: "POST", path: "/v1/{domain_id}/agent-plugin/create-draft" },
      update: { method: "POST", path: "/v1/{domain_id}/agent-plugin/edit-draft" },
      delete: { method: "DELETE", path: "/v1/{domain_id}/agent-plugin/delete-draft" },
    },
    steps: [
      // A published version is made by §4.9.1 create (released, or a draft published after it: X12).
      { operation: "create", what: "published", route: { method: "POST", path: "/v1/{domain_id}/agent-plugin/create" }, inputs: (e, n) => published(e, n) },
      { operation: "create", what: "published and bound", route: { method: "POST", path: "/v1/{domain_id}/agent-plugin/publish-plugin-bind" }, inputs: (e, n) => released(e, n) },
      {
        operation: "update",
        what: "publish the draft",
        route: { method: "POST", path: "/v1/{domain_id}/agent-plugin/publish-draft" },
        updated: (e, n) => ({ ...draft(e, n), publish: true }),
      },
    ],
    collection: "pluginVersions",
    idOf: (_key, r) => `${String(r.plugin_name)}/${String(r.version)}`,
  },
  {
    type: "Rule",
    inputs: (_e, n) => ({ name: `rule ${n}`, type: "Gate", layoutContent: "l", content: ruleContent("0.5") }),
    updated: (_e, n) => ({ name: `rule ${n}`, type: "Gate", layoutContent: "l", content: ruleContent("0.9") }),
    routes: policyRoutes("/v2/{domain_id}/rules", "rule_id"),
    collection: "rules",
  },
  {
    type: "RuleSet",
    setup: async (w) => ({
      rule: (await w.engine.up("Rule", "dep-rule", { name: "rule for sets", type: "Gate", layoutContent: "l", content: ruleContent("0.5") })).state!.id,
    }),
    inputs: (e, n) => ({ name: `rule set ${n}`, rules: [{ id: e.rule }] }),
    updated: (e, n) => ({ name: `rule set ${n} renamed`, rules: [{ id: e.rule }] }),
    routes: policyRoutes("/v2/{domain_id}/tenant/rule-sets", "rule_set_id"),
    steps: [
      {
        operation: "create",
        what: "created disabled (switch)",
        route: { method: "PUT", path: "/v2/{domain_id}/tenant/rule-sets/{rule_set_id}/switch" },
        inputs: (e, n) => ({ name: `rule set ${n}`, rules: [{ id: e.rule }], isValid: false }),
      },
      {
        operation: "update",
        what: "disable (switch)",
        route: { method: "PUT", path: "/v2/{domain_id}/tenant/rule-sets/{rule_set_id}/switch" },
        updated: (e, n) => ({ name: `rule set ${n}`, rules: [{ id: e.rule }], isValid: false }),
      },
    ],
    collection: "ruleSets",
  },
  {
    type: "OpenSourcePolicy",
    inputs: (_e, n) => ({ name: `policy ${n}`, content: ossContent(false) }),
    updated: (_e, n) => ({ name: `policy ${n}`, content: ossContent(true) }),
    routes: policyRoutes("/v2/{domain_id}/tenant/open-source/rule-sets", "rule_set_id"),
    // A new policy is disabled (§4.7.3): declaring it enabled (the default) switches it on after the create.
    steps: [{ operation: "create", what: "switched on after create", route: { method: "PUT", path: "/v2/{domain_id}/tenant/open-source/rule-sets/{rule_set_id}/switch" } }],
    collection: "openSourcePolicies",
  },
  {
    type: "Script",
    inputs: (_e, n) => ({ name: `script_${n}`, description: "d", type: "SHELL", content: "true", riskLevel: "LOW", version: "1" }),
    updated: (_e, n) => ({ name: `script_${n}`, description: "d", type: "SHELL", content: "echo changed", riskLevel: "LOW", version: "1" }),
    routes: {
      create: { method: "POST", path: "/v1/job/scripts" },
      update: { method: "PUT", path: "/v1/job/scripts/{script_uuid}" },
      delete: { method: "DELETE", path: "/v1/job/scripts/{script_uuid}" },
    },
    collection: "cocScripts",
  },
  {
    type: "ScriptRun",
    // A script to run and a host that runs it in one 20 ms step (COC has no API that makes hosts).
    setup: async (w) => {
      seedCocResources(w.emu.store, w.account.domainId, [{ resourceId: "harness-host", agentSn: "sn-harness", projectId: "p1", regionId: "cn-north-4" }], 20);
      const s = await w.engine.up("Script", "harness-run-script", { name: "harness_run_script", description: "d", type: "SHELL", content: "true", riskLevel: "LOW", version: "1" });
      return { S: s.state!.id };
    },
    inputs: (e, n) => ({
      scriptId: e.S,
      batches: [{ hosts: [{ resourceId: "harness-host", agentSn: "sn-harness", projectId: "p1", regionId: "cn-north-4" }] }],
      triggers: [`run ${n}`],
    }),
    routes: { create: { method: "POST", path: "/v1/job/scripts/{script_uuid}" } },
    without: { update: "only waitTimeout changes in place, with no call", delete: "destroy forgets the run: no call (tickets have no delete API)" },
    collection: "cocTickets",
    deleteKeeps: true,
  },
  {
    type: "TestPlan",
    setup: async (w) => {
      seedTestCases(w.emu.store, P(w), 1, ["c1000000000000000000000000000001"]);
      return { P: P(w) };
    },
    inputs: (e, n) => ({ projectId: e.P, name: `plan ${n}`, endDate: "2026-12-31", serviceIdList: [1] }),
    // Adding a test case is the one change CloudTest allows (§4.3.1 batch-add).
    updated: (e, n) => ({ projectId: e.P, name: `plan ${n}`, endDate: "2026-12-31", serviceIdList: [1], testCases: [{ serviceId: 1, ids: ["c1000000000000000000000000000001"] }] }),
    routes: {
      create: { method: "POST", path: "/v1/projects/{project_id}/plans" },
      update: { method: "POST", path: "/v1/projects/{project_id}/plans/{plan_id}/testcases/batch-add" },
    },
    steps: [
      {
        operation: "create",
        what: "with test cases",
        route: { method: "POST", path: "/v1/projects/{project_id}/plans/{plan_id}/testcases/batch-add" },
        inputs: (e, n) => ({
          projectId: e.P,
          name: `plan ${n}`,
          endDate: "2026-12-31",
          serviceIdList: [1],
          testCases: [{ serviceId: 1, ids: ["c1000000000000000000000000000001"] }],
        }),
      },
    ],
    without: { delete: "no delete API: destroy only forgets the plan" },
    collection: "testPlans",
    deleteKeeps: true,
  },
  {
    type: "ApiTestSuite",
    setup: async (w) => {
      putRepositoryFile(w.emu.store, SUITE_REPO, "master", "api/petstore.yaml", PETSTORE);
      return { P: P(w) };
    },
    inputs: (e, n) => ({ projectId: e.P, testsuiteName: `suite ${n}`, repositoryId: SUITE_REPO, repositoryBranch: "master", filePath: "api/petstore.yaml" }),
    routes: { create: { method: "POST", path: "/v1/projects/{project_id}/repository/testsuites" } },
    without: { update: "no update API: a change generates a new suite", delete: "no delete API: destroy only forgets the suite" },
    collection: "apiTestSuites",
    deleteKeeps: true,
    createUnfindable: "no API lists or reads test suites (CloudTest §4.1.1 only generates one)",
  },
  {
    type: "VpcepAccessControl",
    // Access records are made in the console; each cell starts from two of its own.
    seed: (w, n) => seedVpcepRecords(w.emu.store, w.account.domainId, VPCEP_REGION, [`vpcep-${n}-a`, `vpcep-${n}-b`]),
    inputs: (_e, n) => ({ region: VPCEP_REGION, vpceps: [{ vpcepId: `vpcep-${n}-a` }, { vpcepId: `vpcep-${n}-b` }] }),
    updated: (_e, n) => ({ region: VPCEP_REGION, vpceps: [{ vpcepId: `vpcep-${n}-a` }] }),
    routes: { update: { method: "DELETE", path: VPCEP_PATH }, delete: { method: "DELETE", path: VPCEP_PATH } },
    without: { create: "no create API: access records are adopted without a call" },
    collection: "vpcepRecords",
    idOf: (key) => key.slice(key.indexOf("/") + 1),
    claims: (st) => ((st.outputs.vpceps ?? []) as Array<{ vpcepId: string }>).map((e) => e.vpcepId),
  },
];

/** The ids of a kind's objects the service holds now, straight from the emulator's store. */
export function inventory(w: Pick<World, "emu">, k: KindUnderTest): string[] {
  const byTenant = w.emu.store.snapshotOf(k.collection);
  return Object.values(byTenant).flatMap((records) =>
    Object.entries(records).flatMap(([key, r]) => {
      const id = k.idOf ? k.idOf(key, r as Record<string, unknown>) : key;
      return id === undefined ? [] : [id];
    }),
  );
}

/**
 * Objects of a kind the service holds that the state does not claim, and claims the service does not
 * hold; undefined when they agree. `forgotten` collects the objects of kinds kept by design (TestPlan
 * has no delete API): once claimed, a replace or destroy may leave them.
 */
export function stateMismatch(w: Pick<World, "emu"> & { engine: Pick<Engine, "state"> }, k: KindUnderTest, forgotten: Set<string>): string | undefined {
  const held = inventory(w, k);
  const claims = claimed(w, k);
  if (k.deleteKeeps) for (const id of claims) forgotten.add(id);
  const unrecorded = held.filter((id) => !claims.includes(id) && !forgotten.has(id));
  const missing = claims.filter((id) => !held.includes(id));
  if (unrecorded.length === 0 && missing.length === 0) return heldAsRecorded(w, k);
  return `${k.type}: service and state differ: not in the state ${JSON.stringify(unrecorded)}, gone from the service ${JSON.stringify(missing)}`;
}

/** KindUnderTest.heldAsRecorded over every state of the kind whose object the store holds: the first disagreement, or undefined. */
export function heldAsRecorded(w: Pick<World, "emu"> & { engine: Pick<Engine, "state"> }, k: KindUnderTest): string | undefined {
  if (!k.heldAsRecorded) return undefined;
  const records = new Map<string, Record<string, unknown>>();
  for (const byKey of Object.values(w.emu.store.snapshot()[k.collection] ?? {}))
    for (const [key, r] of Object.entries(byKey)) {
      const id = k.idOf ? k.idOf(key, r as Record<string, unknown>) : key;
      if (id !== undefined) records.set(id, r as Record<string, unknown>);
    }
  for (const st of [...w.engine.state.values()].filter((s) => s.type.split(":").pop() === k.type)) {
    const r = records.get(st.id);
    const problem = r && k.heldAsRecorded(r, st);
    if (problem) return `${k.type}: ${problem}`;
  }
  return undefined;
}

/** The object ids the engine's state claims for a kind. */
export function claimed(w: { engine: Pick<Engine, "state"> }, k: KindUnderTest): string[] {
  // A program registers full tokens (pulumi-nodejs:dynamic/codearts:PipelineGroup), single-resource steps the kind name.
  return [...w.engine.state.values()].filter((st) => st.type.split(":").pop() === k.type).flatMap((st) => (k.claims ? k.claims(st) : [st.id]));
}
