import { z } from "zod";
import { newHexId } from "../ids";
import type { CallerContext, Reply, Router } from "../router";
import type { Store } from "../store";
import { jsonObject } from "./json";
import { invalidParameter, pipelineError, pipelineRoute } from "./pipelineCommon";
import { findPipelineGroup, groupNotFound, PIPELINES, type GroupedPipeline } from "./pipelineGroups";
import { customVariable, DEFAULT_LIMIT, findTemplate, int32, long, nonBlank, parseDefinition, templateNotFound, variableVo, type CustomVariableVo } from "./pipelineTemplates";
import { listWindow } from "./listing";
import { nameExists, nameTaken } from "./names";

/**
 * CodeArts Pipeline pipelines and their runs (CodeArts Pipeline API Reference §4.2). Pipelines live in the `pipelines`
 * collection the group service moves them in (§4.3.5), per CodeArts project. There is no GET of one
 * pipeline and no update: the list (§4.2.4, paging in the POST body) is the only read. Errors come
 * with HTTP 200 (§5.2), except a missing template (HTTP 400 DEVCP.00021006).
 *
 * Runs: a run (§4.2.1) is RUNNING for RUN_MS of emulator time, then COMPLETED. A stop (§4.2.6) takes
 * STOP_SETTLE_MS to land (the run stays RUNNING meanwhile, as a real stop waits for the executors),
 * then the run is CANCELED. While a run is RUNNING the pipeline cannot be deleted (DEVPIPE.0011408).
 */
export function registerPipelines(router: Router): void {
  const base = "/v5/{project_id}/api/pipelines";
  const pipelineRuns = `${base}/{pipeline_id}/pipeline-runs`;
  const step = `${pipelineRuns}/{pipeline_run_id}/jobs/{job_run_id}/steps/{step_run_id}`;
  pipelineRoute(router, "POST", `${base}/{pipeline_id}/run`, "Pipeline.run", run); // §4.2.1
  pipelineRoute(router, "POST", `${base}/status`, "Pipeline.status", status); // §4.2.2
  pipelineRoute(router, "GET", `${pipelineRuns}/detail`, "Pipeline.runDetail", runDetail); // §4.2.3
  pipelineRoute(router, "POST", `${base}/list`, "Pipeline.list", list); // §4.2.4
  pipelineRoute(router, "DELETE", `${base}/{pipeline_id}`, "Pipeline.delete", remove); // §4.2.5
  pipelineRoute(router, "POST", `${pipelineRuns}/{pipeline_run_id}/stop`, "Pipeline.stop", stop); // §4.2.6
  pipelineRoute(router, "POST", `${pipelineRuns}/list`, "Pipeline.runs", runs); // §4.2.7
  pipelineRoute(router, "POST", "/v5/{project_id}/api/pipeline-templates/{template_id}/create-pipeline", "Pipeline.createFromTemplate", createFromTemplate); // §4.2.8
  pipelineRoute(router, "POST", base, "Pipeline.create", create); // §4.2.9
  pipelineRoute(router, "PUT", `${pipelineRuns}/{pipeline_run_id}/retry`, "Pipeline.retry", retry); // §4.2.10
  pipelineRoute(router, "POST", `${step}/pass`, "Pipeline.pass", (ctx) => review(ctx, "pass")); // §4.2.11
  pipelineRoute(router, "POST", `${step}/refuse`, "Pipeline.refuse", (ctx) => review(ctx, "refuse")); // §4.2.12
  pipelineRoute(router, "POST", `${step}/logs`, "Pipeline.logs", logs); // §4.2.13
}

/** How long a run runs, and how long a stop takes to land, in emulator time. */
export const RUN_MS = 10 * 60_000;
export const STOP_SETTLE_MS = 1_000;

// ---------------------------------------------------------------------------------------------
// Records

interface PipelineRecord extends GroupedPipeline {
  pipeline_id: string;
  group_id: string | null;
  project_id: string;
  project_name: string | null;
  component_id: string;
  name: string;
  description: string;
  is_publish: boolean;
  is_collect: boolean;
  manifest_version: string;
  definition: string | null;
  sources: CodeSource[];
  variables: CustomVariableVo[];
  schedules: unknown[];
  triggers: unknown[];
  template_id: string | null;
  creator_id: string;
  create_time: number;
}

