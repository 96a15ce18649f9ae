import type { Reading } from "./dialects";
import type { Reply } from "./router";

/**
 * Answers that API Gateway (APIG), not the service behind it, gives. Codes and messages follow
 * the APIG "Error Codes" table (usermanual-apig) and its FAQ "Common Errors Related to IAM
 * Authentication Information"; the API references only say that such codes exist (CodeArts Pipeline API Reference §5.2). The
 * gateway always puts the request id in its error bodies.
 *
 * The API references and the signing guide spell the prefix "APIGW", the APIG table "APIG"; live gateways
 * answer with either depending on the region. The emulator uses "APIG" throughout.
 */
export function gatewayError(status: number, code: string, message: string, requestId: string, headers?: Record<string, string>): Reply {
  return { status, headers, body: { error_msg: message, error_code: code, request_id: requestId } };
}

/**
 * "No such API" as the gateway says it, in the reading of row G1 (dialects.ts): `APIG.0101` (the APIG
 * table), `APIGW.0101` (the references' prefix), a bare 404 or an HTML page (a proxy or load balancer in front).
 */
function noSuchApi(message: string, requestId: string, reading: Reading<"G1">): Reply {
  switch (reading) {
    case "apigw":
      return gatewayError(404, "APIGW.0101", message, requestId);
    case "bare":
      return { status: 404, raw: "" };
    case "html":
      return { status: 404, raw: "<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>", headers: { "Content-Type": "text/html" } };
    default:
      return gatewayError(404, "APIG.0101", message, requestId);
  }
}

export const apiNotFound = (requestId: string, reading: Reading<"G1"> = "apig"): Reply =>
  noSuchApi("The API does not exist or has not been published in the environment.", requestId, reading);

/** The path is an API, the method is not (same code, shorter message, in the APIG table). */
export const methodNotFound = (requestId: string, reading: Reading<"G1"> = "apig"): Reply => noSuchApi("The API does not exist.", requestId, reading);

export const incorrectIamAuthentication = (detail: string, requestId: string): Reply =>
  gatewayError(401, "APIG.0301", `Incorrect IAM authentication information: ${detail}`, requestId);

export const tokenMustBeUpdated = (requestId: string): Reply => gatewayError(401, "APIG.0307", "The token must be updated.", requestId);

export const throttled = (retryAfterSeconds: number, requestId: string): Reply =>
  gatewayError(429, "APIG.0308", "The throttling threshold has been reached.", requestId, { "Retry-After": String(retryAfterSeconds) });

/**
 * A failing backend as the gateway reports it (APIG / ROMA APIC tables): 504 is "Backend timeout."
 * (APIG.0203); the tables have no row for a backend answering 500 or 503, so those, like 502, are
 * "Backend unavailable." (APIG.0202).
 */
export function backendFailure(status: number, requestId: string): Reply {
  return status === 504 ? gatewayError(504, "APIG.0203", "Backend timeout.", requestId) : gatewayError(status, "APIG.0202", "Backend unavailable.", requestId);
}
