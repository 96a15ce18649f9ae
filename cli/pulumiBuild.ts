import { execFileSync, spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * The real Pulumi CLI, built from source at the version pinned in tools/pulumi-cli/go.mod (the one
 * place the version is written). Release binaries cannot be downloaded on the project's machines;
 * the Go module proxy serves the source. `npm run pulumi-cli` builds it once per version (and go.sum)
 * into a cache outside the work tree and prints the binary's path; the engine tests, the demo and the
 * benchmark find it there.
 *
 *   npm run pulumi-cli            build if needed, print the path
 *   npm run pulumi-cli -- --check print the path if built, else exit 1 (builds nothing)
 *   npm run pulumi-cli -- --tools build the language tests' Go tools beside it (GO_TOOLS), print their paths
 */
const TOOLS_DIR = path.join(repoRoot(), "tools", "pulumi-cli");
const CLI_PACKAGE = "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi";

function repoRoot(): string {
  // This file runs from cli/ (ts-jest) or dist/cli/ (built).
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "package.json")) || path.basename(dir) === "dist") dir = path.dirname(dir);
  return dir;
}

/** The pinned version: pkg/v3's requirement in the tools module. */
export function pinnedVersion(): string {
  const mod = fs.readFileSync(path.join(TOOLS_DIR, "go.mod"), "utf8");
  const m = mod.match(/github\.com\/pulumi\/pulumi\/pkg\/v3 (v\d+\.\d+\.\d+)/);
  if (!m) throw new Error("tools/pulumi-cli/go.mod does not require github.com/pulumi/pulumi/pkg/v3 at a release version");
  return m[1];
}

export function cacheRoot(): string {
  return process.env.PULUMI_CODEARTS_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "pulumi-codearts");
}

/** Where this version's install lives: `<root>/bin/pulumi`, the layout `PulumiCommand.get({ root })` expects. */
export function installRoot(): string {
  const sum = createHash("sha256")
    .update(fs.readFileSync(path.join(TOOLS_DIR, "go.sum")))
    .digest("hex")
    .slice(0, 12);
  return path.join(cacheRoot(), `pulumi-${pinnedVersion()}-${sum}`);
}

export function cliPath(): string {
  return path.join(installRoot(), "bin", "pulumi");
}

/** The built CLI's path, or undefined when `npm run pulumi-cli` has not run for the pinned version. */
export function builtCli(): string | undefined {
  if (!fs.existsSync(path.join(TOOLS_DIR, "go.mod"))) return undefined; // an installed package: no tools module, nothing built
  const bin = cliPath();
  return fs.existsSync(bin) ? bin : undefined;
}

function dirSize(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += dirSize(p);
    else if (e.isFile()) total += fs.statSync(p).size;
  }
  return total;
}

/** Builds the CLI (CGO off, the release's tags, version stamped) into a temporary file, then moves it into place. */
export function buildCli(log: (s: string) => void = (s) => process.stderr.write(s + "\n")): string {
  const existing = builtCli();
  if (existing) return installPluginScript(existing);
  const version = pinnedVersion();
  const go = spawnSync("go", ["version"], { encoding: "utf8" });
  if (go.status !== 0) throw new Error("the Pulumi CLI is built from source with Go: `go` was not found on PATH (install Go 1.26 or newer)");
  const bin = cliPath();
  fs.mkdirSync(path.dirname(bin), { recursive: true });
  const tmp = `${bin}.tmp-${process.pid}`;
  log(`building pulumi ${version} from source (${go.stdout.trim()}); the first build takes several minutes`);
  const started = Date.now();
  execFileSync(
    "go",
    ["build", "-trimpath", "-tags", "osusergo,grpcnotrace", "-ldflags", `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${version}`, "-o", tmp, CLI_PACKAGE],
    { cwd: TOOLS_DIR, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, CGO_ENABLED: "0", GOFLAGS: "-mod=readonly" } },
  );
  fs.renameSync(tmp, bin);
  installPluginScript(bin);
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  log(`built in ${seconds} s; ${path.dirname(bin)} holds ${(dirSize(installRoot()) / 2 ** 20).toFixed(1)} MiB`);
  return bin;
}

/**
 * The dynamic-provider plugin script beside the binary, as the release archives ship it: the engine
 * then finds it next to itself instead of on PATH (where it warns, and where none may be).
 */
function installPluginScript(bin: string): string {
  const script = path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json")), "pulumi-resource-pulumi-nodejs");
  const target = path.join(path.dirname(bin), "pulumi-resource-pulumi-nodejs");
  fs.copyFileSync(script, target);
  fs.chmodSync(target, 0o755);
  return bin;
}

/**
 * Go tools the language tests build beside the CLI, each from a tools module of its own (so its
 * requirements never move the CLI's pin), rebuilt when that module's go.mod, go.sum or Go sources
 * change (a stamp file beside the binary records them):
 * - `pulumi-language-yaml`, the YAML language host (github.com/pulumi/pulumi-yaml at the version
 *   tools/pulumi-yaml/go.mod pins): beside the CLI the engine finds it without a PATH warning;
 * - `pulumi-codearts-codegen` (tools/pulumi-codegen): the plugin's schema checked with pkg/v3's schema
 *   package and Pulumi's code generators run on it, at the CLI's own version;
 * - `pulumi-codearts-codegen-java` (tools/pulumi-codegen-java): the Java SDK generator
 *   (github.com/pulumi/pulumi-java/pkg), with the older pkg/v3 it was released against;
 * - `pulumi-codearts-codegen-dotnet` (tools/pulumi-codegen-dotnet): the .NET SDK generator
 *   (github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3), likewise;
 * - `pulumi-codearts-yaml2code` (tools/pulumi-yaml/yaml2code): `pulumi convert --from yaml` in-process
 *   (pulumi-yaml's converter, pkg/v3's program generators), for the resource pages' examples.
 * A tool built from a sub-directory of its module (`pkg: "./dir"`) is also rebuilt when that directory's sources change.
 * Nothing looks for the generators beside the CLI, so they are kept under tools/, one binary per stamp:
 * work trees with different sources each keep their own instead of rebuilding over one another's.
 */
