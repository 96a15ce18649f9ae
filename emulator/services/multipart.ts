/** One part of a multipart/form-data body (RFC 7578). */
export interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/**
 * The parts of a multipart/form-data request, or undefined when the request is not one or is
 * malformed (no boundary, no closing delimiter, a part without a form-data name).
 */
export function parseMultipart(contentType: string | undefined, body: Buffer): FormPart[] | undefined {
  if (!contentType || !/^multipart\/form-data\b/i.test(contentType)) return undefined;
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) return undefined;
  for (;;) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString() === "--") return parts; // closing delimiter
    if (body.subarray(at, at + 2).toString() !== "\r\n") return undefined;
    const headerEnd = body.indexOf("\r\n\r\n", at + 2);
    const next = body.indexOf(Buffer.concat([Buffer.from("\r\n"), delimiter]), at + 2);
    if (headerEnd < 0 || next < 0 || headerEnd > next) return undefined;
    const headers = body
      .subarray(at + 2, headerEnd)
      .toString("utf8")
      .split("\r\n");
    const disposition = headers.find((h) => /^content-disposition:/i.test(h)) ?? "";
    const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) return undefined;
    const filename = /;\s*filename="([^"]*)"/i.exec(disposition)?.[1];
    const type = headers.find((h) => /^content-type:/i.test(h))?.replace(/^content-type:\s*/i, "");
    parts.push({ name, filename, contentType: type, data: body.subarray(headerEnd + 4, next) });
    at = next + 2;
  }
}
