import type { HttpMethod } from "../provider/http";
import { setTimeout as sleep } from "timers/promises";
import { seedCocResources } from "../emulator";
import { inWorld, type World } from "./support/world";

// The emulator's script tickets (COC §4.2.6, §4.3.1–§4.3.6) as a client sees them: states over time, the
// operations, and the readings of E2, E3 and E4. A step of 30 ms per batch.
jest.setTimeout(60_000);

const target = (resource_id: string) => ({ resource_id, agent_sn: `sn-${resource_id}`, project_id: "p1", region_id: "cn-north-4" });
const send = (w: World, method: HttpMethod, path: string, body?: unknown, query?: Record<string, string | number>) =>
  w.outOfBand.send<any>({ service: "coc", method, path, body, query, operation: "Test.coc" }).then((r) => r.body);
async function setup(w: World): Promise<string> {
  seedCocResources(
    w.emu.store,
    w.account.domainId,
    [
      { resourceId: "a", agentSn: "sn-a", projectId: "p1", regionId: "cn-north-4" },
      { resourceId: "b", agentSn: "sn-b", projectId: "p1", regionId: "cn-north-4" },
    ],
    30,
  );
  const made = await send(w, "POST", "/v1/job/scripts", { name: "t", description: "d", type: "SHELL", content: "true", properties: { risk_level: "LOW", version: "1" } });
  return made.data;
}
const execute = (w: World, script: string, param: Record<string, unknown>, batches: unknown[]) =>
  send(w, "POST", `/v1/job/scripts/${script}`, { execute_param: { timeout: 300, execute_user: "root", success_rate: 100, ...param }, execute_batches: batches });
async function until(w: World, id: string, status: string): Promise<any> {
  for (let i = 0; i < 200; i++) {
    const info = (await send(w, "GET", `/v1/job/script/orders/${id}`)).data;
    if (info.status === status) return info;
    await sleep(20);
  }
  throw new Error(`ticket ${id} never read ${status}`);
}

test("PAUSE holds the ticket after its batch; CONTINUE_ORDER runs the rest; statistics count the hosts by state", () =>
  inWorld({}, async (w) => {
    const script = await setup(w);
    const id = (
      await execute(w, script, { resourceful: true }, [
        { batch_index: 1, rotation_strategy: "PAUSE", target_instances: [target("a")] },
        { batch_index: 2, rotation_strategy: "CONTINUE", target_instances: [target("b")] },
      ])
    ).data;
    expect((await until(w, id, "PAUSED")).properties.current_execute_batch_index).toBe(1);
    const stats = (await send(w, "GET", `/v1/job/script/orders/${id}/statistics`)).data;
    expect(stats.execute_statistics.filter((s: any) => s.instance_count > 0)).toEqual([
      { instance_status: "READY", instance_count: 1, batch_indexes: [2] },
      { instance_status: "FINISHED", instance_count: 1, batch_indexes: [1] },
    ]);
    await expect(send(w, "PUT", `/v1/job/script/orders/${id}/operation`, { operation_type: "RETRY_INSTANCE" })).rejects.toThrow(/COC\.00040701/);
    await send(w, "PUT", `/v1/job/script/orders/${id}/operation`, { operation_type: "CONTINUE_ORDER" });
    await until(w, id, "FINISHED");
    // An ended ticket refuses operations.
    await expect(send(w, "PUT", `/v1/job/script/orders/${id}/operation`, { operation_type: "CANCEL_ORDER" })).rejects.toThrow(/has ended \(FINISHED\)/);
    const batch = (await send(w, "GET", `/v1/job/script/orders/${id}/batches/2`, undefined, { limit: 50, marker: 0 })).data;
    expect(batch.execute_instances.map((i: any) => [i.target_instance.resource_id, i.status])).toEqual([["b", "FINISHED"]]);
    // Table 4-48: limit and marker are mandatory.
    await expect(send(w, "GET", `/v1/job/script/orders/${id}/batches/2`, undefined, { limit: 50 })).rejects.toThrow(/marker/);
  }));

describe("E2, E3: what the execute body may hold", () => {
  for (const [E2, E3, accepted] of [
    ["number", "required", false],
    ["string", "optional", true],
  ] as const) {
    test(`E2=${E2}, E3=${E3}: success_rate "100.0" without resourceful is ${accepted ? "accepted" : "refused"}`, () =>
      inWorld({ E2, E3, E1: "400" }, async (w) => {
        const script = await setup(w);
        const run = execute(w, script, { success_rate: "100.0" }, [{ batch_index: 1, rotation_strategy: "CONTINUE", target_instances: [target("a")] }]);
        if (accepted) expect((await run).data).toMatch(/^SCT/);
        else await expect(run).rejects.toThrow(/COC\.00040701/);
      }));
  }
});

