import * as fs from "fs";
import * as path from "path";
import { DEFAULT_ACCOUNT, startEmulator, type Emulator, type LogEntry } from "../../emulator";
import { ApiClient } from "../../provider/client";
import { clientSettings } from "../../emulator";
import { makeProvider } from "../../provider/dynamic";
import { KINDS } from "../../provider/kinds";
import { byName, disagreements, isSecret, KINDS_IN_PROGRAM, mutating, P, P2, pluginConfig, programConfig, secretsWith } from "../harness/languagePrograms";
import { outOfBand } from "../harness/recordEvents";
import { changes, CliStack, PLUGIN_DIR, type CliRun } from "../harness/cliStack";

/**
 * A YAML program through the real Pulumi CLI (built from source, with the YAML language host built
 * beside it) and the resource-provider plugin pulumi-resource-codearts, against the emulator: the
 * package's kinds by type token (codearts:index:<Kind>), configured from stack config in the codearts:
 * namespace (secretKey a secret) and, for a second account, by an explicit provider resource. In
 * order: preview (no API call), up, up again (nothing to do), a change whose preview names the changed
 * properties (the plugin's detailed diff), an out-of-band rename that refresh records and up puts back,
 * `pulumi import` of a group and (in bulk, --file) a rule made outside the program, after which up has
 * nothing to do, the refusal to import a VPCEP access control, and destroy. After each, the emulator
 * holds what `pulumi stack export` claims, and no secret is in the export in clear.
 */
const DEPLOY_TOKEN = "s3cret-deploy-token-1";
const SECRETS = secretsWith(DEPLOY_TOKEN);

const PROGRAM = `name: codearts-yaml
runtime: yaml
description: The plugin's kinds from YAML, one account by stack config and one by a provider resource.
plugins:
  providers:
    - name: codearts
      path: ${PLUGIN_DIR}
config:
  projectId:
    type: string
  teamName:
    type: string
    default: Platform
  layout:
    type: string
    default: gate-v1
  deployToken:
    type: string
    secret: true
  emulatorUrl:
    type: string
  secondAccessKey:
    type: string
  secondSecretKey:
    type: string
    secret: true
  secondDomainId:
    type: string
  secondIamProjectId:
    type: string
  secondProjectId:
    type: string
outputs:
  teamId: \${team.id}
  gateId: \${gate.id}
resources:
  second:
    type: pulumi:providers:codearts
    properties:
      region: cn-north-4
      accessKey: \${secondAccessKey}
      secretKey: \${secondSecretKey}
      domainId: \${secondDomainId}
      projectId: \${secondIamProjectId}
      endpoints:
        "*": \${emulatorUrl}
  team:
    type: codearts:index:PipelineGroup
    properties:
      projectId: \${projectId}
      name: \${teamName}
  passRate:
    type: codearts:index:Rule
    properties:
      name: test pass rate
      type: Gate
      layoutContent: \${layout}
      content:
        - groupName: g
          properties:
            - key: k
              name: n
              type: judge
              operator: ">="
              valueType: float
              value: "0.8"
  gate:
    type: codearts:index:RuleSet
    properties:
      name: release gate
      rules:
        - id: \${passRate.id}
  deploy:
    type: codearts:PipelineGroup
    properties:
      projectId: \${projectId}
      name: deploy-\${teamName}
      parentId: \${team.id}
  deployScript:
    type: codearts:index:Script
    properties:
      name: yaml_deploy
      description: deploys the release
      type: SHELL
      content: ./deploy.sh "$token"
      riskLevel: LOW
      version: "1"
      params:
        - name: token
          value: \${deployToken}
          sensitive: true
  regression:
    type: codearts:index:TestPlan
    properties:
      projectId: \${projectId}
      name: regression
      endDate: "2026-12-31"
      serviceIdList: [1]
  elsewhere:
    type: codearts:index:PipelineGroup
    properties:
      projectId: \${secondProjectId}
      name: \${teamName}
    options:
      provider: \${second}
`;

let emu: Emulator;
let stack: CliStack;
/** Objects the state need not claim: test plans CloudTest cannot delete, once claimed. */
const forgotten = new Set<string>();

beforeAll(async () => {
  emu = await startEmulator({ port: 0, quiet: true });
  stack = await CliStack.create({
    project: PROGRAM,
    config: {
      ...pluginConfig(emu),
      ...programConfig("codearts-yaml", emu, DEPLOY_TOKEN),
    },
  });
});
afterAll(async () => {
  await stack?.dispose();
  await emu?.close();
});

