import { createHash } from "node:crypto";
import { DEFAULT_ACCOUNT, startEmulator, type Emulator } from "../emulator";
import { ApiClient } from "../provider/client";
import { loadSettings } from "../provider/config";
import { ApiError } from "../provider/errors";
import type { HttpMethod } from "../provider/http";
import { multipartFile } from "../provider/multipart";
import { MANIFEST } from "../provider/pluginPackage";
import { makeZip } from "../provider/zip";

// The emulated §4.9 APIs seen from a signed client: shapes of the answers (bare true / string /
// array), multipart uploads, the draft -> formal lifecycle, and the reads the kinds do not use.
const D = DEFAULT_ACCOUNT.domainId;
let emu: Emulator;
let client: ApiClient;

interface Answer {
  status: number;
  body: any;
  code?: string;
}
async function call(
  method: HttpMethod,
  path: string,
  opts: { query?: Record<string, string | number>; body?: unknown; rawBody?: { contentType: string; data: Buffer } } = {},
): Promise<Answer> {
  try {
    const res = await client.send({ service: "pipeline", method, path, ...opts, operation: "Test.call", idempotent: false });
    return { status: res.status, body: res.body };
  } catch (e) {
    if (e instanceof ApiError) return { status: e.status, body: e.body, code: e.errorCode };
    throw e;
  }
}
const v1 = (p: string) => `/v1/${D}/${p}`;
const v3 = (p: string) => `/v3/${D}/${p}`;
const steps = [{ task: "official_shell_plugin", name: "Run", identifier: "1699-abc", variables: { OFFICIAL_SHELL_SCRIPT_INPUT: "env" } }];
const draftBody = (plugin: string, version: string, extra: Record<string, unknown> = {}) => ({
  plugin_name: plugin,
  display_name: plugin,
  business_type: "Normal",
  version,
  version_description: "",
  input_info: [],
  execution_info: { inner_execution_info: { execution_type: "COMPOSITE", steps } },
  runtime_attribution: "agent",
  ...extra,
});
const detail = (plugin: string, version: string) => call("GET", v1("agent-plugin/detail"), { query: { plugin_name: plugin, version } });

beforeAll(async () => {
  emu = await startEmulator({ port: 0, quiet: true });
  client = new ApiClient({
    ...loadSettings(() => undefined, {}),
    region: DEFAULT_ACCOUNT.iamProjects[0].name,
    accessKey: DEFAULT_ACCOUNT.accessKey,
    secretKey: DEFAULT_ACCOUNT.secretKey,
    domainId: D,
    endpoints: { "*": emu.url },
    maxRetries: 0,
  });
});
afterAll(async () => {
  await client.close();
  await emu.close();
});

