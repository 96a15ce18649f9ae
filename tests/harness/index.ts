export {
  UNKNOWN,
  SECRET_SIG_KEY,
  SECRET_SIG,
  REPO_ROOT,
  InitFailedError,
  RpcError,
  ProviderHost,
  urnFor,
  typeToken,
  methodPath,
  requestJson,
  configureRequest,
  nameType,
} from "./host";
export type { ConfigValue, CheckFailure, DiffResult, Method } from "./host";
export { serializedProvider, serializedNoopProvider, serializeProvider, serializeNoopProvider, serializeShim } from "./serialize";
export type { SerializedProvider } from "./serialize";
/**
 * The engine stand-in: Pulumi's step generator and executor imitated for speed (the fault matrix, the
 * kinds' lifecycle tests, the scale run, a program's provider calls). It makes provider RPCs and keeps
 * state; it makes no engine events. tests/engine/standIn.test.ts proves its calls, their order and its
 * state against the real CLI (Pulumi v3.277.0, built from source) on the same program.
 */
export { Engine, deepEqual, deleteWaves } from "./engine";
export type { ResourceState, StepResult, TraceEntry } from "./engine";
export type { DeploymentResult } from "./engine";
/** A whole program on the stand-in, operation after operation (proved likewise). */
export { ProgramStack } from "./stack";
/** The stand-in's and the real CLI's provider RPCs side by side (PULUMI_DEBUG_GRPC), for that proof. */
export { readGrpcLog, fromStandIn, compareTraces, orderProblems, scheduleDeletes, Minted } from "./rpcTrace";
export type { Rpc, OperationKind } from "./rpcTrace";
