import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEFAULT_ACCOUNT, seedTestCases, startEmulator, type Emulator } from "../emulator";
import { readDialectFile } from "../emulator/dialects";
import { difference, holdings } from "./support/conformance";

/**
 * `pulumi-codearts conformance` as a user runs it (the built CLI, HW_* settings): the dialect file
 * it writes makes an emulator speak what was found, its transcript holds every call and no secret,
 * and usage errors stop it before any call.
 */
jest.setTimeout(120_000);

const CLI = path.join(__dirname, "..", "dist", "cli", "main.js");
const account = DEFAULT_ACCOUNT;
const env = {
  PATH: process.env.PATH ?? "",
  HW_ACCESS_KEY: account.accessKey,
  HW_SECRET_KEY: account.secretKey,
  HW_DOMAIN_ID: account.domainId,
  HW_PROJECT_ID: account.iamProjects[0].id,
  HW_REGION_NAME: account.iamProjects[0].name,
  HW_MAX_RETRIES: "1",
};

function run(args: string[], command = "conformance"): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, command, ...args], { env, timeout: 100_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "conformance-cli-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function withEmulator<T>(dialect: Record<string, string>, body: (emu: Emulator) => Promise<T>): Promise<T> {
  const emu = await startEmulator({ port: 0, quiet: true, dialect });
  try {
    return await body(emu);
  } finally {
    await emu.close();
  }
}

test("--json --out --transcript: the readings found, a dialect file the emulator speaks back, a redacted transcript", async () => {
  const out = path.join(dir, "dialect.json");
  const transcript = path.join(dir, "transcript.jsonl");
  const first = await withEmulator({ G1: "html" }, (emu) =>
    run(["--endpoint", emu.url, "--project", account.codeartsProjects[0], "--rows", "G1", "--json", "--out", out, "--transcript", transcript]),
  );
  expect(first.stderr).not.toContain(account.secretKey);
  expect(first.code).toBe(0);
  const report = JSON.parse(first.stdout) as { readings: Record<string, string>; calls: number };
  expect(report.readings).toEqual({ G1: "html" });
  expect(report.calls).toBeGreaterThan(0);

  const file = JSON.parse(fs.readFileSync(out, "utf8")) as Record<string, unknown>;
  expect(file).toEqual({ G1: "html" });
  // The file is what --dialect-file (emulator, demo) reads, and an emulator started from it is found speaking the same.
  const again = await withEmulator(readDialectFile(out) as Record<string, string>, (emu) => run(["--endpoint", emu.url, "--rows", "G1", "--json"]));
  expect((JSON.parse(again.stdout) as { readings: Record<string, string> }).readings).toEqual({ G1: "html" });

  const lines = fs
    .readFileSync(transcript, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines).toHaveLength(report.calls);
  for (const l of lines) expect(l).toEqual(expect.objectContaining({ context: "G1", method: expect.any(String), path: expect.any(String), status: 404 }));
  const text = fs.readFileSync(transcript, "utf8");
  expect(text).not.toContain(account.secretKey);
  expect(text).not.toMatch(/authorization|x-auth-token|signature=/i);
});

test("the text report: a line per row with its reading or unknown and why, then the totals", async () => {
  const r = await withEmulator({}, (emu) => run(["--endpoint", emu.url, "--rows", "G1,P3"]));
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^G1 +apig +1 call +404 APIG\.0101/m);
  expect(r.stdout).toMatch(/^P3 +unknown +0 calls +not probed: /m);
  expect(r.stdout).toMatch(/1 of 2 rows found, 1 API calls, scratch prefix probe-\d+-[0-9a-f]{4} \(and probe_\d+_[0-9a-f]{4}\)/);
});

