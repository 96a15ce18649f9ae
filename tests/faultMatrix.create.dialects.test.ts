import { LEAST_CONVENIENT } from "../emulator/dialects";
import { faultMatrixSuite } from "./support/faultMatrix";

// The create column of the fault matrix again, with the emulator speaking the least convenient readings
// of the rows a safe create depends on (issue 15): how lists page (P1, P2) and shift (P3), whether names
// repeat (N1), the gateway's and services' error forms (G1, G3, G5), and where an API test suite's answer
// lists its cases (T1). A create that failed ambiguously is looked up by listing: under these readings the
// look-up must still find exactly what was made.
const { P1, P2, P3, N1, G1, G3, G5, T1 } = LEAST_CONVENIENT;
faultMatrixSuite("create", { P1, P2, P3, N1, G1, G3, G5, T1 });
