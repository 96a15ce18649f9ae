import { z } from "zod";
import { newHexId } from "../ids";
import type { CallerContext, Reply, Router } from "../router";
import type { Store } from "../store";
import { jsonObject } from "./json";
import { invalidParameter, pipelineError, pipelineRoute } from "./pipelineCommon";
import { nameExists, nameTaken } from "./names";

/**
 * CodeArts Pipeline groups (CodeArts Pipeline API Reference §4.3): a tree of groups per CodeArts project, read only as a
 * whole (§4.3.4). Groups are stored per CodeArts project.
 */
export function registerPipelineGroups(router: Router): void {
  const base = "/v5/{project_id}/api/pipeline-group";
  pipelineRoute(router, "POST", `${base}/create`, "PipelineGroup.create", create);
  pipelineRoute(router, "POST", `${base}/update`, "PipelineGroup.update", update);
  pipelineRoute(router, "DELETE", `${base}/delete`, "PipelineGroup.delete", remove);
  pipelineRoute(router, "GET", `${base}/tree`, "PipelineGroup.tree", tree);
  pipelineRoute(router, "POST", `${base}/pipeline/move`, "PipelineGroup.movePipelines", movePipelines);
}

/** PipelineGroupVo (§4.3.4 Table 4-125) without `children`. */
export interface GroupRecord {
  id: string;
  domain_id: string;
  project_id: string;
  name: string;
  /** "" for a top-level group (the §4.3.1 example). */
  parent_id: string;
  /** Dot-joined ids from the top-level group down to this one (§4.3.4 example). */
  path_id: string;
  ordinal: number;
  creator: string;
  updater: string | null;
  create_time: number;
  update_time: number | null;
}

interface PipelineGroupVo extends Omit<GroupRecord, "create_time"> {
  create_time: number | null;
  children: PipelineGroupVo[] | null;
}

const GROUPS = "pipelineGroups";

/**
 * The hook for the pipelines service: it keeps its pipelines in this collection, per CodeArts
 * project and keyed by pipeline id, and a pipeline's group is its `group_id`. Until that service
 * exists the collection is empty and every move fails per item.
 */
export const PIPELINES = "pipelines";
export interface GroupedPipeline {
  pipeline_id: string;
  group_id?: string | null;
}

/** A group of the project, for the pipelines service (`group_id` on create, `group_path_id` in lists). */
export function findPipelineGroup(store: Store, project: string, id: string): GroupRecord | undefined {
  return store.collection<GroupRecord>(GROUPS).get(project, id);
}

/** The Terraform provider's "group not found" code; the message is not documented. */
export const groupNotFound = (): Reply => pipelineError("DEVPIPE.00014007", "The pipeline group does not exist.");

const ok = (body: unknown): Reply => ({ status: 200, body });

// Mandatory fields (Tables 4-109, 4-114, 4-129/4-130) must be present with the documented type; a
// blank name is refused too. Unknown fields are ignored, as the service's JSON binding does.
const name = z.string().refine((s) => s.trim() !== "");
const createBody = z.object({ name, project_id: z.string(), parent_id: z.string().nullish() });
const updateBody = z.object({ name, id: z.string().min(1) });
const moveBody = z.object({
  group_id: z.string(),
  pipelines: z.array(z.object({ pipeline_id: z.string(), pipeline_name: z.string() })),
});

function toVo(g: GroupRecord, children: PipelineGroupVo[] | null): PipelineGroupVo {
  // Field order of Table 4-125. (The §4.3.4 example spells `updater` as "update" on some items; the table wins.)
  return {
    id: g.id,
    domain_id: g.domain_id,
    project_id: g.project_id,
    name: g.name,
    parent_id: g.parent_id,
    path_id: g.path_id,
    ordinal: g.ordinal,
    creator: g.creator,
    updater: g.updater,
    create_time: g.create_time,
    update_time: g.update_time,
    children,
  };
}

