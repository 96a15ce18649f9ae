import * as fs from "fs";
import * as path from "path";
import { createRequire } from "module";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as provprotoTypes from "@pulumi/pulumi/proto/provider_pb";
import { CONFIG_KEYS, SECRET_KEYS, inNamespace, loadSettings } from "../config";
import { containsUnknown, structSafe, UNKNOWN } from "../dynamic";
import { kindNamed, runOn } from "../index";
import { KINDS, type KindName } from "../kinds";
import { redactor } from "../redaction";
import { Sessions } from "../sessions";
import { invokeOn, LookupArgsError } from "../lookups";
import { kindOfRequest, lookupOfToken, PACKAGE } from "./tokens";

/**
 * The resource-provider plugin's gRPC service (pulumirpc.ResourceProvider, the protos' generated JS in
 * `@pulumi/pulumi/proto`), serving every kind of provider/kinds.ts through the same glue as the dynamic
 * provider (`runOn`: check, diff, create, read, update, delete, and `lookup` for `pulumi import`). Not
 * `@pulumi/pulumi/provider`'s server: it answers CheckConfig/DiffConfig "unimplemented" and drops
 * Configure's values, and provider configuration is how credentials arrive here.
 *
 * Configuration: the `codearts:` namespace with the dynamic resources' key names and environment
 * fallbacks (config.ts), from stack config (the default provider) or a provider resource's inputs
 * (explicit providers: one process each, so two accounts in one program are two processes).
 *
 * Secrets: Configure answers acceptSecrets=false, so the engine sends plain values and re-marks every
 * output whose input was secret (its annotateSecrets). The plugin marks the kinds' own secret inputs
 * (ResourceKind.secrets) and the provider's secret keys secret in what it returns, whatever arrived; a
 * value that does arrive wrapped (config args, another engine) is unwrapped first, and its key stays
 * secret in the answer.
 */

// The gRPC and protobuf runtimes the protos were generated against: @pulumi/pulumi's own.
const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const grpc = pulumiRequire("@grpc/grpc-js") as typeof grpcTypes;
const structproto = pulumiRequire("google-protobuf/google/protobuf/struct_pb") as typeof import("google-protobuf/google/protobuf/struct_pb");
const emptyproto = pulumiRequire("google-protobuf/google/protobuf/empty_pb") as typeof import("google-protobuf/google/protobuf/empty_pb");
const anyproto = pulumiRequire("google-protobuf/google/protobuf/any_pb") as typeof import("google-protobuf/google/protobuf/any_pb");
const provproto = pulumiRequire("./proto/provider_pb") as typeof provprotoTypes;
const provrpc = pulumiRequire("./proto/provider_grpc_pb") as { ResourceProviderService: grpcTypes.ServiceDefinition };
const plugproto = pulumiRequire("./proto/plugin_pb") as typeof import("@pulumi/pulumi/proto/plugin_pb");
const statusproto = pulumiRequire("./proto/status_pb") as typeof import("@pulumi/pulumi/proto/status_pb");

type Props = Record<string, unknown>;

/** The wire form of a secret (sdk/nodejs/runtime/rpc.ts specialSigKey / specialSecretSig). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

const isSecret = (v: unknown): v is { value: unknown } => typeof v === "object" && v !== null && (v as Props)[SIG_KEY] === SECRET_SIG;

/** The value with every secret wrapper removed. */
export function unwrapSecrets(v: unknown): unknown {
  if (isSecret(v)) return unwrapSecrets(v.value);
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
  return v;
}

function hasSecret(v: unknown): boolean {
  if (isSecret(v)) return true;
  if (Array.isArray(v)) return v.some(hasSecret);
  if (v && typeof v === "object") return Object.values(v).some(hasSecret);
  return false;
}

export const secret = (value: unknown): Props => ({ [SIG_KEY]: SECRET_SIG, value });

/** Plain properties and the top-level keys that held a secret anywhere inside. */
function plain(s: { toJavaScript(): Props } | undefined): { props: Props; secretKeys: Set<string> } {
  const raw = s ? s.toJavaScript() : {};
  return { props: unwrapSecrets(raw) as Props, secretKeys: new Set(Object.keys(raw).filter((k) => hasSecret(raw[k]))) };
}

/** `props` with these keys wrapped as secrets (absent and unknown values left as they are). */
function marked(props: Props, keys: Iterable<string>): Props {
  const out = { ...props };
  for (const k of keys) if (out[k] !== undefined && !containsUnknown(out[k]) && !isSecret(out[k])) out[k] = secret(out[k]);
  return out;
}

const struct = (p: Props) => structproto.Struct.fromJavaScript(p as Parameters<typeof structproto.Struct.fromJavaScript>[0]);

