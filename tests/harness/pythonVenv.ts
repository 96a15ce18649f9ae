/**
 * A Python virtualenv with the pinned Pulumi SDK and the committed Python SDK (sdk/python) installed by
 * pip, for the Python language test. Made once per requirement, interpreter and SDK content, in the
 * cache beside the built CLI (a changed SDK gets a new venv); a venv is complete only once its stamp is
 * written, so an interrupted install is redone.
 */
import { execFileSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { installRoot } from "../../cli/pulumiBuild";
import { REPO_ROOT } from "./host";

/** The newest Pulumi Python SDK on PyPI when this was written; the CLI is newer (3.277.0), which it accepts. */
export const PULUMI_PYTHON_REQUIREMENT = "pulumi==3.272.0";
const SDK_DIR = path.join(REPO_ROOT, "sdk", "python");
/** What a build leaves in the SDK's tree (git-ignored there): not part of the SDK. */
const buildOutput = (name: string) => name === "build" || name === "__pycache__" || name.endsWith(".egg-info");

function sdkFiles(dir: string, rel = ""): string[] {
  return fs
    .readdirSync(path.join(dir, rel), { withFileTypes: true })
    .filter((e) => !buildOutput(e.name))
    .flatMap((e) => (e.isDirectory() ? sdkFiles(dir, path.join(rel, e.name)) : [path.join(rel, e.name)]))
    .sort();
}

/** The venv's python, made (python3 -m venv; pip install) when missing. `PYTHON` names another base interpreter. */
export function pythonVenv(log: (s: string) => void = (s) => process.stderr.write(s + "\n")): string {
  const base = process.env.PYTHON ?? "python3";
  const version = execFileSync(base, ["--version"], { encoding: "utf8" }).trim();
  const hash = createHash("sha256").update(`${PULUMI_PYTHON_REQUIREMENT}\n${version}\n`);
  for (const f of sdkFiles(SDK_DIR)) hash.update(`${f}\n`).update(fs.readFileSync(path.join(SDK_DIR, f)));
  const dir = path.join(path.dirname(installRoot()), `python-venv-${hash.digest("hex").slice(0, 12)}`);
  const python = path.join(dir, "bin", "python");
  const stamp = path.join(dir, ".installed");
  if (fs.existsSync(stamp)) return python;
  log(`making ${dir} (${version}, ${PULUMI_PYTHON_REQUIREMENT} and sdk/python)`);
  fs.rmSync(dir, { recursive: true, force: true });
  execFileSync(base, ["-m", "venv", dir], { stdio: ["ignore", "ignore", "inherit"] });
  // pip builds a source tree in place (setuptools writes build/ and *.egg-info into it): build a copy, so the
  // repository stays clean and no stale build/ from an older SDK gets installed.
  const src = path.join(dir, "sdk-python");
  fs.cpSync(SDK_DIR, src, { recursive: true, filter: (p) => !buildOutput(path.basename(p)) });
  execFileSync(python, ["-m", "pip", "install", "--quiet", "--no-input", "--disable-pip-version-check", PULUMI_PYTHON_REQUIREMENT, src], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  fs.writeFileSync(stamp, `${PULUMI_PYTHON_REQUIREMENT}\n${version}\n`);
  return python;
}
