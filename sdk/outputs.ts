import type * as pulumi from "@pulumi/pulumi";

/**
 * A resource's output properties, from its generated Outputs type (sdk/kinds.generated.ts): each key
 * is always present as an Output; an optional one resolves to undefined when the service has no value.
 * Merged into each resource class (`interface X extends OutputProperties<XOutputs> {}`).
 */
export type OutputProperties<T> = { readonly [K in keyof T]-?: pulumi.Output<T[K]> };

/**
 * The properties a resource is registered with: every output key as undefined, then the declared
 * args. Pulumi makes an Output property only for a key it is given, so the outputs must be listed.
 */
export function withOutputKeys(keys: readonly string[], args: object): Record<string, unknown> {
  return { ...Object.fromEntries(keys.map((k) => [k, undefined])), ...args };
}
