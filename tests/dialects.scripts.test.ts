import { seedVpcepRecords, vpcepRecords } from "../emulator";
import { type MatrixCell, renderMatrix, rowMatrix } from "./support/dialectMatrix";
import { stackConfig, startWorld, World, inWorld } from "./support/world";

/**
 * Dialects of the COC script (S) and VPCEP access-control (V) rows of docs/ambiguities.md: the
 * generic lifecycle under every reading, then a scenario per row in which the reading matters,
 * asserting what the service holds afterwards.
 */
jest.setTimeout(120_000);

const R = "ap-southeast-3";
const V = "VpcepAccessControl";

let cells: MatrixCell[] = [];
afterAll(() => console.log(`dialect matrix, scripts and VPCEP rows:\n${renderMatrix(cells)}`));

test("matrix: every reading of V1, V2, S3, S4, S1, S2, S5, S6", async () => {
  cells = await rowMatrix(["V1", "V2", "S3", "S4", "S1", "S2", "S5", "S6"]);
  expect(cells.filter((c) => !c.ok)).toEqual([]);
});

describe("V1: the DELETE path (EN URI or /v2/vpceps); the other answers a gateway 404", () => {
  for (const [reading, declared] of [
    ["en", undefined],
    ["zh", undefined],
    ["en", "/v2/vpceps"],
    ["zh", "/devuc-accessmgmt/v2/vpceps"],
  ] as const) {
    test(`V1=${reading}, declared path ${declared ?? "(default)"}: update and destroy revoke for real`, () =>
      inWorld({ V1: reading }, async (w) => {
        seedVpcepRecords(w.emu.store, w.account.domainId, R, ["vpcep-a", "vpcep-b", "vpcep-keep"]);
        const path = declared ? { path: declared } : {};
        await w.engine.up(V, "acl", { region: R, vpceps: [{ vpcepId: "vpcep-a" }, { vpcepId: "vpcep-b" }], ...path });
        expect((await w.engine.up(V, "acl", { region: R, vpceps: [{ vpcepId: "vpcep-a" }], ...path })).op).toBe("update");
        expect(vpcepRecords(w.emu.store, w.account.domainId, R).sort()).toEqual(["vpcep-a", "vpcep-keep"]);
        await w.engine.destroy(V, "acl");
        expect(vpcepRecords(w.emu.store, w.account.domainId, R)).toEqual(["vpcep-keep"]);
        const deletes = w.emu.log.entries.filter((e) => e.operation === "VpcepAccessControl.delete");
        // The answers the revokes met: a gateway 404 on the path not served, then 200 on the other.
        expect(deletes.filter((e) => e.status === 200)).toHaveLength(2);
        expect(deletes.every((e) => e.status === 200 || e.status === 404)).toBe(true);
      }));
  }

  test("a gateway 404 on both paths is never 'revoked': destroy fails naming both paths, the records and the state stay", async () => {
    // The devuc endpoint points below a prefix the gateway does not publish: neither path is served.
    const w = await startWorld({ config: (emu) => ({ ...stackConfig(emu), "huaweicloud:endpoints": JSON.stringify({ "*": emu.url, devuc: `${emu.url}/nowhere` }) }) });
    try {
      seedVpcepRecords(w.emu.store, w.account.domainId, R, ["vpcep-a", "vpcep-b"]);
      await w.engine.up(V, "acl", { region: R, vpceps: [{ vpcepId: "vpcep-a" }, { vpcepId: "vpcep-b" }] });
      await expect(w.engine.up(V, "acl", { region: R, vpceps: [{ vpcepId: "vpcep-a" }] })).rejects.toThrow(
        /neither documented DELETE path is served.*\/devuc-accessmgmt\/v2\/vpceps: HTTP 404 APIG\.0101.*\/v2\/vpceps: HTTP 404 APIG\.0101/,
      );
      await expect(w.engine.destroy(V, "acl")).rejects.toThrow(/Nothing was revoked/);
      expect(vpcepRecords(w.emu.store, w.account.domainId, R).sort()).toEqual(["vpcep-a", "vpcep-b"]);
      expect(w.engine.state.get(w.engine.urn(V, "acl"))!.outputs.vpceps).toHaveLength(2);
    } finally {
      await w.close();
    }
  });
});

