import { randomBytes } from "crypto";
import { provesAbsence, unlessGone } from "../../../provider/errors";
import { multipartFile } from "../../../provider/multipart";
import { MANIFEST } from "../../../provider/pluginPackage";
import { makeZip } from "../../../provider/zip";
import { attributionOf, EXTENSION_NOT_FOUND, findPlugin, text, v1, v3, type PluginBasicVo } from "../../../provider/resources/extensionCommon";
import { infoBody, plugin, pluginSchema } from "../../../provider/resources/plugin";
import {
  basicListEntry,
  DELETE_EXPERIMENT_VERSIONS,
  deleteExperiment,
  detail,
  optionalListEntry,
  versionBody,
  type PluginVersionInputs,
} from "../../../provider/resources/pluginVersion";
import { apiFields, listByName, publisher, publisherSchema, type PublisherOutputs } from "../../../provider/resources/publisher";
import { describe, found, unknown, type Outcome, type Probe, type ProbeContext, type Unprobeable } from "../probe";

/**
 * The extension plug-in family (CodeArts Pipeline API Reference §4.9): rows P1 and X1–X12. Every probe works on scratch
 * plug-ins and publishers named with the run's prefix (plug-in names with `_` only: ctx.underscoreName),
 * registered for removal before they are made, and removed with the resource kinds' own delete
 * (`info/delete?type=all`, `publisher/delete`), which serve every reading of the other rows; a removal
 * that finds the object already gone (a row's own experiment may delete it) is not a failure.
 */

// ---- scratch objects ----

/** The step every probe version runs: the official shell plug-in (the §4.9.1/§4.9.2 examples' task). */
const STEPS: PluginVersionInputs["steps"] = [{ task: "official_shell_plugin", name: "probe", identifier: undefined, variables: { OFFICIAL_SHELL_SCRIPT_INPUT: "true" } }];

const info = (name: string): PluginBasicVo => ({ plugin_name: name, display_name: name, business_type: "Normal" });

const version = (name: string, v: string, more: Partial<PluginVersionInputs> = {}): PluginVersionInputs => ({
  pluginName: name,
  version: v,
  versionDescription: undefined,
  inputs: undefined,
  executionType: "COMPOSITE",
  publish: false,
  steps: STEPS,
  ...more,
});

/** §4.9.2 create-draft (or §4.9.1 create: released) of a version; the first version of a missing plug-in creates it ("multi"). */
async function makeVersion(ctx: ProbeContext, v: PluginVersionInputs, how: "create-draft" | "create" = "create-draft", uniqueId?: string): Promise<Outcome> {
  return ctx.attempt({
    service: "pipeline",
    method: "POST",
    path: `${await v1(ctx.kinds)}/agent-plugin/${how}`,
    body: versionBody(info(v.pluginName), v, uniqueId),
    operation: how === "create" ? "PluginVersion.create" : "PluginVersion.createDraft",
    resource: `${v.pluginName}/${v.version}`,
  });
}

/** Registers the removal of plug-in `name` (every version with it), before it is made: gone already is fine. */
function removesPlugin(ctx: ProbeContext, name: string): void {
  ctx.removes(`plug-in ${name}`, plugin, name, {});
}

/**
 * Registers the removal of every publisher named exactly `name` (a scratch name: only this probe's),
 * before it is made. The create answers no id (§4.9.3): `ids()` gives the ones the probe has seen,
 * otherwise they are listed.
 */
function removesPublishers(ctx: ProbeContext, name: string, ids: () => string[] | undefined): void {
  ctx.cleanup(`publisher ${name}`, async () => {
    const known = ids() ?? (await listByName(ctx.kinds, name)).filter((p) => text(p.name)?.trim() === name).map((p) => p.publisher_unique_id);
    for (const id of known) await unlessGone(publisher.delete(ctx.kinds, id, {} as PublisherOutputs), publisher.notFoundCodes ?? []);
  });
}

/** §4.9.3 with the provider's body (every field, unset ones ""); `fields` overrides some verbatim. */
async function makePublisher(ctx: ProbeContext, name: string, fields: Record<string, string> = {}): Promise<Outcome> {
  return ctx.attempt({
    service: "pipeline",
    method: "POST",
    path: `${await v1(ctx.kinds)}/publisher/create`,
    body: { ...apiFields(publisherSchema.parse({ name }), undefined), ...fields },
    operation: "Publisher.create",
    resource: name,
  });
}

