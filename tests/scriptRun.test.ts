import { seedCocResources } from "../emulator";
import { UNKNOWN } from "../provider/dynamic";
import { expectRefusedAtCheck, inWorld, startWorld, World, callCounter } from "./support/world";
import { callsAgainstPage } from "./support/resourcePages";

// A COC script run (Cloud Operations Center (COC) API Reference §4.2.6, §4.3) through the real host, against the emulator,
// whose tickets advance one batch per 50 ms step.
jest.setTimeout(60_000);
const T = "ScriptRun";
let w: World;
const { calls, measured } = callCounter(() => w);
const SECRET = "s3cret-Do-Not-Leak";
const host = (resourceId: string) => ({ resourceId, agentSn: `sn-${resourceId}`, projectId: "p1", regionId: "cn-north-4" });
let scriptId: string;
const run = (over: Record<string, unknown> = {}) => ({
  scriptId,
  scriptVersion: "1.0.0",
  params: [
    { name: "a", value: "x" },
    { name: "token", value: SECRET, sensitive: true },
  ],
  batches: [{ hosts: [host("i-ok-1")] }, { hosts: [host("i-ok-2")] }],
  ...over,
});
/** The operations the emulator served since `mark`. */
const served = (mark: number) => w.emu.log.since(mark).map((e) => `${e.method} ${e.operation}`);
const FULL_READ = ["GET ScriptRun.get", "GET ScriptRun.batches", "GET ScriptRun.batch", "GET ScriptRun.batch"];
const tickets = () => Object.keys(w.emu.store.snapshot().cocTickets?.[w.account.domainId] ?? {}).length;
const ticket = async (id: string): Promise<any> =>
  (await w.outOfBand.send<any>({ service: "coc", method: "GET", path: `/v1/job/script/orders/${id}`, operation: "Test.ticket" })).body.data;

function seedHosts(world: World): void {
  seedCocResources(
    world.emu.store,
    world.account.domainId,
    [
      { resourceId: "i-ok-1", agentSn: "sn-i-ok-1", projectId: "p1", regionId: "cn-north-4" },
      { resourceId: "i-ok-2", agentSn: "sn-i-ok-2", projectId: "p1", regionId: "cn-north-4" },
      { resourceId: "i-fail", agentSn: "sn-i-fail", projectId: "p1", regionId: "cn-north-4", behaviour: "fail", message: "disk full on /var" },
      { resourceId: "i-hang", agentSn: "sn-i-hang", projectId: "p1", regionId: "cn-north-4", behaviour: "hang" },
    ],
    50,
  );
}
async function makeScript(world: World): Promise<string> {
  const s = await world.engine.up("Script", "script", {
    name: "rotate_logs",
    description: "Rotates logs",
    type: "SHELL",
    content: "echo ${a}",
    riskLevel: "LOW",
    version: "1.0.0",
    params: [
      { name: "a", value: "", description: "plain" },
      { name: "token", value: "", description: "secret", sensitive: true },
    ],
  });
  return s.state!.id;
}

beforeAll(async () => {
  w = await startWorld();
  seedHosts(w);
  scriptId = await makeScript(w);
});
afterAll(async () => {
  console.log(`ScriptRun API calls per operation: ${JSON.stringify(calls)}`);
  await w.close();
});

