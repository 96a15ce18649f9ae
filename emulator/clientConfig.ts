import { loadSettings, Settings } from "../provider/config";
import { Account, DEFAULT_ACCOUNT } from "./accounts";

/** How a program, a test or the demo points at an emulator: as client settings, or as stack config. */
export function clientSettings(emu: { url: string }, account: Account = DEFAULT_ACCOUNT): Settings {
  return {
    ...loadSettings(() => undefined, {}),
    region: account.iamProjects[0].name,
    accessKey: account.accessKey,
    secretKey: account.secretKey,
    domainId: account.domainId,
    // The region's project: COC under AK/SK needs X-Project-Id where scope headers are enforced (G5).
    projectId: account.iamProjects[0].id,
    endpoints: { "*": emu.url },
  };
}

/** The same as `pulumi config set` would store it: the secret key marked secret. */
export function stackConfig(emu: { url: string }, account: Account = DEFAULT_ACCOUNT): Record<string, string | { secret: string }> {
  return {
    "huaweicloud:region": account.iamProjects[0].name,
    "huaweicloud:accessKey": account.accessKey,
    "huaweicloud:secretKey": { secret: account.secretKey },
    "huaweicloud:domainId": account.domainId,
    "huaweicloud:projectId": account.iamProjects[0].id,
    "huaweicloud:endpoints": JSON.stringify({ "*": emu.url }),
  };
}
