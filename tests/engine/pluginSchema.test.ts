import { CONFIG_KEYS } from "../../provider/config";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { buildTool, builtTool } from "../../cli/pulumiBuild";
import { KINDS } from "../../provider/kinds";
import { realEngineEnv, requireCli } from "../harness/realEngine";
import { REPO_ROOT } from "../harness/host";
import { PLUGIN_DIR } from "../harness/cliStack";

/**
 * The plugin's schema as Pulumi itself takes it (tests/pluginSchema.test.ts checks it against the
 * kinds): the pinned CLI gets it from the plugin (`pulumi package get-schema`), Pulumi's schema package
 * validates it against the metaschema and binds it, and Pulumi's code generators make SDKs from it;
 * the committed Go SDK compiles.
 */
const run = promisify(execFile);
const SCHEMA = path.join(REPO_ROOT, "schema.json");
let tmp: string;
let codegen: string;

beforeAll(() => {
  // npm run test:languages builds it first; built here otherwise (a minute the first time).
  codegen = builtTool("codegen") ?? buildTool("codegen");
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "codearts-schema-"));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

test("`pulumi package get-schema` of the plugin answers schema.json", async () => {
  const home = fs.mkdtempSync(path.join(tmp, "home-"));
  const started = Date.now();
  const { stdout } = await run(requireCli(), ["package", "get-schema", path.join(PLUGIN_DIR, "pulumi-resource-codearts")], {
    env: { ...process.env, ...realEngineEnv(home, path.join(tmp, "backend")) },
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(JSON.parse(stdout)).toEqual(JSON.parse(fs.readFileSync(SCHEMA, "utf8")));
  expect(Date.now() - started).toBeLessThan(30000);
});

test("Pulumi's schema package validates it against the metaschema and binds every reference", async () => {
  const { stdout } = await run(codegen, ["check", SCHEMA]);
  expect(JSON.parse(stdout)).toMatchObject({ name: "codearts", resources: Object.keys(KINDS).length, config: CONFIG_KEYS.length });
});

test("Pulumi's code generators make the Node.js, Python and Go SDKs: a module per kind", async () => {
  const { stdout } = await run(codegen, ["sdk", SCHEMA, tmp, "nodejs", "python", "go"]);
  expect(stdout).toMatch(/nodejs: \d+ files\npython: \d+ files\ngo: \d+ files/);
  const file = (k: string) => k[0].toLowerCase() + k.slice(1);
  const snake = (k: string) => k.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
  for (const kind of Object.keys(KINDS)) {
    expect([kind, fs.existsSync(path.join(tmp, "nodejs", `${file(kind)}.ts`))]).toEqual([kind, true]);
    expect([kind, fs.existsSync(path.join(tmp, "python", "pulumi_codearts", `${snake(kind)}.py`))]).toEqual([kind, true]);
    expect([kind, fs.existsSync(path.join(tmp, "go", "codearts", `${file(kind)}.go`))]).toEqual([kind, true]);
  }
});

test("the committed Go SDK (sdk/go, the generator's output: tests/engine/sdks.test.ts) compiles", async () => {
  await run("go", ["build", "./..."], { cwd: path.join(REPO_ROOT, "sdk", "go"), env: { ...process.env, GOFLAGS: "-mod=readonly", CGO_ENABLED: "0" } });
});