describe("ScriptRun lifecycle", () => {
  let id: string;
  test("preview never runs anything", async () => {
    const before = tickets();
    const mark = w.emu.log.mark();
    const p = await w.engine.preview(T, "run", run());
    expect(p.op).toBe("create");
    expect(w.emu.log.since(mark)).toHaveLength(0);
    expect(tickets()).toBe(before);
  });
  test("create: runs, waits for the ticket to finish, records its id, status and per-batch results; the secret stays out", async () => {
    const r = await measured("create", () => w.engine.up(T, "run", run()));
    expect(r.op).toBe("create");
    id = r.state!.id;
    expect(id).toMatch(/^SCT\d{14}[0-9a-f]{9}$/);
    expect(r.state!.outputs).toMatchObject({
      executeUuid: id,
      status: "FINISHED",
      batchResults: [
        { batchIndex: 1, hosts: [{ resourceId: "i-ok-1", status: "FINISHED" }] },
        { batchIndex: 2, hosts: [{ resourceId: "i-ok-2", status: "FINISHED" }] },
      ],
    });
    // Outputs only: the SDK marks `params` secret, so the engine encrypts the declared inputs.
    expect(JSON.stringify(r.state!.outputs)).not.toContain(SECRET);
    expect(r.state!.outputs.params[1]).toMatchObject({ name: "token", value: "*****************", valueHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // The value reached the service, and the service shows it masked.
    expect((await ticket(id)).properties.execute_param.script_params).toEqual([
      { param_name: "a", param_value: "x", param_order: 1 },
      { param_name: "token", param_value: "*****************", param_order: 2 },
    ]);
    expect(w.host.logs.join("\n")).toMatch(new RegExp(`ScriptRun ${id}: PROCESSING`));
    expect(w.host.logs.join("\n")).toMatch(new RegExp(`ScriptRun ${id}: FINISHED on 2 of 2 hosts`));
    expect(w.host.logs.join("\n")).not.toContain(SECRET);
  });
  test("refresh changes nothing, with one call (the ticket: the run has ended); a no-op up runs nothing", async () => {
    const before = w.engine.state.get([...w.engine.state.keys()].find((k) => k.endsWith("::run"))!)!.outputs;
    const mark = w.emu.log.mark();
    const r = await measured("read", () => w.engine.refresh(T, "run"));
    expect(served(mark)).toEqual(["GET ScriptRun.get"]);
    expect(r.state!.outputs).toEqual(before);
    const count = tickets();
    const same = await measured("no-op", () => w.engine.up(T, "run", run()));
    expect(same.op).toBe("same");
    expect(tickets()).toBe(count);
  });
  test("a preview where the script is being replaced (its id unknown) shows the script alone, not the defaulted properties", async () => {
    const old = w.engine.state.get([...w.engine.state.keys()].find((k) => k.endsWith("::run"))!)!.inputs;
    const mark = w.emu.log.mark();
    const p = await w.engine.preview(T, "run", run({ scriptId: UNKNOWN }));
    expect(p.op).toBe("replace");
    expect(p.diff!.replaces).toEqual(["scriptId"]);
    // What the CLI shows as changed: the inputs the engine compares, old against checked.
    const news = p.state!.inputs;
    const keys = [...new Set([...Object.keys(old), ...Object.keys(news)])].filter((k) => JSON.stringify(old[k]) !== JSON.stringify(news[k]));
    expect(keys).toEqual(["scriptId"]);
    expect(w.emu.log.since(mark)).toEqual([]);
  });
  test("a new wait bound alone is an update that runs nothing", async () => {
    const count = tickets();
    const r = await measured("update", () => w.engine.up(T, "run", run({ waitTimeout: 600 })));
    expect(r.op).toBe("update");
    expect(r.state!.id).toBe(id);
    expect(tickets()).toBe(count);
  });
  test("a changed trigger runs again: a new ticket", async () => {
    const count = tickets();
    const r = await measured("replace", () => w.engine.up(T, "run", run({ waitTimeout: 600, triggers: ["deploy-2"] })));
    expect(r.op).toBe("replace");
    expect(r.diff!.replaces).toEqual(["triggers"]);
    expect(r.state!.id).not.toBe(id);
    expect(tickets()).toBe(count + 1);
    id = r.state!.id;
  });
  test("a new script version and a new sensitive value run again", async () => {
    const r = await w.engine.up(T, "run", run({ waitTimeout: 600, triggers: ["deploy-2"], scriptVersion: "1.0.1" }));
    expect(r.diff!.replaces).toEqual(["scriptVersion"]);
    const p = await w.engine.up(
      T,
      "run",
      run({
        waitTimeout: 600,
        triggers: ["deploy-2"],
        scriptVersion: "1.0.1",
        params: [
          { name: "a", value: "x" },
          { name: "token", value: "rotated", sensitive: true },
        ],
      }),
    );
    expect(p.diff!.replaces).toEqual(["params"]);
    expect(JSON.stringify(p.state!.outputs)).not.toContain("rotated");
    id = p.state!.id;
  });
  test("destroy forgets: no call, the ticket stays in COC's history", async () => {
    const count = tickets();
    await measured("delete", () => w.engine.destroy(T, "run"));
    expect(tickets()).toBe(count);
    expect((await ticket(id)).status).toBe("FINISHED");
  });
});

describe("refresh: the ticket alone for a run that had ended, the batches as well whenever they may differ", () => {
  const key = (name: string) => [...w.engine.state.keys()].find((k) => k.endsWith(`::${name}`))!;
  const stateOf = (name: string) => w.engine.state.get(key(name))!;
  /** Rewrites the state's outputs (and id), as an older provider or an earlier refresh may have left them. */
  const rewrite = (name: string, change: (outputs: Record<string, any>) => Record<string, any>, id?: string) => {
    const st = stateOf(name);
    w.engine.state.set(key(name), { ...st, id: id ?? st.id, outputs: change({ ...st.outputs }) });
  };
  const op = (id: string, operation_type: string) =>
    w.outOfBand.send<any>({ service: "coc", method: "PUT", path: `/v1/job/script/orders/${id}/operation`, body: { operation_type }, operation: "Test.operate" });
  async function until(id: string, status: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if ((await ticket(id)).status === status) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`ticket ${id} never read ${status}`);
  }
  /** A ticket started out of band whose first batch pauses it (rotation_strategy PAUSE), read PAUSED. */
  async function pausedTicket(): Promise<string> {
    const target = (id: string) => ({ resource_id: id, agent_sn: `sn-${id}`, project_id: "p1", region_id: "cn-north-4" });
    const made = await w.outOfBand.send<any>({
      service: "coc",
      method: "POST",
      path: `/v1/job/scripts/${scriptId}`,
      body: {
        execute_param: { resourceful: true, timeout: 300, success_rate: 100, execute_user: "root", script_params: [] },
        execute_batches: [
          { batch_index: 1, rotation_strategy: "PAUSE", target_instances: [target("i-ok-1")] },
          { batch_index: 2, rotation_strategy: "CONTINUE", target_instances: [target("i-ok-2")] },
        ],
      },
      operation: "Test.execute",
    });
    const id = made.body.data as string;
    await until(id, "PAUSED");
    return id;
  }

  test("an ended run: 1 call, the same outputs as the full read; a state without batch results (older state) is read in full", async () => {
    await w.engine.up(T, "ended", run());
    const recorded = stateOf("ended").outputs;
    let mark = w.emu.log.mark();
    const fast = await w.engine.refresh(T, "ended");
    expect(served(mark)).toEqual(["GET ScriptRun.get"]);
    expect(fast.state!.outputs).toEqual(recorded);
    rewrite("ended", ({ batchResults: _gone, ...older }) => older);
    mark = w.emu.log.mark();
    const full = await w.engine.refresh(T, "ended");
    expect(served(mark)).toEqual(FULL_READ);
    expect(full.state!.outputs).toEqual(fast.state!.outputs);
    // Recorded again, the next refresh is one call.
    mark = w.emu.log.mark();
    await w.engine.refresh(T, "ended");
    expect(served(mark)).toEqual(["GET ScriptRun.get"]);
    await w.engine.destroy(T, "ended");
  });

  test("a status or end time that differs from the state's, or batch results that are not a list of batches: read in full", async () => {
    await w.engine.up(T, "differs", run());
    const recorded = stateOf("differs").outputs;
    for (const change of [
      (o: Record<string, any>) => ({ ...o, status: "ERROR" }),
      (o: Record<string, any>) => ({ ...o, finishedAt: o.finishedAt - 1 }),
      (o: Record<string, any>) => ({ ...o, finishedAt: undefined }),
      (o: Record<string, any>) => ({ ...o, batchResults: [{ batchIndex: 1 }] }),
      (o: Record<string, any>) => ({ ...o, batchResults: "none" }),
    ]) {
      rewrite("differs", change);
      const mark = w.emu.log.mark();
      const r = await w.engine.refresh(T, "differs");
      expect(served(mark)).toEqual(FULL_READ);
      expect(r.state!.outputs).toEqual(recorded);
    }
    await w.engine.destroy(T, "differs");
  });

  test("a run with a host that did not finish (a met successRate below 100) keeps reading the batches (§4.3.6's RETRY_INSTANCE example)", async () => {
    const r = await w.engine.up(T, "partial", run({ batches: [{ hosts: [host("i-ok-1"), host("i-fail")] }], successRate: 50 }));
    const mark = w.emu.log.mark();
    const again = await w.engine.refresh(T, "partial");
    expect(served(mark)).toEqual(["GET ScriptRun.get", "GET ScriptRun.batches", "GET ScriptRun.batch"]);
    expect(again.state!.outputs).toEqual(r.state!.outputs);
    await w.engine.destroy(T, "partial");
  });

  for (const [end, status, second] of [
    ["CONTINUE_ORDER", "FINISHED", "FINISHED"],
    ["CANCEL_ORDER", "CANCELED", "CANCELED"],
  ] as const) {
    test(`a ticket read PAUSED, then ${end}: each read is in full until the state records it ended, and the new batch results show`, async () => {
      await w.engine.up(T, `paused-${end}`, run());
      const id = await pausedTicket();
      // The state of a run whose ticket a refresh found PAUSED (a create never records one: it waits, then cancels).
      rewrite(`paused-${end}`, (o) => ({ ...o, executeUuid: id }), id);
      let mark = w.emu.log.mark();
      let r = await w.engine.refresh(T, `paused-${end}`);
      expect(served(mark)).toEqual(FULL_READ);
      expect(r.state!.outputs).toMatchObject({ executeUuid: id, status: "PAUSED" });
      expect(r.state!.outputs.batchResults).toEqual([
        { batchIndex: 1, hosts: [{ resourceId: "i-ok-1", status: "FINISHED", message: "exit code 0 on i-ok-1" }] },
        { batchIndex: 2, hosts: [{ resourceId: "i-ok-2", status: "READY" }] },
      ]);
      mark = w.emu.log.mark();
      r = await measured("read (not ended)", () => w.engine.refresh(T, `paused-${end}`));
      expect(served(mark)).toEqual(FULL_READ);
      expect(r.state!.outputs.status).toBe("PAUSED");
      await op(id, end);
      await until(id, status);
      mark = w.emu.log.mark();
      r = await w.engine.refresh(T, `paused-${end}`);
      expect(served(mark)).toEqual(FULL_READ);
      expect(r.state!.outputs.status).toBe(status);
      expect(r.state!.outputs.batchResults[1].hosts[0]).toMatchObject({ resourceId: "i-ok-2", status: second });
      const ended = r.state!.outputs;
      mark = w.emu.log.mark();
      r = await w.engine.refresh(T, `paused-${end}`);
      // Every host FINISHED: the ticket alone; a host CANCELED: the batches again.
      expect(served(mark)).toEqual(second === "FINISHED" ? ["GET ScriptRun.get"] : FULL_READ);
      expect(r.state!.outputs).toEqual(ended);
      await w.engine.destroy(T, `paused-${end}`);
    });
  }
});

describe("runs that do not succeed fail the up, and nothing is recorded", () => {
  test("a host that fails: the ticket's own message", async () => {
    await expect(w.engine.up(T, "failing", run({ batches: [{ hosts: [host("i-ok-1")] }, { hosts: [host("i-fail")] }] }))).rejects.toThrow(
      /ended ERROR, 1 of 2 hosts succeeded: batch 2 host i-fail ABNORMAL: disk full on \/var/,
    );
    expect([...w.engine.state.values()].some((s) => s.name === "failing")).toBe(false);
  });
  test("a missed success rate fails; a met one passes with the failed host recorded", async () => {
    const mixed = [{ hosts: [host("i-ok-1"), host("i-fail")] }];
    await expect(w.engine.up(T, "rate", run({ batches: mixed, successRate: 60 }))).rejects.toThrow(/1 of 2 hosts succeeded: batch 1 host i-fail ABNORMAL: disk full on \/var/);
    const met = await w.engine.up(T, "rate", run({ batches: mixed, successRate: 50 }));
    expect(met.state!.outputs.status).toBe("FINISHED");
    expect(met.state!.outputs.batchResults[0].hosts).toContainEqual({ resourceId: "i-fail", status: "ABNORMAL", message: "disk full on /var" });
    await w.engine.destroy(T, "rate");
  });
  test("a ticket that hangs is cancelled at the wait bound (§4.3.6), and the error says so", async () => {
    const r = w.engine.up(T, "hung", run({ batches: [{ hosts: [host("i-hang")] }], waitTimeout: 1 }));
    await expect(r).rejects.toThrow(/did not end within waitTimeout 1 s \(it read PROCESSING\); cancelled it \(§4\.3\.6 CANCEL_ORDER\): it now reads CANCELED/);
    const cancels = w.emu.log.since(0).filter((e) => e.operation === "ScriptRun.operate");
    expect(cancels.length).toBeGreaterThan(0);
  });
  test("a batch with rotation strategy PAUSE holds the ticket: the log says how to go on, the bound cancels it", async () => {
    await expect(w.engine.up(T, "paused", run({ batches: [{ hosts: [host("i-ok-1")], rotationStrategy: "PAUSE" }, { hosts: [host("i-ok-2")] }], waitTimeout: 1 }))).rejects.toThrow(
      /it read PAUSED\); cancelled it/,
    );
    expect(w.host.logs.join("\n")).toMatch(/PAUSED after batch 1 \(rotation_strategy PAUSE\): continue it in COC/);
  });
  test("a script that does not exist: the service's refusal, nothing ran", async () => {
    await expect(w.engine.up(T, "nothing", run({ scriptId: "SC2023102521413701c4a8a99" }))).rejects.toThrow(
      /refused to run script SC2023102521413701c4a8a99 \(HTTP 204.*nothing ran/,
    );
  });
});

describe("E1: every reading of the execute error answer is a refusal, never a run recorded", () => {
  for (const reading of ["204-body", "400", "204-empty"]) {
    test(reading, async () => {
      await inWorld({ E1: reading }, async (x) => {
        seedHosts(x);
        await makeScript(x);
        await expect(x.engine.up(T, "r", { scriptId: "SC2023102521413701c4a8a99", batches: [{ hosts: [host("i-ok-1")] }] })).rejects.toThrow(
          reading === "400" ? /COC\.00040604/ : /HTTP 204.*nothing ran/,
        );
        expect(x.engine.state.size).toBe(1);
      });
    });
  }
});

describe("bad inputs fail at check, naming the property, with zero API calls", () => {
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ["a malformed script id", { scriptId: "script-1" }, "scriptId", /script uuid/],
    ["a timeout under 5 s", { timeout: 4 }, "timeout", /5–1800 seconds/],
    ["a success rate with two decimals", { successRate: 99.25 }, "successRate", /one decimal place/],
    ["11 hosts in a batch", { batches: [{ hosts: Array.from({ length: 11 }, (_x, i) => host(`i-${i}`)) }] }, "batches[0].hosts", /1–10 hosts/],
    ["21 batches", { batches: Array.from({ length: 21 }, () => ({ hosts: [host("i-ok-1")] })) }, "batches", /at most 20 batches/],
    ["a wait bound beyond 10 hours", { waitTimeout: 36001 }, "waitTimeout", /1–36000 seconds/],
    ["an unknown rotation strategy", { batches: [{ hosts: [host("i-ok-1")], rotationStrategy: "STOP" }] }, "batches[0].rotationStrategy", /CONTINUE or PAUSE/],
  ];
  test.each(cases)("%s", async (_what, over, property, reason) => {
    await expectRefusedAtCheck(w, T, run(over), property, reason);
  });
});

test("the page's API calls per operation are what was measured", () => {
  expect(callsAgainstPage(T, calls)).toEqual([]);
});