const refused = (what: string, o: Outcome) => unknown(`${what} was refused (${describe(o)}), so the experiment could not be made`);
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

// ---- P1 ----

/** §4.9.23: the version strings of one plug-in, a bare array (its example) or a page object (its table). */
async function allVersions(ctx: ProbeContext, name: string, offset: number, limit: number): Promise<string[] | undefined> {
  const res = await ctx.send({
    service: "pipeline",
    method: "GET",
    path: `${await v1(ctx.kinds)}/agent-plugin/all-version`,
    query: { plugin_name: name, offset, limit },
    operation: "PluginVersion.allVersions",
    resource: name,
  });
  const items = Array.isArray(res.body) ? res.body : isObject(res.body) && Array.isArray(res.body.data) ? res.body.data : undefined;
  return items?.every((x) => typeof x === "string") ? (items as string[]) : undefined;
}

const P1_VERSIONS = ["0.0.1", "0.0.2", "0.0.3", "0.0.4", "0.0.5"];

/**
 * Five versions of one scratch plug-in, listed whole (`offset=0`, every example's value: the first page
 * under every reading), then twice at `offset=2`, with `limit=1` and `limit=2`. The first item of a page
 * is at position 2 for both limits when `offset` is a position, at 2 then 4 when it is a page from 0, at
 * 1 then 2 when it is a page from 1: the step between the two (0, 2, 1) is the reading. It still holds
 * if every page after the first starts one earlier (objects inserted meanwhile, P3).
 */
const p1: Probe = {
  row: "P1",
  method: "makes one scratch plug-in with 5 draft versions (§4.9.2), lists them with §4.9.23 at offset=0, then offset=2 with limit=1 and limit=2, deletes the plug-in",
  cost: "scratch",
  async run(ctx) {
    const name = ctx.underscoreName("p1");
    removesPlugin(ctx, name);
    for (const v of P1_VERSIONS) {
      const o = await makeVersion(ctx, version(name, v));
      if (!o.ok) return refused(`creating draft version ${v}`, o);
    }
    const whole = await allVersions(ctx, name, 0, 10);
    if (!whole || whole.length !== P1_VERSIONS.length || !P1_VERSIONS.every((v) => whole.includes(v))) {
      return unknown(`§4.9.23 at offset=0 limit=10 did not list the 5 versions made: ${JSON.stringify(whole)?.slice(0, 120)}`);
    }
    const one = await allVersions(ctx, name, 2, 1);
    const two = await allVersions(ctx, name, 2, 2);
    const seen = `offset=0: ${JSON.stringify(whole)}; offset=2 limit=1: ${JSON.stringify(one)}; offset=2 limit=2: ${JSON.stringify(two)}`;
    // The limit=2 page is the list's last item alone when offset counts pages from 0 (items 4 and 5 of 5).
    if (!one || one.length !== 1 || !two || two.length < 1 || two.length > 2) return unknown(`a page was empty or longer than its limit: ${seen}`);
    const at = (page: string[]) => whole.indexOf(page[0]);
    if (at(one) < 0 || at(two) < 0 || (two.length === 2 && whole[at(two) + 1] !== two[1])) return unknown(`a page is not a run of the whole list: ${seen}`);
    const step = at(two) - at(one);
    // The first item is at 2 (a position), 2 (page 2 from 0 with limit 1), 1 (page 2 from 1 with limit 1); one earlier if shifted.
    if (step === 0 && at(one) >= 1 && at(one) <= 2) return found("position", `offset=2 starts at the list's item ${at(one)} whatever the limit (${seen})`);
    if (step === 2 && at(one) >= 1 && at(one) <= 2)
      return found("page0", `offset=2 starts at item ${at(one)} with limit=1 and ${at(two)} with limit=2: page 2 counted from 0 (${seen})`);
    if (step === 1 && at(one) <= 1) return found("page1", `offset=2 starts at item ${at(one)} with limit=1 and ${at(two)} with limit=2: page 2 counted from 1 (${seen})`);
    return unknown(`the pages fit no reading: ${seen}`);
  },
};

