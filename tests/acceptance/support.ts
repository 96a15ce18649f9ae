/**
 * The acceptance suite's world (issue 16 item 1): the real dynamic-provider host, configured either
 * for the Huawei Cloud account the user names (CODEARTS_ACC=1: HW_* environment and/or a
 * `huaweicloud:*` config file) or for the embedded emulator (CODEARTS_ACC=emulator), and an engine
 * stand-in replaying `pulumi up/refresh/destroy` one resource at a time.
 *
 * Nothing here reads the emulator's store when it runs against the cloud: every check goes through
 * the provider (Read). The emulator-only extras (call counts, store inventory) are behind `emu`.
 */
import { sweep, type SweepReport } from "../../cli/sweep";
import * as fs from "fs";
import { randomBytes } from "crypto";
import { loadSettings, type Settings } from "../../provider/config";
import { startEmulator, DEFAULT_ACCOUNT, seedTestCases, seedVpcepRecords, stackConfig as emulatorStackConfig, type Emulator, type Account } from "../../emulator";
import { ProviderHost, Engine, serializedProvider, type ConfigValue } from "../harness";

export type AccMode = "off" | "cloud" | "emulator";

export const SKIP_LINE = "skipped: acceptance tests need CODEARTS_ACC=1 (a Huawei Cloud account, see docs/acceptance.md) or CODEARTS_ACC=emulator";

/** CODEARTS_ACC → the mode; any other value is an error naming the allowed ones. */
export function accMode(env: NodeJS.ProcessEnv = process.env): AccMode {
  const v = env.CODEARTS_ACC;
  if (v === undefined || v === "") return "off";
  if (v === "1") return "cloud";
  if (v === "emulator") return "emulator";
  throw new Error(
    `CODEARTS_ACC=${JSON.stringify(v)} is not understood: use CODEARTS_ACC=1 (a Huawei Cloud account, see docs/acceptance.md), CODEARTS_ACC=emulator (the embedded emulator), or leave it unset (skip)`,
  );
}

/** One visible line on the terminal (jest's console.* would add a header and a stack location). */
export function say(line: string): void {
  process.stdout.write(`[acceptance] ${line}\n`);
}

/**
 * The run's name prefix, `acc-<unix time>-<4 hex>`, and its form for names whose rule forbids `-`
 * (COC script names: letters, digits, underscore, §4.2.1; plug-in names are given the same form, the
 * API references give no rule for them and the console's plug-in ids are identifiers): `acc_<unix time>_<4 hex>`.
 */
export function runPrefix(now = Date.now()): { dashed: string; underscored: string } {
  const dashed = `acc-${Math.floor(now / 1000)}-${randomBytes(2).toString("hex")}`;
  return { dashed, underscored: dashed.replace(/-/g, "_") };
}

/** What the user names for a cloud run (and the emulator seeds for its own). */
export interface AccInputs {
  /** The CodeArts project (32 hex) Pipeline, PipelineGroup and TestPlan resources are made in. */
  codeartsProjectId: string;
  /** An existing CloudTest test case id, for the TestPlan batch-add step; undefined: that step is skipped. */
  testCaseId?: string;
  /** The test type (service id) of that case and of the plan's service_id_list. */
  testServiceId: number;
  /** Existing VPCEP access record ids the VpcepAccessControl lifecycle REVOKES; empty: that lifecycle is skipped. */
  vpcepIds: string[];
  /** The region of the VPCEP records (the provider's `huaweicloud:region`). */
  region: string;
}

export interface AccWorld {
  mode: "cloud" | "emulator";
  prefix: { dashed: string; underscored: string };
  host: ProviderHost;
  engine: Engine;
  /** The settings the provider runs with (for the sweeper backstop). */
  settings: Settings;
  inputs: AccInputs;
  /** Emulator mode only. */
  emu?: Emulator;
  /**
   * Emulator mode only: seeds what the user would name for a cloud run (a test case, access records),
   * just before the kind's lifecycle, so a filtered run (-t) leaves no seeded record of the prefix.
   */
  seed?(kind: string): void;
  account?: Account;
  close(): Promise<void>;
}

/**
 * `huaweicloud:*` stack config for a cloud run: CODEARTS_ACC_CONFIG names a JSON file, either
 * `{"huaweicloud:region": "cn-north-4", …}` or the shape of `pulumi config --json --show-secrets`
 * (`{"huaweicloud:region": {"value": "…", "secret": false}}`). HW_* environment variables fill the rest
 * (the provider's normal fallback, provider/config.ts).
 */
