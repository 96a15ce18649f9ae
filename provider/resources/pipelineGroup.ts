import { z } from "zod";
import { Context, ResourceKind } from "../dynamic";
import { unlessGone } from "../errors";
import { provenReading } from "../readings";
import { hexId, nullableText, object, successTrue } from "../answers";
import { seg } from "../http";
import { hex32, locateInProject, ownId } from "./common";

/**
 * PipelineGroup — a CodeArts Pipeline group (CodeArts Pipeline API Reference §4.3). There is no get-by-id: the object is
 * read by walking the project's group tree (§4.3.4). Only the name can change in place (§4.3.2);
 * the parent or the project replaces (there is no move-group API).
 */
export const pipelineGroupSchema = z.strictObject({
  /** CodeArts project the group belongs to (32 hex). */
  projectId: hex32("CodeArts project ID"),
  name: z.string().min(1, "must not be empty"),
  /** Parent group; omitted for a top-level group. */
  parentId: hex32("pipeline group ID").optional(),
  /** Id of an existing group to take under management instead of creating one. */
  adoptId: hex32("pipeline group ID").optional(),
});
export type PipelineGroupInputs = z.output<typeof pipelineGroupSchema>;

export interface PipelineGroupOutputs extends Record<string, unknown> {
  projectId: string;
  name: string;
  parentId?: string;
  /** Dot-joined ids from the top-level group down to this one. */
  pathId: string;
  ordinal?: number;
  domainId?: string;
  creator?: string;
  updater?: string;
  createTime?: number;
  updateTime?: number;
}

/** PipelineGroupVo as the API returns it. */
export interface GroupVo {
  id: string;
  domain_id?: string;
  project_id?: string;
  name: string;
  parent_id?: string | null;
  path_id?: string;
  ordinal?: number;
  creator?: string | null;
  updater?: string | null;
  create_time?: number | null;
  update_time?: number | null;
  children?: GroupVo[] | null;
}

/** DEVPIPE.00014007: group not found (the Terraform provider's code); DEVCP.00012002: record does not exist (CodeArts Pipeline API Reference §5.2).
 * Not DEVPIPE.00011412 ("the project does not exist"): it also answers for another account's project. */
const NOT_FOUND = ["DEVPIPE.00014007", "DEVCP.00012002"];

/** PipelineGroupVo as far as the provider reads it (Table 4-116; create_time null on create, §4.3.1 example). */
const groupVo: z.ZodType<GroupVo> = z.lazy(() =>
  z.looseObject({
    id: hexId,
    name: z.string(),
    domain_id: z.string().optional(),
    project_id: z.string().optional(),
    parent_id: z.string().nullish(),
    path_id: z.string().optional(),
    ordinal: z.number().optional(),
    creator: nullableText,
    updater: nullableText,
    create_time: z.number().nullish(),
    update_time: z.number().nullish(),
    children: z.array(groupVo).nullish(),
  }),
) as z.ZodType<GroupVo>;
/** §4.3.4: the tree, a bare array. Not null: a `null` read as "no groups" would drop live groups from the state. */
const treeAnswer = z.array(groupVo);

const base = (projectId: string) => `/v5/${seg(projectId)}/api/pipeline-group`;

/** Accepts the plain group id or `<projectId>/<groupId>` (the form `PipelineGroup.get` may be given). */
function locate(id: string, state: Record<string, unknown>): { projectId: string; groupId: string } {
  const { projectId, objectId } = locateInProject("PipelineGroup", "groupId", id, state);
  return { projectId, groupId: objectId };
}

/** Every group of a tree, depth first. */
function* groupsOf(tree: readonly GroupVo[] | null | undefined): Generator<GroupVo> {
  for (const g of tree ?? []) {
    yield g;
    yield* groupsOf(g.children);
  }
}

export function findGroup(tree: readonly GroupVo[] | null | undefined, id: string): GroupVo | undefined {
  for (const g of groupsOf(tree)) if (g.id === id) return g;
  return undefined;
}

export async function getGroupTree(ctx: Context, projectId: string): Promise<GroupVo[]> {
  const res = await ctx.client.send<GroupVo[]>({
    service: "pipeline",
    method: "GET",
    path: `${base(projectId)}/tree`,
    operation: "PipelineGroup.tree",
    answer: treeAnswer,
    resource: `project ${projectId}`,
  });
  return res.body;
}

function toOutputs(g: GroupVo, projectId: string): PipelineGroupOutputs {
  return {
    projectId,
    name: g.name,
    parentId: g.parent_id ? g.parent_id : undefined,
    pathId: g.path_id ?? g.id,
    ordinal: g.ordinal,
    domainId: g.domain_id,
    creator: g.creator ?? undefined,
    updater: g.updater ?? undefined,
    createTime: g.create_time ?? undefined,
    updateTime: g.update_time ?? undefined,
  };
}