describe("versions: draft -> formal", () => {
  test("create-draft answers a bare true and makes a plug-in that did not exist (as the Terraform provider says)", async () => {
    expect(await call("POST", v1("agent-plugin/create-draft"), { body: draftBody("auto_made", "0.0.1") })).toEqual({ status: 200, body: true });
    const row = (await call("POST", v1("agent-plugin/query-all"), { body: { plugin_name: "auto_made" } })).body.data[0];
    expect(row).toMatchObject({ plugin_name: "auto_made", version: "0.0.1", version_attribution: "draft", plugin_composition_type: "multi", runtime_attribution: "agent" });
  });

  test("the detail answers the §4.9.22 shape; steps come back without identifier", async () => {
    const d = (await detail("auto_made", "0.0.1")).body;
    expect(Object.keys(d)).toEqual([
      "plugin_name",
      "display_name",
      "op_user",
      "op_time",
      "version",
      "unique_id",
      "version_description",
      "version_attribution",
      "plugin_composition_type",
      "plugin_attribution",
      "input_info",
      "plugin_execution",
      "runtime_attribution",
    ]);
    expect(d.plugin_execution).toMatchObject({
      logic_id: "",
      basic_instance_id: d.unique_id,
      workspace_id: D,
      execution_type: "COMPOSITE",
      steps: [{ task: "official_shell_plugin", name: "Run", variables: { OFFICIAL_SHELL_SCRIPT_INPUT: "env" } }],
    });
    expect(d.plugin_execution.steps[0].identifier).toBeUndefined();
    expect(d.op_time).toMatch(/^\d+$/);
  });

  test("a version that exists already cannot be created again", async () => {
    expect(await call("POST", v1("agent-plugin/create-draft"), { body: draftBody("auto_made", "0.0.1") })).toMatchObject({ status: 400, code: "DEVCP.00014004" });
  });

  test("edit-draft needs the draft's unique_id; a validation that is not JSON is refused", async () => {
    const uid = (await detail("auto_made", "0.0.1")).body.unique_id;
    expect((await call("POST", v1("agent-plugin/edit-draft"), { body: draftBody("auto_made", "0.0.1") })).status).toBe(400);
    const badInput = { input_info: [{ name: "A", validation: "{not json" }], unique_id: uid };
    expect((await call("POST", v1("agent-plugin/edit-draft"), { body: draftBody("auto_made", "0.0.1", badInput) })).status).toBe(400);
    const input = { input_info: [{ name: "A", default_value: "x", validation: JSON.stringify({ regex: "^a", max_length: 3 }) }], unique_id: uid };
    // The tables' spelling `runtime_attributes` is accepted too.
    expect(
      (await call("POST", v1("agent-plugin/edit-draft"), { body: { ...draftBody("auto_made", "0.0.1", input), runtime_attribution: undefined, runtime_attributes: "agent" } }))
        .body,
    ).toBe(true);
    expect((await detail("auto_made", "0.0.1")).body.input_info[0]).toMatchObject({
      name: "A",
      default_value: "x",
      plugin_name: "auto_made",
      version: "0.0.1",
      validation: { required_message: null, regex: "^a", regex_message: null, max_length: 3, min_length: null },
    });
  });

  test("publish-draft makes it formal; a formal version cannot be published, edited or deleted as a draft", async () => {
    const uid = (await detail("auto_made", "0.0.1")).body.unique_id;
    expect(
      (await call("POST", v1("agent-plugin/publish-draft"), { body: { plugin_name: "auto_made", display_name: "auto_made", version: "0.0.1", plugin_attribution: "custom" } }))
        .body,
    ).toBe(true);
    expect((await detail("auto_made", "0.0.1")).body.version_attribution).toBe("formal");
    expect((await call("POST", v1("agent-plugin/publish-draft"), { body: { plugin_name: "auto_made", version: "0.0.1" } })).status).toBe(400);
    expect((await call("POST", v1("agent-plugin/edit-draft"), { body: draftBody("auto_made", "0.0.1", { unique_id: uid }) })).status).toBe(400);
    expect((await call("DELETE", v1("agent-plugin/delete-draft"), { query: { plugin_name: "auto_made", version: "0.0.1" } })).status).toBe(400);
  });

  test("§4.9.1 creates a version directly as formal; all-version answers a bare array, newest first", async () => {
    expect((await call("POST", v1("agent-plugin/create"), { body: draftBody("auto_made", "0.0.2") })).body).toBe(true);
    expect((await detail("auto_made", "0.0.2")).body.version_attribution).toBe("formal");
    expect((await call("GET", v1("agent-plugin/all-version"), { query: { plugin_name: "auto_made", offset: 0, limit: 999 } })).body).toEqual(["0.0.2", "0.0.1"]);
  });

  test("§4.9.21 lists a row per version, by GET (its URI) and POST (its example)", async () => {
    const get = await call("GET", v1("agent-plugin/query"), { query: { plugin_name: "auto_made", offset: 0, limit: 10 } });
    const post = await call("POST", v1("agent-plugin/query"), { query: { plugin_name: "auto_made", offset: 0, limit: 10 } });
    expect(get.body).toMatchObject({ offset: 0, limit: 10, total: 2 });
    expect(get.body.data.map((r: { version: string }) => r.version)).toEqual(["0.0.2", "0.0.1"]);
    expect(post.body).toEqual(get.body);
  });

  test("an automatically made plug-in goes with its last version; unknown versions are 400 DEVPIPE.30011001", async () => {
    expect(await call("DELETE", v3("extension/info/delete"), { query: { plugin_name: "auto_made", version: "9.9.9", type: "single" } })).toMatchObject({
      status: 400,
      code: "DEVPIPE.30011001",
    });
    expect((await call("DELETE", v3("extension/info/delete"), { query: { plugin_name: "auto_made", version: "0.0.2", type: "single" } })).body).toBe(true);
    expect((await call("DELETE", v3("extension/info/delete"), { query: { plugin_name: "auto_made", version: "0.0.1", type: "single" } })).body).toBe(true);
    expect(await detail("auto_made", "0.0.1")).toMatchObject({ status: 400, code: "DEVPIPE.30011001" });
    expect((await call("POST", v1("agent-plugin/query-all"), { body: { plugin_name: "auto_made" } })).body.total).toBe(0);
  });
});

