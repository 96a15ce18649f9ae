import type { Emulator } from "../../emulator";
import type { ApiClient } from "../../provider/client";

/**
 * A CloudTest plan made through §4.3.2 outside any stack. The §4.3.2 answer carries error fields beside
 * the id in a 201: the client reports it, yet the plan is made, so its id is read from the emulator's store.
 */
export async function addPlanOutOfBand(client: ApiClient, emu: Pick<Emulator, "store">, projectId: string, name: string): Promise<string> {
  await client
    .send({
      service: "cloudtest",
      method: "POST",
      path: `/v1/projects/${projectId}/plans`,
      operation: "Test.add",
      body: { name, plan_cycle: { start_date: "2026-01-01", end_date: "2026-12-31" }, service_id_list: [1] },
    })
    .catch(() => undefined);
  return emu.store
    .collection<{ plan_id: string; name: string }>("testPlans")
    .list(projectId)
    .find((p) => p.name === name)!.plan_id;
}
