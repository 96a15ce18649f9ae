/**
 * `__provider` texts, made by a plain Node child process (serialize-provider.js) from the built SDK: what
 * the resource classes store, and closures serialized the way @pulumi/pulumi's dynamic.Resource does (inside
 * jest's VM the closure serializer would capture jest's module wrappers and coverage counters).
 *
 * Results are cached per jest worker (not just per test file) in a process-wide registry keyed by
 * what was serialized and that file's mtime, so a rebuilt dist/ is picked up.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "./host";

// Plain JS beside the harness sources (tsc does not copy them into dist/).
const SCRIPT = path.join(REPO_ROOT, "tests", "harness", "serialize-provider.js");
const SHIM = path.join(REPO_ROOT, "dist", "sdk", "provider.js");
const NOOP = path.join(REPO_ROOT, "tests", "harness", "noop-provider.js");

export interface SerializedProvider {
  text: string;
  containsSecrets: boolean;
  bytes: number;
}

// jest gives every test file a fresh module registry and global object, but Node's core modules (and
// the Symbol registry) are shared by the whole worker: hang the cache there.
const REGISTRY = Symbol.for("pulumi-codearts.harness.serializedProviders");
type Cache = Map<string, Promise<SerializedProvider>>;
const holder = require("fs") as { [REGISTRY]?: Cache };
const cache: Cache = (holder[REGISTRY] ??= new Map());

function run(args: string[], source: string): Promise<SerializedProvider> {
  let mtime: number;
  try {
    mtime = fs.statSync(source).mtimeMs;
  } catch {
    return Promise.reject(new Error(`${path.relative(REPO_ROOT, source)} is missing: build first (npx tsc -p tsconfig.build.json)`));
  }
  const key = `${args.join(" ")}@${mtime}`;
  let p = cache.get(key);
  if (!p) {
    p = new Promise<SerializedProvider>((resolve, reject) => {
      execFile(process.execPath, [SCRIPT, ...args], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (err) return reject(new Error(`serialize-provider.js ${args.join(" ")} failed: ${stderr || err.message}`));
        try {
          resolve(JSON.parse(stdout.trim().split("\n").pop()!) as SerializedProvider);
        } catch {
          reject(new Error(`serialize-provider.js ${args.join(" ")} printed no JSON: ${stdout}\n${stderr}`));
        }
      });
    });
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

/** Details (text, containsSecrets, bytes) of the `__provider` the package's resource classes store for a kind. */
export function serializeProvider(kind: string): Promise<SerializedProvider> {
  return run(["kind", kind], SHIM);
}

/** The protocol-2 shim (`dynamicProvider`) serialized as dynamic.Resource serializes it: what stacks written before protocol 3 (unreleased, after 0.1.0) hold. */
export function serializeShim(kind: string): Promise<SerializedProvider> {
  return run(["shim", kind], SHIM);
}

/** `__provider` text the package's resource classes store for a kind (made by a plain-node child process; cached per kind per jest worker). Requires dist/ to be built. */
export async function serializedProvider(kind: string): Promise<string> {
  return (await serializeProvider(kind)).text;
}

/** Details of the no-op provider's serialization. */
export function serializeNoopProvider(): Promise<SerializedProvider> {
  return run(["noop"], NOOP);
}

/** `__provider` text of the no-op provider in noop-provider.js (for the harness self-test and the benchmark floor). */
export async function serializedNoopProvider(): Promise<string> {
  return (await serializeNoopProvider()).text;
}
