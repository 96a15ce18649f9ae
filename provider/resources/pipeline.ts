import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { Context, PartialCreateError, ResourceKind } from "../dynamic";
import { anyJson, hexId, object } from "../answers";
import { ApiError } from "../errors";
import { seg } from "../http";
import { collect, findFirst, offsetPages } from "../paging";
import { hex32, int32, jsonDocument, locateInProject, nonBlank, ownId, snakeKeys } from "./common";
import { findGroup, getGroupTree, GroupVo } from "./pipelineGroup";
import { customVariable, limitObject, variablesToApi } from "./pipelineVariables";

/**
 * Pipeline — a CodeArts pipeline (CodeArts Pipeline API Reference §4.2), made from a definition (§4.2.9) or from a template
 * (§4.2.8). The API has no GET of one pipeline and no update: a pipeline is read by listing (§4.2.4)
 * and matching its id exactly, and every change replaces it, except its group, which the move API
 * sets (§4.3.5). A running pipeline cannot be deleted (DEVPIPE.0011408): delete stops its runs
 * (§4.2.6) and retries for a bounded time.
 */

/** CodeSource (Tables 4-82/4-83, 4-90/4-91). */
const codeSource = z.strictObject({
  type: z.string().optional(),
  params: z
    .strictObject({
      gitType: z.string().optional(),
      codehubId: z.string().optional(),
      endpointId: z.string().optional(),
      defaultBranch: z.string().optional(),
      gitUrl: z.string().optional(),
      sshGitUrl: z.string().optional(),
      webUrl: z.string().optional(),
      repoName: z.string().optional(),
      alias: z
        .string()
        .max(128, "must be at most 128 characters (Table 4-83)")
        .regex(/^[A-Za-z0-9_]*$/, "may contain only letters, digits and underscores (Table 4-83)")
        .optional(),
    })
    .optional(),
});

/** PipelineSchedule (Table 4-93); `enable` is a String there. */
const schedule = z.strictObject({
  uuid: z.string().optional(),
  type: z.string().optional(),
  name: z.string().optional(),
  enable: z.string().optional(),
  daysOfWeek: z.array(int32).optional(),
  timeZone: z.string().optional(),
});

/** PipelineTrigger (Tables 4-94, 4-95). */
const trigger = z.strictObject({
  pipelineId: z.string().optional(),
  gitUrl: z.string().optional(),
  gitType: z.string().optional(),
  isAutoCommit: z.boolean().optional(),
  events: z.array(z.strictObject({ type: z.string().optional(), enable: z.boolean().optional() })).optional(),
  hookId: z.string().optional(),
  repoId: z.string().optional(),
  endpointId: z.string().optional(),
  callbackUrl: z.string().optional(),
  /** A credential of the repository: give it as a Pulumi secret. */
  securityToken: z.string().optional(),
});

/** Body fields of §4.2.9 that §4.2.8 (from a template) does not take. */
const DEFINITION_ONLY = ["definition", "schedules", "triggers", "manifestVersion", "projectName"] as const;