// ---- X1 ----

const x1: Probe = {
  row: "X1",
  method:
    "the provider's own X1 experiment (deleteExperiment): a scratch plug-in with 2 released versions (§4.9.1), one deleted with §4.9.28 type=single&version=, both read (§4.9.22), the plug-in deleted",
  cost: "scratch",
  async run(ctx) {
    const name = ctx.underscoreName("x1");
    removesPlugin(ctx, name);
    await deleteExperiment(ctx.kinds, name);
    const [deleted, other] = DELETE_EXPERIMENT_VERSIONS;
    const gone = await detail(ctx.kinds, { pluginName: name, version: deleted });
    const kept = await detail(ctx.kinds, { pluginName: name, version: other });
    // X12 `draft`: §4.9.1 made drafts, and what type=single does to a draft says nothing of a released version.
    if (kept && attributionOf(kept, "version") !== "formal") {
      return unknown(
        `the versions §4.9.1 made read version_attribution ${JSON.stringify(attributionOf(kept, "version"))}, not released (X12), so the experiment is not one on released versions`,
      );
    }
    if (!gone && kept) return found("single", `after info/delete?type=single&version=${deleted}, version ${deleted} is gone and ${other} is still there`);
    if (!gone && !kept) return found("whole", `after info/delete?type=single&version=${deleted}, version ${other} is gone too (the whole plug-in)`);
    return unknown(`info/delete?type=single&version=${deleted} answered true, but version ${deleted} is still there`);
  },
};

// ---- X2 ----

const x2: Probe = {
  row: "X2",
  method: "makes a multi and a single scratch plug-in (§4.9.26) and sends each the same composite (step) draft version (§4.9.2); deletes both",
  cost: "scratch",
  async run(ctx) {
    const add = async (name: string, composition: "single" | "multi") => {
      removesPlugin(ctx, name);
      return ctx.attempt({
        service: "pipeline",
        method: "POST",
        path: `${await v3(ctx.kinds)}/extension/info/add`,
        body: infoBody(pluginSchema.parse({ pluginName: name, displayName: name, businessType: "Normal", pluginCompositionType: composition })),
        operation: "Plugin.create",
        resource: name,
      });
    };
    const multi = ctx.underscoreName("x2_multi");
    let o = await add(multi, "multi");
    if (!o.ok) return refused("creating a multi plug-in", o);
    o = await makeVersion(ctx, version(multi, "0.0.1"));
    if (!o.ok) return unknown(`the composite draft version was refused on a multi plug-in too (${describe(o)}): the body, not the composition, is refused`);
    const single = ctx.underscoreName("x2_single");
    o = await add(single, "single");
    if (!o.ok) return refused("creating a single plug-in", o);
    o = await makeVersion(ctx, version(single, "0.0.1"));
    if (o.ok) return found("accepted", "the composite draft version was accepted on the single plug-in as on the multi one");
    if (o.error.status >= 400 && o.error.status < 500 && !provesAbsence(o.error, EXTENSION_NOT_FOUND)) {
      return found("refused", `the composite draft version, accepted on the multi plug-in, was refused on the single one: ${describe(o)}`);
    }
    return unknown(`the composite draft version on the single plug-in answered ${describe(o)}`);
  },
};

// ---- X3 ----

const x3: Probe = {
  row: "X3",
  method: "makes a scratch publisher (§4.9.3) whose description has leading and trailing spaces and whose logo_url is empty, reads it in the list (§4.9.12), deletes it",
  cost: "scratch",
  async run(ctx) {
    const name = ctx.name("x3");
    let ids: string[] | undefined = undefined; // the cleanup reads it, possibly before it is set below: not a const
    removesPublishers(ctx, name, () => ids);
    const padded = `  ${name} description  `;
    const o = await makePublisher(ctx, name, { description: padded, logo_url: "" });
    if (!o.ok) return refused("creating the publisher", o);
    const mine = (await listByName(ctx.kinds, name)).filter((p) => text(p.name)?.trim() === name);
    ids = mine.map((p) => p.publisher_unique_id);
    if (mine.length !== 1) return unknown(`the list shows ${mine.length} publishers named ${name} after the create, not one`);
    const { description, logo_url: logo } = mine[0];
    const seen = `description ${JSON.stringify(description)}, logo_url ${JSON.stringify(logo)}`;
    if (description === padded && !text(logo)) return found("verbatim", `sent description ${JSON.stringify(padded)} and logo_url "": listed as sent (${seen})`);
    if (description === padded.trim() || (text(logo) && (description === padded || description === padded.trim()))) {
      return found("normalised", `sent description ${JSON.stringify(padded)} and logo_url "": listed ${seen}`);
    }
    return unknown(`sent description ${JSON.stringify(padded)} and logo_url "": listed ${seen}, which no reading gives`);
  },
};

