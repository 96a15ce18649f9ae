import { faultMatrixSuite } from "./support/faultMatrix";
import { PROVEN_DIALECT } from "./support/provenDialect";

// Issue 23: with provenReadings set, the provider drops the calls that only guard against other readings
// (the listing before a create under N1 `unique`, the emptiness check before a group delete under L2
// `refuse`, the X1 experiment). The create and delete columns again, the emulator speaking those readings
// and the provider told so: still nothing lost, nothing duplicated, converged.
describe("create", () => faultMatrixSuite("create", PROVEN_DIALECT, { proven: true }));
describe("delete", () => faultMatrixSuite("delete", PROVEN_DIALECT, { proven: true }));