interface StepShape {
  id: string;
  name: unknown;
  task: unknown;
  business_type: unknown;
  inputs: unknown;
  sequence: unknown;
  official_task_version: unknown;
  identifier: unknown;
  multi_step_editable: unknown;
  endpoint_ids: unknown;
}
interface JobShape {
  id: string;
  name: unknown;
  identifier: unknown;
  sequence: unknown;
  depends_on: unknown;
  condition: unknown;
  timeout: unknown;
  steps: StepShape[];
}
interface StageShape {
  id: string;
  name: unknown;
  identifier: unknown;
  run_always: unknown;
  sequence: unknown;
  depends_on: unknown;
  condition: unknown;
  pre: StepShape[];
  post: StepShape[];
  jobs: JobShape[];
}

interface RunRecord {
  id: string;
  pipeline_id: string;
  run_number: number;
  executor_id: string;
  executor_name: string;
  description: string | null;
  trigger_type: string;
  start_time: number;
  /** When a stop was asked for; the run is CANCELED STOP_SETTLE_MS later. */
  stop_requested_at: number | null;
  /** Set when a review was refused: the run failed then. */
  failed_at: number | null;
  sources: CodeSource[];
  build_params: Record<string, unknown> | null;
  variables: Array<{ name: string; value: string }>;
  stages: StageShape[];
  /** Steps whose status a review decided. */
  step_status: Record<string, string>;
  /** L3: a run held in a waiting state (holdPipelineRuns) until stopped; it does not run its course. */
  held?: HeldStatus | null;
}

const RUNS = "pipelineRuns";

type HeldStatus = "QUEUED" | "PAUSED" | "SUSPEND";
type RunStatus = "RUNNING" | "COMPLETED" | "CANCELED" | "FAILED" | HeldStatus;
/** Statuses of a run that has not ended (§4.2.7 example): each blocks a pipeline delete (DEVPIPE.0011408). */
const ACTIVE: readonly RunStatus[] = ["RUNNING", "QUEUED", "PAUSED", "SUSPEND"];

/**
 * L3 (capability): holds the active runs of a pipeline QUEUED, PAUSED or SUSPEND (the §4.2.7 example
 * lists them besides RUNNING) until they are stopped: a run held so blocks a delete like a running one.
 * Returns the ids of the runs held. For tests (no API puts a run in these states on demand).
 */
export function holdPipelineRuns(store: Store, projectId: string, pipelineId: string, status: HeldStatus): string[] {
  const runs = store.collection<RunRecord>(RUNS);
  const held: string[] = [];
  for (const r of runs.list(projectId).filter((r) => r.pipeline_id === pipelineId && r.stop_requested_at === null && r.failed_at === null)) {
    runs.put(projectId, r.id, { ...r, held: status });
    held.push(r.id);
  }
  return held;
}

/** A run's status at `now`: whichever of its course, a stop or a refusal ended it first. */
function runState(r: RunRecord, now: number): { status: RunStatus; end_time: number | null } {
  const endings: Array<[number, RunStatus]> = [[r.start_time + RUN_MS, "COMPLETED"]];
  if (r.stop_requested_at !== null) endings.push([r.stop_requested_at + STOP_SETTLE_MS, "CANCELED"]);
  if (r.failed_at !== null) endings.push([r.failed_at, "FAILED"]);
  if (r.held) {
    // Held: only a stop or a refusal ends it.
    const ends = endings.slice(1).sort((a, b) => a[0] - b[0]);
    return ends.length && now >= ends[0][0] ? { status: ends[0][1], end_time: ends[0][0] } : { status: r.held, end_time: null };
  }
  const [at, status] = endings.sort((a, b) => a[0] - b[0])[0];
  return now >= at ? { status, end_time: at } : { status: "RUNNING", end_time: null };
}

// ---------------------------------------------------------------------------------------------
// Request bodies (mandatory fields and types as the tables give them; unknown fields are ignored)

const str = z.string().nullish();
const bool = z.boolean().nullish();
/** Epoch milliseconds: the tables say String, the §4.2.7 example sends a number. */
const epochMs = z.union([z.string().regex(/^\d+$/).transform(Number), long]).nullish();

