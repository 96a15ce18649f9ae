import { execFile } from "child_process";
import * as path from "path";
import { DEFAULT_ACCOUNT, startEmulator } from "../emulator";
import { REPO_ROOT } from "./harness";
import { accMode, runPrefix, SKIP_LINE } from "./acceptance/support";
import { difference, holdings } from "./support/conformance";

// The acceptance suite's switch (docs/acceptance.md); the suite itself runs with `npm run test:acceptance`.
test("CODEARTS_ACC: unset or empty skips, 1 is the cloud, emulator the emulator, anything else is an error naming the allowed values", () => {
  expect(accMode({})).toBe("off");
  expect(accMode({ CODEARTS_ACC: "" })).toBe("off");
  expect(accMode({ CODEARTS_ACC: "1" })).toBe("cloud");
  expect(accMode({ CODEARTS_ACC: "emulator" })).toBe("emulator");
  for (const bad of ["yes", "true", "0", "EMULATOR"]) expect(() => accMode({ CODEARTS_ACC: bad })).toThrow(/CODEARTS_ACC=1 .*CODEARTS_ACC=emulator/);
  expect(SKIP_LINE).toBe("skipped: acceptance tests need CODEARTS_ACC=1 (a Huawei Cloud account, see docs/acceptance.md) or CODEARTS_ACC=emulator");
});

test("the run's prefix is acc-<unix time>-<4 hex>, with an underscore form for names that forbid -", () => {
  const p = runPrefix(1764523200_123);
  expect(p.dashed).toMatch(/^acc-1764523200-[0-9a-f]{4}$/);
  expect(p.underscored).toBe(p.dashed.replace(/-/g, "_"));
  expect(p.underscored).toMatch(/^[A-Za-z0-9_]+$/);
});

/**
 * The suite as a user runs it against an account (CODEARTS_ACC=1, HW_* settings), here an emulator the
 * test starts and points HW_ENDPOINTS at, with one step made to fail: the run must fail, name the step,
 * and still leave the account holding what it held before (test plans excepted: no API deletes them).
 */
test("CODEARTS_ACC=1 against an account where a step fails: the run fails naming it, and afterAll leaves nothing but test plans", async () => {
  const emu = await startEmulator({ port: 0, quiet: true });
  try {
    emu.faults.inject({ method: "PUT", path: "/v2/{domain_id}/rules/{rule_id}/update", fault: { type: "status", status: 503 }, times: 1000 });
    const before = holdings(emu);
    const a = DEFAULT_ACCOUNT;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      CODEARTS_ACC: "1",
      HW_ACCESS_KEY: a.accessKey,
      HW_SECRET_KEY: a.secretKey,
      HW_DOMAIN_ID: a.domainId,
      HW_PROJECT_ID: a.iamProjects[0].id,
      HW_REGION_NAME: a.iamProjects[0].name,
      HW_ENDPOINTS: JSON.stringify({ "*": emu.url }),
      HW_MAX_RETRIES: "0",
      CODEARTS_ACC_PROJECT_ID: a.codeartsProjects[0],
    };
    const run = await new Promise<{ code: number; out: string }>((resolve) =>
      execFile(
        process.execPath,
        [path.join(REPO_ROOT, "node_modules", "jest", "bin", "jest.js"), "-c", "jest.acceptance.config.js"],
        { cwd: REPO_ROOT, env, timeout: 300_000 },
        (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
      ),
    );
    expect(run.code).not.toBe(0);
    expect(run.out).toMatch(/✕ Rule/);
    expect(run.out).toMatch(/✓ PipelineGroup/);
    // The optional inputs were not given: their steps say so and are skipped, visibly.
    expect(run.out).toMatch(/CODEARTS_ACC_VPCEP_IDS/);
    expect(difference(before, holdings(emu))).toEqual([]);
  } finally {
    await emu.close();
  }
}, 320_000);
