import { ConfigError } from "./errors";

/**
 * Values that become part of a URL: ids, names and versions in paths, the account id from the
 * configuration or an IAM token, the region in a host name. A path segment is encoded as exactly one
 * segment, and `.`/`..` (or empty) is refused: `encodeURIComponent` keeps dots, `new URL` collapses
 * them (and their `%2e` forms), so `..` would address another API with a valid signature.
 */
export class SegmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SegmentError";
  }
}

export function seg(value: string, what = "an id"): string {
  if (typeof value !== "string" || value === "" || value === "." || value === "..") {
    throw new SegmentError(`${JSON.stringify(String(value).slice(0, 100))} cannot be used as ${what} in a request path (empty, "." and ".." are refused)`);
  }
  return encodeURIComponent(value);
}

/** The form of account (domain) and IAM project ids: 32 lower-case hexadecimal characters. */
export const HEX32 = /^[0-9a-f]{32}$/;

/** A region id as Huawei Cloud names them (cn-north-4, ap-southeast-3, eu-west-101, la-north-2). */
export const REGION_ID = /^[a-z]{2,4}(-[a-z0-9]{1,16}){1,4}$/;

/** The account id a path needs, from the configuration (`key`) or an IAM token, checked before it is used. */
export function accountId(value: string, source: string): string {
  if (!HEX32.test(value)) throw new ConfigError(`${source} must be an account (domain) id: 32 lower-case hexadecimal characters`);
  return value;
}
