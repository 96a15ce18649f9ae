/**
 * Code Pulumi's program generators write for the package (`pulumi-codearts-codegen definitions`: what
 * `pulumi import` writes inside a language host), compiled against the SDKs its generators make from
 * schema.json, and read back: TypeScript and Go are run under Pulumi's mocks (no engine; each resource's
 * registration recorded: its inputs and `protect`), Python is compiled and read statically
 * (tests/harness/pythonProgram.py: no `pulumi` package needed).
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import { buildTool, builtTool, cacheRoot } from "../../cli/pulumiBuild";
import { REPO_ROOT } from "./host";

const exec = promisify(execFile);
export const SCHEMA = path.join(REPO_ROOT, "schema.json");
/**
 * The Node.js SDK the generator writes needs @pulumi/pulumi >= 3.269, newer than this repository's lock
 * (which stays as it is): installed once into the cache, keyed by version. The CLI's own 3.277.0 is not
 * on the npm registry; 3.276.0 is the newest it serves.
 */
export const NODE_SDK_VERSION = "3.276.0";

/** A resource as the program registered it. */
export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  protect: boolean;
}

/** The codegen tool, built if its sources changed. */
export function codegenTool(): string {
  return builtTool("codegen") ?? buildTool("codegen");
}

/** Runs a command; on failure, an error carrying everything it printed (a compiler's messages). */
async function run(file: string, args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<string> {
  try {
    const { stdout } = await exec(file, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`${path.basename(file)} ${args.join(" ")} failed:\n${stdout ?? ""}${stderr ?? ""}`, { cause: e });
  }
}

/** `codegen definitions SCHEMA LANG INPUT NAME...`: the code for these resources of INPUT (a file). */
export function definitions(lang: "nodejs" | "python" | "go" | "pcl", input: string, names: string[] = []): Promise<string> {
  return run(codegenTool(), ["definitions", SCHEMA, lang, input, ...names]);
}

/** node_modules holding @pulumi/pulumi at `version` (and its dependencies), installed into the cache once. */
export async function nodePulumi(version = NODE_SDK_VERSION): Promise<string> {
  const dir = path.join(cacheRoot(), `node-pulumi-${version}`);
  const installed = (d: string) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(d, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")).version === version;
    } catch {
      return false;
    }
  };
  if (!installed(dir)) {
    const tmp = `${dir}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    fs.writeFileSync(path.join(tmp, "package.json"), JSON.stringify({ private: true }));
    await run("npm", ["install", "--ignore-scripts", "--no-audit", "--no-fund", "--no-package-lock", `@pulumi/pulumi@${version}`], { cwd: tmp });
    if (!installed(dir)) {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.renameSync(tmp, dir);
    } else fs.rmSync(tmp, { recursive: true, force: true }); // another process got there first
  }
  return path.join(dir, "node_modules");
}

function link(target: string, at: string): void {
  fs.mkdirSync(path.dirname(at), { recursive: true });
  fs.symlinkSync(target, at);
}

const TSC = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");

/** Records each registration (type, name, inputs, protect) and answers the id `ids` gives the name; prints them as JSON at exit. */
const NODE_MOCKS = `
const pulumi = require("@pulumi/pulumi");
const [program, ids] = [process.argv[2], JSON.parse(process.argv[3])];
const registered = [];
const protect = {};
// Secret inputs reach the mocks wrapped: recorded as the values the program wrote.
const SIG = "4dabf18193072939515e22adb298388d";
const plain = (v) => Array.isArray(v) ? v.map(plain) : v && typeof v === "object" ? (SIG in v ? plain(v.value) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))) : v;
pulumi.runtime.setMocks({
  newResource: (a) => { registered.push({ type: a.type, name: a.name, inputs: plain(a.inputs) }); return { id: ids[a.name] ?? a.name + "-id", state: a.inputs }; },
  call: (a) => a.inputs,
}, "imported", "dev", false);
// The mocks see no options: the request the SDK sends says whether the resource is protected.
const monitor = pulumi.runtime.getMonitor();
const register = monitor.registerResource.bind(monitor);
monitor.registerResource = (req, cb) => { protect[req.getName()] = req.getProtect(); return register(req, cb); };
require(program);
process.once("beforeExit", () => process.stdout.write(JSON.stringify(registered.map((r) => ({ ...r, protect: protect[r.name] === true })))));
`;

/**
 * TypeScript: the Node.js SDK generated from the schema and built as it would be published (tsc, then its
 * package.json into bin/), the program compiled against it as `pulumi new typescript` sets a project up
 * (strict), then run under mocks answering `ids`.
 */
export async function typescriptProgram(program: string, work: string, ids: Record<string, string>): Promise<Registered[]> {
  const modules = await nodePulumi();
  const root = path.join(work, "typescript");
  await run(codegenTool(), ["sdk", SCHEMA, root, "nodejs"]);
  const sdk = path.join(root, "nodejs");
  const pkg = JSON.parse(fs.readFileSync(path.join(sdk, "package.json"), "utf8"));
  // The publishing step's substitution: the SDK reports its version to the engine.
  pkg.version = JSON.parse(fs.readFileSync(SCHEMA, "utf8")).version;
  fs.writeFileSync(path.join(sdk, "package.json"), JSON.stringify(pkg, null, 2));
  link(path.join(modules, "@pulumi", "pulumi"), path.join(root, "node_modules", "@pulumi", "pulumi"));
  link(path.join(modules, "@types", "node"), path.join(root, "node_modules", "@types", "node"));
  await run(process.execPath, [TSC, "-p", sdk]);
  fs.copyFileSync(path.join(sdk, "package.json"), path.join(sdk, "bin", "package.json"));
  link(path.join(sdk, "bin"), path.join(root, "node_modules", "@pulumi", "codearts"));

  const dir = path.join(root, "program");
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "index.ts"), program);
  const compilerOptions = {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
  };
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["index.ts"] }, null, 2));
  await run(process.execPath, [TSC, "-p", dir]);
  fs.writeFileSync(path.join(root, "mocks.js"), NODE_MOCKS);
  return JSON.parse(await run(process.execPath, [path.join(root, "mocks.js"), path.join(dir, "bin", "index.js"), JSON.stringify(ids)], { cwd: dir })) as Registered[];
}

/** The mocks for Go: each registration (inputs, and protect from the request the SDK sends) printed as JSON. */
const GO_MOCKS = `package main