// ---- X4 ----

const x4: Probe = {
  row: "X4",
  method:
    "makes a scratch publisher (§4.9.3) and a plug-in with a released version (§4.9.1), binds them (§4.9.8), reads publisher_id in §4.9.15 (and §4.9.16 when null); deletes both",
  cost: "scratch",
  async run(ctx) {
    const pubName = ctx.name("x4");
    let ids: string[] | undefined = undefined; // the cleanup reads it, possibly before it is set below: not a const
    removesPublishers(ctx, pubName, () => ids);
    let o = await makePublisher(ctx, pubName);
    if (!o.ok) return refused("creating the publisher", o);
    ids = (await listByName(ctx.kinds, pubName)).filter((p) => text(p.name)?.trim() === pubName).map((p) => p.publisher_unique_id);
    if (ids.length !== 1) return unknown(`the list shows ${ids.length} publishers named ${pubName} after the create, not one`);
    const publisherId = ids[0];
    const name = ctx.underscoreName("x4");
    removesPlugin(ctx, name);
    o = await makeVersion(ctx, version(name, "0.0.1", { publish: true }), "create");
    if (!o.ok) return refused("creating a released version", o);
    o = await ctx.attempt({
      service: "pipeline",
      method: "POST",
      path: `${await v1(ctx.kinds)}/agent-plugin/publish-plugin-bind`,
      body: { plugin_name: name, version: "0.0.1", publisher_unique_id: publisherId },
      operation: "PluginVersion.bindPublisher",
      resource: name,
    });
    if (!o.ok) return refused("binding the plug-in to the publisher", o);
    const basic = await basicListEntry(ctx.kinds, name);
    if (!basic) return unknown(`§4.9.15 (attribution=custom) does not list the plug-in ${name}`);
    if (basic.publisher_id === publisherId) return found("bound", `§4.9.15 shows publisher_id ${publisherId}, the publisher it was bound to (§4.9.8)`);
    if (text(basic.publisher_id)) return unknown(`§4.9.15 shows publisher_id ${basic.publisher_id}, not the publisher it was bound to (${publisherId})`);
    const optional = await optionalListEntry(ctx.kinds, name);
    if (optional?.publisher_unique_id === publisherId) {
      return found("null", `§4.9.15 shows publisher_id ${JSON.stringify(basic.publisher_id ?? null)} while §4.9.16 shows the binding to ${publisherId}`);
    }
    return unknown(
      `neither §4.9.15 (publisher_id ${JSON.stringify(basic.publisher_id ?? null)}) nor §4.9.16 (${JSON.stringify(optional?.publisher_unique_id ?? null)}) shows the binding: it may not have been made`,
    );
  },
};

// ---- X5 ----

