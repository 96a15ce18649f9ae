import type { z } from "zod";
import { Glue, makeProvider, ResourceKind } from "./dynamic";
import { KINDS } from "./kinds";
import { redactor } from "./redaction";
import { Sessions } from "./sessions";

/**
 * Entry point loaded at call time by the `__provider` shim (sdk/provider.ts) inside the
 * dynamic-provider host. One process serves many resources of many kinds, concurrently; settings
 * and HTTP clients come from the stack config that `configure` receives (see sessions.ts for why
 * configure may arrive at any time).
 */
export const PROTOCOL = 2;
type Method = "check" | "diff" | "create" | "read" | "update" | "delete";

const sessions = new Sessions();
/** Any kind, as the registry hands it out (each kind's own schema and outputs are checked where it is defined). */
export type AnyKind = ResourceKind<z.ZodObject, Record<string, unknown>>;

export async function configure(req: { config: { get(key: string): string | undefined } }): Promise<void> {
  sessions.configure((k) => req.config.get(k));
}

export function kindNamed(kind: string): AnyKind {
  // Each kind is typed by its own schema; the glue needs only the common shape.
  const def = (KINDS as unknown as Record<string, AnyKind | undefined>)[kind];
  if (!def) throw new Error(`pulumi-codearts: unknown resource kind "${kind}"; is the installed package older than the program?`);
  return def;
}

/**
 * Protocol 2 (sdk/provider.ts): one shim function for the methods that only observe, one for those
 * that change, each called with the host's arguments; the method follows from their shapes, which
 * the dynamic-provider host fixes (`@pulumi/pulumi/cmd/dynamic-provider`): configure({ config }),
 * check(olds, news), read(id, props), diff(id, olds, news); create(inputs), delete(id, props),
 * update(id, olds, news). Inputs and props always carry `__provider`; configure's request never does.
 */
export async function shim(protocol: number, kind: string, group: 0 | 1, args: unknown[]): Promise<unknown> {
  if (protocol !== PROTOCOL) throw unknownProtocol(protocol);
  const method = methodOf(group, args);
  if (method === "configure") return configure(args[0] as Parameters<typeof configure>[0]);
  return run(kind, method, args);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function methodOf(group: 0 | 1, a: unknown[]): Method | "configure" {
  const [first] = a;
  const shape = a.map((v) => (typeof v === "string" ? "s" : isObject(v) ? "o" : "?")).join("");
  const carriesProvider = isObject(first) && "__provider" in first;
  if (group === 0) {
    if (shape === "o" && !carriesProvider && isObject(first) && "config" in first) return "configure";
    if (shape === "oo") return "check";
    if (shape === "so") return "read";
    if (shape === "soo") return "diff";
  } else {
    if (shape === "o" && carriesProvider) return "create";
    if (shape === "so") return "delete";
    if (shape === "soo") return "update";
  }
  // Only a host that calls providers differently gets here: refuse rather than guess.
  throw new Error(
    `pulumi-codearts: the dynamic-provider host called the provider in an unknown way (${group === 0 ? "observe" : "change"}(${shape})); this package supports @pulumi/pulumi 3.x hosts`,
  );
}

/** Protocol 1: the shim of 0.1.0 (one function per method), still stored in existing stacks' state. */
export async function dispatch(protocol: number, kind: string, method: Method, ...args: unknown[]): Promise<unknown> {
  if (protocol !== 1) throw unknownProtocol(protocol);
  return run(kind, method, args);
}

/**
 * Protocol 3 (sdk/provider.ts `providerText`): the stored text names the kind and asks for its
 * provider here, so the state holds no serialized closures (about 90 bytes instead of 870, twice per
 * resource: the engine writes the whole state after every step).
 */
export const KIND_PROTOCOL = 3;
type KindProvider = Record<Method | "configure", (...a: unknown[]) => Promise<unknown>>;

// Not cached here: the host makes one per distinct `__provider` text, so one per kind already.
export function kindProvider(protocol: number, kind: string): KindProvider {
  if (protocol !== KIND_PROTOCOL) throw unknownProtocol(protocol);
  const method =
    (m: Method) =>
    (...a: unknown[]) =>
      run(kind, m, a);
  return {
    configure: (req) => configure(req as Parameters<typeof configure>[0]),
    check: method("check"),
    diff: method("diff"),
    read: method("read"),
    create: method("create"),
    update: method("update"),
    delete: method("delete"),
  };
}

const unknownProtocol = (protocol: number) =>
  new Error(`pulumi-codearts: state written by shim protocol ${protocol}, this package speaks ${KIND_PROTOCOL} (and 1, ${PROTOCOL}); install a matching version`);

function run(kind: string, method: Method, args: unknown[]): Promise<unknown> {
  return runOn(sessions, kind, method, args);
}

/**
 * One operation of one kind through the glue, on a session of `on` (each front door keeps its own:
 * the dynamic provider's here, the plugin's in provider/plugin), its errors through the one redaction.
 */
export async function runOn(on: Sessions, kind: string, method: keyof Glue, args: unknown[]): Promise<unknown> {
  // The provider object is per call: it holds this call's lease on the session, nothing else.
  const lease = on.lease();
  try {
    const provider: Glue = makeProvider(kindNamed(kind), lease.context);
    const fn = provider[method] as ((...a: unknown[]) => Promise<unknown>) | undefined;
    if (!fn) throw new Error(`pulumi-codearts: ${kind} has no ${method}`);
    return await fn(...args);
  } catch (e) {
    throw scrub(e);
  } finally {
    lease.release();
  }
}

/**
 * Errors leave the provider through the one redaction: message, stack and every enumerable property
 * (`reasons` and `properties`, which the engine stores in the state as init errors and outputs;
 * `cause`, `body`), without any configured secret or issued token.
 */
function scrub(e: unknown): unknown {
  return redactor.error(e);
}

export { ApiClient } from "./client";
export { loadSettings } from "./config";
export type { Settings } from "./config";
export { ApiError, NetworkError, ConfigError } from "./errors";
