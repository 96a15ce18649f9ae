import { LEAST_CONVENIENT } from "../emulator/dialects";
import { KINDS_UNDER_TEST } from "./harness/kinds";
import { MatrixCell, renderMatrix, ROW_KINDS, runCells } from "./support/dialectMatrix";
import { PROVEN_DIALECT } from "./support/provenDialect";

// Issue 23: the dialect lifecycle matrix with the provider told the readings (provenReadings), for the
// rows whose proof drops calls: each reading of N1, L2, X1 and X11 alone over the kinds the row touches, then
// every row at its least convenient reading with N1, L2, X1 and X11 at the readings that drop the most, every
// kind. Create, read, no-op, update, refresh, adopt, delete: nothing lost, nothing left, state as served.
const cells: MatrixCell[] = [];
afterAll(() => console.log(`Dialect matrix under proven readings:\n${renderMatrix(cells)}`));

const single: Array<[keyof typeof ROW_KINDS, string]> = [
  ["N1", "unique"],
  ["N1", "repeat"],
  ["L2", "refuse"],
  ["L2", "cascade"],
  ["X1", "single"],
  ["X1", "whole"],
  ["X11", "refuse"],
  ["X11", "delete"],
  ["X11", "noop"],
];

test.each(single)(
  "%s=%s, proven: every kind the row touches goes through its lifecycle",
  async (row, reading) => {
    const got = await runCells({ row, reading: `${reading} (proven)` }, { [row]: reading }, ROW_KINDS[row], {}, { proven: true });
    cells.push(...got);
    expect(got.filter((c) => !c.ok)).toEqual([]);
  },
  300_000,
);

test("every row least convenient, N1, L2, X1, X11 as proven drops the most: every kind", async () => {
  const dialect = { ...(LEAST_CONVENIENT as Record<string, string>), ...PROVEN_DIALECT };
  const got = await runCells(
    { row: "all", reading: "least convenient (proven)" },
    dialect,
    KINDS_UNDER_TEST.map((k) => k.type),
    {},
    { proven: true },
  );
  cells.push(...got);
  expect(got.filter((c) => !c.ok)).toEqual([]);
}, 600_000);
