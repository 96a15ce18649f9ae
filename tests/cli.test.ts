import * as fs from "fs";
import * as path from "path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import * as os from "os";
import { drifted, HIDDEN_CHANGE, renderMarkdown, summarize, Summary, verdict } from "../cli/summary";
import { doctor } from "../cli/doctor";
import { findPulumiCli } from "../cli/pulumiCli";
import { main, EXIT } from "../cli/main";
import { startEmulator, Emulator, clientSettings } from "../emulator";

const FIXTURES = path.join(__dirname, "fixtures", "events");
const events = (file: string): EngineEvent[] =>
  fs
    .readFileSync(path.join(FIXTURES, file), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as EngineEvent);
const line = (s: Summary, name: string) => s.resources.find((r) => r.name === name);

// Summaries of engine events the real CLI wrote (tests/fixtures/events/README.md: how they were
// recorded, the CLI version, the shapes). The engine decides whether a resource changes and whether the
// operation succeeded; the provider's rules say what changed.
const urnsOf = (all: EngineEvent[]) => all.flatMap((e) => [e.resourcePreEvent?.metadata, e.resOutputsEvent?.metadata].filter((m) => m !== undefined));
/** The same log as an older engine wrote it (the shapes that changed, from the engine's changelog). */
const olderEngine = {
  /** Before 3.237: the summary event has no `result`. */
  withoutResult: (all: EngineEvent[]) => all.map((e) => (e.summaryEvent ? { ...e, summaryEvent: { ...e.summaryEvent, result: undefined } } : e)),
  /** Before 3.131: internal events (default providers, remove-pending-replace) were filtered before the log was written. */
  withoutInternal: (all: EngineEvent[]) =>
    all.filter((e) => {
      const m = e.resourcePreEvent?.metadata ?? e.resOutputsEvent?.metadata;
      return !m || !(m.type.startsWith("pulumi:providers:") && /::default(_[^:]*)?$/.test(m.urn));
    }),
  /** Before 3.120: a refresh's results event carried op `refresh`, the summary decided. */
  refreshOp: (all: EngineEvent[]) =>
    all.map((e) => (e.resOutputsEvent ? { ...e, resOutputsEvent: { ...e.resOutputsEvent, metadata: { ...e.resOutputsEvent.metadata, op: "refresh" as const } } } : e)),
};

describe("the real log's shapes", () => {
  test("fixtures are the CLI's own JSON: logical is omitted when false, the summary has result and PolicyPacks", () => {
    const all = events("up-update-replace.jsonl");
    const replacement = urnsOf(all).find((m) => m.op === "create-replacement")!;
    expect("logical" in replacement).toBe(false);
    const summary = all.find((e) => e.summaryEvent)!.summaryEvent as unknown as Record<string, unknown>;
    expect(summary).toMatchObject({ result: "succeeded", isPreview: false, PolicyPacks: {} });
    expect(summary).not.toHaveProperty("policyPacks");
    expect(fs.readFileSync(path.join(FIXTURES, "VERSION"), "utf8")).toMatch(/^v3\.\d+\.\d+/);
  });
});

