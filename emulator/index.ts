/** pulumi-codearts/emulator: a local Huawei Cloud (IAM, CodeArts Pipeline, …) for tests, demos and offline previews. */
export { startEmulator, type Emulator, type EmulatorOptions } from "./server";
export { DEFAULT_ACCOUNT, SECOND_ACCOUNT, loadAccounts, type Account, type IamProject, type IamUser } from "./accounts";
export type { RequestLog, LogEntry, LogFilter } from "./log";
export type { Faults, Fault, FaultRule } from "./faults";
export type { Store, Collection, StoreData } from "./store";
export { clientSettings, stackConfig } from "./clientConfig";
export { seedTestCases, planTestCases, seedCloudTestPermissions } from "./services/cloudtest";
export { putRepositoryFile, projectSuites, API_TEST_SERVICE_ID } from "./services/cloudtestSuites";
export { seedTestEnvironments, seedPlanRequirements, seedPlanJournals } from "./services/cloudtestQueries";
export { holdPipelineRuns } from "./services/pipelines";
export { seedVpcepRecords, vpcepRecords, VPCEP_PATH } from "./services/vpcep";
export { MASK as COC_SENSITIVE_MASK } from "./services/cocScripts";
export { seedCocResources, type CocResourceSeed } from "./services/cocTickets";
