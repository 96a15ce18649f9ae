// The look-ups' errors, in a file of their own with no zod: the SDK's typings re-export them (sdk/lookups.ts).

/** Arguments that cannot be taken: refused before any API call, each naming its property (as a check failure). */
export class LookupArgsError extends Error {
  constructor(
    readonly lookup: string,
    readonly failures: { property: string; reason: string }[],
  ) {
    super(`${lookup}: ${failures.map((f) => `${f.property || "arguments"} ${f.reason}`).join("; ")}`);
  }
}

/** No object, or more than one, has the key asked for: naming the kind, the key and the candidates' ids. */
export class LookupMatchError extends Error {
  constructor(
    readonly kind: string,
    readonly key: Record<string, unknown>,
    readonly candidates: readonly string[],
  ) {
    const where = Object.entries(key)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
      .join(", ");
    super(
      candidates.length === 0
        ? `${kind}: none found with ${where}`
        : `${kind}: ${candidates.length} found with ${where} (${candidates.join(", ")}); the key is not unique here: look it up by id`,
    );
  }
}
