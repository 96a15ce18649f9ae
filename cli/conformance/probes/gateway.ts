import { randomBytes } from "crypto";
import { seg } from "../../../provider/http";
import { isGatewayCode, type ApiError } from "../../../provider/errors";
import { describe, found, unknown, type Outcome, type Probe, type ProbeContext, type Unprobeable } from "../probe";

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

/** A 32-hex id no object has (the form of template and rule ids): 128 random bits. */
const noSuchId = (): string => randomBytes(16).toString("hex");

/** An answer from the service itself: its JSON error with a code, not a gateway's. */
const serviceError = (o: Outcome): ApiError | undefined =>
  !o.ok && typeof o.error.errorCode === "string" && o.error.errorCode !== "" && !isGatewayCode(o.error.errorCode) ? o.error : undefined;

/**
 * G2, "no such object", asked of a plug-in version (§4.9.22) whose plug-in no one made: the kind whose
 * answers do not overlap between the readings. The Terraform provider meets HTTP 400 DEVPIPE.30011001
 * for a missing plug-in or publisher; the reference's §4.9 status tables list 404, with
 * §5.2's record code DEVCP.00012002. (A template is no good here: the reference's own §5.2 lists its
 * DEVCP.00021006 at 400, which the Terraform provider meets too, so that code cannot tell them apart.)
 */
const TERRAFORM_NOT_FOUND = "DEVPIPE.30011001";
const SEED_RECORD_NOT_FOUND = "DEVCP.00012002";

const g2: Probe = {
  row: "G2",
  method: "one GET of a plug-in version (§4.9.22) of a random plug-in name no one made; the not-found status and code name the reading",
  cost: "read-only",
  async run(ctx) {
    const name = `pulumi_codearts_no_such_plugin_${noSuchId().slice(0, 16)}`;
    const o = await ctx.attempt({
      service: "pipeline",
      method: "GET",
      path: `/v1/${seg(await ctx.domainId(), "the account id")}/agent-plugin/detail`,
      query: { plugin_name: name, version: "0.0.1" },
      operation: "Conformance.G2",
    });
    const seen = describe(o);
    if (o.ok) return unknown(`a plug-in no one made (${name}) answered ${seen} without an error`);
    const e = serviceError(o);
    if (!e) return unknown(`a plug-in no one made answered ${seen}: no service error code (a gateway, a proxy or a wrong endpoint), which proves nothing`);
    if (e.status === 400 && e.errorCode === TERRAFORM_NOT_FOUND) return found("terraform", `missing plug-in version: ${seen}`);
    if (e.status === 404 && e.errorCode === SEED_RECORD_NOT_FOUND) return found("seed", `missing plug-in version: ${seen}`);
    return unknown(`a missing plug-in version answered ${seen}: neither 400 ${TERRAFORM_NOT_FOUND} nor 404 ${SEED_RECORD_NOT_FOUND}`);
  },
};

/**
 * G3: whether a Pipeline error comes inside a 2xx answer. A rule detail of an id no rule has (§4.4.x,
 * tenant-level, no CodeArts project needed) is an error under every reading of G2 (DEVCP.00012002, not
 * a template's 400); the status it comes with is the reading.
 */
const g3: Probe = {
  row: "G3",
  method: "one GET of a rule's detail by a random id no rule has (§4.4); the status of the service's error names the reading",
  cost: "read-only",
  async run(ctx) {
    const o = await ctx.attempt({
      service: "pipeline",
      method: "GET",
      path: `/v2/${seg(await ctx.domainId(), "the account id")}/rules/${noSuchId()}/detail`,
      operation: "Conformance.G3",
    });
    const seen = describe(o);
    if (o.ok) return unknown(`a rule id no one made answered ${seen} without an error`);
    const e = serviceError(o);
    if (!e) return unknown(`a missing rule answered ${seen}: no service error code, so not the Pipeline service's own error`);
    const status = e.status;
    if (status >= 200 && status < 300) return found("in-200", `missing rule: HTTP ${seen} (the error inside a 2xx answer)`);
    if (status >= 400 && status < 500) return found("4xx", `missing rule: HTTP ${seen}`);
    return unknown(`a missing rule answered ${seen}, neither a 2xx nor a 4xx`);
  },
};