/** A 1×1 transparent PNG: the smallest icon to upload. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");

const x5: Probe = {
  row: "X5",
  method:
    "uploads a 1x1 PNG icon (§4.9.10) for a publisher_en_name no publisher has (the run's prefix); a path answered leaves that stored icon behind, which no API lists or deletes",
  cost: "leftover",
  async run(ctx) {
    const enName = ctx.name("x5");
    const file = `${enName}.png`;
    const o = await ctx.attempt({
      service: "pipeline",
      method: "POST",
      path: `${await v1(ctx.kinds)}/common/upload-publisher-icon`,
      query: { publisher_en_name: enName },
      rawBody: multipartFile("upload_file", file, PNG),
      operation: "Publisher.uploadIcon",
      resource: file,
    });
    if (o.ok) {
      if (typeof o.res.body !== "string" || o.res.body === "") return unknown(`the upload answered ${o.res.status} without a path: ${JSON.stringify(o.res.body)?.slice(0, 120)}`);
      ctx.leftover(`the icon ${file} the upload stored (${o.res.body}), which nothing refers to`);
      return found("upload", `an icon upload for publisher_en_name "${enName}", which no publisher has, answered ${o.res.status} with a path`);
    }
    if (provesAbsence(o.error, EXTENSION_NOT_FOUND))
      return found("existing", `an icon upload for publisher_en_name "${enName}", which no publisher has, was refused: ${describe(o)}`);
    return unknown(`the upload was refused (${describe(o)}) with no code saying the publisher does not exist`);
  },
};

// ---- X6 ----

/**
 * X6: `unique_id` on edit-draft (§4.9.4) and on the plug-in info update (§4.9.27). Each half is asked the
 * same way on the same scratch plug-in: a random unique_id first (accepted: `ignored`); if refused with a
 * 4xx that is not a not-found, the object's own unique_id from a documented read (the draft's from
 * §4.9.22, the plug-in's from the §4.9.17 list, as the provider learns it), then that (accepted:
 * `required`). The row's readings are both halves together: halves that disagree are neither.
 */
type X6Half = { reading: "required" | "ignored"; evidence: string } | { unknown: string };

async function uniqueIdHalf(what: string, send: (uniqueId: string) => Promise<Outcome>, own: () => Promise<string | undefined>, whose: string): Promise<X6Half> {
  const random = randomBytes(16).toString("hex");
  let o = await send(random);
  if (o.ok) return { reading: "ignored", evidence: `${what} with a unique_id that is no object's (${random}) answered ${o.res.status}` };
  const withRandom = describe(o);
  if (o.error.status >= 500 || o.error.status < 400 || provesAbsence(o.error, EXTENSION_NOT_FOUND)) return { unknown: `${what} with a random unique_id answered ${withRandom}` };
  const id = await own();
  if (!id) return { unknown: `${what} with a random unique_id was refused (${withRandom}), and ${whose} shows no unique_id to try instead` };
  o = await send(id);
  if (o.ok) return { reading: "required", evidence: `${what} with a random unique_id was refused (${withRandom}); with ${whose} (${id}) it answered ${o.res.status}` };
  return { unknown: `${what} was refused with a random unique_id (${withRandom}) and with ${whose} (${describe(o)})` };
}

const x6: Probe = {
  row: "X6",
  method:
    "makes a scratch plug-in with a draft version (§4.9.2); edits the draft (§4.9.4), then updates the plug-in's information (§4.9.27), each with a random unique_id and, if refused, with the object's own (draft: §4.9.22 detail; plug-in: §4.9.17 list); deletes the plug-in",
  cost: "scratch",
  async run(ctx) {
    const name = ctx.underscoreName("x6");
    removesPlugin(ctx, name);
    const o = await makeVersion(ctx, version(name, "0.0.1"));
    if (!o.ok) return refused("creating a draft version", o);
    const draft = await uniqueIdHalf(
      "edit-draft",
      async (uniqueId) =>
        ctx.attempt({
          service: "pipeline",
          method: "POST",
          path: `${await v1(ctx.kinds)}/agent-plugin/edit-draft`,
          body: versionBody(info(name), version(name, "0.0.1", { versionDescription: "edited by the conformance probe" }), uniqueId),
          operation: "PluginVersion.editDraft",
          resource: `${name}/0.0.1`,
        }),
      async () => text((await detail(ctx.kinds, { pluginName: name, version: "0.0.1" }))?.unique_id),
      "the draft's own",
    );
    if ("unknown" in draft) return unknown(draft.unknown);
    // The plug-in a first draft version makes is a multi one (X2): the update says so, changing nothing but the description.
    const inputs = pluginSchema.parse({
      pluginName: name,
      displayName: name,
      businessType: "Normal",
      description: "updated by the conformance probe",
      pluginCompositionType: "multi",
    });
    const update = await uniqueIdHalf(
      "the info update",
      async (uniqueId) =>
        ctx.attempt({
          service: "pipeline",
          method: "POST",
          path: `${await v3(ctx.kinds)}/extension/info/update`,
          body: infoBody(inputs, uniqueId),
          operation: "Plugin.update",
          resource: name,
        }),
      async () => text((await findPlugin(ctx.kinds, name))?.unique_id),
      "the plug-in's own",
    );
    if ("unknown" in update) return unknown(update.unknown);
    if (update.reading !== draft.reading) return unknown(`the halves disagree, which neither reading says: ${draft.evidence}; ${update.evidence}`);
    return found(draft.reading, `${draft.evidence}; ${update.evidence}`);
  },
};

