import { ConfigError } from "./errors";
import { redactor } from "./redaction";
import { ENDPOINT_KEYS } from "./endpoints";
import { HEX32, REGION_ID } from "./segments";
import { parseProvenReadings, type ProvenReadings } from "./readings";

/**
 * Provider settings, read in the dynamic provider's `configure` from the stack config (namespace
 * `huaweicloud`, the key names of the Huawei Cloud Pulumi provider, pulumi-huaweicloud), falling back to
 * the environment variables the Terraform provider reads. Nothing here is ever
 * captured in `__provider` or written to state.
 */
export interface Settings {
  region?: string;
  accessKey?: string;
  secretKey?: string;
  securityToken?: string;
  projectId?: string;
  projectName?: string;
  domainId?: string;
  domainName?: string;
  userName?: string;
  password?: string;
  authUrl?: string;
  /** Service → base URL overrides; `"*"` overrides every service (the emulator serves all on one port). */
  endpoints: Record<string, string>;
  maxRetries: number;
  /** Overall deadline of one attempt: connection, headers and body together. */
  requestTimeoutMs: number;
  /** Readings of the references' open passages this account's service was proven to speak (`conformance --out`); none by default. */
  provenReadings: ProvenReadings;
}

type Lookup = (key: string) => string | undefined;

/** Config key (without namespace) → environment variables, first match wins. */
const SOURCES: Record<string, string[]> = {
  region: ["HW_REGION_NAME", "OS_REGION_NAME"],
  accessKey: ["HW_ACCESS_KEY", "OS_ACCESS_KEY"],
  secretKey: ["HW_SECRET_KEY", "OS_SECRET_KEY"],
  securityToken: ["HW_SECURITY_TOKEN", "OS_SECURITY_TOKEN"],
  projectId: ["HW_PROJECT_ID", "OS_PROJECT_ID"],
  projectName: ["HW_PROJECT_NAME", "OS_PROJECT_NAME"],
  domainId: ["HW_DOMAIN_ID", "OS_DOMAIN_ID"],
  domainName: ["HW_DOMAIN_NAME", "OS_DOMAIN_NAME"],
  userName: ["HW_USER_NAME", "OS_USERNAME"],
  password: ["HW_USER_PASSWORD", "OS_PASSWORD"],
  authUrl: ["HW_AUTH_URL", "OS_AUTH_URL"],
  maxRetries: ["HW_MAX_RETRIES"],
  endpoints: ["HW_ENDPOINTS"],
  requestTimeout: ["HW_REQUEST_TIMEOUT"],
  provenReadings: ["PULUMI_CODEARTS_PROVEN_READINGS"],
};

/** What each key is, for the plugin's schema (its provider and config); the README's table says the same. */
export const CONFIG_DOCS: Record<keyof typeof SOURCES, { doc: string; type: "string" | "integer" | "map" }> = {
  region: { type: "string", doc: "Region id, e.g. `cn-north-4`." },
  accessKey: { type: "string", doc: "Access key (AK) of AK/SK authentication (requests signed `SDK-HMAC-SHA256`); set together with secretKey." },
  secretKey: { type: "string", doc: "Secret key (SK) of AK/SK authentication." },
  securityToken: { type: "string", doc: "Security token of a temporary AK/SK." },
  projectId: { type: "string", doc: "IAM project id (token scope, `X-Project-Id`)." },
  projectName: { type: "string", doc: "IAM project name (token scope)." },
  domainId: { type: "string", doc: "Account (domain) id: Pipeline paths need it; learnt from the token with token authentication." },
  domainName: { type: "string", doc: "Account (domain) name, for IAM token authentication." },
  userName: { type: "string", doc: "IAM user name, for token authentication instead of AK/SK." },
  password: { type: "string", doc: "IAM user password, for token authentication." },
  authUrl: { type: "string", doc: "IAM endpoint for token authentication, e.g. `https://iam.cn-north-4.myhuaweicloud.com/v3` (an `iam` entry in endpoints wins)." },
  maxRetries: { type: "integer", doc: "Retries of throttled and transient failures (default 5, at most 20)." },
  endpoints: {
    type: "map",
    doc: 'Service → base URL (`pipeline`, `cloudtest`, `coc`, `devuc`, `iam`, or the Terraform provider\'s names); `"*"` sets every service but IAM. In stack config, a JSON object such as `{"*": "http://127.0.0.1:8080"}`; any other key is refused.',
  },
  requestTimeout: { type: "integer", doc: "Seconds one attempt may take, headers and body together (default 60, 1–3600)." },
  provenReadings: {
    type: "string",
    doc: "What `pulumi-codearts conformance --out FILE` wrote (the JSON, or the file's path): the readings of the references' open passages this account's service was proven to speak. Under a proven reading the provider drops the calls that only guard against the others (docs/conformance.md); without it, every guard stays.",
  },
};

