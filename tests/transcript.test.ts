import * as http from "http";
import type { AddressInfo } from "net";
import { ApiClient } from "../provider/client";
import { rememberSecrets, type Settings } from "../provider/config";
import { clientSettings, DEFAULT_ACCOUNT, startEmulator } from "../emulator";
import { transcribing, type TranscriptEntry } from "../cli/transcript";

/**
 * The transcript a user attaches to a report (sweep, conformance --transcript): taken before signing,
 * and through the one redaction, so an endpoint that echoes what it was sent (a debugging proxy, a WAF
 * page) cannot put a credential or an IAM token into it.
 */
test("an endpoint echoing the request's token and secrets: the transcript holds neither", async () => {
  const echo = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ headers: req.headers, body })));
  });
  await new Promise<void>((ok) => echo.listen(0, "127.0.0.1", ok));
  const emu = await startEmulator({ port: 0, quiet: true });
  const user = DEFAULT_ACCOUNT.users[0];
  const settings: Settings = {
    ...clientSettings(emu, DEFAULT_ACCOUNT),
    accessKey: undefined,
    secretKey: undefined,
    userName: user.name,
    password: user.password,
    domainName: DEFAULT_ACCOUNT.domainName,
    // IAM is the emulator's (a real token is issued); the Pipeline endpoint echoes.
    endpoints: { "*": emu.url, pipeline: `http://127.0.0.1:${(echo.address() as AddressInfo).port}` },
  };
  rememberSecrets(settings);
  const lines: TranscriptEntry[] = [];
  const client = new ApiClient(settings, {
    middleware: [
      transcribing(
        (e) => lines.push(e),
        () => "test",
      ),
    ],
  });
  try {
    const res = await client.send<{ headers: Record<string, string>; body: string }>({
      service: "pipeline",
      method: "POST",
      path: "/v5/x/api/pipeline-templates/list",
      body: { note: `password ${user.password}` },
      idempotent: true,
      operation: "Test.echo",
    });
    const token = res.body.headers["x-auth-token"];
    expect(token).toEqual(expect.any(String)); // the echo did carry the token back
    const text = JSON.stringify(lines);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toEqual(expect.objectContaining({ context: "test", operation: "Test.echo", method: "POST", status: 200 }));
    expect(text).not.toContain(token);
    expect(text).not.toContain(user.password);
    expect(text).toContain("***");
  } finally {
    await client.close();
    await emu.close();
    echo.close();
  }
});
