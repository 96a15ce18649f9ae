/**
 * Records the engine-event fixtures in tests/fixtures/events/ from the real Pulumi CLI (built from
 * source by `npm run pulumi-cli`) running the example platform program (every kind) against the
 * emulator, one file per operation the summary reads:
 *
 *   npm run pulumi-cli && node dist/tests/harness/recordEvents.js tests/fixtures/events
 *   node dist/tests/harness/recordEvents.js /tmp/old <root of an older CLI, <root>/bin/pulumi>
 *
 * Out-of-band changes are made in the emulator's store, as a console user would make them; failures
 * are the emulator's injected faults. The CLI's version goes into the directory's VERSION file.
 */
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_ACCOUNT, seedVpcepRecords, startEmulator, stackConfig, type Emulator } from "../../emulator";
import { versionOf } from "../../cli/pulumiBuild";
import type { ConfigValue } from "./host";
import { RealStack, requireCli, writeEventLog, type RealRun } from "./realEngine";
import { engineTestProgram } from "./engineProgram";

export const VPCEP_REGION = "ap-southeast-3";
export const VPCEPS = ["vpcep-build", "vpcep-deploy"];

/** A change made behind Pulumi's back, as in the console: finds a stored record, in any tenant, and rewrites or removes it. */
export function outOfBand(emu: Emulator, collection: string, match: (r: Record<string, unknown>) => boolean, change: ((r: Record<string, unknown>) => void) | "delete"): string {
  const data = emu.store.snapshot()[collection] ?? {};
  for (const [tenant, records] of Object.entries(data)) {
    for (const [id, r] of Object.entries(records)) {
      if (!match(r as Record<string, unknown>)) continue;
      const c = emu.store.collection<Record<string, unknown>>(collection);
      if (change === "delete") c.remove(tenant, id);
      else {
        const copy = structuredClone(r) as Record<string, unknown>;
        change(copy);
        c.put(tenant, id, copy);
      }
      return id;
    }
  }
  throw new Error(`outOfBand: no ${collection} record matches`);
}

/** The platform program's stack config against an emulator: the provider's settings and the program's. */
export function platformConfig(emu: Emulator): Record<string, ConfigValue> {
  return {
    ...stackConfig(emu, DEFAULT_ACCOUNT),
    "codearts-platform:projectId": DEFAULT_ACCOUNT.codeartsProjects[0],
    "codearts-platform:teamName": "Platform",
    "codearts-platform:rotateToken": { secret: "rotate-token-value-1" },
    "codearts-platform:vpcepIds": JSON.stringify(VPCEPS),
    "codearts-platform:vpcepRegion": VPCEP_REGION,
  };
}

