import { ApiClient } from "./client";
import { DEFAULT_NAMESPACE, loadSettings, rememberSecrets, Settings } from "./config";
import type { Context } from "./dynamic";
import { stableJson } from "./dynamic";
import { redactor } from "./redaction";

/**
 * Settings and HTTP client per configuration, safe under the dynamic-provider host's way of calling
 * us: it configures one provider per distinct `__provider` text (one per kind), each the first time
 * that kind is used, so `configure` arrives at any moment, any number of times, while other kinds'
 * operations are in flight (`@pulumi/pulumi/cmd/dynamic-provider` `getProvider`).
 *
 * - The same configuration again changes nothing: the same settings and client (and so the same
 *   cached IAM token and open connections) keep serving.
 * - A different configuration serves every operation that starts afterwards; the previous client
 *   is closed only once the last operation holding it has finished.
 * - An operation holds one session from its first use to its end (a lease), so a multi-request
 *   operation never switches clients halfway.
 * - A configuration that cannot be loaded is kept as an error that every operation reports, naming
 *   the key: a failed configure must not leave the kind running on some other configuration.
 */
class Session {
  private holders = 0;
  private retired = false;
  private client?: ApiClient;
  closed?: Promise<void>;

  constructor(
    readonly fingerprint: string,
    private readonly settings: Settings | Error,
    private readonly log: (m: string) => void,
  ) {}

  hold(): Context {
    if (this.settings instanceof Error) throw this.settings;
    this.holders++;
    this.client ??= new ApiClient(this.settings);
    return { client: this.client, settings: this.settings, log: this.log };
  }

  release(): void {
    this.holders--;
    this.closeIfIdle();
  }

  retire(): void {
    this.retired = true;
    this.closeIfIdle();
  }

  private closeIfIdle(): void {
    if (!this.retired || this.holders > 0 || this.closed) return;
    const client = this.client;
    this.closed = client ? client.close().catch(() => undefined) : Promise.resolve();
  }
}

/** An operation's claim on the session current when it first needs one; `release` when it ends. */
export interface Lease {
  context(): Context;
  release(): void;
}

export class Sessions {
  private current?: Session;

  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    /** The config namespace the settings are read from: `huaweicloud` (dynamic resources) or `codearts` (the plugin). */
    private readonly namespace = DEFAULT_NAMESPACE,
  ) {}

  configure(lookup: (key: string) => string | undefined): void {
    let settings: Settings | Error;
    try {
      settings = loadSettings(lookup, this.env, this.namespace);
    } catch (e) {
      settings = e as Error;
    }
    const fingerprint = settings instanceof Error ? `error:${settings.message}` : stableJson(settings);
    if (this.current?.fingerprint === fingerprint) return;
    if (!(settings instanceof Error)) rememberSecrets(settings); // redaction must cover old and new alike
    this.current?.retire();
    this.current = new Session(fingerprint, settings, (m) => console.error(this.redact(m)));
  }

  lease(): Lease {
    let held: Session | undefined;
    let ctx: Context | undefined;
    return {
      context: () => {
        if (ctx) return ctx;
        // An engine that never calls configure (a direct use of the provider): the environment only.
        if (!this.current) this.configure(() => undefined);
        const session = this.current!;
        ctx = session.hold();
        held = session;
        return ctx;
      },
      release: () => {
        held?.release();
        held = undefined;
        ctx = undefined;
      },
    };
  }

  /** Replaces every secret of every configuration this process has seen, and every IAM token issued to it. */
  redact(text: string): string {
    return redactor.text(text);
  }
}
