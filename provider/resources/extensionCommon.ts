import { z } from "zod";
import type { Context } from "../dynamic";
import { ApiError, NetworkError } from "../errors";
import { object } from "../answers";
import { seg } from "../http";
import { collect, findFirst, probedOffsetPages } from "../paging";

/**
 * What the extension plug-in kinds (Publisher, Plugin, PluginVersion; CodeArts Pipeline API Reference §4.9) share: the
 * not-found code, the three spellings of the `*_attribution` fields, the exact-match lookup of a
 * plug-in by name, and the normal form of optional text.
 */

/**
 * The plug-in and publisher APIs answer "not found" with HTTP 400 and DEVPIPE.30011001 (the
 * Terraform provider's code; G2 `terraform`); §4.9's status tables list 404 and name no code, so a service following the reference may
 * answer §5.2's DEVCP.00012002 "record does not exist" (G2 `seed`). Neither can mean "not yours".
 */
export const EXTENSION_NOT_FOUND = ["DEVPIPE.30011001", "DEVCP.00012002"] as const;

/** Page size of every §4.9 listing (the Terraform provider's); a listing pages until it finds the object. */
export const PAGE_LIMIT = 10;

/** The §4.9 paths are addressed by the account (domain) id. */
export const v1 = async (ctx: Context) => `/v1/${seg(await ctx.client.domainId(), "the account id")}`;
export const v3 = async (ctx: Context) => `/v3/${seg(await ctx.client.domainId(), "the account id")}`;

/**
 * The documents spell these fields `*_attribution` (every example), `*_attributes` and `*_attribute`
 * (the tables): we send `*_attribution` and accept any of them when reading.
 */
export function attributionOf(vo: Record<string, unknown>, prefix: "runtime" | "plugin" | "version"): string | undefined {
  for (const suffix of ["attribution", "attributes", "attribute"]) {
    const v = vo[`${prefix}_${suffix}`];
    if (typeof v === "string" && v !== "") return v;
  }
  return undefined;
}

/** The services answer unset text as null or "": both read as "not set". */
export const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** Optional text whose normal form drops "" (the services do not tell "" from unset), so a no-op stays a no-op. */
export const optionalText = () =>
  z
    .string()
    .optional()
    .transform((s) => (s === "" ? undefined : s));

/** The bodies send unset text as "", as every §4.9 example does. */
export const orEmpty = (v: string | undefined): string => v ?? "";

/** A failure after which the request may have been applied (5xx, or no answer after sending). */
export function isAmbiguous(e: unknown): boolean {
  return (e instanceof ApiError && e.status >= 500) || (e instanceof NetworkError && e.ambiguous);
}

/** PluginBasicVO (Table 4-395), as far as we read it. */
export interface PluginBasicVo extends Record<string, unknown> {
  plugin_name: string;
  display_name?: string | null;
  version?: string | null;
  version_description?: string | null;
  description?: string | null;
  unique_id?: string | null;
  op_user?: string | null;
  op_time?: string | null;
  plugin_composition_type?: string | null;
  workspace_id?: string | null;
  business_type?: string | null;
  business_type_display_name?: string | null;
  maintainers?: string | null;
  icon_url?: string | null;
  active?: number | null;
}

interface Paged<T> {
  offset?: number;
  limit?: number;
  total?: number;
  data?: T[] | null;
}

/**
 * A custom plug-in by its exact name (§4.9.17). The `plugin_name` filter is not documented as
 * exact, so every page is checked for an exact match until it is found; never "the first result"
 * (the Terraform provider reads `data[0]` unchecked).
 */
export async function findPlugin(ctx: Context, pluginName: string): Promise<PluginBasicVo | undefined> {
  return findFirst(await customPlugins(ctx, pluginName), (p) => p.plugin_name === pluginName);
}

/** The account's custom plug-ins (§4.9.17) the (fuzzy) `plugin_name` filter selects, or all of them, read to a provable end (P1). */
export async function customPlugins(ctx: Context, pluginName?: string): Promise<AsyncGenerator<PluginBasicVo>> {
  const path = `${await v1(ctx)}/agent-plugin/query-all`;
  return probedOffsetPages<PluginBasicVo>(
    async (offset, limit) => {
      const res = await ctx.client.send<Paged<PluginBasicVo>>({
        service: "pipeline",
        method: "POST",
        path,
        query: { offset, limit },
        // The §4.9.17 example's body: every service type, custom plug-ins only.
        body: { ...(pluginName === undefined ? {} : { plugin_name: pluginName }), business_type: ["Build", "Gate", "Deploy", "Test", "Normal"], plugin_attribution: "custom" },
        operation: "Plugin.list",
        answer: object({ total: z.number().optional(), data: z.array(object({ plugin_name: z.string() })).nullable() }),
        resource: pluginName ?? "plug-ins",
        idempotent: true, // a read
        read: true,
      });
      return { items: res.body?.data ?? [], total: res.body?.total };
    },
    PAGE_LIMIT,
    (p) => `${p.plugin_name}`,
    pluginName === undefined ? "Plugin: listing the custom plug-ins" : `Plugin: looking up "${pluginName}" in the plug-in list`,
  );
}

/** The custom plug-ins whose name starts with `prefix` (names compared exactly). */
export async function pluginsNamed(ctx: Context, prefix: string): Promise<PluginBasicVo[]> {
  return collect(await customPlugins(ctx), (p) => p.plugin_name.startsWith(prefix));
}