async function op(operation: "preview" | "up" | "refresh" | "destroy", expectOk = true): Promise<CliRun & { calls: LogEntry[] }> {
  const mark = emu.log.mark();
  const r = await stack.op(operation);
  if (r.ok !== expectOk) throw new Error(`${operation}: ${r.ok ? "succeeded, expected a failure" : r.stderr || r.stdout}`);
  return { ...r, calls: emu.log.since(mark) };
}

/** The service holds what the stack export claims, kind by kind; no secret in the export in clear. */
async function agrees(): Promise<ReturnType<CliStack["exported"]>> {
  const exported = await stack.exported();
  expect(disagreements(emu, exported, { kinds: KINDS_IN_PROGRAM, forgotten, secrets: SECRETS })).toEqual({ mismatches: [], inClear: [] });
  return exported;
}

/** The properties the engine's events say change for a resource: the plugin's detailed diff, as the engine passed it on. */
function detailedDiff(r: CliRun, name: string): string[] {
  const meta = r.events.map((e) => e.resourcePreEvent?.metadata).find((m) => m && m.urn.endsWith(`::${name}`));
  return Object.keys(meta?.detailedDiff ?? {}).sort();
}

test("preview of a new stack: every resource planned by its type token, no API call", async () => {
  const r = await op("preview");
  expect(r.calls).toEqual([]);
  expect(changes(r.summary)).toEqual({ create: 9 }); // the stack, the explicit provider and seven of the package's resources
  expect(
    r
      .summary!.resources.filter((l) => l.type.startsWith("codearts:index:"))
      .map((l) => l.type)
      .sort(),
  ).toEqual(["PipelineGroup", "PipelineGroup", "PipelineGroup", "Rule", "RuleSet", "Script", "TestPlan"].map((k) => `codearts:index:${k}`));
});

test("up creates them in two accounts; the script's parameters are secret in the state", async () => {
  const r = await op("up");
  expect(r.summary!.result).toBe("succeeded");
  expect(new Set(mutating(r.calls).map((o) => o.split(".")[0]))).toEqual(new Set(KINDS_IN_PROGRAM));
  const { resources } = await agrees();
  expect(isSecret(byName(resources, "deployScript")!.outputs!.params)).toBe(true);
  expect(isSecret(byName(resources, "deployScript")!.inputs!.params)).toBe(true);
  expect(byName(resources, "elsewhere")!.outputs!.projectId).toBe(P2);
  // The default provider's secret key and the explicit one's are secret in their state too.
  const providers = resources.filter((x) => x.type === "pulumi:providers:codearts");
  expect(providers.map((p) => isSecret(p.inputs!.secretKey))).toEqual([true, true]);
  const groups = emu.store.snapshot().pipelineGroups ?? {};
  expect(Object.values(groups[P2] ?? {}).map((g) => (g as { name: string }).name)).toEqual(["Platform"]);
});

test("up again: nothing to do, nothing written", async () => {
  const r = await op("up");
  expect(changes(r.summary)).toEqual({});
  expect(mutating(r.calls)).toEqual([]);
  await agrees();
});

test("a change: the preview names the changed properties (the plugin's detailed diff), the up makes them", async () => {
  await stack.setConfig({ "codearts-yaml:teamName": "Payments", "codearts-yaml:layout": "gate-v2" });
  const preview = await op("preview");
  expect(preview.calls).toEqual([]);
  expect(detailedDiff(preview, "team")).toEqual(["name"]);
  expect(detailedDiff(preview, "elsewhere")).toEqual(["name"]);
  expect(detailedDiff(preview, "passRate")).toEqual(["layoutContent"]);
  expect(preview.summary!.resources.find((l) => l.name === "team")).toMatchObject({ op: "update", changes: ["name"] });
  expect(preview.stdout).toMatch(/~ name\s*: "Platform" => "Payments"/);
  const up = await op("up");
  expect(changes(up.summary)).toEqual({ update: 4 });
  expect([...new Set(mutating(up.calls))].sort()).toEqual(["PipelineGroup.update", "Rule.update"]);
  await agrees();
});

test("refresh records a rename made in the console; the next up puts the name back", async () => {
  outOfBand(
    emu,
    "pipelineGroups",
    (g) => g.name === "Payments" && !g.parent_id && g.project_id !== P2,
    (g) => (g.name = "Payments (renamed in console)"),
  );
  const refresh = await op("refresh");
  expect(mutating(refresh.calls)).toEqual([]);
  expect(refresh.summary!.resources.filter((l) => l.op === "update").map((l) => [l.name, l.changes])).toEqual([["team", ["name"]]]);
  expect(byName((await agrees()).resources, "team")!.outputs!.name).toBe("Payments (renamed in console)");
  const up = await op("up");
  expect(mutating(up.calls)).toEqual(["PipelineGroup.update"]);
  expect(byName((await agrees()).resources, "team")!.outputs!.name).toBe("Payments");
});

