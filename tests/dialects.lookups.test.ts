import { DIALECT_ROWS } from "../emulator/dialects";
import { clientSettings, DEFAULT_ACCOUNT, seedPlanJournals, seedPlanRequirements, startEmulator, type Emulator } from "../emulator";
import { ApiClient } from "../provider/client";
import * as sdk from "../sdk";
import { ROW_LOOKUPS } from "./support/dialectMatrix";
import { addPlanOutOfBand } from "./support/testPlans";

/**
 * The CloudTest look-ups under every reading of the offset rows they read (ROW_LOOKUPS): getTestPlan
 * the v2 plan list (P2, §4.3.6), getTestPlanRequirements and getTestPlanHistory a plan's v1 lists (P4,
 * §4.3.4, §4.3.5). Each world speaks one reading of each row, the two always different, so a provider
 * (or emulator) that took one row's answer for the other's reads a list wrongly somewhere.
 */
jest.setTimeout(120_000);

const P2 = DIALECT_ROWS.P2.readings;
const P4 = DIALECT_ROWS.P4.readings;
// P2's readings in turn, each beside a different P4 reading: every reading of both rows runs once.
const WORLDS = P4.map((p4, i) => ({ P2: P2[(i + 1) % P2.length], P4: p4 }));

test("the worlds cover every reading of the rows the look-ups read, the two rows always apart", () => {
  expect(Object.keys(ROW_LOOKUPS).sort()).toEqual(["P2", "P4"]);
  expect(new Set(WORLDS.map((w) => w.P2))).toEqual(new Set(P2));
  expect(new Set(WORLDS.map((w) => w.P4))).toEqual(new Set(P4));
  for (const w of WORLDS) expect(w.P2).not.toBe(w.P4);
});

describe.each(WORLDS)("P2=$P2, P4=$P4", (dialect) => {
  let emu: Emulator;
  let client: ApiClient;
  const P = DEFAULT_ACCOUNT.codeartsProjects[0];
  const settings = () => ({ settings: clientSettings(emu) });
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, quiet: true, dialect });
    client = new ApiClient(clientSettings(emu));
  });
  afterAll(async () => {
    await client?.close();
    await emu?.close();
  });

  const plan = (name: string): Promise<string> => addPlanOutOfBand(client, emu, P, name);

  test(`getTestPlan (P2=${dialect.P2}): a plan on page 2 of the v2 list, by name and by id; an absent name is none`, async () => {
    const id = await plan("lookup target");
    await new Promise((r) => setTimeout(r, 5));
    // Newer plans list first: these push the target to position 110, the second page of 100.
    for (let i = 1; i <= 110; i++) await plan(`filler ${String(i).padStart(3, "0")}`);
    const byName = await sdk.getTestPlan({ projectId: P, name: "lookup target" }, settings());
    expect(byName).toMatchObject({ id, name: "lookup target", projectId: P });
    expect(await sdk.getTestPlan({ projectId: P, id }, settings())).toEqual(byName);
    await expect(sdk.getTestPlan({ projectId: P, name: "lookup" }, settings())).rejects.toThrow(`TestPlan: none found with projectId "${P}", name "lookup"`);
  });

  test(`getTestPlanRequirements and getTestPlanHistory (P4=${dialect.P4}): 205 of each, past a page of 200, once each and in order`, async () => {
    const planId = await plan("listed");
    const n = 205;
    seedPlanRequirements(
      emu.store,
      P,
      planId,
      Array.from({ length: n }, (_v, i) => ({ workitem_id: String(7000 + i), name: `Work item ${i}`, parent_issue: i === 0 ? "" : "7000" })),
    );
    seedPlanJournals(
      emu.store,
      P,
      planId,
      Array.from({ length: n }, (_v, i) => ({ operate_time: `2026-01-01T00:00:${String(i).padStart(3, "0")}`, detail: [{ type: "attribute", journalized_type: "plan" }] })),
    );
    const mark = emu.log.mark();
    const { requirements } = await sdk.getTestPlanRequirements({ projectId: P, planId }, settings());
    expect(requirements.map((r) => r.workitemId)).toEqual(Array.from({ length: n }, (_v, i) => String(7000 + i)));
    const { history } = await sdk.getTestPlanHistory({ projectId: P, planId }, settings());
    expect(history.map((h) => h.operateTime)).toEqual(Array.from({ length: n }, (_v, i) => `2026-01-01T00:00:${String(i).padStart(3, "0")}`));
    // Per list: the first page and the probe that tells the rule (under page1, page 2: the last); the rest
    // (items 201 on, for positions); the refused offset=0 where offsets start at 1.
    const perList = { position0: 3, position1: 4, page1: 3 }[dialect.P4];
    expect(emu.log.since(mark)).toHaveLength(2 * perList);
  });
});
