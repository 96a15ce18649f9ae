import { ApiClient } from "../provider/client";
import type { Settings } from "../provider/config";
import type { Middleware } from "../provider/http";
import { transcribing, type TranscriptSink } from "./transcript";

/**
 * The API client of a command that reports its calls (sweep, conformance): the provider's own client,
 * with every request counted (a retried request once, as the command made it) and, when a transcript
 * is asked for, recorded under the label the command is at (`context`: a row, a kind).
 */
export class CommandClient {
  readonly client: ApiClient;
  calls = 0;
  context: string | undefined;

  constructor(settings: Settings, opts: { userAgent: string; transcript?: TranscriptSink }) {
    const counting: Middleware = (next) => (req) => {
      this.calls++;
      return next(req);
    };
    const middleware: Middleware[] = [counting];
    if (opts.transcript) middleware.unshift(transcribing(opts.transcript, () => this.context));
    this.client = new ApiClient(settings, { middleware, userAgent: opts.userAgent });
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
