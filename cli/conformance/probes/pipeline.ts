import { AnswerError, ApiError, isGatewayCode, NetworkError } from "../../../provider/errors";
import { seg } from "../../../provider/http";
import { pipeline } from "../../../provider/resources/pipeline";
import { pipelineGroup } from "../../../provider/resources/pipelineGroup";
import { pipelineTemplate, sameUpToNormalisation } from "../../../provider/resources/pipelineTemplate";
import { describe, found, unknown, type Outcome, type Probe, type ProbeContext, type Unprobeable } from "../probe";

/**
 * The CodeArts Pipeline rows (CodeArts Pipeline API Reference §4.1–§4.3): scratch templates (tenant level, no CodeArts
 * project needed) for L4, L5 and N1; scratch groups and pipelines in --project for L1 and L2. Scratch
 * objects are made with one documented create each and removed with the resource kinds' own delete
 * (which serves every reading of every row: a group is deleted only once empty, an object already gone
 * counts as removed).
 */

const needsProject = "needs a CodeArts project to make scratch groups and pipelines in: run with --project <CodeArts project id>";

// ---------------------------------------------------------------------------------------------
// Templates (§4.1): tenant level.

const templatesPath = (tenant: string, id?: string) => `/v5/${seg(tenant, "the account id")}/api/pipeline-templates${id ? `/${seg(id, "a template id")}` : ""}`;

/** A small definition, "the orchestration JSON, including stages" (Table 4-9). */
const definitionText = (label: string) =>
  JSON.stringify({ stages: [{ name: "Build", sequence: 0, identifier: `${label}-stage`, jobs: [{ name: "Compile", identifier: `${label}-job`, sequence: 0, steps: [] }] }] });

/** Creates a scratch template (§4.1.2) with the body given (its mandatory fields filled), registers its removal, returns its id. */
async function makeTemplate(ctx: ProbeContext, label: string, body: Record<string, unknown>): Promise<{ tenant: string; id: string; outcome: Outcome }> {
  const tenant = await ctx.domainId();
  const name = ctx.name(label);
  const outcome = await ctx.attempt({
    service: "pipeline",
    method: "POST",
    path: templatesPath(tenant),
    body: { name, language: "none", definition: definitionText(name), is_system: false, domain_id: tenant, is_show_source: false, ...body },
    operation: `Conformance.${label}.createTemplate`,
    resource: name,
  });
  const id = outcome.ok ? templateIdOf(outcome.res.body) : undefined;
  if (id) removeTemplate(ctx, tenant, name, id);
  else if (outcome.ok) throw new Error(`the template create for ${name} answered ${outcome.res.status} without a templateId: look for templates named ${name}`);
  else if (outcome.error.status >= 500) {
    // It may have been made: whatever template of that name the tenant has and this run has not registered is ours.
    const res = await ctx.send({
      service: "pipeline",
      method: "POST",
      path: `${templatesPath(tenant)}/list`,
      body: { name, is_system: false, offset: 0, limit: 10 },
      idempotent: true,
      operation: `Conformance.${label}.listTemplates`,
      resource: name,
    });
    for (const t of (res.body as { templates?: Array<{ id?: unknown; name?: unknown }> | null } | null)?.templates ?? []) {
      if (t?.name === name && typeof t.id === "string" && !made.has(t.id)) removeTemplate(ctx, tenant, name, t.id);
    }
  }
  return { tenant, id: id ?? "", outcome };
}

/** Templates this process made and registered for removal: a sweep after an ambiguous create leaves them to their own cleanup. */
const made = new Set<string>();

function removeTemplate(ctx: ProbeContext, tenant: string, name: string, id: string): void {
  made.add(id);
  ctx.removes(`pipeline template ${name} (${id})`, pipelineTemplate, id, { domainId: tenant });
}

/** `templateId` (the examples) or `templatelId` (Table 4-11). */
function templateIdOf(body: unknown): string | undefined {
  const b = (body ?? {}) as { templateId?: unknown; templatelId?: unknown };
  const id = b.templateId ?? b.templatelId;
  return typeof id === "string" && id !== "" ? id : undefined;
}