import (
	"encoding/json"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

type registered struct {
	Type    string         \`json:"type"\`
	Name    string         \`json:"name"\`
	Inputs  map[string]any \`json:"inputs"\`
	Protect bool           \`json:"protect"\`
}

type mocks struct {
	ids  map[string]string
	seen *[]registered
}

func plain(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return plain(v.SecretValue().Element)
	case v.IsOutput():
		return plain(v.OutputValue().Element)
	case v.IsComputed():
		return "<unknown>"
	case v.IsArray():
		out := []any{}
		for _, e := range v.ArrayValue() {
			out = append(out, plain(e))
		}
		return out
	case v.IsObject():
		out := map[string]any{}
		for k, e := range v.ObjectValue() {
			out[string(k)] = plain(e)
		}
		return out
	case v.IsNull():
		return nil
	}
	return v.V
}

func (m mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	*m.seen = append(*m.seen, registered{args.TypeToken, args.Name, plain(resource.NewObjectProperty(args.Inputs)).(map[string]any), args.RegisterRPC.GetProtect()})
	id, ok := m.ids[args.Name]
	if !ok {
		id = args.Name + "-id"
	}
	return id, args.Inputs, nil
}

func (mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) { return args.Args, nil }

// runWithMocks stands in for pulumi.Run: the program's body against mocks answering the ids given as argument.
func runWithMocks(body pulumi.RunFunc) {
	m := mocks{ids: map[string]string{}, seen: &[]registered{}}
	if err := json.Unmarshal([]byte(os.Args[1]), &m.ids); err != nil {
		panic(err)
	}
	if err := pulumi.RunErr(body, pulumi.WithMocks("imported", "dev", m)); err != nil {
		os.Stderr.WriteString(err.Error() + "\\n")
		os.Exit(1)
	}
	_ = json.NewEncoder(os.Stdout).Encode(*m.seen)
}
`;

/**
 * Go: the program in a module of its own that uses the committed SDK (sdk/go, by a replace), built as
 * written (CGO off), and built again with pulumi.Run swapped for mocks answering `ids`, then run.
 */
export async function goProgram(program: string, work: string, ids: Record<string, string>): Promise<Registered[]> {
  const dir = path.join(work, "go");
  const sdk = path.join(REPO_ROOT, "sdk", "go");
  const goVersion = /^go (\S+)$/m.exec(fs.readFileSync(path.join(sdk, "go.mod"), "utf8"))![1];
  fs.mkdirSync(path.join(dir, "mocked"), { recursive: true });
  fs.writeFileSync(path.join(dir, "go.mod"), `module imported\n\ngo ${goVersion}\n\nrequire pulumi-codearts/sdk/go v0.0.0\n\nreplace pulumi-codearts/sdk/go => ${sdk}\n`);
  fs.copyFileSync(path.join(sdk, "go.sum"), path.join(dir, "go.sum"));
  fs.writeFileSync(path.join(dir, "main.go"), program);
  if (!program.includes("\tpulumi.Run(func(ctx *pulumi.Context) error {")) throw new Error("the Go program does not call pulumi.Run as generated programs do");
  fs.writeFileSync(path.join(dir, "mocked", "main.go"), program.replace("\tpulumi.Run(func(ctx *pulumi.Context) error {", "\trunWithMocks(func(ctx *pulumi.Context) error {"));
  fs.writeFileSync(path.join(dir, "mocked", "mocks.go"), GO_MOCKS);
  const env = { CGO_ENABLED: "0", GOFLAGS: "-mod=mod" };
  await run("go", ["mod", "tidy"], { cwd: dir, env });
  // Both packages in one command: the program as generated and its mocked twin.
  await run("go", ["build", "-o", path.join(dir, "bin") + path.sep, "./..."], { cwd: dir, env });
  return JSON.parse(await run(path.join(dir, "bin", "mocked"), [JSON.stringify(ids)])) as Registered[];
}

/** What tests/harness/pythonProgram.py reads from a Python program. */
export interface PythonReport {
  resources: Array<{ variable: string; kind: string; name: string; inputs: Record<string, unknown>; protect: boolean | null }>;
  problems: string[];
}

/** Python: compiled (py_compile) and checked against the committed SDK (sdk/python) read as source. */
export async function pythonProgram(program: string, work: string): Promise<PythonReport> {
  const dir = path.join(work, "python");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "__main__.py");
  fs.writeFileSync(file, program);
  const out = await run("python3", [path.join(__dirname, "pythonProgram.py"), file, path.join(REPO_ROOT, "sdk", "python", "pulumi_codearts")]);
  return JSON.parse(out) as PythonReport;
}