test("--test-case with --allow-leftovers: C1 partial found by the known case added to a scratch plan, left and listed", async () => {
  const known = "7e57ca5e0000000000000000000000ff";
  const r = await withEmulator({ C1: "partial" }, (emu) => {
    seedTestCases(emu.store, account.codeartsProjects[0], 24, [known]);
    return run(["--endpoint", emu.url, "--project", account.codeartsProjects[0], "--rows", "C1", "--allow-leftovers", "--test-case", `24:${known}`]);
  });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(new RegExp(`^C1 +partial +4 calls .*known case ${known} \\(test type 24\\)`, "m"));
  expect(r.stdout).toMatch(/C1: test plan .*no API deletes it/);
});

test("usage errors stop before any call: unknown row, a short prefix, an --out that cannot be written", async () => {
  await withEmulator({}, async (emu) => {
    const mark = emu.log.mark();
    for (const args of [
      ["--rows", "G1,Z9"],
      ["--prefix", "ab"],
      ["--out", "/proc/nope/dialect.json"],
      ["--transcript", path.join(dir, "missing", "t.jsonl")],
      ["--bogus"],
      ["--test-case", "13:short"],
    ]) {
      const r = await run(["--endpoint", emu.url, ...args]);
      expect({ args, code: r.code }).toEqual({ args, code: 64 });
      expect(r.stdout).toBe("");
    }
    expect(emu.log.since(mark)).toHaveLength(0);
  });
});

test("--keep leaves the scratch objects, listed with the sweeps that remove them; those sweeps leave the service as it was", async () => {
  await withEmulator({}, async (emu) => {
    const before = holdings(emu);
    const r = await run(["--endpoint", emu.url, "--project", account.codeartsProjects[0], "--rows", "L2,L4,S6", "--keep", "--prefix", "keep-0001"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^L2 +refuse /m);
    expect(r.stdout).toMatch(/^L4 +verbatim /m);
    expect(r.stdout).toMatch(/^S6 +verbatim /m);
    expect(r.stdout).toMatch(/left behind: L4: .*\(kept\)/);
    expect(r.stdout).toContain("to remove them: pulumi-codearts sweep --prefix keep_0001 --yes and pulumi-codearts sweep --prefix keep-0001 --yes");
    const kept = difference(before, holdings(emu));
    // A template (L4), two groups (L2) and a script (S6, whose names allow no "-"), nothing removed.
    expect(kept.filter((k) => k.startsWith("removed"))).toEqual([]);
    expect(kept.filter((k) => /pipelineTemplates|pipelineGroups|cocScripts/.test(k)).length).toBeGreaterThanOrEqual(4);
    for (const prefix of ["keep_0001", "keep-0001"]) {
      const s = await run(["--prefix", prefix, "--yes", "--endpoint", emu.url, "--project", account.codeartsProjects[0]], "sweep");
      expect({ prefix, code: s.code, err: s.stderr.slice(0, 300) }).toEqual({ prefix, code: 0, err: expect.any(String) });
    }
    expect(difference(before, holdings(emu))).toEqual([]);
  });
});

test("a scratch object whose delete keeps failing: listed as left behind, exit 1, and the sweep it names removes it", async () => {
  await withEmulator({}, async (emu) => {
    const before = holdings(emu);
    emu.faults.inject({ method: "DELETE", path: "/v5/{tenant_id}/api/pipeline-templates/{template_id}", fault: { type: "status", status: 503 }, times: 100 });
    const r = await run(["--endpoint", emu.url, "--rows", "L4", "--prefix", "fail-0001"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^L4 +verbatim /m);
    expect(r.stdout).toMatch(/left behind: L4: .*cleanup failed: .*503/);
    expect(r.stderr).toContain("pulumi-codearts sweep --prefix fail-0001 --yes");
    expect(difference(before, holdings(emu)).some((d) => d.startsWith("left pipelineTemplates/"))).toBe(true);
    emu.faults.clear();
    expect((await run(["--prefix", "fail-0001", "--yes", "--endpoint", emu.url], "sweep")).code).toBe(0);
    expect(difference(before, holdings(emu))).toEqual([]);
  });
});
