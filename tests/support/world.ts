import { ApiClient } from "../../provider/client";
import { startEmulator, Emulator, DEFAULT_ACCOUNT, Account, clientSettings, stackConfig as emulatorStackConfig } from "../../emulator";
import { ProviderHost, Engine, ConfigValue, serializedProvider } from "../harness";

/**
 * What a lifecycle test needs: the emulator, the real dynamic-provider host configured for it as
 * the engine would (stack config with secrets), an engine replaying `pulumi up/refresh/destroy`,
 * and a separate client that changes things behind the provider's back.
 */
export interface World {
  emu: Emulator;
  host: ProviderHost;
  engine: Engine;
  account: Account;
  /** A client of its own, for out-of-band changes (drift) and for checking the service's truth. */
  outOfBand: ApiClient;
  /** API calls the emulator served since `mark`, optionally only those of one operation prefix. */
  callsSince(mark: number, operationPrefix?: string): number;
  close(): Promise<void>;
}

/** Stack config for the emulator, with a bounded retry count so fault tests stay quick. */
export function stackConfig(emu: Emulator, account: Account = DEFAULT_ACCOUNT): Record<string, ConfigValue> {
  return { ...emulatorStackConfig(emu, account), "huaweicloud:maxRetries": "3" };
}

export async function startWorld(opts: { config?: (emu: Emulator) => Record<string, ConfigValue>; dialect?: Record<string, string> } = {}): Promise<World> {
  const emu = await startEmulator({ port: 0, quiet: true, dialect: opts.dialect });
  const host = await ProviderHost.start();
  await host.configure(opts.config ? opts.config(emu) : stackConfig(emu));
  const engine = new Engine(host, { providerFor: serializedProvider });
  const account = DEFAULT_ACCOUNT;
  const outOfBand = new ApiClient(clientSettings(emu, account));
  return {
    emu,
    host,
    engine,
    account,
    outOfBand,
    callsSince: (mark, prefix) => emu.log.since(mark).filter((e) => !prefix || (e.operation ?? "").startsWith(prefix)).length,
    async close() {
      await outOfBand.close();
      await host.close();
      await emu.close();
    },
  };
}

/** Bad input: refused at check naming the property and the rule, with zero API calls and nothing in state. */
export async function expectRefusedAtCheck(w: World, type: string, inputs: Record<string, unknown>, property: string, reason: RegExp, name = "bad"): Promise<void> {
  const mark = w.emu.log.mark();
  const r = await w.engine.up(type, name, inputs);
  expect(r.op).toBe("invalid");
  expect(r.failures).toEqual(expect.arrayContaining([{ property, reason: expect.stringMatching(reason) }]));
  expect(w.emu.log.since(mark)).toHaveLength(0);
  expect(w.engine.state.has(w.engine.urn(type, name))).toBe(false);
}

export interface RefusalCase {
  /** The property a failure must name, exactly (not a parent or child path). Others may be named too: a cross-field rule can add its own. */
  property: string;
  reason: RegExp;
  inputs: Record<string, unknown>;
  /** How the case is shown when it is not refused, e.g. "too long". */
  label: string;
}

/**
 * Many bad inputs through one host, `chunk` at a time (each under its own resource name): what
 * `expectRefusedAtCheck` asserts, for each case, returned as a list of problems (empty when every
 * case was refused at check, a failure naming its property with its reason, nothing in state) so a failing
 * corpus shows every miss at once. Zero API calls is asserted over the whole batch: nothing else runs
 * against this world meanwhile, so none means none for each case.
 */
export async function refusedAtCheck(w: World, type: string, cases: readonly RefusalCase[], chunk = 10): Promise<string[]> {
  const mark = w.emu.log.mark();
  const problems: string[] = [];
  for (let start = 0; start < cases.length; start += chunk) {
    await Promise.all(
      cases.slice(start, start + chunk).map(async (c, i) => {
        const name = `bad-${start + i}`;
        const shown = `${c.label} at ${c.property}`;
        const r = await w.engine.up(type, name, c.inputs);
        if (r.op !== "invalid") problems.push(`${shown}: not refused (op ${r.op})`);
        const failures = r.failures ?? [];
        if (!failures.some((f) => f.property === c.property && c.reason.test(f.reason))) {
          problems.push(`${shown}: no failure naming it with ${c.reason}; got ${JSON.stringify(failures)}`);
        }
        if (w.engine.state.has(w.engine.urn(type, name))) problems.push(`${shown}: recorded in the state`);
      }),
    );
  }
  const calls = w.emu.log.since(mark).length;
  if (calls > 0) problems.push(`${calls} API call(s) during checks that must make none`);
  return problems;
}

/**
 * API calls per labelled step, for the figures a lifecycle test prints (and the issue notes quote):
 * `measured("create", () => w.engine.up(...))` runs the step and records how many calls it made.
 */
export function callCounter(world: () => World): { calls: Record<string, number>; measured: <T>(label: string, step: () => Promise<T>) => Promise<T> } {
  const calls: Record<string, number> = {};
  return {
    calls,
    async measured(label, step) {
      const w = world();
      const mark = w.emu.log.mark();
      const out = await step();
      calls[label] = w.callsSince(mark);
      return out;
    },
  };
}

/** A world speaking `dialect` for the length of `body`, closed whatever happens (the dialect suites' scenarios). */
export async function inWorld(dialect: Record<string, string>, body: (w: World) => Promise<void>): Promise<void> {
  const w = await startWorld({ dialect });
  try {
    await body(w);
  } finally {
    await w.close();
  }
}