describe("pulumi import", () => {
  let client: ApiClient;
  const settings = () => clientSettings(emu, DEFAULT_ACCOUNT);
  /** An object made outside the program (by the same glue, as a console or another tool would). */
  async function madeElsewhere<K extends "PipelineGroup" | "Rule">(kind: K, inputs: Record<string, unknown>): Promise<string> {
    client ??= new ApiClient(settings());
    const glue = makeProvider(KINDS[kind] as never, () => ({ client, settings: settings(), log: () => undefined }));
    return (await glue.create(inputs)).id;
  }
  afterAll(async () => {
    await client?.close();
  });

  test("a pipeline group by `<projectId>/<groupId>` and, in bulk with --file, a rule by its id: adopted; the code it writes, added to the program, leaves up nothing to do", async () => {
    const groupId = await madeElsewhere("PipelineGroup", { projectId: P, name: "made in the console" });
    const ruleId = await madeElsewhere("Rule", {
      tenantId: DEFAULT_ACCOUNT.domainId,
      name: "coverage",
      type: "Gate",
      layoutContent: "l",
      content: [{ groupName: "g", canModifyWhenInherit: true, properties: [{ key: "c", name: "coverage", type: "judge", operator: ">=", valueType: "float", value: "0.7" }] }],
    });
    const mark = emu.log.mark();
    const out1 = path.join(stack.dir, "import-group.yaml");
    const group = await stack.import(["codearts:index:PipelineGroup", "adoptedGroup", `${P}/${groupId}`], out1);
    expect([group.ok, group.stderr]).toEqual([true, ""]);
    const file = path.join(stack.dir, "import.json");
    fs.writeFileSync(file, JSON.stringify({ resources: [{ type: "codearts:index:Rule", name: "adoptedRule", id: ruleId }] }));
    const out2 = path.join(stack.dir, "import-rule.yaml");
    const rule = await stack.import(["--file", file], out2);
    expect([rule.ok, rule.stderr]).toEqual([true, ""]);
    expect(mutating(emu.log.since(mark))).toEqual([]);

    const { resources } = await agrees();
    // Recorded with the id a create records (the group's own id), so references see the same id.
    expect(byName(resources, "adoptedGroup")).toMatchObject({ type: "codearts:index:PipelineGroup", id: groupId, inputs: { projectId: P, name: "made in the console" } });
    expect(byName(resources, "adoptedRule")).toMatchObject({ type: "codearts:index:Rule", id: ruleId });
    const generated = fs.readFileSync(out1, "utf8") + fs.readFileSync(out2, "utf8");
    expect(generated).toContain("type: codearts:PipelineGroup");
    expect(generated).toContain("type: codearts:Rule");

    stack.appendResources(fs.readFileSync(out1, "utf8"));
    stack.appendResources(fs.readFileSync(out2, "utf8"));
    const up = await op("up");
    expect(up.summary!.resources.filter((l) => l.op !== "same").map((l) => [l.name, l.op, l.changes, l.replaces])).toEqual([]);
    expect(mutating(up.calls)).toEqual([]);
    await agrees();
  });

  test("a VPCEP access control cannot be imported: refused, saying there is no read by id", async () => {
    const r = await stack.import(["codearts:index:VpcepAccessControl", "access", "vpceps-cn-north-4-12345678"], path.join(stack.dir, "import-vpcep.yaml"));
    expect(r.ok).toBe(false);
    expect(r.stdout + r.stderr).toContain("VpcepAccessControl cannot be imported: no API reads access records by id");
    const { resources } = await agrees();
    expect(resources.filter((x) => x.type === "codearts:index:VpcepAccessControl")).toEqual([]);
  });
});

test("destroy: every object is gone but the test plan CloudTest cannot delete", async () => {
  const r = await op("destroy");
  expect(r.summary!.result).toBe("succeeded");
  const { resources } = await agrees();
  expect(resources).toEqual([]);
  const left = ["pipelineGroups", "rules", "ruleSets", "cocScripts"].flatMap((c) => Object.values(emu.store.snapshot()[c] ?? {}).flatMap((byId) => Object.keys(byId)));
  expect(left).toEqual([]);
});