async function getTemplate(ctx: ProbeContext, tenant: string, id: string, label: string): Promise<Record<string, unknown>> {
  const res = await ctx.send({ service: "pipeline", method: "GET", path: templatesPath(tenant, id), operation: `Conformance.${label}.getTemplate`, resource: id });
  if (res.body === null || typeof res.body !== "object" || Array.isArray(res.body)) throw new Error(`the template detail of ${id} is not a JSON object`);
  return res.body as Record<string, unknown>;
}

/**
 * L4: a definition sent in a form a service that normalises would change (keys not sorted, a numeric
 * `sequence` as the string "0", a null member, no spaces), read back: byte for byte → verbatim; the
 * same up to normalisation but not the same text → normalised.
 */
const l4: Probe = {
  row: "L4",
  method: 'creates a scratch template whose definition has unsorted keys, "0" for 0 and a null member (§4.1.2), reads it back (§4.1.3), deletes it',
  cost: "scratch",
  async run(ctx) {
    const label = "l4";
    const sent = `{"stages":[{"sequence":"0","name":"Build","identifier":"${ctx.name(label)}-stage","post":null,"jobs":[{"sequence":0,"name":"Compile","identifier":"${ctx.name(label)}-job","steps":[]}]}]}`;
    const made = await makeTemplate(ctx, label, { definition: sent });
    if (!made.outcome.ok) return unknown(`the scratch template was not made: ${describe(made.outcome)}`);
    const read = (await getTemplate(ctx, made.tenant, made.id, label)).definition;
    if (typeof read !== "string") return unknown(`the template detail carries no definition string (${JSON.stringify(read)?.slice(0, 60)})`);
    if (read === sent) return found("verbatim", `definition read back byte for byte as sent (${sent.length} characters, unsorted keys, "sequence":"0", "post":null kept)`);
    let same: boolean;
    try {
      same = sameUpToNormalisation(JSON.parse(sent), JSON.parse(read));
    } catch {
      return unknown(`the definition read back is not JSON: ${read.slice(0, 80)}`);
    }
    if (same) return found("normalised", `sent ${sent.slice(0, 40)}…, read back ${read.slice(0, 60)}…: rewritten, same up to key order, "0"/0 and null members`);
    return unknown(`the definition read back differs in meaning from what was sent: ${read.slice(0, 100)}`);
  },
};

/**
 * L5: a template with the optional `description` and `variables` (Table 4-9) left out, read back: each
 * field null, absent, or a service default ("" and []). Both must agree.
 */
const l5: Probe = {
  row: "L5",
  method: "creates a scratch template without description and variables (§4.1.2), reads it back (§4.1.3), deletes it",
  cost: "scratch",
  async run(ctx) {
    const label = "l5";
    const made = await makeTemplate(ctx, label, {});
    if (!made.outcome.ok) return unknown(`the scratch template was not made: ${describe(made.outcome)}`);
    const detail = await getTemplate(ctx, made.tenant, made.id, label);
    const DEFAULTS: Record<string, unknown> = { description: "", variables: [] };
    const seen = Object.keys(DEFAULTS).map((k) => {
      if (!(k in detail)) return { k, reading: "omitted", shown: "absent" };
      const v = detail[k];
      if (v === null) return { k, reading: "null", shown: "null" };
      if (JSON.stringify(v) === JSON.stringify(DEFAULTS[k])) return { k, reading: "defaults", shown: JSON.stringify(v) };
      return { k, reading: "", shown: JSON.stringify(v)?.slice(0, 40) ?? String(v) };
    });
    const evidence = seen.map((s) => `${s.k} ${s.shown}`).join(", ");
    const readings = new Set(seen.map((s) => s.reading));
    if (readings.size === 1 && !readings.has("")) return found(seen[0].reading, `unset fields read back: ${evidence}`);
    return unknown(`the unset fields read back as no one reading has them: ${evidence}`);
  },
};

