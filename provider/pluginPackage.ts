import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { z } from "zod";
import { readZip } from "./zip";

/**
 * A basic plug-in's package (CodeArts Pipeline API Reference §4.9.29 "Plug-in File"). The reference does
 * not say what the file is (ambiguity X9); the provider's choice: a zip archive holding, at its root, the
 * manifest `codearts-extension.json` that declares what §4.9.30 reads back (a package carries its scripts,
 * so it is an archive), or, for a service that takes the manifest alone (X9 `json`), that manifest file.
 */
export const MANIFEST = "codearts-extension.json";

/** The package limit: the file is read into memory, signed whole (AK/SK) and sent in one request; no limit is documented. */
export const PACKAGE_LIMIT = 10 * 1024 * 1024;
/** The icon limit: an icon is a small image; no limit is documented. */
export const ICON_LIMIT = 1024 * 1024;

const text = z.string().nullish();
/** §4.9.30's Table 4-471 (inputs) and 4-474 (outputs): a name each; the other fields as typed there. */
const parameter = z.looseObject({ name: z.string().min(1), type: text, description: text });
/** The manifest: the fields §4.9.30 answers (Table 4-470), `version` needed to read the package back. */
export const packageManifest = z.looseObject({
  type: text,
  name: text,
  friendly_name: text,
  category: text,
  description: text,
  version: z.string().min(1),
  version_description: text,
  inputs: z.array(parameter).nullish(),
  outputs: z.array(parameter).nullish(),
  execution: z.looseObject({ target: text, type: text }).nullish(),
});
export type PackageManifest = z.output<typeof packageManifest>;

/** The manifest a package declares, or why the bytes are not a package (never their content). */
export function manifestOf(bytes: Buffer): { manifest: PackageManifest; form: "zip" | "json" } | { problem: string } {
  const zip = readZip(bytes);
  let raw: Buffer | undefined;
  if (zip) {
    raw = zip.get(MANIFEST)?.();
    if (!raw) return { problem: `a zip without ${MANIFEST} at its root` };
  } else raw = bytes;
  let json: unknown;
  try {
    json = JSON.parse(raw.toString("utf8"));
  } catch {
    return { problem: zip ? `${MANIFEST} is not JSON` : `neither a zip archive nor a JSON manifest` };
  }
  const m = packageManifest.safeParse(json);
  if (!m.success) return { problem: `${MANIFEST} does not declare a version, or its inputs, outputs or execution are malformed` };
  return { manifest: m.data, form: zip ? "zip" : "json" };
}

export const sha256 = (bytes: Buffer): string => createHash("sha256").update(bytes).digest("hex");

const sizeOf = (path: string): number | undefined => {
  try {
    const s = statSync(path);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
};

const MiB = (n: number) => `${n / 1024 / 1024} MiB`;

/** Why a declared package file cannot be uploaded (checked at preview, no API call), or undefined. */
export function packageProblem(path: string): string | undefined {
  const size = sizeOf(path);
  if (size === undefined) return "must name an existing file (the plug-in package to upload)";
  if (size > PACKAGE_LIMIT) return `must be at most ${MiB(PACKAGE_LIMIT)} (the package is read into memory, signed and sent whole)`;
  const m = manifestOf(readFileSync(path));
  return "problem" in m
    ? `must be a plug-in package: a zip with ${MANIFEST} at its root declaring a version, or that manifest alone (ambiguity X9); this is ${m.problem}`
    : undefined;
}

/** Image signatures: PNG, JPEG, GIF, BMP, ICO, WebP; SVG by its root element. */
function isImage(b: Buffer): boolean {
  const starts = (...sig: number[]) => sig.every((x, i) => b[i] === x);
  if (starts(0x89, 0x50, 0x4e, 0x47) || starts(0xff, 0xd8, 0xff) || starts(0x47, 0x49, 0x46, 0x38) || starts(0x42, 0x4d) || starts(0, 0, 1, 0)) return true;
  if (starts(0x52, 0x49, 0x46, 0x46) && b.subarray(8, 12).toString("latin1") === "WEBP") return true;
  return /<svg[\s>]/i.test(b.subarray(0, 1024).toString("utf8"));
}

/** Why a declared icon file cannot be uploaded, or undefined. */
export function iconProblem(path: string): string | undefined {
  const size = sizeOf(path);
  if (size === undefined) return "must name an existing file (the icon to upload)";
  if (size > ICON_LIMIT) return `must be at most ${MiB(ICON_LIMIT)} (an icon is a small image)`;
  return isImage(readFileSync(path)) ? undefined : "must be an image (PNG, JPEG, GIF, BMP, ICO, WebP or SVG)";
}

/** The SHA-256 of a file's content, or undefined when it cannot be read (check has said why). */
export function fileSha256(path: unknown): string | undefined {
  if (typeof path !== "string") return undefined;
  try {
    return sha256(readFileSync(path));
  } catch {
    return undefined;
  }
}
