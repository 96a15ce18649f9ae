import * as fs from "fs";
import type { z } from "zod";
import { KINDS } from "../provider/kinds";
import type { KindTypes } from "../sdk/kinds.generated";

// sdk/kinds.generated.ts is committed (the build must not need the generator); this fails when a
// schema or an Outputs interface changed without `npm run gen:types`.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain .js script, with no type declarations to import
const { generate, TARGET } = require("../scripts/generate-sdk-types.js") as { generate(): string; TARGET: string };

test("sdk/kinds.generated.ts is what `npm run gen:types` writes", () => {
  const fresh = generate();
  const committed = fs.readFileSync(TARGET, "utf8");
  if (committed !== fresh) throw new Error("sdk/kinds.generated.ts is stale: run `npm run gen:types` and commit the result");
});

// Checked by `npm run typecheck` (and ts-jest): the printed types are the types the provider works
// with, not merely text that compiles.
type Kinds = typeof KINDS;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Without the `Record<string, unknown>` index signature the provider's Outputs interfaces extend. */
type Known<T> = { [K in keyof T as string extends K ? never : K]: T[K] };
type OutputsOf<K extends keyof Kinds> = Awaited<ReturnType<Kinds[K]["create"]>>["outs"];
type Generated<K extends keyof Kinds> = KindTypes[K]["outputs"];

const declaredMatches: { [K in keyof Kinds]: Same<KindTypes[K]["declared"], z.input<Kinds[K]["schema"]>> } = {
  PipelineGroup: true,
  PipelineTemplate: true,
  Pipeline: true,
  Publisher: true,
  Plugin: true,
  PluginVersion: true,
  Rule: true,
  RuleSet: true,
  OpenSourcePolicy: true,
  Script: true,
  ScriptRun: true,
  TestPlan: true,
  ApiTestSuite: true,
  VpcepAccessControl: true,
};
// Every property the provider's Outputs type lists, with its type; and the declared inputs kept in state.
const outputsMatch: {
  [K in keyof Kinds]: [
    Same<Pick<Generated<K>, keyof Known<OutputsOf<K>> & keyof Generated<K>>, Known<OutputsOf<K>>>,
    Same<
      Pick<Generated<K>, Exclude<keyof z.output<Kinds[K]["schema"]>, keyof Known<OutputsOf<K>>> & keyof Generated<K>>,
      Omit<z.output<Kinds[K]["schema"]>, keyof Known<OutputsOf<K>>>
    >,
  ];
} = {
  PipelineGroup: [true, true],
  PipelineTemplate: [true, true],
  Pipeline: [true, true],
  Publisher: [true, true],
  Plugin: [true, true],
  PluginVersion: [true, true],
  Rule: [true, true],
  RuleSet: [true, true],
  OpenSourcePolicy: [true, true],
  Script: [true, true],
  ScriptRun: [true, true],
  TestPlan: [true, true],
  ApiTestSuite: [true, true],
  VpcepAccessControl: [true, true],
};

test("every kind's generated types were checked against the provider's (at compile time)", () => {
  expect(Object.keys(declaredMatches)).toHaveLength(Object.keys(KINDS).length);
  expect(Object.keys(outputsMatch)).toHaveLength(Object.keys(KINDS).length);
});