/**
 * N1, on tenant-level pipeline templates (one of the row's kinds; no project needed): two creates with
 * the same body, hence the same name. The second succeeding (a second id) is `repeat`; the second refused
 * by the service while the first, identical, was accepted is `unique`.
 */
const n1: Probe = {
  row: "N1",
  method: "creates two scratch pipeline templates with the same name (§4.1.2; templates stand for the row's kinds), deletes what was made",
  cost: "scratch",
  async run(ctx) {
    const first = await makeTemplate(ctx, "n1", {});
    if (!first.outcome.ok) return unknown(`the first scratch template was not made: ${describe(first.outcome)}`);
    const second = await makeTemplate(ctx, "n1", {});
    if (second.outcome.ok) return found("repeat", `a second template named ${ctx.name("n1")} was made (${second.id} beside ${first.id})`);
    const e = second.outcome.error;
    if (e.status >= 200 && e.status < 500 && e.status !== 429 && e.errorCode && !isGatewayCode(e.errorCode))
      return found("unique", `the same body a second time was refused: ${describe(second.outcome)}`);
    return unknown(`the second create answered ${describe(second.outcome)}, not a refusal of the service`);
  },
};

// ---------------------------------------------------------------------------------------------
// Groups and pipelines (§4.2, §4.3): in the CodeArts project given.

interface ScratchGroup {
  id: string;
  pathId: string;
}

/** Creates a scratch group (§4.3.1), registers its removal; its id and path (from the answer, or the tree when the answer lacks it). */
/**
 * A create whose failure may have applied it (a 5xx, a reset or timeout after sending, an answer not
 * JSON): `sweep` registers for removal whatever object of the scratch name the service now shows, then
 * the error goes on (the probe fails, nothing is left).
 */
async function orSweep<T>(create: () => Promise<T>, sweep: () => Promise<void>): Promise<T> {
  try {
    return await create();
  } catch (e) {
    if ((e instanceof ApiError && e.status >= 500) || (e instanceof NetworkError && e.ambiguous) || e instanceof AnswerError) await sweep().catch(() => undefined);
    throw e;
  }
}

const removeGroup = (ctx: ProbeContext, project: string, name: string, id: string) => ctx.removes(`pipeline group ${name} (${id})`, pipelineGroup, id, { projectId: project });
const removePipeline = (ctx: ProbeContext, project: string, name: string, id: string) => ctx.removes(`pipeline ${name} (${id})`, pipeline, id, { projectId: project });

function* allGroups(tree: readonly TreeNode[] | null | undefined): Generator<TreeNode> {
  for (const g of tree ?? []) {
    yield g;
    yield* allGroups(g.children);
  }
}

async function makeGroup(ctx: ProbeContext, project: string, label: string, parent?: ScratchGroup): Promise<ScratchGroup> {
  const name = ctx.name(label);
  const res = await orSweep(
    () =>
      ctx.send({
        service: "pipeline",
        method: "POST",
        path: `/v5/${seg(project, "the CodeArts project id")}/api/pipeline-group/create`,
        body: { name, project_id: project, parent_id: parent?.id ?? "" },
        operation: `Conformance.${label}.createGroup`,
        resource: name,
      }),
    async () => {
      for (const g of allGroups(await groupTree(ctx, project, label))) if (g.name === name && g.id) removeGroup(ctx, project, name, g.id);
    },
  );
  const b = (res.body ?? {}) as { id?: unknown; path_id?: unknown };
  if (typeof b.id !== "string" || b.id === "") throw new Error(`the group create for ${name} answered without an id: look for groups named ${name}`);
  const id = b.id;
  removeGroup(ctx, project, name, id);
  let pathId = typeof b.path_id === "string" && b.path_id !== "" ? b.path_id : undefined;
  if (!pathId) {
    const tree = await groupTree(ctx, project, label);
    pathId = findIn(tree, id)?.path_id ?? undefined;
    if (!pathId) throw new Error(`group ${id} was made but neither its create answer nor the tree gives its path_id`);
  }
  return { id, pathId };
}