export const pipelineSchema = z
  .strictObject({
    /** CodeArts project the pipeline belongs to (32 hex). */
    projectId: hex32("CodeArts project ID"),
    /** Required here although §4.2.9 makes it optional: §4.2.8 and the move API (§4.3.5) need it, and reads look it up by name. */
    name: nonBlank,
    description: z.string().optional(),
    /** Whether it is a change (release) pipeline. */
    isPublish: z.boolean().optional(),
    /** Microservice (component) id, the `component_id` query parameter. */
    componentId: z.string().optional(),
    /** Create from this template (§4.2.8) instead of from a definition (§4.2.9). */
    templateId: hex32("pipeline template ID").optional(),
    sources: z.array(codeSource).optional(),
    /** CustomVariable (Table 4-92); with templateId, the variables of Table 4-84 (limits are strings). */
    variables: z.array(customVariable(z.union([z.string(), limitObject]))).optional(),
    schedules: z.array(schedule).optional(),
    triggers: z.array(trigger).optional(),
    /** Structure version; the service's default is "3.0". */
    manifestVersion: z.string().optional(),
    /** The pipeline structure definition, as an object or a string; compared semantically. */
    definition: jsonDocument("the pipeline structure definition").optional(),
    projectName: z.string().optional(),
    /** The group the pipeline is in; set at create and moved in place (§4.3.5). */
    groupId: hex32("pipeline group ID").optional(),
    /** Id of an existing pipeline of the project to take under management instead of creating one. */
    adoptId: hex32("pipeline ID").optional(),
  })
  .superRefine((p, ctx) => {
    const fromTemplate = p.templateId !== undefined;
    if (fromTemplate) {
      // Table 4-81: name, is_publish and sources are mandatory; the definition comes from the template.
      if (p.isPublish === undefined) ctx.addIssue({ code: "custom", path: ["isPublish"], message: "is required when templateId is set (§4.2.8 Table 4-81)" });
      if (p.sources === undefined) ctx.addIssue({ code: "custom", path: ["sources"], message: "is required when templateId is set (§4.2.8 Table 4-81); [] for none" });
      for (const key of DEFINITION_ONLY) {
        if (p[key] !== undefined)
          ctx.addIssue({ code: "custom", path: [key], message: "cannot be set with templateId: a pipeline made from a template takes it from the template (§4.2.8 Table 4-81)" });
      }
    }
    p.variables?.forEach((v, i) => {
      if (fromTemplate) {
        for (const key of ["pipelineId", "runtimeValue"] as const) {
          if (v[key] !== undefined) ctx.addIssue({ code: "custom", path: ["variables", i, key], message: "cannot be set with templateId (§4.2.8 Table 4-84 has no such field)" });
        }
      }
      v.limits?.forEach((l, j) => {
        if (fromTemplate !== (typeof l === "string")) {
          ctx.addIssue({
            code: "custom",
            path: ["variables", i, "limits", j],
            message: fromTemplate
              ? "must be a string with templateId (§4.2.8 Table 4-84: limits are an array of strings)"
              : "must be an object (Table 4-92: limits are an array of objects)",
          });
        }
      });
    });
  });
export type PipelineInputs = z.output<typeof pipelineSchema>;

export interface PipelineOutputs extends Record<string, unknown> {
  projectId: string;
  name: string;
  groupId?: string;
  /** The declared group's path (dot-joined ids), the list's `group_path_id` filter. */
  groupPathId?: string;
  createTime?: number;
}

/** Table 4-59. */
interface PipelineItem {
  pipeline_id: string;
  name: string;
  project_id?: string;
  component_id?: string | null;
  is_publish?: boolean | null;
  manifest_version?: string | null;
  create_time?: number | null;
}

/** DEVPIPE.0011401: "Pipeline does not exist." (§5.2; Terraform knows it as DEVPIPE.00011401); DEVCP.00012002: record does not exist. */
// DEVPIPE.00011412 ("the project does not exist") is not proof: it is also the answer for another
// account's project, so on a permission problem it would drop live pipelines from the state.
const NOT_FOUND = ["DEVPIPE.0011401", "DEVPIPE.00011401", "DEVCP.00012002"];
/** §5.2: "The pipeline is running and cannot be deleted." */
const RUNNING = "DEVPIPE.0011408";
/** Run statuses that have not ended (§4.2.7 example). */
const ACTIVE_RUNS = ["RUNNING", "QUEUED", "PAUSED", "SUSPEND"];
/** The page size the §4.2.4 and §4.2.7 examples use; no maximum is documented. */
const PAGE = 10;
/** How long delete keeps stopping runs and retrying before it gives up. */
export const DELETE_TIMEOUT_MS = 120_000;

const NO_UPDATE = "the Pipeline API has no update (CodeArts Pipeline API Reference §4.2): a pipeline cannot change once created";

/** §4.2.4: a page of pipelines; what a read records is required. */
const pipelinesPage = object({ total: z.number().optional(), pipelines: z.array(object({ pipeline_id: hexId, name: z.string() })).nullable() });
/** §4.2.x run listing: the ids of the runs. */
const runsPage = object({ total: z.number().optional(), pipeline_runs: z.array(object({ pipeline_run_id: z.string() })).nullable() });
/** §4.2.9 / §4.1.6: the new pipeline's id, in its documented form (it becomes the id). */
const createdAnswer = object({ pipeline_id: hexId });
/** §4.3.5: one result per pipeline moved (Table 4-132). */
const moveAnswer = z.array(object({ code: z.string(), pipeline_id: z.string() })).nullable();

