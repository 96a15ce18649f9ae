import type { CallerContext, Reply } from "../router";

/**
 * Ambiguity G2, the one hook every "no such object" answer goes through (the Pipeline family's in
 * `pipelineRoute`, extension plug-ins and publishers included; COC scripts in `cocScripts`).
 * `terraform` (default): the codes the Huawei Cloud Terraform provider meets, as each service builds
 * them. `seed`: what the API references document:
 * - Pipeline APIs (§5.2, HTTP 200): DEVCP.00012002 "The related record does not exist in the database"
 *   for a group, template, task or record; DEVPIPE.0011401 "Pipeline does not exist." stays (the reference
 *   lists it for pipelines).
 * - Extension plug-ins and publishers (§4.9): their status tables list 404 and name no code, so the
 *   §5.2 not-found code with HTTP 404.
 * - COC scripts (Cloud Operations Center (COC) API Reference): the status tables' 404, the same code.
 * A project of another account (DEVPIPE.00011412) is left alone: it also means "not yours".
 */
const TO_RECORD_NOT_FOUND = new Set(["DEVPIPE.00014007", "DEVCP.00021006", "DEVPIPE.00011203", "DEVPIPE.0011132"]);
const EXTENSION_NOT_FOUND = "DEVPIPE.30011001";
const COC_NOT_FOUND = new Set(["COC.00040604"]);
export const RECORD_NOT_FOUND = "DEVCP.00012002";

export function notFoundAnswer(ctx: CallerContext, reply: Reply): Reply {
  if (!ctx.dialect.is("G2", "seed")) return reply;
  const body = reply.body as { error_code?: unknown; error_msg?: unknown } | undefined;
  const code = typeof body?.error_code === "string" ? body.error_code : undefined;
  if (code === undefined) return reply;
  if (TO_RECORD_NOT_FOUND.has(code)) return { ...reply, status: 200, body: { ...body, error_code: RECORD_NOT_FOUND } };
  if (code === EXTENSION_NOT_FOUND) return { ...reply, status: 404, body: { ...body, error_code: RECORD_NOT_FOUND } };
  if (COC_NOT_FOUND.has(code)) return { ...reply, status: 404 };
  return reply;
}
