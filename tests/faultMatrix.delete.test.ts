import { FAULTS, FaultMatrix } from "./support/faultMatrix";

// The fault matrix, delete column: every kind with a delete API × every fault (see support/faultMatrix.ts).
let m: FaultMatrix;
const { kinds, without } = FaultMatrix.plan("delete");

beforeAll(async () => {
  m = await FaultMatrix.start();
});
afterAll(async () => {
  console.log(m.table("Fault matrix, delete (kind × fault → outcome):", without));
  await m.close();
});

describe.each(kinds.map((k) => [k.type, k] as const))("%s delete", (_type, k) => {
  test.each(FAULTS)("%s: nothing lost, nothing duplicated, converged", async (label, fault) => {
    await m.run(k, "delete", label, fault);
  });
});
