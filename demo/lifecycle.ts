import { ApiClient } from "../provider/client";
import { clientSettings, type Account, type Emulator } from "../emulator";
import type { Engine } from "../tests/harness";

/**
 * A resource kind's lifecycle as the demo runs it through the real dynamic-provider host:
 * create, read, no-op, update, drift, out-of-band delete, destroy. Each step reports one line.
 */
export interface StepLine {
  kind: string;
  operation: string;
  result: string;
  apiCalls: number;
  ms: number;
}

export interface DemoContext {
  emu: Emulator;
  engine: Engine;
  account: Account;
  /** A separate client that changes things behind the provider's back. */
  outOfBand: ApiClient;
}

export type Scenario = (ctx: DemoContext, step: (operation: string, run: () => Promise<string>) => Promise<void>) => Promise<void>;

export function outOfBandClient(emu: Emulator, account: Account): ApiClient {
  return new ApiClient(clientSettings(emu, account));
}

export function formatTable(lines: StepLine[]): string {
  const head = ["kind", "operation", "result", "API calls", "ms"];
  const rows = lines.map((l) => [l.kind, l.operation, l.result, String(l.apiCalls), String(l.ms)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join("  ");
  return [fmt(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(fmt)].join("\n");
}
