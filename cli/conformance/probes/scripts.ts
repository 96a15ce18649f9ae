import { seg } from "../../../provider/http";
import { parseKeepingIds, script } from "../../../provider/resources/script";
import { describe, found, unknown, type Outcome, type Probe, type ProbeContext, type Unprobeable } from "../probe";

/**
 * COC custom scripts (Cloud Operations Center API Reference §4.2), rows S1–S6. Every probe but S3's read-only path works on a scratch
 * script of its own, named with the run's prefix (underscores: script names are letters, digits and `_`,
 * §4.2.1), made with no reviewers (so no human approval is waited for) and removed by the Script kind's
 * own delete, which serves every reading of every row. Each probe is independent: its scratch script is
 * made and removed within the probe.
 */

type Param = { param_name: string; param_value: string; param_description: string; param_order: number; sensitive: boolean };
const PROPERTIES = { risk_level: "LOW", version: "1.0.0", reviewers: [] };
const CONTENT = "echo pulumi-codearts conformance probe";
const params = (n: number, value = "v"): Param[] =>
  Array.from({ length: n }, (_, i) => ({ param_name: `p${i + 1}`, param_value: value, param_description: "", param_order: i + 1, sensitive: false }));

/** §4.2.1 create body: every mandatory field (Table 4-5), no reviewers. */
const createBody = (name: string, row: string, over: { content?: string; script_params?: Param[] } = {}) => ({
  name,
  type: "SHELL",
  content: over.content ?? CONTENT,
  description: `pulumi-codearts conformance probe (${row}) scratch script, deleted after the probe`,
  properties: PROPERTIES,
  script_params: over.script_params ?? [],
});

const op = (row: string, what: string) => `Conformance.${row}.${what}`;

/**
 * Whether a failed answer is the refusal §4.2's status tables document (400, "Contains error
 * information"): a 5xx, a throttle or an authentication failure says nothing about the body sent.
 */
const refusal = (o: Outcome): o is Outcome & { ok: false } => !o.ok && o.error.status === 400;
const notARefusal = (what: string, o: Outcome) => unknown(`${what} answered ${describe(o)}, not the documented refusal (400): it tells nothing about the body`);

/** POST /v1/job/scripts as given; the answer, whatever it is. */
const tryCreate = (ctx: ProbeContext, row: string, body: ReturnType<typeof createBody>): Promise<Outcome> =>
  ctx.attempt({ service: "coc", method: "POST", path: "/v1/job/scripts", body, operation: op(row, "create"), resource: body.name });

/**
 * The uuid a 2xx create answered (`{"data": "<uuid>"}`, §4.2.1), its removal registered at once. An
 * answer without one is thrown (the runner reports it as unknown): the object may exist, with the prefix
 * the sweeper finds.
 */
function created(ctx: ProbeContext, row: string, name: string, o: Outcome & { ok: true }): string {
  const uuid = (o.res.body as { data?: unknown } | null)?.data;
  if (typeof uuid !== "string" || !/^SC[0-9a-z]{1,23}$/.test(uuid)) {
    throw new Error(`${row}: the create of scratch script ${name} answered ${o.res.status} without a script uuid: ${JSON.stringify(o.res.body)?.slice(0, 120)}`);
  }
  ctx.removes(`script ${name} (${uuid})`, script, uuid, {});
  return uuid;
}

/** A scratch script made with `create`'s body (must succeed), removal registered. */
async function scratch(ctx: ProbeContext, row: string, over: { content?: string; script_params?: Param[] } = {}): Promise<{ uuid: string; name: string }> {
  const name = ctx.underscoreName(row.toLowerCase());
  const o = await tryCreate(ctx, row, createBody(name, row, over));
  if (!o.ok) throw new Error(`${row}: the scratch script ${name} could not be made: ${describe(o)}`);
  return { uuid: created(ctx, row, name, o), name };
}

/** PUT /v1/job/scripts/{uuid} (§4.2.4) with `body` as given. */
const tryUpdate = (ctx: ProbeContext, row: string, uuid: string, body: Record<string, unknown>): Promise<Outcome> =>
  ctx.attempt({ service: "coc", method: "PUT", path: `/v1/job/scripts/${seg(uuid, "the script uuid")}`, body, operation: op(row, "update"), resource: uuid });

/** The full update body (Table 4-19 plus the example's name and type, so S4 does not decide the answer). */
const updateBody = (s: { name: string }, row: string, script_params: Param[]) => ({
  ...createBody(s.name, row),
  description: `pulumi-codearts conformance probe (${row}) scratch script, updated`,
  script_params,
});

