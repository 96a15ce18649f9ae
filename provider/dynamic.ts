import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { ServiceClient } from "./client";
import type { Settings } from "./config";
import { AnswerError, ApiError, NetworkError } from "./errors";
import { redactor } from "./redaction";
import { provenReading, ReadingContradicted, type RowId } from "./readings";

/** The provider's log (the host's stderr), through the one redaction. */
export const redactedLog = (message: string): void => console.error(redactor.text(message));

/**
 * The dynamic-provider glue: turns a resource kind's declarative definition (zod schema, which
 * inputs replace, CRUD against the API) into a `pulumi.dynamic.ResourceProvider`. Everything the
 * engine protocol demands lives here once: unknowns during preview, explicit `changes` in diff
 * (pulumi/pulumi#12401), gone → empty id on read, idempotent delete, adoption of existing objects,
 * partial-create reporting.
 */

/** The engine's placeholder for a value not known during preview (sdk/nodejs/runtime/rpc.ts). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const PROVIDER_KEY = "__provider";

export interface Context {
  client: ServiceClient;
  settings: Settings;
  log: (message: string) => void;
}

export interface Failure {
  property: string;
  reason: string;
}

type Props = Record<string, unknown>;

export interface ResourceKind<S extends z.ZodObject, O extends Props> {
  /** The resource type name, e.g. "PipelineGroup". */
  name: string;
  /** Inputs as users declare them; the parsed (normalised) output is what state stores. */
  schema: S;
  /** Inputs whose change forces a replacement. */
  replaceOn: readonly (keyof z.output<S> & string)[];
  /** Why a key replaces (e.g. "the API has no update"): logged at preview, shown by the CLI summary. */
  replaceWhy?: Partial<Record<keyof z.output<S> & string, string>>;
  /** When a unique name makes create-before-delete impossible; a function decides per change (olds = state). */
  deleteBeforeReplace?: boolean | ((olds: Props, news: z.output<S>) => boolean);
  /**
   * Fills inputs the program left out from the provider's configuration (e.g. the account id a path
   * needs), at check, so state records them and a configuration change shows in diff. Settings only:
   * it must not call an API.
   */
  defaults?(ctx: Context, inputs: z.output<S>): z.output<S>;
  /** Reasons a declared change cannot be made at all; reported by check, before any API call. */
  refuse?(olds: z.output<S>, news: z.output<S>): Failure[];
  /** Reasons declared inputs cannot be served with this provider's configuration; reported by check. Settings only. */
  refuseHere?(ctx: Context, inputs: z.output<S>): Failure[];
  /**
   * How declared inputs and state are compared, when they are not stored alike: e.g. a secret kept in
   * state only as a hash. Applied to both sides before diff (and adoption) compare them.
   */
  diffView?(props: Props, side: "declared" | "state"): Props;
  /**
   * Outputs the service changes by itself (update times, the last editor, revision counters, a state
   * a person moves on, what a sibling resource changes, e.g. a plug-in's latest version): a refresh may
   * change them with no drift, and the CLI's drift report is to ignore them. Never a declared input.
   */
  serviceMaintained?: readonly (keyof O & string)[];
  /**
   * The documented not-found codes of this kind's APIs: the only answers that prove an object gone
   * (see ApiError.provesAbsence). A bare 404, a gateway code or a code that may also mean "no access"
   * is an error, never "gone".
   */
  notFoundCodes?: readonly string[];
  /**
   * The outputs to record for declared inputs when a create fails part-way and nothing could be read
   * back: secret values handled as in normal outputs (e.g. mask plus hash). Default: the inputs.
   */
  stateOf?(inputs: z.output<S>): Props;
  create(ctx: Context, inputs: z.output<S>): Promise<{ id: string; outs: O }>;
  /**
   * How a create that failed ambiguously (5xx, reset, timeout: it may have been applied) is made safe to
   * repeat: `find` lists the ids of the objects with the declared natural key (e.g. the name in its
   * parent). When the service keeps that key unique, an object found after the failure is the one the
   * create made; when it does not, the glue also lists before creating, and only an object that was not
   * there before counts. One found → adopted (converged on the inputs); none → created again; several →
   * refused, since the API cannot tell which is ours.
   */
  naturalKey?: {
    unique: boolean;
    /**
     * The reading of an ambiguity row under which the key is unique after all (N1 `unique`): when the
     * settings say the service was proven to speak it (provenReadings), the listing before a create is
     * dropped, and several objects found after an ambiguous failure contradict it (ReadingContradicted).
     */
    uniqueIfProven?: { row: RowId; reading: string };
    find(ctx: Context, inputs: z.output<S>): Promise<string[]>;
    /** The outputs of the object found; default: read it, then update what differs from the inputs. */
    recover?(ctx: Context, id: string, inputs: z.output<S>): Promise<O>;
  };
  /**
   * Inputs that are secret whatever the program passes (e.g. a script's parameters, whose values the
   * service never returns): the plugin marks them secret in its check results and outputs, the schema
   * declares them secret, and the SDK's resource class wraps them (sdk/script.ts).
   */
  secrets?: readonly (keyof z.output<S> & string)[];
  /**
   * `pulumi import` (a read by id alone, with no state): the id as given can take more forms than the id
   * a create records (e.g. "<projectId>/<groupId>", since the read needs the project); this turns the
   * one given into that id, so references from other resources see the same id as after a create.
   * Absent: the id is recorded as given.
   */
  importId?(id: string): string;
  /** Why the kind cannot be imported (no read by id): the plugin refuses `pulumi import` with this. */
  noImport?: string;
  /** What the service says now; undefined when the object is gone. `inputs` = what a program would declare to get it. */
  read(ctx: Context, id: string, state: Props): Promise<{ outs: O; inputs: z.output<S> } | undefined>;
  update?(ctx: Context, id: string, olds: O, news: z.output<S>): Promise<O>;
  delete(ctx: Context, id: string, state: O): Promise<void>;
  /**
   * How `pulumi-codearts sweep` finds this kind's objects by name prefix, to remove what tests and
   * failed runs left behind with this kind's own `delete` (so every dialect it serves is served).
   * Absent: the kind is not swept.
   */
  sweep?: Sweepable;
}

