import { z } from "zod";
import type { Router, Reply, RequestContext } from "../router";
import { jsonObject } from "./json";

/**
 * IAM: obtaining a user token with a password (CodeArts Pipeline API Reference §3.1/§3.2; the IAM API reference for the
 * answer). Only project-scoped tokens are issued: every API reference requires `auth.scope.project`, and
 * the CodeArts API Reference (VPCEP, §4.1.1) says global (domain-scoped) tokens are not supported.
 */
export function registerIam(router: Router): void {
  router.publicRoute("POST", "/v3/auth/tokens", "IAM.createToken", createToken);
}

/** IAM's own error shape, unlike the gateway's. */
function iamError(code: 400 | 401, message: string): Reply {
  return { status: code, body: { error: { code, message, title: code === 400 ? "Bad Request" : "Unauthorized" } } };
}

const wrongPassword = () => iamError(401, "The username or password is wrong.");

const tokenRequestSchema = z.object({
  auth: z.object({
    identity: z.object({
      methods: z.array(z.string()).refine((m) => m.includes("password"), "methods must include password"),
      password: z.object({
        user: z.union([
          z.object({ name: z.string().min(1), password: z.string(), domain: z.union([z.object({ id: z.string().min(1) }), z.object({ name: z.string().min(1) })]) }),
          z.object({ id: z.string().min(1), password: z.string() }),
        ]),
      }),
    }),
    scope: z.record(z.string(), z.unknown()).optional(),
  }),
});

const projectScopeSchema = z.union([z.object({ id: z.string().min(1) }), z.object({ name: z.string().min(1) })]);

/** IAM writes times with microseconds: 2023-11-30T08:31:14.123000Z. */
const iamTime = (d: Date) => d.toISOString().replace("Z", "000Z");

function createToken(ctx: RequestContext): Reply {
  const parsed = tokenRequestSchema.safeParse(jsonObject(ctx.rawBody));
  if (!parsed.success) return iamError(400, "The request body is not a valid password authentication request.");
  const { identity, scope } = parsed.data.auth;

  const userSpec = identity.password.user;
  const account = "id" in userSpec ? ctx.accounts.all.find((a) => a.users.some((u) => u.id === userSpec.id)) : ctx.accounts.byDomain(userSpec.domain);
  const user = account?.users.find((u) => ("id" in userSpec ? u.id === userSpec.id : u.name === userSpec.name));
  if (!account || !user || user.password !== userSpec.password) return wrongPassword();

  const projectScope = projectScopeSchema.safeParse(scope?.project);
  if (!projectScope.success || Object.keys(scope ?? {}).length !== 1) {
    return iamError(400, "Global tenant tokens are not supported. The scope must be a project (auth.scope.project.id or .name).");
  }
  const wanted = projectScope.data;
  const project = account.iamProjects.find((p) => ("id" in wanted ? p.id === wanted.id : p.name === wanted.name));
  // Keystone's answer when the user may not scope to the project (unknown to the account included).
  if (!project) return iamError(401, "The request you have made requires authentication.");

  const { token, session } = ctx.tokens.issue({ domainId: account.domainId, userId: user.id, projectId: project.id }, ctx.now);
  const domain = { id: account.domainId, name: account.domainName };
  return {
    status: 201,
    headers: { "X-Subject-Token": token },
    body: {
      token: {
        expires_at: iamTime(session.expiresAt),
        issued_at: iamTime(session.issuedAt),
        methods: ["password"],
        project: { id: project.id, name: project.name, domain },
        user: { id: user.id, name: user.name, domain },
        catalog: [],
      },
    },
  };
}
