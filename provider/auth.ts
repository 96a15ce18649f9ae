import { z } from "zod";
import { signRequest } from "./signer";
import { ApiError, ConfigError } from "./errors";
import type { Handler, Middleware, WireRequest } from "./http";
import type { Settings } from "./config";
import { redactor } from "./redaction";

/**
 * AK/SK: every attempt is signed afresh (SDK-HMAC-SHA256 over all headers we send, including host,
 * a `region` header where VPCEP needs one, and X-Security-Token for temporary credentials).
 */
export function akskAuth(s: Settings, clock: () => Date): Middleware {
  const cred = { accessKey: s.accessKey!, secretKey: s.secretKey!, securityToken: s.securityToken };
  return (next) => async (req) => {
    addScopeHeaders(req, s);
    const signed = signRequest({ method: req.api.method, path: req.url.pathname, query: req.query, headers: req.headers, body: req.body }, cred, clock());
    return next({ ...req, headers: { ...req.headers, ...signed } });
  };
}

/**
 * X-Project-Id / X-Domain-Id on every AK/SK request but IAM's, wherever the configuration knows them
 * (the official SDKs add them before signing: BaseCredentials.addAuthHeaders). Ambiguity G5: the Pipeline reference (§3.1) lists X-Domain-ID for its
 * account-scoped APIs, the COC reference (Table 3-3) X-Project-Id for AK/SK; a service that ignores
 * them (`lenient`) is not harmed by both, one that requires them (`strict`) gets what it needs.
 * COC under AK/SK needs huaweicloud:projectId configured (nothing else gives the project id).
 * A request with `scopeHeaders: false` gets none (the conformance probe of G5; tokenAuth honours it too).
 */
function addScopeHeaders(req: WireRequest, s: Settings): void {
  if (req.api.service === "iam" || req.api.scopeHeaders === false) return;
  if (s.domainId) req.headers["X-Domain-Id"] = s.domainId;
  if (s.projectId) req.headers["X-Project-Id"] = s.projectId;
}

/** IAM §3.x: the token's facts; an answer without them is not a token. */
const tokenAnswer = z.looseObject({ token: z.looseObject({ expires_at: z.string() }) });

interface CachedToken {
  value: string;
  expiresAt: number;
  domainId?: string;
  projectId?: string;
}

/**
 * IAM password token (scope: project, as every API reference requires), cached until five minutes before
 * it expires and renewed once when a call answers 401.
 */
export class TokenSource {
  private cached?: CachedToken;
  private pending?: Promise<CachedToken>;

  constructor(
    private readonly s: Settings,
    private readonly iam: Handler,
    private readonly iamUrl: () => string,
    private readonly clock: () => Date,
  ) {}

  async get(): Promise<CachedToken> {
    if (this.cached && this.cached.expiresAt - 5 * 60_000 > this.clock().getTime()) return this.cached;
    // One request for concurrent callers.
    this.pending ??= this.fetch().finally(() => (this.pending = undefined));
    this.cached = await this.pending;
    return this.cached;
  }

  invalidate(value: string): void {
    if (this.cached?.value === value) this.cached = undefined;
  }

  private async fetch(): Promise<CachedToken> {
    const s = this.s;
    const scope = s.projectId ? { project: { id: s.projectId } } : { project: { name: s.projectName ?? s.region } };
    if (!s.projectId && !s.projectName && !s.region) {
      throw new ConfigError("token authentication needs huaweicloud:projectId, huaweicloud:projectName or huaweicloud:region for the project scope");
    }
    const domain = s.domainName ? { name: s.domainName } : { id: s.domainId };
    const body = {
      auth: {
        identity: { methods: ["password"], password: { user: { name: s.userName, password: s.password, domain } } },
        scope,
      },
    };
    const url = new URL(this.iamUrl() + "/v3/auth/tokens");
    const res = await this.iam({
      api: { service: "iam", method: "POST", path: "/v3/auth/tokens", body, operation: "IAM.createToken", answer: tokenAnswer },
      url,
      query: [],
      headers: { host: url.host, "content-type": "application/json" },
      body: JSON.stringify(body),
      attempt: 0,
    });
    const value = res.headers["x-subject-token"];
    const token = (res.body as { token?: { expires_at?: string; user?: { domain?: { id?: string } }; project?: { id?: string } } })?.token;
    if (!value || !token?.expires_at) {
      throw new ApiError({
        status: res.status,
        errorMsg: "IAM answered without X-Subject-Token",
        operation: "IAM.createToken",
        method: "POST",
        path: "/v3/auth/tokens",
        requestId: res.requestId,
      });
    }
    // Known to the one redaction before anyone can use it: a gateway echoing a request shows it.
    redactor.add(value);
    return { value, expiresAt: Date.parse(token.expires_at), domainId: token.user?.domain?.id, projectId: token.project?.id };
  }
}

export function tokenAuth(tokens: TokenSource): Middleware {
  return (next) => async (req) => {
    const got = await tokens.get();
    const token = got.value;
    // G5: the Pipeline's account-scoped APIs may require X-Domain-ID; the token says the account.
    if (req.api.service === "pipeline" && req.api.scopeHeaders !== false && got.domainId && !req.headers["X-Domain-Id"])
      req = { ...req, headers: { ...req.headers, "X-Domain-Id": got.domainId } };
    try {
      return await next({ ...req, headers: { ...req.headers, "X-Auth-Token": token } });
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) throw e;
      // Renew once: the token may have expired or been revoked since it was cached.
      tokens.invalidate(token);
      const renewed = (await tokens.get()).value;
      return next({ ...req, headers: { ...req.headers, "X-Auth-Token": renewed } });
    }
  };
}
