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
