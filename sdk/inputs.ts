import type * as pulumi from "@pulumi/pulumi";

/** A declared value where every level may be an Output, so `rules: [{ id: rule.id }]` type-checks. */
export type DeepInput<T> = T extends readonly (infer U)[] ? pulumi.Input<DeepInput<U>[]> : T extends object ? pulumi.Input<{ [K in keyof T]: DeepInput<T[K]> }> : pulumi.Input<T>;

/** Resource args derived from a kind's zod schema (provider/resources/*), so the two never drift. */
export type Args<T> = { [K in keyof T]: DeepInput<T[K]> };
