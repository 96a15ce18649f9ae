import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { z } from "zod";

/**
 * The tenants the emulator knows. One account = one Huawei Cloud account (IAM domain) with its
 * credentials, IAM projects (regions) and CodeArts projects. Everything a request may name in a
 * path is checked against the caller's account, so two accounts never see each other's data.
 */
export interface IamUser {
  /** 32 hex; shown as `creator` / `updater` of the objects the user changes. */
  id: string;
  name: string;
  password: string;
}

export interface IamProject {
  /** 32 hex. */
  id: string;
  /** The region id, e.g. "cn-north-4" (IAM names a region's default project after the region). */
  name: string;
}

export interface Account {
  accessKey: string;
  secretKey: string;
  /** Set for temporary credentials: requests signed with this AK must then carry X-Security-Token. */
  securityToken?: string;
  /** Account (domain) id, 32 hex; the `{domain_id}` / `{tenant_id}` of Pipeline paths. */
  domainId: string;
  domainName: string;
  iamProjects: IamProject[];
  /** CodeArts project ids (32 hex); the `{project_id}` of Pipeline and CloudTest paths. */
  codeartsProjects: string[];
  /** IAM users; the first one owns the access key. */
  users: IamUser[];
}

/*
 * Fixed, recognisable values. The id prefixes say what an id is: a… IAM project, b… user,
 * c… CodeArts project, d… domain.
 */
export const DEFAULT_ACCOUNT: Account = {
  accessKey: "EMULATORAK0000000001",
  secretKey: "EmulatorSecretKey00000000000000000000001",
  domainId: "d0000000000000000000000000000001",
  domainName: "emulator-domain",
  iamProjects: [
    { id: "a0000000000000000000000000000001", name: "cn-north-4" },
    { id: "a0000000000000000000000000000002", name: "eu-west-101" },
  ],
  codeartsProjects: ["c0000000000000000000000000000001", "c0000000000000000000000000000002"],
  users: [{ id: "b0000000000000000000000000000001", name: "emulator-user", password: "Emulator-Passw0rd" }],
};

/** A second, unrelated tenant, for isolation tests. */
export const SECOND_ACCOUNT: Account = {
  accessKey: "EMULATORAK0000000002",
  secretKey: "EmulatorSecretKey00000000000000000000002",
  domainId: "d0000000000000000000000000000002",
  domainName: "emulator-domain-2",
  iamProjects: [{ id: "a0000000000000000000000000000003", name: "cn-north-4" }],
  codeartsProjects: ["c0000000000000000000000000000003"],
  users: [{ id: "b0000000000000000000000000000002", name: "emulator-user-2", password: "Emulator-Passw0rd-2" }],
};

const hex32 = z.string().regex(/^[0-9a-f]{32}$/, "must be 32 lower-case hex digits");

const accountFileSchema = z.array(
  z.strictObject({
    accessKey: z.string().min(1),
    secretKey: z.string().min(1),
    securityToken: z.string().min(1).optional(),
    domainId: hex32,
    domainName: z.string().min(1),
    iamProjects: z.array(z.strictObject({ id: hex32, name: z.string().min(1) })).min(1),
    codeartsProjects: z.array(hex32),
    users: z.array(z.strictObject({ id: hex32.optional(), name: z.string().min(1), password: z.string().min(1) })).min(1),
  }),
);

/** Derives a stable user id when an accounts file leaves it out, so creators stay the same across restarts. */
function derivedUserId(domainId: string, userName: string): string {
  return createHash("sha256").update(`${domainId}/${userName}`).digest("hex").slice(0, 32);
}

/** Reads a JSON array of accounts (the Account shape; user ids optional). */
export function loadAccounts(path: string): Account[] {
  const parsed = accountFileSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
  if (!parsed.success) throw new Error(`accounts file ${path}: ${z.prettifyError(parsed.error)}`);
  return parsed.data.map((a) => ({
    ...a,
    users: a.users.map((u) => ({ ...u, id: u.id ?? derivedUserId(a.domainId, u.name) })),
  }));
}

/** Lookups over the configured accounts. */
export class AccountDirectory {
  constructor(readonly all: readonly Account[]) {
    const keys = new Set<string>();
    for (const a of all) {
      if (keys.has(a.accessKey)) throw new Error(`two accounts share the access key ${a.accessKey}`);
      keys.add(a.accessKey);
    }
  }

  byAccessKey(accessKey: string): Account | undefined {
    return this.all.find((a) => a.accessKey === accessKey);
  }

  byDomain(domain: { id?: string; name?: string }): Account | undefined {
    return this.all.find((a) => (domain.id !== undefined ? a.domainId === domain.id : a.domainName === domain.name));
  }
}
