import { execFile } from "child_process";
import * as path from "path";
import { KINDS } from "../provider/kinds";
import { SUITE_REPO } from "./harness/kinds";
import { startWorld, World } from "./support/world";

// The example platform program declares valid inputs for every resource: run it with Pulumi's mocks,
// then put each declared resource through the provider's Check in the real host (zero API calls).
const ROOT = path.resolve(__dirname, "..");
let w: World;

function declaredResources(program: string, config: Record<string, string>): Promise<Array<{ type: string; name: string; inputs: Record<string, unknown> }>> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(__dirname, "support", "mock-run.js"), program, JSON.stringify(config)], { cwd: ROOT }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${err.message}\n${stderr}`));
      resolve(JSON.parse(stdout.trim().split("\n").pop()!));
    });
  });
}

beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w.close());

test("every resource of examples/platform passes check, with no API call", async () => {
  const resources = await declaredResources(path.join(ROOT, "dist/examples/platform/index.js"), {
    "codearts-platform:projectId": w.account.codeartsProjects[0],
    "codearts-platform:teamName": "Platform",
    "codearts-platform:vpcepIds": JSON.stringify(["vpcep-build"]),
    "codearts-platform:apiSpec": JSON.stringify({ repositoryId: SUITE_REPO, branch: "master", path: "api/petstore.yaml" }),
  });
  const kinds = new Set(resources.map((r) => r.type.split(":").pop()));
  console.log(`examples/platform declares ${resources.length} resources of ${kinds.size} kinds: ${[...kinds].join(", ")}`);
  // Every resource kind of the package but ScriptRun (the example configures no hosts for a run).
  expect([...kinds].sort()).toEqual(
    Object.keys(KINDS)
      .filter((k) => k !== "ScriptRun")
      .sort(),
  );
  const mark = w.emu.log.mark();
  for (const r of resources) {
    const step = await w.engine.preview(r.type.split(":").pop()!, r.name, r.inputs);
    expect({ name: r.name, failures: step.failures ?? [] }).toEqual({ name: r.name, failures: [] });
  }
  expect(w.emu.log.since(mark)).toHaveLength(0);
});
