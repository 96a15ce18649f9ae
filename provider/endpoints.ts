/**
 * Service endpoints per region. The API references list one region per service at most; the official SDKs'
 * region tables (`*Region.ts` in huaweicloud-sdk-nodejs-v3) complete them. Every service can be overridden through the
 * `huaweicloud:endpoints` map (private endpoints, the emulator); the key `"*"` overrides all of them
 * at once, which is how a program is pointed at the emulator (it serves every service on one port).
 */
import { REGION_ID } from "./segments";

export type Service = "pipeline" | "cloudtest" | "coc" | "devuc" | "iam";
export const SERVICES: readonly Service[] = ["pipeline", "cloudtest", "coc", "devuc", "iam"];

/** Keys accepted in `huaweicloud:endpoints`: ours, plus the Terraform provider's names for the same services. */
const OVERRIDE_KEYS: Record<Service, string[]> = {
  pipeline: ["pipeline", "codearts_pipeline", "codeartspipeline"],
  cloudtest: ["cloudtest"],
  coc: ["coc"],
  devuc: ["devuc", "codearts_devuc", "codearts-devuc"],
  iam: ["iam"],
};

/** Every key `huaweicloud:endpoints` accepts: `*` (every service but IAM), then each service's keys. */
export const ENDPOINT_KEYS: readonly string[] = ["*", ...SERVICES.flatMap((s) => OVERRIDE_KEYS[s])];

/** Whether `huaweicloud:endpoints` names the service's endpoint (its own key or "*"), so it is not derived from the region. */
export function endpointOverridden(service: Service, overrides: Record<string, string> = {}): boolean {
  return [...OVERRIDE_KEYS[service], ...(service === "iam" ? [] : ["*"])].some((k) => overrides[k] !== undefined);
}

const PIPELINE_HOSTS: Record<string, string> = {
  // the only region the CodeArts Pipeline API Reference lists (§1.3)
  "eu-west-101": "pipeline-external.eu-west-101.myhuaweicloud.eu",
  // CodeArtsPipelineRegion.ts of the official SDKs
  "cn-north-1": "cloudpipeline-ext.cn-north-1.myhuaweicloud.com",
  "cn-north-4": "cloudpipeline-ext.cn-north-4.myhuaweicloud.com",
  "cn-south-1": "cloudpipeline-ext.cn-south-1.myhuaweicloud.com",
  "cn-south-2": "cloudpipeline-ext.cn-south-2.myhuaweicloud.com",
  "cn-east-3": "cloudpipeline-ext.cn-east-3.myhuaweicloud.com",
  "cn-east-2": "cloudpipeline-ext.cn-east-2.myhuaweicloud.com",
  "cn-southwest-2": "cloudpipeline-ext.cn-southwest-2.myhuaweicloud.com",
  "ap-southeast-3": "cloudpipeline-ext.ap-southeast-3.myhuaweicloud.com",
  "sa-brazil-1": "cloudpipeline-ext.sa-brazil-1.myhuaweicloud.com",
  "la-north-2": "cloudpipeline-ext.la-north-2.myhuaweicloud.com",
  "tr-west-1": "pipeline-external.tr-west-1.myhuaweicloud.com",
  "la-south-2": "pipeline-external.la-south-2.myhuaweicloud.com",
  "af-north-1": "pipeline.af-north-1.myhuaweicloud.com",
  "me-east-1": "pipeline.me-east-1.myhuaweicloud.com",
  "af-south-1": "pipeline.af-south-1.myhuaweicloud.com",
};

const CLOUDTEST_HOSTS: Record<string, string> = {
  // CloudTest API Reference §1.3 lists devcloud.{region} for these three regions
  "la-north-2": "devcloud.la-north-2.myhuaweicloud.com",
  "sa-brazil-1": "devcloud.sa-brazil-1.myhuaweicloud.com",
  "ap-southeast-3": "devcloud.ap-southeast-3.myhuaweicloud.com",
  // CloudtestRegion.ts of the official SDKs
  "cn-north-1": "cloudtest-ext.cn-north-1.myhuaweicloud.com",
  "cn-north-4": "cloudtest-ext.cn-north-4.myhuaweicloud.com",
  "cn-south-1": "cloudtest-ext.cn-south-1.myhuaweicloud.com",
  "cn-east-2": "cloudtest-ext.cn-east-2.myhuaweicloud.cn",
  "cn-east-3": "cloudtest-ext.cn-east-3.myhuaweicloud.com",
};

// COC is a global service (Cloud Operations Center (COC) API Reference §1.3); CocRegion.ts of the official SDKs names these hosts.
const COC_HOSTS: Record<string, string> = {
  "cn-north-4": "coc.myhuaweicloud.com",
  "ap-southeast-3": "coc-intl.myhuaweicloud.com",
  "eu-west-101": "coc-eu-west-101-open-api.myhuaweicloud.eu",
};
const COC_DEFAULT_HOST = "coc.myhuaweicloud.com";

// CodeArts API Reference (VPCEP, English and Chinese editions) §1: the regions where the CodeArts VPCEP (DevUC) API is offered
const DEVUC_REGIONS = ["af-north-1", "af-south-1", "ap-southeast-3", "la-north-2", "la-south-2", "me-east-1", "sa-brazil-1", "tr-west-1"];

/** `.eu` regions live under myhuaweicloud.eu, the rest under myhuaweicloud.com. */
function cloudDomain(region: string): string {
  return region.startsWith("eu-west-101") ? "myhuaweicloud.eu" : "myhuaweicloud.com";
}

export class EndpointError extends Error {}

/**
 * The base URL of a service: an explicit endpoint first; for IAM then `authUrl` (huaweicloud:authUrl,
 * HW_AUTH_URL: the Terraform form ends in /v3, which the token path adds again); else the region's
 * host. The region only reaches a host name when it has the form of a region id.
 */
export function resolveEndpoint(service: Service, region: string, overrides: Record<string, string> = {}, authUrl?: string): string {
  for (const key of [...OVERRIDE_KEYS[service], ...(service === "iam" ? [] : ["*"])]) {
    const url = overrides[key];
    if (url) return url.replace(/\/+$/, "");
  }
  if (service === "iam" && authUrl) return authUrl.replace(/\/+$/, "").replace(/\/v3$/, "");
  if (service === "iam" && overrides["*"]) return overrides["*"].replace(/\/+$/, "");
  if (region !== "" && !REGION_ID.test(region)) {
    throw new EndpointError(`huaweicloud:region must be a region id such as cn-north-4 (lower-case letters, digits and -), not a host name or URL`);
  }
  let host: string | undefined;
  switch (service) {
    case "pipeline":
      host = PIPELINE_HOSTS[region];
      break;
    case "cloudtest":
      host = CLOUDTEST_HOSTS[region];
      break;
    case "coc":
      host = COC_HOSTS[region] ?? COC_DEFAULT_HOST;
      break;
    case "devuc":
      host = DEVUC_REGIONS.includes(region) ? `codearts-devuc.${region}.myhuaweicloud.com` : undefined;
      break;
    case "iam":
      host = region ? `iam.${region}.${cloudDomain(region)}` : undefined;
      break;
  }
  if (!host) {
    throw new EndpointError(`no known ${service} endpoint for region "${region}"; set huaweicloud:endpoints {"${OVERRIDE_KEYS[service][0]}": "https://..."}`);
  }
  return `https://${host}`;
}