/** CodeSource (Tables 4-82/4-83, 4-90/4-91): the alias is at most 128 letters, digits and underscores. */
const codeSource = z.object({
  type: str,
  params: z
    .object({
      git_type: str,
      codehub_id: str,
      endpoint_id: str,
      default_branch: str,
      git_url: str,
      ssh_git_url: str,
      web_url: str,
      repo_name: str,
      alias: z
        .string()
        .regex(/^[A-Za-z0-9_]{0,128}$/)
        .nullish(),
    })
    .nullish(),
});
type CodeSource = z.infer<typeof codeSource>;

/** The variables of §4.2.8 (Table 4-84): CustomVariable without pipeline_id and runtime_value, limits are strings. */
const templatePipelineVariable = z.object({
  name: str,
  sequence: int32.nullish(),
  type: str,
  value: str,
  is_secret: bool,
  description: str,
  is_runtime: bool,
  is_reset: bool,
  latest_value: str,
  limits: z.array(z.string()).nullish(),
});

const fromTemplateBody = z.object({
  name: nonBlank,
  description: str,
  is_publish: z.boolean(),
  sources: z.array(codeSource),
  variables: z.array(templatePipelineVariable).nullish(),
});

const schedule = z.object({
  uuid: str,
  type: str,
  name: str,
  enable: str,
  days_of_week: z.array(int32).nullish(),
  time_zone: str,
});
const trigger = z.object({
  pipeline_id: str,
  git_url: str,
  git_type: str,
  is_auto_commit: bool,
  events: z.array(z.object({ type: str, enable: bool })).nullish(),
  hook_id: str,
  repo_id: str,
  endpoint_id: str,
  callback_url: str,
  security_token: str,
});

/** Table 4-89: nothing is mandatory; a definition, when given, is a JSON object. */
const createBody = z.object({
  name: nonBlank.nullish(),
  description: str,
  is_publish: bool,
  sources: z.array(codeSource).nullish(),
  variables: z.array(customVariable).nullish(),
  schedules: z.array(schedule).nullish(),
  triggers: z.array(trigger).nullish(),
  manifest_version: str,
  definition: z
    .string()
    .refine((s) => parseDefinition(s) !== undefined)
    .nullish(),
  project_name: str,
  group_id: str,
  id: str,
});

/** Table 4-29, with the mandatory fields of Tables 4-30 to 4-33. */
const runBody = z.object({
  sources: z
    .array(
      z.object({
        type: z.string(),
        params: z
          .object({
            git_type: z.string(),
            alias: str,
            codehub_id: str,
            default_branch: str,
            git_url: z.string(),
            endpoint_id: str,
            build_params: z.object({ build_type: z.string(), target_branch: str, tag: str, event_type: str }).nullish(),
          })
          .nullish(),
      }),
    )
    .nullish(),
  description: str,
  variables: z.array(z.object({ name: z.string(), value: z.string() })).nullish(),
  choose_jobs: z.array(z.string()).nullish(),
  choose_stages: z.array(z.string()).nullish(),
});

const page = { offset: long.min(0).nullish(), limit: long.min(0).nullish(), sort_key: str, sort_dir: str };

/** Table 4-57. */
const listBody = z.object({
  project_ids: z.array(z.string()).nullish(),
  component_id: str,
  name: str,
  status: z.array(z.string()).nullish(),
  is_publish: bool,
  creator_ids: z.array(z.string()).nullish(),
  executor_ids: z.array(z.string()).nullish(),
  start_time: epochMs,
  end_time: epochMs,
  ...page,
  group_path_id: str,
  by_group: bool,
  query_new: bool,
});

/** Table 4-72. */
const runsBody = z.object({ status: z.array(z.string()).nullish(), start_time: epochMs, end_time: epochMs, ...page });

/** Table 4-105. */
const logsBody = z.object({ start_offset: long.min(0).nullish(), end_offset: long.min(0).nullish(), limit: long.min(0), sort: z.enum(["asc", "desc"]) });

// ---------------------------------------------------------------------------------------------
// Helpers

const ok = (body: unknown): Reply => ({ status: 200, body });
/** §5.2. */
const pipelineNotFound = (): Reply => pipelineError("DEVPIPE.0011401", "Pipeline does not exist.");
const pipelineRunning = (): Reply => pipelineError("DEVPIPE.0011408", "Pipeline is running.");
const recordNotFound = (): Reply => pipelineError("DEVCP.00012002", "The related record does not exist in the database.");
const taskNotFound = (): Reply => pipelineError("DEVPIPE.0011132", "The selected task does not exist.");