describe.each([
  ["refuse", 400, "formal"],
  ["delete", 200, undefined],
  ["noop", 200, "formal"],
] as const)("X11=%s: delete-draft of a released version", (reading, status, after) => {
  // §4.9 answers "not found" as HTTP 400 DEVPIPE.30011001 (extensionCommon.ts); a refusal is a 400 with another code.
  const gone = (a: Answer) => ({ status: a.status, code: a.code });
  const NOT_FOUND = { status: 400, code: "DEVPIPE.30011001" };
  afterEach(() => emu.dialect.reset());

  test(`answers ${status}; the released version is then ${after ?? "gone"}; a draft is deleted under every reading`, async () => {
    emu.dialect.set({ X11: reading });
    const name = `x11_${reading}`;
    expect((await call("POST", v1("agent-plugin/create"), { body: draftBody(name, "1.0.0") })).body).toBe(true);
    expect((await call("POST", v1("agent-plugin/create-draft"), { body: draftBody(name, "2.0.0") })).body).toBe(true);
    const released = await call("DELETE", v1("agent-plugin/delete-draft"), { query: { plugin_name: name, version: "1.0.0" } });
    expect(released.status).toBe(status);
    if (status === 200) expect(released.body).toBe(true);
    else expect(released.code).toBe("DEVCP.00014004");
    const read = await detail(name, "1.0.0");
    if (after) expect(read.body.version_attribution).toBe(after);
    else expect(gone(read)).toEqual(NOT_FOUND);
    // The other version is never touched, and a real draft goes whatever the reading.
    expect((await detail(name, "2.0.0")).body.version_attribution).toBe("draft");
    expect((await call("DELETE", v1("agent-plugin/delete-draft"), { query: { plugin_name: name, version: "2.0.0" } })).body).toBe(true);
    expect(gone(await detail(name, "2.0.0"))).toEqual(NOT_FOUND);
    // A version that is not there at all is not-found under every reading.
    expect(gone(await call("DELETE", v1("agent-plugin/delete-draft"), { query: { plugin_name: name, version: "9.9.9" } }))).toEqual(NOT_FOUND);
  });
});

describe.each([
  ["released", "formal"],
  ["draft", "draft"],
] as const)("X12=%s: what §4.9.1 create makes", (reading, attribution) => {
  afterEach(() => emu.dialect.reset());

  test(`a version whose attribution reads ${attribution}; create-draft still makes a draft, and a second create of it is refused`, async () => {
    emu.dialect.set({ X12: reading });
    const name = `x12_${reading}`;
    expect((await call("POST", v1("agent-plugin/create"), { body: draftBody(name, "1.0.0") })).body).toBe(true);
    expect((await call("POST", v1("agent-plugin/create-draft"), { body: draftBody(name, "2.0.0") })).body).toBe(true);
    const made = await detail(name, "1.0.0");
    expect(made.body.version_attribution).toBe(attribution);
    expect((await detail(name, "2.0.0")).body.version_attribution).toBe("draft");
    expect((await call("POST", v1("agent-plugin/create"), { body: draftBody(name, "1.0.0") })).status).toBe(400);
    // Under `draft` it is a draft in every way: publish-draft releases it.
    const publish = await call("POST", v1("agent-plugin/publish-draft"), { body: { plugin_name: name, version: "1.0.0", plugin_attribution: "custom" } });
    if (reading === "draft") {
      expect(publish.body).toBe(true);
      expect((await detail(name, "1.0.0")).body.version_attribution).toBe("formal");
    } else {
      expect(publish.status).toBe(400);
    }
  });
});

