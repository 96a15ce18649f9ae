import { z } from "zod";

/** A 32-character lower-case hexadecimal id, the form of every CodeArts project, account and object id. */
export const hex32 = (what: string) =>
  z.string().regex(/^[0-9a-f]{32}$/, `must be a ${what}: 32 lower-case hexadecimal characters`);