const pipelines = (ctx: CallerContext) => ctx.store.collection<PipelineRecord>(PIPELINES);
const runRecords = (ctx: CallerContext) => ctx.store.collection<RunRecord>(RUNS);

function parse<T>(schema: z.ZodType<T>, body: unknown): T | undefined {
  const r = schema.safeParse(body);
  return r.success ? r.data : undefined;
}

/** "2023-03-04 16:48:09", the stage times of §4.2.2 (UTC here). */
function stageTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

/** "New Pipeline-20231024204112": the service's name for an unnamed pipeline (the §4.2.9 example's form). */
function defaultName(now: Date): string {
  return `New Pipeline-${now.toISOString().replace(/[-T:]/g, "").slice(0, 14)}`;
}

const record = (v: unknown): Record<string, unknown> => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const array = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The run-time shape of a pipeline: its definition's stages, jobs and steps, each with a fresh id. */
function shapeOf(definition: string | null): StageShape[] {
  const step = (s: unknown): StepShape => {
    const o = record(s);
    return {
      id: newHexId(),
      name: o.name ?? null,
      task: o.task ?? null,
      business_type: o.business_type ?? null,
      inputs: o.inputs ?? null,
      sequence: o.sequence ?? 0,
      official_task_version: o.official_task_version ?? null,
      identifier: o.identifier ?? null,
      multi_step_editable: o.multi_step_editable ?? 0,
      endpoint_ids: o.endpoint_ids ?? null,
    };
  };
  return array(definition === null ? undefined : parseDefinition(definition)?.stages).map((s) => {
    const st = record(s);
    return {
      id: newHexId(),
      name: st.name ?? null,
      identifier: st.identifier ?? null,
      run_always: st.run_always ?? false,
      sequence: st.sequence ?? 0,
      depends_on: st.depends_on ?? [],
      condition: st.condition ?? null,
      pre: array(st.pre).map(step),
      post: array(st.post).map(step),
      jobs: array(st.jobs).map((j) => {
        const jo = record(j);
        return {
          id: newHexId(),
          name: jo.name ?? null,
          identifier: jo.identifier ?? null,
          sequence: jo.sequence ?? 0,
          depends_on: jo.depends_on ?? [],
          condition: jo.condition ?? null,
          timeout: jo.timeout ?? "",
          steps: array(jo.steps).map(step),
        };
      }),
    };
  });
}

/** The identifiers `choose_jobs` may name. */
function jobIdentifiers(stages: StageShape[]): Set<unknown> {
  return new Set(stages.flatMap((s) => s.jobs.map((j) => j.identifier)));
}

/** PipelineLatestRun (Tables 4-39, 4-60, 4-74); stage ids appear in the list APIs' tables only. */
function latestRunVo(r: RunRecord, now: number, withStageIds: boolean) {
  const { status, end_time } = runState(r, now);
  return {
    pipeline_id: r.pipeline_id,
    pipeline_run_id: r.id,
    executor_id: r.executor_id,
    executor_name: r.executor_name,
    stage_status_list: r.stages.map((s) => ({
      name: s.name,
      sequence: s.sequence,
      status,
      start_time: stageTime(r.start_time),
      end_time: stageTime(end_time),
      ...(withStageIds ? { id: s.id } : {}),
    })),
    status,
    run_number: r.run_number,
    trigger_type: r.trigger_type,
    build_params: r.build_params,
    artifact_params: null,
    start_time: r.start_time,
    end_time,
    modify_url: null,
    detail_url: null,
  };
}

function runsOf(ctx: CallerContext, project: string, pipelineId: string): RunRecord[] {
  return runRecords(ctx)
    .list(project)
    .filter((r) => r.pipeline_id === pipelineId);
}

function latestRun(ctx: CallerContext, project: string, pipelineId: string): RunRecord | undefined {
  return runsOf(ctx, project, pipelineId).sort((a, b) => b.run_number - a.run_number)[0];
}

function sortDir(dir: string | null | undefined): 1 | -1 {
  return dir?.toLowerCase() === "asc" ? 1 : -1;
}

