import { z } from "zod";

/**
 * Building blocks of the answer schemas (ApiRequest.answer): what the API references promise a 2xx answer
 * holds. Objects are loose (the services add fields over time); what the provider reads, records or
 * takes as an id is required with its documented type and form. Per-kind schemas live in the kind's
 * file. The transport has already refused anything that is not JSON.
 */

/** Any JSON: only for answers the provider takes nothing from and whose shape the reference leaves open. */
export const anyJson = z.unknown();

/** The bare `true` most §4.9 writes answer (CodeArts Pipeline API Reference §4.9). */
export const isTrue = z.literal(true, { error: "must be true, the documented answer" });

/** `{"success": true}`: the Pipeline group and pipeline writes (CodeArts Pipeline API Reference §4.2, §4.3). */
export const successTrue = z.looseObject({ success: z.literal(true, { error: "must be true" }) });

/** `{"status": true, "<what>_id": id}`: the policy writes (CodeArts Pipeline API Reference §4.4–§4.8). */
export const statusTrueWith = (idKey: string) => z.looseObject({ status: z.literal(true, { error: "must be true" }), [idKey]: hexId });

/** A 32 lower-case hexadecimal id, the form of CodeArts object ids. */
export const hexId = z.string().regex(/^[0-9a-f]{32}$/, "must be a 32-character hexadecimal id");

/** Text the service may answer as null (unset). */
export const nullableText = z.string().nullish();

/** A JSON object with at least these fields. */
export const object = <S extends z.ZodRawShape>(shape: S) => z.looseObject(shape);

/** An array (a listing page); `null` reads as empty only where the reference's examples show it. */
export const arrayOf = <T extends z.ZodType>(item: T) => z.array(item);

/** COC success bodies: `{"data": …}` (Cloud Operations Center (COC) API Reference examples). */
export const cocData = <T extends z.ZodType>(data: T) => z.looseObject({ data });
