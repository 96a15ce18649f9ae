import type { Dialect } from "./dialects";
import type { AccountDirectory } from "./accounts";
import type { Caller } from "./auth";
import type { Store } from "./store";
import type { TokenStore } from "./tokens";

/**
 * The route table. Each emulated service registers its APIs here from its own file
 * (services/*.ts): `router.route("POST", "/v5/{project_id}/api/pipeline-group/create", "PipelineGroup.create", handler)`.
 * A pattern is matched segment by segment against the decoded request path; `{name}` matches one
 * non-empty segment. When several patterns match, the one with a literal segment earliest wins,
 * so `/pipelines/list` beats `/pipelines/{pipeline_id}`.
 */

export interface Reply {
  status: number;
  /** Serialised with JSON.stringify; undefined sends an empty body. */
  body?: unknown;
  /** Sent as it is instead of `body`: a gateway's or proxy's page that is not JSON, or JSON that JSON.stringify cannot say (integers beyond 2^53). */
  raw?: string;
  headers?: Record<string, string>;
}

/** What every handler is given. */
export interface RequestContext {
  method: string;
  /** The path as sent on the wire. */
  path: string;
  /** Decoded path parameters, by the names in the pattern. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** Lower-case names. */
  headers: Record<string, string>;
  rawBody: Buffer;
  requestId: string;
  now: Date;
  store: Store;
  accounts: AccountDirectory;
  tokens: TokenStore;
  /** The readings of the docs' ambiguous passages this emulator speaks (dialects.ts). */
  dialect: Dialect;
}

/** The context of an authenticated API: who is calling. */
export interface CallerContext extends RequestContext {
  caller: Caller;
}

export type Handler = (ctx: CallerContext) => Reply | Promise<Reply>;
export type PublicHandler = (ctx: RequestContext) => Reply | Promise<Reply>;

type Segment = { literal: string } | { param: string };

interface RouteBase {
  method: string;
  /** As registered; fault rules may name it. */
  pattern: string;
  /** "PipelineGroup.create": recorded in the request log. */
  operation: string;
  segments: Segment[];
}

export type Route = (RouteBase & { public: false; handler: Handler }) | (RouteBase & { public: true; handler: PublicHandler });

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

function compile(pattern: string): Segment[] {
  if (!pattern.startsWith("/")) throw new Error(`route pattern must start with "/": ${pattern}`);
  return pattern.split("/").map((s) => {
    const m = /^\{([a-z_][a-z0-9_]*)\}$/i.exec(s);
    return m ? { param: m[1] } : { literal: s };
  });
}

function decodeSegments(path: string): string[] | undefined {
  try {
    return path.split("/").map(decodeURIComponent);
  } catch {
    return undefined; // malformed %-escape: no API has such a path
  }
}

function bind(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    if ("literal" in s) {
      if (s.literal !== parts[i]) return undefined;
    } else {
      if (parts[i] === "") return undefined;
      params[s.param] = parts[i];
    }
  }
  return params;
}

/** "LLPL…": literal segments sort before parameters, so the smallest shape is the most specific. */
const shape = (r: Route): string => r.segments.map((s) => ("literal" in s ? "L" : "P")).join("");

export class Router {
  private readonly routes: Route[] = [];

  /** An API behind IAM authentication; the handler learns the caller. */
  route(method: string, pattern: string, operation: string, handler: Handler): void {
    this.add({ method: method.toUpperCase(), pattern, operation, segments: compile(pattern), public: false, handler });
  }

  /** An API that needs no authentication (IAM's token issuing is the only one). */
  publicRoute(method: string, pattern: string, operation: string, handler: PublicHandler): void {
    this.add({ method: method.toUpperCase(), pattern, operation, segments: compile(pattern), public: true, handler });
  }

  /**
   * The route for a request, or why there is none: "no-api" (no such path) or "no-method" (the path
   * exists with other methods); the gateway answers both with APIG.0101, in different words.
   */
  match(method: string, rawPath: string): RouteMatch | "no-api" | "no-method" {
    const parts = decodeSegments(rawPath);
    if (!parts) return "no-api";
    let best: RouteMatch | undefined;
    let pathExists = false;
    for (const route of this.routes) {
      const params = bind(route.segments, parts);
      if (!params) continue;
      pathExists = true;
      if (route.method !== method.toUpperCase()) continue;
      if (!best || shape(route) < shape(best.route)) best = { route, params };
    }
    return best ?? (pathExists ? "no-method" : "no-api");
  }

  private add(route: Route): void {
    if (this.routes.some((r) => r.method === route.method && r.pattern === route.pattern)) {
      throw new Error(`route registered twice: ${route.method} ${route.pattern}`);
    }
    this.routes.push(route);
  }
}
