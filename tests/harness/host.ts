/**
 * Drives @pulumi/pulumi's real dynamic-provider host (cmd/dynamic-provider) over gRPC, the way the
 * Pulumi engine does (sdk/nodejs/cmd/dynamic-provider in pulumi/pulumi). No Pulumi CLI needed.
 *
 * The host is started through a tiny guardian process (`node -e GUARDIAN <host> unused-engine-addr`):
 * the guardian spawns the host with exactly the engine's argv and cwd, lets the host write straight to
 * our stdout/stderr pipes, and SIGKILLs it when its stdin closes, i.e. when this (jest worker)
 * process goes away for any reason, so no host outlives the tests even if afterAll never runs.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as provpbTypes from "@pulumi/pulumi/proto/provider_pb";
import type * as provgrpcTypes from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as structTypes from "google-protobuf/google/protobuf/struct_pb";

/** The engine's "unknown during preview" sentinel (sdk/nodejs/runtime/rpc.ts `unknownValue`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Secret wrapper the engine sends when a provider accepts secrets (rpc.ts `specialSigKey` / `specialSecretSig`). */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/**
 * The repository root: default cwd of the host, so `require("pulumi-codearts/provider")` resolves to
 * this checkout. Found by walking up, so the harness works from source (jest) and from dist/ (demo, bench).
 */
export const REPO_ROOT = (() => {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, "utf8")).name === "pulumi-codearts") return dir;
  }
  throw new Error(`pulumi-codearts harness: no package root above ${__dirname}`);
})();

