import { ApiClient } from "../provider/client";
import { loadSettings, rememberSecrets, type Settings } from "../provider/config";
import type { Middleware } from "../provider/http";
import { transcribing, type TranscriptSink } from "./transcript";

/**
 * The API client of a command that reports its calls (sweep, conformance): the provider's own client,
 * with every request counted (a retried request once, as the command made it) and, when a transcript
 * is asked for, recorded under the label the command is at (`context`: a row, a kind). The settings'
 * secrets are registered with the one redaction here, so every exit of the command masks them.
 */
export class CommandClient {
  readonly client: ApiClient;
  calls = 0;
  context: string | undefined;

  constructor(settings: Settings, opts: { userAgent: string; transcript?: TranscriptSink }) {
    rememberSecrets(settings);
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

/** A command's settings: the HW_* variables, as the provider reads them; `--endpoint` sends every service to one URL. */
export function commandSettings(endpoint?: string): Settings {
  const settings = loadSettings(() => undefined);
  if (endpoint) settings.endpoints = { ...settings.endpoints, "*": endpoint };
  return settings;
}