/** An object a sweep found: the id `delete` takes, the name the service gives it, and the state `delete` needs. */
export interface SweepFound {
  id: string;
  name: string;
  state: Props;
  /** The object that holds this one (a parent group, a version's plug-in): deleted after it, and not while this one remains. */
  inside?: { kind: string; id: string };
  /** Why deleting it would touch objects without the prefix (a publisher another's plug-in is bound to): then it is not deleted. */
  touchesOthers?: string;
}

/**
 * The sweep facet (see ResourceKind.sweep). Why a facet of the kind: listing, the delete's state and
 * the dependency order are knowledge of each kind's API, kept next to its CRUD rather than in the CLI.
 */
export type Sweepable =
  | {
      /** Every object of the kind whose name (as the service returns it) starts with `prefix`; whole lists are read, since the services' name filters are fuzzy. */
      list(ctx: Context, where: { prefix: string; codeartsProjectId?: string }): Promise<SweepFound[]>;
      /** The kinds whose swept objects must be deleted before this kind's (e.g. pipelines before their groups). */
      after?: readonly string[];
      /** Lives in a CodeArts project: listed only when the sweep names one. */
      needsProject?: boolean;
      /** Listed but never deleted: why (e.g. no delete API). */
      undeletable?: string;
    }
  | { notSwept: string };

/** Inputs every readable kind accepts: the id of an existing object to take under management. */
export const ADOPT_KEY = "adoptId";

/**
 * Set on the outputs the engine records from a PartialCreateError: they say how far the create got,
 * not all the object has. The next Update sees it and completes them (reads, converges); a read drops it.
 */
export const INCOMPLETE_KEY = "__createIncomplete";

/** Thrown by a kind when the object was created but a later step failed: the engine records it as created. */
export class PartialCreateError extends Error {
  constructor(
    readonly id: string,
    readonly properties: Props,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

export function containsUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v && typeof v === "object") return Object.values(v).some(containsUnknown);
  return false;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): { unknownOnPath: boolean; value: unknown } {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === UNKNOWN) return { unknownOnPath: true, value: cur };
    if (cur === null || typeof cur !== "object") return { unknownOnPath: false, value: undefined };
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return { unknownOnPath: cur === UNKNOWN, value: cur };
}

