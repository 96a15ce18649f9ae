import type { EngineEvent } from "@pulumi/pulumi/automation";
import { DEFAULT_ACCOUNT, seedVpcepRecords, startEmulator, type Emulator, type LogEntry } from "../../emulator";
import { PLATFORM_PROGRAM } from "../harness/engineProgram";
import { outOfBand, platformConfig, VPCEP_REGION, VPCEPS } from "../harness/recordEvents";
import { programFrom, RealStack, type ExportedResource, type RealRun } from "../harness/realEngine";
import { pluginDoor } from "../harness/pluginDoor";
import { isSecret } from "../harness/languagePrograms";
import { PLUGIN_DIR } from "../harness/cliStack";

/**
 * Same behaviour through both doors: the example platform program (every kind, wired by references) runs
 * unchanged through the dynamic resources and through the resource-provider plugin (the package's class
 * names standing for `codearts:index:<Kind>`: tests/harness/pluginDoor.ts), each against its own emulator
 * frozen at the same instant, through the real CLI. After each operation the two doors must have made the
 * same API calls, planned the same steps, and hold the same state and stack outputs, once each door's ids
 * are named by the resource that owns them.
 */
type Door = "dynamic" | "plugin";
const DOORS: Door[] = ["dynamic", "plugin"];
const NOW = new Date();
const run: Record<Door, { emu: Emulator; stack: RealStack }> = {} as never;

beforeAll(async () => {
  for (const door of DOORS) {
    const emu = await startEmulator({ port: 0, quiet: true, clock: () => NOW });
    seedVpcepRecords(emu.store, DEFAULT_ACCOUNT.domainId, VPCEP_REGION, VPCEPS);
    const config = platformConfig(emu);
    // The plugin reads the same settings from its own namespace.
    const pluginConfig = Object.fromEntries(Object.entries(config).flatMap(([k, v]) => (k.startsWith("huaweicloud:") ? [[k.replace(/^huaweicloud:/, "codearts:"), v]] : [])));
    const stack = await RealStack.create({
      program: programFrom(PLATFORM_PROGRAM, door === "plugin" ? { "pulumi-codearts": pluginDoor() } : {}),
      config: { ...config, ...pluginConfig },
      ...(door === "plugin" ? { providerPlugins: { codearts: PLUGIN_DIR } } : {}),
    });
    run[door] = { emu, stack };
  }
});
afterAll(async () => {
  for (const door of DOORS) {
    await run[door]?.stack.dispose();
    await run[door]?.emu.close();
  }
});

interface Seen {
  /** The types of the stack's resources: the doors differ here, and only here. */
  types: string[];
  calls: string[];
  /**
   * `calls` with each read once: identical reads in flight at the same time are one request
   * (provider/sharedReads.ts), so how many a read costs depends on how the engine's concurrent steps overlap.
   */
  writesAndReadSet: string[];
  steps: string[];
  state: Record<string, unknown>;
  outputs: unknown;
}

const isProvider = (r: { type: string }) => r.type.startsWith("pulumi:providers:");
const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/** Each door's ids replaced by `<id:name>`, any other service-made hex id by `<hex>`, secrets by `[secret]`. */
function normalizer(resources: ExportedResource[]): (v: unknown) => unknown {
  const ids = resources
    .filter((r) => r.custom && r.id && !isProvider(r))
    .map((r) => [r.id!, `<id:${nameOf(r.urn)}>`] as const)
    .sort(([a], [b]) => b.length - a.length);
  const text = (s: string) => ids.reduce((t, [id, name]) => t.split(id).join(name), s).replace(/\b[0-9a-f]{32}\b/g, "<hex>");
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return text(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") {
      if (isSecret(v)) return "[secret]";
      return Object.fromEntries(
        Object.entries(v)
          .filter(([k]) => k !== "__provider")
          .map(([k, x]) => [k, walk(x)]),
      );
    }
    return v;
  };
  return walk;
}

/** A step of the engine's log, as `<op> <name>` (the type differs between the doors by design). */
function steps(events: EngineEvent[]): string[] {
  return events
    .map((e) => e.resOutputsEvent?.metadata)
    .filter((m): m is NonNullable<typeof m> => !!m && !m.type.startsWith("pulumi:providers:") && m.type !== "pulumi:pulumi:Stack")
    .map((m) => `${m.op} ${nameOf(m.urn)}`)
    .sort();
}

