import { randomUUID } from "crypto";
import { z } from "zod";
import { Context, ResourceKind } from "../dynamic";
import { object } from "../answers";
import { ApiError } from "../errors";
import { endpointOverridden } from "../endpoints";
import type { Settings } from "../config";

/**
 * VpcepAccessControl — CodeArts access records for VPC endpoints (CodeArts API Reference (VPCEP, English and Chinese editions) §4.1.1). The records
 * are created in the console; the API can only delete them. So the resource *adopts* the listed
 * endpoints without an API call (their existence cannot be verified, and drift cannot be seen: there
 * is no read), removing an endpoint from the list revokes it through the DELETE API, destroy revokes
 * them all, and an endpoint already revoked (404 / UC.00011005) counts as revoked.
 *
 * The DELETE carries a JSON body and a `region` header (signed like every header). Its path differs
 * between the English (`/devuc-accessmgmt/v2/vpceps`) and Chinese (`/v2/vpceps`) references: it is the
 * `path` input, defaulting to the English URI; it is tried first, and the other documented path after
 * a gateway "API not found" (ambiguities.md V1).
 */
export const DEFAULT_VPCEP_PATH = "/devuc-accessmgmt/v2/vpceps";

const endpoint = z.strictObject({
  vpcepId: z.string().regex(/^[0-9a-z-]{1,40}$/, "must be 1–40 digits, lower-case letters or - (§4.1.1)"),
  /**
   * 0–128 characters of the union of the two references' sets (V3): the English table's letters, digits,
   * spaces and ( ) [ ] - _ . ~ & ; and the Chinese table's Chinese characters (which has no _).
   */
  description: z
    .string()
    .regex(
      /^[A-Za-z0-9\p{Script=Han} ()[\]\-_.~&;]{0,128}$/u,
      "must be at most 128 letters, digits, Chinese characters, spaces or ( ) [ ] - _ . ~ & ; (the union of the English and Chinese references, ambiguities.md V3)",
    )
    .optional(),
});

export const vpcepAccessControlSchema = z.strictObject({
  /** Region of the endpoints (the `region` header: 1–40 of [0-9A-Za-z-]). */
  region: z.string().regex(/^[0-9A-Za-z-]{1,40}$/, "must be 1–40 letters, digits or - (a region id such as ap-southeast-3)"),
  /** The tenant (account) id; 1–40 letters, digits, - or _. */
  enterpriseId: z
    .string()
    .regex(/^[0-9A-Za-z_-]{1,40}$/, "must be 1–40 letters, digits, - or _")
    .optional(),
  vpceps: z
    .array(endpoint)
    .min(1, "must list at least one endpoint")
    .refine((v) => new Set(v.map((e) => e.vpcepId)).size === v.length, "must not list an endpoint twice"),
  /** The DELETE path: the English reference's URI by default; "/v2/vpceps" is the Chinese reference's. */
  path: z.enum([DEFAULT_VPCEP_PATH, "/v2/vpceps"], "must be /devuc-accessmgmt/v2/vpceps (English reference) or /v2/vpceps (Chinese reference)").default(DEFAULT_VPCEP_PATH),
});
export type VpcepAccessControlInputs = z.output<typeof vpcepAccessControlSchema>;
type Endpoint = VpcepAccessControlInputs["vpceps"][number];

export const ZH_VPCEP_PATH = "/v2/vpceps";
/** Revoked already (§6.2): the only 404 that is the service's own "no such record". */
const NOT_FOUND = "UC.00011005";

/**
 * A 404 that is not the service's UC.00011005 says the path is not served here (a gateway "API not
 * found": APIG/APIGW.0101, a bare 404, an HTML page): never "revoked" (ambiguities.md V1).
 */
const pathNotServed = (e: unknown): e is ApiError => e instanceof ApiError && e.status === 404 && e.errorCode !== NOT_FOUND;

/** §6.2: 400 "Bad request. Check the URL, parameters, and request header." (V2 strict: a `region` header the endpoint does not serve). */
const BAD_REQUEST = "UC.00011001";

/**
 * V2: the devuc endpoint is per region (codearts-devuc.{region}), derived from `huaweicloud:region`,
 * while the records' region is the `region` header. Under `strict` an endpoint refuses a header naming
 * another region; under `any` it would revoke there. The provider only sends a header its endpoint
 * serves: a region other than the configured one needs an explicit `huaweicloud:endpoints.devuc`
 * (or "*") naming the endpoint that serves it.
 */
function regionMismatch(settings: Settings, region: string): string | undefined {
  if (endpointOverridden("devuc", settings.endpoints) || settings.region === region) return undefined;
  return (
    `is ${region}, but the devuc endpoint is derived from huaweicloud:region (${settings.region ?? "not set"}) and may serve only that region ` +
    `(the service may refuse a region header its endpoint does not serve, ambiguities.md V2): set huaweicloud:region to ${region}, or name the endpoint with huaweicloud:endpoints {"devuc": "https://codearts-devuc.${region}.myhuaweicloud.com"}`
  );
}

