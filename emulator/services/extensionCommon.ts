import type { CallerContext, Reply } from "../router";
import type { Dialect } from "../dialects";
import { listWindow } from "./listing";
import { parseMultipart } from "./multipart";

/**
 * What the extension plug-in and publisher APIs (CodeArts Pipeline API Reference §4.9) share. Unlike the rest of the
 * Pipeline API, every §4.9 API documents its errors as HTTP 400 with `error_msg` / `error_code`
 * (no §4.9 error code is in §5.2); the Terraform provider learnt that "not found" is HTTP 400
 * `DEVPIPE.30011001`. For a malformed request the emulator uses §5.2's
 * "invalid parameter" code with that documented 400 status; the API references name no other §4.9 code.
 */
export const ok = (body: unknown): Reply => ({ status: 200, body });

/** Store collections, per account: publishers by id, plug-ins by name, versions by [name, version]. */
export const PUBLISHERS = "publishers";
export const PLUGINS = "plugins";
export const VERSIONS = "pluginVersions";

export function extensionError(code: string, message: string): Reply {
  return { status: 400, body: { error_msg: message, error_code: code } };
}

export const NOT_FOUND_CODE = "DEVPIPE.30011001";
export const notFound = (what: string): Reply => extensionError(NOT_FOUND_CODE, `${what} does not exist.`);
export const invalid = (detail = "The parameter is invalid."): Reply => extensionError("DEVCP.00014004", detail);

/** The five service types, as the §4.9.17 example request lists them (also the Terraform provider's list). */
export const BUSINESS_TYPES = ["Build", "Gate", "Deploy", "Test", "Normal"] as const;

/** Milliseconds as a string: `op_time` in §4.9.17/§4.9.21/§4.9.22 ("1699355741000"). */
export const msString = (d: Date): string => String(d.getTime());

/**
 * The documents spell the same field three ways: the §4.9 tables say
 * `*_attributes` / `*_attribute`, every example `*_attribution`. Requests may use any of them.
 */
export function attribution(body: Record<string, unknown>, prefix: "runtime" | "plugin" | "version"): unknown {
  for (const suffix of ["attribution", "attributes", "attribute"]) {
    const v = body[`${prefix}_${suffix}`];
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}

/**
 * `offset` / `limit` from the query (typed String in §4.9.12/§4.9.15/§4.9.17/§4.9.21/§4.9.23,
 * Integer and mandatory in §4.9.16). What `offset` counts is row P1 of the ambiguities: `position`
 * (default; the Terraform provider pages with `offset` advanced by items read),
 * `page0` a page number from 0, `page1` a page number from 1 (every example sends `offset=0`, so 0
 * is read as the first page there too). `start` is the position of the first item answered.
 * Defaults are the examples' values.
 */
export function pageParams(ctx: { query: URLSearchParams; dialect: Dialect }, mandatory = false): { offset: number; limit: number; start: number } | undefined {
  const query = ctx.query;
  const read = (key: string, fallback: number, min: number): number | undefined => {
    const raw = query.get(key);
    if (raw === null || raw === "") return mandatory ? undefined : fallback;
    return /^\d+$/.test(raw) && Number(raw) >= min ? Number(raw) : undefined;
  };
  const offset = read("offset", 0, 0);
  const limit = read("limit", 10, 1);
  if (offset === undefined || limit === undefined) return undefined;
  const reading = ctx.dialect.of("P1");
  const start = reading === "page0" ? offset * limit : reading === "page1" ? Math.max(offset - 1, 0) * limit : offset;
  return { offset, limit, start };
}

export function paged<T>(ctx: { dialect: Dialect }, items: T[], p: { offset: number; limit: number; start: number }): { offset: number; limit: number; total: number; data: T[] } {
  return { offset: p.offset, limit: p.limit, ...listWindow(ctx, items, p.start, p.limit) };
}

/** Case-insensitive "contains": the name filters are treated as fuzzy, so clients must match exactly themselves. */
export const fuzzy = (value: string | null | undefined, filter: string | null | undefined): boolean => !filter || (value ?? "").toLowerCase().includes(filter.toLowerCase());

/**
 * The `upload_file` part of a §4.9.9/§4.9.10/§4.9.29 upload (FormData, File, mandatory), or the
 * reply refusing the request.
 */
export function uploadedFile(ctx: CallerContext): { filename: string; data: Buffer } | Reply {
  const parts = parseMultipart(ctx.headers["content-type"], ctx.rawBody);
  const file = parts?.find((p) => p.name === "upload_file" && p.filename !== undefined);
  if (!file || !file.filename) return invalid("upload_file is mandatory: a multipart/form-data file part.");
  return { filename: file.filename, data: file.data };
}

/**
 * The icon path the upload APIs answer: `/api/v1/{domain_id}/common/get-plugin-icon?object_key=
 * <owner>-<32 hex>-<file name>-<domain_id>&icon_type=<plugin|publish>` (§4.9.9, §4.9.10 and the
 * §4.9.15 examples; the owner is "default" when no name is given, as in the §4.9.10 example).
 */
export function iconPath(domainId: string, owner: string, id: string, filename: string, type: "plugin" | "publish"): string {
  return `/api/v1/${domainId}/common/get-plugin-icon?object_key=${owner}-${id}-${filename}-${domainId}&icon_type=${type}`;
}