export const GO_TOOLS = {
  yaml: { dir: "pulumi-yaml", pkg: "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml", bin: "pulumi-language-yaml", besideCli: true },
  codegen: { dir: "pulumi-codegen", pkg: ".", bin: "pulumi-codearts-codegen", besideCli: false },
  codegenJava: { dir: "pulumi-codegen-java", pkg: ".", bin: "pulumi-codearts-codegen-java", besideCli: false },
  codegenDotnet: { dir: "pulumi-codegen-dotnet", pkg: ".", bin: "pulumi-codearts-codegen-dotnet", besideCli: false },
  yaml2code: { dir: "pulumi-yaml", pkg: "./yaml2code", bin: "pulumi-codearts-yaml2code", besideCli: false },
} as const;
export type GoTool = keyof typeof GO_TOOLS;

function toolStamp(tool: GoTool): string {
  const { dir: module, pkg } = GO_TOOLS[tool];
  const dir = path.join(repoRoot(), "tools", module);
  const goFiles = (sub: string) =>
    fs
      .readdirSync(path.join(dir, sub))
      .filter((f) => f.endsWith(".go"))
      .sort()
      .map((f) => path.join(sub, f));
  // A sub-directory package's sources count too; the other tools' stamps stay as they were (no needless rebuilds).
  const sub = pkg.startsWith("./") ? pkg.slice(2) : "";
  const hash = createHash("sha256");
  for (const f of ["go.mod", "go.sum", ...goFiles(""), ...(sub ? goFiles(sub) : [])]) hash.update(f).update(fs.readFileSync(path.join(dir, f)));
  return hash.digest("hex").slice(0, 12);
}

/** Where a tool's binary goes: beside the CLI (its stamp in a .stamp file), or under tools/ with its stamp in its name. */
function toolPath(tool: GoTool): string {
  const { bin, besideCli } = GO_TOOLS[tool];
  return besideCli ? path.join(installRoot(), "bin", bin) : path.join(installRoot(), "tools", `${bin}-${toolStamp(tool)}`);
}

/** A tool's binary when built for its module's current go.mod, go.sum and sources, else undefined. */
export function builtTool(tool: GoTool): string | undefined {
  const bin = toolPath(tool);
  if (!GO_TOOLS[tool].besideCli) return fs.existsSync(bin) ? bin : undefined;
  try {
    return fs.readFileSync(`${bin}.stamp`, "utf8").trim() === toolStamp(tool) && fs.existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

export function buildTool(tool: GoTool, log: (s: string) => void = (s) => process.stderr.write(s + "\n")): string {
  const existing = builtTool(tool);
  if (existing) return existing;
  const { dir, pkg, bin: name } = GO_TOOLS[tool];
  const bin = toolPath(tool);
  fs.mkdirSync(path.dirname(bin), { recursive: true });
  const tmp = `${bin}.tmp-${process.pid}`;
  log(`building ${name} from tools/${dir} (the first build takes a minute or two)`);
  const started = Date.now();
  execFileSync("go", ["build", "-trimpath", "-ldflags", "-s -w", "-o", tmp, pkg], {
    cwd: path.join(repoRoot(), "tools", dir),
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, CGO_ENABLED: "0", GOFLAGS: "-mod=readonly" },
  });
  fs.renameSync(tmp, bin);
  if (GO_TOOLS[tool].besideCli) fs.writeFileSync(`${bin}.stamp`, toolStamp(tool) + "\n");
  log(`built ${name} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return bin;
}

/** `pulumi version` of a binary, e.g. "v3.277.0". */
export function versionOf(bin: string): string {
  return execFileSync(bin, ["version"], { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } }).trim();
}

if (require.main === module) {
  try {
    if (process.argv.includes("--tools")) {
      // The language tests' Go tools beside the CLI (which must be built): built if needed, their paths printed.
      if (!builtCli()) throw new Error(`pulumi ${pinnedVersion()} is not built; run \`npm run pulumi-cli\` first`);
      for (const tool of Object.keys(GO_TOOLS) as GoTool[]) {
        const bin = process.argv.includes("--check") ? builtTool(tool) : buildTool(tool);
        if (!bin) throw new Error(`${GO_TOOLS[tool].bin} is not built; run \`node dist/cli/pulumiBuild.js --tools\``);
        process.stdout.write(bin + "\n");
      }
    } else if (process.argv.includes("--check")) {
      const bin = builtCli();
      if (!bin) {
        process.stderr.write(`pulumi ${pinnedVersion()} is not built; run \`npm run pulumi-cli\`\n`);
        process.exit(1);
      }
      process.stdout.write(bin + "\n");
    } else {
      const bin = buildCli();
      process.stderr.write(`${versionOf(bin)}\n`);
      process.stdout.write(bin + "\n");
    }
  } catch (e) {
    process.stderr.write(`pulumi-cli: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