/** Creates a scratch pipeline in a group (§4.2.9 takes `group_id`), registers its removal, returns its id. */
async function makePipeline(ctx: ProbeContext, project: string, label: string, group: ScratchGroup): Promise<string> {
  const name = ctx.name(label);
  const res = await orSweep(
    () =>
      ctx.send({
        service: "pipeline",
        method: "POST",
        path: `/v5/${seg(project, "the CodeArts project id")}/api/pipelines`,
        body: { name, is_publish: false, sources: [], definition: definitionText(name), group_id: group.id },
        operation: `Conformance.${label}.createPipeline`,
        resource: name,
      }),
    async () => {
      for (const p of await listed(ctx, project, label, { name })) if (p.name === name) removePipeline(ctx, project, name, p.id);
    },
  );
  const id = (res.body as { pipeline_id?: unknown } | null)?.pipeline_id;
  if (typeof id !== "string" || id === "") throw new Error(`the pipeline create for ${name} answered without a pipeline_id: look for pipelines named ${name}`);
  removePipeline(ctx, project, name, id);
  return id;
}

interface TreeNode {
  id?: string;
  name?: string;
  path_id?: string;
  children?: TreeNode[] | null;
}

async function groupTree(ctx: ProbeContext, project: string, label: string): Promise<TreeNode[]> {
  const res = await ctx.send({
    service: "pipeline",
    method: "GET",
    path: `/v5/${seg(project, "the CodeArts project id")}/api/pipeline-group/tree`,
    operation: `Conformance.${label}.groupTree`,
  });
  if (!Array.isArray(res.body)) throw new Error("the group tree is not an array (§4.3.4)");
  return res.body as TreeNode[];
}

function findIn(tree: readonly TreeNode[] | null | undefined, id: string): TreeNode | undefined {
  for (const g of tree ?? []) {
    if (g.id === id) return g;
    const below = findIn(g.children, id);
    if (below) return below;
  }
  return undefined;
}

/** The pipelines of the list (§4.2.4) for the body given (first page; scratch groups hold two at most). */
async function listed(ctx: ProbeContext, project: string, label: string, body: Record<string, unknown>): Promise<Array<{ id: string; name: unknown }>> {
  const res = await ctx.send({
    service: "pipeline",
    method: "POST",
    path: `/v5/${seg(project, "the CodeArts project id")}/api/pipelines/list`,
    body: { offset: 0, limit: 10, ...body },
    idempotent: true, // a read
    operation: `Conformance.${label}.listPipelines`,
  });
  const items = (res.body as { pipelines?: unknown } | null)?.pipelines;
  if (items !== null && items !== undefined && !Array.isArray(items)) throw new Error("the pipeline list's `pipelines` is not an array (Table 4-59)");
  return ((items as Array<{ pipeline_id?: unknown; name?: unknown }> | null) ?? []).map((p) => ({ id: String(p?.pipeline_id), name: p?.name }));
}

/**
 * L1: a parent group P holding pipeline A and a sub-group C holding pipeline B. The list filtered by
 * P's path (= its id, top level) gives A and B under `subtree`, A alone otherwise; then C's dot-joined
 * path gives B under `path`; C's own id gives B under `id`.
 */