export type ConfigValue = string | { secret: string };
export interface CheckFailure {
  property: string;
  reason: string;
}
export interface DiffResult {
  changes: "DIFF_NONE" | "DIFF_SOME" | "DIFF_UNKNOWN";
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/** ResourceProvider RPCs the harness speaks; the trace uses `/pulumirpc.ResourceProvider/<Method>`. */
export type Method = "GetPluginInfo" | "Configure" | "Check" | "Diff" | "Create" | "Read" | "Update" | "Delete";
export const methodPath = (m: Method): string => `/pulumirpc.ResourceProvider/${m}`;

/** A Create/Update failure after the object was made: the engine records it (id, outputs) with init errors. */
export class InitFailedError extends Error {
  readonly code: number;
  constructor(
    message: string,
    public id: string,
    public properties: Record<string, unknown>,
    public reasons: string[],
    code: number,
  ) {
    super(message);
    this.name = "InitFailedError";
    this.code = code;
  }
}

/** Any other failed RPC; `message` is the provider's message (the gRPC status details). */
export class RpcError extends Error {
  constructor(
    message: string,
    public method: Method,
    public code: number,
  ) {
    super(message);
    this.name = "RpcError";
  }
}

export function urnFor(type: string, name: string, project = "project", stack = "stack"): string {
  return `urn:pulumi:${stack}::${project}::${typeToken(type)}::${name}`;
}
/** `PipelineGroup` -> `pulumi-nodejs:dynamic:PipelineGroup`; a full token (with ':') is kept as is. */
export function typeToken(type: string): string {
  return type.includes(":") ? type : `pulumi-nodejs:dynamic:${type}`;
}

// ---------------------------------------------------------------------------------------------
// Protocol modules, resolved from @pulumi/pulumi so they are the very copies the generated stubs use.

const provGrpcPath = require.resolve("@pulumi/pulumi/proto/provider_grpc_pb");
const fromPulumi = (id: string) => require(require.resolve(id, { paths: [path.dirname(provGrpcPath)] }));
const grpc: typeof grpcTypes = fromPulumi("@grpc/grpc-js");
const provgrpc: typeof provgrpcTypes = require(provGrpcPath);
const provpb: typeof provpbTypes = require("@pulumi/pulumi/proto/provider_pb");
const structpb: typeof structTypes = fromPulumi("google-protobuf/google/protobuf/struct_pb");
const emptypb = fromPulumi("google-protobuf/google/protobuf/empty_pb");
const statuspb = require("@pulumi/pulumi/proto/status_pb");
const HOST_SCRIPT = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");

// ---------------------------------------------------------------------------------------------
// protojson <-> jspb. Requests and responses are handled as protojson-shaped plain objects (field
// json names, Structs as JSON, bytes as base64, enums by name, default values omitted), which is
// also the shape of PULUMI_DEBUG_GRPC logs and pulumi/providertest replay files.

type Kind = "string" | "bool" | "number" | "struct" | "strings" | "bytes" | "stringMap" | "changes" | "failures";
type Field = [json: string, accessor: string, kind: Kind];
const S = "string",
  B = "bool",
  N = "number",
  ST = "struct",
  L = "strings";

const REQUESTS: Record<Method, { cls: string; fields: Field[] }> = {
  GetPluginInfo: { cls: "", fields: [] },
  Configure: {
    cls: "ConfigureRequest",
    fields: [
      ["variables", "VariablesMap", "stringMap"],
      ["args", "Args", ST],
      ["acceptSecrets", "Acceptsecrets", B],
      ["acceptResources", "Acceptresources", B],
      ["sendsOldInputs", "SendsOldInputs", B],
      ["sendsOldInputsToDelete", "SendsOldInputsToDelete", B],
      ["id", "Id", S],
      ["urn", "Urn", S],
      ["name", "Name", S],
      ["type", "Type", S],
    ],
  },
  Check: {
    cls: "CheckRequest",
    fields: [
      ["urn", "Urn", S],
      ["name", "Name", S],
      ["type", "Type", S],
      ["olds", "Olds", ST],
      ["news", "News", ST],
      ["randomSeed", "Randomseed", "bytes"],
    ],
  },
  Diff: {
    cls: "DiffRequest",
    fields: [
      ["id", "Id", S],
      ["urn", "Urn", S],
      ["name", "Name", S],
      ["type", "Type", S],
      ["olds", "Olds", ST],
      ["news", "News", ST],
      ["ignoreChanges", "IgnorechangesList", L],
      ["oldInputs", "OldInputs", ST],
    ],
  },
  Create: {
    cls: "CreateRequest",
    fields: [
      ["urn", "Urn", S],
      ["name", "Name", S],
      ["type", "Type", S],
      ["properties", "Properties", ST],
      ["timeout", "Timeout", N],
      ["preview", "Preview", B],
    ],
  },
  Read: {
    cls: "ReadRequest",
    fields: [
      ["id", "Id", S],
      ["urn", "Urn", S],
      ["name", "Name", S],
      ["type", "Type", S],
      ["properties", "Properties", ST],
      ["inputs", "Inputs", ST],
      ["timeout", "Timeout", N],
    ],
  },
  Update: {
    cls: "UpdateRequest",
    fields: [
      ["id", "Id", S],
      ["urn", "Urn", S],
      ["name", "Name", S],
      ["type", "Type", S],
      ["olds", "Olds", ST],
      ["news", "News", ST],
      ["timeout", "Timeout", N],
      ["ignoreChanges", "IgnorechangesList", L],
      ["preview", "Preview", B],
      ["oldInputs", "OldInputs", ST],
    ],
  },
  Delete: {
    cls: "DeleteRequest",
    fields: [
      ["id", "Id", S],
      ["urn", "Urn", S],
      ["name", "Name", S],
      ["type", "Type", S],
      ["properties", "Properties", ST],
      ["timeout", "Timeout", N],
      ["oldInputs", "OldInputs", ST],
    ],
  },
};

const RESPONSES: Record<Method, Field[]> = {
  GetPluginInfo: [["version", "Version", S]],
  Configure: [
    ["acceptSecrets", "Acceptsecrets", B],
    ["supportsPreview", "Supportspreview", B],
    ["acceptResources", "Acceptresources", B],
    ["acceptOutputs", "Acceptoutputs", B],
    ["supportsAutonamingConfiguration", "SupportsAutonamingConfiguration", B],
  ],
  Check: [
    ["inputs", "Inputs", ST],
    ["failures", "FailuresList", "failures"],
  ],
  Diff: [
    ["replaces", "ReplacesList", L],
    ["stables", "StablesList", L],
    ["deleteBeforeReplace", "Deletebeforereplace", B],
    ["changes", "Changes", "changes"],
    ["diffs", "DiffsList", L],
    ["hasDetailedDiff", "Hasdetaileddiff", B],
  ],
  Create: [
    ["id", "Id", S],
    ["properties", "Properties", ST],
    ["refreshBeforeUpdate", "RefreshBeforeUpdate", B],
  ],
  Read: [
    ["id", "Id", S],
    ["properties", "Properties", ST],
    ["inputs", "Inputs", ST],
    ["refreshBeforeUpdate", "RefreshBeforeUpdate", B],
  ],
  Update: [
    ["properties", "Properties", ST],
    ["refreshBeforeUpdate", "RefreshBeforeUpdate", B],
  ],
  Delete: [],
};

const CHANGES = ["DIFF_UNKNOWN", "DIFF_NONE", "DIFF_SOME"] as const;

/** JSON round trip: drops undefined (Struct.fromJavaScript throws on it) and non-JSON values, as the SDK's serialization would. */
const plain = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

type Msg = any;

function toMessage(method: Method, req: Record<string, unknown>): Msg {
  const spec = REQUESTS[method];
  if (!spec.cls) return new emptypb.Empty();
  const msg: Msg = new (provpb as Msg)[spec.cls]();
  for (const [json, acc, kind] of spec.fields) {
    const v = req[json];
    if (v === undefined || v === null) continue;
    switch (kind) {
      case "struct":
        msg[`set${acc}`](structpb.Struct.fromJavaScript(plain(v) as Record<string, structTypes.JavaScriptValue>));
        break;
      case "bytes":
        msg[`set${acc}`](typeof v === "string" ? new Uint8Array(Buffer.from(v, "base64")) : v);
        break;
      case "stringMap": {
        const m = msg[`get${acc}`]();
        for (const [k, s] of Object.entries(v as Record<string, string>)) m.set(k, s);
        break;
      }
      default:
        msg[`set${acc}`](v);
    }
  }
  const known = new Set(spec.fields.map((f) => f[0]));
  const extra = Object.keys(req).filter((k) => !known.has(k));
  if (extra.length) throw new Error(`harness: ${method} request has fields it cannot send: ${extra.join(", ")}`);
  return msg;
}

function toJson(fields: Field[], msg: Msg): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [json, acc, kind] of fields) {
    const v = msg[`get${acc}`]();
    switch (kind) {
      case "struct":
        if (v) out[json] = v.toJavaScript();
        break;
      case "strings":
        if (v.length) out[json] = [...v];
        break;
      case "bytes": {
        const b = typeof v === "string" ? Buffer.from(v, "base64") : Buffer.from(v);
        if (b.length) out[json] = b.toString("base64");
        break;
      }
      case "stringMap": {
        const e = v.toObject() as [string, string][];
        if (e.length) out[json] = Object.fromEntries(e);
        break;
      }
      case "changes":
        if (v) out[json] = CHANGES[v] ?? v;
        break;
      case "failures":
        if (v.length) out[json] = v.map((f: Msg) => ({ property: f.getProperty(), reason: f.getReason() }));
        break;
      default:
        if (v) out[json] = v;
    }
  }
  return out;
}