/** The keys whose values must never appear in state, logs or messages. */
export const SECRET_KEYS = ["secretKey", "securityToken", "password"] as const;

/**
 * The namespace the dynamic resources read (the stack config of the Huawei Cloud Pulumi provider); the
 * resource-provider plugin reads its own package's, `codearts` (provider/plugin), with the same key names
 * and the same environment fallbacks.
 */
export const DEFAULT_NAMESPACE = "huaweicloud";

/** The configuration key names, without namespace (`region`, `accessKey`, …), in the order they are documented. */
export const CONFIG_KEYS = Object.keys(SOURCES);

/** The environment variables a key falls back to, first match wins. */
export function envFallbacks(key: string): readonly string[] {
  return SOURCES[key] ?? [];
}

/**
 * A message about configuration, its key names moved to `namespace` (`huaweicloud:accessKey` →
 * `codearts:accessKey`): the provider's messages name the dynamic resources' keys, the plugin's users
 * set the same keys in its namespace.
 */
export function inNamespace(text: string, namespace: string): string {
  if (namespace === DEFAULT_NAMESPACE) return text;
  return text.replace(new RegExp(`\\b${DEFAULT_NAMESPACE}:(${CONFIG_KEYS.join("|")})\\b`, "g"), `${namespace}:$1`);
}

export function loadSettings(config: Lookup, env: NodeJS.ProcessEnv = process.env, namespace = DEFAULT_NAMESPACE): Settings {
  try {
    return loadIn(config, env, namespace);
  } catch (e) {
    if (e instanceof ConfigError && namespace !== DEFAULT_NAMESPACE) throw new ConfigError(inNamespace(e.message, namespace));
    throw e;
  }
}

function loadIn(config: Lookup, env: NodeJS.ProcessEnv, namespace: string): Settings {
  const get = (key: string): string | undefined => {
    const fromConfig = config(`${namespace}:${key}`);
    if (fromConfig !== undefined && fromConfig !== "") return fromConfig;
    for (const name of SOURCES[key] ?? []) {
      const v = env[name];
      if (v !== undefined && v !== "") return v;
    }
    return undefined;
  };
  const settings: Settings = {
    region: get("region"),
    accessKey: get("accessKey"),
    secretKey: get("secretKey"),
    securityToken: get("securityToken"),
    projectId: get("projectId"),
    projectName: get("projectName"),
    domainId: get("domainId"),
    domainName: get("domainName"),
    userName: get("userName"),
    password: get("password"),
    authUrl: get("authUrl"),
    endpoints: parseEndpoints(get("endpoints")),
    maxRetries: parseNonNegativeInt("maxRetries", get("maxRetries"), DEFAULT_MAX_RETRIES),
    requestTimeoutMs: parseRequestTimeout(get("requestTimeout")) * 1000,
    provenReadings: parseProvenReadings(get("provenReadings")),
  };
  checkForms(settings);
  if ((settings.accessKey === undefined) !== (settings.secretKey === undefined)) {
    throw new ConfigError("huaweicloud:accessKey and huaweicloud:secretKey must be set together (or HW_ACCESS_KEY and HW_SECRET_KEY)");
  }
  return settings;
}

function parseEndpoints(raw: string | undefined): Record<string, string> {
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError('huaweicloud:endpoints must be a JSON object mapping a service to a URL, e.g. {"*": "http://127.0.0.1:8080"}');
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ConfigError("huaweicloud:endpoints must be a JSON object mapping a service to a URL");
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    // A misspelt key would be ignored and the service reached at the region's public host instead.
    if (!ENDPOINT_KEYS.includes(k)) {
      throw new ConfigError(`huaweicloud:endpoints (HW_ENDPOINTS) has an unknown key ${JSON.stringify(k.slice(0, 64))}; the known keys are ${ENDPOINT_KEYS.join(", ")}`);
    }
    if (typeof v !== "string" || !isBaseUrl(v))
      throw new ConfigError(`huaweicloud:endpoints (HW_ENDPOINTS) key "${k}" ${BASE_URL_RULE}, e.g. "https://cloudpipeline-ext.cn-north-4.myhuaweicloud.com"`);
    out[k] = v;
  }
  return out;
}