export async function recordEventFixtures(dir: string, cliRoot?: string): Promise<string[]> {
  const cli = cliRoot ? path.join(cliRoot, "bin", "pulumi") : requireCli();
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const emu = await startEmulator({ port: 0, quiet: true });
  seedVpcepRecords(emu.store, DEFAULT_ACCOUNT.domainId, VPCEP_REGION, VPCEPS);
  // Engines before dynamic providers received the stack's config read the provider's settings from
  // the environment only.
  const c = stackConfig(emu, DEFAULT_ACCOUNT);
  const env = cliRoot
    ? {
        HW_REGION_NAME: String(c["huaweicloud:region"]),
        HW_ACCESS_KEY: String(c["huaweicloud:accessKey"]),
        HW_SECRET_KEY: DEFAULT_ACCOUNT.secretKey,
        HW_DOMAIN_ID: String(c["huaweicloud:domainId"]),
        HW_PROJECT_ID: String(c["huaweicloud:projectId"]),
        HW_ENDPOINTS: String(c["huaweicloud:endpoints"]),
      }
    : undefined;
  const stack = await RealStack.create({ program: engineTestProgram(), config: platformConfig(emu), cliRoot, env });
  const record = async (file: string | undefined, what: string, run: Promise<RealRun>, expectOk = true) => {
    const done = await run;
    if (done.ok !== expectOk) throw new Error(`recordEvents: ${what}: ${done.ok ? "succeeded, expected a failure" : done.error}`);
    if (file) {
      writeEventLog(path.join(dir, file), done.events);
      written.push(file);
    }
    return done;
  };
  const set = (key: string, value: ConfigValue) => stack.setConfig({ [key]: value });
  try {
    await record("preview-create.jsonl", "preview of a new stack", stack.preview());
    await record("up-create.jsonl", "up", stack.up());
    await record("up-nothing.jsonl", "up again", stack.up());
    // The team renamed: names update in place, pipelines and the test plan are replaced (create
    // before delete), the publisher too, so the released version's publisherId is unknown in the preview.
    await set("codearts-platform:teamName", "Payments");
    await record("preview-update-replace.jsonl", "preview of a rename", stack.preview());
    await record("up-update-replace.jsonl", "up of a rename", stack.up());
    // A script's type changes, its name does not: deleted before it is replaced.
    await set("engine-tests:scriptType", "PYTHON");
    await record("preview-delete-before-replace.jsonl", "preview of a type change", stack.preview());
    await record("up-delete-before-replace.jsonl", "up of a type change", stack.up());
    await set("codearts-platform:rotateToken", { secret: "rotate-token-value-2" });
    await record("preview-secret-only.jsonl", "preview of a secret change", stack.preview());
    await record(undefined, "up of a secret change", stack.up());
    await set("codearts-platform:vpcepIds", "[]");
    await record("preview-delete.jsonl", "preview of a removal", stack.preview());
    await set("codearts-platform:vpcepIds", JSON.stringify(VPCEPS));
    await set("codearts-platform:projectId", "not-a-project-id");
    await record("preview-refused.jsonl", "preview of a bad project id", stack.preview(), false);
    await set("codearts-platform:projectId", DEFAULT_ACCOUNT.codeartsProjects[0]);
    await set("engine-tests:throw", "true");
    await record("preview-program-error.jsonl", "preview of a program that throws", stack.preview(), false);
    await set("engine-tests:throw", "false");
    if (cliRoot) {
      // The Automation API refreshes and destroys inline programs only with CLIs from 3.181 on.
      fs.writeFileSync(path.join(dir, "VERSION"), `${versionOf(cli)}\n`);
      return written;
    }
    await record("refresh.jsonl", "refresh", stack.refresh());
    await record("drift-none.jsonl", "drift, nothing changed", stack.drift());
    // Only what the service maintains moved: someone touched the group (its update time and updater).
    outOfBand(
      emu,
      "pipelineGroups",
      (r) => r.name === "Payments",
      (r) => {
        r.update_time = Number(r.update_time ?? 0) + 60_000;
        r.updater = "someone-else";
      },
    );
    await record("drift-service-maintained.jsonl", "drift, service-maintained only", stack.drift());
    // A declared property changed out of band, and a rule deleted in the console.
    outOfBand(
      emu,
      "pipelineGroups",
      (r) => r.name === "Payments",
      (r) => (r.name = "Payments (renamed in console)"),
    );
    outOfBand(emu, "rules", (r) => String(r.name).endsWith("test pass rate"), "delete");
    await record("drift-rename-delete.jsonl", "drift, rename and deletion", stack.drift());
    await record(undefined, "refresh (accept the drift)", stack.refresh());
    await record(undefined, "up (restore the declared state)", stack.up());
    // The rule sets' reads fail (a page that is not JSON): the drift job cannot say "no drift".
    emu.faults.inject({ method: "GET", path: "/v2/*/tenant/rule-sets/**", fault: { type: "bad-success", body: "html" }, times: 1000 });
    await record("drift-read-fails.jsonl", "drift with a failing read", stack.drift(), false);
    emu.faults.clear();
    // A step that fails: the rules' updates answer a page that is not JSON.
    // (Test plans have no delete API: an old name stays taken, so each rename takes a new one.)
    await set("codearts-platform:teamName", "Billing");
    emu.faults.inject({ method: "PUT", path: "/v2/*/rules/*/update", fault: { type: "bad-success", body: "html" }, times: 1000 });
    await record("up-step-fails.jsonl", "up with a failing update", stack.up(), false);
    emu.faults.clear();
    await record(undefined, "up (finish the rename)", stack.up());
    // A replacement whose delete fails leaves the old object pending deletion beside the new one.
    await set("codearts-platform:teamName", "Operations");
    emu.faults.inject({ method: "DELETE", path: "/v5/{project_id}/api/pipelines/{pipeline_id}", fault: { type: "bad-success", body: "html" }, times: 1000 });
    await record("up-delete-replaced-fails.jsonl", "up whose replaced pipelines cannot be deleted", stack.up(), false);
    emu.faults.clear();
    await record("refresh-pending-delete.jsonl", "refresh with entries pending deletion", stack.refresh());
    await record("up-pending-delete.jsonl", "up deleting the entries pending deletion", stack.up());
    await record("destroy.jsonl", "destroy", stack.destroy());
    fs.writeFileSync(path.join(dir, "VERSION"), `${versionOf(cli)}\n`);
  } finally {
    await stack.dispose();
    await emu.close();
  }
  return written;
}

if (require.main === module) {
  // An optional second argument: another CLI installation (<root>/bin/pulumi), for an older engine's shapes.
  recordEventFixtures(path.resolve(process.argv[2] ?? "tests/fixtures/events"), process.argv[3] && path.resolve(process.argv[3])).then(
    (files) => console.log(`recorded ${files.length} fixtures: ${files.join(", ")}`),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
