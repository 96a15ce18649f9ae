import type { Dialect } from "../dialects";

/**
 * L5: how the service reads back fields the program left unset (§4.1.3 variables, §4.9.17): `null`,
 * `omitted` (the key is absent), or `defaults` (a service default, given per field). The one hook every
 * detail answer of the concerned kinds passes through; `unset` lists the fields the caller did not send.
 */
export function unsetReadBack<T extends Record<string, unknown>>(dialect: Dialect, view: T, unset: readonly string[] | undefined, defaults: Record<string, unknown>): T {
  if (!unset?.length) return view;
  const out: Record<string, unknown> = { ...view };
  for (const k of unset) {
    if (dialect.is("L5", "omitted")) delete out[k];
    else if (dialect.is("L5", "defaults")) out[k] = defaults[k] ?? null;
    else out[k] = null;
  }
  return out as T;
}
