import { startWorld, type World } from "../harness/world";

export { startWorld, stackConfig, type World } from "../harness/world";

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
