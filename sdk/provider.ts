import type * as pulumi from "@pulumi/pulumi";

/**
 * The `__provider` shim. Pulumi serializes this object into every resource's state and runs the
 * stored copy for refresh and delete (pulumi/pulumi#16826), so it must stay tiny and identical
 * across versions of this package: it captures only the kind name and the protocol number, and
 * loads the real provider code from the installed package at call time. Capturing anything else
 * (config, credentials, local modules) would bloat state, leak secrets or cause spurious diffs.
 */
export function dynamicProvider(kind: string): pulumi.dynamic.ResourceProvider {
  // Bumped only if provider/index.ts `dispatch` ever changes its signature incompatibly.
  const protocol = 1;
  return {
    configure: (req) => require("pulumi-codearts/provider").configure(req),
    check: (olds, news) => require("pulumi-codearts/provider").dispatch(protocol, kind, "check", olds, news),
    diff: (id, olds, news) => require("pulumi-codearts/provider").dispatch(protocol, kind, "diff", id, olds, news),
    create: (inputs) => require("pulumi-codearts/provider").dispatch(protocol, kind, "create", inputs),
    read: (id, props) => require("pulumi-codearts/provider").dispatch(protocol, kind, "read", id, props),
    update: (id, olds, news) => require("pulumi-codearts/provider").dispatch(protocol, kind, "update", id, olds, news),
    delete: (id, props) => require("pulumi-codearts/provider").dispatch(protocol, kind, "delete", id, props),
  };
}