function create(ctx: CallerContext): Reply {
  const project = ctx.params.project_id;
  const body = createBody.safeParse(jsonObject(ctx.rawBody));
  // Table 4-109 calls the body's project_id "Project name", but the example sends the path's
  // CodeArts project id; a different value is refused rather than silently ignored.
  if (!body.success || body.data.project_id !== project) return invalidParameter();

  const groups = ctx.store.collection<GroupRecord>(GROUPS);
  const parentId = body.data.parent_id ?? "";
  const parent = parentId === "" ? undefined : groups.get(project, parentId);
  if (parentId !== "" && !parent) return groupNotFound();

  // The §4.3.4 example numbers siblings 0, 1, 2… in creation order, with gaps where one was
  // deleted: one more than the highest sibling. Sibling names may repeat: nothing in §4.3 forbids it.
  const siblings = groups.list(project).filter((g) => g.parent_id === parentId);
  if (nameTaken(ctx, body.data.name, siblings)) return pipelineError("DEVCP.00014004", nameExists("pipeline group", body.data.name));
  const id = newHexId();
  const group: GroupRecord = {
    id,
    domain_id: ctx.caller.account.domainId,
    project_id: project,
    name: body.data.name,
    parent_id: parentId,
    path_id: parent ? `${parent.path_id}.${id}` : id,
    ordinal: siblings.length === 0 ? 0 : Math.max(...siblings.map((s) => s.ordinal)) + 1,
    creator: ctx.caller.user.id,
    updater: null,
    create_time: ctx.now.getTime(),
    update_time: null,
  };
  groups.put(project, id, group);
  // The §4.3.1 example answers create_time null; the tree shows the real time afterwards.
  return ok({ ...toVo(group, null), create_time: null });
}

function update(ctx: CallerContext): Reply {
  const project = ctx.params.project_id;
  const body = updateBody.safeParse(jsonObject(ctx.rawBody));
  if (!body.success) return invalidParameter();
  const groups = ctx.store.collection<GroupRecord>(GROUPS);
  const group = groups.get(project, body.data.id);
  if (!group) return groupNotFound();
  groups.put(project, group.id, { ...group, name: body.data.name, updater: ctx.caller.user.id, update_time: ctx.now.getTime() });
  return ok({ success: true });
}

function remove(ctx: CallerContext): Reply {
  const project = ctx.params.project_id;
  const id = ctx.query.get("id");
  if (!id) return invalidParameter();
  const groups = ctx.store.collection<GroupRecord>(GROUPS);
  if (!groups.get(project, id)) return groupNotFound();
  // L2: what the service does with a group that is not empty is undocumented (§4.3.3). `refuse`: a
  // group with sub-groups or pipelines is refused; `cascade`: its sub-groups and every pipeline in them
  // go with it; `ungroup`: its sub-groups go, their pipelines and its own become ungrouped.
  const subtree = (root: string): string[] => [
    root,
    ...groups
      .list(project)
      .filter((g) => g.parent_id === root)
      .flatMap((g) => subtree(g.id)),
  ];
  const ids = subtree(id);
  const pipelines = ctx.store.collection<GroupedPipeline>(PIPELINES);
  const members = pipelines.list(project).filter((p) => !!p.group_id && ids.includes(p.group_id));
  if (ctx.dialect.is("L2", "refuse") && (ids.length > 1 || members.length > 0)) {
    return pipelineError(
      "DEVCP.00014004",
      ids.length > 1 ? "The pipeline group has sub-groups; delete them first." : "The pipeline group has pipelines; move or delete them first.",
    );
  }
  for (const p of members) {
    if (ctx.dialect.is("L2", "cascade")) pipelines.remove(project, p.pipeline_id);
    else pipelines.put(project, p.pipeline_id, { ...p, group_id: null });
  }
  for (const sub of ids.slice(1)) groups.remove(project, sub);
  groups.remove(project, id);
  return ok({ success: true });
}

function tree(ctx: CallerContext): Reply {
  const byParent = new Map<string, GroupRecord[]>();
  for (const g of ctx.store.collection<GroupRecord>(GROUPS).list(ctx.params.project_id)) {
    byParent.set(g.parent_id, [...(byParent.get(g.parent_id) ?? []), g]);
  }
  // Highest ordinal first, as in the §4.3.4 example; `children` is null for a leaf.
  const level = (parentId: string): PipelineGroupVo[] | null => {
    const groups = (byParent.get(parentId) ?? []).sort((a, b) => b.ordinal - a.ordinal || b.create_time - a.create_time);
    return groups.length === 0 ? null : groups.map((g) => toVo(g, level(g.id)));
  };
  return ok(level("") ?? []);
}

function movePipelines(ctx: CallerContext): Reply {
  const project = ctx.params.project_id;
  const body = moveBody.safeParse(jsonObject(ctx.rawBody));
  if (!body.success) return invalidParameter();
  const { group_id, pipelines: items } = body.data;
  if (!ctx.store.collection<GroupRecord>(GROUPS).get(project, group_id)) return groupNotFound();

  // Each item succeeds or fails on its own (Table 4-132); a pipeline unknown in this project fails.
  const pipelines = ctx.store.collection<GroupedPipeline>(PIPELINES);
  return ok(
    items.map((item) => {
      const pipeline = pipelines.get(project, item.pipeline_id);
      if (pipeline) pipelines.put(project, item.pipeline_id, { ...pipeline, group_id });
      return { code: pipeline ? "success" : "failed", pipeline_id: item.pipeline_id, pipeline_name: item.pipeline_name };
    }),
  );
}
