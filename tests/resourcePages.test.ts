import * as fs from "fs";
import * as path from "path";
import type { z } from "zod";
import { KINDS, type KindName } from "../provider/kinds";
import { LOOKUPS } from "../provider/lookups";
import type { TenantResourceQuery } from "../provider/lookups/coc";
import { LOOKUP_BULLETS, pageInputs, pageLookups, pageName, pageNotFoundCodes, PAGES_DIR, pageServiceMaintained } from "./support/resourcePages";

// A resource page may state only what its kind declares: the facts below are read from the page and
// compared with the kind both ways (a fact the kind has and the page omits fails too). Calls per
// operation are held to what each kind's lifecycle test measures, in that test (callsAgainstPage).
const sorted = (names: readonly string[] | undefined): string[] => [...(names ?? [])].sort();

test("every page in docs/resources is a kind's, and every kind has one", () => {
  expect(fs.readdirSync(PAGES_DIR).sort()).toEqual(Object.keys(KINDS).map(pageName).sort());
});

describe.each(Object.entries(KINDS))("docs/resources page of %s", (name, kind) => {
  test("its Inputs table names every input, and 'replaces' for exactly the inputs the kind replaces on", () => {
    const { inputs, replaces } = pageInputs(name);
    expect(sorted(inputs)).toEqual(sorted(Object.keys(kind.schema.shape)));
    expect(sorted(replaces)).toEqual(sorted(kind.replaceOn));
  });

  test("its service-maintained outputs are the kind's serviceMaintained", () => {
    expect(sorted(pageServiceMaintained(name))).toEqual(sorted(kind.serviceMaintained as readonly string[] | undefined));
  });

  test("its Not found statement names exactly the codes the kind takes as proof that an object is gone", () => {
    expect(sorted(pageNotFoundCodes(name))).toEqual(sorted(kind.notFoundCodes));
  });
});

// Each look-up is documented on its resource's page ("## Look-up"): a kind's look-up on its kind's page, the
// others where named here, so a look-up added without a page (or a page's section removed) fails.
const NOT_A_KIND: Record<string, KindName> = {
  getTestEnvironments: "TestPlan",
  getTestPlanRequirements: "TestPlan",
  getTestPlanHistory: "TestPlan",
  listTenantResources: "ScriptRun",
};
// listTenantResources is a plain function, no schema: its arguments are its query type's keys (all of them, or tsc fails).
const tenantQuery = { provider: true, type: true, settings: true } satisfies Record<keyof TenantResourceQuery, true>;
const DOCUMENTED: { fn: string; page: KindName; args: string[] }[] = [
  ...Object.entries(LOOKUPS).map(([fn, l]) => ({
    fn,
    page: "kind" in l.returns ? l.returns.kind : NOT_A_KIND[fn],
    args: Object.keys((l.args as unknown as z.ZodObject).shape),
  })),
  { fn: "listTenantResources", page: "ScriptRun", args: Object.keys(tenantQuery) },
];

test.each(Object.keys(KINDS))("docs/resources page of %s: its Look-up section documents exactly the look-ups of the kind", (kind) => {
  expect(DOCUMENTED.filter((d) => d.page === undefined)).toEqual([]);
  const expected = DOCUMENTED.filter((d) => d.page === kind).map((d) => d.fn);
  expect(sorted(Object.keys(pageLookups(kind).lookups))).toEqual(sorted(expected));
});

describe.each(DOCUMENTED)("the Look-up section of $fn", ({ fn, page, args }) => {
  test("names exactly its arguments, and says what it answers, none and several, and the API calls it makes", () => {
    const documented = pageLookups(page).lookups[fn];
    expect(documented).toBeDefined();
    expect(sorted(documented.args)).toEqual(sorted(args));
    for (const b of LOOKUP_BULLETS) expect([b, (documented.bullets[b] ?? "").length > 0]).toEqual([b, true]);
    // API calls cite the reference's sections.
    expect(documented.bullets["API calls"]).toMatch(/§\d/);
  });

  test("docs/lookups.md links it to its section", () => {
    const overview = fs.readFileSync(path.join(PAGES_DIR, "..", "lookups.md"), "utf8");
    expect(overview).toContain(`[\`${fn}\`](resources/${pageName(page)}#${fn.toLowerCase()})`);
  });
});