// ---- X7 ----

const x7: Probe = {
  row: "X7",
  method: 'makes a scratch plug-in with a draft version (§4.9.2) whose input has validation \'{"regex":"^probe$"}\', reads it back (§4.9.22), deletes the plug-in',
  cost: "scratch",
  async run(ctx) {
    const name = ctx.underscoreName("x7");
    removesPlugin(ctx, name);
    const v = version(name, "0.0.1", {
      inputs: [
        {
          name: "PROBE_INPUT",
          defaultValue: undefined,
          type: undefined,
          validation: { requiredMessage: undefined, regex: "^probe$", regexMessage: undefined, maxLength: undefined, minLength: undefined },
          layoutContent: undefined,
        },
      ],
    });
    const sent = JSON.stringify({ regex: "^probe$" });
    const o = await makeVersion(ctx, v);
    if (!o.ok) return refused("creating a draft version with a JSON validation", o);
    const vo = await detail(ctx.kinds, v);
    const input = (vo?.input_info ?? []).find((i) => i.name === "PROBE_INPUT");
    if (!input) return unknown(`the version's detail does not show the input sent: ${JSON.stringify(vo?.input_info ?? null).slice(0, 120)}`);
    const got = input.validation;
    if (isObject(got) && got.regex === "^probe$") return found("json", `validation sent as the String ${sent} reads back as an object: ${JSON.stringify(got).slice(0, 120)}`);
    if (got === sent) return found("text", `validation sent as the String ${sent} reads back as that String`);
    return unknown(`validation sent as the String ${sent} reads back as ${JSON.stringify(got)?.slice(0, 120)}`);
  },
};

// ---- X8 ----

const x8: Probe = {
  row: "X8",
  method: "makes a scratch plug-in with a draft version of one step (§4.9.2), reads its detail (§4.9.22) for plugin_execution / execution_info, deletes the plug-in",
  cost: "scratch",
  async run(ctx) {
    const name = ctx.underscoreName("x8");
    removesPlugin(ctx, name);
    const v = version(name, "0.0.1");
    const o = await makeVersion(ctx, v);
    if (!o.ok) return refused("creating a draft version", o);
    const vo = await detail(ctx.kinds, v);
    if (!vo || vo.plugin_name !== name || vo.version !== v.version) return unknown(`the detail of the version just made answered ${JSON.stringify(vo ?? null).slice(0, 120)}`);
    const key = ["plugin_execution", "execution_info"].find((k) => vo[k] !== undefined && vo[k] !== null);
    if (key) return found("returned", `the detail of a version made with one step has ${key}: ${JSON.stringify(vo[key]).slice(0, 120)}`);
    return found("omitted", `the detail of a version made with one step has neither plugin_execution nor execution_info (keys: ${Object.keys(vo).join(", ")})`);
  },
};

// ---- X9, X10 ----

/** A probe package: the manifest (one input, one output, a shell execution) and the script it names. */
const PROBE_MANIFEST = { type: "Task", friendly_name: "probe", version: "0.0.1", inputs: [], outputs: [], execution: { type: "Shell", target: "scripts/probe.sh" } };

/** §4.9.29 with `bytes` as `upload_file`. */
async function uploadPackage(ctx: ProbeContext, name: string, file: string, bytes: Buffer): Promise<Outcome> {
  return ctx.attempt({
    service: "pipeline",
    method: "POST",
    path: `${await v3(ctx.kinds)}/extension/upload`,
    query: { plugin_name: name, business_type: "Normal" },
    rawBody: multipartFile("upload_file", file, bytes),
    operation: "Plugin.upload",
    resource: name,
  });
}

