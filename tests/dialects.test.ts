import * as fs from "fs";
import * as path from "path";
import { CAPABILITY_ROWS, DIALECT_ROWS, type DialectId, LEAST_CONVENIENT, listDialects, parseDialect } from "../emulator/dialects";
import { DEFAULT_ACCOUNT, startEmulator, stackConfig } from "../emulator";
import { Engine, ProviderHost, serializedProvider } from "./harness";
import { startWorld, World } from "./support/world";
import { leastConvenientCells, renderMatrix, ROW_KINDS, ROW_LOOKUPS, runCells } from "./support/dialectMatrix";
import { KINDS_UNDER_TEST } from "./harness/kinds";

jest.setTimeout(300_000);

/** The table of docs/ambiguities.md ("## The rows"): id → reading names in order ([] for "not a reading"). */
function tableRows(): Record<string, string[]> {
  const text = fs.readFileSync(path.resolve(__dirname, "..", "docs", "ambiguities.md"), "utf8");
  // Only that section: the matrices further down have rows that start with an id too.
  const section = text.split(/^## /m).find((s) => s.startsWith("The rows\n"));
  if (!section) throw new Error('docs/ambiguities.md has no "## The rows" section');
  const rows: Record<string, string[]> = {};
  for (const line of section.split("\n")) {
    const m = line.match(/^\| ([A-Z]\d+) \|/);
    if (!m) continue;
    const cells = line.split("|").map((c) => c.trim());
    const readings = cells[cells.length - 2];
    // Readings are "`name`; `name` …": the first back-quoted word of each part.
    rows[m[1]] = readings.startsWith("not a reading")
      ? []
      : readings
          .split(";")
          .map((p) => p.trim().match(/^`([^`]+)`/)?.[1])
          .filter((n): n is string => !!n);
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
  // Every reading is exercised: by a kind's lifecycle, or (a row only look-ups read) by its look-ups.
  for (const id of Object.keys(DIALECT_ROWS) as DialectId[]) expect([id, ROW_KINDS[id].length + (ROW_LOOKUPS[id]?.length ?? 0)]).not.toEqual([id, 0]);
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
  const cells = await runCells(
    { row: "none", reading: "defaults" },
    {},
    KINDS_UNDER_TEST.map((k) => k.type),
  );
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

describe("G1 and G4 through the provider: a gateway's 404 or a 200 that is not the service is never 'gone' nor success", () => {
  const P = DEFAULT_ACCOUNT.codeartsProjects[0];
  const groupsHeld = (w: World) => Object.values(w.emu.store.snapshot().pipelineGroups ?? {}).flatMap((byId) => Object.keys(byId));

  test.each([...DIALECT_ROWS.G1.readings])("G1=%s: refresh and destroy against a path the gateway does not serve keep the group", async (reading) => {
    const w = await startWorld({ dialect: { G1: reading } });
    try {
      const made = await w.engine.up("PipelineGroup", "g", { projectId: P, name: "kept" });
      // The same service behind a wrong base path: every request gets the gateway's "no such API".
      const wrong = await ProviderHost.start();
      try {
        await wrong.configure({ ...stackConfig(w.emu), "huaweicloud:endpoints": JSON.stringify({ "*": `${w.emu.url}/not-the-api` }) });
        const other = new Engine(wrong, { providerFor: serializedProvider, state: w.engine.state });
        await expect(other.refresh("PipelineGroup", "g")).rejects.toThrow(/404/);
        await expect(other.destroy("PipelineGroup", "g")).rejects.toThrow(/404/);
      } finally {
        await wrong.close();
      }
      expect(w.engine.state.has(w.engine.urn("PipelineGroup", "g"))).toBe(true);
      expect(groupsHeld(w)).toContain(made.state!.id);
    } finally {
      await w.close();
    }
  });

  test.each(["html", "empty", "empty-object", "null", "invalid-json"] as const)(
    "G4 bad-success %s: a create is looked up and made once; a delete fails and the object stays",
    async (body) => {
      const w = await startWorld();
      try {
        w.emu.faults.inject({ method: "POST", path: "/v5/{project_id}/api/pipeline-group/create", fault: { type: "bad-success", body } });
        const made = await w.engine.up("PipelineGroup", "g", { projectId: P, name: `portal-${body}` });
        expect(made.op).toBe("create");
        expect(groupsHeld(w)).toEqual([made.state!.id]); // nothing recorded from the portal's page, nothing made twice
        w.emu.faults.inject({ method: "DELETE", path: "/v5/{project_id}/api/pipeline-group/delete", fault: { type: "bad-success", body } });
        await expect(w.engine.destroy("PipelineGroup", "g")).rejects.toThrow();
        expect(groupsHeld(w)).toEqual([made.state!.id]);
      } finally {
        await w.close();
      }
    },
  );
});

test("every kind's lifecycle with every row at its least convenient reading together", async () => {
  const cells = await leastConvenientCells();
  console.log(`dialect matrix, every row at its least convenient reading:\n${renderMatrix(cells)}`);
  expect(cells.filter((c) => !c.ok)).toEqual([]);
});
