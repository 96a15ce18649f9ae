import * as fs from "fs";
import type { z } from "zod";
import { KINDS } from "../provider/kinds";
import { CONFIG_KEYS, SECRET_KEYS } from "../provider/config";
import { tokenOf, TOKENS } from "../provider/plugin/tokens";
import * as generated from "../sdk/kinds.generated";

/**
 * schema.json, the plugin's package schema, is committed and generated from the kinds
 * (scripts/generate-schema.js); this fails when a kind changed without `npm run gen:schema`, and checks
 * the schema against the kinds themselves (their zod schemas, replaceOn, secrets, outputs), not against
 * the generator's own reading of them. Pulumi's own validation of it (metaschema, binding, code
 * generation, `pulumi package get-schema`) is in tests/engine/pluginSchema.test.ts.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain CommonJS script without types
const { generate, TARGET } = require("../scripts/generate-schema.js") as { generate(): string; TARGET: string };

interface PropertySpec {
  type?: string;
  $ref?: string;
  items?: PropertySpec;
  additionalProperties?: PropertySpec;
  secret?: boolean;
  replaceOnChanges?: boolean;
  default?: unknown;
  description?: string;
}
interface Schema {
  name: string;
  version: string;
  config: { variables: Record<string, PropertySpec> };
  provider: { inputProperties: Record<string, PropertySpec> };
  functions: Record<string, { description: string; inputs: { properties: Record<string, PropertySpec> }; outputs: { properties: Record<string, PropertySpec> } }>;
  types: Record<string, { type: string; enum?: { name: string; value: unknown }[]; properties?: Record<string, PropertySpec>; required?: string[] }>;
  resources: Record<
    string,
    { description: string; properties: Record<string, PropertySpec>; required?: string[]; inputProperties: Record<string, PropertySpec>; requiredInputs?: string[] }
  >;
}
const schema = JSON.parse(fs.readFileSync(TARGET, "utf8")) as Schema;
const kinds = Object.entries(KINDS) as [string, (typeof KINDS)[keyof typeof KINDS]][];
const shapeOf = (k: (typeof KINDS)[keyof typeof KINDS]) => k.schema.shape as Record<string, z.ZodType>;
const keysWhere = (props: Record<string, PropertySpec>, flag: "secret" | "replaceOnChanges") =>
  Object.keys(props)
    .filter((k) => props[k][flag] === true)
    .sort();

test("schema.json is what `npm run gen:schema` writes", () => {
  expect(fs.readFileSync(TARGET, "utf8")).toBe(generate());
});

test("one resource per kind, named codearts:index:<Kind>, and nothing else", () => {
  expect(schema.name).toBe("codearts");
  expect(schema.version).toBe(JSON.parse(fs.readFileSync(require.resolve("../package.json"), "utf8")).version);
  expect(Object.keys(schema.resources)).toEqual(TOKENS);
  expect(TOKENS).toEqual(Object.keys(KINDS).map((k) => `codearts:index:${k}`));
});

describe.each(kinds)("%s", (name, kind) => {
  const res = () => schema.resources[tokenOf(name)];

  test("every input of its zod schema, required exactly when the schema cannot do without it", () => {
    expect(Object.keys(res().inputProperties).sort()).toEqual(Object.keys(shapeOf(kind)).sort());
    // Required: undefined is refused (an optional input or one with a default accepts it).
    const required = Object.entries(shapeOf(kind))
      .filter(([, t]) => !t.safeParse(undefined).success)
      .map(([k]) => k);
    expect([...(res().requiredInputs ?? [])].sort()).toEqual(required.sort());
  });

  test("replaceOnChanges exactly on the inputs that replace; secret exactly on the kind's secret inputs, in and out", () => {
    expect(keysWhere(res().inputProperties, "replaceOnChanges")).toEqual([...kind.replaceOn].sort());
    const secrets = [...((kind as { secrets?: readonly string[] }).secrets ?? [])].sort();
    expect(keysWhere(res().inputProperties, "secret")).toEqual(secrets);
    expect(keysWhere(res().properties, "secret")).toEqual(secrets);
  });

  test("its output properties are the SDK's (sdk/kinds.generated.ts), required where the outputs type requires them", () => {
    const keys = (generated as unknown as Record<string, readonly string[]>)[`${name[0].toLowerCase()}${name.slice(1)}OutputKeys`];
    expect(Object.keys(res().properties)).toEqual([...keys]);
    for (const k of res().required ?? []) expect(keys).toContain(k);
  });

  test("enums and defaults behave as the zod schema does", () => {
    for (const [key, spec] of Object.entries(res().inputProperties)) {
      const t = shapeOf(kind)[key];
      if (spec.default !== undefined) expect([key, t.parse(undefined)]).toEqual([key, spec.default]);
      if (spec.$ref && schema.types[spec.$ref.replace("#/types/", "")]?.enum) {
        const values = schema.types[spec.$ref.replace("#/types/", "")].enum!.map((e) => e.value);
        for (const v of values) expect([key, v, t.safeParse(v).success]).toEqual([key, v, true]);
        expect([key, t.safeParse("not-one-of-them").success]).toEqual([key, false]);
      }
    }
  });

  test("a description, saying how to import it (or why it cannot be)", () => {
    expect(res().description).toContain("## Import");
    const noImport = (kind as { noImport?: string }).noImport;
    expect(res().description).toContain(noImport ? `${name} cannot be imported` : `pulumi import ${tokenOf(name)} <name> <id>`);
  });
});

test("every type a property refers to is defined", () => {
  const refs = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        if (k === "$ref" && typeof x === "string" && x.startsWith("#/types/")) refs.add(x.slice("#/types/".length));
        else walk(x);
      }
    }
  };
  walk(schema.resources);
  walk(schema.functions);
  walk(schema.types);
  expect([...refs].filter((r) => !schema.types[r])).toEqual([]);
  expect(Object.keys(schema.types).filter((t) => !refs.has(t))).toEqual([]);
});

test("the provider's configuration: the dynamic provider's keys, secret where they are secret, in the codearts namespace", () => {
  expect(Object.keys(schema.config.variables)).toEqual(CONFIG_KEYS);
  expect(schema.provider.inputProperties).toEqual(schema.config.variables);
  expect(keysWhere(schema.config.variables, "secret")).toEqual([...SECRET_KEYS].sort());
  // Descriptions name the keys as the plugin's users set them.
  expect(JSON.stringify(schema).match(/huaweicloud:(region|accessKey|secretKey|domainId|projectId|endpoints)\b/g)).toBeNull();
});
