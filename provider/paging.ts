/**
 * The API references use a different paging style per API family. Resource code describes
 * how to fetch one page; these walk the pages, stop on the documented signals (total reached, short
 * page, no marker) and never loop forever on a misbehaving server.
 */
export interface Page<T> {
  items: T[];
  /** Total count, where the API reports one. */
  total?: number;
}

const MAX_PAGES = 10_000;

/** The identity of a listed object: its id field where it has one of the usual names, else its whole JSON. */
export function listedId(t: unknown): string {
  if (t && typeof t === "object") {
    const o = t as Record<string, unknown>;
    for (const k of ["id", "pipeline_id", "plan_id", "publisher_unique_id"]) if (typeof o[k] === "string" || typeof o[k] === "number") return `${k}:${String(o[k])}`;
  }
  return JSON.stringify(t);
}

/**
 * offset = position of the first item (0-based) and limit = page size. Where the API reports a total,
 * it decides when to stop (a service may cap a page below the limit asked for); otherwise a short page does.
 * Objects are yielded once each (by `key`): an object inserted at the front between two page requests
 * moves the rest one place later, so a page may repeat the last object of the page before (ambiguity
 * P3); `offset` still advances by the items answered, so nothing that was there is skipped.
 */
export async function* offsetPages<T>(fetch: (offset: number, limit: number) => Promise<Page<T>>, limit: number, key: (t: T) => string = listedId): AsyncGenerator<T> {
  const seen = new Set<string>();
  for (let offset = 0, n = 0; ; n++) {
    if (n >= MAX_PAGES) throw new IncompleteListingError(`the listing did not end after ${MAX_PAGES} pages; nothing is concluded from it`);
    const page = await fetch(offset, limit);
    for (const t of page.items) {
      const k = key(t);
      if (seen.has(k)) continue;
      seen.add(k);
      yield t;
    }
    offset += page.items.length;
    const done = page.total !== undefined ? offset >= page.total : page.items.length < limit;
    if (done || page.items.length === 0) return;
  }
}

/** offset = page number starting at `first` (CloudTest v1 plans: 1-based). */
export async function* pageNumberPages<T>(fetch: (page: number, limit: number) => Promise<Page<T>>, limit: number, first = 1): AsyncGenerator<T> {
  for (let page = first, seen = 0; page < first + MAX_PAGES; page++) {
    const p = await fetch(page, limit);
    yield* p.items;
    seen += p.items.length;
    if (p.items.length < limit || p.items.length === 0 || (p.total !== undefined && seen >= p.total)) return;
  }
}

/** marker = a cursor taken from the last item (COC scripts: the `id` of the last record). */
export async function* markerPages<T, M>(fetch: (marker: M | undefined, limit: number) => Promise<Page<T>>, markerOf: (last: T) => M, limit: number): AsyncGenerator<T> {
  let marker: M | undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    const page = await fetch(marker, limit);
    yield* page.items;
    if (page.items.length < limit || page.items.length === 0) return;
    const next = markerOf(page.items[page.items.length - 1]);
    if (next === marker) return;
    marker = next;
  }
}

export async function findFirst<T>(items: AsyncIterable<T>, match: (t: T) => boolean): Promise<T | undefined> {
  for await (const t of items) if (match(t)) return t;
  return undefined;
}

export async function collect<T>(items: AsyncIterable<T>, match: (t: T) => boolean = () => true): Promise<T[]> {
  const out: T[] = [];
  for await (const t of items) if (match(t)) out.push(t);
  return out;
}

/** What an `offset` of an API counts, where the docs leave it open (ambiguities P1, P2, P4). */
export type OffsetRule = "position" | "page0" | "page1";

/** A listing that could not be read to its provable end: never taken as "absent". */
export class IncompleteListingError extends Error {}

