import { z } from "zod";
import { stableJson } from "../dynamic";

/** A 32-character lower-case hexadecimal id, the form of every CodeArts project, account and object id. */
export const hex32 = (what: string) => z.string().regex(/^[0-9a-f]{32}$/, `must be a ${what}: 32 lower-case hexadecimal characters`);

/** A string the API requires and refuses blank (names, languages). */
export const nonBlank = z.string().refine((s) => s.trim() !== "", "must not be empty or blank");

/** A 32-bit integer, the tables' "Integer". */
export const int32 = z
  .number()
  .int("must be an integer")
  .min(-2147483648, "must be a 32-bit integer (at least -2147483648)")
  .max(2147483647, "must be a 32-bit integer (at most 2147483647)");

/** The JSON object held in `text`, or undefined when it is not JSON or not an object. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A JSON document the API carries as a string (an orchestration definition). Users give an object
 * or a string; state keeps the canonical text (sorted keys, no whitespace), and `canonicalJson`
 * turns what the API returns into the same form, so key order, whitespace and the service's own
 * reformatting never show as a change.
 */
export const jsonDocument = (what: string, rule?: { test: (doc: Record<string, unknown>) => boolean; message: string }) =>
  z
    .custom<string | Record<string, unknown>>((v) => typeof v === "string" || (v !== null && typeof v === "object" && !Array.isArray(v)), {
      error: (issue) => (issue.input === undefined ? "is required" : `must be ${what}: a JSON object, or a string holding one`),
    })
    .transform((v, ctx) => {
      const doc = typeof v === "string" ? parseJsonObject(v) : v;
      if (!doc) {
        ctx.addIssue({ code: "custom", message: `must be ${what}: this string does not hold a JSON object` });
        return z.NEVER;
      }
      if (rule && !rule.test(doc)) {
        ctx.addIssue({ code: "custom", message: rule.message });
        return z.NEVER;
      }
      return stableJson(doc);
    });

/** The canonical form of a JSON document the API returned (see jsonDocument); other text is kept as is, and then shows as a change. */
export function canonicalJson(text: string | null | undefined): string | undefined {
  if (text === null || text === undefined) return undefined;
  const doc = parseJsonObject(text);
  return doc ? stableJson(doc) : text;
}

/** camelCase keys → the API's snake_case, one level deep; undefined values dropped. */
export function snakeKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(o)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]),
  );
}

/** The API's snake_case keys → camelCase, one level deep; null and undefined values dropped (the API answers null for "not set"). */
export function camelKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(o)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => [k.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()), v]),
  );
}

/**
 * Where an object of a CodeArts project lives: the id is the plain object id (with `projectId` in
 * the state) or `<projectId>/<objectId>`, the form `Resource.get` is given.
 */
/**
 * The object's own id in an id that may name its container first (`<projectId>/<id>`, `<tenantId>/<id>`,
 * the forms a read by id alone takes): the id a create records. `pulumi import` records this one.
 */
export function ownId(id: string): string {
  return id.slice(id.indexOf("/") + 1);
}

export function locateInProject(kind: string, idName: string, id: string, state: Record<string, unknown>): { projectId: string; objectId: string } {
  const slash = id.indexOf("/");
  if (slash > 0) return { projectId: id.slice(0, slash), objectId: id.slice(slash + 1) };
  const projectId = state.projectId;
  if (typeof projectId !== "string" || projectId === "") {
    throw new Error(`${kind} ${id}: projectId is unknown; pass "<projectId>/<${idName}>" as the id or projectId in the state`);
  }
  return { projectId, objectId: id };
}