/** Where the detail's fields are (§4.2.5): at the top level, inside `data`, or neither. */
function detailOf(body: unknown): { where: "top-level" | "wrapped"; vo: Record<string, unknown> } | undefined {
  const b = body as Record<string, unknown> | null;
  if (!b || typeof b !== "object") return undefined;
  const top = typeof b.script_uuid === "string";
  const d = b.data as Record<string, unknown> | null | undefined;
  const inData = !!d && typeof d === "object" && typeof d.script_uuid === "string";
  if (top === inData) return undefined;
  return top ? { where: "top-level", vo: b } : { where: "wrapped", vo: d! };
}

const getDetail = (ctx: ProbeContext, row: string, uuid: string) =>
  ctx.send({ service: "coc", method: "GET", path: `/v1/job/scripts/${seg(uuid, "the script uuid")}`, operation: op(row, "get"), resource: uuid });

/** The records of a list page (§4.2.2): `data` an array (Table 4-11), or nested once more (the example). */
function listItems(body: unknown): Array<Record<string, unknown>> {
  const d = (body as { data?: unknown } | null)?.data;
  const items = Array.isArray(d) ? d : Array.isArray((d as { data?: unknown } | null)?.data) ? (d as { data: unknown[] }).data : [];
  return items.filter((x): x is Record<string, unknown> => !!x && typeof x === "object");
}

const s1: Probe = {
  row: "S1",
  method: "makes a scratch script with no parameters, updates it with 6 script_params; if refused, the same update with 5 as the control",
  cost: "scratch",
  async run(ctx) {
    const s = await scratch(ctx, "S1");
    const six = await tryUpdate(ctx, "S1", s.uuid, updateBody(s, "S1", params(6)));
    if (six.ok) return found("20", `an update with 6 script_params answered ${describe(six)} (Table 4-19's "0 to 5" is not enforced)`);
    if (!refusal(six)) return notARefusal("an update with 6 script_params", six);
    const five = await tryUpdate(ctx, "S1", s.uuid, updateBody(s, "S1", params(5)));
    if (!five.ok) return unknown(`an update with 6 script_params answered ${describe(six)}, and the control with 5 also failed: ${describe(five)}`);
    return found("5", `an update with 6 script_params answered ${describe(six)}; the same update with 5 answered ${describe(five)}`);
  },
};

/** A value of valid length (3) with `#`, outside §4.2.1's pattern and its garbled variant in §4.2.4. */
const OUTSIDE_PATTERN = "a#b";

/**
 * S2. §5.1 refuses a value outside the pattern with 400 COC.00040601 "The paramValue is invalid.", the
 * code that also means "Exist script with same name". So the control is the same create with the same
 * name and "ab": a refusal about the name (a script of a kept run with a reused --prefix) fails the
 * control too, and the probe says unknown instead of pattern.
 */
const s2: Probe = {
  row: "S2",
  method: `creates a scratch script whose one parameter's value "${OUTSIDE_PATTERN}" is outside the documented pattern; if refused, the same create (same name) with "ab" as the control`,
  cost: "scratch",
  async run(ctx) {
    const name = ctx.underscoreName("s2");
    const outside = await tryCreate(ctx, "S2", createBody(name, "S2", { script_params: params(1, OUTSIDE_PATTERN) }));
    if (outside.ok) {
      created(ctx, "S2", name, outside);
      return found("length", `a create with param_value "${OUTSIDE_PATTERN}" (${OUTSIDE_PATTERN.length} characters, outside the pattern) answered ${describe(outside)}`);
    }
    if (!refusal(outside)) return notARefusal(`a create with param_value "${OUTSIDE_PATTERN}"`, outside);
    const control = await tryCreate(ctx, "S2", createBody(name, "S2", { script_params: params(1, "ab") }));
    if (!control.ok)
      return unknown(`a create with param_value "${OUTSIDE_PATTERN}" answered ${describe(outside)}, and the control with "ab" (same name) also failed: ${describe(control)}`);
    created(ctx, "S2", name, control);
    return found("pattern", `a create with param_value "${OUTSIDE_PATTERN}" answered ${describe(outside)}; the same create (same name) with "ab" answered ${describe(control)}`);
  },
};

const s3: Probe = {
  row: "S3",
  method: "lists one script (limit=1) and reads its detail; only when the account has none, makes a scratch script and reads that",
  cost: "scratch",
  async run(ctx) {
    const page = await ctx.send({ service: "coc", method: "GET", path: "/v1/job/scripts", query: { limit: 1 }, operation: op("S3", "list"), parseJson: parseKeepingIds });
    const existing = listItems(page.body).find((x) => typeof x.script_uuid === "string");
    const uuid = existing ? (existing.script_uuid as string) : (await scratch(ctx, "S3")).uuid;
    const res = await getDetail(ctx, "S3", uuid);
    const d = detailOf(res.body);
    const whose = existing ? "an existing script (read only)" : "a scratch script";
    if (!d)
      return unknown(
        `the detail of ${whose} answered ${res.status} with script_uuid ${typeof (res.body as { script_uuid?: unknown })?.script_uuid === "string" ? "both at the top level and in data" : "neither at the top level nor in data"}: ${JSON.stringify(res.body)?.slice(0, 120)}`,
      );
    return found(
      d.where,
      `the detail of ${whose} answered ${res.status} with script_uuid ${d.where === "top-level" ? "at the top level (no data envelope)" : 'inside {"data": …}'}`,
    );
  },
};

