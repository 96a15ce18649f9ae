import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MANIFEST } from "../../provider/pluginPackage";
import { makeZip } from "../../provider/zip";

/** Files for the plug-in package and icon tests, in a fresh temporary folder. */
const dir = mkdtempSync(join(tmpdir(), "codearts-plugin-"));

/** A manifest like the §4.9.30 example's package (basic-CTS 2.3.5), at a given version. */
export function manifest(version: string, inputName = "SHELL_PLUGIN") {
  return {
    type: "Task",
    friendly_name: "Basic plug-in - CTS2",
    version,
    version_description: "Running Shell Commands",
    inputs: [{ name: inputName, type: "input", label: "Single-line Text Box", description: "Sample String", required: true, default_value: "" }],
    outputs: [{ name: "problem", type: "output", description: "Number of recorded problems" }],
    execution: { target: "scripts/test.sh", type: "Shell" },
  };
}

/** Writes a package: a zip with the manifest at its root and the script it names. */
export function packageFile(name: string, m: object = manifest("2.3.5"), script = "echo test\n"): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    makeZip([
      { name: MANIFEST, data: Buffer.from(JSON.stringify(m)) },
      { name: "scripts/test.sh", data: Buffer.from(script) },
    ]),
  );
  return path;
}

/** Writes any bytes (a bare manifest, a too-large file, a non-package). */
export function anyFile(name: string, data: Buffer | string): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

/** A tiny PNG (the signature and an IHDR chunk are all the check looks at). */
export const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489", "hex");
export const iconFile = (name: string, variant = 0): string => anyFile(name, Buffer.concat([PNG, Buffer.from([variant])]));
export const missingFile = (): string => join(dir, "no-such-file.zip");
