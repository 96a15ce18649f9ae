/**
 * The engine's side of a running program: the ResourceMonitor and Engine gRPC services that
 * `@pulumi/pulumi/cmd/run` (the Node language runtime) talks to, and the runtime launched the way
 * the Node language host launches it. Protocol plumbing only: what a registration does is decided by
 * the `Deployment` it is handed (Engine.runProgram, engine.ts).
 *
 * Launch (sdk/nodejs/cmd/pulumi-language-nodejs/main.go @ pulumi/pulumi 1b59498, `execRuntime`,
 * `constructArguments`, `constructConfig`): `node <@pulumi/pulumi/cmd/run> --monitor A --engine A
 * --project P --stack S --pwd DIR [--dry-run] --parallel N <main>`, with env PULUMI_CONFIG (keys as
 * `<namespace>:config:<name>`) and PULUMI_CONFIG_SECRET_KEYS (a JSON list of the secret keys).
 * Registrations fail as pkg/resource/deploy/source_eval.go `RegisterResource` fails them: a failed
 * step answers Internal "resource registration failed" (the runtime sends no supportsResultReporting).
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import type * as grpcTypes from "@grpc/grpc-js";

const provGrpcPath = require.resolve("@pulumi/pulumi/proto/provider_grpc_pb");
const fromPulumi = (id: string) => require(require.resolve(id, { paths: [path.dirname(provGrpcPath)] }));
const grpc: typeof grpcTypes = fromPulumi("@grpc/grpc-js");
const structpb = fromPulumi("google-protobuf/google/protobuf/struct_pb");
const emptypb = fromPulumi("google-protobuf/google/protobuf/empty_pb");
const resgrpc = require("@pulumi/pulumi/proto/resource_grpc_pb");
const respb = require("@pulumi/pulumi/proto/resource_pb");
const enggrpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
const engpb = require("@pulumi/pulumi/proto/engine_pb");
const RUN_SCRIPT = require.resolve("@pulumi/pulumi/cmd/run");

/** One RegisterResource request, as the runtime sent it. */
export interface Registration {
  type: string;
  name: string;
  parent: string;
  custom: boolean;
  /** Inputs as sent: secrets wrapped, unknowns as the sentinel. */
  object: Record<string, unknown>;
  dependencies: string[];
  additionalSecretOutputs: string[];
}

export interface RegistrationResult {
  urn: string;
  id: string;
  object: Record<string, unknown>;
}

/** What the engine does with the program's requests. */
export interface Deployment {
  register(reg: Registration): Promise<RegistrationResult>;
  registerOutputs(urn: string, outputs: Record<string, unknown>): void;
  log(severity: "debug" | "info" | "warning" | "error", message: string, urn: string): void;
}

/** Only what the engine supports and this stand-in implements; the runtime falls back for the rest (runtime/settings.js). */
const FEATURES = new Set(["secrets"]);
const SEVERITY = ["debug", "info", "warning", "error"] as const;

type Call = any;
type Callback = (err: Partial<grpcTypes.ServiceError> | null, resp?: unknown) => void;

export interface ProgramRun {
  exitCode: number | null;
  /** Set when the run was killed for taking longer than its bound. */
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

export interface ProgramOptions {
  /** The program directory (Pulumi.yaml's) and the entry point relative to it (`main`). */
  dir: string;
  main: string;
  project: string;
  stack: string;
  dryRun: boolean;
  parallel: number;
  /** Stack config, fully qualified keys (`ns:key`). */
  config: Record<string, string>;
  secretKeys: string[];
  /** A bound on the program's run: Node 20.20 can spin after a failed registration (nodejs/node#64011). */
  timeoutMs: number;
}

/** Serves a deployment to one run of a program and returns how the program ended. */
export async function runProgram(deployment: Deployment, opts: ProgramOptions): Promise<ProgramRun> {
  const server = new grpc.Server({ "grpc.max_receive_message_length": 64 * 1024 * 1024 });
  let rootUrn = "";
  const fail = (cb: Callback, e: unknown, code = grpc.status.INTERNAL) => cb({ code, details: (e as Error)?.message ?? String(e) });
  server.addService(resgrpc.ResourceMonitorService, {
    supportsFeature(call: Call, cb: Callback) {
      const r = new respb.SupportsFeatureResponse();
      r.setHassupport(FEATURES.has(call.request.getId()));
      cb(null, r);
    },
    registerResource(call: Call, cb: Callback) {
      const q = call.request;
      const reg: Registration = {
        type: q.getType(),
        name: q.getName(),
        parent: q.getParent(),
        custom: q.getCustom(),
        object: (q.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
        dependencies: q.getDependenciesList(),
        additionalSecretOutputs: q.getAdditionalsecretoutputsList(),
      };
      deployment.register(reg).then(
        (res) => {
          const r = new respb.RegisterResourceResponse();
          r.setUrn(res.urn);
          r.setId(res.id);
          r.setObject(structpb.Struct.fromJavaScript(JSON.parse(JSON.stringify(res.object))));
          cb(null, r);
        },
        () => fail(cb, new Error("resource registration failed")),
      );
    },
    registerResourceOutputs(call: Call, cb: Callback) {
      deployment.registerOutputs(call.request.getUrn(), (call.request.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>);
      cb(null, new emptypb.Empty());
    },
    signalAndWaitForShutdown(_call: Call, cb: Callback) {
      cb(null, new emptypb.Empty());
    },
  });
  server.addService(enggrpc.EngineService, {
    log(call: Call, cb: Callback) {
      deployment.log(SEVERITY[call.request.getSeverity() as 0 | 1 | 2 | 3] ?? "info", call.request.getMessage(), call.request.getUrn());
      cb(null, new emptypb.Empty());
    },
    getRootResource(_call: Call, cb: Callback) {
      const r = new engpb.GetRootResourceResponse();
      r.setUrn(rootUrn);
      cb(null, r);
    },
    setRootResource(call: Call, cb: Callback) {
      rootUrn = call.request.getUrn();
      cb(null, new engpb.SetRootResourceResponse());
    },
  });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  const address = `127.0.0.1:${port}`;
  try {
    return await launch(address, opts);
  } finally {
    server.forceShutdown();
  }
}

function launch(address: string, o: ProgramOptions): Promise<ProgramRun> {
  const args = [RUN_SCRIPT, "--monitor", address, "--engine", address, "--project", o.project, "--stack", o.stack, "--pwd", o.dir];
  if (o.dryRun) args.push("--dry-run");
  args.push("--parallel", String(o.parallel), o.main);
  const config = Object.fromEntries(
    Object.entries(o.config).map(([k, v]) => {
      const i = k.indexOf(":");
      return [`${k.slice(0, i)}:config:${k.slice(i + 1)}`, v];
    }),
  );
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: o.dir,
    env: { ...process.env, PULUMI_CONFIG: JSON.stringify(config), PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(o.secretKeys) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, o.timeoutMs);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code, timedOut, stdout, stderr });
    });
  });
}
