import { collect, findFirst, markerPages, offsetPages, pageNumberPages } from "../provider/paging";

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
    expect((await findFirst(markerPages(fetch, (d) => d.id, 5), (d) => d.id === 12))?.id).toBe(12);
    expect(markers).toEqual([undefined, 5, 10]);
  });
  test("a server that repeats the same marker does not loop forever", async () => {
    const got = await collect(markerPages(async () => ({ items: data.slice(0, 5) }), () => 1, 5));
    expect(got).toHaveLength(10);
  });
});
