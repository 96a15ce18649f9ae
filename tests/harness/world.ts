import { ApiClient } from "../../provider/client";
import { startEmulator, Emulator, DEFAULT_ACCOUNT, Account, clientSettings, stackConfig as emulatorStackConfig } from "../../emulator";
import { ProviderHost, Engine, ConfigValue, serializedProvider } from ".";

/**
 * What a lifecycle test (and the benchmark) needs: the emulator, the real dynamic-provider host configured for it as
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

/** Kept free of jest's globals: the benchmark builds on it too. */
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