export function propertyPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? String(p) : `.${String(p)}`;
  return out;
}

/**
 * The object with each property that holds no unknown replaced by its own schema's answer (defaults
 * filled, values normalised as a full parse would), and the others as they are: what check returns
 * while a preview still has unknowns. Object-level rules wait for the values (they run at `up`).
 */
export function knownParsed(schema: z.ZodObject, raw: Props): Props {
  const out: Props = { ...raw };
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    if (containsUnknown(raw[key])) continue;
    const r = field.safeParse(raw[key]);
    if (r.success && r.data !== undefined) out[key] = r.data;
  }
  return out;
}

/** zod issues → per-property failures naming the rule; issues under an unknown value are not failures yet. */
export function failuresFrom(error: z.ZodError, news: unknown, kind: string): Failure[] {
  const out: Failure[] = [];
  for (const issue of error.issues) {
    const at = valueAt(news, issue.path);
    if (at.unknownOnPath) continue;
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        out.push({ property: propertyPath([...issue.path, key]), reason: `is not a property of ${kind} (check the spelling)` });
      }
      continue;
    }
    // Whatever the rule (type, enum, literal, union), a value that is absent is simply missing.
    const reason = at.value === undefined && issue.code !== "custom" ? "is required" : issue.message;
    out.push({ property: propertyPath(issue.path), reason });
  }
  return out;
}

/** Deterministic JSON for comparisons: sorted keys, undefined dropped. */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, val) =>
    val && typeof val === "object" && !Array.isArray(val)
      ? Object.fromEntries(
          Object.keys(val)
            .sort()
            .filter((k) => val[k] !== undefined)
            .map((k) => [k, val[k]]),
        )
      : val,
  );
}

/** What goes back to the host must be a protobuf Struct: no undefined anywhere (the host rejects it). */
export function structSafe<T>(v: T): T {
  return v === undefined ? v : JSON.parse(JSON.stringify(v));
}

function stripProvider(p: Props | undefined): Props {
  const { [PROVIDER_KEY]: _ignored, ...rest } = p ?? {};
  return rest;
}

function inputKeys(schema: z.ZodObject): string[] {
  return Object.keys(schema.shape);
}

/** Compares declared inputs with state, key by key; unknowns count as changes. */
export function changedKeys(schema: z.ZodObject, olds: Props, news: Props): string[] {
  return inputKeys(schema).filter((k) => k !== ADOPT_KEY && (containsUnknown(news[k]) || stableJson(olds[k] ?? null) !== stableJson(news[k] ?? null)));
}

/**
 * The glue's operations: the dynamic provider's, with diff also naming the changed inputs (`diffs`, which
 * the plugin turns into a detailed diff), and `lookup`, the read by id alone that `pulumi import` makes.
 */
export interface Glue extends pulumi.dynamic.ResourceProvider {
  check(olds: Props, news: Props): Promise<{ inputs: Props; failures: Failure[] }>;
  diff(id: string, olds: Props, news: Props): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean; diffs: string[] }>;
  create(inputs: Props): Promise<{ id: string; outs: Props }>;
  read(id: string, props?: Props): Promise<{ id: string; props: Props; inputs?: Props }>;
  update(id: string, olds: Props, news: Props): Promise<{ outs: Props }>;
  delete(id: string, props: Props): Promise<void>;
  /**
   * The object with this id, found with no state (`pulumi import`): its id as a create records it
   * (ResourceKind.importId), outputs and the inputs a program declares to keep it as it is; undefined
   * when there is none. Refused for a kind with no read by id (ResourceKind.noImport).
   */
  lookup(id: string): Promise<{ id: string; props: Props; inputs: Props } | undefined>;
}

