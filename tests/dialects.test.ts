import * as fs from "fs";
import * as path from "path";
import { CAPABILITY_ROWS, DIALECT_ROWS, LEAST_CONVENIENT, listDialects, parseDialect } from "../emulator/dialects";
import { startEmulator } from "../emulator";
import { leastConvenientCells, renderMatrix, ROW_KINDS, runCells } from "./support/dialectMatrix";
import { KINDS_UNDER_TEST } from "./harness/kinds";

jest.setTimeout(300_000);

/** The rows of ../shared/ambiguities.md: id → reading names in order ([] for "not a reading"). */
function tableRows(): Record<string, string[]> {
  const text = fs.readFileSync(path.resolve(__dirname, "..", "..", "shared", "ambiguities.md"), "utf8");
  const rows: Record<string, string[]> = {};
  for (const line of text.split("\n")) {
    const m = line.match(/^\| ([A-Z]\d+) \|/);
    if (!m) continue;
    const cells = line.split("|").map((c) => c.trim());
    const readings = cells[cells.length - 2];
    // Readings are "`name` what it means; `name` …": the first back-quoted word of each part.
    rows[m[1]] = readings.startsWith("not a reading") ? [] : readings.split(";").map((p) => p.trim().match(/^`([^`]+)`/)?.[1]).filter((n): n is string => !!n);
  }
  return rows;
}

test("the emulator's dialect rows are the table's, reading names character for character, the first the default", () => {
  const table = tableRows();
  expect(Object.keys(table).length).toBeGreaterThanOrEqual(40);
  const ours = Object.fromEntries(Object.entries(DIALECT_ROWS).map(([id, r]) => [id, [...r.readings]]));
  const capabilities = Object.fromEntries(Object.keys(CAPABILITY_ROWS).map((id) => [id, [] as string[]]));
  expect({ ...ours, ...capabilities }).toEqual(table);
  for (const [id, r] of Object.entries(DIALECT_ROWS)) expect(r.readings).toContain((LEAST_CONVENIENT as Record<string, string>)[id]);
  for (const id of Object.keys(DIALECT_ROWS)) expect(ROW_KINDS[id as keyof typeof ROW_KINDS].length).toBeGreaterThan(0);
  const listed = listDialects().split("\n");
  expect(listed).toHaveLength(Object.keys(table).length);
  expect(listed[0]).toBe(`G1  apig (default), apigw, bare, html  — ${DIALECT_ROWS.G1.about}`);
});

test("unknown rows and readings are refused with what exists", () => {
  expect(() => parseDialect({ P9: "x" })).toThrow(/unknown dialect row "P9"/);
  expect(() => parseDialect({ G4: "x" })).toThrow(/capability, always on/);
  expect(() => parseDialect({ P1: "page2" })).toThrow(/P1 has no reading "page2"; its readings: position, page0, page1/);
  expect(parseDialect({ P1: "page0", N1: "unique" })).toEqual({ P1: "page0", N1: "unique" });
});

test("startEmulator({ dialect }) and the admin API choose readings; a bad one is a 400", async () => {
  const emu = await startEmulator({ port: 0, dialect: { X1: "whole" } });
  try {
    expect(emu.dialect.of("X1")).toBe("whole");
    expect(emu.dialect.of("P1")).toBe("position");
    const post = (body: string) => fetch(`${emu.url}/__emulator/dialect`, { method: "POST", body }).then(async (r) => ({ status: r.status, body: await r.json() }));
    expect(await post(JSON.stringify({ P1: "page1" }))).toMatchObject({ status: 200, body: { P1: "page1", X1: "whole" } });
    expect(emu.dialect.of("P1")).toBe("page1");
    expect((await post(JSON.stringify({ P1: "sideways" }))).status).toBe(400);
    expect((await post("[]")).status).toBe(400);
    expect(emu.dialect.of("P1")).toBe("page1");
    await fetch(`${emu.url}/__emulator/dialect`, { method: "DELETE" });
    expect(emu.dialect.current()).toMatchObject({ P1: "position", X1: "single" });
  } finally {
    await emu.close();
  }
});

test("every kind's lifecycle at the default readings (the floor each row's readings are compared with)", async () => {
  const cells = await runCells({ row: "none", reading: "defaults" }, {}, KINDS_UNDER_TEST.map((k) => k.type));
  console.log(`dialect matrix, defaults:\n${renderMatrix(cells)}`);
  expect(cells.filter((c) => !c.ok)).toEqual([]);
});

test("G1: the gateway's 'no such API' in each reading", async () => {
  const emu = await startEmulator({ port: 0 });
  try {
    const seen: Record<string, { status: number; type: string | null; body: string }> = {};
    for (const reading of DIALECT_ROWS.G1.readings) {
      emu.dialect.set({ G1: reading });
      const r = await fetch(`${emu.url}/v5/no/such/api`);
      seen[reading] = { status: r.status, type: r.headers.get("content-type"), body: await r.text() };
    }
    expect(seen.apig).toMatchObject({ status: 404, body: expect.stringContaining('"error_code":"APIG.0101"') });
    expect(seen.apigw).toMatchObject({ status: 404, body: expect.stringContaining('"error_code":"APIGW.0101"') });
    expect(seen.bare).toMatchObject({ status: 404, body: "" });
    expect(seen.html).toMatchObject({ status: 404, type: "text/html", body: expect.stringContaining("<html>") });
  } finally {
    await emu.close();
  }
});