const api = (projectId: string) => `/v5/${seg(projectId)}/api`;

function locate(id: string, state: Record<string, unknown>): { projectId: string; pipelineId: string } {
  const { projectId, objectId } = locateInProject("Pipeline", "pipelineId", id, state);
  return { projectId, pipelineId: objectId };
}

/** Every pipeline of the project the filter selects, page by page (paging in the POST body). */
function listPipelines(ctx: Context, projectId: string, filter: Record<string, unknown>): AsyncGenerator<PipelineItem> {
  return offsetPages(async (offset, limit) => {
    const res = await ctx.client.send<{ total?: number; pipelines?: PipelineItem[] | null }>({
      service: "pipeline",
      method: "POST",
      path: `${api(projectId)}/pipelines/list`,
      body: { ...filter, offset, limit },
      operation: "Pipeline.list",
      answer: pipelinesPage,
      resource: `project ${projectId}`,
      idempotent: true, // a read
      read: true,
    });
    return { items: res.body.pipelines ?? [], total: res.body.total };
  }, PAGE);
}

const inGroup = (path: string) => ({ group_path_id: path, by_group: true });

/** The path of a group of the project; undefined when there is no such group. */
async function findGroupPath(ctx: Context, projectId: string, groupId: string): Promise<string | undefined> {
  const g = findGroup(await getGroupTree(ctx, projectId), groupId);
  return g && (g.path_id ?? g.id);
}

/** The path of a group of the project, or an error saying it does not exist. */
async function groupPath(ctx: Context, projectId: string, groupId: string): Promise<string> {
  const path = await findGroupPath(ctx, projectId, groupId);
  if (!path) throw new Error(`Pipeline: groupId "${groupId}" names no pipeline group of project ${projectId}`);
  return path;
}

/**
 * L1: the list's `group_path_id` ("Pipeline Group ID", String) may select by the group's dot-joined
 * path or by its id, and may include the pipelines of sub-groups. A group's pipelines are therefore
 * looked for with both values (they differ only for a nested group, and neither can select another
 * group under the other reading), and a pipeline a group's filter shows is placed in the deepest
 * sub-group whose filter shows it too: under `path` and `id` no sub-group does, under `subtree` that is
 * where it really is.
 */
const groupFilters = (g: GroupVo): string[] => [...new Set([g.path_id ?? g.id, g.id])];

/** The pipeline as the group's filter lists it (name narrows the fuzzy search), or undefined. */
async function listedIn(ctx: Context, projectId: string, g: GroupVo, pipelineId: string, name?: string): Promise<PipelineItem | undefined> {
  for (const value of groupFilters(g)) {
    const item = await findFirst(listPipelines(ctx, projectId, { ...(name ? { name } : {}), ...inGroup(value) }), (p) => p.pipeline_id === pipelineId);
    if (item) return item;
  }
  return undefined;
}

/** The group that holds the pipeline directly, given a group whose filter shows it (see groupFilters). */
async function holder(ctx: Context, projectId: string, g: GroupVo, pipelineId: string): Promise<GroupVo> {
  for (const child of g.children ?? []) if (await listedIn(ctx, projectId, child, pipelineId)) return holder(ctx, projectId, child, pipelineId);
  return g;
}

/** The group a pipeline is in, found through the list's group filter, group by group. */
async function findMembership(ctx: Context, projectId: string, pipelineId: string, tree?: GroupVo[]): Promise<GroupVo | undefined> {
  const pending = [...(tree ?? (await getGroupTree(ctx, projectId)))];
  for (let g = pending.shift(); g; g = pending.shift()) {
    if (await listedIn(ctx, projectId, g, pipelineId)) return holder(ctx, projectId, g, pipelineId);
    pending.push(...(g.children ?? []));
  }
  return undefined;
}

