import { ApiClient } from "../provider/client";
import type { Settings } from "../provider/config";
import { ApiError, NetworkError } from "../provider/errors";
import { startEmulator, Emulator, DEFAULT_ACCOUNT, clientSettings } from "../emulator";

// The client core against the emulator, fault by fault, in the spirit of undici's own tests:
// every assertion is on what went over the wire (the emulator's log) or on the error the caller sees.
let emu: Emulator;
const P = DEFAULT_ACCOUNT.codeartsProjects[0];
const tree = `/v5/${P}/api/pipeline-group/tree`;
const create = `/v5/${P}/api/pipeline-group/create`;

function settings(over: Partial<Settings> = {}): Settings {
  return { ...clientSettings(emu), ...over };
}
const fast = { retryPolicy: { baseDelayMs: 1, maxDelayMs: 5 } };
const clients: ApiClient[] = [];
const client = (over: Partial<Settings> = {}, opts = fast) => {
  const c = new ApiClient(settings(over), opts);
  clients.push(c);
  return c;
};
const getTree = (c: ApiClient) => c.send({ service: "pipeline", method: "GET", path: tree, operation: "PipelineGroup.tree" });
const createGroup = (c: ApiClient, name: string) =>
  c.send<{ id: string }>({ service: "pipeline", method: "POST", path: create, body: { name, project_id: P, parent_id: "" }, operation: "PipelineGroup.create" });
const hits = (path: string, mark: number) => emu.log.since(mark).filter((e) => e.path === path).length;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, quiet: true });
});
afterEach(() => emu.faults.clear());
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await emu.close();
});

describe("signed calls and error decoding", () => {
  test("an AK/SK-signed read is accepted", async () => {
    const res = await getTree(client());
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body)).toBe(true);
  });

  test("an error inside HTTP 200 is an ApiError with code, message, request id and operation", async () => {
    const err = await client()
      .send({ service: "pipeline", method: "POST", path: create, body: { project_id: P }, operation: "PipelineGroup.create", resource: "nameless" })
      .catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(200);
    expect(err.errorCode).toMatch(/^DEVCP\.|^DEVPIPE\./);
    expect(err.errorMsg).toBeTruthy();
    expect(err.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(err.message).toContain("PipelineGroup.create for nameless failed: HTTP 200 " + err.errorCode);
  });

  test("a bad secret key gets the gateway's 401, and the message does not contain the key", async () => {
    const secret = "definitely-wrong-secret-key";
    const err = await getTree(client({ secretKey: secret })).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(401);
    expect(err.errorCode).toBe("APIG.0301");
    expect(err.message).not.toContain(secret);
  });

  test("an unknown path is a 404 ApiError, and not a 'gone' object (a wrong path must never pass for a deletion)", async () => {
    const err = await client()
      .send({ service: "pipeline", method: "GET", path: "/v5/nothing/here", operation: "Test.get" })
      .catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(404);
    expect(err.provesAbsence(["APIG.0101"])).toBe(false); // a gateway code is never proof, even when listed
  });
});

describe("retries only where a repeat is safe", () => {
  test("429 is retried, honouring Retry-After, for any request", async () => {
    emu.faults.inject({ method: "POST", path: create, fault: { type: "rate-limit", retryAfter: 1 } });
    const mark = emu.log.mark();
    const t0 = Date.now();
    const res = await createGroup(client(), "after-429");
    expect(res.body.id).toMatch(/^[0-9a-f]{32}$/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(hits(create, mark)).toBe(2);
  });

  test("a header no request can carry (CR/LF) is refused before sending, never retried, with where to look", async () => {
    const mark = emu.log.mark();
    let waits = 0; // a retry would wait first
    const c = new ApiClient(clientSettings(emu), { retryPolicy: { sleep: async () => void waits++ } });
    const err = await c
      .send({ service: "pipeline", method: "GET", path: "/v5/x/api/pipeline-group/tree", headers: { region: "cn-north-4\r\nX-Injected: 1" }, operation: "Test.badHeader" })
      .then(
        () => undefined,
        (e: unknown) => e,
      )
      .finally(() => c.close());
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).message).toMatch(/CR or LF: check huaweicloud:accessKey/);
    expect(waits).toBe(0);
    expect(emu.log.since(mark)).toHaveLength(0);
  });

  test("5xx on a read is retried", async () => {
    emu.faults.inject({ method: "GET", path: tree, fault: { type: "status", status: 503 }, times: 2 });
    const mark = emu.log.mark();
    await expect(getTree(client())).resolves.toMatchObject({ status: 200 });
    expect(hits(tree, mark)).toBe(3);
  });

  test("5xx on a create is not retried: the caller sees the failure", async () => {
    emu.faults.inject({ method: "POST", path: create, fault: { type: "status", status: 500 } });
    const mark = emu.log.mark();
    const err = await createGroup(client(), "no-blind-retry").catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(500);
    expect(hits(create, mark)).toBe(1);
  });

  test("a connection reset is retried for a read, not for a create", async () => {
    emu.faults.inject({ method: "GET", path: tree, fault: { type: "reset" } });
    let mark = emu.log.mark();
    await expect(getTree(client())).resolves.toMatchObject({ status: 200 });
    expect(hits(tree, mark)).toBe(2);

    emu.faults.inject({ method: "POST", path: create, fault: { type: "reset" } });
    mark = emu.log.mark();
    const err = await createGroup(client(), "reset").catch((e) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.ambiguous).toBe(true);
    expect(hits(create, mark)).toBe(1);
  });

  test("maxRetries bounds the attempts", async () => {
    emu.faults.inject({ method: "GET", path: tree, fault: { type: "status", status: 502 }, times: 10 });
    const mark = emu.log.mark();
    const err = await getTree(client({ maxRetries: 2 })).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(502);
    expect(hits(tree, mark)).toBe(3);
  });

  test("a response that never comes times out as an ambiguous NetworkError", async () => {
    emu.faults.inject({ method: "POST", path: create, fault: { type: "hang-after-commit" } });
    const err = await createGroup(client({ requestTimeoutMs: 300 }), "hung").catch((e) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.ambiguous).toBe(true);
  });
});

describe("IAM token authentication", () => {
  const user = DEFAULT_ACCOUNT.users[0];
  const tokenSettings = (): Partial<Settings> => ({
    accessKey: undefined,
    secretKey: undefined,
    domainId: undefined,
    userName: user.name,
    password: user.password,
    domainName: DEFAULT_ACCOUNT.domainName,
  });

  test("a token is fetched once, cached, and renewed once after a 401", async () => {
    const c = client(tokenSettings());
    const mark = emu.log.mark();
    await getTree(c);
    await getTree(c);
    expect(hits("/v3/auth/tokens", mark)).toBe(1);
    emu.expireTokens();
    await expect(getTree(c)).resolves.toMatchObject({ status: 200 });
    expect(hits("/v3/auth/tokens", mark)).toBe(2);
    expect(await c.domainId()).toBe(DEFAULT_ACCOUNT.domainId);
  });

  test("a wrong password is IAM's 401, without the password in the message", async () => {
    const err = await getTree(client({ ...tokenSettings(), password: "wrong-password-123" })).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(401);
    expect(err.operation).toBe("IAM.createToken");
    expect(err.message).not.toContain("wrong-password-123");
  });
});
