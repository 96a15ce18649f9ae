import { randomBytes } from "node:crypto";
import { basename, extname } from "node:path";

/** Content types of the image files an icon upload may carry; anything else goes as octet-stream. */
const IMAGE_TYPES: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".bmp": "image/bmp",
  ".webp": "image/webp",
};

/**
 * A multipart/form-data body (RFC 7578) with one file part, for `ApiRequest.rawBody`. Built in
 * memory, so the AK/SK signature covers the exact bytes sent.
 */
export function multipartFile(field: string, fileName: string, data: Buffer): { contentType: string; data: Buffer } {
  const boundary = `----pulumi-codearts-${randomBytes(12).toString("hex")}`;
  // RFC 7578 §4.2: quote the name; a quote or line break in it would end the header early.
  const safeName = basename(fileName)
    .replace(/"/g, "%22")
    .replace(/[\r\n]/g, " ");
  const type = IMAGE_TYPES[extname(safeName).toLowerCase()] ?? "application/octet-stream";
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${safeName}"\r\nContent-Type: ${type}\r\n\r\n`;
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    data: Buffer.concat([Buffer.from(head, "utf8"), data, Buffer.from(`\r\n--${boundary}--\r\n`, "utf8")]),
  };
}
