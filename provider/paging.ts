/**
 * The seeds use a different paging style per API family (api-map.md §0.6). Resource code describes
 * how to fetch one page; these walk the pages, stop on the documented signals (total reached, short
 * page, no marker) and never loop forever on a misbehaving server.
 */
export interface Page<T> {
  items: T[];
  /** Total count, where the API reports one. */
  total?: number;
}

const MAX_PAGES = 10_000;

/**
 * offset = position of the first item (0-based) and limit = page size. Where the API reports a total,
 * it decides when to stop (a service may cap a page below the limit asked for); otherwise a short page does.
 */
export async function* offsetPages<T>(fetch: (offset: number, limit: number) => Promise<Page<T>>, limit: number): AsyncGenerator<T> {
  for (let offset = 0, n = 0; n < MAX_PAGES; n++) {
    const page = await fetch(offset, limit);
    yield* page.items;
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
