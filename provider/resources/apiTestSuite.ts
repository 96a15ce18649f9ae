import { z } from "zod";
import { ResourceKind } from "../dynamic";
import { object } from "../answers";
import { AnswerError, ApiError, NetworkError } from "../errors";
import { seg } from "../http";
import { hex32 } from "./common";

/**
 * ApiTestSuite — a CloudTest API test suite generated from a Swagger 2.0 file in a repository (CloudTest API
 * Reference §4.1.1). That create is the only API for suites: there is **no read, list, update or delete**. So:
 * - every input replaces: a new suite is generated, and the old one stays in CloudTest;
 * - read keeps the state (drift cannot be seen); destroy removes the suite from the stack only, and says so;
 * - a create that fails ambiguously (5xx, reset, timeout) cannot be looked up: it is not repeated, and the
 *   error says a suite may have been generated anyway.
 * `testcaseIds` are the generated case ids, in the form a TestPlan's `testCases[].ids` takes.
 */

/** Table 4-4: ids of 32 characters (no form stated; ambiguity C3 for test cases): any but blanks and "/", as TestPlan takes them. */
const id32 = z.string().regex(/^[^\s/]{32}$/, "must be a 32-character id");

export const apiTestSuiteSchema = z.strictObject({
  /** The CloudTest project (Table 4-1: 32 characters; CLOUDTEST.43400333). */
  projectId: hex32("project ID"),
  /** Name of the suite to generate: 3 to 128 characters (CLOUDTEST.43400248). */
  testsuiteName: z.string().min(3, "must be at least 3 characters (CLOUDTEST.43400248)").max(128, "must be at most 128 characters (CLOUDTEST.43400248)"),
  /** The repository holding the file: 32 characters (Table 4-3, CLOUDTEST.43400334; ambiguity T2: the example's 30 are refused). */
  repositoryId: z.string().regex(/^\S{32}$/, "must be a 32-character repository ID (Table 4-3, CLOUDTEST.43400334)"),
  /** Branch of the file: 3 to 100 characters (CLOUDTEST.43400336). */
  repositoryBranch: z.string().min(3, "must be at least 3 characters (CLOUDTEST.43400336)").max(100, "must be at most 100 characters (CLOUDTEST.43400336)"),
  /** Relative path of a Swagger 2.0 YAML or JSON file: 6 to 128 characters (CLOUDTEST.43400335), ".yaml" or ".json" (CLOUDTEST.43400102). */
  filePath: z
    .string()
    .min(6, "must be at least 6 characters (CLOUDTEST.43400335)")
    .max(128, "must be at most 128 characters (CLOUDTEST.43400335)")
    .refine((p) => p.endsWith(".yaml") || p.endsWith(".json"), "must name a .yaml or .json file (CLOUDTEST.43400102)"),
});
export type ApiTestSuiteInputs = z.output<typeof apiTestSuiteSchema>;

export interface ApiTestSuiteOutputs extends Record<string, unknown> {
  /** ID of the generated suite (Table 4-4). */
  testsuiteId: string;
  /** IDs of the generated test cases, one per operation of the file (Table 4-4; ambiguity T1 for the key). */
  testcaseIds: string[];
}

/**
 * T1: Table 4-4 names the case ids `testcase_ids`, the example answers `testsuite_ids`: either is taken, the table's
 * first. An answer with neither is not the documented one.
 */
const created = object({ testsuite_id: id32, testcase_ids: z.array(id32).optional(), testsuite_ids: z.array(id32).optional() }).refine(
  (b) => b.testcase_ids !== undefined || b.testsuite_ids !== undefined,
  "must list the generated test cases (testcase_ids, Table 4-4; testsuite_ids in the example)",
);

/** Table 4-6 CommonResponseDetail, as much as the message needs. */
interface Detail {
  fail_keys?: unknown;
  fail_content?: unknown;
}

/** A failure after which the suite may exist: the request may have been applied. */
const ambiguous = (e: unknown) => (e instanceof NetworkError && e.ambiguous) || (e instanceof ApiError && e.status >= 500) || e instanceof AnswerError;

const REPLACES = "CloudTest has no API to change a test suite (§4.1.1 only generates one): a new suite is generated, and the old one stays in CloudTest (there is no delete API)";

export const apiTestSuite: ResourceKind<typeof apiTestSuiteSchema, ApiTestSuiteOutputs> = {
  name: "ApiTestSuite",
  schema: apiTestSuiteSchema,
  replaceOn: ["projectId", "testsuiteName", "repositoryId", "repositoryBranch", "filePath"],
  replaceWhy: { projectId: REPLACES, testsuiteName: REPLACES, repositoryId: REPLACES, repositoryBranch: REPLACES, filePath: REPLACES },
  noImport: "no API reads a test suite by id (CloudTest API Reference §4.1.1 only generates one), so there is nothing to read",
  sweep: { notSwept: "not swept: no API lists, reads or deletes API test suites" },

  async create(ctx, inputs) {
    try {
      const res = await ctx.client.send<z.output<typeof created>>({
        service: "cloudtest",
        method: "POST",
        path: `/v1/projects/${seg(inputs.projectId)}/repository/testsuites`,
        body: { testsuite_name: inputs.testsuiteName, repository_id: inputs.repositoryId, repository_branch: inputs.repositoryBranch, file_path: inputs.filePath },
        operation: "ApiTestSuite.create",
        answer: created,
        resource: inputs.testsuiteName,
      });
      const b = res.body;
      return { id: b.testsuite_id, outs: { ...inputs, testsuiteId: b.testsuite_id, testcaseIds: b.testcase_ids ?? b.testsuite_ids ?? [] } };
    } catch (e) {
      if (ambiguous(e)) {
        // No API lists or reads suites: what a failed call made cannot be found, and a blind repeat could make two.
        throw new Error(
          `${(e as Error).message}. CloudTest may have generated the suite "${inputs.testsuiteName}" anyway, and no API lists or reads test suites, ` +
            `so the provider cannot tell: nothing is recorded and the request is not repeated. The next up generates a suite again: ` +
            `look in CloudTest (project ${inputs.projectId}) for a suite named "${inputs.testsuiteName}" and remove any extra by hand`,
          { cause: e },
        );
      }
      const details = e instanceof ApiError ? (e.body as { error_detail?: unknown } | undefined)?.error_detail : undefined;
      if (Array.isArray(details) && details.length > 0) {
        const said = (details as Detail[]).map((d) => [d.fail_keys, d.fail_content].filter((x) => typeof x === "string" && x !== "").join(": ")).filter((s) => s !== "");
        if (said.length > 0) throw new Error(`${(e as Error).message}. CloudTest says: ${said.join("; ")}`, { cause: e });
      }
      throw e;
    }
  },

  // There is no read API: the state is all that is known (drift cannot be seen).
  async read(_ctx, id, state) {
    const inputs = apiTestSuiteSchema.safeParse(Object.fromEntries(Object.keys(apiTestSuiteSchema.shape).map((k) => [k, state[k]])));
    const ids = z.array(z.string()).safeParse(state.testcaseIds);
    if (!inputs.success || !ids.success) throw new Error(`ApiTestSuite ${id}: the state does not hold the suite's inputs and test cases, and no API can read them`);
    return { inputs: inputs.data, outs: { ...inputs.data, testsuiteId: id, testcaseIds: ids.data } };
  },

  async delete(ctx, id, state) {
    ctx.log(
      `warning: ApiTestSuite ${id} ("${String(state.testsuiteName)}"): CloudTest has no API to delete a test suite; it stays in CloudTest and is only removed from the stack`,
    );
  },
};
