import * as http from "http";
import type { AddressInfo } from "net";
import { z } from "zod";
import { ApiClient } from "../provider/client";
import type { Settings } from "../provider/config";
import type { Context } from "../provider/dynamic";
import { AnswerError, ApiError } from "../provider/errors";
import { pipelineGroup } from "../provider/resources/pipelineGroup";
import { clientSettings, DEFAULT_ACCOUNT, Emulator, SECOND_ACCOUNT, startEmulator } from "../emulator";
import { startWorld } from "./support/world";

// Identical reads in flight at once go out as one request (provider/sharedReads.ts), never across a
// write and never across credentials. Every count is the emulator's log: what went over the wire.
let emu: Emulator;
let proxy: http.Server;
const P = DEFAULT_ACCOUNT.codeartsProjects[0];
const P2 = DEFAULT_ACCOUNT.codeartsProjects[1];
const treePath = (p: string) => `/v5/${p}/api/pipeline-group/tree`;
const clients: ApiClient[] = [];

/**
 * Answers held back: a read the emulator has already answered stays in flight on the client side for
 * as long as `holdMs` says, so a later read could join it and get its (older) answer. The emulator's own
 * latency waits before handling, which cannot show that.
 */
let holdMs = 0;
let proxyUrl = "";

function client(over: Partial<Settings> = {}, account = DEFAULT_ACCOUNT): ApiClient {
  const c = new ApiClient({ ...clientSettings(emu, account), ...over }, { retryPolicy: { baseDelayMs: 1, maxDelayMs: 5 } });
  clients.push(c);
  return c;
}
const viaProxy = () => client({ endpoints: { "*": proxyUrl } });

type Group = { id: string; name: string; children?: Group[] | null };
const treeOf = (c: ApiClient, p = P, answer: z.ZodType = z.array(z.looseObject({ id: z.string(), name: z.string() }))) =>
  c.send<Group[]>({ service: "pipeline", method: "GET", path: treePath(p), operation: "PipelineGroup.tree", resource: `project ${p}`, answer });
const listPipelines = (c: ApiClient, body: Record<string, unknown>) =>
  c.send({ service: "pipeline", method: "POST", path: `/v5/${P}/api/pipelines/list`, body, operation: "Pipeline.list", answer: z.unknown(), idempotent: true, read: true });
async function createGroup(c: ApiClient, name: string, project = P): Promise<string> {
  const res = await c.send<{ id: string }>({
    service: "pipeline",
    method: "POST",
    path: `/v5/${project}/api/pipeline-group/create`,
    body: { name, project_id: project, parent_id: "" },
    operation: "PipelineGroup.create",
    answer: z.looseObject({ id: z.string() }),
  });
  return res.body.id;
}
const rename = (c: ApiClient, id: string, name: string) =>
  c.send({
    service: "pipeline",
    method: "POST",
    path: `/v5/${P}/api/pipeline-group/update`,
    body: { id, name },
    operation: "PipelineGroup.update",
    answer: z.unknown(),
    idempotent: true,
  });
const nameIn = (tree: Group[], id: string) => tree.find((g) => g.id === id)?.name;
const hits = (mark: number, path: string, method = "GET") => emu.log.since(mark).filter((e) => e.path === path && e.method === method).length;
/** Resolves once the emulator has answered `n` requests to `path` since `mark`. */
async function answered(mark: number, path: string, n = 1, method = "GET"): Promise<void> {
  while (emu.log.since(mark).filter((e) => e.path === path && e.method === method && e.status !== undefined).length < n) await new Promise((r) => setTimeout(r, 5));
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0, quiet: true });
  const target = new URL(emu.url);
  proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      // Headers as sent (host included: the signature covers it).
      const out = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
        const body: Buffer[] = [];
        up.on("data", (c: Buffer) => body.push(c));
        up.on("end", () => setTimeout(() => res.writeHead(up.statusCode ?? 502, up.headers).end(Buffer.concat(body)), holdMs));
      });
      out.on("error", () => res.destroy());
      out.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((ok) => proxy.listen(0, "127.0.0.1", ok));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterEach(() => {
  emu.faults.clear();
  holdMs = 0;
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await new Promise((r) => proxy.close(r));
  await emu.close();
});