// ---------------------------------------------------------------------------------------------
// Create (§4.2.8, §4.2.9) and delete (§4.2.5)

function store(ctx: CallerContext, p: Omit<PipelineRecord, "pipeline_id" | "project_id" | "creator_id" | "create_time" | "is_collect" | "component_id">): Reply {
  const project = ctx.params.project_id;
  if (nameTaken(ctx, p.name, pipelines(ctx).list(project))) return pipelineError("DEVCP.00014004", nameExists("pipeline", p.name));
  const pipeline: PipelineRecord = {
    pipeline_id: newHexId(),
    project_id: project,
    component_id: ctx.query.get("component_id") ?? "",
    creator_id: ctx.caller.user.id,
    create_time: ctx.now.getTime(),
    is_collect: false,
    ...p,
  };
  pipelines(ctx).put(project, pipeline.pipeline_id, pipeline);
  return ok({ pipeline_id: pipeline.pipeline_id });
}

function createFromTemplate(ctx: CallerContext): Reply {
  const body = parse(fromTemplateBody, jsonObject(ctx.rawBody));
  if (!body) return invalidParameter();
  const template = findTemplate(ctx.store, ctx.caller.account.domainId, ctx.params.template_id);
  if (!template) return templateNotFound();
  return store(ctx, {
    group_id: null,
    project_name: null,
    name: body.name,
    description: body.description ?? "",
    is_publish: body.is_publish,
    manifest_version: template.manifest_version,
    definition: template.definition,
    sources: body.sources,
    variables: body.variables ? body.variables.map(variableVo) : template.variables,
    schedules: [],
    triggers: [],
    template_id: template.id,
  });
}

function create(ctx: CallerContext): Reply {
  const project = ctx.params.project_id;
  const body = parse(createBody, jsonObject(ctx.rawBody));
  if (!body) return invalidParameter();
  if (body.group_id && !findPipelineGroup(ctx.store, project, body.group_id)) return groupNotFound();
  // Replication (Table 4-89 `id`): what the body leaves out comes from the original pipeline.
  const original = body.id ? pipelines(ctx).get(project, body.id) : undefined;
  if (body.id && !original) return pipelineNotFound();
  return store(ctx, {
    group_id: body.group_id || null,
    project_name: body.project_name ?? null,
    name: body.name ?? defaultName(ctx.now),
    description: body.description ?? original?.description ?? "",
    is_publish: body.is_publish ?? original?.is_publish ?? false,
    manifest_version: body.manifest_version ?? original?.manifest_version ?? "3.0",
    definition: body.definition ?? original?.definition ?? null,
    sources: body.sources ?? original?.sources ?? [],
    variables: body.variables ? body.variables.map(variableVo) : (original?.variables ?? []),
    schedules: body.schedules ?? original?.schedules ?? [],
    triggers: body.triggers ?? original?.triggers ?? [],
    template_id: null,
  });
}

function remove(ctx: CallerContext): Reply {
  const project = ctx.params.project_id;
  const id = ctx.params.pipeline_id;
  if (!pipelines(ctx).get(project, id)) return pipelineNotFound();
  const now = ctx.now.getTime();
  const history = runsOf(ctx, project, id);
  if (history.some((r) => ACTIVE.includes(runState(r, now).status))) return pipelineRunning();
  for (const r of history) runRecords(ctx).remove(project, r.id);
  pipelines(ctx).remove(project, id);
  return ok({ pipeline_id: id });
}

// ---------------------------------------------------------------------------------------------
// List (§4.2.4)

