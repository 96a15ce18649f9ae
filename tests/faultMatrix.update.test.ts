import { faultMatrixSuite } from "./support/faultMatrix";

// The fault matrix, update column: every kind with a update API × every fault (see support/faultMatrix.ts).
faultMatrixSuite("update");
