import { FAULTS, FaultMatrix } from "./support/faultMatrix";

// The fault matrix, update column: every kind with a update API × every fault (see support/faultMatrix.ts).
let m: FaultMatrix;
const { kinds, without } = FaultMatrix.plan("update");

beforeAll(async () => {
  m = await FaultMatrix.start();
});
afterAll(async () => {
  console.log(m.table("Fault matrix, update (kind × fault → outcome):", without));
  await m.close();
});

describe.each(kinds.map((k) => [k.type, k] as const))("%s update", (_type, k) => {
  test.each(FAULTS)("%s: nothing lost, nothing duplicated, converged", async (label, fault) => {
    await m.run(k, "update", label, fault);
  });
});