function list(ctx: CallerContext): Reply {
  const q = parse(listBody, jsonObject(ctx.rawBody) ?? {});
  if (!q) return invalidParameter();
  const path = ctx.params.project_id;
  const now = ctx.now.getTime();
  // `project_ids` widens the query to other projects of the caller; the path's project is the default.
  const projects = q.project_ids?.length ? q.project_ids.filter((p) => ctx.caller.account.codeartsProjects.includes(p)) : [path];
  const name = q.name?.toLowerCase() ?? "";
  const rows = projects.flatMap((project) =>
    pipelines(ctx)
      .list(project)
      .map((p) => ({ p, latest: latestRun(ctx, project, p.pipeline_id) })),
  );
  const filtered = rows.filter(({ p, latest }) => {
    const state = latest && runState(latest, now);
    // group_path_id (L1, inGroupFilter); by_group alone: the ungrouped ones.
    const group = p.group_id ? findPipelineGroup(ctx.store, p.project_id, p.group_id) : undefined;
    const groupPath = group?.path_id;
    return (
      p.name.toLowerCase().includes(name) && // fuzzy, as Table 4-57 says
      (!q.component_id || p.component_id === q.component_id) &&
      (q.is_publish === undefined || q.is_publish === null || p.is_publish === q.is_publish) &&
      (!q.creator_ids?.length || q.creator_ids.includes(p.creator_id)) &&
      (!q.status?.length || (state !== undefined && q.status.includes(state.status))) &&
      (!q.executor_ids?.length || (latest !== undefined && q.executor_ids.includes(latest.executor_id))) &&
      (q.start_time == null || (latest !== undefined && latest.start_time >= q.start_time)) &&
      (q.end_time == null || (latest !== undefined && latest.start_time <= q.end_time)) &&
      (q.group_path_id ? inGroupFilter(ctx, q.group_path_id, group) : q.by_group === true ? groupPath === undefined : true)
    );
  });
  const dir = sortDir(q.sort_dir);
  filtered.sort(({ p: a }, { p: b }) => dir * (q.sort_key === "name" ? a.name.localeCompare(b.name) : a.create_time - b.create_time) || a.pipeline_id.localeCompare(b.pipeline_id));
  const offset = q.offset ?? 0;
  const limit = q.limit ?? DEFAULT_LIMIT;
  // Table 4-59.
  const window = listWindow(ctx, filtered, offset, limit);
  const items = window.data.map(({ p, latest }) => ({
    pipeline_id: p.pipeline_id,
    name: p.name,
    project_id: p.project_id,
    project_name: p.project_name,
    component_id: p.component_id,
    is_publish: p.is_publish,
    is_collect: p.is_collect,
    manifest_version: p.manifest_version,
    create_time: p.create_time,
    latest_run: latest ? latestRunVo(latest, now, true) : null,
    convert_sign: 0,
  }));
  return ok({ offset, limit, total: window.total, pipelines: items });
}

// ---------------------------------------------------------------------------------------------
// Runs (§4.2.1 – §4.2.3, §4.2.6, §4.2.7, §4.2.10 – §4.2.13)

function run(ctx: CallerContext): Reply {
  const project = ctx.params.project_id;
  const p = pipelines(ctx).get(project, ctx.params.pipeline_id);
  if (!p) return pipelineNotFound();
  const body = parse(runBody, jsonObject(ctx.rawBody) ?? {});
  if (!body) return invalidParameter();
  const stages = shapeOf(p.definition);
  if (body.choose_jobs) {
    if (body.choose_jobs.length === 0) return pipelineError("DEVPIPE.0011129", "The selected task cannot be empty.");
    const known = jobIdentifiers(stages);
    if (body.choose_jobs.some((j) => !known.has(j))) return taskNotFound();
  }
  const source = body.sources?.[0]?.params;
  const r: RunRecord = {
    id: newHexId(),
    pipeline_id: p.pipeline_id,
    run_number: (latestRun(ctx, project, p.pipeline_id)?.run_number ?? 0) + 1,
    executor_id: ctx.caller.user.id,
    executor_name: ctx.caller.user.name,
    description: body.description ?? null,
    trigger_type: "Manual",
    start_time: ctx.now.getTime(),
    stop_requested_at: null,
    failed_at: null,
    sources: body.sources ?? p.sources,
    build_params: source?.build_params ? { ...source.build_params, codehub_id: source.codehub_id ?? null, git_url: source.git_url } : null,
    variables: body.variables ?? [],
    stages,
    step_status: {},
  };
  runRecords(ctx).put(project, r.id, r);
  return ok({ pipeline_run_id: r.id });
}

/** The pipeline and one of its runs, or the error answer. */
function pipelineRun(ctx: CallerContext, runId: string | null | undefined): { p: PipelineRecord; r: RunRecord } | Reply {
  const project = ctx.params.project_id;
  const p = pipelines(ctx).get(project, ctx.params.pipeline_id);
  if (!p) return pipelineNotFound();
  const r = runId ? runRecords(ctx).get(project, runId) : latestRun(ctx, project, p.pipeline_id);
  if (!r || r.pipeline_id !== p.pipeline_id) return recordNotFound();
  return { p, r };
}