describe("E4: execute_costs in the ticket's own unit", () => {
  for (const E4 of ["ms", "s"]) {
    test(E4, () =>
      inWorld({ E4 }, async (w) => {
        const script = await setup(w);
        const id = (await execute(w, script, { resourceful: true }, [{ batch_index: 1, rotation_strategy: "CONTINUE", target_instances: [target("a")] }])).data;
        const info = await until(w, id, "FINISHED");
        const ms = info.gmt_finished - info.gmt_created;
        expect(info.execute_costs).toBe(E4 === "ms" ? ms : Math.round(ms / 1000));
      }),
    );
  }
});

/** §4.3.6 on ticket `id`; the answer's data (the ticket's uuid) or the COC error thrown. */
const operate = (w: World, id: string, body: Record<string, unknown>) => send(w, "PUT", `/v1/job/script/orders/${id}/operation`, body).then((r) => r.data);
/** §4.3.4: batch `index`'s hosts as [resource_id, status, message], and their instance ids by resource_id. */
async function hosts(w: World, id: string, index: number): Promise<{ states: string[][]; ids: Record<string, number> }> {
  const page = (await send(w, "GET", `/v1/job/script/orders/${id}/batches/${index}`, undefined, { limit: 50, marker: 0 })).data;
  return {
    states: page.execute_instances.map((i: any) => [i.target_instance.resource_id, i.status, i.message]),
    ids: Object.fromEntries(page.execute_instances.map((i: any) => [i.target_instance.resource_id, i.id])),
  };
}
/** A host seeded to hang: PROCESSING until an operation ends it, so the tests act while a batch runs. */
const hangingHost = (w: World) =>
  seedCocResources(w.emu.store, w.account.domainId, [{ resourceId: "h", agentSn: "sn-h", projectId: "p1", regionId: "cn-north-4", behaviour: "hang" }]);

/** A ticket held PAUSED after its first batch (host a; PAUSE), its second batch (host b) not run. */
async function pausedTicket(w: World): Promise<string> {
  const script = await setup(w);
  const batches = [
    { batch_index: 1, rotation_strategy: "PAUSE", target_instances: [target("a")] },
    { batch_index: 2, rotation_strategy: "CONTINUE", target_instances: [target("b")] },
  ];
  const id = (await execute(w, script, { resourceful: true }, batches)).data;
  await until(w, id, "PAUSED");
  return id;
}

/** A ticket of two CONTINUE batches of the given hosts, with host "h" seeded to hang so the tests act while a batch runs. */
async function hangingTicket(w: World, first: string[], second: string[]): Promise<{ id: string; script: string }> {
  const script = await setup(w);
  hangingHost(w);
  const batches = [first, second].map((hosts, i) => ({ batch_index: i + 1, rotation_strategy: "CONTINUE", target_instances: hosts.map(target) }));
  return { id: (await execute(w, script, { resourceful: true }, batches)).data, script };
}

describe("§4.3.6 SKIP_BATCH: skipping a batch", () => {
  test("the running batch: its hosts end CANCELED, the next batch starts at once, the ticket ends FINISHED; that batch cannot be skipped again", () =>
    inWorld({}, async (w) => {
      const { id, script } = await hangingTicket(w, ["h"], ["a"]);
      expect((await until(w, id, "PROCESSING")).properties.current_execute_batch_index).toBe(1);
      expect(await operate(w, id, { operation_type: "SKIP_BATCH", batch_index: 1 })).toBe(id);
      await until(w, id, "FINISHED");
      expect((await hosts(w, id, 1)).states).toEqual([["h", "CANCELED", "canceled"]]);
      expect((await hosts(w, id, 2)).states).toEqual([["a", "FINISHED", "exit code 0 on a"]]);
      // A skipped batch has ended: skipping it again is refused (on a ticket paused after it, which has not ended).
      const again = (
        await execute(w, script, { resourceful: true }, [
          { batch_index: 1, rotation_strategy: "PAUSE", target_instances: [target("h")] },
          { batch_index: 2, rotation_strategy: "CONTINUE", target_instances: [target("a")] },
        ])
      ).data;
      await operate(w, again, { operation_type: "SKIP_BATCH", batch_index: 1 });
      await until(w, again, "PAUSED");
      await expect(operate(w, again, { operation_type: "SKIP_BATCH", batch_index: 1 })).rejects.toThrow(/COC\.00040701.*batch 1 has ended/);
    }));

  test("a later batch, while the ticket is paused: its hosts never run (CANCELED), the batches after it do", () =>
    inWorld({}, async (w) => {
      const script = await setup(w);
      const id = (
        await execute(w, script, { resourceful: true }, [
          { batch_index: 1, rotation_strategy: "PAUSE", target_instances: [target("a")] },
          { batch_index: 2, rotation_strategy: "CONTINUE", target_instances: [target("b")] },
          { batch_index: 3, rotation_strategy: "CONTINUE", target_instances: [target("a")] },
        ])
      ).data;
      await until(w, id, "PAUSED");
      await operate(w, id, { operation_type: "SKIP_BATCH", batch_index: 2 });
      await operate(w, id, { operation_type: "CONTINUE_ORDER" });
      await until(w, id, "FINISHED");
      expect((await hosts(w, id, 2)).states).toEqual([["b", "CANCELED", "canceled"]]);
      expect((await hosts(w, id, 3)).states).toEqual([["a", "FINISHED", "exit code 0 on a"]]);
      const stats = (await send(w, "GET", `/v1/job/script/orders/${id}/statistics`)).data;
      expect(stats.execute_statistics.filter((s: any) => s.instance_count > 0)).toEqual([
        { instance_status: "CANCELED", instance_count: 1, batch_indexes: [2] },
        { instance_status: "FINISHED", instance_count: 2, batch_indexes: [1, 3] },
      ]);
    }));

  test("batch_index is what it acts on: missing, naming no batch, or a batch that has ended, refused", () =>
    inWorld({}, async (w) => {
      const id = await pausedTicket(w);
      await expect(operate(w, id, { operation_type: "SKIP_BATCH" })).rejects.toThrow(/batch_index names no batch/);
      await expect(operate(w, id, { operation_type: "SKIP_BATCH", batch_index: 3 })).rejects.toThrow(/batch_index names no batch/);
      await expect(operate(w, id, { operation_type: "SKIP_BATCH", batch_index: 1 })).rejects.toThrow(/batch 1 has ended/);
      // Refusals change nothing: batch 2 still runs.
      await operate(w, id, { operation_type: "CONTINUE_ORDER" });
      await until(w, id, "FINISHED");
      expect((await hosts(w, id, 2)).states).toEqual([["b", "FINISHED", "exit code 0 on b"]]);
    }));
});

