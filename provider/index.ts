import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { ApiClient } from "./client";
import { loadSettings, redact, Settings } from "./config";
import { Context, makeProvider, ResourceKind } from "./dynamic";
import { KINDS } from "./kinds";

/**
 * Entry point loaded at call time by the `__provider` shim (sdk/provider.ts) inside the
 * dynamic-provider host. One process serves many resources: settings and the HTTP client are
 * per process, built from the stack config that `configure` receives.
 */
export const PROTOCOL = 1;
type Method = "check" | "diff" | "create" | "read" | "update" | "delete";

let settings: Settings | undefined;
let client: ApiClient | undefined;
const providers = new Map<string, pulumi.dynamic.ResourceProvider>();
/** Any kind, as the registry hands it out (each kind's own schema and outputs are checked where it is defined). */
type AnyKind = ResourceKind<z.ZodObject, Record<string, unknown>>;

export async function configure(req: { config: { get(key: string): string | undefined } }): Promise<void> {
  const next = loadSettings((k) => req.config.get(k));
  settings = next;
  const old = client;
  client = undefined;
  await old?.close();
}

function context(): Context {
  settings ??= loadSettings(() => undefined); // an engine that never calls configure: environment only
  client ??= new ApiClient(settings);
  return { client, settings, log: (m) => console.error(redact(m, settings)) };
}

function providerFor(kind: string): pulumi.dynamic.ResourceProvider {
  let p = providers.get(kind);
  if (!p) {
    // Each kind is typed by its own schema; the glue needs only the common shape.
    const def = (KINDS as unknown as Record<string, AnyKind | undefined>)[kind];
    if (!def) throw new Error(`pulumi-codearts: unknown resource kind "${kind}"; is the installed package older than the program?`);
    p = makeProvider(def, context);
    providers.set(kind, p);
  }
  return p;
}

export async function dispatch(protocol: number, kind: string, method: Method, ...args: unknown[]): Promise<unknown> {
  if (protocol !== PROTOCOL) {
    throw new Error(`pulumi-codearts: state written by shim protocol ${protocol}, this package speaks ${PROTOCOL}; install a matching version`);
  }
  const provider = providerFor(kind);
  const fn = provider[method] as ((...a: unknown[]) => Promise<unknown>) | undefined;
  if (!fn) throw new Error(`pulumi-codearts: ${kind} has no ${method}`);
  try {
    return await fn(...args);
  } catch (e) {
    throw scrub(e);
  }
}

/** Errors leave the provider with every configured secret removed from their text. */
function scrub(e: unknown): unknown {
  if (e instanceof Error) {
    e.message = redact(e.message, settings);
    if (e.stack) e.stack = redact(e.stack, settings);
  }
  return e;
}

export { ApiClient } from "./client";
export { loadSettings } from "./config";
export type { Settings } from "./config";
export { ApiError, NetworkError, ConfigError } from "./errors";
