import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * Huawei Cloud AK/SK request signing, `SDK-HMAC-SHA256` (the API Gateway "API签名指南"; the same
 * algorithm as the official SDKs' signers):
 *
 *   CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n HexSHA256(body)
 *   StringToSign     = "SDK-HMAC-SHA256" \n X-Sdk-Date \n HexSHA256(CanonicalRequest)
 *   Authorization    = "SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<h1;h2>, Signature=<hex HMAC-SHA256(SK, StringToSign)>"
 *
 * The same functions serve the client (signRequest) and the emulator (verifySignature), so the two
 * cannot drift apart; tests/signer.test.ts pins both to the published vector and to the official
 * Node signer.
 */

export const ALGORITHM = "SDK-HMAC-SHA256";

/** One request as it is (or will be) on the wire. */
export interface SigningInput {
  method: string;
  /** Path as sent on the wire, e.g. "/v5/abc/api/pipeline-group/tree"; may contain %XX escapes. */
  path: string;
  /** Decoded key/value pairs, in any order; keys may repeat. */
  query: Array<[string, string]>;
  /** Header name -> value; names in any case. Must include host. */
  headers: Record<string, string>;
  /** Exact bytes sent ("" for none). */
  body: string | Uint8Array;
}

export interface Credentials {
  accessKey: string;
  secretKey: string;
  securityToken?: string;
}

export interface ParsedAuthorization {
  accessKey: string;
  signedHeaders: string[];
  signature: string;
}

export type VerifyResult = { ok: true; accessKey: string } | { ok: false; reason: "missing" | "malformed" | "unknown-key" | "date" | "mismatch"; canonicalRequest?: string };

const HEADER_DATE = "x-sdk-date";
const HEADER_TOKEN = "x-security-token";
const HEADER_CONTENT_SHA256 = "x-sdk-content-sha256";
const HEADER_AUTHORIZATION = "authorization";
const DEFAULT_MAX_SKEW_MS = 15 * 60_000; // the gateway's documented tolerance
const SDK_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

const sha256Hex = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex");

/** "20191115T033655Z": UTC, second precision. */
export function formatSdkDate(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new RangeError("formatSdkDate: invalid date");
  return d
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");
}

/** Parses an X-Sdk-Date value strictly (exact format, real calendar date); undefined when invalid. */
function parseSdkDate(value: string): Date | undefined {
  const m = SDK_DATE.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Date.UTC rolls over (month 13, Feb 30, 25:00); a round trip catches that.
  return formatSdkDate(date) === value ? date : undefined;
}

/* ----------------------------------------------------------------------------------------------
 * Percent-encoding. Works on UTF-8 bytes, so a decoded segment that is not valid UTF-8 still
 * round-trips byte for byte instead of turning into U+FFFD.
 * -------------------------------------------------------------------------------------------- */

/** RFC 3986 unreserved characters: A-Z a-z 0-9 - _ . ~ */
function isUnreserved(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x5f || b === 0x2e || b === 0x7e;
}

function encodeBytes(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) {
    out += isUnreserved(b) ? String.fromCharCode(b) : "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/** Encodes a decoded string (query key or value): UTF-8, unreserved kept, upper-case hex, space -> %20. */
function encodeComponent(s: string): string {
  return encodeBytes(Buffer.from(s, "utf8"));
}

/** Decodes %XX escapes of a wire path segment to bytes; a "%" not followed by two hex digits stays literal. */
function decodeSegment(segment: string): Uint8Array {
  const raw = Buffer.from(segment, "utf8");
  const out: number[] = [];
  const hex = (b: number) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0x25 && i + 2 < raw.length && hex(raw[i + 1]) && hex(raw[i + 2])) {
      out.push(parseInt(String.fromCharCode(raw[i + 1], raw[i + 2]), 16));
      i += 2;
    } else {
      out.push(raw[i]);
    }
  }
  return Uint8Array.from(out);
}

