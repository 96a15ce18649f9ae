import { z } from "zod";
import { newHexId } from "../ids";
import type { CallerContext, Reply, Router } from "../router";
import { fuzzy, iconPath, invalid, msString, notFound, ok, paged, pageParams, PLUGINS, PUBLISHERS, uploadedFile } from "./extensionCommon";
import { jsonObject } from "./json";
import { pipelineRoute } from "./pipelineCommon";
import { nameExists, nameTaken } from "./names";

/**
 * Extension plug-in publishers (CodeArts Pipeline API Reference §4.9.3, §4.9.10, §4.9.12, §4.9.13, §4.9.24, §4.9.25),
 * stored per account. There is no update API. Create answers a bare `true` and no id: the id
 * (`publisher_unique_id`) is server-generated and learnt by listing. Nothing makes a publisher
 * unique, so identical publishers may exist side by side (the Terraform provider matches on every
 * field for that reason).
 */
export function registerPublishers(router: Router): void {
  pipelineRoute(router, "POST", "/v1/{domain_id}/publisher/create", "Publisher.create", create);
  pipelineRoute(router, "GET", "/v1/{domain_id}/publisher/query-all", "Publisher.list", list);
  pipelineRoute(router, "GET", "/v1/{domain_id}/publisher/optional-publisher", "Publisher.available", available);
  pipelineRoute(router, "POST", "/v1/{domain_id}/publisher/detail", "Publisher.detail", detail);
  pipelineRoute(router, "DELETE", "/v1/{domain_id}/publisher/delete", "Publisher.delete", remove);
  pipelineRoute(router, "POST", "/v1/{domain_id}/common/upload-publisher-icon", "Publisher.uploadIcon", uploadIcon);
}

/** PublisherVO (Table 4-359), in its field order. */
export interface PublisherVo {
  publisher_unique_id: string;
  user_id: string;
  tenant_id: string;
  description: string | null;
  logo_url: string | null;
  website: string | null;
  support_url: string | null;
  source_url: string | null;
  en_name: string | null;
  name: string | null;
  /** "processing" in the §4.9.12 example; what ends the authorisation is undocumented. */
  auth_status: string;
  is_delete: number;
  last_update_user_name: string;
  last_update_user_id: string;
  last_update_time: string;
}

const text = z.string().nullish();
// Table 4-317: every field optional and a String. Unknown fields are ignored.
const createBody = z.object({
  name: text,
  user_id: text,
  description: text,
  logo_url: text,
  website: text,
  support_url: text,
  source_url: text,
  en_name: text,
  publisher_unique_id: text,
});

const publishers = (ctx: CallerContext) => ctx.store.collection<PublisherVo>(PUBLISHERS);

function create(ctx: CallerContext): Reply {
  const body = createBody.safeParse(jsonObject(ctx.rawBody));
  if (!body.success) return invalid();
  const { account, user } = ctx.caller;
  const b = normalise(ctx, body.data);
  if (
    nameTaken(
      ctx,
      b.name,
      all(ctx).filter((p) => p.is_delete !== 1),
    )
  )
    return invalid(nameExists("publisher", b.name ?? ""));
  // `publisher_unique_id` is in Table 4-317, but whether the service honours a client-chosen id is
  // undocumented; the emulator always generates it, so a client cannot rely on it.
  const id = newHexId();
  publishers(ctx).put(account.domainId, id, {
    publisher_unique_id: id,
    user_id: b.user_id ?? user.id,
    tenant_id: account.domainId,
    description: b.description ?? null,
    logo_url: b.logo_url ?? null,
    website: b.website ?? null,
    support_url: b.support_url ?? null,
    source_url: b.source_url ?? null,
    en_name: b.en_name ?? null,
    name: b.name ?? null,
    auth_status: "processing",
    is_delete: 0,
    last_update_user_name: user.name,
    last_update_user_id: user.id,
    last_update_time: msString(ctx.now),
  });
  return ok(true);
}

