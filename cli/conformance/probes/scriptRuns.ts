import { randomBytes } from "crypto";
import { seg } from "../../../provider/http";
import { describe, found, unknown, type Outcome, type Probe, type ProbeContext, type Unprobeable } from "../probe";

/**
 * The script-run rows (E, docs/ambiguities.md; COC §4.2.6, §4.3). Nothing here runs anything on a host:
 * E4, E6 and E7 only read the tenant's existing tickets (§4.3.5 list, §4.3.1 basic info), and E1 sends
 * an execute the service must refuse (a script uuid no script has, on hosts that are no resource of the
 * tenant), which makes no ticket. E2 and E3 show only in an execute the service accepts, which runs a
 * script on hosts, so they are not probed.
 */

const op = (row: string, what: string) => `Conformance.${row}.${what}`;
type Row = Record<string, unknown>;
const quote = (body: unknown) => JSON.stringify(body ?? null).slice(0, 120);

/** The tickets of a §4.3.5 page and where they were: `{"data": {"total", "data"}}` (the example) or `{"total", "data"}` (Table 4-54). */
function ticketPage(body: unknown): { where: "wrapped" | "as-tables"; items: Row[] } | undefined {
  const page = (x: unknown) => !!x && typeof x === "object" && Array.isArray((x as Row).data) && typeof (x as Row).total === "number";
  const b = body as Row | null;
  if (!b || typeof b !== "object") return undefined;
  const top = page(b);
  const inData = page(b.data);
  if (top === inData) return undefined;
  const items = ((top ? b : (b.data as Row)).data as unknown[]).filter((x): x is Row => !!x && typeof x === "object");
  return { where: top ? "as-tables" : "wrapped", items };
}

/** GET /v1/job/script/orders (§4.3.5) with `query`; thrown when the answer is no page of either envelope. */
async function listTickets(ctx: ProbeContext, row: string, query: Record<string, string | number>): Promise<{ where: "wrapped" | "as-tables"; items: Row[]; status: number }> {
  const res = await ctx.send({ service: "coc", method: "GET", path: "/v1/job/script/orders", query, operation: op(row, "list") });
  const page = ticketPage(res.body);
  if (!page) throw new Error(`the ticket list answered ${res.status} with neither {"total", "data": [...]} nor {"data": {"total", "data": [...]}}: ${quote(res.body)}`);
  return { ...page, status: res.status };
}

/** §4.3.1's fields and where they were: at the top level (Table 4-36) or inside `data` (the example). */
async function ticketInfo(ctx: ProbeContext, row: string, uuid: string): Promise<{ where: "wrapped" | "as-tables"; info: Row; status: number } | { neither: string }> {
  const res = await ctx.send({ service: "coc", method: "GET", path: `/v1/job/script/orders/${seg(uuid, "the ticket's execute_uuid")}`, operation: op(row, "get"), resource: uuid });
  const b = res.body as Row | null;
  const has = (x: unknown) => !!x && typeof x === "object" && typeof (x as Row).execute_uuid === "string";
  const top = has(b);
  const inData = has(b?.data);
  if (top === inData)
    return {
      neither: `the basic info of ticket ${uuid} answered ${res.status} with execute_uuid ${top ? "both at the top level and in data" : "neither at the top level nor in data"}: ${quote(b)}`,
    };
  return { where: top ? "as-tables" : "wrapped", info: top ? b! : (b!.data as Row), status: res.status };
}

const uuidOf = (t: Row) => (typeof t.execute_uuid === "string" ? t.execute_uuid : undefined);

const e6: Probe = {
  row: "E6",
  method: "lists the tenant's tickets (§4.3.5, limit 1) and, when there is one, reads its basic info (§4.3.1): where total/data and execute_uuid are names the reading",
  cost: "read-only",
  async run(ctx) {
    const list = await listTickets(ctx, "E6", { limit: 1 });
    const where = list.where === "wrapped" ? 'inside {"data": …}' : "at the top level";
    const t = list.items.map(uuidOf).find((u) => u !== undefined);
    if (!t) return found(list.where, `the ticket list answered ${list.status} with total and data ${where} (no ticket to read §4.3.1's envelope too)`);
    const info = await ticketInfo(ctx, "E6", t);
    if ("neither" in info) return unknown(`the ticket list had total and data ${where}, but ${info.neither}`);
    if (info.where !== list.where)
      return unknown(
        `neither reading: the ticket list had total and data ${where}, the basic info of ${t} had execute_uuid ${info.where === "wrapped" ? 'inside {"data": …}' : "at the top level"}`,
      );
    return found(list.where, `the ticket list and the basic info of ticket ${t} both answered ${list.status} with their fields ${where}`);
  },
};

/** A time in milliseconds since 1970 (every example's gmt_*): after 2001-09-09, so seconds are not taken for it. */
const epochMs = (x: unknown): x is number => typeof x === "number" && Number.isInteger(x) && x >= 1e12;

