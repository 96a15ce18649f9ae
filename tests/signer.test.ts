import { parse as legacyUrlParse } from "node:url";
import {
  ALGORITHM,
  canonicalQueryString,
  canonicalRequest,
  canonicalUri,
  formatSdkDate,
  parseAuthorization,
  signature,
  signRequest,
  stringToSign,
  verifySignature,
  wireQuery,
  type Credentials,
  type SigningInput,
} from "../provider/signer";

/*
 * The official Node signer (devDependency) is the oracle. It is deep-imported, as the package has no
 * `exports` field; only the members used here are typed. Its quirks decide which
 * inputs the corpus may use, and the divergences are asserted separately below.
 */
interface OracleRequest {
  endpoint: string;
  method: string;
  headers: Record<string, string>;
  queryParams: Record<string, string | string[]>;
  data?: unknown;
}
interface Oracle {
  sign(req: OracleRequest, cred: { getAk(): string; getSk(): string }): Record<string, string>;
  CanonicalURI(path: string): string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the untyped oracle, deep-imported (see above)
const oracle: Oracle = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner").AKSKSigner;

const AK = "QTWAOYTTINDUT2QVKYUC";
const SK = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc";
const TOKEN = "gQpjbi1ub3J0aC00hPAqMIIYzAYJKoZIhvcNAQcCoIIYvTCCGLkCAQExDTALBglghkgBZQMEAgEwgha-temp+token/==";
const HOST = "cloudpipeline-ext.cn-north-4.myhuaweicloud.com";
const DATE = "20191115T033655Z";
const DATE_AS_DATE = new Date("2019-11-15T03:36:55Z");
const PROJECT = "d80a8a6530324b7bac972cbb8a9f28ec";
const DOMAIN = "ce8df55870164338a72d7e828a966a2a";
const JSON_CT = { "content-type": "application/json" };

/* ---------------------------------------------------------------------------------------------- */

describe("published test vector (API签名指南, 计算签名)", () => {
  test("HMAC-SHA256 of the documented StringToSign", () => {
    const sts = `${ALGORITHM}\n20191115T033655Z\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a`;
    expect(signature(sts, SK)).toBe("7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe");
  });

  test("stringToSign is algorithm, date and the hex SHA-256 of the canonical request", () => {
    // SHA-256("") is the well-known e3b0… constant.
    expect(stringToSign("", DATE)).toBe(`SDK-HMAC-SHA256\n${DATE}\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`);
  });
});

describe("canonical pieces", () => {
  test("formatSdkDate is UTC with second precision", () => {
    expect(formatSdkDate(new Date("2019-11-15T03:36:55.987Z"))).toBe(DATE);
    expect(formatSdkDate(new Date("2026-02-28T23:59:59+08:00"))).toBe("20260228T155959Z");
    expect(() => formatSdkDate(new Date("nope"))).toThrow();
  });

  test.each([
    ["", "/"],
    ["/", "/"],
    ["/v5/abc/api/pipeline-group/tree", "/v5/abc/api/pipeline-group/tree/"],
    ["/v5/abc/api/pipeline-templates/", "/v5/abc/api/pipeline-templates/"],
    // Sub-delims and gen-delims are encoded; unreserved characters are kept.
    ["/v1/a(1)*!'/b:c;d,e=f@g$h&i+j/k-_.~", "/v1/a%281%29%2A%21%27/b%3Ac%3Bd%2Ce%3Df%40g%24h%26i%2Bj/k-_.~/"],
    // Wire escapes are decoded first, so an already-encoded path is not encoded twice.
    ["/v1/a%20b/x%281%29/%e9%a1%b9", "/v1/a%20b/x%281%29/%E9%A1%B9/"],
    ["/v1/项目", "/v1/%E9%A1%B9%E7%9B%AE/"],
    // "%2F" inside a segment stays one segment; a stray "%" is a literal percent sign.
    ["/v1/a%2Fb/100%", "/v1/a%2Fb/100%25/"],
  ])("canonicalUri(%j) = %j", (path, expected) => {
    expect(canonicalUri(path)).toBe(expected);
  });

  test("canonicalQueryString: encoded, sorted by key then value, k= for empty values", () => {
    const q: Array<[string, string]> = [
      ["offset", "0"],
      ["b", "x y"],
      ["Flag", ""],
      ["b", "a+b"],
      ["名", "值"],
    ];
    // Upper-case F sorts before lower-case b (the guide's own example); "%E5…" sorts before letters.
    expect(canonicalQueryString(q)).toBe("%E5%90%8D=%E5%80%BC&Flag=&b=a%2Bb&b=x%20y&offset=0");
    expect(canonicalQueryString([])).toBe("");
    // What goes on the wire is exactly what was signed.
    expect(wireQuery(q)).toBe(canonicalQueryString(q));
  });

  test("canonicalRequest layout: blank line after the headers, trimmed values, lower-cased sorted names", () => {
    const input: SigningInput = {
      method: "get",
      path: "/app1",
      query: [
        ["b", "2"],
        ["a", "1"],
      ],
      headers: { "X-Sdk-Date": DATE, Host: "  example.com ", "Content-Type": "application/json", "X-Unsigned": "ignored" },
      body: "",
    };
    expect(canonicalRequest(input, ["X-Sdk-Date", "host", "Content-Type"])).toBe(
      [
        "GET",
        "/app1/",
        "a=1&b=2",
        "content-type:application/json",
        "host:example.com",
        `x-sdk-date:${DATE}`,
        "",
        "content-type;host;x-sdk-date",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      ].join("\n"),
    );
  });

  test("the body hash covers the exact bytes; X-Sdk-Content-Sha256 replaces it verbatim", () => {
    const base: SigningInput = { method: "POST", path: "/", query: [], headers: { host: "h" }, body: '{"a":1}' };
    const hashOf = (i: SigningInput) => canonicalRequest(i, ["host"]).split("\n").pop();
    expect(hashOf(base)).toBe("015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862");
    expect(hashOf({ ...base, body: Buffer.from('{"a":1}') })).toBe(hashOf(base));
    expect(hashOf({ ...base, headers: { host: "h", "x-sdk-content-sha256": "UNSIGNED-PAYLOAD" } })).toBe("UNSIGNED-PAYLOAD");
  });
});

/* ---------------------------------------------------------------------------------------------- */

/** One oracle case. The wire body is JSON.stringify(json), which is what the oracle hashes. */
interface Case {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** As written by the caller; WHATWG URL percent-encodes it for the wire, the oracle url.parse()s it. */
  path: string;
  query?: Array<[string, string]>;
  /** Besides host and X-Sdk-Date. */
  headers?: Record<string, string>;
  json?: unknown;
  /** Pass our signer the body as bytes rather than a string. */
  bytes?: boolean;
  /** Temporary credentials. */
  token?: string;
  date?: string;
  host?: string;
}

const CORPUS: Array<[string, Case]> = [
  ["GET, no query, no body", { method: "GET", path: `/v5/${PROJECT}/api/pipeline-group/tree`, headers: JSON_CT }],
  [
    "unsorted query keys",
    {
      method: "GET",
      path: `/v5/${PROJECT}/api/pipeline-templates`,
      query: [
        ["offset", "0"],
        ["limit", "10"],
        ["name", "tmpl"],
        ["is_system", "false"],
      ],
    },
  ],
  [
    "repeated key with unsorted values",
    {
      method: "GET",
      path: `/v1/${DOMAIN}/agent-plugin/query-all`,
      query: [
        ["business_type", "Normal"],
        ["limit", "1"],
        ["business_type", "Build"],
        ["business_type", "Gate"],
      ],
    },
  ],
  [
    "keys differing only in case",
    {
      method: "GET",
      path: "/v1/job/scripts",
      query: [
        ["name", "lower"],
        ["Name", "title"],
        ["NAME", "upper"],
      ],
    },
  ],
  [
    "empty values, also among repeated values",
    {
      method: "DELETE",
      path: `/v5/${PROJECT}/api/pipeline-group/delete`,
      query: [
        ["id", "58d55f8a646443a984e7399632b3963e"],
        ["force", ""],
        ["tag", "b"],
        ["tag", ""],
      ],
    },
  ],
  [
    "unicode query values (BMP and astral)",
    {
      method: "GET",
      path: "/v1/job/scripts",
      query: [
        ["name", "流水线组 一"],
        ["emoji", "🚀 launch"],
        ["accent", "café"],
      ],
    },
  ],
  [
    "reserved characters in query keys and values",
    {
      method: "GET",
      path: "/v1/job/scripts",
      query: [
        ["filter[name]", "a&b=c/d?e#f+g%h"],
        ["q", "it's (50%) *done*!"],
        ["tilde~", "~._-"],
      ],
    },
  ],
  ["parentheses in path segments", { method: "GET", path: `/v1/projects/p(1)/plans(v2)`, headers: JSON_CT }],
  ["* and ! in a path segment", { method: "DELETE", path: "/v1/job/scripts/a*b!c" }],
  [
    "~ and : in path segments (COC's coc:script)",
    { method: "POST", path: "/v1/script/coc:script/~team/tags/update", headers: JSON_CT, json: { tags: [{ key: "k", value: "v" }] } },
  ],
  ["unicode path segments", { method: "GET", path: "/v1/projects/项目/plans/🚀" }],
  ["sub-delims ; , = @ $ & + in a path segment", { method: "GET", path: "/v1/a;b,c=d@e$f&g+h" }],
  ["path with a trailing slash", { method: "GET", path: `/v5/${PROJECT}/api/pipeline-templates/` }],
  ["root path", { method: "GET", path: "/" }],
  ["POST with a JSON body", { method: "POST", path: `/v5/${PROJECT}/api/pipeline-group/create`, headers: JSON_CT, json: { name: "G1", project_id: PROJECT, parent_id: "" } }],
  ["POST with an empty JSON object", { method: "POST", path: `/v1/${DOMAIN}/publisher/create`, headers: JSON_CT, json: {} }],
  ["POST with a JSON array body", { method: "POST", path: `/v1/${DOMAIN}/publisher/detail`, headers: JSON_CT, json: ["9d1e6ab0c4d24b8c8d6f0e2a1b3c4d5e"] }],
  [
    "PUT with a unicode JSON body",
    {
      method: "PUT",
      path: `/v5/${PROJECT}/api/pipeline-templates/0a1b`,
      headers: { "content-type": "application/json; charset=utf-8" },
      json: { name: "模板", description: "naïve 🚀", variables: [{ name: "a", value: "x y" }] },
    },
  ],
  ["DELETE without a body", { method: "DELETE", path: `/v2/${DOMAIN}/rules/abc123/delete`, headers: JSON_CT }],
  // The VPCEP API: DELETE with a JSON body and a `region` header (the VPCEP §4.1.1 example).
  [
    "DELETE with a body and a region header (VPCEP)",
    {
      method: "DELETE",
      path: "/devuc-accessmgmt/v2/vpceps",
      host: "codearts-devuc.ap-southeast-3.myhuaweicloud.com",
      headers: { ...JSON_CT, region: "cn-north-4" },
      json: { enterprise_id: "abfdbfa39r7pg09la8msyu8vq004aabcd", vpceps: [{ vpcep_id: "1234bfa39r7pg09la8msyu8vq004a1234" }] },
    },
  ],
  [
    "X-Project-Id header (CloudTest)",
    { method: "POST", path: `/v1/projects/${PROJECT}/plans`, headers: { ...JSON_CT, "X-Project-Id": PROJECT }, json: { name: "plan", service_id_list: [1, 2] } },
  ],
  [
    "X-Domain-Id header (COC)",
    { method: "POST", path: "/v1/job/scripts", host: "coc.myhuaweicloud.com", headers: { ...JSON_CT, "X-Domain-Id": DOMAIN }, json: { name: "s", type: "SHELL" } },
  ],
  ["temporary credentials (X-Security-Token)", { method: "GET", path: `/v5/${PROJECT}/api/pipeline-group/tree`, headers: JSON_CT, token: TOKEN }],
  [
    "temporary credentials with region, project, query and body",
    {
      method: "PUT",
      path: `/v2/${DOMAIN}/rules/abc/update`,
      token: TOKEN,
      query: [
        ["z", "1"],
        ["a", "2"],
      ],
      headers: { ...JSON_CT, region: "cn-north-4", "X-Project-Id": PROJECT },
      json: { name: "r" },
    },
  ],
  [
    "mixed-case header names",
    { method: "GET", path: "/v1/job/scripts", headers: { "Content-Type": "application/json", "X-PROJECT-ID": PROJECT, "User-Agent": "pulumi-codearts/0.1.0" } },
  ],
  ["host with a port (the emulator)", { method: "POST", path: `/v5/${PROJECT}/api/pipeline-group/create`, host: "127.0.0.1:8443", headers: JSON_CT, json: { name: "G" } }],
  ["X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD", { method: "POST", path: "/v1/upload", headers: { ...JSON_CT, "X-Sdk-Content-Sha256": "UNSIGNED-PAYLOAD" }, json: { big: true } }],
  ["body passed to our signer as bytes", { method: "POST", path: "/v1/job/scripts", headers: JSON_CT, json: { content: "echo 你好" }, bytes: true }],
  ["another date", { method: "GET", path: "/v1/job/scripts", headers: JSON_CT, date: "20260228T235959Z" }],
];

/** Everything both signers need, derived from one case. */
function prepare(c: Case) {
  const host = c.host ?? HOST;
  const date = c.date ?? DATE;
  const endpoint = `${host.startsWith("127.") ? "http" : "https"}://${host}${c.path}`;
  const query = c.query ?? [];
  const wireBody = c.json === undefined ? "" : JSON.stringify(c.json);
  const headers = { host, "X-Sdk-Date": date, ...c.headers };
  const ours: SigningInput = {
    method: c.method,
    path: new URL(endpoint).pathname, // what undici puts on the wire
    query,
    headers,
    body: c.bytes ? Buffer.from(wireBody, "utf8") : wireBody,
  };
  // The oracle takes repeated keys as arrays; it sorts them in place, so give it fresh copies.
  const queryParams: Record<string, string | string[]> = {};
  for (const [k, v] of query) {
    const prev = queryParams[k];
    queryParams[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
  }
  const theirs: OracleRequest = {
    endpoint,
    method: c.method,
    // The official SDK adds X-Security-Token to the headers before calling the signer.
    headers: { ...headers, ...(c.token ? { "X-Security-Token": c.token } : {}) },
    queryParams,
    data: c.json,
  };
  const cred: Credentials = { accessKey: AK, secretKey: SK, securityToken: c.token };
  return { ours, theirs, cred, date };
}

const oracleCred = { getAk: () => AK, getSk: () => SK };
const sdkDateToDate = (d: string) => new Date(d.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"));
const lookup = (ak: string): string | undefined => (ak === AK ? SK : undefined);

describe(`agreement with the official Node signer (${CORPUS.length} cases)`, () => {
  test("the corpus has at least 20 cases", () => expect(CORPUS.length).toBeGreaterThanOrEqual(20));

  test.each(CORPUS)("%s: same Authorization header", (_name, c) => {
    const { ours, theirs, cred } = prepare(c);
    // `now` is far from X-Sdk-Date: the header given must win.
    const mine = signRequest(ours, cred, new Date("2030-01-01T00:00:00Z"));
    const official = oracle.sign(theirs, oracleCred);
    expect(mine.Authorization).toBe(official.Authorization);
    expect(mine["X-Sdk-Date"]).toBeUndefined();
    expect(mine["X-Security-Token"]).toBe(c.token);
  });

  test.each(CORPUS)("%s: verifySignature accepts the official signer's request", (_name, c) => {
    const { ours, theirs, date } = prepare(c);
    const official = oracle.sign(theirs, oracleCred);
    expect(verifySignature({ ...ours, headers: official }, lookup, sdkDateToDate(date))).toEqual({ ok: true, accessKey: AK });
  });

  test.each(CORPUS)("%s: the secret key never appears in signRequest's output", (_name, c) => {
    const { ours, cred } = prepare(c);
    const out = JSON.stringify(signRequest(ours, cred, DATE_AS_DATE));
    expect(out).not.toContain(SK);
    expect(out).toContain(`Access=${AK}`);
  });
});

/*
 * Where the official Node signer differs, and why ours is right for the gateway. Each test pins the
 * oracle's behaviour, so a change in a future SDK version shows up here.
 */
describe("documented divergences from the official Node signer", () => {
  const sign = (path: string, headers: Record<string, string> = {}) => {
    const endpoint = `https://${HOST}${path}`;
    const h = { host: HOST, "X-Sdk-Date": DATE, ...headers };
    return {
      mine: signRequest({ method: "GET", path: new URL(endpoint).pathname, query: [], headers: h, body: "" }, { accessKey: AK, secretKey: SK }, DATE_AS_DATE),
      official: oracle.sign({ endpoint, method: "GET", headers: h, queryParams: {} }, oracleCred),
      endpoint,
    };
  };

  // url.parse() escapes the space to %20, then every segment is encoded again. The wire carries
  // /v1/a%20b; Python and Go sign it as %20, so the Node SDK's signature would be rejected.
  test("space in a path segment: the oracle double-encodes it (%2520)", () => {
    const { mine, official, endpoint } = sign("/v1/a b/x(1)");
    expect(oracle.CanonicalURI(legacyUrlParse(endpoint).pathname!)).toBe("/v1/a%2520b/x%281%29/");
    expect(canonicalUri(new URL(endpoint).pathname)).toBe("/v1/a%20b/x%281%29/");
    expect(mine.Authorization).not.toBe(official.Authorization);
  });

  // Same cause: url.parse() auto-escapes ' (and {}|\^`<>") before the signer encodes the segments.
  test("apostrophe in a path segment: the oracle double-encodes it (%2527)", () => {
    const { mine, official, endpoint } = sign("/v1/it's");
    expect(oracle.CanonicalURI(legacyUrlParse(endpoint).pathname!)).toBe("/v1/it%2527s/");
    expect(canonicalUri(new URL(endpoint).pathname)).toBe("/v1/it%27s/");
    expect(mine.Authorization).not.toBe(official.Authorization);
  });

  // HTTP strips optional whitespace around header values, so the gateway sees the trimmed value
  // (Go and Python trim too); the oracle signs the untrimmed one.
  test("header values with surrounding whitespace: we trim, the oracle does not", () => {
    const { mine, official } = sign("/v1/x", { "X-Project-Id": `  ${PROJECT} ` });
    expect(mine.Authorization).not.toBe(official.Authorization);
    expect(sign("/v1/x", { "X-Project-Id": PROJECT }).official.Authorization).toBe(mine.Authorization);
  });

  // The oracle leaves content-type out of SignedHeaders for multipart; we sign every header. Both
  // are valid: the server recomputes over the headers the request lists.
  test("multipart content-type: the oracle does not sign it, and our verifier still accepts that", () => {
    const headers = { "content-type": "multipart/form-data; boundary=xyz" };
    const { mine, official } = sign("/v1/upload", headers);
    expect(parseAuthorization(official.Authorization)!.signedHeaders).toEqual(["host", "x-sdk-date"]);
    expect(parseAuthorization(mine.Authorization)!.signedHeaders).toEqual(["content-type", "host", "x-sdk-date"]);
    const input: SigningInput = { method: "GET", path: "/v1/upload", query: [], headers: { ...official, ...headers }, body: "" };
    expect(verifySignature(input, lookup, DATE_AS_DATE)).toEqual({ ok: true, accessKey: AK });
  });

  // We sort by the *encoded* key (as the brief and our wire query do); the Node, Go and Python SDKs
  // sort the raw keys. The orders differ only when a reserved character meets an unreserved one
  // ("a:" vs "a5": raw ':' > '5', encoded '%' < '5'). No CodeArts API uses such keys.
  test("query keys whose raw and encoded orders differ", () => {
    const query: Array<[string, string]> = [
      ["a5", "1"],
      ["a:", "2"],
    ];
    expect(canonicalQueryString(query)).toBe("a%3A=2&a5=1");
    const h = { host: HOST, "X-Sdk-Date": DATE };
    const mine = signRequest({ method: "GET", path: "/", query, headers: h, body: "" }, { accessKey: AK, secretKey: SK }, DATE_AS_DATE);
    const official = oracle.sign({ endpoint: `https://${HOST}/`, method: "GET", headers: h, queryParams: { a5: "1", "a:": "2" } }, oracleCred);
    expect(mine.Authorization).not.toBe(official.Authorization);
  });
});

/* ---------------------------------------------------------------------------------------------- */

describe("signRequest", () => {
  const base: SigningInput = {
    method: "POST",
    path: `/v5/${PROJECT}/api/pipeline-group/create`,
    query: [],
    headers: { Host: HOST, "Content-Type": "application/json" },
    body: '{"name":"G1"}',
  };
  const cred: Credentials = { accessKey: AK, secretKey: SK };

  test("adds X-Sdk-Date from `now` and signs it, returning only the headers to add", () => {
    const out = signRequest(base, cred, DATE_AS_DATE);
    expect(Object.keys(out).sort()).toEqual(["Authorization", "X-Sdk-Date"]);
    expect(out["X-Sdk-Date"]).toBe(DATE);
    expect(parseAuthorization(out.Authorization)).toMatchObject({ accessKey: AK, signedHeaders: ["content-type", "host", "x-sdk-date"] });
  });

  test("temporary credentials add and sign X-Security-Token", () => {
    const out = signRequest(base, { ...cred, securityToken: TOKEN }, DATE_AS_DATE);
    expect(out["X-Security-Token"]).toBe(TOKEN);
    expect(parseAuthorization(out.Authorization)!.signedHeaders).toContain("x-security-token");
    expect(JSON.stringify(out)).not.toContain(SK);
  });

  test("header names are matched case-insensitively (an existing x-sdk-date is kept)", () => {
    const out = signRequest({ ...base, headers: { ...base.headers, "x-SDK-date": "20200101T000000Z" } }, cred, DATE_AS_DATE);
    expect(out["X-Sdk-Date"]).toBeUndefined();
    const verified = verifySignature({ ...base, headers: { ...base.headers, "x-SDK-date": "20200101T000000Z", ...out } }, lookup, new Date("2020-01-01T00:00:00Z"));
    expect(verified.ok).toBe(true);
  });

  test("refuses requests it cannot sign correctly", () => {
    expect(() => signRequest({ ...base, headers: { "Content-Type": "application/json" } }, cred, DATE_AS_DATE)).toThrow(/host/);
    expect(() => signRequest({ ...base, headers: { ...base.headers, "X-Sdk-Date": "2019-11-15T03:36:55Z" } }, cred, DATE_AS_DATE)).toThrow(/X-Sdk-Date/);
    expect(() => signRequest({ ...base, headers: { ...base.headers, host: HOST } }, cred, DATE_AS_DATE)).toThrow(/more than once/);
    expect(() => signRequest({ ...base, headers: { ...base.headers, Authorization: "x" } }, cred, DATE_AS_DATE)).toThrow(/Authorization/);
  });
});

/* ---------------------------------------------------------------------------------------------- */

describe("verifySignature", () => {
  const NOW = new Date("2024-04-16T09:53:41Z");
  const cred: Credentials = { accessKey: AK, secretKey: SK, securityToken: TOKEN };
  const unsigned: SigningInput = {
    method: "PUT",
    path: `/v2/${DOMAIN}/rules/r%281%29/update`,
    query: [
      ["z", "1"],
      ["a", "x y"],
    ],
    headers: { host: HOST, "content-type": "application/json", region: "cn-north-4" },
    body: '{"name":"rule"}',
  };
  /** A request signed at `at`, as the server receives it. */
  const signedAt = (at: Date = NOW): SigningInput => ({ ...unsigned, headers: { ...unsigned.headers, ...signRequest(unsigned, cred, at) } });
  const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);
  const withHeaders = (r: SigningInput, patch: Record<string, string | undefined>): SigningInput => {
    const headers = { ...r.headers, ...patch };
    for (const k of Object.keys(headers)) if (headers[k] === undefined) delete headers[k];
    return { ...r, headers: headers as Record<string, string> };
  };
  const reason = (r: SigningInput, now = NOW, secrets = lookup) => {
    const v = verifySignature(r, secrets, now);
    return v.ok ? "ok" : v.reason;
  };

  test("accepts our own signed request", () => {
    expect(verifySignature(signedAt(), lookup, NOW)).toEqual({ ok: true, accessKey: AK });
  });

  test("accepts the request with its query re-parsed from the wire", () => {
    const r = signedAt();
    const wire = new URLSearchParams(wireQuery(r.query));
    expect(reason({ ...r, query: [...wire.entries()] })).toBe("ok");
  });

  test("accepts a different, equivalent encoding of the path", () => {
    expect(reason({ ...signedAt(), path: `/v2/${DOMAIN}/rules/r(1)/update` })).toBe("ok");
  });

  test("ignores headers that are not listed in SignedHeaders", () => {
    expect(reason(withHeaders(signedAt(), { "User-Agent": "added-by-a-proxy" }))).toBe("ok");
  });

  test.each<[string, (r: SigningInput) => SigningInput]>([
    ["body", (r) => ({ ...r, body: '{"name":"rulE"}' })],
    ["path", (r) => ({ ...r, path: r.path.replace("rules", "rule") })],
    [
      "query value",
      (r) => ({
        ...r,
        query: [
          ["z", "1"],
          ["a", "x  y"],
        ],
      }),
    ],
    ["query key added", (r) => ({ ...r, query: [...r.query, ["admin", "true"]] })],
    ["method", (r) => ({ ...r, method: "POST" })],
    ["signed header (region)", (r) => withHeaders(r, { region: "cn-south-1" })],
    ["signed header (X-Security-Token)", (r) => withHeaders(r, { "X-Security-Token": TOKEN + "x" })],
  ])("rejects a tampered %s as a mismatch, echoing the canonical request", (_what, tamper) => {
    const v = verifySignature(tamper(signedAt()), lookup, NOW);
    expect(v).toMatchObject({ ok: false, reason: "mismatch" });
    expect(v.ok ? "" : v.canonicalRequest).toContain("\nhost:" + HOST + "\n");
  });

  test("rejects a wrong secret and an unknown access key", () => {
    expect(reason(signedAt(), NOW, () => SK.replace("M", "N"))).toBe("mismatch");
    expect(reason(signedAt(), NOW, () => undefined)).toBe("unknown-key");
  });

  test("enforces the 15-minute clock skew in both directions", () => {
    expect(reason(signedAt(minutes(-16)))).toBe("date");
    expect(reason(signedAt(minutes(16)))).toBe("date");
    expect(reason(signedAt(minutes(-14)))).toBe("ok");
    expect(reason(signedAt(minutes(14)))).toBe("ok");
    expect(reason(signedAt(minutes(15)))).toBe("ok");
    expect(verifySignature(signedAt(minutes(-2)), lookup, NOW, 60_000)).toMatchObject({ ok: false, reason: "date" });
  });

  test("rejects missing Authorization, X-Sdk-Date or a listed header", () => {
    expect(reason(withHeaders(signedAt(), { Authorization: undefined }))).toBe("missing");
    expect(reason(withHeaders(signedAt(), { "X-Sdk-Date": undefined }))).toBe("missing");
    expect(reason(withHeaders(signedAt(), { region: undefined }))).toBe("missing");
    expect(reason(withHeaders(signedAt(), { host: undefined }))).toBe("missing");
  });

  test("rejects a badly formatted or impossible X-Sdk-Date", () => {
    // Signed with the bad date, so only the format check can reject it.
    const signedWithDate = (d: string) => {
      const h = { ...unsigned.headers, "X-Sdk-Date": d };
      const sts = stringToSign(canonicalRequest({ ...unsigned, headers: h }, Object.keys(h)), d);
      const auth = `${ALGORITHM} Access=${AK}, SignedHeaders=content-type;host;region;x-sdk-date, Signature=${signature(sts, SK)}`;
      return { ...unsigned, headers: { ...h, Authorization: auth } };
    };
    expect(reason(signedWithDate("20240416T095341Z"))).toBe("ok"); // the control
    expect(reason(signedWithDate("2024-04-16T09:53:41Z"))).toBe("date");
    expect(reason(signedWithDate("20240416T095341"))).toBe("date");
    expect(reason(signedWithDate("20241316T095341Z"))).toBe("date");
  });

  test("rejects an Authorization header that leaves host or x-sdk-date unsigned", () => {
    // Correctly signed over the shorter list, so only the list check can reject it.
    const signedOver = (list: string[]) => {
      const h = { ...unsigned.headers, "X-Sdk-Date": formatSdkDate(NOW) };
      const sts = stringToSign(canonicalRequest({ ...unsigned, headers: h }, list), formatSdkDate(NOW));
      return withHeaders({ ...unsigned, headers: h }, { Authorization: `${ALGORITHM} Access=${AK}, SignedHeaders=${list.join(";")}, Signature=${signature(sts, SK)}` });
    };
    expect(reason(signedOver(["host", "x-sdk-date"]))).toBe("ok"); // the control
    expect(reason(signedOver(["x-sdk-date"]))).toBe("malformed");
    expect(reason(signedOver(["content-type", "host"]))).toBe("malformed");
  });

  test.each([
    "SDK-HMAC-SHA1 Access=AK, SignedHeaders=host;x-sdk-date, Signature=" + "0".repeat(64),
    "SDK-HMAC-SHA256 Access=AK, SignedHeaders=x-sdk-date;host, Signature=" + "0".repeat(64),
    "SDK-HMAC-SHA256 Access=AK, SignedHeaders=Host;x-sdk-date, Signature=" + "0".repeat(64),
    "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;;x-sdk-date, Signature=" + "0".repeat(64),
    "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=" + "A".repeat(64),
    "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date",
    "SDK-HMAC-SHA256 Access=AK, Access=AK, SignedHeaders=host;x-sdk-date, Signature=" + "0".repeat(64),
    "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=" + "0".repeat(64) + ", Extra=1",
    "Bearer abc",
  ])("rejects the malformed Authorization %j", (auth) => {
    expect(parseAuthorization(auth)).toBeUndefined();
    expect(reason(withHeaders(signedAt(), { Authorization: auth }))).toBe("malformed");
  });

  test("parseAuthorization reads what signRequest writes", () => {
    const auth = signedAt().headers.Authorization;
    expect(parseAuthorization(auth)).toEqual({
      accessKey: AK,
      signedHeaders: ["content-type", "host", "region", "x-sdk-date", "x-security-token"],
      signature: auth.slice(-64),
    });
  });
});
