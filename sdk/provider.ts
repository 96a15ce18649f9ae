import * as pulumi from "@pulumi/pulumi";

/**
 * The protocol-2 `__provider` shim, for a program that makes its own `pulumi.dynamic.Resource` of a kind
 * (the package's classes store `providerText` instead, below). Pulumi serializes this object into every resource's state, twice (inputs
 * and outputs), and runs the stored copy for refresh and delete (pulumi/pulumi#16826), so it must
 * stay tiny and keep working across versions of this package: it captures only the kind name, and
 * loads the real provider from the installed package at call time with a protocol number. Capturing
 * anything else (config, credentials, local modules) would bloat state, leak secrets or cause
 * spurious diffs.
 *
 * Size: the closure serializer spends ~200 bytes on every distinct function, so seven methods cost
 * 2.4 KB. Two functions serve all seven instead; the host's calls tell the methods apart by their
 * arguments (see `shim` in provider/index.ts): `observe` takes configure(req), check(olds, news),
 * read(id, props) and diff(id, olds, news); `change` takes create(inputs), delete(id, props) and
 * update(id, olds, news).
 *
 * One object per kind, made once: Pulumi caches a provider's serialization by the object (a WeakMap in
 * @pulumi/pulumi/dynamic), and serializing a closure is slow (the V8 inspector walks it: tens of ms,
 * more on a busy machine), so a new object per resource made a program of 1,000 resources spend
 * minutes serializing the same text before the engine saw them (bench/cliScale.ts).
 */
const providers = new Map<string, pulumi.dynamic.ResourceProvider>();

export function dynamicProvider(kind: string): pulumi.dynamic.ResourceProvider {
  let provider = providers.get(kind);
  if (!provider) {
    const observe = (...a: unknown[]) => require("pulumi-codearts/provider").shim(2, kind, 0, a);
    const change = (...a: unknown[]) => require("pulumi-codearts/provider").shim(2, kind, 1, a);
    provider = { configure: observe, check: observe, diff: observe, read: observe, create: change, update: change, delete: change };
    providers.set(kind, provider);
  }
  return provider;
}

/**
 * What the package's resource classes store as `__provider` (protocol 3): a module whose handler asks
 * the installed package for the kind's provider (`kindProvider` in provider/index.ts). The dynamic-provider
 * host runs it as it runs a serialized closure (`require-from-string`, then `handler()`), but it is
 * 90 bytes, not the 870 of the closure above, and it is made without the closure serializer: the
 * engine writes the whole state after every step, twice this text per resource, so a large stack's up
 * and destroy spend less time in checkpoints.
 */
export function providerText(kind: string): string {
  return `exports.handler = () => require("pulumi-codearts/provider").kindProvider(3, ${JSON.stringify(kind)});\n`;
}

/**
 * The base of the package's resource classes: what `pulumi.dynamic.Resource` does (the same type token,
 * `pulumi-nodejs:dynamic/codearts:<Kind>`, and `__provider` among the inputs), with `providerText`.
 */
export abstract class KindResource extends pulumi.CustomResource {
  protected constructor(kind: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    if ("__provider" in props) throw new Error(`${kind} ${name}: __provider is reserved`);
    super(`pulumi-nodejs:dynamic/codearts:${kind}`, name, { ...props, __provider: providerText(kind) }, opts);
  }
}
