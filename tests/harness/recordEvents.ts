/**
 * Records the engine-event fixtures in tests/fixtures/events/ from the engine stand-in (engine.ts,
 * events.ts: shapes from the Pulumi engine's source, cited there) running the repository's
 * Pulumi.yaml program against the emulator:
 *
 *   npm run build && node dist/tests/harness/recordEvents.js tests/fixtures/events
 *
 * Every operation the CLI summarises is recorded once; out-of-band changes are made in the
 * emulator's store, as a console user would make them. The mixed drift adds, by hand, a resource of
 * another provider whose events carry `diffs` and a `detailedDiff` (the shape of
 * pkg/engine/events.go for providers that return them).
 */
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_ACCOUNT, seedVpcepRecords, startEmulator, stackConfig, type Emulator } from "../../emulator";
import type { EngineEvent } from "./events";
import { REPO_ROOT } from "./host";
import { ProgramStack } from "./stack";

const VPCEP_REGION = "ap-southeast-3";
const VPCEPS = ["vpcep-build", "vpcep-deploy"];

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
  throw new Error(`recordEvents: no ${collection} record matches`);
}

/** A resource of another provider, as the engine reports it when its provider returns diffs and a detailed diff. */
function otherProviderDrift(project: string, stack: string): EngineEvent[] {
  const urn = `urn:pulumi:${stack}::${project}::aws:s3/bucketV2:BucketV2::artifacts`;
  const type = "aws:s3/bucketV2:BucketV2";
  const provider = `urn:pulumi:${stack}::${project}::pulumi:providers:aws::default_6_0_0::04b1a7c2-6f0e-4c1f-8d0b-2f3e4a5b6c7d`;
  const state = (tags: Record<string, string>) => ({ type, urn, custom: true, id: "artifacts-1234", parent: "", provider, inputs: { bucket: "artifacts", tags }, outputs: { bucket: "artifacts", tags, arn: "arn:aws:s3:::artifacts" } });
  const meta = { urn, type, provider, logical: true };
  return [
    { sequence: 0, timestamp: 0, resourcePreEvent: { metadata: { ...meta, op: "refresh", old: state({ team: "platform" }), new: state({ team: "platform" }) }, planning: true } },
    {
      sequence: 0, timestamp: 0,
      resOutputsEvent: {
        metadata: { ...meta, op: "update", old: state({ team: "platform" }), new: state({ team: "payments" }), diffs: ["tags"], detailedDiff: { "tags.team": { kind: "update", inputDiff: true } } },
        planning: true,
      },
    },
  ] as unknown as EngineEvent[];
}

export async function recordEventFixtures(dir: string): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const write = (file: string, events: EngineEvent[]) => {
    fs.writeFileSync(path.join(dir, file), events.map((e) => JSON.stringify(e)).join("\n") + "\n");
    written.push(file);
  };
  const emu = await startEmulator({ port: 0, quiet: true });
  try {
    seedVpcepRecords(emu.store, DEFAULT_ACCOUNT.domainId, VPCEP_REGION, VPCEPS);
    const config = {
      ...stackConfig(emu, DEFAULT_ACCOUNT),
      "codearts-platform:projectId": DEFAULT_ACCOUNT.codeartsProjects[0],
      "codearts-platform:teamName": "Platform",
      "codearts-platform:rotateToken": { secret: "rotate-token-value-1" },
      "codearts-platform:vpcepIds": JSON.stringify(VPCEPS),
      "codearts-platform:vpcepRegion": VPCEP_REGION,
    };
    const stack = new ProgramStack({ dir: REPO_ROOT, config, parallel: 10 });
    const ok = async (what: string, r: Promise<{ ok: boolean; errors: string[]; events: EngineEvent[] }>, expectOk = true) => {
      const done = await r;
      if (done.ok !== expectOk) throw new Error(`recordEvents: ${what}: ${done.ok ? "succeeded, expected a failure" : done.errors.join("; ")}`);
      return done.events;
    };
    write("preview-create.jsonl", await ok("preview of a new stack", stack.preview()));
    write("up-create.jsonl", await ok("up", stack.up()));
    // The team renamed: names update in place, pipelines and the test plan replace, the publisher is
    // replaced so the released version's publisherId is unknown during the preview.
    stack.setConfig("codearts-platform:teamName", "Payments");
    write("preview-update-replace.jsonl", await ok("preview of a rename", stack.preview()));
    write("up-update-replace.jsonl", await ok("up of a rename", stack.up()));
    stack.setConfig("codearts-platform:rotateToken", { secret: "rotate-token-value-2" });
    write("preview-secret-only.jsonl", await ok("preview of a secret change", stack.preview()));
    await ok("up of a secret change", stack.up());
    stack.setConfig("codearts-platform:vpcepIds", "[]");
    write("preview-delete.jsonl", await ok("preview of a removal", stack.preview()));
    stack.setConfig("codearts-platform:vpcepIds", JSON.stringify(VPCEPS));
    stack.setConfig("codearts-platform:projectId", "not-a-project-id");
    write("preview-refused.jsonl", await ok("preview of a bad project id", stack.preview(), false));
    stack.setConfig("codearts-platform:projectId", DEFAULT_ACCOUNT.codeartsProjects[0]);
    write("refresh.jsonl", await ok("refresh", stack.refresh()));
    write("drift-none.jsonl", await ok("drift, nothing changed", stack.previewRefresh()));
    // Only what the service maintains moved: someone touched the group (its update time and updater).
    outOfBand(emu, "pipelineGroups", (r) => r.name === "Payments", (r) => {
      r.update_time = Number(r.update_time ?? 0) + 60_000;
      r.updater = "someone-else";
    });
    write("drift-service-maintained.jsonl", await ok("drift, service-maintained only", stack.previewRefresh()));
    // A declared property changed out of band, and a rule deleted in the console.
    outOfBand(emu, "pipelineGroups", (r) => r.name === "Payments", (r) => (r.name = "Payments (renamed in console)"));
    outOfBand(emu, "rules", (r) => String(r.name).endsWith("test pass rate"), "delete");
    const drift = await ok("drift, rename and deletion", stack.previewRefresh());
    write("drift-rename-delete.jsonl", drift);
    // The same drift in a stack that also holds a resource of another provider.
    const summaryAt = drift.findIndex((e) => e.summaryEvent);
    const mixed = [...drift.slice(0, summaryAt), ...otherProviderDrift("codearts-platform", "dev"), ...drift.slice(summaryAt)].map((e, i) => ({ ...e, sequence: i }));
    const summary = mixed.at(-1)!.summaryEvent!;
    summary.resourceChanges = { ...summary.resourceChanges, update: (summary.resourceChanges.update ?? 0) + 1 };
    write("drift-mixed.jsonl", mixed);
    await ok("refresh (accept the drift)", stack.refresh());
    write("destroy.jsonl", await ok("destroy", stack.destroy()));
  } finally {
    await emu.close();
  }
  return written;
}

if (require.main === module) {
  recordEventFixtures(path.resolve(process.argv[2] ?? "tests/fixtures/events")).then(
    (files) => console.log(`recorded ${files.length} fixtures: ${files.join(", ")}`),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
