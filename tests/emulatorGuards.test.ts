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
