import { provenReading, ReadingContradicted } from "../readings";
import { readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import { z } from "zod";
import { Context, PartialCreateError, ResourceKind } from "../dynamic";
import { isTrue, object } from "../answers";
import { ApiError } from "../errors";
import { multipartFile } from "../multipart";
import { collect, probedOffsetPages } from "../paging";
import { hex32 } from "./common";
import { bindingsByPublisher } from "./pluginVersion";
import { EXTENSION_NOT_FOUND, isAmbiguous, orEmpty, PAGE_LIMIT, text, v1 } from "./extensionCommon";

/**
 * Publisher — a publisher of extension plug-ins (CodeArts Pipeline API Reference §4.9.3, §4.9.10, §4.9.12, §4.9.24,
 * §4.9.25). Create answers a bare `true` with no id, and nothing makes a publisher unique: the id
 * is found by listing (§4.9.12) and matching every declared field, and a create is refused when an
 * identical publisher already exists (the two could not be told apart). There is no update API:
 * every change replaces the publisher.
 */
const fileExists = (path: string): boolean => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/**
 * Text as the service may store it (ambiguity X3 `normalised`: trimmed): the normal form is trimmed,
 * so what is sent is what any reading reads back, and a lookup by every field still matches.
 */
const trimmedText = () =>
  z
    .string()
    .optional()
    .transform((s) => (s === undefined || s.trim() === "" ? undefined : s.trim()));

export const publisherSchema = z
  .strictObject({
    /** Needed: the listing that finds a new publisher's id filters by name (§4.9.12). */
    name: z.string().trim().min(1, "must not be empty"),
    enName: trimmedText(),
    description: trimmedText(),
    website: trimmedText(),
    supportUrl: trimmedText(),
    sourceUrl: trimmedText(),
    logoUrl: trimmedText(),
    /** A local image file uploaded as the publisher's icon (§4.9.10); its path becomes `logo_url`. */
    iconFile: z.string().min(1, "must not be empty").refine(fileExists, "must name an existing file (the icon to upload)").optional(),
    /** Id (`publisher_unique_id`) of an existing publisher to take under management instead of creating one. */
    adoptId: hex32("publisher ID").optional(),
  })
  .superRefine((v, issue) => {
    if (v.iconFile !== undefined && v.logoUrl !== undefined) {
      issue.addIssue({ code: "custom", path: ["iconFile"], message: "cannot be combined with logoUrl: the uploaded icon's path becomes the logo URL" });
    }
  });
export type PublisherInputs = z.output<typeof publisherSchema>;

export interface PublisherOutputs extends Record<string, unknown> {
  name: string;
  enName?: string;
  description?: string;
  website?: string;
  supportUrl?: string;
  sourceUrl?: string;
  logoUrl?: string;
  iconFile?: string;
  /** `publisher_unique_id`, also the resource id. */
  publisherId: string;
  /** Where the service keeps the uploaded icon (the publisher's `logo_url`), when `iconFile` is set. */
  iconPath?: string;
  /** `logo_url` as the service reads it back, also when none was declared (X3 `normalised` fills a default). */
  effectiveLogoUrl?: string;
  userId?: string;
  tenantId?: string;
  authStatus?: string;
  lastUpdateUserName?: string;
  lastUpdateUserId?: string;
  lastUpdateTime?: string;
}

/** PublisherVO (Table 4-359). */
interface PublisherVo {
  publisher_unique_id: string;
  user_id?: string | null;
  tenant_id?: string | null;
  description?: string | null;
  logo_url?: string | null;
  website?: string | null;
  support_url?: string | null;
  source_url?: string | null;
  en_name?: string | null;
  name?: string | null;
  auth_status?: string | null;
  is_delete?: number | null;
  last_update_user_name?: string | null;
  last_update_user_id?: string | null;
  last_update_time?: string | number | null;
}

/** The publisher's fields as the API names them; `logo_url` is the uploaded icon's path when there is one. */
export function apiFields(inputs: PublisherInputs, logo: string | undefined) {
  return {
    name: inputs.name,
    en_name: orEmpty(inputs.enName),
    description: orEmpty(inputs.description),
    website: orEmpty(inputs.website),
    support_url: orEmpty(inputs.supportUrl),
    source_url: orEmpty(inputs.sourceUrl),
    logo_url: orEmpty(logo),
  };
}

/**
 * Every field equal ("" and unset alike): the only way to recognise a publisher (the Terraform provider's way too).
 * Compared trimmed, and an undeclared logo matches whatever logo the service filled in (X3
 * `normalised`); the fields sent are already trimmed, so under `verbatim` this is an exact match.
 */
function sameFields(vo: PublisherVo, fields: ReturnType<typeof apiFields>): boolean {
  return (Object.keys(fields) as (keyof typeof fields)[]).every((k) => (k === "logo_url" && fields[k] === "") || (text(vo[k])?.trim() ?? "") === fields[k]);
}

const live = (vo: PublisherVo | undefined): vo is PublisherVo => !!vo && vo.is_delete !== 1;

/** Every live publisher whose name matches the filter; the filter is not documented as exact, callers compare. Also the conformance probes'. */
export async function listByName(ctx: Context, name: string | undefined): Promise<PublisherVo[]> {
  const path = `${await v1(ctx)}/publisher/query-all`;
  const pages = probedOffsetPages<PublisherVo>(
    async (offset, limit) => {
      const res = await ctx.client.send<{ total?: number; data?: PublisherVo[] | null }>({
        service: "pipeline",
        method: "GET",
        path,
        query: name === undefined ? { offset, limit } : { name, offset, limit },
        operation: "Publisher.list",
        answer: object({ total: z.number().optional(), data: z.array(object({ publisher_unique_id: z.string(), name: z.string() })).nullable() }),
        resource: name ?? "publishers",
      });
      return { items: res.body?.data ?? [], total: res.body?.total };
    },
    PAGE_LIMIT,
    (vo) => `${vo.publisher_unique_id}`,
    `Publisher: listing publishers named "${name}"`,
  );
  return collect(pages, live);
}

/** §4.9.10: uploads the icon and answers the path the service stores it under. */
async function uploadIcon(ctx: Context, inputs: PublisherInputs, file: string, named: boolean): Promise<string> {
  const res = await ctx.client.send<unknown>({
    service: "pipeline",
    method: "POST",
    path: `${await v1(ctx)}/common/upload-publisher-icon`,
    query: named ? { publisher_en_name: inputs.enName } : {},
    rawBody: multipartFile("upload_file", basename(file), readFileSync(file)),
    operation: "Publisher.uploadIcon",
    answer: z.string().min(1, "must be the icon's path"),
    resource: basename(file),
    idempotent: true, // a stored file nothing refers to yet; uploading it again is harmless
  });
  if (typeof res.body !== "string" || res.body === "") throw new Error(`Publisher "${inputs.name}": the icon upload answered no path`);
  return res.body;
}

function toOutputs(vo: PublisherVo, declared: { iconFile?: string; logoUrl?: string }): PublisherOutputs {
  const logo = text(vo.logo_url);
  const t = (v: unknown) => text(v)?.trim() || undefined;
  return {
    name: t(vo.name) ?? "",
    enName: t(vo.en_name),
    description: t(vo.description),
    website: t(vo.website),
    supportUrl: t(vo.support_url),
    sourceUrl: t(vo.source_url),
    // A logo the program did not declare is the service's default (X3), not drift: only declared ones are compared.
    logoUrl: declared.iconFile || declared.logoUrl === undefined ? undefined : logo,
    iconFile: declared.iconFile,
    publisherId: vo.publisher_unique_id,
    iconPath: declared.iconFile ? logo : undefined,
    effectiveLogoUrl: logo ?? "", // "" when the service shows none (X3 `verbatim` with no logo declared)
    userId: text(vo.user_id),
    tenantId: text(vo.tenant_id),
    authStatus: text(vo.auth_status),
    lastUpdateUserName: text(vo.last_update_user_name),
    lastUpdateUserId: text(vo.last_update_user_id),
    lastUpdateTime: vo.last_update_time == null ? undefined : String(vo.last_update_time),
  };
}

/**
 * X5 `existing`: the upload names its publisher by `en_name` only, so the icon can follow the create
 * only when `enName` is declared and no other publisher has it (the upload would change that one's icon).
 * Otherwise nothing is created.
 */
async function iconAfterCreatePossible(ctx: Context, inputs: PublisherInputs, refusal: ApiError): Promise<void> {
  const why = `the icon upload (§4.9.10, "Updating the Publisher Icon") was refused before the publisher exists (ambiguity X5, reading \`existing\`: ${refusal.message})`;
  if (!inputs.enName)
    throw new Error(`Publisher "${inputs.name}": ${why}; it names the publisher by en_name, so declare enName to upload the icon after the create. Nothing was created`);
  const taken = (await listByName(ctx, undefined)).filter((vo) => text(vo.en_name)?.trim() === inputs.enName);
  if (taken.length > 0) {
    throw new Error(
      `Publisher "${inputs.name}": ${why}, and publisher(s) ${taken.map((p) => p.publisher_unique_id).join(", ")} already have en_name "${inputs.enName}": ` +
        `uploading after the create could change their icon. Choose another enName or use logoUrl. Nothing was created`,
    );
  }
  ctx.log(`Publisher "${inputs.name}": ${why}; uploading it after the create`);
}

async function detailOf(ctx: Context, id: string): Promise<PublisherVo | undefined> {
  const res = await ctx.client.send<{ publisher_detail_map?: Record<string, PublisherVo> | null }>({
    service: "pipeline",
    method: "POST",
    path: `${await v1(ctx)}/publisher/detail`,
    body: [id],
    operation: "Publisher.detail",
    answer: object({ publisher_detail_map: z.record(z.string(), object({ publisher_unique_id: z.string() })).nullable() }),
    resource: id,
    idempotent: true, // a read
    read: true,
  });
  const vo = res.body?.publisher_detail_map?.[id];
  return live(vo) ? vo : undefined;
}

const NO_UPDATE = "the publisher API has no update (CodeArts Pipeline API Reference §4.9: create, list, detail and delete only)";

export const publisher: ResourceKind<typeof publisherSchema, PublisherOutputs> = {
  name: "Publisher",
  schema: publisherSchema,
  replaceOn: ["name", "enName", "description", "website", "supportUrl", "sourceUrl", "logoUrl", "iconFile"],
  // A replacement that keeps the name deletes first: a service that keeps publisher names unique
  // (ambiguity N1, `unique`) would refuse the new one while the old one exists.
  deleteBeforeReplace: (olds, news) => olds.name === news.name,
  replaceWhy: {
    name: NO_UPDATE,
    enName: NO_UPDATE,
    description: NO_UPDATE,
    website: NO_UPDATE,
    supportUrl: NO_UPDATE,
    sourceUrl: NO_UPDATE,
    logoUrl: NO_UPDATE,
    iconFile: NO_UPDATE,
  },
  notFoundCodes: EXTENSION_NOT_FOUND,
  // The service's verification of the publisher, and its last editor (Table 4-359).
  serviceMaintained: ["authStatus", "lastUpdateUserName", "lastUpdateUserId", "lastUpdateTime", "effectiveLogoUrl"],

  async create(ctx, inputs) {
    // Under N1 `unique` (proven, provenReadings) no identical publisher can be there already, and any
    // publisher with the name after the create is this one: the listing before it only guards `repeat`.
    const namesUnique = provenReading(ctx, "N1") === "unique";
    const before = namesUnique ? [] : await listByName(ctx, inputs.name);
    // The uploaded icon's path is unique, so with an icon the lookup below cannot be ambiguous.
    let logo = inputs.logoUrl;
    let iconAfterCreate = false;
    if (inputs.iconFile) {
      try {
        // Sent without publisher_en_name (as the §4.9.10 example): under X5 `existing` a name would make
        // the upload change the icon of whichever publisher already has that en_name.
        logo = await uploadIcon(ctx, inputs, inputs.iconFile, false);
      } catch (e) {
        // X5: "Updating the Publisher Icon" (§4.9.10) may need the publisher (named by en_name) to exist
        // already: a refusal with a service code uploads nothing; the icon is then uploaded after the create.
        if (!(e instanceof ApiError && e.status >= 400 && e.status < 500 && e.errorCode !== undefined)) throw e;
        await iconAfterCreatePossible(ctx, inputs, e);
        iconAfterCreate = true;
      }
    }
    const fields = apiFields(inputs, logo);
    const identical = before.filter((vo) => sameFields(vo, fields));
    if (identical.length > 0) {
      throw new Error(
        `Publisher "${inputs.name}": an identical publisher already exists (${identical.map((p) => p.publisher_unique_id).join(", ")}); ` +
          `a second one could not be told apart from it. Adopt it with adoptId, or change a field. Nothing was created`,
      );
    }
    const known = new Set(before.map((p) => p.publisher_unique_id));
    // After an answer that may hide a success, the listing tells whether it was created: the one new
    // identical publisher is ours; none means the create can be sent again.
    for (let attempt = 0; ; attempt++) {
      let failure: unknown;
      try {
        await ctx.client.send({
          service: "pipeline",
          method: "POST",
          path: `${await v1(ctx)}/publisher/create`,
          body: fields,
          operation: "Publisher.create",
          answer: isTrue,
          resource: inputs.name,
        });
      } catch (e) {
        if (!isAmbiguous(e)) throw e;
        failure = e;
      }
      let listed: PublisherVo[];
      try {
        listed = await listByName(ctx, inputs.name);
      } catch (e) {
        // §4.9.3 answers no id: only this listing finds it. Without it nothing can be recorded; say what
        // the next `up` will meet and how to take the publisher under management.
        throw new Error(
          `Publisher "${inputs.name}": ${failure ? "the create failed ambiguously and" : "the create was accepted, but"} the listing that finds its id failed ` +
            `(${(e as Error).message}); nothing is recorded. If it was created, the next up refuses to make an identical one and names its id: ` +
            `adopt it with adoptId, or delete it`,
          { cause: e },
        );
      }
      const made = listed.filter((vo) => !known.has(vo.publisher_unique_id) && sameFields(vo, fields));
      if (made.length === 1) {
        if (failure) ctx.log(`Publisher: the create failed (${(failure as Error).message}), but the object was created: recorded ${made[0].publisher_unique_id}`);
        const id = made[0].publisher_unique_id;
        if (!iconAfterCreate) return { id, outs: toOutputs(made[0], inputs) };
        try {
          const path = await uploadIcon(ctx, inputs, inputs.iconFile!, true);
          const now = await detailOf(ctx, id);
          if (!now || text(now.logo_url) !== path) throw new Error(`the icon was uploaded (${path}) but the publisher's logo_url is ${JSON.stringify(now?.logo_url ?? null)}`);
          return { id, outs: toOutputs(now, inputs) };
        } catch (e) {
          throw new PartialCreateError(id, toOutputs(made[0], inputs), e);
        }
      }
      if (made.length > 1 && namesUnique) {
        throw new ReadingContradicted(
          "N1",
          "unique",
          `Publisher "${inputs.name}": ${made.length} publishers of that name are listed after its create (${made.map((p) => p.publisher_unique_id).join(", ")}); nothing is recorded and nothing was deleted: adopt the right one with adoptId`,
        );
      }
      if (made.length > 1) {
        throw new Error(
          `Publisher "${inputs.name}": ${made.length} identical publishers appeared while creating it (${made.map((p) => p.publisher_unique_id).join(", ")}); ` +
            `one is this one, the others were created by someone else at the same time, and the API cannot tell which. Nothing was deleted ` +
            `and nothing is recorded: adopt the right one with adoptId and delete the others`,
        );
      }
      if (!failure) throw new Error(`Publisher "${inputs.name}": the service accepted the create but lists no such publisher; nothing is recorded`);
      if (attempt >= ctx.settings.maxRetries) throw failure;
      ctx.log(`Publisher: the create failed (${(failure as Error).message}) and nothing was created: creating again`);
    }
  },

  // Plug-ins (bound to publishers) first.
  sweep: {
    after: ["Plugin"],
    async list(ctx, { prefix }) {
      const ours = (await listByName(ctx, undefined)).filter((vo) => typeof vo.name === "string" && vo.name.startsWith(prefix));
      if (ours.length === 0) return [];
      // A plug-in without the prefix bound to one of them would lose its publisher: that one is not swept.
      const bound = await bindingsByPublisher(ctx);
      return ours.map((vo) => {
        const others = (bound.get(vo.publisher_unique_id) ?? []).filter((name) => !name.startsWith(prefix));
        return {
          id: vo.publisher_unique_id,
          name: vo.name!,
          state: {},
          ...(others.length ? { touchesOthers: `plug-in(s) ${others.join(", ")}, whose names do not start with the prefix, are bound to it` } : {}),
        };
      });
    },
  },

  async read(ctx, id, state) {
    let vo: PublisherVo | undefined;
    try {
      vo = await detailOf(ctx, id);
    } catch (e) {
      if (e instanceof ApiError && e.provesAbsence(EXTENSION_NOT_FOUND)) return undefined;
      throw e;
    }
    if (!live(vo)) return undefined;
    const iconFile = typeof state.iconFile === "string" ? state.iconFile : undefined;
    const declaredLogo = typeof state.logoUrl === "string" ? state.logoUrl : undefined;
    const outs = toOutputs(vo, { iconFile, logoUrl: declaredLogo });
    const { name, enName, description, website, supportUrl, sourceUrl, logoUrl } = outs;
    return { outs, inputs: { name, enName, description, website, supportUrl, sourceUrl, logoUrl, iconFile } };
  },

  async delete(ctx, id) {
    await ctx.client.send({
      service: "pipeline",
      method: "DELETE",
      path: `${await v1(ctx)}/publisher/delete`,
      query: { publisher_unique_id: id },
      operation: "Publisher.delete",
      answer: isTrue,
      resource: id,
    });
  },
};