const e4: Probe = {
  row: "E4",
  method: "lists the tenant's tickets (§4.3.5, limit 100) and compares an ended one's execute_costs with gmt_finished − gmt_created (milliseconds); no ended ticket: unknown",
  cost: "read-only",
  async run(ctx) {
    const list = await listTickets(ctx, "E4", { limit: 100 });
    // The longest ended ticket: the two readings differ by a factor of 1000, plain from one ticket of 2 ms or more.
    const ended = list.items
      .filter((t) => epochMs(t.gmt_created) && epochMs(t.gmt_finished) && typeof t.execute_costs === "number")
      .map((t) => ({ uuid: uuidOf(t) ?? "?", ms: (t.gmt_finished as number) - (t.gmt_created as number), costs: t.execute_costs as number }))
      .sort((a, b) => b.ms - a.ms);
    if (ended.length === 0)
      return unknown(`no ended ticket among the ${list.items.length} the list answered (one with gmt_created, gmt_finished in milliseconds and execute_costs): nothing to compare`);
    const t = ended[0];
    // Within 1 of the unit's value: a service may round or truncate.
    const asMs = Math.abs(t.costs - t.ms) <= 1;
    const asS = Math.abs(t.costs - t.ms / 1000) <= 1;
    const seen = `ticket ${t.uuid}: execute_costs ${t.costs}, gmt_finished − gmt_created ${t.ms} ms`;
    if (asMs && !asS) return found("ms", `${seen} (milliseconds)`);
    if (asS && !asMs) return found("s", `${seen} (seconds)`);
    return unknown(`${seen}: ${asMs ? "both units fit (the ticket is too short to tell)" : "neither unit fits"}`);
  },
};

const e7: Probe = {
  row: "E7",
  method:
    "lists the tenant's failed tickets (§4.3.5 status=ABNORMAL, else status=ERROR, limit 1) and reads one's basic info (§4.3.1): its status names the reading; no failed ticket: unknown",
  cost: "read-only",
  async run(ctx) {
    for (const status of ["ABNORMAL", "ERROR"]) {
      const list = await listTickets(ctx, "E7", { limit: 1, status });
      const t = list.items.find((x) => uuidOf(x) !== undefined && x.status === status);
      if (!t) continue;
      const uuid = uuidOf(t)!;
      const info = await ticketInfo(ctx, "E7", uuid);
      if ("neither" in info) return unknown(info.neither);
      const seen = `failed ticket ${uuid}: listed ${status}, its basic info reads ${JSON.stringify(info.info.status)}`;
      // `error`: §4.3.1 answers ERROR (the list ABNORMAL); `abnormal`: both ABNORMAL.
      if (info.info.status === "ERROR") return found("error", seen);
      if (info.info.status === "ABNORMAL") return found("abnormal", seen);
      return unknown(`${seen}: neither ERROR nor ABNORMAL`);
    }
    return unknown("the tenant has no failed ticket (the list with status=ABNORMAL and with status=ERROR is empty); one is never made, since that runs a script on a host");
  },
};

/**
 * A script uuid no script has: the §4.2.1 form (`SC`, a time, random hex), dated 1970 so that no uuid
 * the service issued can be it.
 */
const noScript = () => `SC19700101000000${randomBytes(5).toString("hex").slice(0, 9)}`;

const e1: Probe = {
  row: "E1",
  method:
    "executes (§4.2.6) a script uuid no script has on one host that is no resource of the tenant (the run's scratch name): the service must refuse it, and nothing runs; a COC 400 → 400, a 204 with the error → 204-body; a bare 204 is unknown (both 204 readings answer one)",
  cost: "read-only",
  async run(ctx) {
    const uuid = noScript();
    const host = ctx.name("e1").slice(0, 32);
    const settings = ctx.kinds.settings;
    const body = {
      execute_param: { resourceful: true, timeout: 300, success_rate: 100, execute_user: "root", script_params: [] },
      execute_batches: [
        {
          batch_index: 1,
          rotation_strategy: "CONTINUE",
          target_instances: [
            { resource_id: host, agent_sn: host, project_id: (settings.projectId ?? "0").slice(0, 32), region_id: (settings.region ?? "cn-north-4").slice(0, 32) },
          ],
        },
      ],
    };
    const o: Outcome = await ctx.attempt({
      service: "coc",
      method: "POST",
      path: `/v1/job/scripts/${seg(uuid, "the script uuid")}`,
      body,
      operation: op("E1", "execute"),
      resource: uuid,
    });
    const what = `an execute of script ${uuid}, which no script has,`;
    if (o.ok) {
      if (o.res.status === 204 && o.res.body === undefined)
        return unknown(`${what} answered a bare 204: both 204-body (whose body HTTP drops, RFC 9110 §15.3.5) and 204-empty answer so; the provider takes either as a refusal`);
      return unknown(`${what} answered ${o.res.status} ${quote(o.res.body)}: no reading accepts it`);
    }
    const e = o.error;
    if (e.status === 204) return found("204-body", `${what} answered ${describe(o)}: the error inside the 204`);
    if (e.status === 400 && e.errorCode?.startsWith("COC.")) return found("400", `${what} answered ${describe(o)}`);
    return unknown(`${what} answered ${describe(o)}, not a COC refusal (400 COC.…, or a 204): it tells nothing about how the execute reports an error`);
  },
};

export const PROBES: Probe[] = [e1, e4, e6, e7];

export const UNPROBEABLE: Unprobeable[] = [
  { row: "E2", why: "only an execute the service accepts shows it, and that runs a script on a host" },
  { row: "E3", why: "only an execute the service accepts shows it, and that runs a script on a host" },
];