describe("identical reads in flight at once", () => {
  test("20 identical GETs at once: one request, and every caller gets the tree", async () => {
    const c = client();
    emu.faults.setLatency(150);
    const mark = emu.log.mark();
    const results = await Promise.all(Array.from({ length: 20 }, () => treeOf(c)));
    expect(hits(mark, treePath(P))).toBe(1);
    for (const r of results) expect(Array.isArray(r.body)).toBe(true);
  });

  test("each caller gets its own copy, even where its schema passes the body through unchanged", async () => {
    const c = client();
    emu.faults.setLatency(150);
    const results = await Promise.all(Array.from({ length: 3 }, () => treeOf(c, P, z.unknown())));
    results[0].body.push({ id: "x", name: "mine" });
    results[1].body.push({ id: "y", name: "mine" });
    expect(results[2].body.map((g) => g.id)).not.toEqual(expect.arrayContaining(["x"]));
    expect(results[2].body.map((g) => g.id)).not.toEqual(expect.arrayContaining(["y"]));
  });

  test("reads one after the other: a request each (shared only while in flight, no cache)", async () => {
    const c = client();
    const mark = emu.log.mark();
    await treeOf(c);
    await treeOf(c);
    expect(hits(mark, treePath(P))).toBe(2);
  });

  test("different paths, queries or bodies: separate requests; identical POST listings: one", async () => {
    const c = client();
    emu.faults.setLatency(150);
    const mark = emu.log.mark();
    await Promise.all([
      treeOf(c, P),
      treeOf(c, P2),
      c.send({ service: "pipeline", method: "GET", path: treePath(P), query: { a: 1 }, operation: "PipelineGroup.tree", answer: z.unknown() }),
      c.send({ service: "pipeline", method: "GET", path: treePath(P), query: { a: 2 }, operation: "PipelineGroup.tree", answer: z.unknown() }),
      listPipelines(c, { offset: 0, limit: 10 }),
      listPipelines(c, { offset: 0, limit: 10 }),
      listPipelines(c, { offset: 10, limit: 10 }),
    ]);
    const log = emu.log.since(mark);
    expect(
      log
        .filter((e) => e.path === treePath(P))
        .map((e) => e.query)
        .sort(),
    ).toEqual(["", "a=1", "a=2"]);
    expect(hits(mark, treePath(P2))).toBe(1);
    expect(hits(mark, `/v5/${P}/api/pipelines/list`, "POST")).toBe(2);
  });

  test("writes are never shared: two identical creates at once are two requests", async () => {
    const c = client();
    emu.faults.setLatency(100);
    const mark = emu.log.mark();
    const ids = await Promise.all([createGroup(c, "twin"), createGroup(c, "twin")]);
    expect(hits(mark, `/v5/${P}/api/pipeline-group/create`, "POST")).toBe(2);
    expect(new Set(ids).size).toBe(2);
  });

  test("each caller's answer schema checks the one answer: one request, one success, one AnswerError", async () => {
    const c = client();
    emu.faults.setLatency(150);
    const mark = emu.log.mark();
    const [ok, refused] = await Promise.allSettled([treeOf(c), treeOf(c, P, z.looseObject({ groups: z.array(z.unknown()) }))]);
    expect(hits(mark, treePath(P))).toBe(1);
    expect(ok.status).toBe("fulfilled");
    expect(refused.status).toBe("rejected");
    expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(AnswerError);
  });

  test("an error is shared too: every caller gets it from the one request", async () => {
    const c = client();
    emu.faults.setLatency(150);
    emu.faults.inject({ method: "GET", path: treePath(P), fault: { type: "bad-success", body: "html" } });
    const mark = emu.log.mark();
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => treeOf(c)));
    expect(hits(mark, treePath(P))).toBe(1);
    for (const o of outcomes) {
      expect(o.status).toBe("rejected");
      expect((o as PromiseRejectedResult).reason).toBeInstanceOf(AnswerError);
      expect((o as PromiseRejectedResult).reason.message).toContain("not JSON");
    }
  });

  test("different credentials never share: the other tenant's read of the same URL is its own request, and refused", async () => {
    const mine = client();
    const theirs = client({}, SECOND_ACCOUNT);
    emu.faults.setLatency(150);
    const mark = emu.log.mark();
    const [a, b] = await Promise.allSettled([treeOf(mine), treeOf(theirs)]);
    expect(hits(mark, treePath(P))).toBe(2);
    expect(a.status).toBe("fulfilled");
    // Had it joined, the second tenant would have been handed the first one's groups.
    expect(b.status).toBe("rejected");
    expect((b as PromiseRejectedResult).reason).toBeInstanceOf(ApiError);
  });
});