/**
 * DELETE …/vpceps: revokes endpoints; gone already (UC.00011005) is success. The references disagree
 * on the path (V1): the declared `path` is tried first, then the other one, and only the service's
 * own answer on one of them counts. Both refused by the gateway: an error naming both, nothing assumed.
 */
async function revoke(ctx: Context, i: VpcepAccessControlInputs, endpoints: Endpoint[]): Promise<void> {
  if (endpoints.length === 0) return;
  const mismatch = regionMismatch(ctx.settings, i.region);
  if (mismatch) throw new Error(`VpcepAccessControl: region ${mismatch}. Nothing was revoked`);
  const paths = [i.path, i.path === DEFAULT_VPCEP_PATH ? ZH_VPCEP_PATH : DEFAULT_VPCEP_PATH];
  const refused: ApiError[] = [];
  for (const path of paths) {
    try {
      await ctx.client.send({
        service: "devuc",
        method: "DELETE",
        path,
        headers: { region: i.region },
        body: { enterprise_id: i.enterpriseId, vpceps: endpoints.map((e) => ({ vpcep_id: e.vpcepId, description: e.description })) },
        operation: "VpcepAccessControl.revoke",
        answer: object({ status: z.literal("ok", { error: "must be ok" }), total: z.number() }),
        resource: endpoints.map((e) => e.vpcepId).join(","),
      });
      return;
    } catch (e) {
      if (e instanceof ApiError && e.provesAbsence([NOT_FOUND])) return;
      if (e instanceof ApiError && e.errorCode === BAD_REQUEST) {
        throw new Error(
          `VpcepAccessControl: the devuc endpoint refused the region header ${i.region} (HTTP ${e.status} ${BAD_REQUEST}: it may not serve that region, ambiguities.md V2). Nothing was revoked; point huaweicloud:endpoints.devuc at the endpoint of ${i.region}`,
          { cause: e },
        );
      }
      if (!pathNotServed(e)) throw e;
      refused.push(e);
      ctx.log(`VpcepAccessControl: DELETE ${path} is not served here (HTTP 404 ${e.errorCode ?? "without a service code"}); trying the other documented path`);
    }
  }
  throw new Error(
    `VpcepAccessControl: neither documented DELETE path is served by this endpoint (${refused.map((e) => `${e.path}: HTTP 404 ${e.errorCode ?? "without a service code"}`).join("; ")}); ` +
      `the English reference names ${DEFAULT_VPCEP_PATH}, the Chinese ${ZH_VPCEP_PATH} (ambiguities.md V1). Nothing was revoked; check the devuc endpoint`,
  );
}

export const vpcepAccessControl: ResourceKind<typeof vpcepAccessControlSchema, VpcepAccessControlInputs> = {
  name: "VpcepAccessControl",
  schema: vpcepAccessControlSchema,
  replaceOn: ["region", "enterpriseId"],
  replaceWhy: { region: "access records are per region", enterpriseId: "access records belong to one tenant" },
  notFoundCodes: [NOT_FOUND],
  noImport:
    "no API reads access records by id (the id is made up by the create, which adopts the listed endpoints without an API call), " +
    "so there is nothing to read. Declare the resource in the program instead: its create adopts the endpoints, calling nothing",

  refuseHere(ctx, inputs) {
    const mismatch = regionMismatch(ctx.settings, inputs.region);
    return mismatch ? [{ property: "region", reason: mismatch }] : [];
  },

  async create(ctx, inputs) {
    ctx.log(
      `VpcepAccessControl: adopting ${inputs.vpceps.length} endpoint(s) in ${inputs.region} without an API call (access records are created in the console; their existence cannot be verified)`,
    );
    return { id: `vpceps-${inputs.region}-${randomUUID().slice(0, 8)}`, outs: inputs };
  },

  sweep: { notSwept: "not swept: access records have no names (they are made in the console) and no API lists them" },

  // There is no read API: what the state holds is all that is known.
  async read(_ctx, _id, state) {
    const parsed = vpcepAccessControlSchema.safeParse(state);
    return parsed.success ? { outs: parsed.data, inputs: parsed.data } : undefined;
  },

  async update(ctx, _id, olds, news) {
    const kept = new Set(news.vpceps.map((e) => e.vpcepId));
    await revoke(
      ctx,
      olds,
      olds.vpceps.filter((e) => !kept.has(e.vpcepId)),
    );
    return news;
  },

  async delete(ctx, _id, state) {
    await revoke(ctx, state, state.vpceps);
  },
};
