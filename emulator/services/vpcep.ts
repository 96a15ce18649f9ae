import { z } from "zod";
import type { CallerContext, Reply, Router } from "../router";
import type { Store } from "../store";
import { apiNotFound } from "../gateway";
import { jsonObject } from "./json";

/**
 * CodeArts VPC endpoint access control (CodeArts API Reference (VPCEP, English and Chinese editions) §4.1.1): only a DELETE exists; records are
 * created in the console. The emulator serves the English reference's URI,
 * `/devuc-accessmgmt/v2/vpceps` (the Chinese page says `/v2/vpceps`; the provider's path is a
 * setting). The `region` header is mandatory (1–40 of [0-9A-Za-z-]); errors are UC.* codes
 * (§6.2). Tests seed records with `seedVpcepRecords` (or POST /__emulator/vpceps).
 */
export const VPCEP_PATH = "/devuc-accessmgmt/v2/vpceps";
/** The Chinese edition's DELETE path (§4.1.1; also the English edition's example). */
export const VPCEP_PATH_ZH = "/v2/vpceps";

/**
 * Dialect V1: `en` serves only the English URI, `zh` only `/v2/vpceps`; the other path answers the
 * gateway's "API not found", as a path the gateway does not publish would.
 */
export function registerVpcep(router: Router): void {
  router.route("DELETE", VPCEP_PATH, "VpcepAccessControl.delete", revoke);
  router.route("DELETE", VPCEP_PATH_ZH, "VpcepAccessControl.delete", revoke);
}

function servedPath(ctx: CallerContext): string {
  return ctx.dialect.is("V1", "zh") ? VPCEP_PATH_ZH : VPCEP_PATH;
}

/**
 * Dialect V2: the region this devuc endpoint serves. `any`: none in particular (the `region` header
 * alone says where the records are); `strict`: the caller account's first IAM project region (the
 * region a provider configured from the emulator's stack config targets), and a `region` header naming
 * another region is refused with the reference's 400 UC.00011001 "Bad request. Check the URL,
 * parameters, and request header." (§6.2).
 */
function servedRegion(ctx: CallerContext): string | undefined {
  return ctx.dialect.is("V2", "strict") ? ctx.caller.account.iamProjects[0]?.name : undefined;
}

const RECORDS = "vpcepRecords";
const ucError = (status: number, code: string, msg: string): Reply => ({ status, body: { error_code: code, error_msg: msg } });

/** Access records as the console would create them: per account, per region. */
export function seedVpcepRecords(store: Store, domainId: string, region: string, vpcepIds: string[]): void {
  const records = store.collection<{ region: string }>(RECORDS);
  for (const id of vpcepIds) records.put(domainId, `${region}/${id}`, { region });
}

/** The vpcep ids that still have an access record in a region. */
export function vpcepRecords(store: Store, domainId: string, region: string): string[] {
  return Object.keys(store.partition(RECORDS, domainId))
    .filter((k) => k.startsWith(`${region}/`))
    .map((k) => k.slice(region.length + 1));
}

const body = z.object({
  enterprise_id: z
    .string()
    .regex(/^[0-9A-Za-z_-]{1,40}$/)
    .nullish(),
  vpceps: z
    .array(
      z.object({
        description: z.string().max(128).nullish(),
        vpcep_id: z
          .string()
          .regex(/^[0-9a-z-]{1,40}$/)
          .nullish(),
      }),
    )
    .nullish(),
});

function revoke(ctx: CallerContext): Reply {
  if (ctx.path !== servedPath(ctx)) return apiNotFound(ctx.requestId);
  const region = ctx.headers["region"];
  if (!region || !/^[0-9A-Za-z-]{1,40}$/.test(region)) return ucError(400, "UC.00011002", "parameter invalid.");
  const served = servedRegion(ctx);
  if (served !== undefined && region !== served) return ucError(400, "UC.00011001", "Bad request.");
  const b = body.safeParse(jsonObject(ctx.rawBody) ?? {});
  if (!b.success) return ucError(400, "UC.00011002", "parameter invalid.");
  const tenant = ctx.caller.account.domainId;
  if (b.data.enterprise_id && b.data.enterprise_id !== tenant) return ucError(401, "UC.00011003", "no permission.");
  const records = ctx.store.collection<{ region: string }>(RECORDS);
  const ids = (b.data.vpceps ?? []).map((v) => v.vpcep_id).filter((id): id is string => !!id);
  const present = ids.filter((id) => records.get(tenant, `${region}/${id}`));
  if (ids.length > 0 && present.length === 0) return ucError(404, "UC.00011005", "not found.");
  for (const id of present) records.remove(tenant, `${region}/${id}`);
  return { status: 200, body: { status: "ok", total: present.length } };
}