describe("never across a change", () => {
  test("a read started after a rename started does not join the read begun before it, and sees the new name", async () => {
    const c = viaProxy();
    const id = await createGroup(c, "before");
    holdMs = 800;
    const mark = emu.log.mark();
    const first = treeOf(c);
    await answered(mark, treePath(P)); // read by the emulator, answer held: old name, still in flight
    const renaming = rename(c, id, "after");
    await answered(mark, `/v5/${P}/api/pipeline-group/update`, 1, "POST"); // applied, its answer held: the write is in flight
    const second = treeOf(c);
    const [r1, , r2] = await Promise.all([first, renaming, second]);
    expect(nameIn(r1.body, id)).toBe("before");
    expect(nameIn(r2.body, id)).toBe("after");
    expect(hits(mark, treePath(P))).toBe(2);
  });

  test("a read started after a write ended does not join a read begun while it was in flight", async () => {
    const c = viaProxy();
    const id = await createGroup(c, "old");
    const mark = emu.log.mark();
    // The rename waits at the emulator before it is applied; the read during it is answered at once (old name) and held.
    emu.faults.inject({ method: "POST", path: `/v5/${P}/api/pipeline-group/update`, fault: { type: "latency", ms: 300 } });
    const renaming = rename(c, id, "new");
    holdMs = 1000;
    const during = treeOf(c);
    await answered(mark, treePath(P));
    holdMs = 0;
    // `during` is still held when the rename ends: only the second epoch bump keeps the next read out of it.
    await renaming;
    const afterwards = await treeOf(c);
    expect(nameIn((await during).body, id)).toBe("old");
    expect(nameIn(afterwards.body, id)).toBe("new");
    expect(hits(mark, treePath(P))).toBe(2);
  });

  test("a write through another client (another kind's configuration) also ends the sharing", async () => {
    const reader = viaProxy();
    const writer = client();
    const id = await createGroup(writer, "one");
    holdMs = 800;
    const mark = emu.log.mark();
    const first = treeOf(reader);
    await answered(mark, treePath(P));
    await rename(writer, id, "two");
    const second = treeOf(reader);
    expect(nameIn((await first).body, id)).toBe("one");
    expect(nameIn((await second).body, id)).toBe("two");
    expect(hits(mark, treePath(P))).toBe(2);
  });
});

describe("refresh", () => {
  test("60 PipelineGroup reads of two projects at once through the kind's read: one tree request per project", async () => {
    const c = client();
    const ids = new Map<string, { project: string; name: string }>();
    for (let i = 0; i < 40; i++) ids.set(await createGroup(c, `r-${i}`), { project: P, name: `r-${i}` });
    for (let i = 0; i < 20; i++) ids.set(await createGroup(c, `s-${i}`, P2), { project: P2, name: `s-${i}` });
    const ctx: Context = { client: c, settings: c.settings, log: () => undefined };
    emu.faults.setLatency(200);
    const mark = emu.log.mark();
    const read = await Promise.all([...ids].map(async ([id, g]) => ({ id, g, r: await pipelineGroup.read(ctx, id, { projectId: g.project }) })));
    for (const { g, r } of read) expect(r?.outs).toMatchObject({ projectId: g.project, name: g.name });
    expect(hits(mark, treePath(P))).toBe(1);
    expect(hits(mark, treePath(P2))).toBe(1);
    expect(emu.log.since(mark)).toHaveLength(2);
  });

  test("through the dynamic-provider host and the engine's refresh, 30 groups at once: one GET of the tree", async () => {
    const w = await startWorld();
    try {
      const project = w.account.codeartsProjects[0];
      for (let i = 0; i < 30; i++) expect((await w.engine.up("PipelineGroup", `g${i}`, { projectId: project, name: `group-${i}` })).op).toBe("create");
      w.emu.faults.setLatency(400);
      const mark = w.emu.log.mark();
      const r = await w.engine.refreshAll(30);
      expect(r.errors).toEqual([]);
      expect(r.steps.filter((s) => s.op === "refresh")).toHaveLength(30);
      expect(w.emu.log.since(mark).filter((e) => e.method === "GET" && e.path === treePath(project))).toHaveLength(1);
    } finally {
      await w.close();
    }
  }, 60_000);
});