describe("V2: the devuc endpoint serves one region; `strict` refuses another region header", () => {
  /** The region the emulator's devuc endpoint serves under V2=strict: the account's first IAM project. */
  const HOME = "cn-north-4";
  for (const reading of ["any", "strict"]) {
    test(`V2=${reading}: a region other than huaweicloud:region, without a devuc endpoint, is refused at preview, no call made`, () =>
      inWorld({ V2: reading }, async (w) => {
        await w.host.configure({ ...stackConfig(w.emu), "huaweicloud:endpoints": JSON.stringify({ iam: w.emu.url }) });
        const mark = w.emu.log.mark();
        const r = await w.engine.up(V, "acl", { region: R, vpceps: [{ vpcepId: "vpcep-a" }] });
        expect(r.op).toBe("invalid");
        expect(r.failures).toEqual([{ property: "region", reason: expect.stringMatching(/derived from huaweicloud:region \(cn-north-4\).*V2.*endpoints \{"devuc"/) }]);
        expect(w.emu.log.since(mark)).toHaveLength(0);
      }));
  }

  test("V2=strict: a region header the endpoint does not serve is never 'revoked': update and destroy fail naming V2, records and state stay; the served region revokes", () =>
    inWorld({ V2: "strict" }, async (w) => {
      seedVpcepRecords(w.emu.store, w.account.domainId, R, ["vpcep-a", "vpcep-b"]);
      seedVpcepRecords(w.emu.store, w.account.domainId, HOME, ["vpcep-h", "vpcep-i"]);
      // huaweicloud:endpoints "*" names the endpoint explicitly: the provider cannot know its region, the service says.
      await w.engine.up(V, "acl", { region: R, vpceps: [{ vpcepId: "vpcep-a" }, { vpcepId: "vpcep-b" }] });
      await expect(w.engine.up(V, "acl", { region: R, vpceps: [{ vpcepId: "vpcep-a" }] })).rejects.toThrow(
        /refused the region header ap-southeast-3 \(HTTP 400 UC\.00011001.*V2\)\. Nothing was revoked/,
      );
      await expect(w.engine.destroy(V, "acl")).rejects.toThrow(/UC\.00011001.*Nothing was revoked/);
      expect(vpcepRecords(w.emu.store, w.account.domainId, R).sort()).toEqual(["vpcep-a", "vpcep-b"]);
      expect(w.engine.state.get(w.engine.urn(V, "acl"))!.outputs.vpceps).toHaveLength(2);
      await w.engine.up(V, "home", { region: HOME, vpceps: [{ vpcepId: "vpcep-h" }, { vpcepId: "vpcep-i" }] });
      await w.engine.destroy(V, "home");
      expect(vpcepRecords(w.emu.store, w.account.domainId, HOME)).toEqual([]);
    }));
});

const S = "Script";
const script = (name: string, extra: Record<string, unknown> = {}) => ({ name, description: "d", type: "SHELL", content: "echo hi", riskLevel: "LOW", version: "1", ...extra });
const params = (n: number, value = "v") => Array.from({ length: n }, (_, i) => ({ name: `p${i + 1}`, value }));
const scripts = (w: World) =>
  Object.values(
    (w.emu.store.snapshot().cocScripts ?? {}) as Record<string, Record<string, { name: string; content: string; script_params: unknown[]; description: string }>>,
  ).flatMap((t) => Object.values(t));

describe("S1: script_params on update, 20 or 5", () => {
  for (const reading of ["20", "5"]) {
    test(`S1=${reading}: 6 parameters are created; an in-place update with 6 is refused at preview, with 5 it goes through`, () =>
      inWorld({ S1: reading }, async (w) => {
        expect((await w.engine.up(S, "s", script("six", { params: params(6) }))).op).toBe("create");
        expect((await w.engine.up(S, "s", script("six", { params: params(6) }))).op).toBe("same");
        const mark = w.emu.log.mark();
        const r = await w.engine.up(S, "s", script("six", { params: params(6), description: "changed" }));
        expect(r.op).toBe("invalid");
        expect(r.failures).toEqual([{ property: "params", reason: expect.stringMatching(/at most 5 parameters.*Table 4-19/) }]);
        expect(w.emu.log.since(mark)).toHaveLength(0);
        expect((await w.engine.up(S, "s", script("six", { params: params(5), description: "changed" }))).op).toBe("update");
        expect(scripts(w)).toMatchObject([{ name: "six", description: "changed" }]);
        expect(scripts(w)[0].script_params).toHaveLength(5);
      }));
  }
});

describe("S2: param_value characters, length only or the documented pattern", () => {
  for (const reading of ["length", "pattern"]) {
    test(`S2=${reading}: a value outside the pattern is refused at preview, one inside it is stored`, () =>
      inWorld({ S2: reading }, async (w) => {
        for (const bad of ["a$b", "{{x}}", "tab\there", "ä"]) {
          const mark = w.emu.log.mark();
          const r = await w.engine.up(S, "bad", script("bad", { params: [{ name: "p", value: bad }] }));
          expect(r.op).toBe("invalid");
          expect(r.failures).toEqual([{ property: "params[0].value", reason: expect.stringMatching(/documented pattern.*S2/) }]);
          expect(w.emu.log.since(mark)).toHaveLength(0);
        }
        const good = `a-b_c /d*e?f:"g'h=i+j@[k]{l}`;
        expect((await w.engine.up(S, "ok", script("ok", { params: [{ name: "p", value: good }] }))).op).toBe("create");
        expect(scripts(w)).toMatchObject([{ name: "ok", script_params: [{ param_value: good }] }]);
      }));
  }
});

test("S3=top-level: the detail is read at top level: refresh and the next up are clean", () =>
  inWorld({ S3: "top-level" }, async (w) => {
    await w.engine.up(S, "s", script("s3"));
    expect((await w.engine.refresh(S, "s")).op).toBe("refresh");
    expect((await w.engine.up(S, "s", script("s3"))).op).toBe("same");
  }));

test("S4=required: the update carries name and type, and the service holds the change", () =>
  inWorld({ S4: "required" }, async (w) => {
    await w.engine.up(S, "s", script("s4"));
    expect((await w.engine.up(S, "s", script("s4", { content: "echo changed" }))).op).toBe("update");
    expect(scripts(w)).toMatchObject([{ name: "s4", content: "echo changed" }]);
    const put = w.emu.log.entries.filter((e) => e.operation === "Script.update");
    expect(put.map((e) => e.status)).toEqual([200]);
  }));

describe("S5: list marker ids beyond 2^53", () => {
  /** 32 characters: the provider's name_like filter, so every seeded script matches it. */
  const PREFIX = "bulk_scripts_sharing_one_prefix_";
  for (const reading of ["small", "long"]) {
    test(`S5=${reading}: an ambiguous create is recovered from the second page of the listing, no duplicate, no error`, () =>
      inWorld({ S5: reading }, async (w) => {
        // 150 scripts sharing the name prefix: the listing (limit 100) needs its marker to reach the second page.
        for (let i = 0; i < 150; i++)
          await w.outOfBand.send({
            service: "coc",
            method: "POST",
            path: "/v1/job/scripts",
            body: { name: `${PREFIX}_${String(i).padStart(3, "0")}`, description: "d", type: "SHELL", content: "true", properties: { risk_level: "LOW", version: "1" } },
            operation: "Test.seed",
          });
        w.emu.faults.inject({ method: "POST", path: "/v1/job/scripts", fault: { type: "commit-then-fail", status: 500 }, times: 1 });
        const r = await w.engine.up(S, "s", script(`${PREFIX}_150`));
        expect(r.op).toBe("create");
        expect(scripts(w).filter((s) => s.name === `${PREFIX}_150`)).toHaveLength(1);
        expect(scripts(w)).toHaveLength(151);
        const listed = w.emu.log.entries.filter((e) => e.operation === "Script.list");
        expect(listed.length).toBeGreaterThanOrEqual(2);
      }));
  }
});

describe("S6: content line endings read back verbatim or as LF", () => {
  for (const reading of ["verbatim", "lf"]) {
    test(`S6=${reading}: CRLF content: no diff on refresh or the next up; a real change still updates`, () =>
      inWorld({ S6: reading }, async (w) => {
        const crlf = "echo one\r\necho two\r\n";
        await w.engine.up(S, "s", script("s6", { content: crlf }));
        const r = await w.engine.refresh(S, "s");
        expect(r.state!.outputs.content).toBe(crlf);
        expect((await w.engine.up(S, "s", script("s6", { content: crlf }))).op).toBe("same");
        expect((await w.engine.up(S, "s", script("s6", { content: "echo three\r\n" }))).op).toBe("update");
        expect(scripts(w)[0].content).toBe("echo three\r\n");
      }));
  }
});

test("V3: description accepts the union of the EN and ZH character sets, and nothing beyond it, at preview", async () => {
  const w = await startWorld();
  try {
    seedVpcepRecords(w.emu.store, w.account.domainId, R, ["vpcep-a"]);
    for (const bad of ["a/b", "Ünïcode", "кириллица", "tab\there"]) {
      const r = await w.engine.up(V, "bad", { region: R, vpceps: [{ vpcepId: "vpcep-a", description: bad }] });
      expect(r.op).toBe("invalid");
      expect(r.failures).toEqual([{ property: "vpceps[0].description", reason: expect.stringMatching(/union of the English and Chinese references/) }]);
    }
    const ok = "Prod_link (east) [v2] ~a&b; 生产环境-1.0";
    expect((await w.engine.up(V, "ok", { region: R, vpceps: [{ vpcepId: "vpcep-a", description: ok }] })).op).toBe("create");
    await w.engine.destroy(V, "ok");
    expect(vpcepRecords(w.emu.store, w.account.domainId, R)).toEqual([]);
  } finally {
    await w.close();
  }
});