/** Moves one pipeline into a group (§4.3.5); a per-item "failed" inside the HTTP 200 is an error. */
async function moveToGroup(ctx: Context, projectId: string, pipelineId: string, name: string, groupId: string): Promise<void> {
  const path = `${api(projectId)}/pipeline-group/pipeline/move`;
  const operation = "Pipeline.moveToGroup";
  const res = await ctx.client.send<Array<{ code?: string; pipeline_id?: string }> | null>({
    service: "pipeline",
    method: "POST",
    path,
    body: { group_id: groupId, pipelines: [{ pipeline_id: pipelineId, pipeline_name: name }] },
    operation,
    answer: moveAnswer,
    resource: pipelineId,
    idempotent: true, // moving into the same group twice is harmless
  });
  const item = (res.body ?? []).find((r) => r.pipeline_id === pipelineId);
  if (item?.code !== "success") {
    throw new ApiError({
      status: res.status,
      errorMsg: `the move of pipeline ${pipelineId} into group ${groupId} came back ${item ? `"${item.code}"` : "without a result for it"}`,
      requestId: res.requestId,
      operation,
      resource: pipelineId,
      method: "POST",
      path,
      body: res.body,
    });
  }
}

/** Fields both create APIs take (Tables 4-81 and 4-89). */
function commonBody(i: PipelineInputs) {
  return {
    name: i.name,
    description: i.description,
    is_publish: i.isPublish,
    sources: i.sources?.map((s) => ({ type: s.type, params: s.params && snakeKeys(s.params) })),
    variables: variablesToApi(i.variables),
  };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Deletes a pipeline; while the service refuses because it is running (DEVPIPE.0011408), stops its
 * active runs (§4.2.7, §4.2.6) and retries with growing pauses until `timeoutMs` has passed.
 */
export async function deleteStoppingRuns(ctx: Context, projectId: string, pipelineId: string, timeoutMs = DELETE_TIMEOUT_MS): Promise<void> {
  const base = `${api(projectId)}/pipelines/${seg(pipelineId)}`;
  const deadline = Date.now() + timeoutMs;
  const stopped = new Set<string>();
  for (let pause = 250; ; pause = Math.min(pause * 2, 5_000)) {
    try {
      await ctx.client.send({ service: "pipeline", method: "DELETE", path: base, operation: "Pipeline.delete", answer: object({ pipeline_id: z.string() }), resource: pipelineId });
      return;
    } catch (e) {
      if (!(e instanceof ApiError && e.errorCode === RUNNING)) throw e;
      if (Date.now() >= deadline) {
        throw new Error(
          `Pipeline ${pipelineId} was not deleted: it is still running ${timeoutMs / 1000} s later although ` +
            `${stopped.size > 0 ? `its runs ${[...stopped].join(", ")} were asked to stop` : "no active run could be found to stop"}. ` +
            `Wait for its runs to end (or stop them in CodeArts), then delete again. Last answer: ${e.message}`,
          { cause: e },
        );
      }
    }
    const active = offsetPages(async (offset, limit) => {
      const res = await ctx.client.send<{ total?: number; pipeline_runs?: Array<{ pipeline_run_id: string }> | null }>({
        service: "pipeline",
        method: "POST",
        path: `${base}/pipeline-runs/list`,
        body: { status: ACTIVE_RUNS, offset, limit },
        operation: "Pipeline.runs",
        answer: runsPage,
        resource: pipelineId,
        idempotent: true, // a read
        read: true,
      });
      return { items: res.body.pipeline_runs ?? [], total: res.body.total };
    }, PAGE);
    for await (const r of active) {
      if (stopped.has(r.pipeline_run_id)) continue;
      ctx.log(`Pipeline ${pipelineId} is running: stopping run ${r.pipeline_run_id} so that it can be deleted`);
      try {
        await ctx.client.send({
          service: "pipeline",
          method: "POST",
          path: `${base}/pipeline-runs/${seg(r.pipeline_run_id)}/stop`,
          operation: "Pipeline.stop",
          answer: anyJson,
          resource: r.pipeline_run_id,
          idempotent: true, // stopping twice is harmless
        });
      } catch (e) {
        if (e instanceof ApiError && e.provesAbsence(NOT_FOUND)) continue; // the run or the pipeline went meanwhile
        throw new Error(`Pipeline ${pipelineId} was not deleted: it is running (${RUNNING}) and stopping its run ${r.pipeline_run_id} failed: ${message(e)}`, { cause: e });
      }
      stopped.add(r.pipeline_run_id);
    }
    await sleep(Math.max(0, Math.min(pause, deadline - Date.now())));
  }
}

/** An input the list reports, compared only when the program declared it (undeclared = the service's default). */
const declaredOr = <T>(declared: T | undefined, actual: T | null | undefined): T | undefined => (declared === undefined ? undefined : (actual ?? undefined));

/** What the service says of a pipeline now; undefined when it is gone. */
async function readPipeline(ctx: Context, id: string, state: Record<string, unknown>): Promise<{ outs: PipelineOutputs; inputs: PipelineInputs } | undefined> {
  const { projectId, pipelineId } = locate(id, state);
  const declared = state as Partial<PipelineInputs> & { groupPathId?: string };
  const exact = (p: PipelineItem) => p.pipeline_id === pipelineId;
  let item: PipelineItem | undefined;
  let group: { id: string; path: string } | undefined;
  try {
    const groupId = declared.groupId;
    // The tree says where the declared group is and what is below it (L1: see groupFilters).
    const tree = groupId ? await getGroupTree(ctx, projectId) : undefined;
    const node = groupId ? findGroup(tree!, groupId) : undefined;
    // Usually two calls: the name narrows the (fuzzy) search, the group filter confirms membership.
    if (declared.name && (!groupId || node)) {
      item = node ? await listedIn(ctx, projectId, node, pipelineId, declared.name) : await findFirst(listPipelines(ctx, projectId, { name: declared.name }), exact);
      if (item && node) {
        const g = await holder(ctx, projectId, node, pipelineId);
        group = { id: g.id, path: g.path_id ?? g.id };
      }
    }
    // Renamed, moved or gone: walk the whole project.
    item ??= await findFirst(listPipelines(ctx, projectId, {}), exact);
    if (!item) return undefined;
    if (groupId && !group) {
      const g = await findMembership(ctx, projectId, pipelineId, tree);
      if (g) group = { id: g.id, path: g.path_id ?? g.id };
    }
  } catch (e) {
    // A deleted project takes its pipelines with it.
    if (e instanceof ApiError && e.provesAbsence(NOT_FOUND)) return undefined;
    throw e;
  }
  const inputs: PipelineInputs = {
    projectId,
    name: item.name,
    description: declared.description,
    isPublish: declaredOr(declared.isPublish, item.is_publish),
    componentId: declaredOr(declared.componentId, item.component_id),
    templateId: declared.templateId,
    sources: declared.sources,
    variables: declared.variables,
    schedules: declared.schedules,
    triggers: declared.triggers,
    manifestVersion: declaredOr(declared.manifestVersion, item.manifest_version),
    definition: declared.definition,
    projectName: declared.projectName,
    // Membership is read only when declared: the list cannot say "in any group".
    groupId: declared.groupId === undefined ? undefined : group?.id,
    adoptId: undefined,
  };
  const { adoptId: _adopt, ...outs } = inputs;
  return { outs: { ...outs, groupPathId: group?.path, createTime: item.create_time ?? undefined }, inputs };
}

export const pipeline: ResourceKind<typeof pipelineSchema, PipelineOutputs> = {
  name: "Pipeline",
  importId: ownId,
  schema: pipelineSchema,
  replaceOn: [
    "projectId",
    "name",
    "description",
    "isPublish",
    "componentId",
    "templateId",
    "sources",
    "variables",
    "schedules",
    "triggers",
    "manifestVersion",
    "definition",
    "projectName",
  ],
  replaceWhy: {
    projectId: "a pipeline cannot move to another project",
    name: `${NO_UPDATE}; the replacement starts with no run history`,
    description: NO_UPDATE,
    isPublish: NO_UPDATE,
    componentId: NO_UPDATE,
    templateId: `${NO_UPDATE}; a template is only used at creation (§4.2.8)`,
    sources: NO_UPDATE,
    variables: NO_UPDATE,
    schedules: NO_UPDATE,
    triggers: NO_UPDATE,
    manifestVersion: NO_UPDATE,
    definition: NO_UPDATE,
    projectName: NO_UPDATE,
  },
  // Same name, same project: the old pipeline goes first, so two pipelines never share the name.
  deleteBeforeReplace: (olds, news) => olds.projectId === news.projectId && olds.name === news.name,
  notFoundCodes: NOT_FOUND,
  // Not in the create's answer (only the id): the first refresh fills it.
  serviceMaintained: ["createTime"],

  async create(ctx, inputs) {
    const { projectId, templateId, groupId } = inputs;
    // A missing group fails here, before anything is created.
    const groupPathId = groupId ? await groupPath(ctx, projectId, groupId) : undefined;
    const query = { component_id: inputs.componentId };
    const res = templateId
      ? await ctx.client.send<{ pipeline_id?: string }>({
          service: "pipeline",
          method: "POST",
          path: `${api(projectId)}/pipeline-templates/${seg(templateId)}/create-pipeline`,
          query,
          body: commonBody(inputs),
          operation: "Pipeline.createFromTemplate",
          answer: createdAnswer,
          resource: inputs.name,
        })
      : await ctx.client.send<{ pipeline_id?: string }>({
          service: "pipeline",
          method: "POST",
          path: `${api(projectId)}/pipelines`,
          query,
          body: {
            ...commonBody(inputs),
            schedules: inputs.schedules?.map(snakeKeys),
            triggers: inputs.triggers?.map(snakeKeys),
            manifest_version: inputs.manifestVersion,
            definition: inputs.definition,
            project_name: inputs.projectName,
            group_id: groupId, // §4.2.9 takes the group at creation
          },
          operation: "Pipeline.create",
          answer: createdAnswer,
          resource: inputs.name,
        });
    const id = res.body.pipeline_id;
    if (!id)
      throw new Error(
        `Pipeline create for ${inputs.name}: the answer carries no pipeline_id (request id ${res.requestId ?? "unknown"}); check the project's pipelines before retrying`,
      );
    const { adoptId: _adopt, ...declared } = inputs;
    if (templateId && groupId) {
      // §4.2.8 takes no group: move the new pipeline in. If that fails the pipeline stays in the state, ungrouped.
      try {
        await moveToGroup(ctx, projectId, id, inputs.name, groupId);
      } catch (e) {
        throw new PartialCreateError(id, { ...declared, groupId: undefined }, e);
      }
    }
    // Both answers carry only the id, and the state needs nothing else: the inputs as sent and the group's
    // path (read above). createTime comes with the first refresh (service-maintained), not a read-back.
    return { id, outs: { ...declared, groupPathId } };
  },

  // Pipeline names may repeat in a project (nothing in §4.2 forbids it): only a pipeline of the
  // declared name that was not listed before the create counts as made by it.
  naturalKey: {
    unique: false,
    uniqueIfProven: { row: "N1", reading: "unique" },
    async find(ctx, inputs) {
      return (await collect(listPipelines(ctx, inputs.projectId, { name: inputs.name }), (p) => p.name === inputs.name)).map((p) => p.pipeline_id);
    },
  },

  read: readPipeline,

  sweep: {
    needsProject: true,
    async list(ctx, { prefix, codeartsProjectId }) {
      const projectId = codeartsProjectId!;
      return (await collect(listPipelines(ctx, projectId, {}), (p) => p.name.startsWith(prefix))).map((p) => ({
        id: p.pipeline_id,
        name: p.name,
        state: { projectId, name: p.name },
      }));
    },
  },

  // Only groupId reaches update: every other input replaces.
  async update(ctx, id, olds, news) {
    const { projectId, pipelineId } = locate(id, olds);
    const { adoptId: _adopt, ...declared } = news;
    if (news.groupId === undefined) {
      if (olds.groupId) {
        ctx.log(
          `Pipeline ${pipelineId}: groupId was removed from the program; the pipeline stays in group ${olds.groupId} (the API cannot take a pipeline out of a group) and its group is no longer managed`,
        );
      }
      return { ...olds, ...declared, groupId: undefined, groupPathId: undefined };
    }
    if (news.groupId === olds.groupId && olds.groupPathId) return { ...olds, ...declared };
    const path = await groupPath(ctx, projectId, news.groupId);
    await moveToGroup(ctx, projectId, pipelineId, news.name, news.groupId);
    return { ...olds, ...declared, groupPathId: path };
  },

  async delete(ctx, id, state) {
    const { projectId, pipelineId } = locate(id, state);
    await deleteStoppingRuns(ctx, projectId, pipelineId);
  },
};