export const pipelineGroup: ResourceKind<typeof pipelineGroupSchema, PipelineGroupOutputs> = {
  name: "PipelineGroup",
  schema: pipelineGroupSchema,
  replaceOn: ["projectId", "parentId"],
  replaceWhy: {
    parentId: "the Pipeline API cannot move a group to another parent (§4.3.2 updates only the name)",
    projectId: "a group cannot move to another CodeArts project",
  },
  notFoundCodes: NOT_FOUND,
  importId: ownId,
  // Set by the service on every rename (§4.3.4 example); a rename records the name, not these (no read after it).
  // createTime: null in the create's answer (§4.3.1 example), known from the first read of the tree.
  serviceMaintained: ["updater", "updateTime", "createTime"],

  async create(ctx, inputs) {
    const res = await ctx.client.send<GroupVo>({
      service: "pipeline",
      method: "POST",
      path: `${base(inputs.projectId)}/create`,
      body: { name: inputs.name, project_id: inputs.projectId, parent_id: inputs.parentId ?? "" },
      operation: "PipelineGroup.create",
      answer: groupVo,
      resource: inputs.name,
    });
    // The answer is the PipelineGroupVo the state needs (§4.3.1): no read-back. Its create_time is null
    // (the example), so createTime comes with the first refresh (service-maintained, below).
    return { id: res.body.id, outs: toOutputs(res.body, inputs.projectId) };
  },

  // Sibling names may repeat (nothing in §4.3 forbids it): the key is the name under the parent, and
  // only a group not in the tree before the create counts as made by it.
  naturalKey: {
    unique: false,
    uniqueIfProven: { row: "N1", reading: "unique" },
    async find(ctx, inputs) {
      const parent = inputs.parentId ?? "";
      return [...groupsOf(await getGroupTree(ctx, inputs.projectId))].filter((g) => g.name === inputs.name && (g.parent_id || "") === parent).map((g) => g.id);
    },
  },

  async read(ctx, id, state) {
    const { projectId, groupId } = locate(id, state);
    const tree = await unlessGone(getGroupTree(ctx, projectId), NOT_FOUND);
    const g = tree && findGroup(tree, groupId);
    if (!g) return undefined;
    const outs = toOutputs(g, projectId);
    return { outs, inputs: { projectId, name: outs.name, parentId: outs.parentId } };
  },

  async update(ctx, id, olds, news) {
    const { projectId, groupId } = locate(id, olds);
    await ctx.client.send({
      service: "pipeline",
      method: "POST",
      path: `${base(projectId)}/update`,
      body: { name: news.name, id: groupId },
      operation: "PipelineGroup.update",
      answer: successTrue,
      resource: groupId,
      idempotent: true, // setting a name twice is harmless
    });
    return { ...olds, name: news.name };
  },

  // Sub-groups before their parents (`inside`), pipelines before groups: the delete takes only an empty group (L2).
  sweep: {
    needsProject: true,
    after: ["Pipeline"],
    async list(ctx, { prefix, codeartsProjectId }) {
      const projectId = codeartsProjectId!;
      return [...groupsOf(await getGroupTree(ctx, projectId))]
        .filter((g) => g.name.startsWith(prefix))
        .map((g) => ({ id: g.id, name: g.name, state: { projectId }, ...(g.parent_id ? { inside: { kind: "PipelineGroup", id: g.parent_id } } : {}) }));
    },
  },

  async delete(ctx, id, state) {
    const { projectId, groupId } = locate(id, state);
    // L2 `refuse` proven (provenReadings): the service itself refuses a group that is not empty, so the
    // emptiness check below guards against nothing; its refusal reaches the user as the service's error.
    if (provenReading(ctx, "L2") !== "refuse") await refuseUnlessEmpty(ctx, projectId, groupId);
    await ctx.client.send({
      service: "pipeline",
      method: "DELETE",
      path: `${base(projectId)}/delete`,
      query: { id: groupId },
      operation: "PipelineGroup.delete",
      answer: successTrue,
      resource: groupId,
    });
  },
};

async function refuseUnlessEmpty(ctx: Context, projectId: string, groupId: string): Promise<void> {
  // L2: what the service does with a group that still has sub-groups or pipelines is undocumented
  // (§4.3.3): it may refuse, delete them with it, or ungroup them. Only an empty group is deleted.
  const tree = await unlessGone(getGroupTree(ctx, projectId), NOT_FOUND);
  const g = tree && findGroup(tree, groupId);
  if (g) {
    const subGroups = [...groupsOf(g.children ?? [])].map((c) => `${c.name} (${c.id})`);
    const pipelines = await groupPipelines(ctx, projectId, g);
    if (subGroups.length || pipelines.length) {
      throw new Error(
        `PipelineGroup ${g.name} (${groupId}) was not deleted: it still holds ${[subGroups.length ? `sub-groups ${subGroups.join(", ")}` : "", pipelines.length ? `pipelines ${pipelines.join(", ")}` : ""].filter(Boolean).join(" and ")}. ` +
          `What the service does with a group that is not empty is undocumented (§4.3.3; ambiguity L2: it may refuse, delete them with it, or ungroup them), ` +
          `so the provider deletes only an empty group: move or delete them first (nothing was changed).`,
      );
    }
  }
}

/**
 * The pipelines directly in a group, as the pipeline list's group filter shows them (L1: by its path
 * and, for a nested group, by its id too), read to the end.
 */
/** §4.2.x pipeline list page: the pipelines' ids and names. */
const groupPipelinesPage = object({ total: z.number().optional(), pipelines: z.array(object({ pipeline_id: hexId, name: z.string() })).nullable() });

async function groupPipelines(ctx: Context, projectId: string, g: GroupVo): Promise<string[]> {
  const found = new Set<string>();
  for (const value of [...new Set([g.path_id ?? g.id, g.id])]) {
    for (let offset = 0; ;) {
      const res = await ctx.client.send<{ total?: number; pipelines?: Array<{ pipeline_id: string; name: string }> | null }>({
        service: "pipeline",
        method: "POST",
        path: `/v5/${seg(projectId)}/api/pipelines/list`,
        body: { group_path_id: value, by_group: true, offset, limit: 10 },
        operation: "Pipeline.list",
        answer: groupPipelinesPage,
        resource: `group ${g.id}`,
        idempotent: true, // a read
        read: true,
      });
      const page = res.body?.pipelines ?? [];
      for (const p of page) found.add(`${p.name} (${p.pipeline_id})`);
      offset += page.length;
      if (page.length === 0 || (typeof res.body?.total === "number" && offset >= res.body.total)) break;
    }
  }
  return [...found];
}
