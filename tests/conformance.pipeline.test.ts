import * as http from "http";
import type { AddressInfo } from "net";
import { ApiClient } from "../provider/client";
import { clientSettings, DEFAULT_ACCOUNT, startEmulator, type Emulator } from "../emulator";
import { LEAST_CONVENIENT, type DialectId } from "../emulator/dialects";
import { runConformance, type ConformanceReport } from "../cli/conformance";
import type { TranscriptEntry } from "../cli/transcript";
import type { Settings } from "../provider/config";
import { difference, holdings, probeEmulator, proveRows, renderProof } from "./support/conformance";

/**
 * Issue 16 item 4 for the gateway rows G2, G3, G5 and the Pipeline rows L1, L2, L4, L5, N1: each
 * reading the emulator speaks is the one the probe reports, the service holds afterwards what it held
 * before, and a probe that cannot tell says `unknown` instead of guessing.
 */
jest.setTimeout(600_000);

const ROWS: DialectId[] = ["G2", "G3", "G5", "L1", "L2", "L4", "L5", "N1"];

/** One run against a fresh emulator speaking `dialect`, with options and an optional set-up (faults). */
async function run(
  dialect: Record<string, string>,
  rows: DialectId[],
  opts: { project?: string | null; settings?: (emu: Emulator) => Settings; setup?: (emu: Emulator) => void; transcript?: TranscriptEntry[] } = {},
): Promise<{ report: ConformanceReport; changed: string[] }> {
  const emu = await startEmulator({ port: 0, quiet: true, dialect });
  try {
    opts.setup?.(emu);
    const before = holdings(emu);
    const report = await runConformance({
      settings: opts.settings ? opts.settings(emu) : clientSettings(emu, DEFAULT_ACCOUNT),
      codeartsProjectId: opts.project === null ? undefined : (opts.project ?? DEFAULT_ACCOUNT.codeartsProjects[0]),
      rows,
      transcript: opts.transcript ? (e) => opts.transcript!.push(e) : undefined,
    });
    return { report, changed: difference(before, holdings(emu)) };
  } finally {
    await emu.close();
  }
}

const row = (r: ConformanceReport, id: DialectId) => r.rows.find((x) => x.row === id)!;

test("each row × reading: the probe reports the reading the emulator speaks, and leaves nothing", async () => {
  const cells = await proveRows(ROWS);
  console.log(`conformance proof (gateway G2 G3 G5, pipeline L1 L2 L4 L5 N1), ${cells.filter((c) => c.ok).length}/${cells.length} cells\n${renderProof(cells)}`);
  expect(cells.filter((c) => !c.ok)).toEqual([]);
  expect(cells.length).toBe(2 + 2 + 2 + 3 + 3 + 2 + 3 + 2);
});

test("all these rows at once, every other row at its least convenient reading: each reported correctly, nothing left", async () => {
  const { report, changed } = await probeEmulator(LEAST_CONVENIENT as Record<string, string>, ROWS);
  console.log(`least convenient:\n${report.rows.map((r) => `${r.row} ${r.reading} (${r.calls} calls) ${r.detail}`).join("\n")}`);
  for (const id of ROWS) expect([id, row(report, id).reading]).toEqual([id, LEAST_CONVENIENT[id]]);
  expect(changed).toEqual([]);
  expect(report.leftovers).toEqual([]);
});

test("all these rows at once under the default dialect: each reported at its default reading, nothing left", async () => {
  const { report, changed } = await probeEmulator({}, ROWS);
  const defaults: Record<string, string> = { G2: "terraform", G3: "in-200", G5: "lenient", L1: "path", L2: "refuse", L4: "verbatim", L5: "null", N1: "repeat" };
  for (const id of ROWS) expect([id, row(report, id).reading]).toEqual([id, defaults[id]]);
  expect(changed).toEqual([]);
  expect(report.leftovers).toEqual([]);
});

test("the rows that make groups and pipelines say unknown without --project, and call nothing", async () => {
  const { report, changed } = await run({}, ["L1", "L2"], { project: null });
  for (const id of ["L1", "L2"] as const) {
    expect(row(report, id).reading).toBe("unknown");
    expect(row(report, id).detail).toMatch(/--project/);
    expect(row(report, id).calls).toBe(0);
  }
  expect(changed).toEqual([]);
});

test("a project the caller cannot use: L1 and L2 unknown (the probe failed), nothing made", async () => {
  const { report, changed } = await run({ G3: "4xx" }, ["L1", "L2"], { project: DEFAULT_ACCOUNT.codeartsProjects[0].replace(/1$/, "f") });
  for (const id of ["L1", "L2"] as const) expect(row(report, id).reading).toBe("unknown");
  expect(changed).toEqual([]);
});