function status(ctx: CallerContext): Reply {
  let ids: unknown;
  try {
    ids = JSON.parse(ctx.rawBody.toString("utf8"));
  } catch {
    return invalidParameter();
  }
  const body = parse(z.array(z.string()), ids);
  if (!body) return invalidParameter();
  const project = ctx.params.project_id;
  const now = ctx.now.getTime();
  // "Only pipeline data with execution records is returned."
  const out = body.flatMap((id) => {
    const latest = pipelines(ctx).get(project, id) ? latestRun(ctx, project, id) : undefined;
    return latest ? [latestRunVo(latest, now, false)] : [];
  });
  return ok(out);
}

function runDetail(ctx: CallerContext): Reply {
  const found = pipelineRun(ctx, ctx.query.get("pipeline_run_id"));
  if ("status" in found) return found;
  const { p, r } = found;
  const now = ctx.now.getTime();
  const { status: st, end_time } = runState(r, now);
  const stepVo = (s: StepShape) => ({ ...s, last_dispatch_id: null, status: r.step_status[s.id] ?? st, message: null, start_time: r.start_time, end_time });
  const group = p.group_id ? findPipelineGroup(ctx.store, p.project_id, p.group_id) : undefined;
  // Table 4-46.
  return ok({
    id: r.id,
    pipeline_id: p.pipeline_id,
    manifest_version: p.manifest_version,
    name: p.name,
    description: r.description,
    is_publish: p.is_publish,
    executor_id: r.executor_id,
    executor_name: r.executor_name,
    status: st,
    trigger_type: r.trigger_type,
    run_number: r.run_number,
    start_time: r.start_time,
    end_time,
    stages: r.stages.map((s) => ({
      id: s.id,
      category: null,
      name: s.name,
      identifier: s.identifier,
      run_always: s.run_always,
      parallel: null,
      is_select: true,
      sequence: s.sequence,
      depends_on: s.depends_on,
      condition: s.condition,
      status: st,
      start_time: r.start_time,
      end_time,
      pre: s.pre.map(stepVo),
      post: s.post.map(stepVo),
      jobs: s.jobs.map((j) => ({
        id: j.id,
        category: null,
        sequence: j.sequence,
        async: null,
        name: j.name,
        identifier: j.identifier,
        depends_on: j.depends_on,
        condition: j.condition,
        resource: null,
        is_select: true,
        timeout: j.timeout,
        last_dispatch_id: null,
        status: st,
        message: null,
        start_time: r.start_time,
        end_time,
        steps: j.steps.map(stepVo),
        exec_id: null,
      })),
    })),
    domain_id: ctx.caller.account.domainId,
    project_id: p.project_id,
    region: ctx.caller.account.iamProjects[0].name,
    component_id: p.component_id,
    language: "en-us",
    sources: r.sources.map((s) => ({ type: s.type ?? null, params: s.params ? { ...s.params, build_params: r.build_params } : null })),
    artifacts: null,
    subject_id: r.id,
    group_id: p.group_id,
    group_name: group?.name ?? null,
    detail_url: null,
    current_system_time: stageTime(now),
  });
}

function stop(ctx: CallerContext): Reply {
  const found = pipelineRun(ctx, ctx.params.pipeline_run_id);
  if ("status" in found) return found;
  const { r } = found;
  // Stopping a run that has ended, or is already stopping, changes nothing.
  if (ACTIVE.includes(runState(r, ctx.now.getTime()).status) && r.stop_requested_at === null) {
    runRecords(ctx).put(ctx.params.project_id, r.id, { ...r, stop_requested_at: ctx.now.getTime() });
  }
  return ok({ success: true });
}

function retry(ctx: CallerContext): Reply {
  const found = pipelineRun(ctx, ctx.params.pipeline_run_id);
  if ("status" in found) return found;
  const { r } = found;
  const { status: st } = runState(r, ctx.now.getTime());
  // Only a run that did not finish its course can be tried again.
  if (st !== "FAILED" && st !== "CANCELED") return invalidParameter();
  runRecords(ctx).put(ctx.params.project_id, r.id, { ...r, start_time: ctx.now.getTime(), stop_requested_at: null, failed_at: null, step_status: {} });
  return ok({ success: true });
}