describe("logs an older engine wrote (Pulumi v3.130.0: no internal events, no `result`)", () => {
  const old = (f: string) => events(path.join("v3.130.0", f));
  test("recorded from that CLI", () => {
    expect(fs.readFileSync(path.join(FIXTURES, "v3.130.0", "VERSION"), "utf8").trim()).toBe("v3.130.0");
    const all = old("up-create.jsonl");
    expect(urnsOf(all).some((m) => m.type.startsWith("pulumi:providers:"))).toBe(false);
    expect(all.find((e) => e.summaryEvent)!.summaryEvent).not.toHaveProperty("result");
  });
  test("new stack and replacements: the same summaries as today's engine gives", () => {
    for (const [op, f] of [
      ["up", "up-create.jsonl"],
      ["up", "up-update-replace.jsonl"],
    ] as const) {
      const then = summarize(op, old(f));
      const now = summarize(op, events(f));
      expect([f, then.inconsistent, then.result, verdict(then).outcome]).toEqual([f, undefined, "succeeded", "ok"]);
      const rows = (s: Summary) => s.resources.map((r) => [r.kind, r.name, r.op, r.changes, r.replaces]);
      expect(rows(then)).toEqual(rows(now));
      expect(then.counts).toEqual(now.counts);
    }
  });
  test("without `result`, a check failure or a program's exception still fails the preview (exit 1)", () => {
    const refused = summarize("preview", old("preview-refused.jsonl"));
    expect([refused.result, refused.refused.map((r) => r.name), verdict(refused).outcome]).toEqual(["failed", ["team"], "failed"]);
    const thrown = summarize("preview", old("preview-program-error.jsonl"));
    expect([thrown.result, verdict(thrown).outcome]).toEqual(["failed", "failed"]);
    expect(thrown.errors).toContain("the program failed on purpose (engine-tests:throw is set)");
  });
});

