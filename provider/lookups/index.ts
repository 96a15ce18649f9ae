import type { Sessions } from "../sessions";
import { CLOUDTEST_LOOKUPS } from "./cloudtest";
import { KIND_LOOKUPS } from "./kinds";
import { type Lookup, parseArgs } from "./lookup";

/**
 * Every look-up, by function name: the SDK's functions, the plugin's invokes (`codearts:index:<name>`)
 * and schema.json's `functions` all come from this list.
 */
export const LOOKUPS = { ...KIND_LOOKUPS, ...CLOUDTEST_LOOKUPS };
export type LookupName = keyof typeof LOOKUPS;

export function lookupNamed(name: string): Lookup | undefined {
  return Object.prototype.hasOwnProperty.call(LOOKUPS, name) ? (LOOKUPS as Record<string, Lookup>)[name] : undefined;
}

/** One look-up on a session of `on` (the plugin's: its provider configuration), as runOn runs a kind's operation. */
export async function invokeOn(on: Sessions, lookup: Lookup, raw: unknown): Promise<Record<string, unknown>> {
  const args = parseArgs(lookup, raw);
  const lease = on.lease();
  try {
    return await lookup.run(lease.context(), args);
  } finally {
    lease.release();
  }
}

export { LookupArgsError, LookupMatchError, type Lookup, type LookupArgs, type LookupResult } from "./lookup";
