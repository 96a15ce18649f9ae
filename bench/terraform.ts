/**
 * API calls per operation of the Huawei Cloud Terraform provider, counted from its source: tag v1.97.1
 * (commit 8edf65f49d956f5c5ba4eb08b359d6f1f0828df0), huaweicloud/services/codeartspipeline and coc.
 * Each count is the `client.Request` calls of the resource's function, Create and Update including the
 * Read they end with (as `terraform apply` runs them); login and client setup are not counted. No resource
 * lists before a create or checks a group is empty before its delete; none exists for rule sets,
 * open-source policies, CloudTest, VPC-endpoint access control or API test suites.
 */
export const TERRAFORM_VERSION = "1.97.1";

export interface TerraformCount {
  resource: string;
  create?: number | string;
  read?: number | string;
  update?: number | string;
  delete?: number | string;
  /** Per create variant of bench/callsPerKind.ts (the kinds harness's step `what`): the counts Terraform has for that variant. */
  variants?: Record<string, Partial<Record<TerraformOp, number | string>>>;
}
export type TerraformOp = "create" | "read" | "update" | "delete";

export const TERRAFORM_CALLS: Record<string, TerraformCount> = {
  PipelineGroup: { resource: "huaweicloud_codearts_pipeline_group", create: 2, read: 1, update: 2, delete: 1 },
  PipelineTemplate: { resource: "huaweicloud_codearts_pipeline_template", create: 2, read: 1, update: 2, delete: 1 },
  // codearts_pipeline (a definition) and codearts_pipeline_by_template (§4.2.8) make the same calls: create, then a Read of 5 GETs.
  Pipeline: { resource: "huaweicloud_codearts_pipeline", create: 6, read: 5, update: 6, delete: 1 },
  Publisher: { resource: "huaweicloud_codearts_pipeline_publisher", create: "2 + pages (≥ 3)", read: 1, update: "— (replaces)", delete: 1 },
  Plugin: { resource: "huaweicloud_codearts_pipeline_basic_plugin", create: 2, read: 1, update: 2, delete: 1 },
  // `is_formal = true` creates the version with one POST agent-plugin/create (§4.9.1, the body of create-draft),
  // then the Read: detail and query-all. The same 3 as a draft's create (create-draft, then the Read).
  PluginVersion: {
    resource: "huaweicloud_codearts_pipeline_plugin_version",
    create: 3,
    read: 2,
    update: "3–5",
    delete: 1,
    variants: { published: { create: 3, read: 2 } },
  },
  Rule: { resource: "huaweicloud_codearts_pipeline_rule", create: 3, read: 2, update: 3, delete: 1 },
  Script: { resource: "huaweicloud_coc_script", create: 2, read: 1, update: 2, delete: 1 },
  ScriptRun: { resource: "huaweicloud_coc_script_execute", create: "4 + polls", read: 1, update: "— (replaces)", delete: "0 or 1 (cancel)" },
};

/** Terraform's count for `op` of `kind`, or of one of its create variants (none unless bench/terraform.ts gives it). */
export function terraformCount(kind: string, op: TerraformOp, variant?: string): number | string | undefined {
  const k = TERRAFORM_CALLS[kind];
  return variant === undefined ? k?.[op] : k?.variants?.[variant]?.[op];
}

/** The count as a number where it is one (for "at or below" comparisons), else undefined. */
export function terraformNumber(kind: string, op: TerraformOp, variant?: string): number | undefined {
  const v = terraformCount(kind, op, variant);
  return typeof v === "number" ? v : undefined;
}
