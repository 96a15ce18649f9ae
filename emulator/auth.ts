import { parseAuthorization, verifySignature, type VerifyResult } from "../provider/signer";
import type { Account, AccountDirectory, IamUser } from "./accounts";
import { incorrectIamAuthentication, tokenMustBeUpdated } from "./gateway";
import type { Reply } from "./router";
import type { TokenStore } from "./tokens";

/**
 * The gateway's IAM authentication: an X-Auth-Token from POST /v3/auth/tokens, or an AK/SK
 * signature (SDK-HMAC-SHA256, verified by the same code the client signs with). Failures are the
 * gateway's 401 answers (gateway.ts).
 */

export interface Caller {
  account: Account;
  user: IamUser;
  /** Set when the request was signed with AK/SK. */
  accessKey?: string;
}

/** A request as it came off the wire. */
export interface WireRequest {
  method: string;
  path: string;
  query: Array<[string, string]>;
  /** Lower-case names. */
  headers: Record<string, string>;
  rawBody: Buffer;
}

export type AuthOutcome = { ok: true; caller: Caller } | { ok: false; reply: Reply; accessKey?: string };

export function authenticate(req: WireRequest, accounts: AccountDirectory, tokens: TokenStore, now: Date, requestId: string): AuthOutcome {
  const token = req.headers["x-auth-token"];
  if (token !== undefined) return byToken(token, accounts, tokens, now, requestId);
  if (req.headers.authorization !== undefined) return bySignature(req, accounts, now, requestId);
  return { ok: false, reply: incorrectIamAuthentication("x-auth-token not found", requestId) };
}

function byToken(token: string, accounts: AccountDirectory, tokens: TokenStore, now: Date, requestId: string): AuthOutcome {
  const found = tokens.lookup(token, now);
  if (found.status === "unknown") return { ok: false, reply: incorrectIamAuthentication("decrypt token fail", requestId) };
  if (found.status === "expired") return { ok: false, reply: tokenMustBeUpdated(requestId) };
  const account = accounts.byDomain({ id: found.session.domainId });
  const user = account?.users.find((u) => u.id === found.session.userId);
  if (!account || !user) return { ok: false, reply: incorrectIamAuthentication("decrypt token fail", requestId) };
  return { ok: true, caller: { account, user } };
}

function bySignature(req: WireRequest, accounts: AccountDirectory, now: Date, requestId: string): AuthOutcome {
  const result = verifySignature(
    { method: req.method, path: req.path, query: req.query, headers: req.headers, body: req.rawBody },
    (ak) => accounts.byAccessKey(ak)?.secretKey,
    now,
  );
  // The AK is no secret; the log shows it even for a rejected request.
  const accessKey = parseAuthorization(req.headers.authorization ?? "")?.accessKey;
  if (!result.ok) return { ok: false, accessKey, reply: incorrectIamAuthentication(signatureFailure(result), requestId) };

  const account = accounts.byAccessKey(result.accessKey)!;
  // Temporary credentials are only valid together with their security token.
  if (account.securityToken !== undefined && req.headers["x-security-token"] !== account.securityToken) {
    return { ok: false, accessKey, reply: incorrectIamAuthentication("verify security token fail", requestId) };
  }
  return { ok: true, caller: { account, user: account.users[0], accessKey: result.accessKey } };
}

/** The detail after "Incorrect IAM authentication information: ". */
function signatureFailure(result: Extract<VerifyResult, { ok: false }>): string {
  switch (result.reason) {
    case "unknown-key":
      return "Get secretKey failed,ak:******,err:ak not exist"; // the APIG FAQ's wording, AK masked as there
    case "date":
      // The gateway's 15-minute rule (CodeArts API Reference, VPCEP, §3.2); the exact live wording is not published.
      return "verify aksk signature fail, x-sdk-date expired: it differs from the server time by more than 15 minutes";
    case "mismatch":
      return `verify aksk signature fail,canonicalRequest:${echoCanonicalRequest(result.canonicalRequest ?? "")}`;
    case "missing":
    case "malformed":
      return "verify aksk signature fail, the Authorization or X-Sdk-Date header is missing or malformed";
  }
}

/**
 * The canonical request as the gateway echoes it (the API Gateway signing guide's FAQ): newlines as
 * "|", and the last line (the body hash) shown as "******" like the published example.
 */
function echoCanonicalRequest(canonical: string): string {
  const lines = canonical.split("\n");
  lines[lines.length - 1] = "******";
  return lines.join("|");
}
