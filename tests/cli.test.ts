import * as fs from "fs";
import * as path from "path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { drifted, renderMarkdown, summarize } from "../cli/summary";
import { doctor } from "../cli/doctor";
import { findPulumiCli, CLI_MISSING } from "../cli/pulumiCli";
import { main, EXIT } from "../cli/main";
import { startEmulator, Emulator, clientSettings } from "../emulator";

const events = (file: string): EngineEvent[] => JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", file), "utf8"));

describe("summaries from recorded engine events", () => {
  const s = summarize("preview", events("preview-events.json"));

  test("counts per operation come from the engine's summary", () => {
    expect(s.counts).toEqual({ create: 1, update: 1, replace: 1, same: 2 });
  });
  test("one line per changing resource, a replacement folded into one line with its reason", () => {
    expect(s.resources.map((r) => [r.name, r.op])).toEqual([["services", "create"], ["platform", "update"], ["child", "replace"]]);
    const child = s.resources.find((r) => r.name === "child")!;
    expect(child.replaces).toEqual(["parentId"]);
    expect(child.reasons).toEqual(["the Pipeline API cannot move a group to another parent (§4.3.2 updates only the name)"]);
  });
  test("refused changes (check failures) are listed with the resource and the rule", () => {
    expect(s.refused).toEqual([{ urn: expect.stringContaining("::legacy"), name: "legacy", message: expect.stringContaining("must be a pipeline group ID") }]);
    expect(s.warnings).toEqual([expect.stringContaining("destroy leaves the plan in CloudTest")]);
  });
  test("Markdown for a pull-request comment", () => {
    const md = renderMarkdown(s);
    expect(md).toContain("### pulumi-codearts: preview");
    expect(md).toContain("**1** create · **1** update · **1** replace · **2** unchanged");
    expect(md).toContain("#### :no_entry: Refused changes");
    expect(md).toContain("- **PipelineGroup child** is replaced (parentId): the Pipeline API cannot move a group");
    expect(md).toContain("| ~ | PipelineGroup | platform | update | name |");
    expect(md).toContain("| +- | PipelineGroup | child | replace | **parentId** (replaces) |");
    expect(md).not.toContain("<{%reset%}>");
  });
  test("drift: changed outputs and gone resources, not the steady ones", () => {
    const d = drifted(summarize("drift", events("drift-events.json")));
    expect(d.map((r) => [r.name, r.op, r.changes])).toEqual([["platform", "update", ["name"]], ["removed", "delete", []]]);
  });
});

describe("commands", () => {
  test("every command has --help; unknown commands are usage errors", async () => {
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    const err = jest.spyOn(console, "error").mockImplementation(() => undefined);
    for (const c of ["preview", "up", "refresh", "destroy", "drift", "doctor", "emulator"]) {
      expect(await main([c, "--help"])).toBe(EXIT.ok);
      expect(log.mock.calls.at(-1)![0]).toMatch(new RegExp(`^usage: pulumi-codearts ${c}`));
    }
    expect(await main(["frobnicate"])).toBe(EXIT.usage);
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
