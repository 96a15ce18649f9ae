import { z } from "zod";
import { propertyPath } from "../../provider/dynamic";

/**
 * A bad-input corpus generated from a kind's zod 4 schema: starting from a valid base input, one
 * case per documented constraint (required keys, types, ranges, lengths, patterns, enums, item
 * counts, unknown keys), each breaking exactly one property. Constraints are read by introspection
 * (zod 4.x: `_zod.def.type`, `def.shape`, `def.element`, `def.checks[i]._zod.def`; `_zod.bag` is not
 * filled by checks in the installed zod, so the check defs are the source).
 *
 * Every case is parsed here with the schema first: one the schema accepts (e.g. a transform that
 * tolerates it) is dropped and counted, never sent to the provider as "bad".
 */

export interface BadCase {
  /** The property path the failure must name, as provider/dynamic.ts `propertyPath` writes it. */
  property: string;
  inputs: Record<string, unknown>;
  /** What the case breaks, e.g. "missing required", "too long". */
  rule: string;
}

export interface Corpus {
  cases: BadCase[];
  /** Generated cases the schema accepts, so they are not bad input. */
  dropped: BadCase[];
}

type Path = readonly (string | number)[];
type Node = z.core.$ZodType;
type CheckDef = { check: string; value?: unknown; inclusive?: boolean; minimum?: number; maximum?: number; format?: string; pattern?: RegExp };

/** The key no schema declares, for the "unknown key" case. */
export const UNKNOWN_KEY = "notAProperty";

const defOf = (s: Node) => s._zod.def as z.core.$ZodTypeDef & Record<string, any>;
const checksOf = (s: Node): CheckDef[] => (defOf(s).checks ?? []).map((c: { _zod: { def: CheckDef } }) => c._zod.def);

/** Wrappers that do not change what input is valid, down to the schema that judges the input. */
function core(s: Node): Node {
  const def = defOf(s);
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "catch":
    case "readonly":
    case "nonoptional":
      return core(def.innerType);
    case "pipe":
      return core(def.in); // the input side: a transform after it sees only what `in` accepted
    case "lazy":
      return core(def.getter());
    default:
      return s;
  }
}

/** A required key: the object may not omit it (zod's optin is unset). */
const isRequired = (s: Node) => s._zod.optin === undefined;

/** A copy of `root` with the value at `path` replaced, or removed when `value` is `REMOVE`. */
const REMOVE = Symbol("remove");
function withValue(root: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  const copy = structuredClone(root);
  let cur: any = copy;
  for (const key of path.slice(0, -1)) cur = cur[key];
  const last = path[path.length - 1];
  if (value === REMOVE) delete cur[last];
  else cur[last] = value;
  return copy;
}

/** Values of each JS kind, tried in order for "wrong type": the first the field rejects is used. */
const WRONG_TYPES: readonly unknown[] = [12345, "not-the-right-type", true, ["not-the-right-type"], { notTheRightType: 1 }];
const jsKind = (v: unknown) => (Array.isArray(v) ? "array" : v === null ? "null" : typeof v);

/** Strings for "does not match the pattern", tried in order. */
const PATTERN_MISSES = ["", "!", "not valid!", "#%&", "x".repeat(300)];

export function generateBadInputs(schema: z.ZodType, base: Record<string, unknown>): Corpus {
  const raw: BadCase[] = [];
  const add = (path: Path, rule: string, value: unknown) => raw.push({ property: propertyPath(path), rule, inputs: withValue(base, path, value) });

  function visitObject(s: Node, value: Record<string, unknown>, path: Path) {
    const def = defOf(s);
    for (const [key, field] of Object.entries(def.shape as Record<string, Node>)) {
      if (isRequired(field) && value[key] !== undefined) add([...path, key], "missing required", REMOVE);
      visitField(field, value[key], [...path, key]);
    }
    // A strict object (catchall never) refuses keys it does not declare.
    if (def.catchall && defOf(def.catchall).type === "never") add([...path, UNKNOWN_KEY], "unknown key", "x");
  }

  function visitField(field: Node, value: unknown, path: Path) {
    const s = core(field);
    const def = defOf(s);
    const checks = checksOf(s);

    // Wrong type: a value of another JS kind than the valid one, which the field itself rejects.
    const wrong = WRONG_TYPES.find((v) => (value === undefined || jsKind(v) !== jsKind(value)) && !z.safeParse(s as z.ZodType, v).success);
    if (wrong !== undefined) add(path, "wrong type", wrong);

    switch (def.type) {
      case "number": {
        for (const c of checks) {
          if (c.check === "greater_than") add(path, "below minimum", c.inclusive ? (c.value as number) - 1 : c.value);
          if (c.check === "less_than") add(path, "above maximum", c.inclusive ? (c.value as number) + 1 : c.value);
          if (c.check === "number_format" && /int/.test(c.format ?? "")) add(path, "not an integer", (typeof value === "number" ? value : 1) + 0.5);
        }
        break;
      }
      case "string": {
        for (const c of checks) {
          if (c.check === "min_length" && (c.minimum ?? 0) > 0) add(path, "too short", "x".repeat((c.minimum as number) - 1));
          if (c.check === "max_length") add(path, "too long", "x".repeat((c.maximum as number) + 1));
          if (c.check === "string_format" && c.pattern) {
            const miss = PATTERN_MISSES.find((m) => !new RegExp(c.pattern!.source, c.pattern!.flags.replace("g", "")).test(m));
            if (miss !== undefined) add(path, "pattern mismatch", miss);
          }
        }
        // A refinement cannot be read; blank text is the one probe every string refinement here is about.
        if (checks.some((c) => c.check === "custom")) add(path, "blank (refinement)", "   ");
        break;
      }
      case "enum":
      case "literal":
        add(path, "not in the set", "NOT_IN_THE_SET");
        break;
      case "array": {
        const items = Array.isArray(value) ? value : [];
        for (const c of checks) {
          // Fill with copies of the base items: only the count is wrong.
          if (c.check === "min_length" && (c.minimum ?? 0) > 0) add(path, "too few items", items.slice(0, (c.minimum as number) - 1));
          if (c.check === "max_length" && items.length > 0)
            add(
              path,
              "too many items",
              Array.from({ length: (c.maximum as number) + 1 }, (_, i) => items[i % items.length]),
            );
        }
        // One element stands for all: the same schema judges every element.
        if (items.length > 0) visitField(def.element, items[0], [...path, 0]);
        break;
      }
      case "object":
        if (value !== null && typeof value === "object" && !Array.isArray(value)) visitObject(s, value as Record<string, unknown>, path);
        break;
      case "record": {
        const first = value !== null && typeof value === "object" ? Object.keys(value as object)[0] : undefined;
        if (first !== undefined) visitField(def.valueType, (value as Record<string, unknown>)[first], [...path, first]);
        break;
      }
    }
  }

  if (!schema.safeParse(base).success) throw new Error(`badInputs: the base input is not valid: ${JSON.stringify(schema.safeParse(base).error?.issues)}`);
  visitObject(core(schema), base, []);

  // The same input reached twice (e.g. "too short" of a min(1) string and a pattern miss of "") is one case.
  const seen = new Set<string>();
  const unique = raw.filter((c) => {
    const key = `${c.property}\u0000${JSON.stringify(c.inputs)}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  const cases: BadCase[] = [];
  const dropped: BadCase[] = [];
  for (const c of unique) (schema.safeParse(c.inputs).success ? dropped : cases).push(c);
  return { cases, dropped };
}