/** The protojson form of a request as it goes on the wire (defaults omitted), for traces. */
export function requestJson(method: Method, req: Record<string, unknown>): Record<string, unknown> {
  const spec = REQUESTS[method];
  return spec.cls ? toJson(spec.fields, toMessage(method, req)) : {};
}

/** Decodes `grpc-status-details-bin` (google.rpc.Status) looking for pulumirpc.ErrorResourceInitFailed. */
function initFailure(err: grpcTypes.ServiceError): { id: string; properties: Record<string, unknown>; reasons: string[] } | undefined {
  const bins = err.metadata?.get("grpc-status-details-bin") ?? [];
  for (const bin of bins) {
    const status = statuspb.Status.deserializeBinary(new Uint8Array(bin as Buffer));
    for (const any of status.getDetailsList()) {
      if (any.getTypeName() !== "pulumirpc.ErrorResourceInitFailed") continue;
      const d = any.unpack(provpb.ErrorResourceInitFailed.deserializeBinary, "pulumirpc.ErrorResourceInitFailed") as provpbTypes.ErrorResourceInitFailed;
      return { id: d.getId(), properties: (d.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>, reasons: d.getReasonsList() };
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The guardian: runs the host with the engine's argv; dies (taking the host along) when our end of
// its stdin closes or on SIGTERM/SIGINT; reports the host's pid on fd 3.

const GUARDIAN = `
const { spawn } = require("child_process");
const fs = require("fs");
const [script, ...args] = process.argv.slice(1);
const host = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "inherit", "inherit"] });
try { fs.writeSync(3, String(host.pid) + "\\n"); fs.closeSync(3); } catch (e) {}
let exiting = false;
const stop = () => { if (!exiting) { exiting = true; try { host.kill("SIGKILL"); } catch (e) {} } };
host.on("exit", (code, signal) => process.exit(exiting ? 0 : code === null ? 1 : code));
process.stdin.on("end", stop); process.stdin.on("close", stop); process.stdin.on("error", stop); process.stdin.resume();
process.on("SIGTERM", stop); process.on("SIGINT", stop);
`;

const STARTUP_TIMEOUT_MS = 20_000;

export class ProviderHost {
  /** Everything the host printed: stdout after the port line, and stderr, split into lines. Complete once close() resolved. */
  readonly logs: string[];
  /** Milliseconds from spawn to the port line. */
  readonly startMs: number;
  /** pid of the dynamic-provider host process itself. */
  readonly pid: number;
  readonly port: number;
  private configured = false;
  private closing?: Promise<void>;
  private exited = false;

  private constructor(
    private readonly guardian: ChildProcess,
    private readonly client: provgrpcTypes.ResourceProviderClient,
    info: { pid: number; port: number; startMs: number },
    private readonly exitedPromise: Promise<void>,
    logs: string[],
  ) {
    this.pid = info.pid;
    this.port = info.port;
    this.startMs = info.startMs;
    this.logs = logs;
    void exitedPromise.then(() => {
      this.exited = true;
    });
  }

  static async start(opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<ProviderHost> {
    const t0 = performance.now();
    const guardian = spawn(process.execPath, ["-e", GUARDIAN, "--", HOST_SCRIPT, "unused-engine-addr"], {
      cwd: opts.cwd ?? REPO_ROOT,
      env: { ...process.env, ...opts.env },
      stdio: ["pipe", "pipe", "pipe", "pipe"],
    });
    const logs: string[] = [];
    let port: number | undefined;
    let portLine: (p: number) => void = () => undefined;
    const portSeen = new Promise<number>((resolve) => {
      portLine = resolve;
    });
    const lineReader = (onLine: (l: string) => void) => {
      let buf = "";
      return {
        data: (chunk: Buffer) => {
          buf += chunk.toString("utf8");
          let i: number;
          while ((i = buf.indexOf("\n")) >= 0) {
            onLine(buf.slice(0, i).replace(/\r$/, ""));
            buf = buf.slice(i + 1);
          }
        },
        end: () => {
          if (buf) onLine(buf);
          buf = "";
        },
      };
    };
    const out = lineReader((l) => {
      if (port === undefined) {
        port = Number(l.trim());
        portLine(port);
      } else logs.push(l);
    });
    const err = lineReader((l) => logs.push(l));
    guardian.stdout!.on("data", out.data).on("end", out.end);
    guardian.stderr!.on("data", err.data).on("end", err.end);
    let pidText = "";
    const pidSeen = new Promise<number>((resolve) => {
      const fd3 = guardian.stdio[3] as NodeJS.ReadableStream;
      fd3.on("data", (c: Buffer) => {
        pidText += c.toString();
      });
      fd3.on("end", () => resolve(Number(pidText.trim())));
      fd3.on("error", () => resolve(Number(pidText.trim())));
    });
    guardian.stdin!.on("error", () => undefined);
    const exited = new Promise<void>((resolve) => guardian.on("close", () => resolve()));
    let timer: NodeJS.Timeout | undefined;
    const failed = new Promise<never>((_, reject) => {
      guardian.on("error", reject);
      void exited.then(() => reject(new Error(`dynamic-provider host exited before printing its port:\n${logs.join("\n")}`)));
      timer = setTimeout(() => reject(new Error(`dynamic-provider host printed no port within ${STARTUP_TIMEOUT_MS} ms:\n${logs.join("\n")}`)), STARTUP_TIMEOUT_MS);
    });
    try {
      const p = await Promise.race([portSeen, failed]);
      if (!Number.isInteger(p) || p <= 0) throw new Error(`dynamic-provider host's first stdout line is not a port`);
      const startMs = performance.now() - t0;
      const pid = await Promise.race([pidSeen, failed]);
      const client = new provgrpc.ResourceProviderClient(`127.0.0.1:${p}`, grpc.credentials.createInsecure());
      return new ProviderHost(guardian, client, { pid, port: p, startMs }, exited, logs);
    } catch (e) {
      guardian.kill("SIGTERM");
      guardian.stdin?.destroy();
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  /** One raw RPC: the request and the response in protojson shape. Throws InitFailedError / RpcError. */
  call(method: Method, request: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    if (this.exited || this.closing) return Promise.reject(new RpcError(`dynamic-provider host is ${this.closing ? "closed" : "gone"}`, method, grpc.status.UNAVAILABLE));
    if (!this.configured && method !== "Configure" && method !== "GetPluginInfo") {
      // The engine always configures first; the host's getProvider would otherwise configure the provider with no config.
      return Promise.reject(new Error(`harness: call configure() before ${method}`));
    }
    const msg = toMessage(method, request);
    const fn = method.charAt(0).toLowerCase() + method.slice(1);
    return new Promise((resolve, reject) => {
      (this.client as Msg)[fn](msg, (err: grpcTypes.ServiceError | null, resp: Msg) => {
        if (err) {
          const message = err.details || err.message;
          if (method === "Create" || method === "Update") {
            const f = initFailure(err);
            if (f) return reject(new InitFailedError(message, f.id, f.properties, f.reasons, err.code));
          }
          return reject(new RpcError(message, method, err.code));
        }
        if (method === "Configure") this.configured = true;
        resolve(toJson(RESPONSES[method], resp));
      });
    });
  }

  /** Configure, as the engine does for the default `pulumi-nodejs` provider: the whole stack config, fully-qualified keys, secrets wrapped. */
  async configure(config: Record<string, ConfigValue>, provider?: { urn: string; id?: string }): Promise<void> {
    await this.call("Configure", configureRequest(config, provider));
  }

  async check(urn: string, olds: object, news: object): Promise<{ inputs: Record<string, any>; failures: CheckFailure[] }> {
    const r = await this.call("Check", { urn, ...nameType(urn), olds, news });
    return { inputs: (r.inputs ?? {}) as Record<string, any>, failures: (r.failures ?? []) as CheckFailure[] };
  }

  async diff(id: string, urn: string, olds: object, news: object): Promise<DiffResult> {
    return diffResult(await this.call("Diff", { id, urn, ...nameType(urn), olds, news }));
  }

  async create(urn: string, props: object): Promise<{ id: string; properties: Record<string, any> }> {
    const r = await this.call("Create", { urn, ...nameType(urn), properties: props });
    return { id: (r.id ?? "") as string, properties: (r.properties ?? {}) as Record<string, any> };
  }

  async read(id: string, urn: string, props: object, inputs?: object): Promise<{ id: string; properties: Record<string, any>; inputs?: Record<string, any> }> {
    const r = await this.call("Read", { id, urn, ...nameType(urn), properties: props, inputs });
    const out: { id: string; properties: Record<string, any>; inputs?: Record<string, any> } = {
      id: (r.id ?? "") as string,
      properties: (r.properties ?? {}) as Record<string, any>,
    };
    if (r.inputs) out.inputs = r.inputs as Record<string, any>;
    return out;
  }

  async update(id: string, urn: string, olds: object, news: object): Promise<{ properties: Record<string, any> }> {
    const r = await this.call("Update", { id, urn, ...nameType(urn), olds, news });
    return { properties: (r.properties ?? {}) as Record<string, any> };
  }

  async delete(id: string, urn: string, props: object): Promise<void> {
    await this.call("Delete", { id, urn, ...nameType(urn), properties: props });
  }

  /** Closes the channel, kills the host (and its guardian) and waits until both are gone and their output is drained. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.client.close();
      if (!this.exited) {
        this.guardian.kill("SIGTERM");
        this.guardian.stdin?.end();
        const t = setTimeout(() => {
          for (const pid of [this.pid, this.guardian.pid]) {
            try {
              if (pid) process.kill(pid, "SIGKILL");
            } catch {
              /* already gone */
            }
          }
        }, 5_000);
        await this.exitedPromise;
        clearTimeout(t);
      }
    })();
    return this.closing;
  }
}

