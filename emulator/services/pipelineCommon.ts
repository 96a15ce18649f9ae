import type { CallerContext, Handler, Reply, Router } from "../router";
import { notFoundAnswer } from "./notFound";

/**
 * What every API of the CodeArts Pipeline API Reference shares: its errors come with HTTP 200 (§5.2 lists
 * DEVCP.00014004, DEVCP.00012002 and every DEVPIPE code with status 200, and the Terraform provider
 * checks every 200 body for `error_code`), and the `{project_id}` /
 * `{tenant_id}` / `{domain_id}` of a path must belong to the caller.
 */
export function pipelineError(code: string, message: string): Reply {
  return { status: 200, body: { error_msg: message, error_code: code } };
}

/** §5.2: "Invalid request parameter or request body format". */
export const invalidParameter = (): Reply => pipelineError("DEVCP.00014004", "The parameter is invalid.");

/** §5.2 DEVPIPE.0011301. The answer for a tenant id in the path that is not the caller's account. */
const noPermission = (): Reply => pipelineError("DEVPIPE.0011301", "No permission.");

/**
 * The Terraform provider's "project not found" code; its message is not
 * documented. A CodeArts project of another account is indistinguishable from a missing one.
 */
const projectNotFound = (): Reply => pipelineError("DEVPIPE.00011412", "The project does not exist.");

/**
 * Ambiguity G3: §5.2 lists the Pipeline errors with HTTP 200, each operation's status table lists
 * 400/401/403/404. Under `4xx` an error answered in a 200 goes out with the status its kind has in the
 * per-operation tables: "does not exist" 404, "no permission" 403, anything else 400. The body is the same.
 */
const NOT_FOUND_CODES = new Set(["DEVCP.00012002", "DEVPIPE.0011401", "DEVPIPE.00011401", "DEVPIPE.00011412", "DEVPIPE.00014007", "DEVPIPE.0011132", "DEVPIPE.00011203"]);
function statusOf(ctx: CallerContext, reply: Reply): Reply {
  if (reply.status !== 200 || !ctx.dialect.is("G3", "4xx")) return reply;
  const code = (reply.body as { error_code?: unknown } | undefined)?.error_code;
  if (typeof code !== "string" || code === "") return reply;
  return { ...reply, status: NOT_FOUND_CODES.has(code) ? 404 : code === "DEVPIPE.0011301" ? 403 : 400 };
}

/** Registers a Pipeline API whose path parameters are checked against the caller's account first. */
export function pipelineRoute(router: Router, method: string, pattern: string, operation: string, handler: Handler): void {
  router.route(method, pattern, operation, async (ctx: CallerContext) => {
    const { account } = ctx.caller;
    const tenant = ctx.params.tenant_id ?? ctx.params.domain_id;
    if (tenant !== undefined && tenant !== account.domainId) return statusOf(ctx, noPermission());
    const project = ctx.params.project_id;
    if (project !== undefined && !account.codeartsProjects.includes(project)) return statusOf(ctx, projectNotFound());
    // Ambiguity G5 (`strict`): §3.1 lists X-Domain-ID; an account-scoped API (the account in its path) needs it, naming the caller's account.
    if (tenant !== undefined && ctx.dialect.is("G5", "strict") && ctx.headers["x-domain-id"] !== account.domainId) {
      return statusOf(ctx, pipelineError("DEVCP.00014004", "The X-Domain-ID header is missing or does not name the account of the path."));
    }
    return statusOf(ctx, notFoundAnswer(ctx, await handler(ctx)));
  });
}
