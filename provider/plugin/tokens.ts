import { KINDS, type KindName } from "../kinds";
import { type Lookup, lookupNamed } from "../lookups";

/**
 * The package's name and type tokens, chosen once for the package's life (docs/plugin.md says why):
 * every kind is `codearts:index:<Kind>`, the kind's name in provider/kinds.ts; the provider resource
 * is `pulumi:providers:codearts` and its configuration the `codearts:` namespace.
 */
export const PACKAGE = "codearts";
export const MODULE = "index";

export function tokenOf(kind: KindName | string): string {
  return `${PACKAGE}:${MODULE}:${kind}`;
}

/** Every resource token the plugin serves, in provider/kinds.ts order. */
export const TOKENS: readonly string[] = Object.keys(KINDS).map(tokenOf);

/**
 * The kind a request is for: its type (engines send it), else the last type of its URN
 * (`urn:pulumi:<stack>::<project>::<parent types>$<type>::<name>`). Undefined for a token the package
 * does not have.
 */
export function kindOfRequest(type: string, urn: string): KindName | undefined {
  const token = type || (urn.split("::")[2] ?? "").split("$").pop() || "";
  const [pkg, mod, name] = token.split(":");
  if (pkg !== PACKAGE || mod !== MODULE || !name || !Object.prototype.hasOwnProperty.call(KINDS, name)) return undefined;
  return name as KindName;
}

/** The look-up a function token names (`codearts:index:getPipelineGroup`, or YAML's `codearts:getPipelineGroup`); undefined for any other. */
export function lookupOfToken(token: string): Lookup | undefined {
  const parts = token.split(":");
  const [pkg, mod, name] = parts.length === 2 ? [parts[0], MODULE, parts[1]] : parts;
  if (pkg !== PACKAGE || mod !== MODULE || !name) return undefined;
  return lookupNamed(name);
}