function cloudStackConfig(env: NodeJS.ProcessEnv): Record<string, ConfigValue> {
  const file = env.CODEARTS_ACC_CONFIG;
  if (!file) return {};
  const raw = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  const out: Record<string, ConfigValue> = {};
  for (const [key, v] of Object.entries(raw)) {
    if (!key.startsWith("huaweicloud:")) continue;
    if (typeof v === "string") out[key] = v;
    else if (v && typeof v === "object" && typeof (v as { value?: unknown }).value === "string") {
      const { value, secret } = v as { value: string; secret?: boolean };
      out[key] = secret ? { secret: value } : value;
    } else throw new Error(`CODEARTS_ACC_CONFIG ${file}: ${key} must be a string or {"value": "…", "secret": bool}`);
  }
  return out;
}

const plain =
  (c: Record<string, ConfigValue>) =>
  (key: string): string | undefined => {
    const v = c[key];
    return v === undefined ? undefined : typeof v === "string" ? v : v.secret;
  };

const HEX32 = /^[0-9a-f]{32}$/;

export async function startAccWorld(mode: "cloud" | "emulator", env: NodeJS.ProcessEnv = process.env): Promise<AccWorld> {
  const prefix = runPrefix();
  if (mode === "emulator") {
    const emu = await startEmulator({ port: 0, quiet: true });
    const account = DEFAULT_ACCOUNT;
    const config = { ...emulatorStackConfig(emu, account), "huaweicloud:maxRetries": "3" };
    // The host must not pick up a real account from the environment: every HW_*/OS_* fallback is blanked.
    const blank = Object.fromEntries(
      Object.keys(env)
        .filter((k) => /^(HW|OS)_/.test(k))
        .map((k) => [k, ""]),
    );
    const host = await ProviderHost.start({ env: blank });
    await host.configure(config);
    const codeartsProjectId = account.codeartsProjects[0];
    const testCaseId = "c1000000000000000000000000000001";
    const testServiceId = 1;
    const region = account.iamProjects[0].name;
    const vpcepIds = [`${prefix.dashed}-a`, `${prefix.dashed}-b`];
    const engine = new Engine(host, { providerFor: serializedProvider, project: "acceptance", stack: prefix.dashed });
    return {
      mode,
      prefix,
      host,
      engine,
      emu,
      account,
      seed(kind) {
        if (kind === "TestPlan") seedTestCases(emu.store, codeartsProjectId, testServiceId, [testCaseId]);
        if (kind === "VpcepAccessControl") seedVpcepRecords(emu.store, account.domainId, region, vpcepIds);
      },
      settings: loadSettings(plain(config), {}),
      inputs: { codeartsProjectId, testCaseId, testServiceId, vpcepIds, region },
      async close() {
        await host.close();
        await emu.close();
      },
    };
  }
  const config = cloudStackConfig(env);
  const settings = loadSettings(plain(config), env);
  const missing: string[] = [];
  if (!settings.region) missing.push("HW_REGION_NAME (or huaweicloud:region)");
  if (!settings.projectId) missing.push("HW_PROJECT_ID (or huaweicloud:projectId)");
  const codeartsProjectId = env.CODEARTS_ACC_PROJECT_ID ?? "";
  if (!HEX32.test(codeartsProjectId)) missing.push("CODEARTS_ACC_PROJECT_ID (the CodeArts project id, 32 hex)");
  if (missing.length) throw new Error(`CODEARTS_ACC=1 needs ${missing.join(", ")}; see docs/acceptance.md`);
  const serviceId = env.CODEARTS_ACC_TEST_SERVICE_ID ?? "0";
  if (!/^\d+$/.test(serviceId)) throw new Error("CODEARTS_ACC_TEST_SERVICE_ID must be a whole number (the test type of CODEARTS_ACC_TEST_CASE_ID)");
  const vpcepIds = (env.CODEARTS_ACC_VPCEP_IDS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const host = await ProviderHost.start();
  await host.configure(config);
  const engine = new Engine(host, { providerFor: serializedProvider, project: "acceptance", stack: prefix.dashed });
  return {
    mode,
    prefix,
    host,
    engine,
    settings,
    inputs: { codeartsProjectId, testCaseId: env.CODEARTS_ACC_TEST_CASE_ID || undefined, testServiceId: Number(serviceId), vpcepIds, region: settings.region! },
    close: () => host.close(),
  };
}

/**
 * The backstop after the run's own destroy: the sweeper (cli/sweep.ts) over the run's prefix, with
 * --yes, deleting whatever the destroy left (a resource the state lost, a create that failed late).
 */
export function backstopSweep(opts: { settings: Settings; prefix: string; codeartsProjectId?: string; log?: (line: string) => void }): Promise<SweepReport> {
  return sweep({ ...opts, yes: true });
}