/**
 * X9 and X10 from one scratch basic plug-in (§4.9.26): its package sent as a zip with the manifest at its
 * root (§4.9.29); when refused, as the manifest alone. Whichever is taken is the X9 reading. Then §4.9.30
 * reads the version back: `execution.type` as the manifest declared it is X10 `as-table`, the target in its
 * place `swapped`.
 */
type PackageForm = { reading: "zip" | "json"; evidence: string; name: string } | { unknown: string };
/** One experiment per conformance run (its context), shared by X9 and X10. */
const packageForms = new WeakMap<ProbeContext, Promise<PackageForm>>();
function packageExperiment(ctx: ProbeContext): Promise<PackageForm> {
  let form = packageForms.get(ctx);
  if (!form) packageForms.set(ctx, (form = uploadExperiment(ctx)));
  return form;
}

async function uploadExperiment(ctx: ProbeContext): Promise<PackageForm> {
  const name = ctx.underscoreName("x9");
  removesPlugin(ctx, name);
  const add = await ctx.attempt({
    service: "pipeline",
    method: "POST",
    path: `${await v3(ctx.kinds)}/extension/info/add`,
    body: infoBody(pluginSchema.parse({ pluginName: name, displayName: name, businessType: "Normal", pluginCompositionType: "single" })),
    operation: "Plugin.create",
    resource: name,
  });
  if (!add.ok) return { unknown: `creating a basic plug-in was refused (${describe(add)})` };
  const manifest = Buffer.from(JSON.stringify(PROBE_MANIFEST));
  const zip = makeZip([
    { name: MANIFEST, data: manifest },
    { name: "scripts/probe.sh", data: Buffer.from("true\n") },
  ]);
  const asZip = await uploadPackage(ctx, name, "probe.zip", zip);
  if (asZip.ok) return { reading: "zip", evidence: `a zip with ${MANIFEST} at its root was taken`, name };
  const asJson = await uploadPackage(ctx, name, MANIFEST, manifest);
  if (asJson.ok) return { reading: "json", evidence: `a zip was refused (${describe(asZip)}), the manifest alone taken`, name };
  return { unknown: `both forms were refused: the zip (${describe(asZip)}), the manifest alone (${describe(asJson)})` };
}

const x9: Probe = {
  row: "X9",
  method: "makes a scratch basic plug-in (§4.9.26), uploads a zip package with the manifest at its root (§4.9.29), and the manifest alone if that is refused; deletes the plug-in",
  cost: "scratch",
  async run(ctx) {
    const form = await packageExperiment(ctx);
    return "unknown" in form ? unknown(form.unknown) : found(form.reading, form.evidence);
  },
};

const x10: Probe = {
  row: "X10",
  method: "reads back (§4.9.30) the package X9's experiment uploaded, whose manifest declares execution type Shell and a script as target",
  cost: "scratch",
  async run(ctx) {
    const form = await packageExperiment(ctx);
    if ("unknown" in form) return unknown(`no package could be uploaded: ${form.unknown}`);
    const res = await ctx.attempt({
      service: "pipeline",
      method: "GET",
      path: `${await v3(ctx.kinds)}/extension/detail`,
      query: { plugin_name: form.name, version: PROBE_MANIFEST.version },
      operation: "Plugin.packageDetail",
      resource: form.name,
    });
    if (!res.ok) return unknown(`the detail of the package just uploaded answered ${describe(res)}`);
    const body = res.res.body;
    const e = isObject(body) && isObject(body.execution) ? body.execution : undefined;
    const { type, target } = PROBE_MANIFEST.execution;
    if (e?.type === type && e?.target === target) return found("as-table", `execution.type is "${type}" and target "${target}", as the manifest declares`);
    if (e?.type === target && e?.target === type) return found("swapped", `execution.type is "${target}" and target "${type}": exchanged, as in the example`);
    return unknown(`execution answered ${JSON.stringify(e ?? null).slice(0, 120)}`);
  },
};

// ---- X11 ----

