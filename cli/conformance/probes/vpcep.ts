import { describe, found, unknown, type Outcome, type Probe, type ProbeContext, type Unprobeable } from "../probe";

/**
 * Probes of VPCEP access control (CodeArts API Reference (VPCEP, English and Chinese editions) §4.1.1). The only API is a DELETE of access records,
 * and records are made in the console: a probe cannot make one. So both probes DELETE a vpcep id no
 * record has (a scratch name: VPC endpoint ids are UUIDs), which revokes nothing whatever the reading,
 * and read the answer: the service's own "not found" (404 UC.00011005, "Data already deleted") says
 * the path is served; a 404 without a UC code is the gateway's "API not found" (G1). Never an empty
 * `vpceps` list: what the service does with one is not documented (it might mean "all").
 */
const EN_PATH = "/devuc-accessmgmt/v2/vpceps";
const ZH_PATH = "/v2/vpceps";
const NOT_FOUND = "UC.00011005";
const BAD_REQUEST = "UC.00011001";

/** A vpcep id (1–40 of [0-9a-z-]) that no access record has: the run's scratch name. */
const noSuchVpcep = (ctx: ProbeContext, label: string) =>
  ctx
    .name(label)
    .toLowerCase()
    .replace(/[^0-9a-z-]/g, "-")
    .slice(-40);

function revoke(ctx: ProbeContext, path: string, region: string, vpcepId: string): Promise<Outcome> {
  return ctx.attempt({
    service: "devuc",
    method: "DELETE",
    path,
    headers: { region },
    body: { vpceps: [{ vpcep_id: vpcepId }] },
    operation: "Conformance.VpcepAccessControl.revoke",
    resource: vpcepId,
  });
}

/** The service itself answered on that path (its UC code, or its `{"status": "ok"}`), not the gateway or a proxy. */
const served = (o: Outcome) => (o.ok ? (o.res.body as { status?: unknown } | undefined)?.status === "ok" : (o.error.errorCode ?? "").startsWith("UC."));
/** The gateway's "API not found": a 404 with no UC code (APIG/APIGW.0101, bare, HTML). */
const notServed = (o: Outcome) => !o.ok && o.error.status === 404 && !(o.error.errorCode ?? "").startsWith("UC.");

const needsRegion = () => unknown("needs huaweicloud:region: the DELETE's `region` header names where the records are");

const v1: Probe = {
  row: "V1",
  method: `DELETEs, on each documented path (${EN_PATH}, ${ZH_PATH}), the access record of a vpcep id no record has (revokes nothing): the path answering the service's UC code while the other answers a gateway 404 names the reading`,
  cost: "read-only",
  async run(ctx) {
    const region = ctx.kinds.settings.region;
    if (!region) return needsRegion();
    const id = noSuchVpcep(ctx, "v1");
    const en = await revoke(ctx, EN_PATH, region, id);
    const zh = await revoke(ctx, ZH_PATH, region, id);
    const seen = `${EN_PATH} → ${describe(en)}, ${ZH_PATH} → ${describe(zh)} (vpcep id ${id}, which no record has)`;
    if (served(en) && notServed(zh)) return found("en", seen);
    if (served(zh) && notServed(en)) return found("zh", seen);
    return unknown(`${seen}: not one path answered by the service and the other by the gateway's 404`);
  },
};

/** Another region than the configured one, for the `region` header. */
const otherRegion = (region: string) => ["cn-north-4", "ap-southeast-3"].find((r) => r !== region)!;

const v2: Probe = {
  row: "V2",
  method:
    "DELETEs the access record of a vpcep id no record has (revokes nothing) with the configured region in the `region` header (the control: the service's 404 UC.00011005, on whichever documented path it serves), then with another region: 404 UC.00011005 → any, 400 UC.00011001 → strict",
  cost: "read-only",
  async run(ctx) {
    const region = ctx.kinds.settings.region;
    if (!region) return needsRegion();
    const id = noSuchVpcep(ctx, "v2");
    let path = EN_PATH;
    let control = await revoke(ctx, path, region, id);
    if (notServed(control)) {
      path = ZH_PATH;
      control = await revoke(ctx, path, region, id);
    }
    const ctl = `with region ${region}: ${describe(control)} on ${path}`;
    if (control.ok || control.error.errorCode !== NOT_FOUND) return unknown(`the control (${ctl}) is not the service's ${NOT_FOUND}`);
    const other = otherRegion(region);
    const o = await revoke(ctx, path, other, id);
    const seen = `${ctl}; with region ${other}: ${describe(o)} (vpcep id ${id}, which no record has)`;
    if (!o.ok && o.error.errorCode === NOT_FOUND) return found("any", seen);
    if (!o.ok && o.error.status === 400 && o.error.errorCode === BAD_REQUEST) return found("strict", seen);
    return unknown(`${seen}: neither ${NOT_FOUND} nor 400 ${BAD_REQUEST}`);
  },
};

export const PROBES: Probe[] = [v1, v2];
export const UNPROBEABLE: Unprobeable[] = [];