const BASE_URL_RULE = "must be an http(s) URL: a host name or address ([…] around IPv6), an optional port from 1 to 65535 and an optional path; no user, query or fragment";

/** Whether `v` is a base URL as BASE_URL_RULE says; the URL parser decides what the pattern cannot (brackets, port range). */
function isBaseUrl(v: string): boolean {
  if (!/^https?:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/.test(v)) return false;
  try {
    return new URL(v).port !== "0";
  } catch {
    return false;
  }
}

export const DEFAULT_MAX_RETRIES = 5;
/** Seconds; the overall deadline of one attempt (headers and body together). */
export const DEFAULT_REQUEST_TIMEOUT_S = 60;
/** An hour: beyond that a "timeout" is no bound at all. */
const MAX_REQUEST_TIMEOUT_S = 3600;
const MAX_RETRIES_LIMIT = 20;

function parseRequestTimeout(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_REQUEST_TIMEOUT_S;
  // 0 would mean "no timeout": a silent endpoint would hang the operation forever.
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_REQUEST_TIMEOUT_S) {
    throw new ConfigError(`huaweicloud:requestTimeout (HW_REQUEST_TIMEOUT) must be a whole number of seconds from 1 to ${MAX_REQUEST_TIMEOUT_S}`);
  }
  return Number(raw);
}

/**
 * Values that become part of a URL or a header are checked here, naming the key, never echoing the
 * value: the region (a host name), the account and project ids (path segments, X-Project-Id), the
 * IAM URL; and values no header can carry (CR, LF, other control characters) are refused before any
 * request is made.
 */
function checkForms(s: Settings): void {
  if (s.region !== undefined && !REGION_ID.test(s.region))
    throw new ConfigError("huaweicloud:region (HW_REGION_NAME) must be a region id such as cn-north-4 (lower-case letters, digits and -)");
  if (s.domainId !== undefined && !HEX32.test(s.domainId)) throw new ConfigError("huaweicloud:domainId (HW_DOMAIN_ID) must be an account id: 32 lower-case hexadecimal characters");
  if (s.projectId !== undefined && !HEX32.test(s.projectId))
    throw new ConfigError("huaweicloud:projectId (HW_PROJECT_ID) must be an IAM project id: 32 lower-case hexadecimal characters");
  if (s.authUrl !== undefined && !isBaseUrl(s.authUrl))
    throw new ConfigError(`huaweicloud:authUrl (HW_AUTH_URL) ${BASE_URL_RULE}, e.g. https://iam.cn-north-4.myhuaweicloud.com/v3`);
  if (s.maxRetries > MAX_RETRIES_LIMIT) throw new ConfigError(`huaweicloud:maxRetries (HW_MAX_RETRIES) must be at most ${MAX_RETRIES_LIMIT}`);
  for (const key of ["accessKey", "securityToken"] as const) {
    // eslint-disable-next-line no-control-regex
    if (s[key] !== undefined && /[\x00-\x1f\x7f]/.test(s[key]!))
      throw new ConfigError(`huaweicloud:${key} contains a control character (CR, LF, …) that no request header can carry`);
  }
}

function parseNonNegativeInt(key: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`huaweicloud:${key} must be a non-negative integer`);
  return Number(raw);
}

/** Which way the client authenticates; checked when the first API call needs it, not at preview. */
export function authMode(s: Settings): "aksk" | "token" {
  if (s.accessKey && s.secretKey) return "aksk";
  if (s.userName && s.password && (s.domainName || s.domainId)) return "token";
  throw new ConfigError(
    "no credentials: set huaweicloud:accessKey and huaweicloud:secretKey (or HW_ACCESS_KEY/HW_SECRET_KEY), " +
      "or huaweicloud:userName, huaweicloud:password and huaweicloud:domainName (or HW_USER_NAME/HW_USER_PASSWORD/HW_DOMAIN_NAME)",
  );
}

/** Registers every secret of these settings with the one redaction (redaction.ts). */
export function rememberSecrets(s: Settings | undefined): void {
  for (const key of SECRET_KEYS) redactor.add(s?.[key]);
}

/** Registers every secret of these settings with the one redaction (redaction.ts), and redacts `text`. */
export function redact(text: string, s: Settings | undefined): string {
  rememberSecrets(s);
  return redactor.text(text);
}