async function observe(door: Door, r: RealRun, calls: LogEntry[]): Promise<Seen> {
  const { resources } = await run[door].stack.exported();
  const norm = normalizer(resources);
  const state = Object.fromEntries(
    resources
      .filter((x) => x.custom && !isProvider(x))
      .map((x) => [nameOf(x.urn), norm({ id: x.id, inputs: x.inputs, outputs: x.outputs })])
      .sort(([a], [b]) => String(a).localeCompare(String(b))),
  );
  const outputs = norm(Object.fromEntries(Object.entries(await run[door].stack.stack.outputs()).map(([k, o]) => [k, o.secret ? "[secret]" : o.value])));
  const types = [...new Set(resources.filter((x) => x.custom && !isProvider(x)).map((x) => x.type))].sort();
  const named = calls.map((c) => ({ read: isRead(c), name: String(norm(c.operation ?? `${c.method} ${c.path}`)) }));
  const writesAndReadSet = [...named.filter((c) => !c.read).map((c) => c.name), ...new Set(named.filter((c) => c.read).map((c) => `read ${c.name}`))].sort();
  return { types, calls: named.map((c) => c.name).sort(), writesAndReadSet, steps: steps(r.events), state, outputs };
}

/** Runs the operation through both doors (one after the other) and answers what each did. */
async function both(operation: "preview" | "up" | "refresh" | "destroy"): Promise<Record<Door, Seen>> {
  const seen = {} as Record<Door, Seen>;
  for (const door of DOORS) {
    const mark = run[door].emu.log.mark();
    const r = await run[door].stack.run(operation);
    if (!r.ok) throw new Error(`${door} ${operation}: ${r.error}`);
    seen[door] = await observe(door, r, run[door].emu.log.since(mark));
  }
  return seen;
}

/** A request that changes nothing: a GET, or one of the POST listings the provider marks as reads. */
const isRead = (c: LogEntry) => c.method === "GET" || /\.(list|listBasic|runs|detail|relation)$/.test(c.operation ?? "");

function expectSame(seen: Record<Door, Seen>): void {
  expect(seen.plugin.writesAndReadSet).toEqual(seen.dynamic.writesAndReadSet);
  expect(seen.plugin.steps).toEqual(seen.dynamic.steps);
  expect(seen.plugin.state).toEqual(seen.dynamic.state);
  expect(seen.plugin.outputs).toEqual(seen.dynamic.outputs);
}

test("preview of a new stack: no API call through either door, the same steps planned", async () => {
  const seen = await both("preview");
  expect(seen.dynamic.calls).toEqual([]);
  expect(seen.dynamic.steps.length).toBeGreaterThan(12);
  expectSame(seen);
});

test("up: the same calls, state and outputs", async () => {
  const seen = await both("up");
  expect(seen.dynamic.calls.length).toBeGreaterThan(20);
  expect(Object.keys(seen.dynamic.state).length).toBe(seen.dynamic.steps.length);
  // Twelve kinds, each by its own type: pulumi-nodejs:dynamic/codearts:<Kind> through one door, codearts:index:<Kind> through the other.
  expect(seen.dynamic.types.map((t) => t.replace("pulumi-nodejs:dynamic/codearts:", "codearts:index:"))).toEqual(seen.plugin.types);
  expect(seen.plugin.types.length).toBe(12);
  expect(seen.plugin.types.every((t) => t.startsWith("codearts:index:"))).toBe(true);
  expectSame(seen);
});

test("up again: nothing to do through either door", async () => {
  const seen = await both("up");
  expect(seen.dynamic.steps.every((s) => s.startsWith("same "))).toBe(true);
  expectSame(seen);
});

test("a change of the team's name: the same updates and replacements", async () => {
  for (const door of DOORS) await run[door].stack.setConfig({ "codearts-platform:teamName": "Payments" });
  const preview = await both("preview");
  expect(preview.dynamic.calls).toEqual([]);
  expectSame(preview);
  const up = await both("up");
  expect(up.dynamic.steps.some((s) => s.startsWith("update "))).toBe(true);
  expectSame(up);
});

test("refresh after a rename in the console: the same drift recorded", async () => {
  for (const door of DOORS) {
    outOfBand(
      run[door].emu,
      "pipelineGroups",
      (g) => g.name === "Payments" && !g.parent_id,
      (g) => (g.name = "Payments (renamed in console)"),
    );
  }
  const seen = await both("refresh");
  expect(seen.dynamic.steps).toContain("update team");
  expect((seen.dynamic.state.team as { outputs: { name: string } }).outputs.name).toBe("Payments (renamed in console)");
  expectSame(seen);
});

test("destroy: the same deletes, nothing left in the state", async () => {
  const seen = await both("destroy");
  expect(seen.dynamic.state).toEqual({});
  expectSame(seen);
});
