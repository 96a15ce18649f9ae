import * as fs from "fs";
import type { Middleware } from "../provider/http";
import { ApiError } from "../provider/errors";
import { redactor } from "../provider/redaction";

/**
 * A transcript of every request a command makes and the answer it got, one JSON object a line, for a
 * user to attach to a report. It is taken outermost, before authentication adds its headers, so no
 * signature or token is ever in it; and every entry leaves through the one redaction (a secret the
 * service echoes is masked like everywhere else).
 */
export interface TranscriptEntry {
  /** What the request was for, e.g. the conformance row "L2" or the sweeper's kind. */
  context?: string;
  operation: string;
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  status?: number;
  requestId?: string;
  answer?: unknown;
  error?: string;
  ms: number;
}

export type TranscriptSink = (entry: TranscriptEntry) => void;

/** Records each request and its answer (or the error) into `sink`, redacted; `context()` labels it. */
export function transcribing(sink: TranscriptSink, context: () => string | undefined = () => undefined): Middleware {
  return (next) => async (req) => {
    const started = Date.now();
    const base = {
      context: context(),
      operation: req.api.operation,
      method: req.api.method,
      path: req.url.pathname,
      ...(req.query.length ? { query: Object.fromEntries(req.query) } : {}),
      ...(req.api.body !== undefined ? { body: req.api.body } : req.api.rawBody ? { body: `<${req.api.rawBody.contentType}, ${req.api.rawBody.data.length} bytes>` } : {}),
    };
    try {
      const res = await next(req);
      sink(redactor.value({ ...base, status: res.status, requestId: res.requestId, answer: res.body, ms: Date.now() - started }));
      return res;
    } catch (e) {
      const fields = e instanceof ApiError ? { status: e.status, requestId: e.requestId, answer: e.body } : {};
      sink(redactor.value({ ...base, ...fields, error: (e as Error).message, ms: Date.now() - started }));
      throw e;
    }
  };
}

/** A sink that appends JSON lines to a file (created or truncated when opened). */
export function fileSink(file: string): TranscriptSink {
  fs.writeFileSync(file, "");
  return (entry) => fs.appendFileSync(file, JSON.stringify(entry) + "\n");
}
