import * as fs from "fs";
import * as path from "path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import * as os from "os";
import { drifted, HIDDEN_CHANGE, renderMarkdown, summarize, Summary, verdict } from "../cli/summary";
import { doctor } from "../cli/doctor";
import { findPulumiCli, CLI_MISSING } from "../cli/pulumiCli";
import { main, EXIT } from "../cli/main";
import { startEmulator, Emulator, clientSettings } from "../emulator";

const FIXTURES = path.join(__dirname, "fixtures", "events");
const events = (file: string): EngineEvent[] =>
  fs.readFileSync(path.join(FIXTURES, file), "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as EngineEvent);
const line = (s: Summary, name: string) => s.resources.find((r) => r.name === name);

// Summaries of recorded engine events (tests/fixtures/events/README.md: their shapes and the engine code
// each follows). The engine decides whether a resource changes; the provider's rules say what changed.
describe("preview and up summaries", () => {
  test("a new stack: every resource created, counts agreeing with the engine's summary", () => {
    const s = summarize("preview", events("preview-create.jsonl"));
    expect(s.inconsistent).toBeUndefined();
    expect(s.resources.every((r) => r.op === "create")).toBe(true);
    expect(new Set(s.resources.map((r) => r.kind)).size).toBe(12);
    expect(summarize("up", events("up-create.jsonl")).inconsistent).toBeUndefined();
  });

  test("updates name their properties and replacements their keys and reasons, though the engine sends no diffs", () => {
    const s = summarize("preview", events("preview-update-replace.jsonl"));
    expect(s.inconsistent).toBeUndefined();
    expect(line(s, "team")).toMatchObject({ op: "update", changes: ["name"] });
    expect(line(s, "publisher")).toMatchObject({ op: "replace", replaces: ["name", "enName", "supportUrl"] });
    expect(line(s, "publisher")!.reasons[0]).toMatch(/no update/);
    expect(line(s, "regression")).toMatchObject({ op: "replace", changes: ["name"] });
    // The released version's publisher is being replaced: its id is not known until the up.
    expect(line(s, "deploy-step-0.0.1")!.changes).toContain("publisherId (computed)");
    const md = renderMarkdown(s);
    expect(md).toContain("| ~ | PipelineGroup | team | update | name |");
    expect(md).toContain("- **TestPlan regression** is replaced (name): CloudTest has no update API");
    expect(md).toMatch(/\| \+- \| Publisher \| publisher \| replace \| \*\*enName\*\* \(replaces\)/);
    const up = summarize("up", events("up-update-replace.jsonl"));
    expect(up.inconsistent).toBeUndefined();
    expect(up.resources.map((r) => [r.name, r.op])).toEqual(s.resources.map((r) => [r.name, r.op]));
  });

  test("a change only a secret explains is shown without any value", () => {
    const s = summarize("preview", events("preview-secret-only.jsonl"));
    expect(s.resources.map((r) => [r.name, r.op, r.changes])).toEqual([["rotate-logs", "update", [HIDDEN_CHANGE]]]);
    expect(JSON.stringify(s) + renderMarkdown(s)).not.toMatch(/rotate-token-value/);
  });

  test("a resource removed from the program is a delete; refused checks are listed with the rule", () => {
    expect(summarize("preview", events("preview-delete.jsonl")).resources.map((r) => [r.kind, r.op])).toEqual([["VpcepAccessControl", "delete"]]);
    const refused = summarize("preview", events("preview-refused.jsonl")).refused;
    expect(refused.map((r) => r.name).sort()).toEqual(["regression", "team"]);
    expect(refused[0].message).toMatch(/projectId: must be a .*project ID/);
  });
});

describe("refresh and drift", () => {
  test("nothing changed, or only what the service maintains: no drift", () => {
    for (const f of ["drift-none.jsonl", "drift-service-maintained.jsonl"]) {
      const s = summarize("drift", events(f));
      expect([f, s.inconsistent, drifted(s)]).toEqual([f, undefined, []]);
      expect(verdict(s).outcome).toBe("ok");
    }
    expect(drifted(summarize("refresh", events("refresh.jsonl")))).toEqual([]);
  });

  test("a declared property changed and a deletion out of band: drift naming both", () => {
    const s = summarize("drift", events("drift-rename-delete.jsonl"));
    expect(drifted(s).map((r) => [r.name, r.op, r.changes])).toEqual([["team", "update", ["name"]], ["pass-rate", "delete", []], ["release-gate", "update", ["rules"]]]);
    expect(verdict(s)).toMatchObject({ outcome: "drift", message: expect.stringContaining("Rule pass-rate (deleted out of band)") });
  });

  test("another provider's resource: its diffs and detailed diff name what drifted", () => {
    const s = summarize("drift", events("drift-mixed.jsonl"));
    expect(s.inconsistent).toBeUndefined();
    expect(line(s, "artifacts")).toMatchObject({ op: "update", changes: ["tags.team"] });
  });

  test("engines before 3.120 (results op `refresh`): the provider's rules decide, service-maintained changes are no drift", () => {
    const legacy = (f: string) => events(f).map((e) => (e.resOutputsEvent ? { ...e, resOutputsEvent: { ...e.resOutputsEvent, metadata: { ...e.resOutputsEvent.metadata, op: "refresh" as const } } } : e));
    expect(drifted(summarize("drift", legacy("drift-service-maintained.jsonl")))).toEqual([]);
    const s = summarize("drift", legacy("drift-rename-delete.jsonl"));
    expect(drifted(s).map((r) => [r.name, r.op])).toEqual([["team", "update"], ["pass-rate", "delete"], ["release-gate", "update"]]);
  });

  test("a summary that disagrees with the events, or no summary at all, is never 'no drift'", () => {
    const all = events("drift-rename-delete.jsonl");
    const lying = all.map((e) => (e.summaryEvent ? { ...e, summaryEvent: { ...e.summaryEvent, resourceChanges: { same: 15 } } } : e));
    expect(verdict(summarize("drift", lying))).toMatchObject({ outcome: "inconsistent", message: expect.stringMatching(/update: 0 in the summary, 2 in the events/) });
    const cut = events("drift-none.jsonl").filter((e) => !e.summaryEvent);
    expect(verdict(summarize("drift", cut))).toMatchObject({ outcome: "inconsistent", message: expect.stringMatching(/no summary event/) });
  });
});

describe("summarize --event-log", () => {
  const run = async (args: string[]) => {
    const out: string[] = [];
    const log = jest.spyOn(process.stdout, "write").mockImplementation((c) => (out.push(String(c)), true));
    const err = jest.spyOn(console, "error").mockImplementation((m) => void out.push(String(m)));
    try {
      return { code: await main(["summarize", ...args]), text: out.join("") };
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  };
  test("exit codes as the drift job's: 2 on drift, 0 without, 1 on a cut log, 64 on bad usage", async () => {
    expect((await run(["--event-log", path.join(FIXTURES, "drift-rename-delete.jsonl"), "--operation", "drift"])).code).toBe(EXIT.drift);
    expect((await run(["--event-log", path.join(FIXTURES, "drift-none.jsonl"), "--operation", "drift"])).code).toBe(EXIT.ok);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "events-"));
    const cut = path.join(dir, "cut.jsonl");
    fs.writeFileSync(cut, fs.readFileSync(path.join(FIXTURES, "drift-none.jsonl"), "utf8").split("\n").slice(0, 10).join("\n"));
    expect((await run(["--event-log", cut, "--operation", "drift"])).code).toBe(EXIT.failed);
    fs.writeFileSync(cut, "not json\n");
    expect((await run(["--event-log", cut, "--operation", "drift"])).code).toBe(EXIT.failed);
    expect((await run(["--operation", "drift"])).code).toBe(EXIT.usage);
    expect((await run(["--event-log", cut, "--operation", "sideways"])).code).toBe(EXIT.usage);
  });
  test("--out is checked before anything is read or run; summaries leave through the one redaction", async () => {
    expect((await run(["--event-log", path.join(FIXTURES, "drift-none.jsonl"), "--operation", "drift", "--out", "/proc/no-such/dir"])).code).toBe(EXIT.usage);
    // A provider message quoting a secret the CLI's own settings know (HW_SECRET_KEY) is masked.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "leak-"));
    const log = path.join(dir, "events.jsonl");
    const secret = "cli-secret-key-0123456789";
    const lines = fs.readFileSync(path.join(FIXTURES, "preview-refused.jsonl"), "utf8").replace(/property projectId/g, `property projectId (${secret})`);
    fs.writeFileSync(log, lines);
    const before = { ak: process.env.HW_ACCESS_KEY, sk: process.env.HW_SECRET_KEY };
    process.env.HW_ACCESS_KEY = "CLIAK0000000000000001";
    process.env.HW_SECRET_KEY = secret;
    try {
      const r = await run(["--event-log", log, "--operation", "preview", "--json"]);
      expect(r.text).toContain("projectId (***)");
      expect(r.text).not.toContain(secret);
    } finally {
      for (const [k, v] of [["HW_ACCESS_KEY", before.ak], ["HW_SECRET_KEY", before.sk]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
  test("--json keeps the summary's shape; --out writes summary.md and summary.json", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "summary-"));
    const r = await run(["--event-log", path.join(FIXTURES, "drift-rename-delete.jsonl"), "--operation", "drift", "--json", "--out", dir]);
    const json = JSON.parse(r.text.slice(0, r.text.lastIndexOf("}") + 1));
    expect(json.resources.map((x: { name: string; op: string; changes: string[]; replaces: string[]; reasons: string[] }) => [x.name, x.op, x.changes, x.replaces, x.reasons])).toEqual([
      ["team", "update", ["name"], [], []], ["pass-rate", "delete", [], [], []], ["release-gate", "update", ["rules"], [], []],
    ]);
    expect(fs.readFileSync(path.join(dir, "summary.md"), "utf8")).toContain("| ~ | PipelineGroup | team | update | name |");
    expect(JSON.parse(fs.readFileSync(path.join(dir, "summary.json"), "utf8")).operation).toBe("drift");
  });
});

describe("commands", () => {
  test("every command has --help; unknown commands are usage errors", async () => {
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    const err = jest.spyOn(console, "error").mockImplementation(() => undefined);
    for (const c of ["preview", "up", "refresh", "destroy", "drift", "summarize", "doctor", "emulator", "sweep", "conformance"]) {
      expect(await main([c, "--help"])).toBe(EXIT.ok);
      expect(log.mock.calls.at(-1)![0]).toMatch(new RegExp(`^usage: pulumi-codearts ${c}`));
    }
    expect(await main(["frobnicate"])).toBe(EXIT.usage);
    // The main help names every command it dispatches.
    await main(["--help"]);
    for (const c of ["preview", "up", "refresh", "destroy", "drift", "summarize", "doctor", "emulator", "sweep", "conformance"]) expect(log.mock.calls.at(-1)![0]).toMatch(new RegExp(`^  ${c} `, "m"));
    log.mockRestore();
    err.mockRestore();
  });
  test("stack commands need the Pulumi CLI and say so", async () => {
    const cli = await findPulumiCli();
    if (cli.found) {
      console.log(`pulumi CLI ${cli.version} found: covered by the automation tests`);
      return;
    }
    const err = jest.spyOn(console, "error").mockImplementation(() => undefined);
    expect(await main(["preview", "--stack", "dev"])).toBe(EXIT.noPulumiCli);
    expect(err.mock.calls[0][0]).toMatch(/the Pulumi CLI was not found on PATH/);
    err.mockRestore();
    console.log(CLI_MISSING);
  });
});

describe("doctor against the emulator", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0 });
  });
  afterAll(() => emu.close());

  test("well-formed credentials pass; the VPCEP API has nothing read-only", async () => {
    const checks = await doctor(clientSettings(emu));
    const by = Object.fromEntries(checks.map((c) => [c.name, c]));
    expect(by.credentials.status).toBe("ok");
    expect(by["account id"].status).toBe("ok");
    expect(by.pipeline).toMatchObject({ status: "ok", detail: expect.stringMatching(/signed read-only call accepted/) });
    expect(by.devuc.status).toBe("skip");
    expect(by.devuc.detail).toMatch(/only a DELETE/);
    expect(by["pulumi CLI"].status).toMatch(/ok|warn/);
  });
  test("a bad secret key is reported as rejected credentials (401), not as a permission problem", async () => {
    const checks = await doctor({ ...clientSettings(emu), secretKey: "WrongSecretKey000000000000000000000000001" }, ["pipeline"]);
    expect(checks.find((c) => c.name === "pipeline")).toMatchObject({ status: "fail", detail: expect.stringMatching(/credentials rejected \(HTTP 401 APIG\.0301/) });
    expect(JSON.stringify(checks)).not.toContain("WrongSecretKey");
  });
  test("a wrong endpoint is reported unreachable", async () => {
    const checks = await doctor({ ...clientSettings(emu), endpoints: { "*": "http://127.0.0.1:1" } }, ["coc"]);
    expect(checks.find((c) => c.name === "coc")).toMatchObject({ status: "fail", detail: expect.stringMatching(/unreachable \(ECONNREFUSED\)/) });
  });
  test("malformed credentials fail before any call", async () => {
    const mark = emu.log.mark();
    const checks = await doctor({ ...clientSettings(emu), accessKey: "lower-case-ak", secretKey: "x" }, ["coc"]);
    expect(checks[0]).toMatchObject({ name: "credentials", status: "fail" });
    expect(emu.log.since(mark)).toHaveLength(0);
  });
});