/** The icon a publisher without a logo reads back with under X3 `normalised`. */
export const DEFAULT_PUBLISHER_LOGO = "/api/v1/common/get-plugin-icon?object_key=default-publisher-logo&icon_type=publish";

/**
 * X3: nothing says the list (or the detail) echoes the fields verbatim. Under `normalised` the
 * service stores text trimmed and an empty `logo_url` filled with a default icon.
 */
function normalise<T extends Record<string, string | null | undefined>>(ctx: CallerContext, b: T): T {
  if (!ctx.dialect.is("X3", "normalised")) return b;
  const out: Record<string, string | null | undefined> = Object.fromEntries(Object.entries(b).map(([k, v]) => [k, typeof v === "string" ? v.trim() : v]));
  if (!out.logo_url) out.logo_url = DEFAULT_PUBLISHER_LOGO;
  return out as T;
}

/** Oldest first, so a new publisher lands on the last page. */
const all = (ctx: CallerContext) =>
  publishers(ctx)
    .list(ctx.caller.account.domainId)
    .sort((a, b) => Number(a.last_update_time) - Number(b.last_update_time));

function list(ctx: CallerContext): Reply {
  const page = pageParams(ctx);
  if (!page) return invalid();
  // The `name` filter's semantics are undocumented; it is a fuzzy match here.
  return ok(
    paged(
      ctx,
      all(ctx).filter((p) => fuzzy(p.name, ctx.query.get("name"))),
      page,
    ),
  );
}

/** §4.9.13: a bare array (Table 4-363). */
function available(ctx: CallerContext): Reply {
  return ok(all(ctx));
}

/** §4.9.25: body = a bare JSON array of ids; ids that do not exist are absent from the map. */
function detail(ctx: CallerContext): Reply {
  let ids: unknown;
  try {
    ids = JSON.parse(ctx.rawBody.toString("utf8"));
  } catch {
    return invalid();
  }
  const parsed = z.array(z.string()).safeParse(ids);
  if (!parsed.success) return invalid();
  const map: Record<string, PublisherVo> = {};
  for (const id of parsed.data) {
    const p = publishers(ctx).get(ctx.caller.account.domainId, id);
    if (p) map[id] = p;
  }
  return ok({ publisher_detail_map: map });
}

function remove(ctx: CallerContext): Reply {
  const id = ctx.query.get("publisher_unique_id");
  if (!id) return invalid();
  const domain = ctx.caller.account.domainId;
  if (!publishers(ctx).remove(domain, id)) return notFound("The publisher");
  // Nothing in §4.9 unbinds a plug-in; a deleted publisher's plug-ins are left unbound.
  const plugins = ctx.store.collection<{ plugin_name: string; publisher_unique_id: string | null }>(PLUGINS);
  for (const p of plugins.list(domain).filter((p) => p.publisher_unique_id === id)) {
    plugins.put(domain, p.plugin_name, { ...p, publisher_unique_id: null });
  }
  return ok(true);
}

/**
 * §4.9.10: stores the file and answers its path (a bare string). It changes no publisher: the
 * §4.9.10 example names none, so the path is meant for `logo_url` of a create.
 */
function uploadIcon(ctx: CallerContext): Reply {
  const file = uploadedFile(ctx);
  if ("status" in file) return file;
  const owner = ctx.query.get("publisher_en_name") || "default";
  const path = iconPath(ctx.caller.account.domainId, owner, newHexId(), file.filename, "publish");
  // X5: the title says "Updating the Publisher Icon". Under `existing` the publisher named by
  // `publisher_en_name` must exist, and its `logo_url` becomes the uploaded icon.
  if (ctx.dialect.is("X5", "existing")) {
    const domain = ctx.caller.account.domainId;
    const named = publishers(ctx)
      .list(domain)
      .filter((p) => p.en_name !== null && p.en_name === ctx.query.get("publisher_en_name"));
    if (named.length === 0) return notFound(`The publisher ${ctx.query.get("publisher_en_name") ?? ""}`);
    for (const p of named) publishers(ctx).put(domain, p.publisher_unique_id, { ...p, logo_url: path });
  }
  return ok(path);
}