/** The job and step a review or log request names, inside the run. */
function stepOf(r: RunRecord, jobId: string, stepId: string): StepShape | undefined {
  for (const s of r.stages) {
    const job = s.jobs.find((j) => j.id === jobId);
    const step = job?.steps.find((st) => st.id === stepId);
    if (step) return step;
  }
  return undefined;
}

function review(ctx: CallerContext, decision: "pass" | "refuse"): Reply {
  const found = pipelineRun(ctx, ctx.params.pipeline_run_id);
  if ("status" in found) return found;
  const { r } = found;
  const step = stepOf(r, ctx.params.job_run_id, ctx.params.step_run_id);
  if (!step) return taskNotFound();
  const now = ctx.now.getTime();
  if (runState(r, now).status !== "RUNNING") return invalidParameter();
  const next: RunRecord = { ...r, step_status: { ...r.step_status, [step.id]: decision === "pass" ? "COMPLETED" : "FAILED" } };
  if (decision === "refuse") next.failed_at = now;
  runRecords(ctx).put(ctx.params.project_id, r.id, next);
  return ok({ success: true });
}

function logs(ctx: CallerContext): Reply {
  const found = pipelineRun(ctx, ctx.params.pipeline_run_id);
  if ("status" in found) return found;
  const { r } = found;
  const step = stepOf(r, ctx.params.job_run_id, ctx.params.step_run_id);
  if (!step) return taskNotFound();
  const body = parse(logsBody, jsonObject(ctx.rawBody));
  if (!body) return invalidParameter();
  const stamp = `[${stageTime(r.start_time)} GMT+00:00]`;
  const name = typeof step.name === "string" ? step.name : "step";
  const state = runState(r, ctx.now.getTime());
  let lines = [
    `${stamp} [INFO] [real_stage: ${name}]: This step starts to be executed.`,
    ...(state.status === "RUNNING" ? [] : [`${stamp} [INFO] [real_stage: ${name}]: This step is ${state.status.toLowerCase()}.`]),
  ];
  if (body.sort === "desc") lines = lines.reverse();
  const text = lines.slice(0, body.limit).join("\n");
  const start = body.start_offset ?? 0;
  return ok({ has_more: false, end_offset: String(start + Buffer.byteLength(text)), start_offset: String(start), log: text, location: "emulator", step_run_id: step.id });
}

function runs(ctx: CallerContext): Reply {
  const project = ctx.params.project_id;
  if (!pipelines(ctx).get(project, ctx.params.pipeline_id)) return pipelineNotFound();
  const q = parse(runsBody, jsonObject(ctx.rawBody) ?? {});
  if (!q) return invalidParameter();
  const now = ctx.now.getTime();
  const all = runsOf(ctx, project, ctx.params.pipeline_id).filter(
    (r) =>
      (!q.status?.length || q.status.includes(runState(r, now).status)) &&
      (q.start_time == null || r.start_time >= q.start_time) &&
      (q.end_time == null || r.start_time <= q.end_time),
  );
  const dir = sortDir(q.sort_dir);
  all.sort((a, b) => dir * (a.start_time - b.start_time) || dir * (a.run_number - b.run_number));
  const offset = q.offset ?? 0;
  const limit = q.limit ?? DEFAULT_LIMIT;
  return ok({ offset, limit, total: all.length, pipeline_runs: all.slice(offset, offset + limit).map((r) => latestRunVo(r, now, true)) });
}

/**
 * L1: what the list's `group_path_id` ("Pipeline Group ID", String) selects. `path`: the pipelines
 * directly in the group with that dot-joined path; `id`: directly in the group with that id; `subtree`:
 * in the group with that path or any group below it.
 */
function inGroupFilter(ctx: CallerContext, value: string, group: { id: string; path_id: string } | undefined): boolean {
  if (!group) return false;
  if (ctx.dialect.is("L1", "id")) return group.id === value;
  if (ctx.dialect.is("L1", "subtree")) return group.path_id === value || group.path_id.startsWith(`${value}.`);
  return group.path_id === value;
}
