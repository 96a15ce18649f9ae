import { z } from "zod";
import { object } from "../answers";
import { ApiClient, type ServiceClient } from "../client";
import { loadSettings, Settings } from "../config";

/**
 * The tenant's resources as COC knows them (Cloud Operations Center (COC) API Reference §4.1.1): e.g. the hosts a ScriptRun
 * targets, with the UniAgent id (`agentId`) its batches need. A plain async function; no resource is
 * created. Settings are the provider's (from the environment) unless given.
 */
export interface TenantResourceQuery {
  /** The cloud service name (§4.1.1 `provider`, mandatory), e.g. "ecs". */
  provider: string;
  /** The resource type name (§4.1.1 `type`, mandatory), e.g. "cloudservers". */
  type: string;
  settings?: Settings;
}

export interface TenantResource {
  /** The id CMDB allocated (the list's marker). */
  id: string;
  /** The id the cloud service allocated: a ScriptRun host's `resourceId`. */
  resourceId: string;
  name?: string;
  provider?: string;
  type?: string;
  projectId?: string;
  regionId?: string;
  epId?: string;
  tags?: Record<string, string>;
  properties?: Record<string, unknown>;
  /** The UniAgent's id: a ScriptRun host's `agentSn`. */
  agentId?: string;
}

interface ResourceVo {
  id: string;
  resource_id: string;
  name?: string;
  provider?: string;
  type?: string;
  project_id?: string;
  region_id?: string;
  ep_id?: string;
  tags?: Record<string, string>;
  properties?: Record<string, unknown>;
  agent_id?: string;
}

/** §4.1.1 Table 4-2: `{"data": [resource…]}`, each with its CMDB id and the service's resource id. */
const page = object({ data: z.array(object({ id: z.string(), resource_id: z.string() })) });
const LIMIT = 100;
/** A tenant of more resources than this is listed by a narrower query (a bound on a marker that never ends a list). */
const MAX_PAGES = 1000;

async function withClient<T>(settings: Settings | undefined, run: (c: ServiceClient) => Promise<T>): Promise<T> {
  const client = new ApiClient(settings ?? loadSettings(() => undefined));
  try {
    return await run(client);
  } finally {
    await client.close();
  }
}

/**
 * §4.1.1, every page: `limit` 100 (the maximum), `marker` the `id` of the last record (the answer carries
 * no marker of its own). E8: a page that repeats a record already read means the service reads the
 * marker otherwise, and the listing stops with an error rather than loop or skip.
 */
export function listTenantResources(query: TenantResourceQuery): Promise<TenantResource[]> {
  return withClient(query.settings, async (c) => {
    const out: TenantResource[] = [];
    const seen = new Set<string>();
    let marker: string | undefined;
    for (let n = 0; n < MAX_PAGES; n++) {
      const res = await c.send<{ data: ResourceVo[] }>({
        service: "coc",
        method: "GET",
        path: "/v1/resources",
        query: { provider: query.provider, type: query.type, limit: LIMIT, marker },
        operation: "Resource.list",
        answer: page,
      });
      const items = res.body.data;
      for (const r of items) {
        if (seen.has(r.id))
          throw new Error(
            `Resource.list: the page after marker ${marker} repeats resource ${r.id}: the service does not read the marker as the last record's id (ambiguities.md E8)`,
          );
        seen.add(r.id);
        out.push({
          id: r.id,
          resourceId: r.resource_id,
          name: r.name,
          provider: r.provider,
          type: r.type,
          projectId: r.project_id,
          regionId: r.region_id,
          epId: r.ep_id,
          tags: r.tags,
          properties: r.properties,
          agentId: r.agent_id,
        });
      }
      if (items.length < LIMIT) return out;
      marker = items[items.length - 1].id;
    }
    throw new Error(`Resource.list: more than ${MAX_PAGES * LIMIT} resources of ${query.provider}/${query.type}; narrow the query`);
  });
}
