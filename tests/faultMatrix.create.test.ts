import { FAULTS, FaultMatrix } from "./support/faultMatrix";

// The fault matrix, create column: every kind with a create API × every fault (see support/faultMatrix.ts).
let m: FaultMatrix;
const { kinds, without } = FaultMatrix.plan("create");

beforeAll(async () => {
  m = await FaultMatrix.start();
});
afterAll(async () => {
  console.log(m.table("Fault matrix, create (kind × fault → outcome):", without));
  await m.close();
});

describe.each(kinds.map((k) => [k.type, k] as const))("%s create", (_type, k) => {
  test.each(FAULTS)("%s: nothing lost, nothing duplicated, converged", async (label, fault) => {
    await m.run(k, "create", label, fault);
  });
});
