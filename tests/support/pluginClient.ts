import { createRequire } from "module";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as provprotoTypes from "@pulumi/pulumi/proto/provider_pb";
import { serve } from "../../provider/plugin/server";

/**
 * A client of the resource-provider plugin's gRPC service (provider/plugin/server.ts), started in this
 * process: each RPC as the engine makes it, answers as plain values. `closeAll` stops every server and
 * client made.
 */
const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const grpc = pulumiRequire("@grpc/grpc-js") as typeof grpcTypes;
const structproto = pulumiRequire("google-protobuf/google/protobuf/struct_pb") as typeof import("google-protobuf/google/protobuf/struct_pb");
export const emptyproto = pulumiRequire("google-protobuf/google/protobuf/empty_pb") as typeof import("google-protobuf/google/protobuf/empty_pb");
export const provproto = pulumiRequire("./proto/provider_pb") as typeof provprotoTypes;
const provrpc = pulumiRequire("./proto/provider_grpc_pb") as { ResourceProviderClient: new (addr: string, creds: grpcTypes.ChannelCredentials) => grpcTypes.Client };

export type Props = Record<string, unknown>;
export const urnOf = (type: string, name: string) => `urn:pulumi:dev::plugin-test::${type}::${name}`;

const servers: grpcTypes.Server[] = [];
const clients: grpcTypes.Client[] = [];

export function closeAll(): void {
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) s.forceShutdown();
}

/** A plugin server and a client calling it; each RPC as a promise. */
export async function plugin(env: NodeJS.ProcessEnv = {}) {
  const { port, server } = await serve({ env });
  servers.push(server);
  const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  clients.push(client);
  const rpc = <T>(method: string, req: unknown): Promise<T> =>
    new Promise((resolve, reject) =>
      (client as unknown as Record<string, (r: unknown, cb: (e: Error | null, v: T) => void) => void>)[method](req, (e, v) => (e ? reject(e) : resolve(v))),
    );
  const struct = (p: Props) => structproto.Struct.fromJavaScript(p as Parameters<typeof structproto.Struct.fromJavaScript>[0]);
  const js = (s: { toJavaScript(): Props } | undefined) => (s ? s.toJavaScript() : undefined);

  return {
    rpc,
    async checkConfig(news: Props, olds: Props = {}) {
      const req = new provproto.CheckRequest();
      req.setUrn(urnOf("pulumi:providers:codearts", "default"));
      req.setType("pulumi:providers:codearts");
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      const resp = await rpc<provprotoTypes.CheckResponse>("checkConfig", req);
      return { inputs: js(resp.getInputs())!, failures: resp.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })) };
    },
    async diffConfig(olds: Props, news: Props) {
      const req = new provproto.DiffRequest();
      req.setUrn(urnOf("pulumi:providers:codearts", "default"));
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      const resp = await rpc<provprotoTypes.DiffResponse>("diffConfig", req);
      return diffOf(resp);
    },
    async configure(args: Props | undefined, variables: Record<string, string> = {}) {
      const req = new provproto.ConfigureRequest();
      if (args) req.setArgs(struct(args));
      for (const [k, v] of Object.entries(variables)) req.getVariablesMap().set(k, v);
      req.setAcceptsecrets(true);
      const resp = await rpc<provprotoTypes.ConfigureResponse>("configure", req);
      return { acceptSecrets: resp.getAcceptsecrets(), supportsPreview: resp.getSupportspreview() };
    },
    async check(type: string, news: Props, olds: Props = {}) {
      const req = new provproto.CheckRequest();
      req.setUrn(urnOf(type, "r"));
      req.setType(type);
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      const resp = await rpc<provprotoTypes.CheckResponse>("check", req);
      return { inputs: js(resp.getInputs())!, failures: resp.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })) };
    },
    async diff(type: string, id: string, olds: Props, news: Props) {
      const req = new provproto.DiffRequest();
      req.setUrn(urnOf(type, "r"));
      req.setType(type);
      req.setId(id);
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      return diffOf(await rpc<provprotoTypes.DiffResponse>("diff", req));
    },
    async create(type: string, props: Props) {
      const req = new provproto.CreateRequest();
      req.setUrn(urnOf(type, "r"));
      req.setType(type);
      req.setProperties(struct(props));
      const resp = await rpc<provprotoTypes.CreateResponse>("create", req);
      return { id: resp.getId(), outs: js(resp.getProperties())! };
    },
    async read(type: string, id: string, props: Props = {}, inputs: Props = {}) {
      const req = new provproto.ReadRequest();
      req.setUrn(urnOf(type, "r"));
      req.setType(type);
      req.setId(id);
      req.setProperties(struct(props));
      req.setInputs(struct(inputs));
      const resp = await rpc<provprotoTypes.ReadResponse>("read", req);
      return { id: resp.getId(), props: js(resp.getProperties()), inputs: js(resp.getInputs()) };
    },
    async update(type: string, id: string, olds: Props, news: Props) {
      const req = new provproto.UpdateRequest();
      req.setUrn(urnOf(type, "r"));
      req.setType(type);
      req.setId(id);
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      return js((await rpc<provprotoTypes.UpdateResponse>("update", req)).getProperties())!;
    },
    async delete(type: string, id: string, props: Props) {
      const req = new provproto.DeleteRequest();
      req.setUrn(urnOf(type, "r"));
      req.setType(type);
      req.setId(id);
      req.setProperties(struct(props));
      await rpc("delete", req);
    },
  };
}

export function diffOf(resp: provprotoTypes.DiffResponse) {
  const kinds = Object.fromEntries(Object.entries(provproto.PropertyDiff.Kind).map(([k, v]) => [v, k]));
  const detailed: Record<string, string> = {};
  resp.getDetaileddiffMap().forEach((d: provprotoTypes.PropertyDiff, k: string) => (detailed[k] = kinds[d.getKind()] as string));
  const C = provproto.DiffResponse.DiffChanges;
  return {
    changes: resp.getChanges() === C.DIFF_SOME ? "some" : resp.getChanges() === C.DIFF_NONE ? "none" : "unknown",
    replaces: resp.getReplacesList(),
    diffs: resp.getDiffsList(),
    deleteBeforeReplace: resp.getDeletebeforereplace(),
    detailed,
    hasDetailedDiff: resp.getHasdetaileddiff(),
  };
}

export type PluginClient = Awaited<ReturnType<typeof plugin>>;
