import * as path from "path";
import { seedTestCases } from "../emulator";
import { failuresFrom } from "../provider/dynamic";
import { KINDS, KindName } from "../provider/kinds";
import { BadCase, Corpus, generateBadInputs } from "./support/badInputs";
import { anyFile, iconFile as pngFile, manifest, missingFile, packageFile as zipPackage } from "./support/pluginPackages";
import { ICON_LIMIT, MANIFEST, PACKAGE_LIMIT } from "../provider/pluginPackage";
import { makeZip } from "../provider/zip";
import { refusedAtCheck, RefusalCase, startWorld, World } from "./support/world";

// Issue 8, part 2: for every kind, bad inputs generated from its schema's documented constraints
// plus hand-written cross-field rules (refine/superRefine, and `refuse` for changes) are each
// refused at check, naming the property, with zero API calls, through the real provider host.

type Inputs = Record<string, unknown>;
interface Env {
  projectId: string;
  domainId: string;
  /** What the entry's `setup` made, by name (e.g. a publisher id). */
  made: Record<string, string>;
}
/** Refused when declared (zod refine/superRefine). */
interface CheckRule {
  rule: string;
  property: string;
  reason: RegExp;
  inputs: Inputs;
}
/** Refused as a change of an existing resource (`kind.refuse`): created from `existing`, then changed. */
interface RefuseRule {
  rule: string;
  property: string;
  reason: RegExp;
  existing: Inputs;
  changed: Inputs;
}
interface Entry {
  /** Valid inputs the generator breaks one property at a time; optional nested values are present so they are walked too. */
  base(env: Env): Inputs;
  crossField(env: Env): Array<CheckRule | RefuseRule>;
  /**
   * Generated cases the schema accepts, as "<rule> at <property>", each with why that is right. Pinned,
   * so a constraint lost from a schema shows up here instead of silently shrinking the corpus.
   */
  accepts?: string[];
  /** Objects the refuse rules' resources need (e.g. their plug-in). */
  setup?(w: World): Promise<Record<string, string>>;
}

const hex = (c: string) => c.repeat(32);
const REPO_FILE = path.join(__dirname, "..", "package.json"); // an existing file, for iconFile

const pipelineDefinition = { stages: [{ name: "Build", sequence: 0, identifier: "s1", jobs: [] }] };
const pipelineSources = [
  {
    type: "code",
    params: { gitType: "codehub", codehubId: "2111699317", defaultBranch: "master", gitUrl: "https://example.com/team/app.git", repoName: "app", alias: "app_repo" },
  },
];
const fromTemplate = (env: Env, over: Inputs = {}): Inputs => ({ projectId: env.projectId, name: "svc", templateId: hex("e"), isPublish: true, sources: pipelineSources, ...over });
const shellStep = (script: string) => ({ task: "official_shell_plugin", name: "Run", identifier: "step-run", variables: { OFFICIAL_SHELL_SCRIPT_INPUT: script } });
const planCase = (n: number) => `a${String(n).padStart(31, "0")}`;
const plan = (env: Env, name: string, over: Inputs = {}): Inputs => ({
  projectId: env.projectId,
  name,
  assignedId: hex("b"),
  startDate: "2026-11-01",
  endDate: "2026-11-30",
  serviceIdList: [13, 24],
  testCases: [{ serviceId: 13, ids: [planCase(1), planCase(2)] }],
  ...over,
});
const suite = (env: Env, over: Inputs = {}): Inputs => ({
  projectId: env.projectId,
  testsuiteName: "petstore API",
  repositoryId: hex("d"),
  repositoryBranch: "master",
  filePath: "api/petstore.yaml",
  ...over,
});
const version = (env: Env, v: string, over: Inputs = {}): Inputs => ({
  pluginName: "corpus_plugin",
  version: v,
  versionDescription: "cut",
  steps: [shellStep("./deploy.sh")],
  publish: true,
  ...over,
});

