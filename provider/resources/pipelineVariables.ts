import { z } from "zod";
import { camelKeys, int32, snakeKeys } from "./common";

/**
 * CustomVariable, the pipeline parameter of templates (CodeArts Pipeline API Reference Tables 4-10, 4-15) and pipelines
 * (Table 4-92, and Table 4-84 when a pipeline is created from a template). Every field is optional;
 * the tables give only types. `limits` is an array of objects in CustomVariable and an array of
 * strings in Table 4-84, so the caller chooses it.
 */
export const customVariable = <L extends z.ZodType>(limit: L) =>
  z.strictObject({
    pipelineId: z.string().optional(),
    name: z.string().optional(),
    sequence: int32.optional(),
    type: z.string().optional(),
    /** Default value; for a secret parameter, give it as a Pulumi secret so state keeps it encrypted. */
    value: z.string().optional(),
    isSecret: z.boolean().optional(),
    description: z.string().optional(),
    isRuntime: z.boolean().optional(),
    limits: z.array(limit).optional(),
    isReset: z.boolean().optional(),
    latestValue: z.string().optional(),
    runtimeValue: z.string().optional(),
  });

/** A `limits` item of CustomVariable: "Array of objects". */
export const limitObject = z.record(z.string(), z.unknown(), { error: "must be an object (CustomVariable limits are an array of objects)" });

export type Variable = Record<string, unknown>;

export const variablesToApi = (vars: readonly Variable[] | undefined): Variable[] | undefined => vars?.map(snakeKeys);

/** As the API returns them (null for every field not set) → the declared form; none → undefined, as declared. */
export function variablesFromApi(vars: unknown): Variable[] | undefined {
  if (!Array.isArray(vars) || vars.length === 0) return undefined;
  return vars.map((v) => camelKeys(v as Variable));
}