/**
 * A list whose `offset` may be a position, a page number from 0 or a page number from 1
 * (ambiguity P1: the extension plug-in and publisher lists). Works out the rule from the answers
 * and reads to the provable end, so an object is never taken as absent from a partial read:
 * - the first page (`offset=0`, the documented examples' value, the first page under every reading)
 *   settles a list that fits in it (a short page, or `total` reached);
 * - otherwise `offset=1` is asked: its first item is the first page's second (position), its first
 *   (a page number from 1: 0 and 1 are both page 1), or one not at the head of the first page
 *   (a page number from 0, possibly shifted by objects inserted at the front meanwhile, P3);
 * - pages are then read by that rule, de-duplicated by `key` (objects inserted at the front move
 *   the rest later: a page may repeat ids of the one before, P3), until an empty or short page;
 * - the end is proven only if the distinct objects read reconcile with the `total` the service
 *   reports; otherwise the whole listing is read once more: a second pass that reads exactly the same
 *   objects proves the list (the count was inexact), one that differs is an IncompleteListingError.
 * Where `offset=0` is refused as "not a positive integer" (P2, P4), everything counts from 1 instead.
 * Costs: 1 call for a list that fits in one page, else pages + 1 (+1 where `offset=0` is refused).
 */
export async function* probedOffsetPages<T>(
  fetch: (offset: number, limit: number) => Promise<Page<T>>,
  limit: number,
  key: (t: T) => string,
  what: string,
  /** An error answering the first page at `offset=0` that says offsets start at 1 (P2, P4: CLOUDTEST.00060001). */
  startsAtOne?: (e: unknown) => boolean,
): AsyncGenerator<T> {
  const seen = new Set<string>();
  let lastTotal: number | undefined;
  let base = 0;
  let previous: Set<string> | undefined;
  for (let attempt = 1; ; attempt++) {
    const fresh = function* (items: T[]): Generator<T> {
      for (const t of items) {
        const k = key(t);
        if (!seen.has(k)) {
          seen.add(k);
          yield t;
        }
      }
    };
    const read = new Set<string>();
    const note = (p: Page<T>) => {
      for (const t of p.items) read.add(key(t));
      if (p.total !== undefined) lastTotal = p.total;
    };
    let first: Page<T>;
    try {
      first = await fetch(base, limit);
    } catch (e) {
      // Offsets from 1: the first page is `offset=1` under every such reading.
      if (base !== 0 || !startsAtOne?.(e)) throw e;
      base = 1;
      first = await fetch(base, limit);
    }
    note(first);
    yield* fresh(first.items);
    if (first.items.length < limit || (first.total !== undefined && first.items.length >= first.total)) {
      if (first.total === undefined || read.size >= first.total) return;
    } else {
      const probe = await fetch(base + 1, limit);
      note(probe);
      const head = first.items.map(key);
      const p0 = probe.items.length > 0 ? key(probe.items[0]) : undefined;
      // `base + 1` answers the first page's second item: a position; its first item: a page number
      // for which `base` and `base + 1` are both the first page; anything else: a page number from `base`.
      let rule: "position" | "page-after" | "page" = p0 !== undefined && p0 === head[1] ? "position" : p0 !== undefined && p0 === head[0] ? "page-after" : "page";
      yield* fresh(probe.items);
      let next = rule === "position" ? base + 1 + probe.items.length : base + 2;
      let last = probe;
      for (let n = 0; last.items.length >= limit && !(lastTotal !== undefined && read.size >= lastTotal); n++) {
        if (n >= MAX_PAGES) throw new IncompleteListingError(`${what}: the listing did not end after ${MAX_PAGES} pages; nothing is concluded from it`);
        last = await fetch(next, limit);
        note(last);
        yield* fresh(last.items);
        if (n === 0 && rule === "page-after" && limit >= 4 && last.items.length > 0 && [1, 2].includes(head.indexOf(key(last.items[0])))) {
          // `base + 2` answered from the start of the first page: positions after all, with an object
          // inserted at the front between the first two requests (P3), which made `base + 1` look like page
          // 1 again. (A page-numbered second page starts at item `limit`, or `limit - 1` after an insert.)
          rule = "position";
        }
        next = rule === "position" ? next + last.items.length : next + 1;
      }
      if (lastTotal === undefined || read.size >= lastTotal) return;
    }
    // Two complete passes that read exactly the same objects: nothing appeared or went while paging,
    // so what disagrees is the count itself (nothing promises an exact `total`, P3).
    if (previous && previous.size === read.size && [...read].every((k) => previous!.has(k))) return;
    previous = read;
    if (attempt >= 2) {
      throw new IncompleteListingError(
        `${what}: the listing could not be read to a provable end: ${read.size} distinct objects read, the service reports total ${lastTotal} ` +
          `(objects added or removed while paging, or an offset rule other than position / page number: ambiguities P1, P2, P3, P4); nothing is concluded from it`,
      );
    }
  }
}
