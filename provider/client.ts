import { Agent } from "undici";
import type { z } from "zod";
import { akskAuth, TokenSource, tokenAuth } from "./auth";
import { authMode, Settings } from "./config";
import { resolveEndpoint, Service } from "./endpoints";
import { ConfigError } from "./errors";
import { accountId } from "./segments";
import { ApiRequest, ApiResponse, buildWireRequest, compose, errorDetection, Handler, Middleware, newAgent, undiciTransport } from "./http";
import { defaultRetryPolicy, retry, RetryPolicy } from "./retry";
import { sharedReads } from "./sharedReads";

export interface ClientOptions {
  clock?: () => Date;
  retryPolicy?: Partial<RetryPolicy>;
  /** Extra middleware, outermost first (e.g. request tracing in tests and benchmarks). */
  middleware?: Middleware[];
  userAgent?: string;
}

/** A request whose 2xx answer is checked against what the reference promises: the only kind resource code may send. */
export type CheckedRequest = ApiRequest & { answer: z.ZodType };

/** What resource kinds see of the client: every request declares its answer schema (http.ts errorDetection). */
export interface ServiceClient {
  send<T = unknown>(api: CheckedRequest): Promise<ApiResponse<T>>;
  domainId(): Promise<string>;
}

/** The API client every resource kind uses. Credentials stay inside; only settings names reach errors. */
export class ApiClient implements ServiceClient {
  private readonly agent: Agent = newAgent();
  private readonly handler: Handler;
  private readonly tokens?: TokenSource;
  private readonly userAgent: string;

  constructor(
    readonly settings: Settings,
    opts: ClientOptions = {},
  ) {
    const clock = opts.clock ?? (() => new Date());
    this.userAgent = opts.userAgent ?? "pulumi-codearts";
    const transport = undiciTransport(this.agent, settings.requestTimeoutMs);
    const policy = { ...defaultRetryPolicy(settings.maxRetries), ...opts.retryPolicy };
    let auth: Middleware;
    if (authMode(settings) === "aksk") {
      auth = akskAuth(settings, clock);
    } else {
      const iam = compose([retry(policy), errorDetection], transport);
      this.tokens = new TokenSource(settings, iam, () => this.baseUrl("iam"), clock);
      auth = tokenAuth(this.tokens);
    }
    // Shared reads outside retry: identical concurrent reads share one request with its retries (sharedReads.ts).
    this.handler = compose([...(opts.middleware ?? []), sharedReads(), retry(policy), auth, errorDetection], transport);
  }

  baseUrl(service: Service): string {
    return resolveEndpoint(service, this.settings.region ?? "", this.settings.endpoints, this.settings.authUrl);
  }

  async send<T = unknown>(api: ApiRequest): Promise<ApiResponse<T>> {
    const wire = buildWireRequest(api, { baseUrl: (s) => this.baseUrl(s), timeoutMs: this.settings.requestTimeoutMs, userAgent: this.userAgent });
    return (await this.handler(wire)) as ApiResponse<T>;
  }

  /** The account (domain) id used in Pipeline paths: configured, or learnt from the IAM token. */
  async domainId(): Promise<string> {
    if (this.settings.domainId) return this.settings.domainId; // checked at configure
    const fromToken = this.tokens && (await this.tokens.get()).domainId;
    if (fromToken) return accountId(fromToken, "the account id in the IAM token (user.domain.id)");
    throw new ConfigError("huaweicloud:domainId (or HW_DOMAIN_ID) is required: the Pipeline APIs address the account by its id");
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
