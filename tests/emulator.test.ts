import { Dialect } from "../emulator/dialects";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { DEFAULT_ACCOUNT, SECOND_ACCOUNT, startEmulator, type Account, type Emulator } from "../emulator";
import { Router, type CallerContext, type Handler, type RouteMatch } from "../emulator/router";
import { pipelineRoute } from "../emulator/services/pipelineCommon";

/*
 * The emulator seen from the outside: real HTTP with undici, requests signed by the OFFICIAL Node
 * signer (@huaweicloud/huaweicloud-sdk-core; its quirks: pass the body as an object, send the query exactly as it canonicalised
 * it, keep path segments free of "%" and spaces).
 */
interface OracleRequest {
  endpoint: string;
  method: string;
  headers: Record<string, string>;
  queryParams: Record<string, string>;
  data?: unknown;
}
interface Oracle {
  sign(req: OracleRequest, cred: { getAk(): string; getSk(): string }): Record<string, string>;
  CanonicalQueryString(req: { queryParams: Record<string, string> }): string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const oracle: Oracle = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner").AKSKSigner;

const P1 = DEFAULT_ACCOUNT.codeartsProjects[0];
const P2 = DEFAULT_ACCOUNT.codeartsProjects[1];
const USER = DEFAULT_ACCOUNT.users[0];
const groupsPath = (project: string, action: string) => `/v5/${project}/api/pipeline-group/${action}`;
const HEX32 = /^[0-9a-f]{32}$/;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** The request as it will go on the wire; `tamper` may change it after signing. */
interface Wire {
  path: string;
  query: string;
  headers: Record<string, string>;
  body?: string;
}

interface CallOptions {
  query?: Record<string, string>;
  body?: unknown;
  account?: Account;
  /** Pre-set X-Sdk-Date (the signer then signs with it). */
  sdkDate?: string;
  headers?: Record<string, string>;
  tamper?: (wire: Wire) => void;
  headersTimeout?: number;
}

let emu: Emulator;

async function send(method: string, wire: Wire, headersTimeout?: number): Promise<Answer> {
  const url = emu.url + wire.path + (wire.query ? `?${wire.query}` : "");
  const res = await request(url, { method: method as "GET", headers: wire.headers, body: wire.body, headersTimeout });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** A request signed with AK/SK by the official SDK signer. */
function signed(method: string, path: string, opts: CallOptions = {}): Promise<Answer> {
  const account = opts.account ?? DEFAULT_ACCOUNT;
  const queryParams = opts.query ?? {};
  const headers: Record<string, string> = { "Content-Type": "application/json", ...opts.headers };
  if (opts.sdkDate) headers["X-Sdk-Date"] = opts.sdkDate;
  const signedHeaders = oracle.sign(
    { endpoint: emu.url + path, method, headers, queryParams, data: opts.body },
    { getAk: () => account.accessKey, getSk: () => account.secretKey },
  );
  const wire: Wire = {
    path,
    query: oracle.CanonicalQueryString({ queryParams }),
    headers: signedHeaders,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  };
  opts.tamper?.(wire);
  return send(method, wire, opts.headersTimeout);
}

/** A request authenticated with an IAM token. */
function withToken(method: string, path: string, token: string, body?: unknown): Promise<Answer> {
  return send(method, {
    path,
    query: "",
    headers: { "Content-Type": "application/json", "X-Auth-Token": token },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

function passwordAuth(user: string, password: string, domainName: string, scope: unknown) {
  return { auth: { identity: { methods: ["password"], password: { user: { name: user, password, domain: { name: domainName } } } }, scope } };
}

async function getToken(account: Account = DEFAULT_ACCOUNT): Promise<string> {
  const u = account.users[0];
  const res = await send("POST", {
    path: "/v3/auth/tokens",
    query: "",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(passwordAuth(u.name, u.password, account.domainName, { project: { name: account.iamProjects[0].name } })),
  });
  expect(res.status).toBe(201);
  return res.headers["x-subject-token"] as string;
}

/** Asserts the 200-with-error answer of the Pipeline service (CodeArts Pipeline API Reference §5.2). */
function expectPipelineError(res: Answer, code: string): void {
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ error_msg: expect.any(String), error_code: code });
}

/** Asserts the gateway's error shape, with the request id of the X-Request-Id header. */
function expectGatewayError(res: Answer, status: number, code: string, message: string | RegExp): void {
  expect(res.status).toBe(status);
  expect(res.body.error_code).toBe(code);
  expect(res.body.error_msg).toMatch(message);
  expect(res.body.request_id).toMatch(HEX32);
  expect(res.body.request_id).toBe(res.headers["x-request-id"]);
}

async function createGroup(name: string, parentId = "", project = P1): Promise<any> {
  const res = await signed("POST", groupsPath(project, "create"), { body: { name, project_id: project, parent_id: parentId } });
  expect(res.status).toBe(200);
  expect(res.body.error_code).toBeUndefined();
  return res.body;
}

async function tree(project = P1): Promise<any[]> {
  const res = await signed("GET", groupsPath(project, "tree"));
  expect(res.status).toBe(200);
  return res.body;
}

function sdkDate(offsetMs: number): string {
  return new Date(Date.now() + offsetMs)
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(() => emu.close());
beforeEach(() => emu.faults.clear());

/* ---------------------------------------------------------------------------------------------- */

describe("AK/SK signatures", () => {
  test("a request signed by the official signer is accepted, and the query it canonicalised counts", async () => {
    const res = await signed("GET", groupsPath(P1, "tree"));
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body)).toBe(true);
    expect(res.headers["x-request-id"]).toMatch(HEX32);

    const del = await signed("DELETE", groupsPath(P1, "delete"), { query: { id: "f".repeat(32) } });
    expectPipelineError(del, "DEVPIPE.00014007"); // reached the service: the signed query was valid
  });

  test("an unsigned extra header does not break the signature", async () => {
    const res = await signed("GET", groupsPath(P1, "tree"), { tamper: (w) => (w.headers["X-Extra"] = "1") });
    expect(res.status).toBe(200);
  });

  test.each<[string, (w: Wire) => void]>([
    ["body", (w) => (w.body = JSON.stringify({ name: "G2", project_id: P1, parent_id: "" }))],
    ["path", (w) => (w.path = groupsPath(P2, "create"))],
    ["query", (w) => (w.query = "x=2")],
    ["signed header", (w) => (w.headers["Content-Type"] = "application/json;charset=utf-8")],
    ["signature", (w) => (w.headers.Authorization = w.headers.Authorization.replace(/Signature=(.)/, (_m, c) => `Signature=${c === "0" ? "1" : "0"}`))],
  ])("tampering with the %s after signing gives 401 APIG.0301 with the canonical request echoed", async (_what, tamper) => {
    const before = (await tree()).length;
    const res = await signed("POST", groupsPath(P1, "create"), { query: { x: "1" }, body: { name: "G1", project_id: P1, parent_id: "" }, tamper });
    expectGatewayError(res, 401, "APIG.0301", /^Incorrect IAM authentication information: verify aksk signature fail,canonicalRequest:POST\|\/v5\//);
    expect(res.body.error_msg).toMatch(/\|content-type;host;x-sdk-date\|\*{6}$/);
    expect(await tree()).toHaveLength(before);
  });

  test("a date 16 minutes off is refused either way, 14 minutes is accepted", async () => {
    for (const offset of [-16, 16]) {
      const res = await signed("GET", groupsPath(P1, "tree"), { sdkDate: sdkDate(offset * 60_000) });
      expectGatewayError(res, 401, "APIG.0301", /x-sdk-date expired/);
    }
    expect((await signed("GET", groupsPath(P1, "tree"), { sdkDate: sdkDate(-14 * 60_000) })).status).toBe(200);
  });

  test("an unknown AK, a wrong SK and no credentials at all are refused", async () => {
    const stranger = { ...DEFAULT_ACCOUNT, accessKey: "UNKNOWNAK00000000000" };
    expectGatewayError(await signed("GET", groupsPath(P1, "tree"), { account: stranger }), 401, "APIG.0301", /Get secretKey failed,ak:\*+,err:ak not exist/);

    const wrongSk = { ...DEFAULT_ACCOUNT, secretKey: "not-the-secret" };
    expectGatewayError(await signed("GET", groupsPath(P1, "tree"), { account: wrongSk }), 401, "APIG.0301", /verify aksk signature fail,canonicalRequest:/);

    const anonymous = await send("GET", { path: groupsPath(P1, "tree"), query: "", headers: {} });
    expectGatewayError(anonymous, 401, "APIG.0301", "Incorrect IAM authentication information: x-auth-token not found");
  });

  test("temporary credentials need their X-Security-Token", async () => {
    const temporary: Account = { ...SECOND_ACCOUNT, securityToken: "temporary-security-token" };
    const other = await startEmulator({ accounts: [temporary] });
    const saved = emu;
    emu = other;
    try {
      const path = groupsPath(temporary.codeartsProjects[0], "tree");
      expectGatewayError(await signed("GET", path, { account: temporary }), 401, "APIG.0301", /security token/);
      const wrong = await signed("GET", path, { account: temporary, headers: { "X-Security-Token": "another-token" } });
      expectGatewayError(wrong, 401, "APIG.0301", /security token/);
      expect((await signed("GET", path, { account: temporary, headers: { "X-Security-Token": "temporary-security-token" } })).status).toBe(200);
    } finally {
      emu = saved;
      await other.close();
    }
  });
});

describe("IAM tokens", () => {
  const tokenRequest = (body: unknown) => send("POST", { path: "/v3/auth/tokens", query: "", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

  test("a wrong password gets IAM's 401", async () => {
    const res = await tokenRequest(passwordAuth(USER.name, "wrong", DEFAULT_ACCOUNT.domainName, { project: { name: "cn-north-4" } }));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 401, message: "The username or password is wrong.", title: "Unauthorized" } });
    expect(res.headers["x-subject-token"]).toBeUndefined();
  });

  test("only project scope is accepted", async () => {
    const domainScoped = await tokenRequest(passwordAuth(USER.name, USER.password, DEFAULT_ACCOUNT.domainName, { domain: { name: DEFAULT_ACCOUNT.domainName } }));
    expect(domainScoped.status).toBe(400);
    expect(domainScoped.body.error.code).toBe(400);
    const unscoped = await tokenRequest(passwordAuth(USER.name, USER.password, DEFAULT_ACCOUNT.domainName, undefined));
    expect(unscoped.status).toBe(400);
    const foreignProject = await tokenRequest(passwordAuth(USER.name, USER.password, DEFAULT_ACCOUNT.domainName, { project: { id: SECOND_ACCOUNT.iamProjects[0].id } }));
    expect(foreignProject.status).toBe(401);
  });

  test("a token is issued (project by name or id), works until expired, then APIG.0307", async () => {
    const byId = await tokenRequest(passwordAuth(USER.name, USER.password, DEFAULT_ACCOUNT.domainName, { project: { id: DEFAULT_ACCOUNT.iamProjects[1].id } }));
    expect(byId.status).toBe(201);
    expect(byId.body.token).toMatchObject({
      methods: ["password"],
      project: { id: DEFAULT_ACCOUNT.iamProjects[1].id, name: "eu-west-101", domain: { id: DEFAULT_ACCOUNT.domainId, name: DEFAULT_ACCOUNT.domainName } },
      user: { id: USER.id, name: USER.name, domain: { id: DEFAULT_ACCOUNT.domainId, name: DEFAULT_ACCOUNT.domainName } },
      catalog: [],
    });
    const { issued_at, expires_at } = byId.body.token;
    expect(expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(Date.parse(expires_at) - Date.parse(issued_at)).toBe(24 * 3600_000);

    const token = await getToken();
    expect((await withToken("GET", groupsPath(P1, "tree"), token)).status).toBe(200);

    expect(emu.expireTokens()).toBeGreaterThanOrEqual(2);
    expectGatewayError(await withToken("GET", groupsPath(P1, "tree"), token), 401, "APIG.0307", "The token must be updated.");

    const renewed = await getToken();
    expect(renewed).not.toBe(token);
    expect((await withToken("GET", groupsPath(P1, "tree"), renewed)).status).toBe(200);
  });

  test("a token the emulator never issued is refused", async () => {
    expectGatewayError(await withToken("GET", groupsPath(P1, "tree"), "MIInot-a-token"), 401, "APIG.0301", /decrypt token fail/);
  });

  test("tokens expire by the emulator's clock", async () => {
    let now = Date.now();
    const clocked = await startEmulator({ clock: () => new Date(now), tokenTtlMs: 60_000 });
    const saved = emu;
    emu = clocked;
    try {
      const token = await getToken();
      expect((await withToken("GET", groupsPath(P1, "tree"), token)).status).toBe(200);
      now += 61_000;
      expectGatewayError(await withToken("GET", groupsPath(P1, "tree"), token), 401, "APIG.0307", "The token must be updated.");
    } finally {
      emu = saved;
      await clocked.close();
    }
  });
});

describe("tenant isolation", () => {
  test("another account's CodeArts project answers project-not-found, and its groups stay invisible", async () => {
    const mine = await createGroup("isolated");
    const foreignTree = await signed("GET", groupsPath(P1, "tree"), { account: SECOND_ACCOUNT });
    expectPipelineError(foreignTree, "DEVPIPE.00011412");
    const foreignDelete = await signed("DELETE", groupsPath(P1, "delete"), { account: SECOND_ACCOUNT, query: { id: mine.id } });
    expectPipelineError(foreignDelete, "DEVPIPE.00011412");
    expect((await tree()).map((g) => g.id)).toContain(mine.id);

    const token = await getToken(SECOND_ACCOUNT);
    expectPipelineError(await withToken("GET", groupsPath(P1, "tree"), token), "DEVPIPE.00011412");
    const own = await withToken("GET", groupsPath(SECOND_ACCOUNT.codeartsProjects[0], "tree"), token);
    expect(own.body).toEqual([]);
  });

  test("a {tenant_id} / {domain_id} that is not the caller's answers DEVPIPE.0011301", async () => {
    const router = new Router();
    pipelineRoute(router, "GET", "/v2/{domain_id}/rules/query", "Test.query", () => ({ status: 200, body: { data: [] } }));
    const call = async (domainId: string) => {
      const m = router.match("GET", `/v2/${domainId}/rules/query`) as RouteMatch;
      const ctx = { params: m.params, caller: { account: DEFAULT_ACCOUNT, user: USER }, headers: {}, dialect: new Dialect() } as unknown as CallerContext;
      return (m.route.handler as Handler)(ctx);
    };
    expect(await call(DEFAULT_ACCOUNT.domainId)).toEqual({ status: 200, body: { data: [] } });
    expect(await call(SECOND_ACCOUNT.domainId)).toEqual({ status: 200, body: { error_msg: "No permission.", error_code: "DEVPIPE.0011301" } });
  });
});

describe("gateway", () => {
  test("an unknown API is APIG.0101, a known path with another method too", async () => {
    const unknown = await signed("GET", "/v5/nothing/here");
    expectGatewayError(unknown, 404, "APIG.0101", "The API does not exist or has not been published in the environment.");
    const wrongMethod = await signed("PUT", groupsPath(P1, "tree"));
    expectGatewayError(wrongMethod, 404, "APIG.0101", "The API does not exist.");
    const last = emu.log.entries.at(-1)!;
    expect(last).toMatchObject({ method: "PUT", status: 404 });
    expect(last.operation).toBeUndefined();
  });
});

describe("PipelineGroup API (CodeArts Pipeline API Reference §4.3)", () => {
  test("create, tree, rename, delete", async () => {
    const project = P2;
    const root = await createGroup("root", "", project);
    expect(root).toEqual({
      id: expect.stringMatching(HEX32),
      domain_id: DEFAULT_ACCOUNT.domainId,
      project_id: project,
      name: "root",
      parent_id: "",
      path_id: root.id,
      ordinal: 0,
      creator: USER.id,
      updater: null,
      create_time: null,
      update_time: null,
      children: null,
    });
    const child = await createGroup("child", root.id, project);
    expect(child).toMatchObject({ parent_id: root.id, path_id: `${root.id}.${child.id}`, ordinal: 0 });
    const grandchild = await createGroup("grandchild", child.id, project);
    expect(grandchild.path_id).toBe(`${root.id}.${child.id}.${grandchild.id}`);
    const second = await createGroup("child", root.id, project); // same name as a sibling: allowed
    expect(second.ordinal).toBe(1);
    const otherRoot = await createGroup("other root", "", project);
    expect(otherRoot.ordinal).toBe(1);

    const t = await tree(project);
    expect(t.map((g) => g.name)).toEqual(["other root", "root"]); // highest ordinal first, as in the §4.3.4 example
    expect(t[0].children).toBeNull();
    const [rootVo] = t.filter((g) => g.id === root.id);
    expect(rootVo.create_time).toEqual(expect.any(Number));
    expect(rootVo.children.map((g: any) => g.id)).toEqual([second.id, child.id]);
    expect(rootVo.children[1].children).toEqual([expect.objectContaining({ id: grandchild.id, path_id: grandchild.path_id, children: null })]);
    expect(await tree(P1)).not.toEqual(expect.arrayContaining([expect.objectContaining({ id: root.id })]));

    const rename = await signed("POST", groupsPath(project, "update"), { body: { name: "renamed", id: child.id } });
    expect(rename.body).toEqual({ success: true });
    const renamed = (await tree(project)).find((g) => g.id === root.id).children.find((g: any) => g.id === child.id);
    expect(renamed).toMatchObject({ name: "renamed", updater: USER.id, update_time: expect.any(Number) });

    expectPipelineError(await signed("DELETE", groupsPath(project, "delete"), { query: { id: root.id } }), "DEVCP.00014004");
    for (const id of [grandchild.id, child.id, second.id, root.id]) {
      expect((await signed("DELETE", groupsPath(project, "delete"), { query: { id } })).body).toEqual({ success: true });
    }
    expect((await tree(project)).map((g) => g.id)).toEqual([otherRoot.id]);
    expectPipelineError(await signed("DELETE", groupsPath(project, "delete"), { query: { id: root.id } }), "DEVPIPE.00014007");
  });

  test("unknown groups answer DEVPIPE.00014007", async () => {
    const missing = "0".repeat(32);
    expectPipelineError(await signed("POST", groupsPath(P1, "update"), { body: { name: "x", id: missing } }), "DEVPIPE.00014007");
    expectPipelineError(await signed("POST", groupsPath(P1, "create"), { body: { name: "x", project_id: P1, parent_id: missing } }), "DEVPIPE.00014007");
    const move = await signed("POST", groupsPath(P1, "pipeline/move"), { body: { group_id: missing, pipelines: [] } });
    expectPipelineError(move, "DEVPIPE.00014007");
  });

  test.each<[string, string, string, unknown]>([
    ["create without name", "POST", "create", { project_id: P1 }],
    ["create with a blank name", "POST", "create", { name: "  ", project_id: P1 }],
    ["create with a numeric name", "POST", "create", { name: 5, project_id: P1 }],
    ["create without project_id", "POST", "create", { name: "x" }],
    ["create for another project than the path's", "POST", "create", { name: "x", project_id: P2 }],
    ["update without id", "POST", "update", { name: "x" }],
    ["move without pipelines", "POST", "pipeline/move", { group_id: "x" }],
    ["move with an item lacking pipeline_name", "POST", "pipeline/move", { group_id: "x", pipelines: [{ pipeline_id: "p" }] }],
  ])("%s: DEVCP.00014004 in a 200 (CodeArts Pipeline API Reference §5.2)", async (_name, method, action, body) => {
    const before = await tree();
    const res = await signed(method, groupsPath(P1, action), { body });
    expect(res.body).toEqual({ error_msg: "The parameter is invalid.", error_code: "DEVCP.00014004" });
    expect(res.status).toBe(200);
    expect(await tree()).toEqual(before);
  });

  test("a body that is not JSON and a delete without id are invalid parameters", async () => {
    const token = await getToken();
    const raw = await send("POST", { path: groupsPath(P1, "create"), query: "", headers: { "Content-Type": "application/json", "X-Auth-Token": token }, body: "{name:" });
    expectPipelineError(raw, "DEVCP.00014004");
    expectPipelineError(await signed("DELETE", groupsPath(P1, "delete")), "DEVCP.00014004");
  });

  test("moving pipelines: unknown pipelines fail per item, known ones move", async () => {
    const group = await createGroup("target");
    emu.store.collection("pipelines").put(P1, "p".repeat(32), { pipeline_id: "p".repeat(32), name: "known", group_id: null });
    const res = await signed("POST", groupsPath(P1, "pipeline/move"), {
      body: {
        group_id: group.id,
        pipelines: [
          { pipeline_id: "p".repeat(32), pipeline_name: "known" },
          { pipeline_id: "q".repeat(32), pipeline_name: "unknown" },
        ],
      },
    });
    expect(res.body).toEqual([
      { code: "success", pipeline_id: "p".repeat(32), pipeline_name: "known" },
      { code: "failed", pipeline_id: "q".repeat(32), pipeline_name: "unknown" },
    ]);
    expect(emu.store.collection<{ group_id: string | null }>("pipelines").get(P1, "p".repeat(32))?.group_id).toBe(group.id);

    // Deleting a group that holds pipelines: refused at the default reading of ambiguity L2; under
    // `ungroup` its pipelines are left ungrouped.
    expect((await signed("DELETE", groupsPath(P1, "delete"), { query: { id: group.id } })).body).toMatchObject({ error_code: "DEVCP.00014004" });
    emu.dialect.set({ L2: "ungroup" });
    expect((await signed("DELETE", groupsPath(P1, "delete"), { query: { id: group.id } })).body).toEqual({ success: true });
    emu.dialect.reset();
    expect(emu.store.collection<{ group_id: string | null }>("pipelines").get(P1, "p".repeat(32))?.group_id).toBeNull();
  });
});

describe("fault injection", () => {
  const create = (name: string, opts: CallOptions = {}) => signed("POST", groupsPath(P1, "create"), { body: { name, project_id: P1, parent_id: "" }, ...opts });
  const names = async () => (await tree()).map((g) => g.name);

  test("latency delays, then the request is handled", async () => {
    emu.faults.inject({ path: "/v5/{project_id}/api/pipeline-group/tree", fault: { type: "latency", ms: 300 } });
    const mark = emu.log.mark();
    const started = Date.now();
    expect((await signed("GET", groupsPath(P1, "tree"))).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(emu.log.since(mark)).toEqual([expect.objectContaining({ status: 200, operation: "PipelineGroup.tree", fault: { type: "latency", ms: 300 } })]);
    const again = Date.now();
    await signed("GET", groupsPath(P1, "tree"));
    expect(Date.now() - again).toBeLessThan(290); // fired once only
  });

  test("status: a gateway 5xx before anything is applied", async () => {
    emu.faults.inject({ method: "POST", path: "/v5/*/api/pipeline-group/create", fault: { type: "status", status: 503 } });
    const res = await create("fault-503");
    expectGatewayError(res, 503, "APIG.0202", "Backend unavailable.");
    expect(await names()).not.toContain("fault-503");
    expect(emu.log.count({ operation: "PipelineGroup.create", fault: "status", status: 503 })).toBe(1);
  });

  test("rate-limit: 429 APIG.0308 with Retry-After", async () => {
    emu.faults.inject({ path: "/v5/{project_id}/api/pipeline-group/create", fault: { type: "rate-limit", retryAfter: 7 }, times: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await create("fault-429");
      expectGatewayError(res, 429, "APIG.0308", "The throttling threshold has been reached.");
      expect(res.headers["retry-after"]).toBe("7");
    }
    expect(await names()).not.toContain("fault-429");
    expect((await create("after-429")).status).toBe(200);
    expect(await names()).toContain("after-429");
  });

  test("reset: the connection is destroyed without an answer and nothing is applied", async () => {
    emu.faults.inject({ path: "/v5/{project_id}/api/pipeline-group/create", fault: { type: "reset" } });
    const mark = emu.log.mark();
    await expect(create("fault-reset")).rejects.toMatchObject({ code: expect.stringMatching(/UND_ERR_SOCKET|ECONNRESET/) });
    expect(await names()).not.toContain("fault-reset");
    expect(emu.log.since(mark)[0]).toMatchObject({ operation: "PipelineGroup.create", status: undefined, fault: { type: "reset" } });
  });

  test("commit-then-fail: the change is applied, the answer is a 500", async () => {
    emu.faults.inject({ path: "/v5/{project_id}/api/pipeline-group/create", fault: { type: "commit-then-fail" } });
    const res = await create("fault-commit");
    expect(res.status).toBe(500);
    expect(res.body.request_id).toBe(res.headers["x-request-id"]);
    expect(await names()).toContain("fault-commit");
    expect(emu.log.count({ fault: "commit-then-fail", status: 500 })).toBe(1);
  });

  test("hang-after-commit: the change is applied and no answer comes", async () => {
    emu.faults.inject({ path: "/v5/{project_id}/api/pipeline-group/create", fault: { type: "hang-after-commit" } });
    await expect(create("fault-hang", { headersTimeout: 300 })).rejects.toMatchObject({ code: "UND_ERR_HEADERS_TIMEOUT" });
    expect(await names()).toContain("fault-hang");
    expect(emu.log.count({ fault: "hang-after-commit", status: undefined })).toBe(1);
  });

  test("a rule only fires for its method", async () => {
    emu.faults.inject({ method: "POST", path: "/v5/*/api/pipeline-group/*", fault: { type: "status", status: 502 } });
    expect((await signed("GET", groupsPath(P1, "tree"))).status).toBe(200);
    expect((await signed("POST", groupsPath(P1, "update"), { body: { name: "x", id: "0".repeat(32) } })).status).toBe(502);
  });

  test("global latency and a seeded transient failure rate", async () => {
    emu.faults.setLatency(150);
    const started = Date.now();
    await signed("GET", groupsPath(P1, "tree"));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    emu.faults.setLatency(0);

    const outcomes = async () => {
      emu.faults.setTransientRate(0.5, 42);
      const seen: string[] = [];
      for (let i = 0; i < 12; i++) {
        seen.push(
          await signed("GET", groupsPath(P1, "tree")).then(
            (r) => String(r.status),
            () => "reset",
          ),
        );
      }
      return seen;
    };
    const first = await outcomes();
    expect(first).toContain("200");
    expect(first.some((o) => o === "503" || o === "reset")).toBe(true);
    expect(await outcomes()).toEqual(first);

    emu.faults.clear();
    expect((await signed("GET", groupsPath(P1, "tree"))).status).toBe(200);
  });

  test("malformed rules are refused", () => {
    expect(() => emu.faults.inject({ path: "/x", fault: { type: "status", status: 404 } } as never)).toThrow();
    expect(() => emu.faults.inject({ path: "x", fault: { type: "reset" } })).toThrow();
  });
});

describe("request log", () => {
  test("mark, since, count and clear; no secrets", async () => {
    const token = await getToken();
    const mark = emu.log.mark();
    await signed("GET", groupsPath(P1, "tree"));
    await withToken("GET", groupsPath(P1, "tree"), token);
    const entries = emu.log.since(mark);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      seq: mark + 1,
      method: "GET",
      path: groupsPath(P1, "tree"),
      status: 200,
      operation: "PipelineGroup.tree",
      accessKey: DEFAULT_ACCOUNT.accessKey,
    });
    expect(entries[0].requestId).toMatch(HEX32);
    expect(entries[1].accessKey).toBeUndefined();
    expect(emu.log.count((e) => e.seq > mark && e.operation === "PipelineGroup.tree")).toBe(2);

    const everything = JSON.stringify(emu.log.entries);
    for (const secret of [DEFAULT_ACCOUNT.secretKey, USER.password, token]) expect(everything).not.toContain(secret);

    emu.log.clear();
    expect(emu.log.count()).toBe(0);
    await signed("GET", groupsPath(P1, "tree"));
    expect(emu.log.entries[0].seq).toBeGreaterThan(mark + 2); // numbering goes on
  });
});

describe("admin API", () => {
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await request(`${emu.url}/__emulator/${path}`, { method: method as "GET", body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.statusCode, body: (await res.body.json()) as any };
  };

  test("log, faults, expire-tokens and state", async () => {
    const mark = emu.log.mark();
    await signed("GET", groupsPath(P1, "tree"));
    const log = await admin("GET", `log?since=${mark}`);
    expect(log.body.entries).toEqual([expect.objectContaining({ operation: "PipelineGroup.tree", status: 200 })]);

    expect((await admin("POST", "faults", { path: "/v5/{project_id}/api/pipeline-group/tree", fault: { type: "status", status: 500 } })).status).toBe(200);
    expect((await signed("GET", groupsPath(P1, "tree"))).status).toBe(500);
    expect((await admin("POST", "faults", { path: "/x", fault: { type: "explode" } })).status).toBe(400);
    await admin("POST", "faults", [{ path: "/v5/{project_id}/api/pipeline-group/tree", fault: { type: "status", status: 502 } }]);
    expect((await admin("DELETE", "faults")).body).toEqual({ cleared: true });
    expect((await signed("GET", groupsPath(P1, "tree"))).status).toBe(200);

    const token = await getToken();
    expect((await admin("POST", "expire-tokens")).body.expired).toBeGreaterThanOrEqual(1);
    expect((await withToken("GET", groupsPath(P1, "tree"), token)).body.error_code).toBe("APIG.0307");

    const group = await createGroup("visible-in-state");
    const state = await admin("GET", "state");
    expect(state.body.pipelineGroups[P1][group.id]).toMatchObject({ name: "visible-in-state" });

    expect((await admin("GET", "nothing")).status).toBe(404);
    expect(emu.log.count((e) => e.path.startsWith("/__emulator/"))).toBe(0);
  });
});

describe("persistence", () => {
  test("data written to dataFile survives a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emulator-"));
    const dataFile = join(dir, "data.json");
    const saved = emu;
    try {
      emu = await startEmulator({ dataFile });
      const group = await createGroup("persistent");
      expect(existsSync(dataFile)).toBe(true);
      await emu.close();
      expect(readdirSync(dir)).toEqual(["data.json"]); // no temporary file left behind
      expect(JSON.parse(readFileSync(dataFile, "utf8")).version).toBe(1);

      emu = await startEmulator({ dataFile });
      expect((await tree()).map((g) => g.id)).toEqual([group.id]);
      await emu.close();
    } finally {
      emu = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