describe("§4.3.6 CANCEL_INSTANCE: cancelling an instance", () => {
  test("a running host ends CANCELED and counts neither way for success_rate; a host of a later batch cancelled in advance never runs", () =>
    inWorld({}, async (w) => {
      const script = await setup(w);
      hangingHost(w);
      const id = (
        await execute(w, script, { resourceful: true, success_rate: 100 }, [
          { batch_index: 1, rotation_strategy: "CONTINUE", target_instances: [target("a"), target("h")] },
          { batch_index: 2, rotation_strategy: "CONTINUE", target_instances: [target("a"), target("b")] },
        ])
      ).data;
      // Long enough for host a (one 30 ms step) to end; h hangs, so the ticket still runs batch 1.
      await sleep(100);
      await until(w, id, "PROCESSING");
      const one = await hosts(w, id, 1);
      expect(one.states).toEqual([
        ["a", "FINISHED", "exit code 0 on a"],
        ["h", "PROCESSING", ""],
      ]);
      const two = await hosts(w, id, 2);
      expect(two.states.map((s) => s[1])).toEqual(["READY", "READY"]);
      await operate(w, id, { operation_type: "CANCEL_INSTANCE", instance_id: two.ids.b });
      await operate(w, id, { operation_type: "CANCEL_INSTANCE", instance_id: one.ids.h });
      // 2 of 2 hosts that ran FINISHED: 100 %, so the cancelled ones do not fail the ticket.
      await until(w, id, "FINISHED");
      expect((await hosts(w, id, 1)).states).toEqual([
        ["a", "FINISHED", "exit code 0 on a"],
        ["h", "CANCELED", "canceled"],
      ]);
      expect((await hosts(w, id, 2)).states).toEqual([
        ["a", "FINISHED", "exit code 0 on a"],
        ["b", "CANCELED", "canceled"],
      ]);
    }));

  test("instance_id is what it acts on: missing, naming no instance of the ticket, or a host that has ended, refused", () =>
    inWorld({}, async (w) => {
      const id = await pausedTicket(w);
      const a = (await hosts(w, id, 1)).ids.a;
      await expect(operate(w, id, { operation_type: "CANCEL_INSTANCE" })).rejects.toThrow(/instance_id names no instance/);
      await expect(operate(w, id, { operation_type: "CANCEL_INSTANCE", instance_id: 999_999 })).rejects.toThrow(/instance_id names no instance/);
      await expect(operate(w, id, { operation_type: "CANCEL_INSTANCE", instance_id: a })).rejects.toThrow(/instance \d+ has ended \(FINISHED\)/);
    }));
});

test("§4.3.6 PAUSE_ORDER holds the ticket PAUSED after the running batch (refused once paused); CANCEL_ORDER of a paused ticket cancels the batches not run", () =>
  inWorld({}, async (w) => {
    const { id } = await hangingTicket(w, ["h"], ["a"]);
    await until(w, id, "PROCESSING");
    await operate(w, id, { operation_type: "PAUSE_ORDER" });
    // The pause takes effect when the batch ends: here when its one host is cancelled.
    await operate(w, id, { operation_type: "CANCEL_INSTANCE", instance_id: (await hosts(w, id, 1)).ids.h });
    expect((await until(w, id, "PAUSED")).properties.current_execute_batch_index).toBe(1);
    await expect(operate(w, id, { operation_type: "PAUSE_ORDER" })).rejects.toThrow(/paused already/);
    await operate(w, id, { operation_type: "CANCEL_ORDER" });
    await until(w, id, "CANCELED");
    expect((await hosts(w, id, 2)).states).toEqual([["a", "CANCELED", "canceled"]]);
  }));
