export {
  UNKNOWN, SECRET_SIG_KEY, SECRET_SIG, REPO_ROOT, InitFailedError, RpcError, ProviderHost, urnFor, typeToken, methodPath, requestJson,
  configureRequest, nameType,
} from "./host";
export type { ConfigValue, CheckFailure, DiffResult, Method } from "./host";
export { serializedProvider, serializedNoopProvider, serializeProvider, serializeNoopProvider } from "./serialize";
export type { SerializedProvider } from "./serialize";
export { Engine, deepEqual } from "./engine";
export type { ResourceState, StepResult, TraceEntry } from "./engine";
export type { DeploymentResult } from "./engine";
export { ProgramStack } from "./stack";
