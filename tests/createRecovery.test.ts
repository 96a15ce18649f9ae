import type { Fault } from "../emulator";
import { startWorld, stackConfig, World } from "./support/world";

// Creates must be safe to repeat: a create that fails ambiguously is followed by a look-up by natural
// key, which adopts what was made or creates again when nothing was. After every cell, the emulator's
// inventory must hold exactly one object of that name, and it must be the one the state records.
let w: World;
const table: string[] = [];

interface KindUnderTest {
  type: string;
  route: { method: string; path: string };
  inputs: (name: string) => Record<string, unknown>;
  inventory: (name: string) => Promise<string[]>;
}

const kinds = (): KindUnderTest[] => {
  const P = w.account.codeartsProjects[0];
  return [
    {
      type: "Script",
      route: { method: "POST", path: "/v1/job/scripts" },
      inputs: (name) => ({ name, description: "d", type: "SHELL", content: "true", riskLevel: "LOW", version: "1" }),
      inventory: async (name) => ((await w.outOfBand.send<any>({ service: "coc", method: "GET", path: "/v1/job/scripts", query: { limit: 100, name_like: name }, operation: "Test.list" })).body.data as any[]).filter((s) => s.name === name).map((s) => s.script_uuid),
    },
    {
      type: "TestPlan",
      route: { method: "POST", path: "/v1/projects/{project_id}/plans" },
      inputs: (name) => ({ projectId: P, name, endDate: "2026-12-31", serviceIdList: [1] }),
      inventory: async (name) => ((await w.outOfBand.send<any[]>({ service: "cloudtest", method: "GET", path: `/v2/projects/${P}/plans`, query: { offset: 0, limit: 200, name }, operation: "Test.list" })).body).filter((p) => p.name === name).map((p) => p.plan_id),
    },
  ];
};

const faults: Array<[string, Fault]> = [
  ["5xx before the change", { type: "status", status: 500 }],
  ["commit then fail", { type: "commit-then-fail" }],
  ["timeout after the change", { type: "hang-after-commit" }],
  ["connection reset", { type: "reset" }],
  ["429 with Retry-After", { type: "rate-limit", retryAfter: 1 }],
];

beforeAll(async () => {
  // A short request timeout, so "timeout after the change" is quick.
  w = await startWorld({ config: (emu) => ({ ...stackConfig(emu), "huaweicloud:requestTimeout": "1" }) });
});
afterAll(async () => {
  console.log(["Create recovery matrix (kind × fault → outcome):", "| kind | fault | outcome | create calls |", "|---|---|---|---|", ...table].join("\n"));
  await w.close();
});

describe.each(["Script", "TestPlan"])("%s", (type) => {
  test.each(faults)("%s: exactly one object, and it is the one in the state", async (label, fault) => {
    const k = kinds().find((x) => x.type === type)!;
    const name = `recover_${type}_${label.replace(/\W+/g, "_")}`.slice(0, 60);
    w.emu.faults.inject({ method: k.route.method, path: k.route.path, fault, times: 1 });
    const mark = w.emu.log.mark();
    const r = await w.engine.up(type, name, k.inputs(name));
    w.emu.faults.clear();
    const creates = w.emu.log.since(mark).filter((e) => e.operation === `${type}.create`);
    const inventory = await k.inventory(name);
    expect(r.op).toBe("create");
    expect(inventory).toEqual([r.state!.id]);
    const outcome =
      creates.length === 1 ? "looked up by name: recorded the object the failed create made"
      : fault.type === "rate-limit" ? "refused by the gateway; the client retried after Retry-After"
      : "looked up by name: nothing made, created again";
    table.push(`| ${type} | ${label} | ${outcome} | ${creates.length} |`);
  });
});
