import { randomBytes } from "node:crypto";

/** What an IAM token stands for: a user of an account, scoped to one IAM project. */
export interface TokenSession {
  domainId: string;
  userId: string;
  projectId: string;
  issuedAt: Date;
  expiresAt: Date;
}

export type TokenLookup = { status: "valid"; session: TokenSession } | { status: "expired" } | { status: "unknown" };

/**
 * Issued IAM tokens, in memory only: after a restart every old token is unknown and the client
 * gets a 401, as after a real token revocation, and fetches a new one.
 */
export class TokenStore {
  private readonly sessions = new Map<string, TokenSession>();

  /** @param ttlMs validity of a new token; IAM's is 24 hours (CodeArts Pipeline API Reference §3.2). */
  constructor(private readonly ttlMs: number = 24 * 3600_000) {}

  issue(scope: Pick<TokenSession, "domainId" | "userId" | "projectId">, now: Date): { token: string; session: TokenSession } {
    // Real tokens are long opaque base64 strings beginning "MII"; the length is irrelevant here.
    const token = "MII" + randomBytes(96).toString("base64url");
    const session = { ...scope, issuedAt: now, expiresAt: new Date(now.getTime() + this.ttlMs) };
    this.sessions.set(token, session);
    return { token, session };
  }

  lookup(token: string, now: Date): TokenLookup {
    const session = this.sessions.get(token);
    if (!session) return { status: "unknown" };
    return session.expiresAt.getTime() > now.getTime() ? { status: "valid", session } : { status: "expired" };
  }

  /** Every token issued so far (tests scan for them where no token may appear). */
  issued(): string[] {
    return [...this.sessions.keys()];
  }

  /** Makes every issued token expired as of `now` (tests of "401, renew, retry"). Returns how many. */
  expireAll(now: Date): number {
    for (const s of this.sessions.values()) s.expiresAt = now;
    return this.sessions.size;
  }
}
