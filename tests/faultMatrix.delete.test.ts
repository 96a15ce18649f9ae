import { faultMatrixSuite } from "./support/faultMatrix";

// The fault matrix, delete column: every kind with a delete API × every fault (see support/faultMatrix.ts).
faultMatrixSuite("delete");