/** Where the package is installed: schema.json and package.json sit there (run from dist/provider/plugin or, under ts-jest, provider/plugin). */
export function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "package.json")) || path.basename(dir) === "dist") {
    const up = path.dirname(dir);
    if (up === dir) throw new Error("pulumi-resource-codearts: cannot find the package's root (package.json)");
    dir = up;
  }
  return dir;
}

export function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}

/** A gRPC error: the message through the one redaction, key names in the plugin's namespace. */
type GrpcError = Partial<grpcTypes.StatusObject> & { code: grpcTypes.status; details?: string; message?: string };

function failure(e: unknown, inputs?: Props): GrpcError {
  const err = e as Error & { id?: string; properties?: Props; reasons?: string[] };
  const message = outgoing(err?.message ?? String(e));
  const metadata = new grpc.Metadata();
  if (err && typeof err.id === "string" && err.id !== "") {
    // Created, but a later step failed: the engine keeps the object (ErrorResourceInitFailed), as the dynamic host does.
    const detail = new provproto.ErrorResourceInitFailed();
    detail.setId(err.id);
    detail.setProperties(struct(err.properties ?? {}));
    detail.setReasonsList((err.reasons ?? [message]).map(outgoing));
    if (inputs) detail.setInputs(struct(inputs));
    const any = new anyproto.Any();
    any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new statusproto.Status();
    status.setCode(grpc.status.UNKNOWN);
    status.setMessage(message);
    status.addDetails(any);
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  }
  return { code: grpc.status.UNKNOWN, details: message, message, metadata };
}

/** Every text leaving the plugin: no configured secret or issued token, config keys named as the plugin's users set them. */
const outgoing = (text: string): string => inNamespace(redactor.text(text), PACKAGE);

const unimplemented = (what: string): GrpcError => ({ code: grpc.status.UNIMPLEMENTED, details: `${what} is not implemented by pulumi-resource-codearts` });

type Call<Req> = grpcTypes.ServerUnaryCall<Req, unknown>;
type Callback = (err: GrpcError | null, value?: unknown) => void;

/** The provider's configuration, key (no namespace) → text as loadSettings reads it, from a provider's inputs. */
function configOf(props: Props): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of CONFIG_KEYS) {
    const v = props[key];
    if (v === undefined || v === null) continue;
    // Stack config arrives as text; a provider resource's typed inputs (a number, the endpoints map) as values.
    out[key] = typeof v === "string" ? v : JSON.stringify(v);
  }
  return out;
}

export interface PluginOptions {
  /** The environment the settings fall back to (HW_*, OS_*). */
  env?: NodeJS.ProcessEnv;
  /** The schema GetSchema answers; default: schema.json at the package's root. */
  schema?: () => string;
}