/** One entry per kind. */
const REGISTRY: Record<KindName, Entry> = {
  PipelineGroup: {
    base: (env) => ({ projectId: env.projectId, name: "Platform", parentId: hex("a") }),
    crossField: () => [], // no refinement: every rule is a documented constraint the generator reads
  },
  PipelineTemplate: {
    base: () => ({
      name: "Java service",
      description: "Build",
      language: "Java",
      isShowSource: true,
      definition: { stages: [] },
      variables: [{ name: "branch", type: "string", value: "master", sequence: 0, isRuntime: true, limits: [{ value: "master" }] }],
    }),
    // The definition's rules sit in a transform, which introspection cannot read.
    crossField: () => {
      const t = { name: "t", language: "Java", isShowSource: true };
      return [
        { rule: "definition without stages", property: "definition", reason: /must include stages/, inputs: { ...t, definition: { jobs: [] } } },
        { rule: "definition text without stages", property: "definition", reason: /must include stages/, inputs: { ...t, definition: '{"stages":{}}' } },
        { rule: "definition text not a JSON object", property: "definition", reason: /does not hold a JSON object/, inputs: { ...t, definition: "[1,2]" } },
      ];
    },
  },
  Pipeline: {
    base: (env) => ({
      projectId: env.projectId,
      name: "app-build",
      description: "Builds",
      isPublish: false,
      componentId: "c1",
      sources: pipelineSources,
      variables: [{ name: "branch", value: "master", sequence: 0, isRuntime: true, limits: [{ value: "master" }] }],
      schedules: [{ name: "nightly", type: "fixed", enable: "true", daysOfWeek: [1, 5], timeZone: "UTC" }],
      triggers: [{ gitUrl: "https://example.com/team/app.git", isAutoCommit: false, events: [{ type: "push", enable: true }] }],
      manifestVersion: "3.0",
      definition: pipelineDefinition,
      groupId: hex("f"),
    }),
    crossField: (env) => [
      { rule: "isPublish required with templateId", property: "isPublish", reason: /required when templateId is set/, inputs: fromTemplate(env, { isPublish: undefined }) },
      { rule: "sources required with templateId", property: "sources", reason: /required when templateId is set/, inputs: fromTemplate(env, { sources: undefined }) },
      ...(
        [
          ["definition", pipelineDefinition],
          ["schedules", []],
          ["triggers", []],
          ["manifestVersion", "3.0"],
          ["projectName", "p"],
        ] as const
      ).map(([key, value]) => ({ rule: `${key} not with templateId`, property: key, reason: /cannot be set with templateId/, inputs: fromTemplate(env, { [key]: value }) })),
      {
        rule: "variable pipelineId not with templateId",
        property: "variables[0].pipelineId",
        reason: /cannot be set with templateId/,
        inputs: fromTemplate(env, { variables: [{ name: "v", pipelineId: "p" }] }),
      },
      {
        rule: "variable runtimeValue not with templateId",
        property: "variables[0].runtimeValue",
        reason: /cannot be set with templateId/,
        inputs: fromTemplate(env, { variables: [{ name: "v", runtimeValue: "r" }] }),
      },
      {
        rule: "object limit with templateId",
        property: "variables[0].limits[0]",
        reason: /must be a string with templateId/,
        inputs: fromTemplate(env, { variables: [{ name: "v", limits: [{ value: "x" }] }] }),
      },
      {
        rule: "string limit without templateId",
        property: "variables[0].limits[0]",
        reason: /must be an object/,
        inputs: { projectId: env.projectId, name: "p", variables: [{ name: "v", limits: ["x"] }] },
      },
    ],
  },
  Publisher: {
    base: () => ({
      name: "Acme",
      enName: "acme",
      description: "Steps",
      website: "https://acme.example",
      supportUrl: "support@acme.example",
      sourceUrl: "https://src",
      logoUrl: "https://logo",
    }),
    crossField: () => [
      { rule: "iconFile with logoUrl", property: "iconFile", reason: /cannot be combined with logoUrl/, inputs: { name: "Acme", iconFile: REPO_FILE, logoUrl: "https://logo" } },
      { rule: "iconFile names no file", property: "iconFile", reason: /must name an existing file/, inputs: { name: "Acme", iconFile: path.join(__dirname, "no-such-icon.png") } },
    ],
  },
  Plugin: {
    base: () => ({
      pluginName: "acme_check",
      displayName: "Check",
      businessType: "Normal",
      description: "d",
      maintainers: [hex("b")],
      isPrivate: 0,
      pluginCompositionType: "single",
      // Valid files, so the generator breaks them too.
      iconFile: pngFile("corpus-icon.png"),
      packageFile: zipPackage("corpus-package.zip"),
    }),
    crossField: () => {
      const plugin = (over: Inputs): Inputs => ({ pluginName: "a", displayName: "A", businessType: "Build", ...over });
      const packaged = (file: string) => plugin({ packageFile: file });
      const zipOf = (name: string, entries: Array<[string, string]>) => anyFile(name, makeZip(entries.map(([n, d]) => ({ name: n, data: Buffer.from(d) }))));
      const { version: _v, ...unversioned } = manifest("1.0.0");
      return [
        { rule: "adoptId is not pluginName", property: "adoptId", reason: /must equal pluginName/, inputs: plugin({ adoptId: "b" }) },
        { rule: "packageFile names no file", property: "packageFile", reason: /must name an existing file \(the plug-in package/, inputs: packaged(missingFile()) },
        { rule: "packageFile names a folder", property: "packageFile", reason: /must name an existing file/, inputs: packaged(__dirname) },
        {
          rule: "packageFile too large",
          property: "packageFile",
          reason: new RegExp(`must be at most ${PACKAGE_LIMIT / 1024 / 1024} MiB`),
          inputs: packaged(anyFile("huge-package.zip", Buffer.alloc(PACKAGE_LIMIT + 1))),
        },
        {
          rule: "packageFile neither a zip nor a manifest",
          property: "packageFile",
          reason: /must be a plug-in package.*ambiguity X9.*neither a zip archive nor a JSON manifest/,
          inputs: packaged(anyFile("not-a-package.bin", "plain text, not a package")),
        },
        {
          rule: "packageFile a zip without the manifest",
          property: "packageFile",
          reason: new RegExp(`must be a plug-in package.*a zip without ${MANIFEST.replace(".", "\\.")} at its root`),
          inputs: packaged(zipOf("no-manifest.zip", [["scripts/run.sh", "echo\n"]])),
        },
        {
          rule: "packageFile manifest not JSON",
          property: "packageFile",
          reason: /must be a plug-in package.*is not JSON/,
          inputs: packaged(zipOf("bad-manifest.zip", [[MANIFEST, "{not json"]])),
        },
        {
          rule: "packageFile manifest without a version",
          property: "packageFile",
          reason: /must be a plug-in package.*does not declare a version/,
          inputs: packaged(anyFile("unversioned.json", JSON.stringify(unversioned))),
        },
        {
          rule: "packageFile on a multi plug-in",
          property: "packageFile",
          reason: /needs pluginCompositionType single/,
          inputs: plugin({ packageFile: zipPackage("multi.zip"), pluginCompositionType: "multi" }),
        },
        { rule: "iconFile names no file", property: "iconFile", reason: /must name an existing file \(the icon/, inputs: plugin({ iconFile: missingFile() }) },
        {
          rule: "iconFile too large",
          property: "iconFile",
          reason: new RegExp(`must be at most ${ICON_LIMIT / 1024 / 1024} MiB`),
          inputs: plugin({ iconFile: anyFile("huge-icon.png", Buffer.alloc(ICON_LIMIT + 1)) }),
        },
        { rule: "iconFile not an image", property: "iconFile", reason: /must be an image/, inputs: plugin({ iconFile: anyFile("icon.txt", "not an image") }) },
        {
          rule: "iconFile with iconUrl",
          property: "iconFile",
          reason: /cannot be combined with iconUrl/,
          inputs: plugin({ iconFile: pngFile("both.png"), iconUrl: "https://icons.example/a.png" }),
        },
      ];
    },
  },
  PluginVersion: {
    base: () => ({
      pluginName: "acme_release",
      version: "0.0.1",
      versionDescription: "First",
      executionType: "COMPOSITE",
      steps: [shellStep("./deploy.sh")],
      inputs: [{ name: "TARGET", type: "input", defaultValue: "prod", validation: { requiredMessage: "Name it", maxLength: 64, minLength: 1 } }],
      publish: false,
    }),
    // Its refinement is about "/" (the id is <pluginName>/<version>); CodeArts Pipeline API Reference §4.9.2 states no format for a version.
    accepts: ["blank (refinement) at version"],
    setup: async (w) => {
      const plugin = await w.engine.up("Plugin", "corpus-plugin", { pluginName: "corpus_plugin", displayName: "Corpus", businessType: "Deploy" });
      const publisher = await w.engine.up("Publisher", "corpus-publisher", { name: "Corpus", supportUrl: "corpus@example.com" });
      if (plugin.op !== "create" || publisher.op !== "create") throw new Error("PluginVersion setup: the plug-in and publisher were not created");
      return { publisherId: publisher.state!.id };
    },
    crossField: (env) => [
      { rule: 'version with "/"', property: "version", reason: /must not contain "\/"/, inputs: { pluginName: "p", version: "1/2", steps: [] } },
      {
        rule: "publisherId without publish",
        property: "publisherId",
        reason: /requires publish: true/,
        inputs: { pluginName: "p", version: "1", steps: [], publisherId: hex("c") },
      },
      {
        rule: "adoptId is not <pluginName>/<version>",
        property: "adoptId",
        reason: /must be "<pluginName>\/<version>"/,
        inputs: { pluginName: "p", version: "1", steps: [], adoptId: "p/2" },
      },
      {
        rule: "published: back to draft",
        property: "publish",
        reason: /cannot be false.*is published/,
        existing: version(env, "1.0.1"),
        changed: version(env, "1.0.1", { publish: false }),
      },
      {
        rule: "published: content change",
        property: "steps",
        reason: /cannot change.*is published/,
        existing: version(env, "1.0.2"),
        changed: version(env, "1.0.2", { steps: [shellStep("./other.sh")] }),
      },
      {
        rule: "published: publisher removed",
        property: "publisherId",
        reason: /cannot be removed/,
        existing: version(env, "1.0.3", { publisherId: env.made.publisherId }),
        changed: version(env, "1.0.3"),
      },
    ],
  },
  Rule: {
    base: () => ({
      name: "Unit test gate",
      type: "Build",
      layoutContent: "layout_content",
      pluginId: "official_devcloud_cloudBuild",
      pluginName: "official_devcloud_cloudBuild",
      pluginVersion: "0.0.15",
      content: [
        {
          groupName: "MavenUnitTest",
          canModifyWhenInherit: true,
          properties: [{ key: "build.PassRatio", name: "PassRatio", type: "judge", operator: "=", valueType: "float", value: "0.1" }],
        },
      ],
    }),
    crossField: () => [], // its refinements (nonBlank) are probed by the generator
  },
  RuleSet: {
    base: () => ({ name: "Release gate", rules: [{ id: hex("a"), isValid: false }], isValid: true }),
    crossField: () => [],
  },
  OpenSourcePolicy: {
    base: () => ({
      name: "Maven governance",
      isValid: true,
      parentId: hex("a"),
      content: {
        versionSet: { enable: true, rules: [{ ecosystem: "Maven", packageName: "sboot", predicate: "eq", packageVersion: "1.1", description: "", enable: true }] },
        security: { enable: true, rules: { severity: { enable: false, values: ["High"] }, cve: { enable: false, values: [""] } } },
        license: { enable: true, rules: [{ values: ["MIT"], predicate: "contain" }] },
      },
    }),
    crossField: () => [],
  },
  Script: {
    base: () => ({
      name: "rotate_logs",
      description: "Rotates logs",
      type: "SHELL",
      content: "echo ${a}",
      riskLevel: "LOW",
      version: "1.0.0",
      protocol: "EMAIL",
      reviewers: [{ name: "lead", id: "7a8513cd87b7448283a1d5190eb91234" }],
      params: [{ name: "a", value: "x", description: "plain", order: 1, sensitive: false }],
    }),
    crossField: () => {
      const s = { name: "s", description: "d", type: "SHELL", content: "c", riskLevel: "LOW", version: "1" };
      return [
        {
          rule: "param orders not consecutive",
          property: "params",
          reason: /orders must start from 1 and be consecutive/,
          inputs: {
            ...s,
            params: [
              { name: "a", order: 1 },
              { name: "b", order: 3 },
            ],
          },
        },
        { rule: "param orders not from 1", property: "params", reason: /orders must start from 1/, inputs: { ...s, params: [{ name: "a", order: 2 }] } },
        { rule: "param names repeated", property: "params", reason: /parameter names must be unique/, inputs: { ...s, params: [{ name: "a" }, { name: "a" }] } },
      ];
    },
  },
  ScriptRun: {
    base: () => ({
      scriptId: "SC2023102521413701c4a8a62",
      scriptVersion: "1.0.0",
      params: [{ name: "a", value: "x", order: 1, sensitive: false }],
      executeUser: "root",
      timeout: 300,
      successRate: 100,
      resourceful: true,
      batches: [{ hosts: [{ resourceId: "i-1", agentSn: "sn-1", projectId: "p1", regionId: "cn-north-4" }], rotationStrategy: "CONTINUE" }],
      triggers: ["t"],
      waitTimeout: 1800,
    }),
    crossField: () => {
      const r = { scriptId: "SC2023102521413701c4a8a62", batches: [{ hosts: [{ resourceId: "i-1", agentSn: "sn-1", projectId: "p1", regionId: "cn-north-4" }] }] };
      return [
        { rule: "param orders not from 1", property: "params", reason: /orders must start from 1/, inputs: { ...r, params: [{ name: "a", value: "", order: 2 }] } },
        {
          rule: "param names repeated",
          property: "params",
          reason: /parameter names must be unique/,
          inputs: {
            ...r,
            params: [
              { name: "a", value: "" },
              { name: "a", value: "" },
            ],
          },
        },
        { rule: "success rate with two decimals", property: "successRate", reason: /one decimal place/, inputs: { ...r, successRate: 99.55 } },
      ];
    },
  },
  ApiTestSuite: {
    base: (env) => suite(env),
    crossField: (env) => [
      {
        rule: "a file that is neither .yaml nor .json",
        property: "filePath",
        reason: /must name a \.yaml or \.json file \(CLOUDTEST\.43400102\)/,
        inputs: suite(env, { filePath: "api/petstore.yml" }),
      },
    ],
  },
  TestPlan: {
    base: (env) => plan(env, "Release 1.0 regression"),
    // Its refinement is about # % & ( ); CloudTest API Reference (CLOUDTEST.00070010) documents no rule against a blank name.
    accepts: ["blank (refinement) at name"],
    setup: async (w) => {
      seedTestCases(w.emu.store, w.account.codeartsProjects[0], 13, [planCase(1), planCase(2)]);
      return {};
    },
    crossField: (env) => [
      { rule: "name with # % & ( )", property: "name", reason: /must not contain # % & \( \)/, inputs: plan(env, "Release (1.0)") },
      {
        rule: "startDate after endDate",
        property: "startDate",
        reason: /startDate must not be after endDate/,
        inputs: plan(env, "p", { startDate: "2026-12-01", endDate: "2026-11-30" }),
      },
      // Each refuse rule changes a plan created under its own name (plan names are unique per project).
      ...(
        [
          ["assignedId", hex("c")],
          ["startDate", "2026-11-02"],
          ["endDate", "2026-12-31"],
          ["serviceIdList", [13]],
        ] as const
      ).map(([key, value]) => ({
        rule: `${key} change`,
        property: key,
        reason: /cannot change: CloudTest has no API to update a plan/,
        existing: plan(env, `refuse ${key}`),
        changed: plan(env, `refuse ${key}`, { [key]: value }),
      })),
      {
        rule: "test case removed",
        property: "testCases",
        reason: /cannot remove .*no API to remove a test case/,
        existing: plan(env, "refuse removal"),
        changed: plan(env, "refuse removal", { testCases: [{ serviceId: 13, ids: [planCase(1)] }] }),
      },
    ],
  },
  VpcepAccessControl: {
    base: () => ({ region: "ap-southeast-3", enterpriseId: "acme_1", vpceps: [{ vpcepId: "vpcep-a1", description: "build agents" }], path: "/v2/vpceps" }),
    crossField: () => [
      {
        rule: "endpoint listed twice",
        property: "vpceps",
        reason: /must not list an endpoint twice/,
        inputs: { region: "r1", vpceps: [{ vpcepId: "vpcep-a1" }, { vpcepId: "vpcep-a1" }] },
      },
    ],
  },
};

/** What the provider says for this property, computed in-process: the host must say the same. */
function asRefusal(kind: KindName, c: BadCase): RefusalCase {
  const parsed = KINDS[kind].schema.safeParse(c.inputs);
  const reason = parsed.success ? undefined : failuresFrom(parsed.error, c.inputs, kind).find((f) => f.property === c.property)?.reason;
  const escaped = (reason ?? "(the schema names another property)").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return { property: c.property, inputs: c.inputs, label: c.rule, reason: new RegExp(`^${escaped}$`) };
}

const isRefuse = (r: CheckRule | RefuseRule): r is RefuseRule => "existing" in r;

let w: World;
let env: Omit<Env, "made">;
/** Per kind: cases generated and hand-written, and how many of them the provider refused as expected (only a passing test adds). */
const counts: Record<string, { generated: number; dropped: number; crossField: number; rejected: number }> = {};

beforeAll(async () => {
  w = await startWorld();
  env = { projectId: w.account.codeartsProjects[0], domainId: w.account.domainId };
});
afterAll(async () => {
  const rows = Object.entries(counts).map(([k, c]) => `| ${k} | ${c.generated} | ${c.crossField} | ${c.rejected} |`);
  const total = Object.values(counts).reduce((s, c) => s + c.rejected, 0);
  const dropped = Object.entries(counts)
    .filter(([, c]) => c.dropped > 0)
    .map(([k, c]) => `${k} ${c.dropped}`);
  console.log(
    [
      "| kind | generated | cross-field | total rejected |",
      "|---|---|---|---|",
      ...rows,
      `| all | | | ${total} |`,
      "",
      `generated cases the schema accepts (dropped): ${dropped.join(", ") || "none"}`,
    ].join("\n"),
  );
  await w.close();
});

test("the registry has exactly one entry per resource kind", () => {
  expect(Object.keys(REGISTRY).sort()).toEqual(Object.keys(KINDS).sort());
});

describe.each(Object.keys(REGISTRY) as KindName[])("%s", (kind) => {
  const entry = REGISTRY[kind];
  let made: Record<string, string> = {};
  let corpus: Corpus;

  beforeAll(async () => {
    made = entry.setup ? await entry.setup(w) : {};
    corpus = generateBadInputs(KINDS[kind].schema, entry.base({ ...env, made }));
    counts[kind] = { generated: 0, dropped: corpus.dropped.length, crossField: 0, rejected: 0 };
  });

  test("the generated cases the schema accepts are exactly the known ones", () => {
    expect(corpus.dropped.map((c) => `${c.rule} at ${c.property}`)).toEqual(entry.accepts ?? []);
  });

  test("every generated bad input is refused at check, naming its property and rule, with zero API calls", async () => {
    counts[kind].generated = corpus.cases.length;
    const problems = await refusedAtCheck(
      w,
      kind,
      corpus.cases.map((c) => asRefusal(kind, c)),
    );
    expect(problems).toEqual([]);
    counts[kind].rejected += corpus.cases.length;
  });

  test("every cross-field rule is refused at check with zero API calls (refine, superRefine, and refused changes)", async () => {
    const rules = entry.crossField({ ...env, made });
    counts[kind].crossField = rules.length;
    const declared = rules.filter((r) => !isRefuse(r)) as CheckRule[];
    const problems = await refusedAtCheck(
      w,
      kind,
      declared.map((r) => ({ property: r.property, reason: r.reason, inputs: r.inputs, label: r.rule })),
    );
    // A refused change needs the resource first; only the second up must make no API call and leave the state as it was.
    for (const [i, r] of rules.filter(isRefuse).entries()) {
      const name = `existing-${i}`;
      const created = await w.engine.up(kind, name, r.existing);
      if (created.op !== "create") problems.push(`${r.rule}: the existing resource was not created (op ${created.op})`);
      const before = w.engine.state.get(w.engine.urn(kind, name));
      const mark = w.emu.log.mark();
      problems.push(...(await refusedChange(kind, name, r)));
      if (w.emu.log.since(mark).length > 0) problems.push(`${r.rule}: ${w.emu.log.since(mark).length} API call(s) for a refused change`);
      if (w.engine.state.get(w.engine.urn(kind, name)) !== before) problems.push(`${r.rule}: the state changed`);
    }
    expect(problems).toEqual([]);
    counts[kind].rejected += rules.length;
  });

  test("the corpus is not empty: at least 5 refused cases", () => {
    expect(counts[kind].rejected).toBeGreaterThanOrEqual(5);
  });
});

async function refusedChange(kind: KindName, name: string, r: RefuseRule): Promise<string[]> {
  const up = await w.engine.up(kind, name, r.changed);
  const failures = up.failures ?? [];
  const problems: string[] = [];
  if (up.op !== "invalid") problems.push(`${r.rule}: not refused (op ${up.op})`);
  if (!failures.some((f) => f.property === r.property && r.reason.test(f.reason)))
    problems.push(`${r.rule}: no failure naming ${r.property} with ${r.reason}; got ${JSON.stringify(failures)}`);
  return problems;
}