describe("preview and up summaries", () => {
  test("a new stack: every resource created; the default provider's step is neither counted nor shown", () => {
    for (const [op, f] of [
      ["preview", "preview-create.jsonl"],
      ["up", "up-create.jsonl"],
    ] as const) {
      const all = events(f);
      // The log has the internal step; the engine's summary does not count it.
      expect(urnsOf(all).some((m) => m.urn.endsWith("::pulumi:providers:pulumi-nodejs::default") && m.op === "create")).toBe(true);
      const s = summarize(op, all);
      expect([f, s.inconsistent, s.result, verdict(s).outcome]).toEqual([f, undefined, "succeeded", "ok"]);
      expect(s.resources.every((r) => r.op === "create")).toBe(true);
      expect(s.resources.some((r) => r.type.startsWith("pulumi:"))).toBe(false);
      expect(new Set(s.resources.map((r) => r.kind)).size).toBe(12);
      expect(renderMarkdown(s)).not.toMatch(/pulumi-nodejs \|/);
      // Engines before 3.131 wrote no internal events: the same summary.
      expect(summarize(op, olderEngine.withoutInternal(all))).toEqual(s);
    }
  });

  test("updates name their properties and replacements their keys and reasons; non-logical steps carry no `logical`", () => {
    const s = summarize("preview", events("preview-update-replace.jsonl"));
    expect(s.inconsistent).toBeUndefined();
    expect(line(s, "team")).toMatchObject({ op: "update", changes: ["name"] });
    expect(line(s, "publisher")).toMatchObject({ op: "replace", replaces: ["enName", "name", "supportUrl"] });
    expect(line(s, "publisher")!.reasons[0]).toMatch(/no update/);
    expect(line(s, "regression")).toMatchObject({ op: "replace", changes: ["name"] });
    // The released version's publisher is being replaced: its id is not known until the up.
    expect(line(s, "deploy-step-0.0.1")!.changes).toContain("publisherId (computed)");
    const md = renderMarkdown(s);
    expect(md).toContain("| ~ | PipelineGroup | team | update | name |");
    expect(md).toContain("- **TestPlan regression** is replaced (name): CloudTest has no update API");
    expect(md).toMatch(/\| \+- \| Publisher \| publisher \| replace \| \*\*enName\*\* \(replaces\)/);
    const up = summarize("up", events("up-update-replace.jsonl"));
    expect([up.inconsistent, verdict(up).outcome]).toEqual([undefined, "ok"]);
    const sorted = (x: Summary) => x.resources.map((r) => [r.name, r.op]).sort();
    expect(sorted(up)).toEqual(sorted(s));
  });

  test("a delete-before-replace replacement (delete-replaced before replace) is one replacement", () => {
    for (const [op, f] of [
      ["preview", "preview-delete-before-replace.jsonl"],
      ["up", "up-delete-before-replace.jsonl"],
    ] as const) {
      const all = events(f);
      const steps = urnsOf(all)
        .filter((m) => m.urn.endsWith("::fixed-name"))
        .map((m) => m.op);
      expect(steps.indexOf("delete-replaced")).toBeLessThan(steps.indexOf("create-replacement"));
      const s = summarize(op, all);
      expect([s.inconsistent, s.resources.map((r) => [r.name, r.op, r.replaces])]).toEqual([undefined, [["fixed-name", "replace", ["type"]]]]);
    }
  });

  test("a change only a secret explains is shown without any value", () => {
    const s = summarize("preview", events("preview-secret-only.jsonl"));
    expect(s.resources.map((r) => [r.name, r.op, r.changes])).toEqual([["rotate-logs", "update", [HIDDEN_CHANGE]]]);
    expect(JSON.stringify(s) + renderMarkdown(s)).not.toMatch(/rotate-token-value/);
  });

  test("a resource removed from the program is a delete", () => {
    expect(summarize("preview", events("preview-delete.jsonl")).resources.map((r) => [r.kind, r.op])).toEqual([["VpcepAccessControl", "delete"]]);
  });

  test("a check failure fails the preview: refused with the rule, exit 1, also without `result` (before 3.237)", () => {
    for (const all of [events("preview-refused.jsonl"), olderEngine.withoutResult(events("preview-refused.jsonl"))]) {
      const s = summarize("preview", all);
      expect(s.result).toBe("failed");
      expect(s.refused.map((r) => r.name)).toEqual(["team"]);
      expect(s.refused[0].message).toMatch(/projectId value \{not-a-project-id\} has a problem: must be a CodeArts project ID/);
      expect(s.failures).toEqual([]);
      expect(verdict(s)).toMatchObject({ outcome: "failed", message: expect.stringMatching(/^the preview failed: team: /) });
      expect(renderMarkdown(s)).toMatch(/#### :x: The preview failed[\s\S]*Refused at check/);
    }
  });

  test("a program that throws: the preview failed with the program's error, never a clean comment", () => {
    for (const all of [events("preview-program-error.jsonl"), olderEngine.withoutResult(events("preview-program-error.jsonl"))]) {
      const s = summarize("preview", all);
      expect(s.result).toBe("failed");
      expect(s.errors).toContain("the program failed on purpose (engine-tests:throw is set)");
      // One line per distinct error, without the stack trace.
      expect(s.errors.join("\n")).not.toMatch(/\n\s+at /);
      expect(verdict(s)).toMatchObject({ outcome: "failed", message: expect.stringContaining("the program failed on purpose") });
      expect(renderMarkdown(s)).toContain("- the program failed on purpose (engine-tests:throw is set)");
    }
  });

  test("a step that fails at the API: the up failed, naming the step and the service's answer (not a contradiction)", () => {
    const s = summarize("up", events("up-step-fails.jsonl"));
    expect([s.result, s.inconsistent]).toEqual(["failed", undefined]);
    expect(s.failures.map((f) => [f.kind, f.name, f.op]).sort()).toEqual([
      ["Rule", "coverage", "update"],
      ["Rule", "pass-rate", "update"],
    ]);
    expect(s.failures[0].message).toMatch(/^Rule\.update got an answer that is not the documented one/);
    expect(s.errors).toEqual(["update failed"]);
    const v = verdict(s);
    expect(v.outcome).toBe("failed");
    expect(v.message).toMatch(/^the up failed: Rule (pass-rate|coverage): Rule\.update/);
    expect(v.message).not.toContain("update failed;");
    expect(renderMarkdown(s)).toMatch(/\| ~ \| Rule \| pass-rate \| \*\*failed\*\* update \|/);
  });

  test("a cancelled run is a failure (result canceled); the log's closing cancelEvent is not", () => {
    const all = events("up-nothing.jsonl");
    expect(all.at(-1)!.cancelEvent).toBeDefined();
    expect(verdict(summarize("up", all)).outcome).toBe("ok");
    const cancelled = all.map((e) => (e.summaryEvent ? { ...e, summaryEvent: { ...e.summaryEvent, result: "canceled" } } : e)) as EngineEvent[];
    expect(verdict(summarize("up", cancelled))).toMatchObject({ outcome: "failed", message: "the up was cancelled" });
  });

  test("entries pending deletion: a replacement whose delete failed, then the up that deletes them", () => {
    const failed = summarize("up", events("up-delete-replaced-fails.jsonl"));
    expect(failed.failures.map((f) => [f.name, f.op]).sort()).toEqual([
      ["api", "delete-replaced"],
      ["web", "delete-replaced"],
    ]);
    expect(verdict(failed).outcome).toBe("failed");
    // The next up deletes them: a delete of the old objects, not a replacement of the live ones.
    const cleanup = summarize("up", events("up-pending-delete.jsonl"));
    expect([cleanup.inconsistent, verdict(cleanup).outcome]).toEqual([undefined, "ok"]);
    expect(cleanup.resources.map((r) => [r.name, r.op, r.pendingDelete]).sort()).toEqual([
      ["api", "delete", true],
      ["web", "delete", true],
    ]);
    expect(renderMarkdown(cleanup)).toContain("| - | Pipeline | api | delete (left pending deletion by an earlier replacement) |");
  });
});

describe("refresh and drift", () => {
  test("nothing changed, or only what the service maintains: no drift", () => {
    for (const f of ["drift-none.jsonl", "drift-service-maintained.jsonl"]) {
      const s = summarize("drift", events(f));
      expect([f, s.inconsistent, drifted(s)]).toEqual([f, undefined, []]);
      expect(verdict(s).outcome).toBe("ok");
    }
    expect(verdict(summarize("refresh", events("refresh.jsonl"))).outcome).toBe("ok");
  });

  test("a declared property changed and a deletion out of band: drift naming both", () => {
    const s = summarize("drift", events("drift-rename-delete.jsonl"));
    expect(drifted(s).map((r) => [r.name, r.op, r.changes])).toEqual([
      ["team", "update", ["name"]],
      ["pass-rate", "delete", []],
      ["release-gate", "update", ["rules"]],
    ]);
    expect(verdict(s)).toMatchObject({ outcome: "drift", message: expect.stringContaining("Rule pass-rate (deleted out of band)") });
  });

  test("a read that fails: the drift job fails (exit 1), never 'no drift', naming the resource and the answer", () => {
    for (const all of [events("drift-read-fails.jsonl"), olderEngine.withoutResult(events("drift-read-fails.jsonl"))]) {
      const s = summarize("drift", all);
      const v = verdict(s);
      expect(v.outcome).toBe("failed");
      expect(s.failures.map((f) => [f.kind, f.name])).toEqual([["RuleSet", "release-gate"]]);
      expect(v.message).toMatch(/^the drift failed: RuleSet release-gate: .*RuleSet\.get got an answer that is not the documented one/);
    }
  });

  test("entries pending deletion share the live resource's URN: refreshed apart, never drift", () => {
    const all = events("refresh-pending-delete.jsonl");
    const results = urnsOf(all).filter((m) => m.urn.endsWith("::api") && m.op !== "refresh");
    expect(results.map((m) => Boolean(m.old?.delete)).sort()).toEqual([false, true]);
    const s = summarize("refresh", all);
    expect([s.inconsistent, verdict(s).outcome]).toEqual([undefined, "ok"]);
    // The live one's drift is not lost to the pending one's result (and the other way round).
    const rewrite = (pending: boolean) =>
      all
        .map((e) => {
          const m = e.resOutputsEvent?.metadata;
          if (!m || !m.urn.endsWith("::api") || Boolean(m.old?.delete) !== pending) return e;
          return { ...e, resOutputsEvent: { ...e.resOutputsEvent!, metadata: { ...m, op: "delete" as const, new: undefined } } };
        })
        .map((e) =>
          e.summaryEvent ? { ...e, summaryEvent: { ...e.summaryEvent, resourceChanges: { ...e.summaryEvent.resourceChanges, same: 18, delete: 1 } } } : e,
        ) as EngineEvent[];
    expect(drifted(summarize("drift", rewrite(false))).map((r) => [r.name, r.op])).toEqual([["api", "delete"]]);
    expect(drifted(summarize("drift", rewrite(true)))).toEqual([]);
  });

  test("another provider's resource: its detailed diff (diffKind entries) or diffs name what drifted", () => {
    const all = events("drift-rename-delete.jsonl");
    // A resource of another provider, as the engine reports one whose provider returns a detailed diff.
    const other = all.map((e) => {
      const m = e.resOutputsEvent?.metadata ?? e.resourcePreEvent?.metadata;
      if (!m || !m.urn.endsWith("::team")) return e;
      const urn = m.urn.replace("pulumi-nodejs:dynamic/codearts:PipelineGroup", "aws:s3/bucketV2:BucketV2");
      const meta = {
        ...m,
        urn,
        type: "aws:s3/bucketV2:BucketV2",
        ...(m.op === "update" ? { diffs: ["tags"], detailedDiff: { "tags.team": { diffKind: "update", inputDiff: true } } } : {}),
      };
      return e.resOutputsEvent ? { ...e, resOutputsEvent: { ...e.resOutputsEvent, metadata: meta } } : { ...e, resourcePreEvent: { ...e.resourcePreEvent!, metadata: meta } };
    }) as EngineEvent[];
    expect(drifted(summarize("drift", other)).find((r) => r.kind === "BucketV2")).toMatchObject({ op: "update", changes: ["tags.team"] });
  });

  test("engines before 3.120 (results op `refresh`): the provider's rules decide, service-maintained changes are no drift", () => {
    expect(drifted(summarize("drift", olderEngine.refreshOp(events("drift-service-maintained.jsonl"))))).toEqual([]);
    const s = summarize("drift", olderEngine.refreshOp(events("drift-rename-delete.jsonl")));
    expect(drifted(s).map((r) => [r.name, r.op])).toEqual([
      ["team", "update"],
      ["pass-rate", "delete"],
      ["release-gate", "update"],
    ]);
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
      for (const [k, v] of [
        ["HW_ACCESS_KEY", before.ak],
        ["HW_SECRET_KEY", before.sk],
      ] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
  test("--json keeps the summary's shape; --out writes summary.md and summary.json", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "summary-"));
    const r = await run(["--event-log", path.join(FIXTURES, "drift-rename-delete.jsonl"), "--operation", "drift", "--json", "--out", dir]);
    const json = JSON.parse(r.text.slice(0, r.text.lastIndexOf("}") + 1));
    expect(
      json.resources.map((x: { name: string; op: string; changes: string[]; replaces: string[]; reasons: string[] }) => [x.name, x.op, x.changes, x.replaces, x.reasons]),
    ).toEqual([
      ["team", "update", ["name"], [], []],
      ["pass-rate", "delete", [], [], []],
      ["release-gate", "update", ["rules"], [], []],
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
    for (const c of ["preview", "up", "refresh", "destroy", "drift", "summarize", "doctor", "emulator", "sweep", "conformance"])
      expect(log.mock.calls.at(-1)![0]).toMatch(new RegExp(`^  ${c} `, "m"));
    log.mockRestore();
    err.mockRestore();
  });
  test("stack commands need the Pulumi CLI (on PATH or built from source) and say so", async () => {
    // A machine with neither: nothing on PATH, an empty build cache.
    const saved = { PATH: process.env.PATH, PULUMI_CODEARTS_CACHE: process.env.PULUMI_CODEARTS_CACHE };
    process.env.PATH = "";
    process.env.PULUMI_CODEARTS_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), "no-cli-"));
    const err = jest.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      expect(await findPulumiCli()).toEqual({ found: false });
      expect(await main(["preview", "--stack", "dev", "--out", fs.mkdtempSync(path.join(os.tmpdir(), "out-"))])).toBe(EXIT.noPulumiCli);
      expect(err.mock.calls[0][0]).toMatch(/the Pulumi CLI was not found on PATH.*npm run pulumi-cli/);
    } finally {
      err.mockRestore();
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
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
