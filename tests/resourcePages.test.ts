import * as fs from "fs";
import { KINDS } from "../provider/kinds";
import { pageInputs, pageName, pageNotFoundCodes, PAGES_DIR, pageServiceMaintained } from "./support/resourcePages";

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
