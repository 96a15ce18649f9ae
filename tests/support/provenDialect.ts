/**
 * The readings whose proof lets the provider drop calls (provider/readings.ts provenReading call sites):
 * what the proven-dialect suites and the benchmark's "proven" column tell the emulator to speak and the
 * provider (huaweicloud:provenReadings) to rely on.
 */
export const PROVEN_DIALECT = { N1: "unique", L2: "refuse", X1: "single", X11: "refuse" } as const;

/** The provider setting that says the service was proven to speak `dialect` (what `conformance --out` writes). */
export const provenConfig = (dialect: Record<string, string>): Record<string, string> => ({ "huaweicloud:provenReadings": JSON.stringify(dialect) });