// ---------------------------------------------------------------------------------------------

/** `urn:pulumi:stack::project::<type>::<name>` -> the name and type fields the engine fills in every request. */
export function nameType(urn: string): { name: string; type: string } {
  const parts = urn.split("::");
  const type = parts[2] ?? "";
  return { name: parts.slice(3).join("::"), type: type.split("$").pop() ?? type };
}

/** The ConfigureRequest the engine's plugin layer sends a dynamic provider (sdk/go/common/resource/plugin/provider_plugin.go). */
export function configureRequest(
  config: Record<string, ConfigValue>,
  /** The default provider's URN and ID, as the engine sends them; a placeholder URN without. */
  provider: { urn: string; id?: string } = { urn: "urn:pulumi:stack::project::pulumi:providers:pulumi-nodejs::default" },
): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  const variables: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) {
    if (!k.includes(":")) throw new Error(`harness: config key "${k}" must be fully qualified (namespace:key), as the engine sends it`);
    const value = typeof v === "string" ? v : v.secret;
    args[k] = typeof v === "string" ? v : { [SECRET_SIG_KEY]: SECRET_SIG, value };
    variables[`pulumi-nodejs:config:${k}`] = value; // deprecated field, secrets removed (= plain), as the engine does
  }
  return {
    variables,
    args,
    acceptSecrets: true,
    acceptResources: true,
    sendsOldInputs: true,
    sendsOldInputsToDelete: true,
    ...(provider.id ? { id: provider.id } : {}),
    urn: provider.urn,
    name: "default",
    type: "pulumi:providers:pulumi-nodejs",
  };
}

export function diffResult(r: Record<string, unknown>): DiffResult {
  return {
    changes: ((r.changes as string) ?? "DIFF_UNKNOWN") as DiffResult["changes"],
    replaces: (r.replaces ?? []) as string[],
    deleteBeforeReplace: (r.deleteBeforeReplace ?? false) as boolean,
  };
}
