import { faultMatrixSuite } from "./support/faultMatrix";

// The fault matrix, create column: every kind with a create API × every fault (see support/faultMatrix.ts).
faultMatrixSuite("create");