test("G5: the request without scope headers really carries none, under token authentication too", async () => {
  const user = DEFAULT_ACCOUNT.users[0];
  const tokenSettings = (emu: Emulator): Settings => ({
    ...clientSettings(emu, DEFAULT_ACCOUNT),
    accessKey: undefined,
    secretKey: undefined,
    domainId: undefined,
    projectId: undefined,
    userName: user.name,
    password: user.password,
    domainName: DEFAULT_ACCOUNT.domainName,
  });
  for (const reading of ["lenient", "strict"]) {
    const { report } = await run({ G5: reading }, ["G5"], { settings: tokenSettings });
    expect([reading, row(report, "G5").reading]).toEqual([reading, reading]);
  }
  // On the wire: a recorder in place of the Pipeline endpoint (IAM stays the emulator's) sees the headers.
  const seen: Array<Record<string, string | string[] | undefined>> = [];
  const recorder = http.createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((ok) => recorder.listen(0, "127.0.0.1", ok));
  const emu = await startEmulator({ port: 0, quiet: true });
  try {
    const url = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`;
    for (const settings of [clientSettings(emu, DEFAULT_ACCOUNT), tokenSettings(emu)]) {
      const client = new ApiClient({ ...settings, endpoints: { "*": emu.url, pipeline: url } });
      try {
        seen.length = 0;
        const req = { service: "pipeline", method: "GET", path: "/v5/x/api/pipeline-group/tree", operation: "Test.scope" } as const;
        await client.send(req);
        await client.send({ ...req, scopeHeaders: false });
        expect(seen.map((h) => h["x-domain-id"] ?? null)).toEqual([DEFAULT_ACCOUNT.domainId, null]);
        expect(seen[1]["x-project-id"]).toBeUndefined();
        if (settings.accessKey) expect(seen[0]["x-project-id"]).toBe(DEFAULT_ACCOUNT.iamProjects[0].id);
      } finally {
        await client.close();
      }
    }
  } finally {
    await emu.close();
    recorder.close();
  }
});

test("G5: the COC half (X-Project-Id under AK/SK) is asked too; halves that disagree are neither reading", async () => {
  // The Pipeline endpoint speaks one reading, a second emulator (same account) serves COC in the other.
  for (const [pipelineReading, cocReading] of [
    ["lenient", "strict"],
    ["strict", "lenient"],
    ["strict", "strict"],
  ]) {
    const coc = await startEmulator({ port: 0, quiet: true, dialect: { G5: cocReading } });
    try {
      const transcript: TranscriptEntry[] = [];
      const { report } = await run({ G5: pipelineReading }, ["G5"], {
        settings: (emu) => ({ ...clientSettings(emu, DEFAULT_ACCOUNT), endpoints: { "*": emu.url, coc: coc.url } }),
        transcript,
      });
      expect(transcript.map((t) => t.operation)).toEqual([
        "Conformance.G5.withScope",
        "Conformance.G5.withoutScope",
        "Conformance.G5.coc.withScope",
        "Conformance.G5.coc.withoutScope",
      ]);
      const r = row(report, "G5");
      if (pipelineReading === cocReading) {
        expect(r.reading).toBe(pipelineReading);
        expect(r.detail).toMatch(/COC script list/);
      } else {
        expect(r.reading).toBe("unknown");
        expect(r.detail).toMatch(/halves disagree/);
      }
    } finally {
      await coc.close();
    }
  }
});

test("G5: when the request with scope headers already fails, unknown rather than a guess", async () => {
  const { report } = await run({ G5: "strict" }, ["G5"], {
    setup: (emu) => emu.faults.inject({ method: "POST", path: "/v5/{tenant_id}/api/pipeline-templates/list", fault: { type: "status", status: 503 }, times: 10 }),
  });
  expect(row(report, "G5").reading).toBe("unknown");
});

test("G2 and G3: a not-found answer with no service code (a proxy's bare 404) proves nothing", async () => {
  const { report } = await run({ G1: "bare" }, ["G2", "G3"], {
    // A wrong endpoint: the gateway answers every path with its bare 404.
    settings: (emu) => ({ ...clientSettings(emu, DEFAULT_ACCOUNT), endpoints: { "*": emu.url, pipeline: `${emu.url}/no-such-prefix` } }),
  });
  for (const id of ["G2", "G3"] as const) {
    expect(row(report, id).reading).toBe("unknown");
    expect(row(report, id).detail).toMatch(/no service (error )?code/);
  }
});

test("N1: a create that fails after it was applied leaves nothing behind and the row unknown", async () => {
  const { report, changed } = await run({ N1: "repeat" }, ["N1"], {
    setup: (emu) => emu.faults.inject({ method: "POST", path: "/v5/{tenant_id}/api/pipeline-templates", fault: { type: "commit-then-fail" } }),
  });
  expect(row(report, "N1").reading).toBe("unknown");
  expect(row(report, "N1").detail).toMatch(/500/);
  // The template the failed create made was found by name and deleted: create, list, delete.
  expect(row(report, "N1").calls).toBe(3);
  expect(changed).toEqual([]);
  expect(report.leftovers).toEqual([]);
});

test("L1 and L2: a group or pipeline create that fails after it was applied is found by name and removed; the row unknown", async () => {
  for (const path of ["/v5/{project_id}/api/pipeline-group/create", "/v5/{project_id}/api/pipelines"]) {
    for (const id of ["L1", "L2"] as const) {
      const { report, changed } = await run({ L2: "cascade" }, [id], {
        setup: (emu) => emu.faults.inject({ method: "POST", path, fault: { type: "commit-then-fail" } }),
      });
      expect([path, id, row(report, id).reading]).toEqual([path, id, "unknown"]);
      expect(row(report, id).detail).toMatch(/500/);
      expect([path, id, changed, report.leftovers]).toEqual([path, id, [], []]);
    }
  }
});