/** A scratch plug-in (removed when the probe ends) whose version 0.0.1 is made by §4.9.1, and that version's detail (§4.9.22) when it was made. */
async function oneVersionByCreate(ctx: ProbeContext, row: string) {
  const name = ctx.underscoreName(row);
  const v = "0.0.1";
  removesPlugin(ctx, name);
  const made = await makeVersion(ctx, version(name, v, { publish: true }), "create");
  const read = made.ok ? await detail(ctx.kinds, { pluginName: name, version: v }) : undefined;
  return { name, v, made, read };
}

/**
 * A scratch plug-in with one version made released by §4.9.1 (the first version creates the plug-in), read
 * (§4.9.22) to see it is released, sent §4.9.11 delete-draft, and read again. An error with the version
 * still there and still released is `refuse`; `true` with the version gone is `delete`; `true` with it still
 * there is `noop`. X1's scratch plug-in is not reused: each row's objects are removed when its probe ends.
 */
const x11: Probe = {
  row: "X11",
  method: "makes a scratch plug-in with one released version (§4.9.1), reads it (§4.9.22), sends it §4.9.11 delete-draft, reads it again; deletes the plug-in",
  cost: "scratch",
  async run(ctx) {
    const { name, v, made, read: before } = await oneVersionByCreate(ctx, "x11");
    if (!made.ok) return refused("creating a released version", made);
    if (!before || attributionOf(before, "version") !== "formal") {
      return unknown(`the version §4.9.1 made reads ${before ? `version_attribution ${JSON.stringify(attributionOf(before, "version"))}` : "as not found"}, not released`);
    }
    const o = await ctx.attempt({
      service: "pipeline",
      method: "DELETE",
      path: `${await v1(ctx.kinds)}/agent-plugin/delete-draft`,
      query: { plugin_name: name, version: v },
      operation: "PluginVersion.deleteDraft",
      resource: `${name}/${v}`,
    });
    const after = await detail(ctx.kinds, { pluginName: name, version: v });
    const still = after !== undefined && attributionOf(after, "version") === "formal";
    if (!o.ok && o.error.status >= 400 && o.error.status < 500 && !provesAbsence(o.error, EXTENSION_NOT_FOUND) && still) {
      return found("refuse", `delete-draft of the released version answered ${describe(o)}, and the version is still there, released`);
    }
    if (o.ok && o.res.body === true && !after) return found("delete", "delete-draft of the released version answered true, and the version is gone");
    if (o.ok && o.res.body === true && still) return found("noop", "delete-draft of the released version answered true, and the version is still there, released");
    const read = after ? `version_attribution ${JSON.stringify(attributionOf(after, "version"))}` : "gone";
    return unknown(
      `delete-draft of the released version answered ${o.ok ? `${o.res.status} ${JSON.stringify(o.res.body)?.slice(0, 80)}` : describe(o)}, and the version then reads ${read}`,
    );
  },
};

// ---- X12 ----

/**
 * A scratch plug-in with one version made by §4.9.1 "Creating a Plug-in Version" (the first version creates the
 * plug-in), read (§4.9.22): `version_attribution` "formal" is `released`, "draft" is `draft`. Any other answer
 * (a refusal, a 5xx, a version not found or of another attribution) is unknown.
 */
const x12: Probe = {
  row: "X12",
  method: "makes a scratch plug-in with one version by §4.9.1, reads it (§4.9.22); deletes the plug-in",
  cost: "scratch",
  async run(ctx) {
    const { made, read } = await oneVersionByCreate(ctx, "x12");
    if (!made.ok) return refused("creating a version with §4.9.1", made);
    if (made.res.body !== true) return unknown(`§4.9.1 answered ${made.res.status} ${JSON.stringify(made.res.body)?.slice(0, 80)}, not true`);
    if (!read) return unknown("the version §4.9.1 answered true for is not found (§4.9.22)");
    const attribution = attributionOf(read, "version");
    if (attribution === "formal") return found("released", `the version §4.9.1 made reads version_attribution "formal": released`);
    if (attribution === "draft") return found("draft", `the version §4.9.1 made reads version_attribution "draft": a draft`);
    return unknown(`the version §4.9.1 made reads version_attribution ${JSON.stringify(attribution)}`);
  },
};

export const PROBES: Probe[] = [p1, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12];
export const UNPROBEABLE: Unprobeable[] = [];
