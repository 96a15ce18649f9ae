import { randomBytes } from "node:crypto";

/** A 32-hex identifier, the form of every Huawei Cloud id the APIs show (group, user, request ids). */
export function newHexId(): string {
  return randomBytes(16).toString("hex");
}