/**
 * G5: whether the scope headers are enforced. Each half of the row is asked the same way: one read as
 * the provider sends it, then the same read with no scope header at all (ApiRequest.scopeHeaders =
 * false, honoured by both auth paths). Only the second failing while the first succeeds shows `strict`;
 * both succeeding shows the header is not needed (`lenient`). The Pipeline half: the template list
 * (§4.1.1) and X-Domain-ID (CodeArts Pipeline API Reference §3.1). The COC half: the script list (§4.2.2)
 * and X-Project-Id, which the Cloud Operations Center API Reference's Table 3-3 asks of AK/SK callers only, so it is asked only under AK/SK with huaweicloud:projectId set.
 * The row's readings are both halves together: halves that disagree are neither.
 */
type Half = { reading: "lenient" | "strict"; evidence: string } | { unknown: string };

async function scopeHalf(ctx: ProbeContext, what: string, header: string, read: (scoped: boolean) => Promise<Outcome>): Promise<Half> {
  const withScope = await read(true);
  if (!withScope.ok) return { unknown: `the ${what} with ${header} already failed (${describe(withScope)}): nothing to compare with` };
  const without = await read(false);
  if (without.ok) return { reading: "lenient", evidence: `the ${what} answered ${describe(withScope)} with ${header} and ${describe(without)} without any scope header` };
  if (without.error.status >= 500 || without.error.status === 429)
    return { unknown: `without scope headers the ${what} answered ${describe(without)}: a server error or throttling, not a refusal` };
  return { reading: "strict", evidence: `the ${what} answered ${describe(withScope)} with ${header}, ${describe(without)} without it` };
}

const g5: Probe = {
  row: "G5",
  method:
    "the template list (§4.1.1, limit 1) and, under AK/SK with a project configured, the COC script list (§4.2.2, limit 1), each with its scope header (X-Domain-Id, X-Project-Id) and then without any: the answers without name the reading",
  cost: "read-only",
  async run(ctx) {
    const domainId = await ctx.domainId();
    const pipeline = await scopeHalf(ctx, "template list", "X-Domain-Id", (scoped) =>
      ctx.attempt({
        service: "pipeline",
        method: "POST",
        path: `/v5/${seg(domainId, "the account id")}/api/pipeline-templates/list`,
        body: { offset: 0, limit: 1 },
        idempotent: true, // a read
        operation: `Conformance.G5.${scoped ? "withScope" : "withoutScope"}`,
        ...(scoped ? { headers: { "X-Domain-Id": domainId } } : { scopeHeaders: false }),
      }),
    );
    if ("unknown" in pipeline) return unknown(pipeline.unknown);
    const { accessKey, projectId } = ctx.kinds.settings;
    if (!accessKey || !projectId) {
      return found(pipeline.reading, `${pipeline.evidence}; the COC half (X-Project-Id) was not asked: it concerns AK/SK callers with huaweicloud:projectId set`);
    }
    const coc = await scopeHalf(ctx, "COC script list", "X-Project-Id", (scoped) =>
      ctx.attempt({
        service: "coc",
        method: "GET",
        path: "/v1/job/scripts",
        query: { limit: 1 },
        operation: `Conformance.G5.coc.${scoped ? "withScope" : "withoutScope"}`,
        ...(scoped ? { headers: { "X-Project-Id": projectId } } : { scopeHeaders: false }),
      }),
    );
    if ("unknown" in coc) return unknown(coc.unknown);
    if (coc.reading !== pipeline.reading) return unknown(`the halves disagree, which neither reading says: ${pipeline.evidence}; ${coc.evidence}`);
    return found(pipeline.reading, `${pipeline.evidence}; ${coc.evidence}`);
  },
};

export const PROBES: Probe[] = [g1, g2, g3, g5];
export const UNPROBEABLE: Unprobeable[] = [
  {
    row: "P3",
    why: "the reading is about other writers inserting objects between two page requests; a probe cannot tell a stable order from a moment when no one else wrote, and the provider serves both (it rereads until two passes agree)",
  },
];