/** The service's implementation, for `grpc.Server.addService(ResourceProviderService, …)`. */
export function resourceProvider(o: PluginOptions = {}): grpcTypes.UntypedServiceImplementation {
  const env = o.env ?? process.env;
  const sessions = new Sessions(env, PACKAGE);
  let schemaText: string | undefined;
  const schema = o.schema ?? (() => (schemaText ??= fs.readFileSync(path.join(packageRoot(), "schema.json"), "utf8")));

  function kindOf(req: { getType(): string; getUrn(): string }): KindName {
    const kind = kindOfRequest(req.getType(), req.getUrn());
    if (!kind)
      throw new Error(
        `pulumi-resource-codearts: unknown resource type "${req.getType() || req.getUrn()}"; the package's types are codearts:index:<Kind>, one of ${Object.keys(KINDS).join(", ")}`,
      );
    return kind;
  }
  const secretsOf = (kind: KindName): readonly string[] => kindNamed(kind).secrets ?? [];
  const glue = (kind: KindName, method: Parameters<typeof runOn>[2], args: unknown[]) => runOn(sessions, kind, method, args) as Promise<Record<string, unknown>>;

  /** Runs an RPC: its answer, or its error through `failure`. */
  const handle =
    <Req>(fn: (req: Req) => Promise<unknown>, inputsOnError?: (req: Req) => Props) =>
    (call: Call<Req>, callback: Callback) => {
      fn(call.request).then(
        (value) => callback(null, value),
        (e) => callback(failure(e, inputsOnError?.(call.request))),
      );
    };

  return {
    getPluginInfo: handle(async () => {
      const info = new plugproto.PluginInfo();
      info.setVersion(packageVersion());
      return info;
    }),

    getSchema: handle(async (req: provprotoTypes.GetSchemaRequest) => {
      if (req.getVersion() !== 0) throw new Error(`pulumi-resource-codearts: unsupported schema version ${req.getVersion()}`);
      const resp = new provproto.GetSchemaResponse();
      resp.setSchema(schema());
      return resp;
    }),

    /**
     * The provider's configuration, checked as loadSettings checks it (failures name the key); secret
     * keys come back secret even when set in clear. Unknown values (a preview): nothing to check yet.
     */
    checkConfig: handle(async (req: provprotoTypes.CheckRequest) => {
      const { props } = plain(req.getNews());
      const resp = new provproto.CheckResponse();
      const failures: provprotoTypes.CheckFailure[] = [];
      if (!containsUnknown(props)) {
        const config = configOf(props);
        try {
          loadSettings((k) => config[k.slice(PACKAGE.length + 1)], env, PACKAGE);
        } catch (e) {
          const text = outgoing((e as Error).message);
          const f = new provproto.CheckFailure();
          f.setProperty(CONFIG_KEYS.find((k) => text.startsWith(`${PACKAGE}:${k} `)) ?? "");
          f.setReason(text);
          failures.push(f);
        }
      }
      resp.setInputs(struct(marked(props, SECRET_KEYS)));
      resp.setFailuresList(failures);
      return resp;
    }),

    /** A configuration change updates the provider in place: its objects stay where they are (no replacement). */
    diffConfig: handle(async (req: provprotoTypes.DiffRequest) => {
      const olds = configOf(plain(req.getOlds()).props);
      const news = plain(req.getNews()).props;
      const resp = new provproto.DiffResponse();
      if (containsUnknown(news)) {
        resp.setChanges(provproto.DiffResponse.DiffChanges.DIFF_UNKNOWN);
        return resp;
      }
      const next = configOf(news);
      const changed = CONFIG_KEYS.filter((k) => olds[k] !== next[k]);
      resp.setChanges(changed.length ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE);
      resp.setDiffsList(changed);
      for (const k of changed) resp.getDetaileddiffMap().set(k, propertyDiff(olds[k], next[k], false));
      resp.setHasdetaileddiff(true);
      return resp;
    }),

    configure: handle(async (req: provprotoTypes.ConfigureRequest) => {
      const args = req.getArgs();
      let config: Record<string, string>;
      if (args) {
        config = configOf(plain(args).props);
      } else {
        // Engines that send only the deprecated variables: `codearts:config:<key>`.
        config = {};
        req.getVariablesMap().forEach((v: string, k: string) => {
          const key = k.replace(/^codearts:config:/, "").replace(/^codearts:/, "");
          if (CONFIG_KEYS.includes(key)) config[key] = v;
        });
      }
      sessions.configure((k) => config[k.slice(PACKAGE.length + 1)]);
      const resp = new provproto.ConfigureResponse();
      resp.setAcceptsecrets(false);
      resp.setAcceptresources(false);
      resp.setAcceptoutputs(false);
      // No create or update during a preview: a preview makes no API call.
      resp.setSupportspreview(false);
      return resp;
    }),

    check: handle(async (req: provprotoTypes.CheckRequest) => {
      const kind = kindOf(req);
      const news = plain(req.getNews());
      const olds = plain(req.getOlds());
      const result = (await glue(kind, "check", [olds.props, news.props])) as { inputs: Props; failures: { property: string; reason: string }[] };
      const resp = new provproto.CheckResponse();
      resp.setInputs(struct(marked(result.inputs, [...secretsOf(kind), ...news.secretKeys])));
      resp.setFailuresList(
        result.failures.map((f) => {
          const failure = new provproto.CheckFailure();
          failure.setProperty(f.property);
          failure.setReason(outgoing(f.reason));
          return failure;
        }),
      );
      return resp;
    }),

    diff: handle(async (req: provprotoTypes.DiffRequest) => {
      const kind = kindOf(req);
      const olds = plain(req.getOlds()).props;
      const news = plain(req.getNews()).props;
      const result = (await glue(kind, "diff", [req.getId(), olds, news])) as { changes: boolean; replaces: string[]; deleteBeforeReplace: boolean; diffs: string[] };
      const resp = new provproto.DiffResponse();
      resp.setChanges(result.changes ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE);
      resp.setReplacesList(result.replaces);
      resp.setDeletebeforereplace(result.deleteBeforeReplace);
      resp.setDiffsList(result.diffs);
      // Key by key, so a preview names what changes in every language.
      for (const k of result.diffs) resp.getDetaileddiffMap().set(k, propertyDiff(olds[k], news[k], result.replaces.includes(k)));
      resp.setHasdetaileddiff(true);
      return resp;
    }),

    create: handle(
      async (req: provprotoTypes.CreateRequest) => {
        const kind = kindOf(req);
        const inputs = plain(req.getProperties());
        const made = (await glue(kind, "create", [inputs.props])) as { id: string; outs: Props };
        const resp = new provproto.CreateResponse();
        resp.setId(made.id);
        resp.setProperties(struct(marked(made.outs, [...secretsOf(kind), ...inputs.secretKeys])));
        return resp;
      },
      (req) => plain(req.getProperties()).props,
    ),

    read: handle(async (req: provprotoTypes.ReadRequest) => {
      const kind = kindOf(req);
      const state = plain(req.getProperties());
      const inputs = plain(req.getInputs());
      const secretKeys = [...secretsOf(kind), ...state.secretKeys, ...inputs.secretKeys];
      const resp = new provproto.ReadResponse();
      // No state at all: `pulumi import` (or a read of an object by id) — the read by id alone.
      const found =
        Object.keys(state.props).length === 0 && Object.keys(inputs.props).length === 0
          ? ((await glue(kind, "lookup", [req.getId()])) as { id: string; props: Props; inputs: Props } | undefined)
          : ((await glue(kind, "read", [req.getId(), state.props])) as { id: string; props: Props; inputs?: Props });
      if (!found || found.id === "") return resp; // gone: no id, no properties
      resp.setId(found.id);
      resp.setProperties(struct(marked(found.props, secretKeys)));
      if (found.inputs) resp.setInputs(struct(marked(found.inputs, secretKeys)));
      return resp;
    }),

    update: handle(
      async (req: provprotoTypes.UpdateRequest) => {
        const kind = kindOf(req);
        const olds = plain(req.getOlds());
        const news = plain(req.getNews());
        const result = (await glue(kind, "update", [req.getId(), olds.props, news.props])) as { outs: Props };
        const resp = new provproto.UpdateResponse();
        resp.setProperties(struct(marked(result.outs, [...secretsOf(kind), ...olds.secretKeys, ...news.secretKeys])));
        return resp;
      },
      (req) => plain(req.getNews()).props,
    ),

    delete: handle(async (req: provprotoTypes.DeleteRequest) => {
      await glue(kindOf(req), "delete", [req.getId(), plain(req.getProperties()).props]);
      return new emptyproto.Empty();
    }),

    cancel: handle(async () => new emptyproto.Empty()),

    /**
     * The look-ups (provider/lookups): `codearts:index:<name>`, run with the provider's configuration.
     * Bad arguments come back as check failures (the engine names the property); none or several
     * matches, and every API error, as the call's error.
     */
    invoke: (call: Call<provprotoTypes.InvokeRequest>, callback: Callback) => {
      const lookup = lookupOfToken(call.request.getTok());
      if (!lookup) return callback({ code: grpc.status.UNIMPLEMENTED, details: `pulumi-resource-codearts has no function ${call.request.getTok()}` });
      handle(async (req: provprotoTypes.InvokeRequest) => {
        const resp = new provproto.InvokeResponse();
        try {
          resp.setReturn(struct(structSafe(await invokeOn(sessions, lookup, plain(req.getArgs()).props))));
        } catch (e) {
          if (!(e instanceof LookupArgsError)) throw e;
          resp.setFailuresList(
            e.failures.map((f) => {
              const failure = new provproto.CheckFailure();
              failure.setProperty(f.property);
              failure.setReason(outgoing(f.reason));
              return failure;
            }),
          );
        }
        return resp;
      })(call, callback);
    },
    // Left to the engine's fallbacks: no handshake (protocol from Configure), no components, no mappings.
    handshake: (_call: unknown, callback: Callback) => callback(unimplemented("Handshake")),
    parameterize: (_call: unknown, callback: Callback) => callback(unimplemented("Parameterize")),
    construct: (_call: unknown, callback: Callback) => callback(unimplemented("Construct")),
    call: (_call: unknown, callback: Callback) => callback(unimplemented("Call")),
    getMapping: (_call: unknown, callback: Callback) => callback(null, new provproto.GetMappingResponse()),
    getMappings: (_call: unknown, callback: Callback) => callback(null, new provproto.GetMappingsResponse()),
    attach: (_call: unknown, callback: Callback) => callback(null, new emptyproto.Empty()),
  } as unknown as grpcTypes.UntypedServiceImplementation;
}

function propertyDiff(old: unknown, next: unknown, replaces: boolean): provprotoTypes.PropertyDiff {
  const K = provproto.PropertyDiff.Kind;
  const d = new provproto.PropertyDiff();
  const kind =
    old === undefined || old === null
      ? replaces
        ? K.ADD_REPLACE
        : K.ADD
      : next === undefined || next === null
        ? replaces
          ? K.DELETE_REPLACE
          : K.DELETE
        : replaces
          ? K.UPDATE_REPLACE
          : K.UPDATE;
  d.setKind(kind);
  d.setInputdiff(false);
  return d;
}

/**
 * Starts the plugin's server on a free loopback port and answers the port, which the engine reads from
 * the plugin's first line of stdout (main.ts prints it).
 */
export async function serve(o: PluginOptions = {}): Promise<{ port: number; server: grpcTypes.Server }> {
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024, "grpc.max_send_message_length": 400 * 1024 * 1024 });
  server.addService(provrpc.ResourceProviderService, resourceProvider(o));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { port, server };
}

export { UNKNOWN };
