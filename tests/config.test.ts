import { loadSettings, redact, authMode } from "../provider/config";
import { ENDPOINT_KEYS, resolveEndpoint, SERVICES } from "../provider/endpoints";
import { ConfigError } from "../provider/errors";

const cfg = (m: Record<string, string>) => (k: string) => m[k];
/** The message of the ConfigError these settings are refused with (a TypeError or no error fails). */
const bad = (m: Record<string, string>, env: Record<string, string> = {}) => {
  try {
    loadSettings(cfg(m), env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("expected a ConfigError");
};

describe("settings from stack config and environment", () => {
  test("stack config keys use the huaweicloud namespace and the Huawei Cloud provider's names", () => {
    const s = loadSettings(
      cfg({
        "huaweicloud:region": "cn-north-4",
        "huaweicloud:accessKey": "AK1",
        "huaweicloud:secretKey": "SK1",
        "huaweicloud:securityToken": "TOK",
        "huaweicloud:projectId": "b".repeat(32),
        "huaweicloud:domainId": "d".repeat(32),
        "huaweicloud:domainName": "dn",
        "huaweicloud:userName": "u",
        "huaweicloud:password": "pw",
        "huaweicloud:authUrl": "https://iam.example/v3",
        "huaweicloud:maxRetries": "2",
        "huaweicloud:endpoints": '{"codearts_pipeline":"http://127.0.0.1:1"}',
      }),
      {},
    );
    expect(s).toMatchObject({
      region: "cn-north-4",
      accessKey: "AK1",
      secretKey: "SK1",
      securityToken: "TOK",
      projectId: "b".repeat(32),
      domainId: "d".repeat(32),
      domainName: "dn",
      userName: "u",
      password: "pw",
      authUrl: "https://iam.example/v3",
      maxRetries: 2,
      endpoints: { codearts_pipeline: "http://127.0.0.1:1" },
    });
  });

  test("falls back to the Terraform provider's environment variables, config wins", () => {
    const env = {
      HW_REGION_NAME: "ap-southeast-3",
      HW_ACCESS_KEY: "envAK",
      HW_SECRET_KEY: "envSK",
      HW_DOMAIN_ID: "e".repeat(32),
      HW_PROJECT_ID: "f".repeat(32),
      HW_SECURITY_TOKEN: "envT",
      HW_MAX_RETRIES: "7",
    };
    const s = loadSettings(cfg({ "huaweicloud:region": "cn-north-4" }), env);
    expect(s).toMatchObject({
      region: "cn-north-4",
      accessKey: "envAK",
      secretKey: "envSK",
      domainId: "e".repeat(32),
      projectId: "f".repeat(32),
      securityToken: "envT",
      maxRetries: 7,
    });
    expect(loadSettings(cfg({}), { OS_USERNAME: "u", OS_PASSWORD: "p", OS_DOMAIN_NAME: "d" })).toMatchObject({ userName: "u", password: "p", domainName: "d" });
  });

  test("errors name the key and the rule, never the value", () => {
    expect(bad({ "huaweicloud:maxRetries": "lots" })).toMatch(/huaweicloud:maxRetries must be a non-negative integer/);
    expect(bad({ "huaweicloud:endpoints": "{not json" })).toMatch(/huaweicloud:endpoints must be a JSON object/);
    expect(bad({ "huaweicloud:endpoints": '{"coc":"ftp://x"}' })).toMatch(/huaweicloud:endpoints \(HW_ENDPOINTS\) key "coc" must be an http\(s\) URL/);
    const msg = bad({ "huaweicloud:secretKey": "S3CRET-value" });
    expect(msg).toMatch(/accessKey and huaweicloud:secretKey must be set together/);
    expect(msg).not.toContain("S3CRET");
  });

  test("an unknown huaweicloud:endpoints key (a typo, __proto__) is refused, naming it and the known keys; each known key takes effect", () => {
    const known = /the known keys are \*, pipeline, codearts_pipeline, codeartspipeline, cloudtest, coc, devuc, codearts_devuc, codearts-devuc, iam$/;
    expect(bad({ "huaweicloud:endpoints": '{"*":"http://127.0.0.1:1","pipelin":"http://127.0.0.1:2"}' })).toMatch(
      /^huaweicloud:endpoints \(HW_ENDPOINTS\) has an unknown key "pipelin"; /,
    );
    expect(bad({ "huaweicloud:endpoints": '{"pipelin":"http://127.0.0.1:2"}' })).toMatch(known);
    expect(bad({ "huaweicloud:endpoints": '{"__proto__":"http://127.0.0.1:2"}' })).toMatch(/unknown key "__proto__"/);
    expect(bad({}, { HW_ENDPOINTS: '{"Pipeline":"http://127.0.0.1:2"}' })).toMatch(/unknown key "Pipeline"/);
    // Both ways: every key the message lists is one some service's endpoint is taken from.
    for (const key of ENDPOINT_KEYS) {
      const url = `http://127.0.0.1:${1000 + ENDPOINT_KEYS.indexOf(key)}`;
      const s = loadSettings(cfg({ "huaweicloud:endpoints": JSON.stringify({ [key]: url }) }), {});
      expect(SERVICES.filter((service) => resolveEndpoint(service, "ap-southeast-3", s.endpoints) === url)).not.toHaveLength(0);
    }
  });

  test("a malformed endpoint or authUrl (unclosed [, port above 65535) names the setting and the rule, not the value", () => {
    const rule = /must be an http\(s\) URL: a host name or address \(\[…\] around IPv6\), an optional port from 1 to 65535 and an optional path/;
    const cases: Array<[Record<string, string>, Record<string, string>, RegExp, string]> = [
      [{ "huaweicloud:endpoints": '{"pipeline":"http://[::1/tok-in-path-123"}' }, {}, /^huaweicloud:endpoints \(HW_ENDPOINTS\) key "pipeline" /, "tok-in-path-123"],
      [{ "huaweicloud:endpoints": '{"coc":"https://coc.example:99999"}' }, {}, /^huaweicloud:endpoints \(HW_ENDPOINTS\) key "coc" /, "99999"],
      [{}, { HW_ENDPOINTS: '{"*":"http://127.0.0.1:0"}' }, /^huaweicloud:endpoints \(HW_ENDPOINTS\) key "\*" /, "127.0.0.1"],
      [{ "huaweicloud:authUrl": "http://[::1/v3" }, {}, /^huaweicloud:authUrl \(HW_AUTH_URL\) /, "[::1"],
      [{}, { HW_AUTH_URL: "https://iam.example:123456/v3" }, /^huaweicloud:authUrl \(HW_AUTH_URL\) /, "123456"],
    ];
    for (const [config, env, setting, value] of cases) {
      const msg = bad(config, env);
      expect(msg).toMatch(setting);
      expect(msg).toMatch(rule);
      expect(msg).not.toContain(value);
    }
    // The same forms with a bracket closed and a port in range are accepted.
    expect(loadSettings(cfg({ "huaweicloud:endpoints": '{"pipeline":"http://[::1]:8080/x"}', "huaweicloud:authUrl": "https://iam.example:65535/v3" }), {})).toMatchObject({
      endpoints: { pipeline: "http://[::1]:8080/x" },
      authUrl: "https://iam.example:65535/v3",
    });
  });

  test("credentials decide the auth mode; none is a clear error", () => {
    expect(authMode(loadSettings(cfg({ "huaweicloud:accessKey": "a", "huaweicloud:secretKey": "b" }), {}))).toBe("aksk");
    expect(authMode(loadSettings(cfg({ "huaweicloud:userName": "u", "huaweicloud:password": "p", "huaweicloud:domainName": "d" }), {}))).toBe("token");
    expect(() => authMode(loadSettings(cfg({}), {}))).toThrow(/no credentials: set huaweicloud:accessKey/);
  });

  test("redact removes every configured secret from a text", () => {
    const s = loadSettings(cfg({ "huaweicloud:accessKey": "AKPUBLIC", "huaweicloud:secretKey": "sk-very-secret", "huaweicloud:password": "pw-secret" }), {});
    expect(redact("x sk-very-secret y pw-secret z AKPUBLIC", s)).toBe("x *** y *** z AKPUBLIC");
  });
});

describe("endpoints", () => {
  test("the API references' and the SDKs' region tables", () => {
    expect(resolveEndpoint("pipeline", "eu-west-101")).toBe("https://pipeline-external.eu-west-101.myhuaweicloud.eu");
    expect(resolveEndpoint("pipeline", "cn-north-4")).toBe("https://cloudpipeline-ext.cn-north-4.myhuaweicloud.com");
    expect(resolveEndpoint("cloudtest", "la-north-2")).toBe("https://devcloud.la-north-2.myhuaweicloud.com");
    expect(resolveEndpoint("cloudtest", "cn-north-4")).toBe("https://cloudtest-ext.cn-north-4.myhuaweicloud.com");
    expect(resolveEndpoint("coc", "cn-north-4")).toBe("https://coc.myhuaweicloud.com");
    expect(resolveEndpoint("devuc", "af-south-1")).toBe("https://codearts-devuc.af-south-1.myhuaweicloud.com");
    expect(resolveEndpoint("iam", "eu-west-101")).toBe("https://iam.eu-west-101.myhuaweicloud.eu");
  });
  test("overrides: per service (ours or Terraform's key), or all at once with *", () => {
    expect(resolveEndpoint("pipeline", "cn-north-4", { codearts_pipeline: "http://a/" })).toBe("http://a");
    expect(resolveEndpoint("devuc", "nowhere-1", { "*": "http://127.0.0.1:9" })).toBe("http://127.0.0.1:9");
    expect(resolveEndpoint("coc", "x", { coc: "http://c", "*": "http://all" })).toBe("http://c");
  });
  test("an unknown region says which override to set", () => {
    expect(() => resolveEndpoint("devuc", "cn-north-4")).toThrow(/no known devuc endpoint for region "cn-north-4"; set huaweicloud:endpoints \{"devuc"/);
  });
});
