import type { Dialect } from "../dialects";

/**
 * Ambiguity N1: whether a service refuses a second object with the same name (a group under one
 * parent, a template, a pipeline in its project, a rule, a rule set, an open-source policy, a
 * publisher, a plug-in's display name). The API references are silent, and name no "already exists" code for
 * any of these (the Terraform provider has none either); under `unique` the emulator answers the
 * family's documented "invalid parameter" error (§5.2 DEVCP.00014004, which the emulator already
 * answers for a plug-in name that exists) with a message naming the duplicate. The one place each
 * create handler asks: `if (nameTaken(ctx, name, siblings)) return <family's invalid>(message)`.
 */
export function nameTaken(ctx: { dialect: Dialect }, name: string | null | undefined, existing: Iterable<{ name?: string | null }>): boolean {
  if (!ctx.dialect.is("N1", "unique") || name === undefined || name === null) return false;
  for (const o of existing) if (o.name === name) return true;
  return false;
}

export const nameExists = (what: string, name: string): string => `The ${what} name ${name} already exists.`;