const s4: Probe = {
  row: "S4",
  method: "makes a scratch script, updates it with a body without name and type; if refused, the same update with them as the control",
  cost: "scratch",
  async run(ctx) {
    const s = await scratch(ctx, "S4");
    const { name: _n, type: _t, ...without } = updateBody(s, "S4", []);
    const bare = await tryUpdate(ctx, "S4", s.uuid, without);
    if (bare.ok) return found("ignored", `an update without name and type answered ${describe(bare)}`);
    if (!refusal(bare)) return notARefusal("an update without name and type", bare);
    const full = await tryUpdate(ctx, "S4", s.uuid, updateBody(s, "S4", []));
    if (!full.ok) return unknown(`an update without name and type answered ${describe(bare)}, and the control with them also failed: ${describe(full)}`);
    return found("required", `an update without name and type answered ${describe(bare)}; the same update with them answered ${describe(full)}`);
  },
};

const LARGEST_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** `"id": <digits>` in the raw text, digit for digit (JSON.parse would round beyond 2^53). */
const rawIds = (text: string | undefined) => [...(text ?? "").matchAll(/"id"\s*:\s*"?(\d+)"?/g)].map((m) => m[1]);

const s5: Probe = {
  row: "S5",
  method: "makes a scratch script (the newest id of the sequence) and lists it by name; its id, read digit for digit from the raw answer, is compared with 2^53",
  cost: "scratch",
  async run(ctx) {
    const s = await scratch(ctx, "S5");
    const res = await ctx.send({
      service: "coc",
      method: "GET",
      path: "/v1/job/scripts",
      query: { limit: 100, name_like: s.name.slice(0, 32) },
      operation: op("S5", "list"),
      parseJson: parseKeepingIds,
    });
    const mine = listItems(res.body).find((x) => x.script_uuid === s.uuid);
    if (!mine) return unknown(`the list by name_like did not hold the scratch script ${s.name} just made (${listItems(res.body).length} records)`);
    const id = String(mine.id);
    if (!/^\d+$/.test(id)) return unknown(`the scratch script's list record has no integer id: ${JSON.stringify(mine.id)}`);
    // The same digits must be in the raw answer: the id was not rounded on the way.
    if (!rawIds(res.text).includes(id)) return unknown(`the scratch script's id ${id} is not in the raw answer's text digit for digit`);
    const big = BigInt(id);
    if (big > LARGEST_SAFE) return found("long", `the newest script's id is ${id}, beyond 2^53 (${LARGEST_SAFE}): a double would read it as ${Number(id)}`);
    const others = rawIds(res.text).filter((x) => x !== id && BigInt(x) > LARGEST_SAFE);
    if (others.length > 0) return found("long", `ids beyond 2^53 in the list: ${others.slice(0, 3).join(", ")}`);
    return found(
      "small",
      `the newest script's id is ${id}, below 2^53; this shows where the account's id sequence is now, not a bound: Table 4-12 allows any Long, and an auto-increment id would need ${(LARGEST_SAFE - big).toString()} more records to pass 2^53 (the provider reads ids as text under either reading)`,
    );
  },
};

const CRLF_CONTENT = "echo pulumi-codearts\r\necho conformance\r\n";

const s6: Probe = {
  row: "S6",
  method: "makes a scratch script whose content has CRLF line endings and reads its detail",
  cost: "scratch",
  async run(ctx) {
    const s = await scratch(ctx, "S6", { content: CRLF_CONTENT });
    const res = await getDetail(ctx, "S6", s.uuid);
    const content = detailOf(res.body)?.vo.content;
    if (typeof content !== "string") return unknown(`the detail answered ${res.status} without a content: ${JSON.stringify(res.body)?.slice(0, 120)}`);
    if (content === CRLF_CONTENT) return found("verbatim", `content written with CRLF read back with CRLF: ${JSON.stringify(content)}`);
    if (content === CRLF_CONTENT.replace(/\r\n/g, "\n")) return found("lf", `content written with CRLF read back with LF: ${JSON.stringify(content)}`);
    return unknown(`content written as ${JSON.stringify(CRLF_CONTENT)} read back as neither that nor its LF form: ${JSON.stringify(content).slice(0, 120)}`);
  },
};

export const PROBES: Probe[] = [s1, s2, s3, s4, s5, s6];
export const UNPROBEABLE: Unprobeable[] = [];
