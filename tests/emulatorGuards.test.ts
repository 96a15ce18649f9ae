import { execFile } from "child_process";
import * as path from "path";
import { request } from "undici";
import { startEmulator, type Emulator } from "../emulator";
import { globMatches, globProblem } from "../emulator/glob";

// Issue 14, item 6: fault rules cannot freeze or break the emulator, and the admin API answers only
// loopback callers addressed by a loopback name, never a page on another site.
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(async () => emu?.close());

const post = (body: string, headers: Record<string, string> = {}) =>
  request(`${emu.url}/__emulator/faults`, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });

test("a backtracking-prone glob matches in linear time", () => {
  const glob = `/v1/job/scripts/${"*a".repeat(15)}!`;
  expect(globProblem(glob)).toBeUndefined();
  const t0 = Date.now();
  expect(globMatches(glob, `/v1/job/scripts/${"a".repeat(5000)}`)).toBe(false);
  expect(Date.now() - t0).toBeLessThan(200);
  expect(globMatches("/v5/*/api/**", "/v5/p/api/pipeline-group/create")).toBe(true);
  expect(globMatches("/v5/*/api/x", "/v5/p/q/api/x")).toBe(false);
});

test("malformed or oversized fault rules are refused with 400, and the emulator keeps serving", async () => {
  const manyStars = JSON.stringify({ path: `/${"*".repeat(50_000)}`, fault: { type: "status", status: 503 } });
  const r1 = await post(manyStars);
  expect(r1.statusCode).toBe(400);
  expect(await r1.body.text()).toMatch(/wildcards|characters/);
  const r2 = await post("not json");
  expect(r2.statusCode).toBe(400);
  await r2.body.dump();
  const log = await request(`${emu.url}/__emulator/log`);
  expect(log.statusCode).toBe(200);
  await log.body.dump();
  expect(emu.faults.pending()).toEqual([]);
});

test("the admin API refuses a non-loopback Host name and cross-site requests", async () => {
  const rule = JSON.stringify({ path: "/v1/job/scripts", fault: { type: "reset" } });
  const rebound = await post(rule, { host: "attacker.example:80" });
  expect(rebound.statusCode).toBe(403);
  await rebound.body.dump();
  const crossSite = await post(rule, { "content-type": "text/plain", origin: "https://attacker.example", "sec-fetch-site": "cross-site" });
  expect(crossSite.statusCode).toBe(403);
  await crossSite.body.dump();
  expect(emu.faults.pending()).toEqual([]);
  const local = await post(rule, { origin: emu.url });
  expect(local.statusCode).toBe(200);
  await local.body.dump();
  emu.faults.clear();
});

test("the state dump masks sensitive script values, as the service shows them", async () => {
  const tenant = "d0000000000000000000000000000001";
  emu.store.collection<Record<string, unknown>>("cocScripts").put(tenant, "s1", {
    script_uuid: "s1",
    name: "rotate",
    script_params: [
      { param_name: "token", param_value: "very-secret-token", sensitive: true },
      { param_name: "n", param_value: "3", sensitive: false },
    ],
  });
  const body = await (await request(`${emu.url}/__emulator/state`)).body.text();
  expect(body).not.toContain("very-secret-token");
  expect(body).toContain('"param_value":"3"');
  expect(body).toContain("*****************");
});

describe("the emulator's command line", () => {
  const run = (args: string[]) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(process.execPath, [path.join(__dirname, "..", "dist", "emulator", "cli.js"), ...args], { timeout: 20_000 }, (err, _out, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stderr }),
      );
    });
  test("usage errors exit 64 before anything starts: a bad port, an unknown dialect, an unwritable --data", async () => {
    expect(await run(["--port", "abc"])).toMatchObject({ code: 64, stderr: expect.stringContaining("--port") });
    expect(await run(["--dialect", "P1=page9"])).toMatchObject({ code: 64, stderr: expect.stringContaining("P1 has no reading") });
    expect(await run(["--data", "/proc/no-such-dir/data.json"])).toMatchObject({ code: 64, stderr: expect.stringContaining("--data") });
  });
});