const l1: Probe = {
  row: "L1",
  method: "makes scratch groups P > C with a pipeline in each (§4.3.1, §4.2.9), lists pipelines by group_path_id (§4.2.4) for P's path, then C's path or C's id, deletes them",
  cost: "scratch",
  async run(ctx) {
    const project = ctx.codeartsProjectId;
    if (!project) return unknown(needsProject);
    const label = "l1";
    const parent = await makeGroup(ctx, project, `${label}-parent`);
    const child = await makeGroup(ctx, project, `${label}-child`, parent);
    if (child.pathId === child.id) return unknown(`the sub-group's path_id is its own id (${child.id}): the path and id readings cannot be told apart`);
    const a = await makePipeline(ctx, project, `${label}-in-parent`, parent);
    const b = await makePipeline(ctx, project, `${label}-in-child`, child);
    const ours = (ids: string[]) => ids.filter((id) => id === a || id === b);
    const show = (ids: string[]) =>
      `{${ours(ids)
        .map((id) => (id === a ? "A" : "B"))
        .sort()
        .join(",")}}`;
    const ids = async (body: Record<string, unknown>) => (await listed(ctx, project, label, body)).map((p) => p.id);
    const byParent = ours(await ids({ group_path_id: parent.pathId, by_group: true }));
    const q1 = `group_path_id=<P's path> → ${show(byParent)}`;
    if (byParent.length === 2) return found("subtree", `${q1}: the sub-group's pipeline included`);
    if (byParent.length !== 1 || byParent[0] !== a) return unknown(`${q1}, expected {A} or {A,B} (A in P, B in its sub-group C)`);
    const byChildPath = ours(await ids({ group_path_id: child.pathId, by_group: true }));
    const q2 = `${q1}; C's dot-joined path → ${show(byChildPath)}`;
    if (byChildPath.length === 1 && byChildPath[0] === b) return found("path", q2);
    if (byChildPath.length !== 0) return unknown(`${q2}, expected {B} or {}`);
    const byChildId = ours(await ids({ group_path_id: child.id, by_group: true }));
    const q3 = `${q2}; C's id → ${show(byChildId)}`;
    if (byChildId.length === 1 && byChildId[0] === b) return found("id", q3);
    return unknown(`${q3}: no reading answers so`);
  },
};

/**
 * L2: a parent group P with a sub-group C holding pipeline X; P deleted directly (§4.3.3), then the
 * tree and the list tell: refused with both groups still there → refuse; both groups gone and X gone →
 * cascade; both groups gone and X still listed → ungroup.
 */
const l2: Probe = {
  row: "L2",
  method:
    "makes scratch groups P > C and a pipeline in C (§4.3.1, §4.2.9), deletes P (§4.3.3), reads the tree (§4.3.4) and lists the pipeline by name (§4.2.4), deletes what is left",
  cost: "scratch",
  async run(ctx) {
    const project = ctx.codeartsProjectId;
    if (!project) return unknown(needsProject);
    const label = "l2";
    const parent = await makeGroup(ctx, project, `${label}-parent`);
    const child = await makeGroup(ctx, project, `${label}-child`, parent);
    const pipelineName = ctx.name(`${label}-pipeline`);
    const x = await makePipeline(ctx, project, `${label}-pipeline`, child);
    const del = await ctx.attempt({
      service: "pipeline",
      method: "DELETE",
      path: `/v5/${seg(project, "the CodeArts project id")}/api/pipeline-group/delete`,
      query: { id: parent.id },
      operation: `Conformance.${label}.deleteGroup`,
      resource: parent.id,
    });
    if (!del.ok && (del.error.status >= 500 || del.error.status === 429))
      return unknown(`deleting the parent answered ${describe(del)}: a server error or throttling, not an answer about the group`);
    const tree = await groupTree(ctx, project, label);
    const parentThere = findIn(tree, parent.id) !== undefined;
    const childThere = findIn(tree, child.id) !== undefined;
    const groups = `the tree then ${parentThere ? "shows" : "lacks"} P and ${childThere ? "shows" : "lacks"} C`;
    if (!del.ok) {
      if (parentThere && childThere) return found("refuse", `deleting P (with sub-group C holding a pipeline) answered ${describe(del)}; ${groups}`);
      return unknown(`deleting P answered ${describe(del)} but ${groups}`);
    }
    if (parentThere || childThere) return unknown(`deleting P answered ${describe(del)} but ${groups}`);
    const stillListed = (await listed(ctx, project, label, { name: pipelineName })).some((p) => p.id === x);
    return stillListed
      ? found("ungroup", `deleting P answered ${describe(del)}; ${groups}; C's pipeline is still listed`)
      : found("cascade", `deleting P answered ${describe(del)}; ${groups}; C's pipeline is no longer listed`);
  },
};

export const PROBES: Probe[] = [l1, l2, l4, l5, n1];
export const UNPROBEABLE: Unprobeable[] = [];
