import { ApiClient } from "../provider/client";
import { authMode, rememberSecrets, Settings } from "../provider/config";
import { redactor } from "../provider/redaction";
import { resolveEndpoint, Service } from "../provider/endpoints";
import { ApiError, NetworkError } from "../provider/errors";
import { seg, type ApiRequest } from "../provider/http";
import { findPulumiCli } from "./pulumiCli";

/**
 * What a first run needs, checked without changing anything: credentials present and well formed,
 * each service's endpoint reachable and accepting a signed read-only call (401 told apart from 403),
 * and the Pulumi CLI. Works without the Pulumi CLI.
 */
export type Status = "ok" | "warn" | "fail" | "skip";
export interface Check {
  name: string;
  status: Status;
  detail: string;
}

const AK_FORM = /^[A-Z0-9]{16,40}$/;
const SK_FORM = /^[A-Za-z0-9]{30,60}$/;

export function checkCredentials(s: Settings): Check[] {
  const out: Check[] = [];
  let mode: "aksk" | "token";
  try {
    mode = authMode(s);
  } catch (e) {
    return [{ name: "credentials", status: "fail", detail: (e as Error).message }];
  }
  if (mode === "aksk") {
    const problems: string[] = [];
    if (!AK_FORM.test(s.accessKey!)) problems.push("huaweicloud:accessKey should be 16–40 upper-case letters and digits");
    if (!SK_FORM.test(s.secretKey!)) problems.push("huaweicloud:secretKey should be 30–60 letters and digits");
    out.push({
      name: "credentials",
      status: problems.length ? "fail" : "ok",
      detail: problems.join("; ") || `AK/SK (access key ${s.accessKey!.slice(0, 4)}…)${s.securityToken ? " with security token" : ""}`,
    });
  } else {
    out.push({ name: "credentials", status: "ok", detail: `IAM password token for user ${s.userName}` });
  }
  out.push(
    s.domainId
      ? { name: "account id", status: "ok", detail: `huaweicloud:domainId ${s.domainId}` }
      : mode === "token"
        ? // Not ok until the token has actually been issued and named the account (doctor() does that).
          { name: "account id", status: "skip", detail: "to be learnt from the IAM token" }
        : { name: "account id", status: "fail", detail: "huaweicloud:domainId (HW_DOMAIN_ID) is required with AK/SK: Pipeline paths name the account" },
  );
  out.push(
    s.region
      ? { name: "region", status: "ok", detail: s.region }
      : { name: "region", status: "warn", detail: "huaweicloud:region is not set; only explicit endpoints can be used" },
  );
  return out;
}

/** A read-only call per service; undefined when the service has none we can make with these settings. */
function probeFor(service: Service, s: Settings, domainId: string | undefined): ApiRequest | string {
  switch (service) {
    case "pipeline":
      if (!domainId) return "needs huaweicloud:domainId";
      return {
        service,
        method: "POST",
        path: `/v5/${seg(domainId, "the account id")}/api/pipeline-templates/list`,
        body: { offset: 0, limit: 1 },
        idempotent: true,
        operation: "Doctor.listTemplates",
      };
    case "cloudtest":
      if (!s.projectId) return "needs huaweicloud:projectId (the IAM project CloudTest plans live in)";
      return { service, method: "GET", path: `/v2/projects/${seg(s.projectId, "the IAM project id")}/plans`, query: { offset: 0, limit: 1 }, operation: "Doctor.listPlans" };
    case "coc":
      return { service, method: "GET", path: "/v1/job/scripts", query: { limit: 1 }, operation: "Doctor.listScripts" };
    case "devuc":
      return "the CodeArts VPCEP API has only a DELETE; nothing read-only to call";
    case "iam":
      return "used only for token authentication";
  }
}

function explain(e: unknown): { status: Status; detail: string } {
  if (e instanceof NetworkError) return { status: "fail", detail: `unreachable (${e.code})` };
  if (e instanceof ApiError) {
    const what = `HTTP ${e.status}${e.errorCode ? " " + e.errorCode : ""}${e.errorMsg ? ": " + e.errorMsg : ""}`;
    if (e.status === 401) return { status: "fail", detail: `reachable, credentials rejected (${what})` };
    if (e.status === 403 || e.errorCode === "DEVPIPE.0011301" || e.errorCode === "DEVCP.00014031") {
      return { status: "fail", detail: `reachable and authenticated, but not permitted (${what}): check the IAM policies` };
    }
    if (e.status === 404) return { status: "fail", detail: `reachable, but this endpoint does not serve the API (${what}): wrong endpoint or region?` };
    return { status: "fail", detail: `reachable, but the call failed (${what})` };
  }
  return { status: "fail", detail: (e as Error).message };
}

/**
 * The checks, passed through the one redaction (redaction.ts) on the way out: an answer that echoes
 * the request (a gateway 401 shows the canonical request, security token included) must not put a
 * secret on the terminal or in the JSON.
 */
export async function doctor(s: Settings, services: Service[] = ["pipeline", "cloudtest", "coc", "devuc", "iam"]): Promise<Check[]> {
  rememberSecrets(s);
  return redactor.value(await runChecks(s, services));
}

async function runChecks(s: Settings, services: Service[]): Promise<Check[]> {
  const checks = checkCredentials(s);
  const credentialsOk = checks[0].status === "ok";
  let client: ApiClient | undefined;
  try {
    if (credentialsOk) client = new ApiClient({ ...s, maxRetries: 0, requestTimeoutMs: Math.min(s.requestTimeoutMs, 10_000) });
    let domainId = s.domainId;
    const account = checks.find((c) => c.name === "account id");
    if (client && !domainId && account) {
      try {
        domainId = await client.domainId();
        Object.assign(account, { status: "ok", detail: `learnt from the IAM token: ${domainId}` });
      } catch (e) {
        Object.assign(account, { status: "fail", detail: `could not be learnt from the IAM token: ${explain(e).detail}` });
      }
    } else if (!client && account?.status === "skip") {
      account.detail = "not learnt: no usable credentials";
    }
    for (const service of services) {
      let base: string;
      try {
        base = resolveEndpoint(service, s.region ?? "", s.endpoints);
      } catch (e) {
        checks.push({ name: service, status: "fail", detail: (e as Error).message });
        continue;
      }
      const probe = probeFor(service, s, domainId);
      if (!client || typeof probe === "string") {
        checks.push({ name: service, status: "skip", detail: `${base}: ${client ? probe : "no usable credentials"}` });
        continue;
      }
      try {
        await client.send(probe);
        checks.push({ name: service, status: "ok", detail: `${base}: signed read-only call accepted` });
      } catch (e) {
        const r = explain(e);
        checks.push({ name: service, status: r.status, detail: `${base}: ${r.detail}` });
      }
    }
  } finally {
    await client?.close();
  }
  const cli = await findPulumiCli();
  checks.push(
    cli.found
      ? { name: "pulumi CLI", status: "ok", detail: cli.path === "pulumi" ? cli.version : `${cli.version} (built from source: ${cli.path})` }
      : {
          name: "pulumi CLI",
          status: "warn",
          detail: "not found on PATH nor built (`npm run pulumi-cli`): preview/up/refresh/destroy/drift need it (https://www.pulumi.com/docs/install/)",
        },
  );
  return checks;
}