export function makeProvider<S extends z.ZodObject, O extends Props>(kind: ResourceKind<S, O>, context: () => Context): Glue {
  type I = z.output<S>;
  const keys = inputKeys(kind.schema);
  const pick = (p: Props): Props => Object.fromEntries(keys.filter((k) => p[k] !== undefined).map((k) => [k, p[k]]));
  const isGone = (e: unknown) => e instanceof ApiError && e.provesAbsence(kind.notFoundCodes ?? []);
  const view = (p: Props, side: "declared" | "state"): Props => (kind.diffView ? kind.diffView(p, side) : p);
  const declaredState = (inputs: I): Props => {
    const { [ADOPT_KEY]: _a, ...declared } = (kind.stateOf ? kind.stateOf(inputs) : inputs) as Props;
    return declared;
  };

  /**
   * Converges an existing object, as read (`found`), on the declared inputs: `adoptId`, an object an
   * ambiguous create turned out to have made, and the object of a create that failed part-way.
   */
  async function converge(ctx: Context, id: string, inputs: I, found: { outs: O; inputs: I }, what: string): Promise<O> {
    const changed = changedKeys(kind.schema, view(found.inputs, "state"), view(inputs, "declared"));
    const blocked = changed.filter((k) => (kind.replaceOn as readonly string[]).includes(k));
    if (blocked.length > 0) {
      throw new Error(
        `${kind.name}: cannot ${what} "${id}": ${blocked.map((k) => `${k} is ${JSON.stringify(found.inputs[k])} there, declared ${JSON.stringify(inputs[k])}`).join("; ")}` +
          ` (these cannot change in place); nothing was changed`,
      );
    }
    if (changed.length === 0 || !kind.update) return found.outs;
    try {
      return await kind.update(ctx, id, found.outs, inputs);
    } catch (e) {
      throw new PartialCreateError(id, found.outs, e);
    }
  }

  /** Reads an object that must exist (the declared inputs stand for what the read cannot see) and converges it. */
  async function readAndConverge(ctx: Context, id: string, inputs: I, why: string): Promise<O> {
    const found = await kind.read(ctx, id, inputs);
    if (!found) throw new Error(`${kind.name}: ${why} "${id}" names no existing object; nothing was adopted`);
    return converge(ctx, id, inputs, found, "adopt");
  }

  async function adopt(ctx: Context, id: string, inputs: I): Promise<{ id: string; outs: O }> {
    try {
      return { id, outs: { ...(await readAndConverge(ctx, id, inputs, ADOPT_KEY)), [ADOPT_KEY]: id } };
    } catch (e) {
      if (e instanceof PartialCreateError) throw new PartialCreateError(id, { ...e.properties, [ADOPT_KEY]: id }, e.cause);
      throw e;
    }
  }

  /**
   * Finishes a create that failed after the object was made: reads the object, with the outputs the
   * create recorded as the state (they say how far it got, e.g. test cases not added yet), converges it
   * on the declared inputs and answers complete outputs, the ones a create that went through records.
   */
  async function complete(ctx: Context, id: string, inputs: I, recorded: Props): Promise<O> {
    const { [INCOMPLETE_KEY]: _partial, ...state } = recorded;
    const found = await kind.read(ctx, id, state);
    if (!found) {
      throw new Error(
        `${kind.name} ${id}, made by a create that failed part-way, no longer exists: run \`pulumi refresh\` to drop it from the state, and the next \`pulumi up\` creates it again`,
      );
    }
    return converge(ctx, id, inputs, found, "complete the create of");
  }

  /**
   * A failure after which the object may or may not exist. Errors inside HTTP 200 and 4xx are answers;
   * an undocumented 2xx answer (an HTML page, `{}`) is not, and the request may have been applied.
   */
  const ambiguous = (e: unknown) => (e instanceof NetworkError && e.ambiguous) || (e instanceof ApiError && e.status >= 500) || e instanceof AnswerError;

  async function createSafely(ctx: Context, inputs: I): Promise<{ id: string; outs: O }> {
    const key = kind.naturalKey;
    if (!key) return kind.create(ctx, inputs);
    const provenUnique = !key.unique && key.uniqueIfProven !== undefined && provenReading(ctx, key.uniqueIfProven.row) === key.uniqueIfProven.reading;
    const before = new Set(key.unique || provenUnique ? [] : await key.find(ctx, inputs));
    // As many creates as the client would retry an idempotent request; each after a look-up.
    for (let attempt = 0; ; attempt++) {
      try {
        return await kind.create(ctx, inputs);
      } catch (e) {
        if (!ambiguous(e)) throw e;
        // Always looked up, even when no more creates may be sent: what the failed call made must be recorded.
        let found: string[];
        try {
          found = await key.find(ctx, inputs);
        } catch (lookup) {
          // Nothing can tell whether the create was applied: say so, rather than risk a duplicate unnoticed.
          throw new Error(
            `${kind.name}: the create failed (${(e as Error).message}) and so did the look-up of what it may have made (${(lookup as Error).message}). ` +
              `The object may exist without being recorded: check the service before the next up, and adopt it with ${ADOPT_KEY} if it is there`,
            { cause: lookup },
          );
        }
        const made = found.filter((id) => !before.has(id));
        if (made.length > 1 && provenUnique) {
          const { row, reading } = key.uniqueIfProven!;
          throw new ReadingContradicted(
            row,
            reading,
            `${kind.name}: the create failed (${(e as Error).message}) and ${made.length} objects with its key exist (${made.join(", ")}); nothing is recorded: adopt the right one with ${ADOPT_KEY}`,
          );
        }
        if (made.length > 1) {
          throw new Error(
            `${kind.name}: the create failed (${(e as Error).message}) and ${made.length} matching objects appeared meanwhile (${made.join(", ")}); ` +
              `one may be this one, the others made by someone else, and the API cannot tell which. Nothing is recorded: adopt the right one with ${ADOPT_KEY}`,
            { cause: e },
          );
        }
        if (made.length === 1) {
          ctx.log(`${kind.name}: the create failed (${(e as Error).message}), but the object was created: recorded ${made[0]}`);
          const id = made[0];
          try {
            return { id, outs: key.recover ? await key.recover(ctx, id, inputs) : await readAndConverge(ctx, id, inputs, "the create") };
          } catch (e2) {
            if (e2 instanceof PartialCreateError) throw e2;
            // It exists: keep it in the state whatever failed next, so nothing is orphaned.
            throw new PartialCreateError(id, declaredState(inputs), e2);
          }
        }
        if (attempt >= ctx.settings.maxRetries) throw e;
        ctx.log(`${kind.name}: the create failed (${(e as Error).message}) and nothing was created: creating again`);
      }
    }
  }

  return {
    async check(olds: Props, news: Props) {
      const raw = stripProvider(news);
      const parsed = kind.schema.safeParse(raw);
      const failures: Failure[] = parsed.success ? [] : failuresFrom(parsed.error, raw, kind.name);
      // Unknowns during preview: the known properties parsed on their own, so their defaults are there
      // and a preview does not show a defaulted property as removed (with failures: the raw inputs).
      const checked = parsed.success ? (parsed.data as Props) : failures.length === 0 ? knownParsed(kind.schema, raw) : raw;
      const inputs = failures.length === 0 && kind.defaults ? (kind.defaults(context(), checked as I) as Props) : checked;
      if (failures.length === 0 && parsed.success && kind.refuseHere) failures.push(...kind.refuseHere(context(), inputs as I));
      const previous = stripProvider(olds);
      if (failures.length === 0 && parsed.success && kind.refuse && Object.keys(previous).length > 0) {
        const old = kind.schema.safeParse(previous);
        if (old.success) failures.push(...kind.refuse(old.data as I, parsed.data as I));
      }
      return { inputs: structSafe(inputs), failures };
    },

    async diff(_id: string, olds: Props, news: Props) {
      const changed = changedKeys(kind.schema, view(stripProvider(olds), "state"), view(stripProvider(news), "declared"));
      const replaces = changed.filter((k) => (kind.replaceOn as readonly string[]).includes(k));
      const why = replaces.map((k) => (kind.replaceWhy as Record<string, string> | undefined)?.[k]).filter((w): w is string => !!w);
      // The engine shows only the replaced keys; the reason reaches the user through the provider's log.
      if (why.length > 0) redactedLog(`${kind.name} ${_id}: replacing because ${[...new Set(why)].join("; ")}`);
      const dbr = kind.deleteBeforeReplace;
      return {
        changes: changed.length > 0,
        diffs: changed,
        replaces,
        deleteBeforeReplace: replaces.length > 0 && (typeof dbr === "function" ? dbr(stripProvider(olds), stripProvider(news) as I) : dbr === true),
      };
    },

    async create(inputs: Props) {
      const ctx = context();
      const declared = stripProvider(inputs) as I;
      try {
        const adoptId = declared[ADOPT_KEY];
        const made = typeof adoptId === "string" && adoptId !== "" ? await adopt(ctx, adoptId, declared) : await createSafely(ctx, declared);
        return { id: made.id, outs: structSafe(made.outs) };
      } catch (e) {
        throw partialCreateForEngine(e, inputs[PROVIDER_KEY]);
      }
    },

    async read(id: string, props?: Props) {
      const ctx = context();
      const state = stripProvider(props);
      const found = await kind.read(ctx, id, state);
      if (!found) return { id: "", props: {} };
      // Create-only inputs (adoptId) are not on the server; keep them so a refresh shows no change.
      const carried = state[ADOPT_KEY] !== undefined ? { [ADOPT_KEY]: state[ADOPT_KEY] } : {};
      return structSafe({ id, props: { ...found.outs, ...carried }, inputs: { ...pick(found.inputs as Props), ...carried } });
    },

    async lookup(id: string) {
      if (kind.noImport) throw new Error(`${kind.name} cannot be imported: ${kind.noImport}`);
      const ctx = context();
      let found = await kind.read(ctx, id, {});
      if (!found) return undefined;
      // What check fills in from the configuration (a policy's tenant) is not in a read with no state,
      // and a program declaring the inputs found would then differ from the state (a replacement): read
      // again with the state a create would have recorded, as a refresh after a create reads.
      const filled = kind.defaults ? (kind.defaults(ctx, found.inputs) as Props) : undefined;
      if (filled && stableJson(filled) !== stableJson(found.inputs)) found = (await kind.read(ctx, id, { ...(found.outs as Props), ...filled })) ?? found;
      return structSafe({ id: kind.importId ? kind.importId(id) : id, props: found.outs as Props, inputs: pick(found.inputs as Props) });
    },

    async update(id: string, olds: Props, news: Props) {
      const ctx = context();
      const declared = stripProvider(news) as I;
      const recorded = stripProvider(olds);
      // The engine calls Update with no declared change only for an object whose create failed part-way
      // (it has init errors), as it does when the outputs say so: then the create is finished here.
      const completing = recorded[INCOMPLETE_KEY] === true || changedKeys(kind.schema, view(recorded, "state"), view(declared, "declared")).length === 0;
      if (!completing && !kind.update) throw new Error(`${kind.name} cannot be updated in place`);
      try {
        const outs = completing ? await complete(ctx, id, declared, recorded) : await kind.update!(ctx, id, recorded as O, declared);
        const carried = declared[ADOPT_KEY] !== undefined ? { [ADOPT_KEY]: declared[ADOPT_KEY] } : {};
        return { outs: structSafe({ ...outs, ...carried }) };
      } catch (e) {
        throw partialCreateForEngine(e, news[PROVIDER_KEY]);
      }
    },

    async delete(id: string, props: Props) {
      const ctx = context();
      try {
        await kind.delete(ctx, id, stripProvider(props) as O);
      } catch (e) {
        if (isGone(e)) return; // already gone is what delete wanted
        throw e;
      }
    },
  };
}

/**
 * The host turns an error carrying `id` into ErrorResourceInitFailed, so the engine keeps the object
 * in state. The host does not re-attach `__provider` to those properties, so we must, or the stored
 * state could be neither refreshed nor deleted.
 */
function partialCreateForEngine(e: unknown, provider: unknown): unknown {
  if (!(e instanceof PartialCreateError)) return e;
  const err = new Error(`${e.message} (the object ${e.id} was created and is kept in the state; the next update continues from it)`);
  return Object.assign(err, { id: e.id, properties: structSafe({ ...e.properties, [INCOMPLETE_KEY]: true, [PROVIDER_KEY]: provider }), reasons: [e.message] });
}