describe("the plug-in shell (v3)", () => {
  test("info/add makes an 'init' plug-in that outlives its versions; type=all removes everything", async () => {
    const add = {
      plugin_name: "basic_plugin",
      display_name: "basic_plugin",
      business_type: "Normal",
      description: "",
      maintainers: "",
      business_type_display_name: "General",
      icon_url: "",
      plugin_composition_type: "single",
    };
    expect((await call("POST", v3("extension/info/add"), { body: add })).body).toBe(true);
    expect((await call("POST", v3("extension/info/add"), { body: add })).status).toBe(400); // the name is taken
    expect((await call("POST", v3("extension/info/add"), { body: { ...add, plugin_name: "x", business_type: "General" } })).status).toBe(400); // not a service type
    const row = (
      await call("POST", v1("agent-plugin/query-all"), {
        query: { offset: 0, limit: 3 },
        body: { plugin_name: "", business_type: ["Build", "Gate", "Deploy", "Test", "Normal"], plugin_attribution: "custom" },
      })
    ).body.data[0];
    // The §4.9.17 example's first row, field for field, except the fields the program left unset: the example
    // shows "" for maintainers and icon_url; how unset fields read back is ambiguity L5, whose default
    // reading (`null`) the emulator speaks here (docs/ambiguities.md).
    expect(row).toMatchObject({
      plugin_name: "basic_plugin",
      display_name: "basic_plugin",
      version: "",
      version_description: null,
      version_attribution: "init",
      plugin_composition_type: "single",
      plugin_attribution: "custom",
      workspace_id: D,
      business_type: "Normal",
      business_type_display_name: "General",
      maintainers: null,
      icon_url: null,
      refer_count: null,
      usage_count: null,
      runtime_attribution: "agent",
      active: 1,
    });
    await call("POST", v1("agent-plugin/create-draft"), { body: draftBody("basic_plugin", "0.0.1") });
    await call("DELETE", v1("agent-plugin/delete-draft"), { query: { plugin_name: "basic_plugin", version: "0.0.1" } });
    expect((await call("POST", v1("agent-plugin/query-all"), { body: { plugin_name: "basic_plugin" } })).body.data[0].version_attribution).toBe("init");
    await call("POST", v1("agent-plugin/create"), { body: draftBody("basic_plugin", "0.0.2") });
    expect((await call("DELETE", v3("extension/info/delete"), { query: { plugin_name: "basic_plugin", type: "all" } })).body).toBe(true);
    expect(await detail("basic_plugin", "0.0.2")).toMatchObject({ status: 400, code: "DEVPIPE.30011001" });
    expect(await call("DELETE", v3("extension/info/delete"), { query: { plugin_name: "basic_plugin", type: "everything" } })).toMatchObject({
      status: 400,
      code: "DEVCP.00014004",
    });
  });

  test("a package upload (multipart) and its detail (§4.9.29, §4.9.30)", async () => {
    await call("POST", v3("extension/info/add"), { body: { plugin_name: "test_basic", display_name: "Basic", business_type: "Test" } });
    const manifest = Buffer.from(
      JSON.stringify({
        version: "2.3.5",
        friendly_name: "Basic plug-in",
        inputs: [{ name: "SHELL_PLUGIN", type: "input" }],
        outputs: [{ name: "problem", type: "output" }],
        execution: { target: "Shell", type: "scripts/test.sh" },
      }),
    );
    // X9 `zip` (the default): the manifest at the archive's root; the bare manifest is refused.
    const zipped = makeZip([{ name: MANIFEST, data: manifest }]);
    expect((await call("POST", v3("extension/upload"), { query: { plugin_name: "test_basic" }, rawBody: multipartFile("upload_file", "m.json", manifest) })).status).toBe(400);
    const up = await call("POST", v3("extension/upload"), {
      query: { plugin_name: "test_basic", business_type: "Test" },
      rawBody: multipartFile("upload_file", "test_basic.zip", zipped),
    });
    expect(up.body).toBe(true);
    const pkg = (await call("GET", v3("extension/detail"), { query: { plugin_name: "test_basic", version: "2.3.5" } })).body;
    expect(pkg).toMatchObject({
      type: "Task",
      name: "test_basic",
      friendly_name: "Basic plug-in",
      category: "Test",
      version: "2.3.5",
      execution: { target: "Shell", sha256: createHash("sha256").update(zipped).digest("hex") },
    });
    const junk = await call("POST", v3("extension/upload"), { query: { plugin_name: "test_basic" }, rawBody: multipartFile("upload_file", "x.zip", Buffer.from("PK\x03\x04")) });
    expect(junk.status).toBe(400);
    const noFile = await call("POST", v3("extension/upload"), { query: { plugin_name: "test_basic" }, body: {} });
    expect(noFile).toMatchObject({ status: 400, code: "DEVCP.00014004" });
  });

  test("icon uploads answer a bare path string (§4.9.9, §4.9.10)", async () => {
    const png = multipartFile("upload_file", "2023-08-03141751.png", Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const plugin = await call("POST", v1("common/upload-plugin-icon"), { query: { plugin_name: "apie_test" }, rawBody: png });
    expect(plugin.body).toMatch(new RegExp(`^/api/v1/${D}/common/get-plugin-icon\\?object_key=apie_test-[0-9a-f]{32}-2023-08-03141751\\.png-${D}&icon_type=plugin$`));
    const publisher = await call("POST", v1("common/upload-publisher-icon"), { rawBody: png });
    expect(publisher.body).toMatch(new RegExp(`object_key=default-[0-9a-f]{32}-2023-08-03141751\\.png-${D}&icon_type=publish$`));
    expect((await call("POST", v1("common/upload-publisher-icon"), { rawBody: multipartFile("other_field", "a.png", Buffer.from("x")) })).status).toBe(400);
  });
});

describe("publishers and binding", () => {
  let pub: string;
  test("create answers a bare true; query-all pages; optional-publisher is a bare array; detail takes a bare array", async () => {
    for (const name of ["aaa", "aaa2", "bbb"]) {
      expect(
        (await call("POST", v1("publisher/create"), { body: { name, en_name: name, website: "", support_url: "aaa@aa.com", source_url: "", description: "", logo_url: "" } })).body,
      ).toBe(true);
    }
    const page = (await call("GET", v1("publisher/query-all"), { query: { name: "aaa", offset: 1, limit: 1 } })).body;
    expect(page).toMatchObject({ offset: 1, limit: 1, total: 2 });
    expect(page.data).toEqual([expect.objectContaining({ name: "aaa2", auth_status: "processing", is_delete: 0, tenant_id: D })]);
    pub = page.data[0].publisher_unique_id;
    expect((await call("GET", v1("publisher/optional-publisher"))).body).toHaveLength(3);
    expect((await call("POST", v1("publisher/detail"), { body: [pub, "0".repeat(32)] })).body).toEqual({
      publisher_detail_map: { [pub]: expect.objectContaining({ name: "aaa2" }) },
    });
    expect((await call("POST", v1("publisher/detail"), { body: { ids: [pub] } })).status).toBe(400);
    expect((await call("GET", v1("publisher/query-all"), { query: { offset: "x" } })).status).toBe(400);
  });

  test("bind (§4.9.8) needs a released version; publish-plugin (§4.9.7) releases and binds", async () => {
    await call("POST", v1("agent-plugin/create-draft"), { body: draftBody("bound", "0.0.1") });
    expect((await call("POST", v1("agent-plugin/publish-plugin-bind"), { body: { plugin_name: "bound", version: "0.0.1", publisher_unique_id: pub } })).status).toBe(400);
    expect(await call("POST", v1("agent-plugin/publish-plugin"), { body: { plugin_name: "bound", version: "0.0.1", publisher_unique_id: "0".repeat(32) } })).toMatchObject({
      status: 400,
      code: "DEVPIPE.30011001",
    });
    expect((await call("POST", v1("agent-plugin/publish-plugin"), { body: { plugin_name: "bound", version: "0.0.1", publisher_unique_id: pub } })).body).toBe(true);
    expect((await detail("bound", "0.0.1")).body.version_attribution).toBe("formal");
    expect((await call("POST", v1("agent-plugin/publish-plugin-bind"), { body: { plugin_name: "bound", version: "", publisher_unique_id: pub } })).body).toBe(true);
    const single = (await call("GET", v1("relation/plugin/single"), { query: { attribution: "custom", offset: 0, limit: 10 } })).body.data;
    expect(single.find((p: { name: string }) => p.name === "bound")).toMatchObject({ publisher_id: pub, plugin_attribution: "custom", manifest_version: "3" });
    // Deleting the publisher leaves the plug-in unbound.
    expect((await call("DELETE", v1("publisher/delete"), { query: { publisher_unique_id: pub } })).body).toBe(true);
    expect(await call("DELETE", v1("publisher/delete"), { query: { publisher_unique_id: pub } })).toMatchObject({ status: 400, code: "DEVPIPE.30011001" });
    const after = (await call("GET", v1("relation/plugin/single"), { query: { attribution: "custom" } })).body.data;
    expect(after.find((p: { name: string }) => p.name === "bound").publisher_id).toBeNull();
  });
});

describe("catalogue reads", () => {
  test("§4.9.14 and §4.9.16 group released plug-ins by service type; §4.9.16 needs offset and limit", async () => {
    const stage = (await call("POST", v1("relation/stage-plugins"), { body: {} })).body.full_stage_plugins_item_list;
    const normal = stage.find((g: { business_type: string }) => g.business_type === "Normal");
    expect(normal.display_name).toBe("General");
    expect(normal.plugins_list.map((p: { plugin_name: string }) => p.plugin_name)).toEqual(expect.arrayContaining(["official_shell_plugin", "bound"]));
    expect((await call("POST", v1("relation/plugins"), { body: {} })).status).toBe(400);
    const page = (await call("POST", v1("relation/plugins"), { query: { offset: 0, limit: 4 }, body: { regex_name: "bound" } })).body;
    expect(page).toMatchObject({ offset: 0, limit: 4, total: 1 });
    expect(page.data[0].plugins_list[0]).toMatchObject({ plugin_name: "bound", plugin_attribution: "custom", version_attribution: "formal" });
  });

  test("§4.9.18-§4.9.20 take and answer bare arrays", async () => {
    const input = (
      await call("POST", v1("agent-plugin/plugin-input"), {
        body: [{ plugin_name: "official_shell_plugin", version: "0.0.2", plugin_attribution: "official", version_attribution: "formal" }],
      })
    ).body;
    expect(input).toEqual([{ plugin_name: "official_shell_plugin", display_name: "", data: [expect.objectContaining({ name: "OFFICIAL_SHELL_SCRIPT_INPUT", type: "shell" })] }]);
    expect((await call("POST", v1("agent-plugin/plugin-metrics"), { body: [{ plugin_name: "bound" }] })).body).toEqual([{ plugin_name: "bound", display_name: "", data: [] }]);
    expect((await call("POST", v1("agent-plugin/plugin-output"), { body: { plugin_name: "bound" } })).status).toBe(400);
  });
});