/**
 * Each "/"-separated segment is decoded, then re-encoded (so "%28", "(" and "%2528"-free input all
 * sign alike, as the Python signer does with its unquote), and the result always ends with "/"
 * ("计算签名时，URI必须以“/”结尾").
 */
export function canonicalUri(path: string): string {
  const encoded = path
    .split("/")
    .map((s) => encodeBytes(decodeSegment(s)))
    .join("/");
  return encoded.endsWith("/") ? encoded : encoded + "/";
}

function compareBytewise(a: string, b: string): number {
  // Encoded strings are pure ASCII, so UTF-16 code-unit order is byte order.
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Encoded "k=v" pairs sorted by encoded key, then by encoded value; "k=" for an empty value. */
export function canonicalQueryString(query: Array<[string, string]>): string {
  return query
    .map(([k, v]) => [encodeComponent(k), encodeComponent(v)] as const)
    .sort((a, b) => compareBytewise(a[0], b[0]) || compareBytewise(a[1], b[1]))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

/** Serialises query pairs in canonical form, for sending on the wire exactly what was signed. */
export function wireQuery(query: Array<[string, string]>): string {
  return canonicalQueryString(query);
}

/** Case-insensitive header lookup; throws when two names differ only in case (the value would be ambiguous). */
function headerIndex(headers: Record<string, string>): Map<string, string> {
  const index = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (index.has(lower)) throw new Error(`header "${lower}" is given more than once (names differ only in case)`);
    index.set(lower, value);
  }
  return index;
}

function normaliseSignedHeaders(signedHeaders: string[]): string[] {
  return [...new Set(signedHeaders.map((h) => h.toLowerCase()))].sort(compareBytewise);
}

function canonicalRequestFrom(input: SigningInput, headers: Map<string, string>, signed: string[]): string {
  const canonicalHeaders = signed.map((h) => `${h}:${(headers.get(h) ?? "").trim()}\n`).join("");
  // X-Sdk-Content-Sha256 (e.g. "UNSIGNED-PAYLOAD") replaces the body hash verbatim, as in every SDK.
  const payloadHash = headers.get(HEADER_CONTENT_SHA256) ?? sha256Hex(input.body);
  return [
    input.method.toUpperCase(),
    canonicalUri(input.path),
    canonicalQueryString(input.query),
    canonicalHeaders, // ends with "\n", hence the blank line before the signed-header list
    signed.join(";"),
    payloadHash,
  ].join("\n");
}

export function canonicalRequest(input: SigningInput, signedHeaders: string[]): string {
  return canonicalRequestFrom(input, headerIndex(input.headers), normaliseSignedHeaders(signedHeaders));
}

export function stringToSign(canonicalRequest: string, sdkDate: string): string {
  return [ALGORITHM, sdkDate, sha256Hex(canonicalRequest)].join("\n");
}

/** Hex HMAC-SHA256 keyed with the secret key. */
export function signature(stringToSign: string, secretKey: string): string {
  return createHmac("sha256", secretKey).update(stringToSign).digest("hex");
}

/**
 * Signs a request: adds X-Sdk-Date (unless already in headers; an existing value must be a valid
 * YYYYMMDDTHHMMSSZ) and, for temporary credentials, X-Security-Token, then signs every header in
 * input.headers plus those two. Returns only the headers to add. The secret key is used as the
 * HMAC key and goes nowhere else.
 */
export function signRequest(input: SigningInput, cred: Credentials, now: Date): Record<string, string> {
  const headers = headerIndex(input.headers);
  if (!headers.has("host")) throw new Error("signRequest: the host header is required (it is always signed)");
  // Signing an old Authorization header would make the request unverifiable.
  if (headers.has(HEADER_AUTHORIZATION)) throw new Error("signRequest: the request already has an Authorization header");

  const added: Record<string, string> = {};
  let sdkDate = headers.get(HEADER_DATE);
  if (sdkDate === undefined) {
    sdkDate = formatSdkDate(now);
    added["X-Sdk-Date"] = sdkDate;
    headers.set(HEADER_DATE, sdkDate);
  } else if (!parseSdkDate(sdkDate)) {
    throw new Error(`signRequest: X-Sdk-Date "${sdkDate}" is not in the form YYYYMMDDTHHMMSSZ`);
  }
  if (cred.securityToken) {
    const existing = headers.get(HEADER_TOKEN);
    if (existing === undefined) {
      added["X-Security-Token"] = cred.securityToken;
      headers.set(HEADER_TOKEN, cred.securityToken);
    } else if (existing !== cred.securityToken) {
      throw new Error("signRequest: the request carries an X-Security-Token other than the credentials' one");
    }
  }

  const signed = normaliseSignedHeaders([...headers.keys()]);
  const sts = stringToSign(canonicalRequestFrom(input, headers, signed), sdkDate);
  added.Authorization = `${ALGORITHM} Access=${cred.accessKey}, SignedHeaders=${signed.join(";")}, Signature=${signature(sts, cred.secretKey)}`;
  return added;
}

/**
 * Parses "SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex". Strict: the algorithm must
 * match, each field appears exactly once, the header list is lower-case, sorted and without
 * duplicates (what every official signer emits), and the signature is 64 lower-case hex digits.
 */
export function parseAuthorization(value: string): ParsedAuthorization | undefined {
  const m = /^SDK-HMAC-SHA256 +(.*)$/.exec(value.trim());
  if (!m) return undefined;
  const fields = new Map<string, string>();
  for (const part of m[1].split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) return undefined;
    const key = part.slice(0, eq).trim();
    if (fields.has(key)) return undefined;
    fields.set(key, part.slice(eq + 1).trim());
  }
  const accessKey = fields.get("Access");
  const headerList = fields.get("SignedHeaders");
  const sig = fields.get("Signature");
  if (fields.size !== 3 || !accessKey || !headerList || !sig) return undefined;
  if (!/^[0-9a-f]{64}$/.test(sig)) return undefined;
  const signedHeaders = headerList.split(";");
  const canonical = normaliseSignedHeaders(signedHeaders);
  if (signedHeaders.some((h) => !/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(h)) || canonical.join(";") !== headerList) return undefined;
  return { accessKey, signedHeaders, signature: sig };
}

