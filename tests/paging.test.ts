import { collect, findFirst, markerPages, offsetPages, pageNumberPages, probedOffsetPages } from "../provider/paging";

const data = Array.from({ length: 23 }, (_, i) => ({ id: i + 1 }));

describe("paging styles", () => {
  test("offset/limit stops at the total and on a short page", async () => {
    const calls: number[] = [];
    const got = await collect(offsetPages(async (offset, limit) => (calls.push(offset), { items: data.slice(offset, offset + limit), total: data.length }), 10));
    expect(got.map((d) => d.id)).toEqual(data.map((d) => d.id));
    expect(calls).toEqual([0, 10, 20]);
  });
  test("a service that caps pages below the limit is still read to the end when it reports a total", async () => {
    const got = await collect(offsetPages(async (offset) => ({ items: data.slice(offset, offset + 5), total: data.length }), 10));
    expect(got).toHaveLength(23);
  });
  test("page numbers start at 1 and stop on a short page", async () => {
    const pages: number[] = [];
    const got = await collect(pageNumberPages(async (page, limit) => (pages.push(page), { items: data.slice((page - 1) * limit, page * limit) }), 10));
    expect(got).toHaveLength(23);
    expect(pages).toEqual([1, 2, 3]);
  });
  test("markers come from the last item; findFirst stops early", async () => {
    const markers: Array<number | undefined> = [];
    const fetch = async (m: number | undefined, limit: number) => (markers.push(m), { items: data.filter((d) => d.id > (m ?? 0)).slice(0, limit) });
    expect(
      (
        await findFirst(
          markerPages(fetch, (d) => d.id, 5),
          (d) => d.id === 12,
        )
      )?.id,
    ).toBe(12);
    expect(markers).toEqual([undefined, 5, 10]);
  });
  test("a server that repeats the same marker does not loop forever", async () => {
    const got = await collect(
      markerPages(
        async () => ({ items: data.slice(0, 5) }),
        () => 1,
        5,
      ),
    );
    expect(got).toHaveLength(10);
  });
});

/**
 * probedOffsetPages learns what `offset` counts (P1: a position, a page from 0, a page from 1) from the
 * first two pages. A simulated service, another writer inserting one object at the front between the
 * first two requests (P3 `shifting`), must not make it read the list one item at a time.
 */
describe("probedOffsetPages under each offset rule, with and without an insert while paging", () => {
  type Rule = "position" | "page0" | "page1";
  function service(rule: Rule, n: number, insertBeforeCall: number | undefined, withTotal: boolean) {
    const items = Array.from({ length: n }, (_, i) => ({ id: `o${i + 1}` }));
    let calls = 0;
    const fetch = async (offset: number, limit: number) => {
      calls++;
      if (calls === insertBeforeCall) items.unshift({ id: "new" });
      const start = rule === "position" ? offset : rule === "page0" ? offset * limit : Math.max(offset - 1, 0) * limit;
      return { items: items.slice(start, start + limit), total: withTotal ? items.length : undefined };
    };
    return { fetch, calls: () => calls };
  }
  const cases: Array<[Rule, number | undefined, boolean]> = [];
  for (const rule of ["position", "page0", "page1"] as const) for (const insert of [undefined, 2, 3]) for (const total of [true, false]) cases.push([rule, insert, total]);
  // 10 pages of 10; an insert may cost a second pass (the count changed while paging, so the list is read again to prove it).
  test.each(cases)("%s, an insert before call %s, total reported %s: every object once, at most one pass (two with an insert) + 3 calls", async (rule, insert, total) => {
    const s = service(rule, 95, insert, total);
    const got = await collect(probedOffsetPages(s.fetch, 10, (o) => o.id, "test list"));
    const ids = new Set(got.map((o) => o.id));
    const missing = Array.from({ length: 95 }, (_, i) => `o${i + 1}`).filter((id) => !ids.has(id));
    expect(missing).toEqual([]);
    expect(got.length).toBe(ids.size);
    expect(s.calls()).toBeLessThanOrEqual((insert ? 20 : 10) + 3);
  });
});
