import type { Dialect } from "../dialects";

/**
 * One page of a positional list: the items from `start`, `limit` of them, and the total. This is the
 * one place ambiguity P3 changes it: nothing promises a stable order or an exact `total` across page
 * requests. Under `shifting`, another writer has inserted an object at the front between two page
 * requests: every page after the first starts one item earlier than asked (it repeats the last item
 * of the page before) and the total is one more than the objects the caller can see. Marker-paged
 * lists (COC scripts) are not affected: a page starts after a marker id, not at a position.
 */
export function listWindow<T>(ctx: { dialect: Dialect }, all: readonly T[], start: number, limit: number): { data: T[]; total: number } {
  if (ctx.dialect.is("P3", "shifting") && start > 0) return { data: all.slice(start - 1, start - 1 + limit), total: all.length + 1 };
  return { data: all.slice(start, start + limit), total: all.length };
}
