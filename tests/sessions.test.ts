import { z } from "zod";
import { DEFAULT_ACCOUNT, Emulator, SECOND_ACCOUNT, startEmulator, stackConfig } from "../emulator";
import { Sessions } from "../provider/sessions";
import type { Context } from "../provider/dynamic";

// The dynamic-provider host configures one provider per kind, each when that kind is first used, so
// `configure` arrives while other kinds' operations are in flight (provider/sessions.ts). These drive
// Sessions the way provider/index.ts does: one lease per operation, configure at any moment.
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, quiet: true });
});
afterAll(() => emu.close());

const lookup = (config: Record<string, string | { secret: string }>) => (key: string) => {
  const v = config[key];
  return v === undefined ? undefined : typeof v === "string" ? v : v.secret;
};
const tree = (ctx: Context) =>
  ctx.client.send({
    service: "pipeline",
    method: "GET",
    path: `/v5/${DEFAULT_ACCOUNT.codeartsProjects[0]}/api/pipeline-group/tree`,
    operation: "PipelineGroup.tree",
    answer: z.array(z.unknown()),
  });

test("the same configuration again keeps the same settings and client", () => {
  const sessions = new Sessions({});
  sessions.configure(lookup(stackConfig(emu)));
  const a = sessions.lease();
  const first = a.context();
  sessions.configure(lookup(stackConfig(emu))); // the next kind's first use
  const b = sessions.lease();
  expect(b.context().client).toBe(first.client);
  a.release();
  b.release();
});

test("a different configuration serves new operations; one in flight finishes on its own client, which closes after", async () => {
  const sessions = new Sessions({});
  sessions.configure(lookup(stackConfig(emu, DEFAULT_ACCOUNT)));
  emu.faults.setLatency(200);
  const running = sessions.lease();
  const ctx = running.context();
  const inFlight = tree(ctx);
  // Reconfigured while the request is on the wire: e.g. the secret key rotated.
  sessions.configure(lookup(stackConfig(emu, SECOND_ACCOUNT)));
  const next = sessions.lease();
  expect(next.context().client).not.toBe(ctx.client);
  expect(next.context().settings.accessKey).toBe(SECOND_ACCOUNT.accessKey);
  await expect(inFlight).resolves.toMatchObject({ status: 200 });
  // A later request of the same operation (multi-step creates) still goes out on the old client.
  await expect(tree(ctx)).resolves.toMatchObject({ status: 200 });
  emu.faults.setLatency(0);
  running.release();
  // Released by its last holder: closed, so nothing can leak through it any more.
  await new Promise((r) => setImmediate(r));
  await expect(tree(ctx)).rejects.toThrow(/closed|destroyed/i);
  next.release();
});

test("a configuration that cannot be loaded fails every operation with the key named, until a good one arrives", async () => {
  const sessions = new Sessions({});
  sessions.configure(lookup({ ...stackConfig(emu), "huaweicloud:endpoints": "not json" }));
  expect(() => sessions.lease().context()).toThrow(/huaweicloud:endpoints/);
  sessions.configure(lookup(stackConfig(emu)));
  const lease = sessions.lease();
  await expect(tree(lease.context())).resolves.toMatchObject({ status: 200 });
  lease.release();
});

test("redaction covers the secrets of every configuration the process has seen", () => {
  const sessions = new Sessions({});
  sessions.configure(lookup(stackConfig(emu, DEFAULT_ACCOUNT)));
  sessions.configure(lookup(stackConfig(emu, SECOND_ACCOUNT)));
  const text = `old ${DEFAULT_ACCOUNT.secretKey} new ${SECOND_ACCOUNT.secretKey}`;
  expect(sessions.redact(text)).toBe("old *** new ***");
});
