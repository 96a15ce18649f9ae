import type { Scenario } from "../lifecycle";

export const publisherScenario: Scenario = async ({ engine, account, outOfBand }, step) => {
  const T = "Publisher";
  const D = account.domainId;
  const acme = { name: "Acme", enName: "acme", supportUrl: "support@acme.example" };
  let id = "";
  await step("create (id found by listing)", async () => {
    const r = await engine.up(T, "acme", acme);
    id = r.state!.id;
    return `${r.op} ${id}`;
  });
  await step("read (refresh)", async () => `${(await engine.refresh(T, "acme")).op}: supportUrl=${engine.state.get(engine.urn(T, "acme"))?.outputs.supportUrl}`);
  await step("no-op up", async () => `${(await engine.up(T, "acme", acme)).op}`);
  await step("change = replace (no update API)", async () => {
    const r = await engine.up(T, "acme", { ...acme, description: "Pipeline steps by Acme" });
    id = r.state!.id;
    return `${r.op} (replaces ${r.diff!.replaces.join(", ")}) -> ${id}`;
  });
  await step("deleted out of band", async () => {
    await outOfBand.send({ service: "pipeline", method: "DELETE", path: `/v1/${D}/publisher/delete`, query: { publisher_unique_id: id }, operation: "Demo.delete" });
    return `refresh: ${(await engine.refresh(T, "acme")).op}`;
  });
  await step("up re-creates", async () => `${(await engine.up(T, "acme", { ...acme, description: "Pipeline steps by Acme" })).op}`);
  await step("destroy", async () => `${(await engine.destroy(T, "acme")).op}`);
};
