import type { ApiRequest, ApiResponse } from "../../provider/http";
import type { Context } from "../../provider/dynamic";
import type { DialectId } from "../../emulator/dialects";
import { ApiError } from "../../provider/errors";

/**
 * The conformance probe (issue 16): for each row of the table in docs/ambiguities.md, find out which reading
 * the service speaks. A probe is one row's experiment: read-only calls where they tell, otherwise
 * scratch objects named with the run's prefix and deleted afterwards. A probe never concludes from
 * silence: a reading is reported only when an answer the reading (and no other) gives was seen;
 * anything else is `unknown` with why.
 */

/** What a probe found: a reading of its row with the answers that showed it, or why it cannot tell. */
export type ProbeResult = { reading: string; evidence: string } | { unknown: string };

/** The answer to one request, whatever it was: a 2xx answer, or the ApiError (status, code, body). */
export type Outcome = { ok: true; res: ApiResponse } | { ok: false; error: ApiError };

export interface ProbeContext {
  /**
   * One request as given: any 2xx JSON is accepted (no answer schema: observing the answer is the
   * point), errors are thrown as ApiError / NetworkError / AnswerError. Goes through the transcript and
   * the call count. Retries only what is idempotent, like the provider.
   */
  send(req: ApiRequest): Promise<ApiResponse>;
  /** `send`, with an ApiError returned instead of thrown (network and answer errors still throw). */
  attempt(req: ApiRequest): Promise<Outcome>;
  /**
   * The provider's own context (client, settings, log), for making and removing scratch objects with the
   * resource kinds' CRUD, which already serve every reading (the dialect matrix proves it). Its calls
   * are counted and transcribed too.
   */
  kinds: Context;
  /** The account (domain) id: configured, or from the IAM token. */
  domainId(): Promise<string>;
  /** The CodeArts project (--project): Pipeline and CloudTest probes need one; undefined when not given. */
  codeartsProjectId?: string;
  /** A scratch name: the run's prefix, then `label` (letters, digits, `_`, `-`), e.g. `probe-1764-ab12-l2_parent`. */
  name(label: string): string;
  /** The same, with `_` for every `-`, for APIs whose names allow only letters, digits and `_` (plug-ins). */
  underscoreName(label: string): string;
  /**
   * Registers how to remove a scratch object just made. Cleanups run after the probe, last first,
   * whatever its outcome; one that fails is reported as a leftover (with the prefix the sweeper finds).
   * With --keep they are not run, and the objects are listed instead.
   */
  cleanup(what: string, undo: () => Promise<void>): void;
  /**
   * `cleanup` with a kind's own delete: removes scratch object `id` of that kind; one the kind's
   * documented not-found codes prove gone already is removed.
   */
  removes(what: string, kind: RemovableKind, id: string, state: Record<string, unknown>): void;
  /** Records an object made that no API can delete (a CloudTest plan): listed in the report. */
  leftover(what: string): void;
  /** Whether objects no API can delete may be made (--allow-leftovers). */
  allowLeftovers: boolean;
  /** A test case the project holds (--test-case: `ID`, or `SERVICE_ID:ID` for its test type), never added to a user's plan. */
  testCaseId?: string;
}

/** What `removes` needs of a resource kind (provider/dynamic.ts ResourceKind). */
export interface RemovableKind {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each kind's delete takes its own outputs type
  delete(ctx: Context, id: string, state: any): Promise<void>;
  notFoundCodes?: readonly string[];
}

export interface Probe {
  row: DialectId;
  /** How it finds out, in a line, for the docs and `--help`: what it calls, what it makes. */
  method: string;
  /** read-only: no object made; scratch: objects made and deleted; leftover: makes an undeletable object (needs --allow-leftovers). */
  cost: "read-only" | "scratch" | "leftover";
  /**
   * With cost "leftover": the probe first tries a read-only way (objects the project already has) and
   * makes an undeletable object only when `ctx.allowLeftovers`; so the runner runs it without
   * --allow-leftovers too, and the probe answers `unknown` itself when it would need one.
   */
  readOnlyFirst?: boolean;
  run(ctx: ProbeContext): Promise<ProbeResult>;
}

/** A row no probe can answer safely, and why. */
export interface Unprobeable {
  row: DialectId;
  why: string;
}

export const found = (reading: string, evidence: string): ProbeResult => ({ reading, evidence });
export const unknown = (why: string): ProbeResult => ({ unknown: why });

/** "404 APIG.0101 'msg' (request id)" — how an answer is quoted in evidence. */
export function describe(o: Outcome): string {
  if (o.ok) return `${o.res.status}`;
  const e = o.error;
  return `${e.status}${e.errorCode ? ` ${e.errorCode}` : ""}${e.errorMsg ? ` "${e.errorMsg.slice(0, 80)}"` : ""}`;
}
