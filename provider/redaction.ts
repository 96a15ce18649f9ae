/**
 * The one exit for secrets. Every configured secret (secret key, security token, password) of every
 * configuration this process has seen, and every IAM token it was issued, is registered here; every
 * way out of the provider (errors with all their enumerable properties, logs, the outputs of a
 * partial create, doctor's report) passes `redactor` on its way. Process-wide on purpose: a secret of
 * an old configuration, or a token fetched by another session, must be hidden from every exit.
 */
export const MASK = "***";
/** Shorter values would mangle ordinary text (and carry little). */
const MIN_SECRET_LENGTH = 4;

export class Redactor {
  private values: string[] = [];

  add(value: string | undefined): void {
    if (!value || value.length < MIN_SECRET_LENGTH || this.values.includes(value)) return;
    // Longest first: a secret that contains another is replaced whole.
    this.values = [...this.values, value].sort((a, b) => b.length - a.length);
  }

  text(text: string): string {
    let out = text;
    for (const v of this.values) if (out.includes(v)) out = out.split(v).join(MASK);
    return out;
  }

  /** A copy of a JSON-like value with every string (keys too) redacted. */
  value<T>(v: T, seen = new WeakMap<object, unknown>()): T {
    if (typeof v === "string") return this.text(v) as T;
    if (v === null || typeof v !== "object") return v;
    if (seen.has(v)) return seen.get(v) as T;
    if (v instanceof Error) return this.error(v, seen) as T;
    if (Buffer.isBuffer(v)) return this.text(v.toString("utf8")) as T;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      seen.set(v, out);
      for (const x of v) out.push(this.value(x, seen));
      return out as T;
    }
    const out: Record<string, unknown> = {};
    seen.set(v, out);
    for (const [k, x] of Object.entries(v)) out[this.text(k)] = this.value(x, seen);
    return out as T;
  }

  /**
   * The error itself, in place (its class and identity matter to the host), with message, stack and
   * every enumerable property (`reasons`, `properties`, `cause`, `body`, …) redacted; `cause` too.
   */
  error<E>(e: E, seen = new WeakMap<object, unknown>()): E {
    if (!(e instanceof Error)) return this.value(e, seen);
    if (seen.has(e)) return e;
    seen.set(e, e);
    const target = e as unknown as Record<string, unknown>;
    for (const key of new Set([...Object.keys(e), "message", "stack", "cause"])) {
      const v = target[key];
      if (v === undefined) continue;
      try {
        target[key] = v instanceof Error ? this.error(v, seen) : this.value(v, seen);
      } catch {
        // A read-only property (a class's readonly field is still writable; a frozen object is not): drop it.
        try {
          delete target[key];
        } catch {
          /* nothing else to do */
        }
      }
    }
    return e;
  }
}

export const redactor = new Redactor();
