// Huawei Cloud CodeArts Pipeline, CloudTest and COC configuration as code: the resource kinds of pulumi-codearts, served by its resource-provider plugin.
package codearts
