import { KINDS_UNDER_TEST, type Env } from "./harness/kinds";
import { type MatrixCell, renderMatrix, rowMatrix } from "./support/dialectMatrix";
import { inWorld } from "./support/world";

/**
 * Dialect G2 of docs/ambiguities.md: which answers say "no such object". `terraform` (the codes
 * the Terraform provider meets) or `seed` (the Pipeline family's §5.2 DEVCP.00012002 at HTTP 200,
 * DEVPIPE.0011401 for pipelines; the extension APIs' and COC's documented 404). The generic lifecycle
 * under both readings, then per family: an object deleted out of band reads as gone and its destroy succeeds.
 */
jest.setTimeout(120_000);

let cells: MatrixCell[] = [];
afterAll(() => console.log(`dialect matrix, G2:\n${renderMatrix(cells)}`));

test("matrix: every reading of G2", async () => {
  cells = await rowMatrix(["G2"]);
  expect(cells.filter((c) => !c.ok)).toEqual([]);
});

const FAMILIES = ["PipelineGroup", "PipelineTemplate", "Pipeline", "Rule", "RuleSet", "OpenSourcePolicy", "Publisher", "Plugin", "Script"];

describe("G2: an object deleted out of band reads as gone, and its destroy succeeds", () => {
  for (const reading of ["terraform", "seed"]) {
    for (const type of FAMILIES) {
      const k = KINDS_UNDER_TEST.find((x) => x.type === type)!;
      test(`G2=${reading}: ${type}`, () =>
        inWorld({ G2: reading }, async (w) => {
          const env: Env = k.setup ? await k.setup(w) : {};
          k.seed?.(w, 1);
          const keysOf = () =>
            Object.entries(w.emu.store.snapshot()[k.collection] ?? {}).flatMap(([tenant, recs]) => Object.keys(recs as object).map((key) => [tenant, key] as const));
          const outOfBand = async (name: string) => {
            const before = new Set(keysOf().map(([t, key]) => `${t}/${key}`));
            expect((await w.engine.up(type, name, k.inputs(env, name === "x" ? 1 : 2))).op).toBe("create");
            const made = keysOf().filter(([t, key]) => !before.has(`${t}/${key}`));
            expect(made).toHaveLength(1);
            // Deleted out of band (the console, another stack).
            for (const [t, key] of made) w.emu.store.collection(k.collection).remove(t, key);
          };
          await outOfBand("x");
          const mark = w.emu.log.mark();
          expect((await w.engine.refresh(type, "x")).op).toBe("gone");
          expect(w.emu.log.since(mark).length).toBeGreaterThan(0);
          expect(w.engine.state.get(w.engine.urn(type, "x"))).toBeUndefined();
          await outOfBand("y");
          await w.engine.destroy(type, "y");
          expect(w.engine.state.get(w.engine.urn(type, "y"))).toBeUndefined();
        }));
    }
  }
});
