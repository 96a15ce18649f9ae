import { execFile, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { failuresFrom } from "../../provider/dynamic";
import { KINDS, type KindName } from "../../provider/kinds";
import { pythonProgram } from "../harness/generatedCode";
import { REPO_ROOT } from "../harness/host";
import { pythonVenv } from "../harness/pythonVenv";

/**
 * The resource pages' examples in other languages (docs/resources/*.md, "## In other languages"): a YAML
 * program written by hand, and the Python and Go that Pulumi's converters make from it (the path of `pulumi
 * convert --from yaml`, run in-process by the yaml2code tool against schema.json; scripts/generate-examples.js
 * writes them into the pages). Each page's generated blocks are what the converters write now (a changed
 * YAML, schema or converter makes the page stale here); its YAML binds against the schema with no diagnostic,
 * and a misspelt property fails; the Go builds against sdk/go as generated, the Python compiles and names only
 * what sdk/python has, and both, run under Pulumi's mocks, register the YAML's resources with inputs that each
 * kind's own validation accepts, the same in both languages and the same as the page's TypeScript example
 * (the dynamic resources, run under mocks too) declares.
 */
const exec = promisify(execFile);
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain script, shared with `npm run gen:examples`
const gen = require("../../scripts/generate-examples.js") as {
  LANGUAGES: string[];
  SCHEMA: string;
  tool(): string;
  pageFiles(): string[];
  parsePage(text: string, file?: string): { yaml: string; generated: string };
  generatedBlocks(generated: string): Record<string, string>;
  render(yaml: string, bin?: string): string;
};
const MOCKS_DIR = path.join(REPO_ROOT, "tests", "languages", "examples");
const PAGES = gen.pageFiles().map((f) => path.basename(f, ".md"));

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

let bin: string;
let work: string;
beforeAll(() => {
  bin = gen.tool();
  work = fs.mkdtempSync(path.join(os.tmpdir(), "codearts-examples-"));
}, 300000);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const rel = (page: string) => `docs/resources/${page}.md`;
const example = (page: string) => gen.parsePage(fs.readFileSync(path.join(REPO_ROOT, rel(page)), "utf8"), rel(page));
const yaml2code = (yaml: string, lang: string) => spawnSync(bin, [gen.SCHEMA, lang], { input: yaml, encoding: "utf8" });

/** A Go identifier for a page: pipeline-group → examplePipelineGroup. */
const goName = (page: string) => `example${page.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}`;

describe.each(PAGES)("docs/resources/%s.md", (page) => {
  test("shows the YAML example, then the Python and Go generated from it, as the converters write them now (else: npm run gen:examples)", () => {
    const { yaml, generated } = example(page);
    expect(Object.keys(gen.generatedBlocks(generated))).toEqual(gen.LANGUAGES);
    expect(generated).toBe(gen.render(yaml, bin));
  });

  test("its YAML binds against the schema with no diagnostic; with a property misspelt, it does not", () => {
    const { yaml } = example(page);
    for (const lang of gen.LANGUAGES) {
      const ok = yaml2code(yaml, lang);
      expect({ lang, status: ok.status, stderr: ok.stderr }).toEqual({ lang, status: 0, stderr: "" });
    }
    // The first resource's first property, whether its properties are a block or a flow mapping.
    const first = /(properties:\s*\{?\s*)([A-Za-z][A-Za-z0-9]*):/;
    const key = first.exec(yaml)?.[2];
    expect(key).toBeDefined();
    const typo = yaml2code(yaml.replace(first, "$1$2Typo:"), "python");
    expect(typo.status).toBe(1);
    expect(typo.stderr).toContain(`${key}Typo`);
    expect(typo.stdout).toBe("");
  });
});

/** The kind a registration is of: codearts:index:<Kind> (the plugin's SDKs) or pulumi-nodejs:dynamic/codearts:<Kind> (the dynamic resources). */
const kindOf = (type: string): KindName | undefined => {
  const kind = /^(?:codearts:index:|pulumi-nodejs:dynamic\/codearts:)(\w+)$/.exec(type)?.[1];
  return kind && kind in KINDS ? (kind as KindName) : undefined;
};

/** Runs fn in dir, holding the files the registrations upload (a Publisher's iconFile): the reader's, made empty where their project would hold them. */
function inProject<T>(registered: Registered[], dir: string, fn: () => T): T {
  for (const r of registered) {
    if (kindOf(r.type) === "Publisher" && typeof r.inputs.iconFile === "string") {
      fs.mkdirSync(path.dirname(path.join(dir, r.inputs.iconFile)), { recursive: true });
      fs.writeFileSync(path.join(dir, r.inputs.iconFile), "");
    }
  }
  const cwd = process.cwd();
  process.chdir(dir); // the provider resolves a relative iconFile from the program's directory
  try {
    return fn();
  } finally {
    process.chdir(cwd);
  }
}

/** What each kind's validation (its zod schema, as the provider's check applies it) refuses in the registrations. */
function refusals(registered: Registered[], dir: string): string[] {
  return inProject(registered, dir, () =>
    registered.flatMap((r) => {
      const kind = kindOf(r.type);
      if (!kind) return [`${r.name}: ${r.type} is not a kind of the package`];
      const parsed = KINDS[kind].schema.safeParse(r.inputs);
      return parsed.success ? [] : failuresFrom(parsed.error, r.inputs, kind).map((f) => `${r.name}.${f.property} ${f.reason}`);
    }),
  );
}

/** Registrations as their kinds read them: kind, name, and the inputs with the kind's defaults applied (an SDK may send a schema default, a dynamic resource does not). */
function asKindsRead(registered: Registered[], dir: string) {
  return inProject(registered, dir, () =>
    registered.map((r) => {
      const kind = kindOf(r.type);
      const parsed = kind ? KINDS[kind].schema.safeParse(r.inputs) : undefined;
      return { kind: kind ?? r.type, name: r.name, inputs: parsed?.success ? parsed.data : r.inputs };
    }),
  );
}

const byName = <T extends { name: string }>(rs: T[]): T[] => [...rs].sort((a, b) => a.name.localeCompare(b.name));

describe("the generated programs, run under Pulumi's mocks", () => {
  const python: Record<string, Registered[]> = {};
  const go: Record<string, Registered[]> = {};
  const declared: Record<string, Array<{ type: string; name: string }>> = {};

  test("the Python of every page compiles, takes from pulumi_codearts only what sdk/python has, and registers inputs each kind accepts", async () => {
    const venv = pythonVenv();
    const problems: string[] = [];
    for (const page of PAGES) {
      const { yaml, generated } = example(page);
      const dir = path.join(work, "python", page);
      fs.mkdirSync(dir, { recursive: true });
      // Static: py_compile, then every class, keyword, enum member and nested key against the SDK's source.
      const report = await pythonProgram(gen.generatedBlocks(generated).python, dir);
      problems.push(...report.problems.map((p) => `${page}: ${p}`));
      fs.writeFileSync(path.join(dir, "Pulumi.yaml"), yaml);
      const out = await exec(venv, [path.join(MOCKS_DIR, "mocks.py"), path.join(dir, "python", "__main__.py"), path.join(dir, "Pulumi.yaml")], { cwd: dir });
      const run = JSON.parse(out.stdout) as { registered: Registered[]; declared: Array<{ type: string; name: string }> };
      python[page] = run.registered;
      declared[page] = run.declared;
      problems.push(...refusals(run.registered, dir).map((p) => `${page}: ${p}`));
    }
    expect(problems).toEqual([]);
  }, 300000);

  test("the Go of every page builds against sdk/go as generated (CGO off), and registers inputs each kind accepts", async () => {
    const dir = path.join(work, "go");
    const sdk = path.join(REPO_ROOT, "sdk", "go");
    const goVersion = /^go (\S+)$/m.exec(fs.readFileSync(path.join(sdk, "go.mod"), "utf8"))![1];
    fs.mkdirSync(path.join(dir, "mocked"), { recursive: true });
    fs.writeFileSync(path.join(dir, "go.mod"), `module examples\n\ngo ${goVersion}\n\nrequire pulumi-codearts/sdk/go v0.0.0\n\nreplace pulumi-codearts/sdk/go => ${sdk}\n`);
    fs.copyFileSync(path.join(sdk, "go.sum"), path.join(dir, "go.sum"));
    fs.copyFileSync(path.join(MOCKS_DIR, "mocks.go"), path.join(dir, "mocked", "mocks.go"));
    for (const page of PAGES) {
      const program = gen.generatedBlocks(example(page).generated).go;
      fs.mkdirSync(path.join(dir, page));
      fs.writeFileSync(path.join(dir, page, "main.go"), program);
      // The mocked twin: one binary for all pages, each page's main renamed and registered, its pulumi.Run swapped.
      const run = "\tpulumi.Run(func(ctx *pulumi.Context) error {";
      expect(program.split(run).length).toBe(2);
      expect(program.split("\nfunc main() {\n").length).toBe(2);
      const twin = program
        .replace(run, "\trunWithMocks(func(ctx *pulumi.Context) error {")
        .replace("\nfunc main() {\n", `\nfunc init() { examples[${JSON.stringify(page)}] = ${goName(page)} }\n\nfunc ${goName(page)}() {\n`);
      fs.writeFileSync(path.join(dir, "mocked", `${page}.go`), twin);
    }
    const env = { ...process.env, CGO_ENABLED: "0", GOFLAGS: "-mod=mod" };
    const go$ = (args: string[]) =>
      exec("go", args, { cwd: dir, env, maxBuffer: 64 * 1024 * 1024 }).catch((e: { stdout?: string; stderr?: string }) => {
        throw new Error(`go ${args.join(" ")}:\n${e.stdout ?? ""}${e.stderr ?? ""}`);
      });
    await go$(["mod", "tidy"]);
    await go$(["build", "./..."]); // every page's program as generated
    await go$(["build", "-o", path.join(dir, "mocked-bin"), "./mocked"]);
    const problems: string[] = [];
    for (const page of PAGES) {
      const out = await exec(path.join(dir, "mocked-bin"), [page], { cwd: path.join(dir, page) });
      go[page] = JSON.parse(out.stdout) as Registered[];
      problems.push(...refusals(go[page], path.join(dir, page)).map((p) => `${page}: ${p}`));
    }
    expect(problems).toEqual([]);
  }, 1200000); // a cold Go build cache compiles the Pulumi SDK first (several minutes on 2 busy cores)

  test("the YAML declares what the page's TypeScript example declares: the same kinds, names and inputs (the dynamic resources run under mocks)", async () => {
    for (const page of PAGES) {
      const dir = path.join(work, "typescript", page);
      fs.mkdirSync(dir, { recursive: true });
      const out = await exec(process.execPath, [path.join(MOCKS_DIR, "mocks.js"), path.join(REPO_ROOT, rel(page))], { cwd: dir });
      const typescript = JSON.parse(out.stdout) as Registered[];
      expect({ page, resources: byName(asKindsRead(typescript, dir)) }).toEqual({ page, resources: byName(asKindsRead(python[page] ?? [], dir)) });
    }
  }, 300000);

  test("Python and Go register each resource the YAML declares, once, with the same inputs", () => {
    for (const page of PAGES) {
      expect({ page, resources: byName(python[page] ?? []).map(({ type, name }) => ({ type, name })) }).toEqual({ page, resources: byName(declared[page] ?? []) });
      expect({ page, go: byName(go[page] ?? []) }).toEqual({ page, go: byName(python[page]) });
    }
  });
});