/**
 * Server-side check (the emulator's gateway). Never more lenient than API Gateway: Authorization
 * and X-Sdk-Date must be present, SignedHeaders must list host and x-sdk-date, every listed header
 * must be in the request, the date must be well-formed and within maxSkewMs of now (either way),
 * and the signature, recomputed over the listed headers only, must match (constant-time compare).
 */
export function verifySignature(input: SigningInput, lookupSecret: (accessKey: string) => string | undefined, now: Date, maxSkewMs: number = DEFAULT_MAX_SKEW_MS): VerifyResult {
  let headers: Map<string, string>;
  try {
    headers = headerIndex(input.headers);
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const authorization = headers.get(HEADER_AUTHORIZATION);
  const sdkDate = headers.get(HEADER_DATE);
  if (authorization === undefined || sdkDate === undefined) return { ok: false, reason: "missing" };

  const auth = parseAuthorization(authorization);
  if (!auth) return { ok: false, reason: "malformed" };
  if (!auth.signedHeaders.includes("host") || !auth.signedHeaders.includes(HEADER_DATE)) return { ok: false, reason: "malformed" };
  if (auth.signedHeaders.some((h) => !headers.has(h))) return { ok: false, reason: "missing" };

  const date = parseSdkDate(sdkDate);
  if (!date || Math.abs(date.getTime() - now.getTime()) > maxSkewMs) return { ok: false, reason: "date" };

  const secret = lookupSecret(auth.accessKey);
  if (secret === undefined) return { ok: false, reason: "unknown-key" };

  const canonical = canonicalRequestFrom(input, headers, auth.signedHeaders);
  const expected = Buffer.from(signature(stringToSign(canonical, sdkDate), secret), "utf8");
  const given = Buffer.from(auth.signature, "utf8");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: "mismatch", canonicalRequest: canonical };
  }
  return { ok: true, accessKey: auth.accessKey };
}
