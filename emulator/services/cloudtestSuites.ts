import { load as loadYaml } from "js-yaml";
import { z } from "zod";
import { newHexId } from "../ids";
import type { CallerContext, Reply, Router } from "../router";
import type { Store } from "../store";
import { seedTestCases } from "./cloudtest";
import { jsonObject } from "./json";

/**
 * CloudTest API test suites (CloudTest API Reference §4.1.1): one API, the create, which generates a suite from a
 * Swagger 2.0 file in a repository, one test case per operation. There is no read, list, update or delete.
 * Repositories are not modelled beyond their files: tests put them with `putRepositoryFile` (or
 * POST /__emulator/cloudtest/repository-files).
 */
export function registerCloudTestSuites(router: Router): void {
  router.route("POST", "/v1/projects/{project_id}/repository/testsuites", "ApiTestSuite.create", createSuite);
}

export const SUITES = "apiTestSuites";
const FILES = "repositoryFiles";

/**
 * The test type (service id) the generated cases are filed under, as a test plan's batch-add (§4.3.1) names it.
 * The references do not say which id API tests have; the emulator picks this one, and tests use the constant.
 */
export const API_TEST_SERVICE_ID = 13;

export interface SuiteRecord {
  testsuite_id: string;
  testsuite_name: string;
  repository_id: string;
  repository_branch: string;
  file_path: string;
  testcase_ids: string[];
  /** "METHOD /path" of each generated case, in the order of the file. */
  operations: string[];
}

/** A file in a repository branch, as §4.1.1 reads it. */
export function putRepositoryFile(store: Store, repositoryId: string, branch: string, path: string, content: string): void {
  store.collection<{ content: string }>(FILES).put(repositoryId, `${branch}:${path}`, { content });
}

/** For tests: the suites a project holds (no API lists them). */
export function projectSuites(store: Store, projectId: string): SuiteRecord[] {
  return store.collection<SuiteRecord>(SUITES).list(projectId);
}

/** Table 4-6 CommonResponseDetail: what failed, for the parameter checks (Table 4-5: absent for other failures). */
function failure(code: string, msg: string, param?: { key: string; name: string }): Reply {
  const body: Record<string, unknown> = { error_code: code, error_msg: msg };
  if (param) {
    body.error_detail = [
      {
        step_name: "import",
        testcase_name: param.name,
        fail_content: msg.slice(0, 128),
        fail_keys: param.key,
        fail_source: "request body",
        fail_type: "parameter",
        stage: "import",
      },
    ];
  }
  return { status: 400, body };
}

const body = z.object({ testsuite_name: z.string(), repository_id: z.string(), repository_branch: z.string(), file_path: z.string() });
const within = (s: string, min: number, max: number) => s.length >= min && s.length <= max;
/** Swagger 2.0 Path Item operations. */
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch"];
const MAX_FILE_BYTES = 1024 * 1024;
const MAX_OPERATIONS = 500;

function createSuite(ctx: CallerContext): Reply {
  const project = ctx.params.project_id;
  if (project.length !== 32) return failure("CLOUDTEST.43400333", "Failed to verify the project UUID.", { key: "project_id", name: "project_id" });
  if (!ctx.caller.account.codeartsProjects.includes(project)) return failure("CLOUDTEST.43040030", "The project does not exist.");
  const parsed = body.safeParse(jsonObject(ctx.rawBody));
  if (!parsed.success) return failure("CLOUDTEST.43400161", "The request body structure is incorrect.");
  const b = parsed.data;
  const at = (key: string) => ({ key, name: within(b.testsuite_name, 3, 128) ? b.testsuite_name : "testsuite_name" });
  if (!within(b.testsuite_name, 3, 128)) return failure("CLOUDTEST.43400248", "The test suite name contains at least 3 to 128 characters.", at("testsuite_name"));
  // T2: Table 4-3 says exactly 32; the example sends 30 characters. `loose` accepts the example's form too.
  const repoOk = ctx.dialect.is("T2", "strict") ? b.repository_id.length === 32 : within(b.repository_id, 30, 32);
  if (!repoOk) return failure("CLOUDTEST.43400334", "Failed to verify the warehouse ID.", at("repository_id"));
  if (!within(b.repository_branch, 3, 100)) return failure("CLOUDTEST.43400336", "The warehouse branch must contain at least 3 to 100 characters.", at("repository_branch"));
  if (!within(b.file_path, 6, 128)) return failure("CLOUDTEST.43400335", "The file path must contain at least 6 to 128 characters.", at("file_path"));
  // "Please import a .yaml or .json file" (§6.2): the extensions the message names, no others.
  const json = b.file_path.endsWith(".json");
  if (!json && !b.file_path.endsWith(".yaml")) {
    return failure("CLOUDTEST.43400102", "The file type is incorrect. Please import a .yaml or .json file that meets the requirements.", at("file_path"));
  }
  const file = ctx.store.collection<{ content: string }>(FILES).get(b.repository_id, `${b.repository_branch}:${b.file_path}`);
  if (!file) return failure("CLOUDTEST.43400207", "The system cannot find the specified path.", at("file_path"));
  if (Buffer.byteLength(file.content, "utf8") > MAX_FILE_BYTES) return failure("CLOUDTEST.43400103", "The file is too large.", at("file_path"));
  const operations = swaggerOperations(file.content, json);
  if (operations === undefined) return failure("CLOUDTEST.43400225", "The import script template file does not comply with Swagger specifications.", at("file_path"));
  if (operations.length === 0) return failure("CLOUDTEST.43400323", "Failed to automatically generate a test suite by importing the YAML script.", at("file_path"));
  if (operations.length > MAX_OPERATIONS) return failure("CLOUDTEST.43400324", "The number of imported YAML files exceeds the maximum value 500.", at("file_path"));

  const suite: SuiteRecord = {
    testsuite_id: newHexId(),
    testsuite_name: b.testsuite_name,
    repository_id: b.repository_id,
    repository_branch: b.repository_branch,
    file_path: b.file_path,
    testcase_ids: operations.map(() => newHexId()),
    operations,
  };
  ctx.store.collection<SuiteRecord>(SUITES).put(project, suite.testsuite_id, suite);
  // The generated cases are the project's test cases: a plan's batch-add (§4.3.1) can take them.
  seedTestCases(ctx.store, project, API_TEST_SERVICE_ID, suite.testcase_ids);
  // T1: Table 4-4 names the case ids `testcase_ids`; the §4.1.1 example answers them as `testsuite_ids`.
  const key = ctx.dialect.is("T1", "table") ? "testcase_ids" : "testsuite_ids";
  return { status: 201, body: { testsuite_id: suite.testsuite_id, [key]: suite.testcase_ids } };
}

/** The operations of a Swagger 2.0 document ("METHOD /path"), or undefined when it is not one. */
function swaggerOperations(content: string, json: boolean): string[] | undefined {
  let doc: unknown;
  try {
    doc = json ? JSON.parse(content) : loadYaml(content);
  } catch {
    return undefined;
  }
  if (!isObject(doc) || doc.swagger !== "2.0" || !isObject(doc.info) || !isObject(doc.paths)) return undefined;
  const out: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith("/") || !isObject(item)) return undefined;
    for (const m of METHODS) if (isObject(item[m])) out.push(`${m.toUpperCase()} ${path}`);
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
