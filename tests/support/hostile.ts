import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * A local server that gives one bad answer to every request: what a wrong endpoint, a proxy, a
 * captive portal, a broken or hostile service answers. Every request it saw is kept (method, path,
 * headers), so a test can prove both that a request reached it and what it carried.
 */
export const HOSTILE_ANSWERS = [
  "404 APIG.0101",
  "404 APIGW.0101",
  "404 bare",
  "404 HTML",
  "200 HTML",
  "200 {}",
  "200 invalid JSON",
  "200 null",
  "200 DEVPIPE.00011412 (project not found, or not yours)",
  "huge body (200 MB)",
  "dribbled body (1 byte / 200 ms)",
  "silent port",
  "302 to another host",
  "401 echoing the canonical request",
] as const;
export type HostileAnswer = (typeof HOSTILE_ANSWERS)[number];

export interface Seen {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

export class HostileServer {
  mode: HostileAnswer = "404 bare";
  readonly seen: Seen[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Bytes of the huge answer actually written: proves the client stopped reading early. */
  hugeBytesWritten = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<HostileServer> {
    let self: HostileServer | undefined = undefined; // the request handler reads it and is made first: not a const
    const server = createServer((req, res) => self!.answer(req, res));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    self = new HostileServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on("connection", (s) => {
      self!.sockets.add(s);
      s.on("close", () => self!.sockets.delete(s));
    });
    return self;
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    this.seen.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers });
    req.resume();
    const json = (status: number, body: string, type = "application/json;charset=UTF-8") => {
      res.writeHead(status, { "content-type": type, "x-request-id": "hostile-request-id" });
      res.end(body);
    };
    switch (this.mode) {
      case "404 APIG.0101":
        return json(404, JSON.stringify({ error_code: "APIG.0101", error_msg: "The API does not exist or has not been published in the environment.", request_id: "r1" }));
      case "404 APIGW.0101":
        return json(404, JSON.stringify({ error_code: "APIGW.0101", error_msg: "The API does not exist.", request_id: "r1" }));
      case "404 bare":
        res.writeHead(404);
        return void res.end();
      case "404 HTML":
        return json(404, "<html><body>Not Found</body></html>", "text/html");
      case "200 HTML":
        return json(200, "<html>login</html>", "text/html");
      case "200 {}":
        return json(200, "{}");
      case "200 invalid JSON":
        return json(200, '{"id": "');
      case "200 null":
        return json(200, "null");
      case "200 DEVPIPE.00011412 (project not found, or not yours)":
        return json(200, JSON.stringify({ error_code: "DEVPIPE.00011412", error_msg: "The project does not exist." }));
      case "huge body (200 MB)": {
        res.writeHead(200, { "content-type": "application/json", "content-length": String(200 * 1024 * 1024) });
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        let left = 200;
        const pump = () => {
          while (left > 0 && !res.destroyed) {
            left--;
            this.hugeBytesWritten += chunk.length;
            if (!res.write(chunk)) return void res.once("drain", pump);
          }
          if (left === 0) res.end();
        };
        res.on("close", () => (left = 0));
        return pump();
      }
      case "dribbled body (1 byte / 200 ms)": {
        res.writeHead(200, { "content-type": "application/json" });
        res.write("[");
        const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write(" ")), 200);
        this.timers.add(t);
        return;
      }
      case "silent port":
        return; // accepted, never answered
      case "302 to another host":
        res.writeHead(302, { location: "http://127.0.0.2:9/elsewhere" });
        return void res.end();
      case "401 echoing the canonical request": {
        // As APIG does (the signing guide's FAQ): the canonical request, with every signed header's value.
        const canonical = Object.entries(req.headers)
          .map(([k, v]) => `${k}:${String(v)}`)
          .join("|");
        return json(
          401,
          JSON.stringify({
            error_code: "APIG.0301",
            error_msg: `Incorrect IAM authentication information: verify aksk signature fail,canonicalRequest:${req.method}|${req.url}|${canonical}`,
            request_id: "r1",
          }),
        );
      }
    }
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

/** Every string reachable from an error: message, stack and each enumerable property, `cause` included. */
export function everythingIn(e: unknown, seen = new Set<unknown>()): string {
  if (e === null || e === undefined) return "";
  if (typeof e !== "object") return String(e);
  if (seen.has(e)) return "";
  seen.add(e);
  const parts: string[] = [];
  if (e instanceof Error) parts.push(e.message, e.stack ?? "", everythingIn((e as { cause?: unknown }).cause, seen));
  for (const [k, v] of Object.entries(e)) parts.push(k, everythingIn(v, seen));
  return parts.join("\n");
}
