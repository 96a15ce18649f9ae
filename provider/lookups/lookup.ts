import { z } from "zod";
import { ApiClient } from "../client";
import { loadSettings, Settings } from "../config";
import { failuresFrom, type Context } from "../dynamic";
import type { KindName } from "../kinds";
import { LookupArgsError } from "./errors";

export { LookupArgsError, LookupMatchError } from "./errors";

/**
 * A look-up: a read-only question to the service, answered without owning anything (no state, no
 * resource). Declarative like a kind: the arguments as a zod schema (what the SDK's functions take, the
 * plugin's invokes check and schema.json's `functions` declare), the outputs (a kind's, or a schema of
 * their own), and `run`, which asks through the kinds' own reads and listings.
 */
export interface Lookup<A extends z.ZodType<Record<string, unknown>> = z.ZodType<Record<string, unknown>>> {
  /** The function's name: `getPipelineGroup`; the plugin's token is `codearts:index:<name>`. */
  name: string;
  /** What it answers, for the schema and the SDKs (the first sentence is the summary). */
  description: string;
  args: A;
  /** The kind whose outputs it answers (plus `id`), or the schema of its own outputs. */
  returns: { kind: KindName; unseen?: readonly string[] } | { outputs: z.ZodObject };
  run(ctx: Context, args: z.output<A>): Promise<Record<string, unknown>>;
}

/**
 * A look-up with the TypeScript types of its arguments (as a program writes them) and of its answer, for
 * the SDK's typed functions; the types only, derived from the schema and the kind's outputs.
 */
export interface TypedLookup<In, Out> extends Lookup {
  readonly __types?: { in: In; out: Out };
}
export type LookupArgs<L> = L extends TypedLookup<infer I, unknown> ? I : never;
export type LookupResult<L> = L extends TypedLookup<unknown, infer O> ? O : never;

/** The arguments parsed by the look-up's schema, or a LookupArgsError naming each bad property. */
export function parseArgs<A extends z.ZodType<Record<string, unknown>>>(lookup: Lookup<A>, raw: unknown): z.output<A> {
  const parsed = lookup.args.safeParse(raw ?? {});
  if (!parsed.success) throw new LookupArgsError(lookup.name, failuresFrom(parsed.error, raw, lookup.name));
  return parsed.data;
}

/** How a plain call runs a look-up: the settings given, else the provider's environment and stack config. */
export interface LookupCallOptions {
  settings?: Settings;
}

/** One look-up on a client of its own, closed afterwards (the plain SDK functions). */
export async function runLookup<A extends z.ZodType<Record<string, unknown>>>(lookup: Lookup<A>, raw: unknown, settings: Settings): Promise<Record<string, unknown>> {
  const args = parseArgs(lookup, raw);
  const client = new ApiClient(settings);
  try {
    return await lookup.run({ client, settings, log: (m) => console.error(m) }, args);
  } finally {
    await client.close();
  }
}

/** The settings of a plain call: given, else from `config` (e.g. the stack's huaweicloud:* keys) and the environment. */
export function settingsFor(opts: LookupCallOptions | undefined, config: (key: string) => string | undefined = () => undefined): Settings {
  return opts?.settings ?? loadSettings(config);
}
