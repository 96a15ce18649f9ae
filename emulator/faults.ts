import { z } from "zod";
import { globMatches, globProblem } from "./glob";

// Failures tests switch on per route. A rule names a route by its pattern as registered
// ("/v5/{project_id}/api/pipeline-group/create") or by a glob over the request path
// ("/v5/*/api/pipeline-group/create": `*` = within one segment, `**` = across segments), and
// fires for the next `times` requests to an existing API that match (default 1), once `after` of them
// have gone through untouched (default 0), after
// authentication, so a rejected request does not use it up.
const faultSchema = z.discriminatedUnion("type", [
  /** Wait, then handle normally. */
  z.strictObject({ type: z.literal("latency"), ms: z.number().int().min(0) }),
  /** Answer a gateway error before anything is applied. */
  z.strictObject({ type: z.literal("status"), status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]) }),
  /** 429 APIG.0308 with Retry-After, before anything is applied. */
  z.strictObject({ type: z.literal("rate-limit"), retryAfter: z.number().int().min(0) }),
  /** Destroy the connection without an answer, before anything is applied. */
  z.strictObject({ type: z.literal("reset") }),
  /** Apply the change, then answer a 5xx (default 500) as if the backend failed afterwards. */
  z.strictObject({ type: z.literal("commit-then-fail"), status: z.number().int().min(500).max(599).optional() }),
  /** Apply the change and never answer (client timeouts); the socket is destroyed on close(). */
  z.strictObject({ type: z.literal("hang-after-commit") }),
  /**
   * IAM tokens expire just as this request arrives: a request carrying a token gets the 401 any
   * expired token gets, and the caller must fetch a new one. AK/SK-signed requests are unaffected.
   */
  z.strictObject({ type: z.literal("expire-token") }),
  /**
   * A 200 whose body is not what the docs promise, before anything is applied: what a captive portal,
   * a WAF page, a wrong URL or a proxy answers (ambiguities.md G4, "not a reading but a fault").
   */
  z.strictObject({ type: z.literal("bad-success"), body: z.enum(["html", "empty", "empty-object", "null", "invalid-json", "false"]) }),
]);

/** At most this many pending rules: each is matched against every request. */
export const MAX_FAULT_RULES = 1000;

export const faultRuleSchema = z.strictObject({
  method: z.string().min(1).optional(),
  // Checked as a glob (length, wildcards), so a malformed one is a 400 at the admin API, not a frozen emulator.
  path: z.string().superRefine((p, ctx) => {
    const problem = globProblem(p);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
  fault: faultSchema,
  times: z.number().int().min(1).optional(),
  /** Matching requests to let through first (e.g. the listing before a create, to fail the one after it). */
  after: z.number().int().min(0).optional(),
});

export type Fault = z.infer<typeof faultSchema>;
export type FaultRule = z.infer<typeof faultRuleSchema>;

interface ActiveRule {
  method?: string;
  path: string;
  fault: Fault;
  remaining: number;
  skip: number;
}

/** mulberry32: small, seedable, good enough to decide which request fails. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Faults {
  private rules: ActiveRule[] = [];
  private latency = { min: 0, max: 0, random: Math.random };
  private transient?: { rate: number; random: () => number };

  /** Adds a rule; throws on a malformed one. */
  inject(rule: FaultRule): void {
    const r = faultRuleSchema.parse(rule);
    if (this.rules.length >= MAX_FAULT_RULES) throw new RangeError(`at most ${MAX_FAULT_RULES} pending fault rules`);
    this.rules.push({ method: r.method?.toUpperCase(), path: r.path, fault: r.fault, remaining: r.times ?? 1, skip: r.after ?? 0 });
  }

  /**
   * Delay added to every API request (not the admin API): `ms`, or drawn evenly from [ms, maxMs] per
   * request so that concurrent operations interleave differently; with a seed, the same draws each run.
   */
  setLatency(ms: number, maxMs = ms, seed?: number): void {
    if (!Number.isFinite(ms) || ms < 0 || !Number.isFinite(maxMs) || maxMs < ms) {
      throw new RangeError("latency must be a non-negative number of milliseconds, and its maximum no less");
    }
    this.latency = { min: ms, max: maxMs, random: seed === undefined ? Math.random : seededRandom(seed) };
  }

  /** The delay for the next request. */
  nextLatencyMs(): number {
    const { min, max, random } = this.latency;
    return max === min ? min : min + random() * (max - min);
  }

  /**
   * Fails a fraction p of requests before handling, half with 503 and half with a reset; with a
   * seed the same requests fail on every run. p = 0 switches it off.
   */
  setTransientRate(p: number, seed?: number): void {
    if (!(p >= 0 && p <= 1)) throw new RangeError("transient rate must be between 0 and 1");
    this.transient = p === 0 ? undefined : { rate: p, random: seed === undefined ? Math.random : seededRandom(seed) };
  }

  /** Removes every rule, the latency and the transient rate. */
  clear(): void {
    this.rules = [];
    this.latency = { min: 0, max: 0, random: Math.random };
    this.transient = undefined;
  }

  /** Rules that have not fired all their times yet. */
  pending(): FaultRule[] {
    return this.rules.map((r) => ({ method: r.method, path: r.path, fault: r.fault, times: r.remaining, ...(r.skip ? { after: r.skip } : {}) }));
  }

  /** The fault for one request, using up one firing of the first matching rule. */
  take(method: string, routePattern: string, path: string): Fault | undefined {
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i];
      if (!((rule.method === undefined || rule.method === method.toUpperCase()) && (rule.path === routePattern || globMatches(rule.path, path)))) continue;
      // A rule still letting requests through counts this one and leaves it to the rules after it.
      if (rule.skip > 0) {
        rule.skip--;
        continue;
      }
      if (--rule.remaining === 0) this.rules.splice(i, 1);
      return rule.fault;
    }
    if (this.transient && this.transient.random() < this.transient.rate) {
      return this.transient.random() < 0.5 ? { type: "status", status: 503 } : { type: "reset" };
    }
    return undefined;
  }
}
