import { startWorld, World } from "./support/world";

// Credentials go in through Configure (as secrets) and must come out nowhere: not in `__provider`,
// not in state (inputs or outputs), not in any gRPC answer or error, not in the host's logs.
// Issue 8 extends this to every kind and to sensitive resource values.
let w: World;
const SECRET_KEY_TEXT = () => w.account.secretKey;

beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w?.close();
});

test("the secret key never appears in __provider, state, RPC traffic, errors or logs", async () => {
  const P = w.account.codeartsProjects[0];
  const T = "PipelineGroup";
  await w.engine.up(T, "g", { projectId: P, name: "Secrets" });
  await w.engine.refresh(T, "g");
  await w.engine.up(T, "g", { projectId: P, name: "Secrets 2" });
  // An API error surfaces through the host: an unknown project id is refused by the service.
  const failed = await w.engine.up(T, "x", { projectId: "f".repeat(32), name: "nope" }).catch((e: Error) => e.message);
  expect(typeof failed).toBe("string");
  w.emu.faults.inject({ method: "GET", path: `/v5/${P}/api/pipeline-group/tree`, fault: { type: "status", status: 503 }, times: 10 });
  const refreshFailed = await w.engine.refresh(T, "g").catch((e: Error) => e.message);
  expect(refreshFailed).toMatch(/HTTP 503/);
  w.emu.faults.clear();
  await w.engine.destroy(T, "g");
  await w.host.close(); // logs are complete once the host has exited

  const haystack = JSON.stringify({ state: [...w.engine.state.values()], calls: w.engine.calls, logs: w.host.logs, failed, refreshFailed });
  expect(haystack.length).toBeGreaterThan(1000); // the scan covers real traffic
  expect(haystack).not.toContain(SECRET_KEY_TEXT());
  expect(w.engine.calls.some((c) => c.method.endsWith("/Create"))).toBe(true);
});

test("an error message carrying a configured secret is scrubbed before it leaves the provider", async () => {
  // The provider's last line of defence: even if an API echoed the secret, the host would not see it.
  const { redact, loadSettings } = await import("../provider/config");
  const s = loadSettings((k) => ({ "huaweicloud:accessKey": "AK", "huaweicloud:secretKey": SECRET_KEY_TEXT() } as Record<string, string>)[k], {});
  expect(redact(`echo: ${SECRET_KEY_TEXT()}`, s)).toBe("echo: ***");
});
