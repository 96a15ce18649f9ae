import { seg } from "../../../provider/http";
import { describe, found, unknown, type Probe, type Unprobeable } from "../probe";

/** A path no documented API has, on the Pipeline host: what the gateway says to it is G1. */
const NO_SUCH_API = "pulumi-codearts-conformance-no-such-api";

const g1: Probe = {
  row: "G1",
  method: "one GET of a path no API serves, on the Pipeline endpoint; the 404's body names the reading",
  cost: "read-only",
  async run(ctx) {
    const o = await ctx.attempt({ service: "pipeline", method: "GET", path: `/v5/${seg(await ctx.domainId(), "the account id")}/api/${NO_SUCH_API}`, operation: "Conformance.G1" });
    if (o.ok) return unknown(`a path no API serves answered ${o.res.status}: something other than the gateway answers on this endpoint`);
    const e = o.error;
    const seen = describe(o);
    if (e.status !== 404) return unknown(`a path no API serves answered ${seen}, not 404`);
    if (e.errorCode === "APIG.0101") return found("apig", seen);
    if (e.errorCode === "APIGW.0101") return found("apigw", seen);
    if (e.body === undefined || e.body === "") return found("bare", "404 with an empty body");
    if (typeof e.body === "string" && /^\s*</.test(e.body)) return found("html", `404 with an HTML page (${e.body.trim().slice(0, 40)}…)`);
    return unknown(`404 answered with a body none of the readings has: ${JSON.stringify(e.body).slice(0, 120)}`);
  },
};

export const PROBES: Probe[] = [g1];
export const UNPROBEABLE: Unprobeable[] = [
  {
    row: "P3",
    why: "the reading is about other writers inserting objects between two page requests; a probe cannot tell a stable order from a moment when no one else wrote, and the provider serves both (it rereads until two passes agree)",
  },
];
