import { serve } from "./server";

/**
 * `pulumi-resource-codearts`: the resource-provider plugin the Pulumi engine starts (bin/ launches this
 * file). The engine passes its own address and flags (`--logtostderr`, `-v=…`, `--tracing …`), none of
 * which the plugin needs, and reads the port from the first line of stdout. Anything the provider logs
 * goes to stderr, through the one redaction.
 */
async function main(): Promise<void> {
  const { port } = await serve();
  process.stdout.write(`${port}\n`);
}

main().catch((e) => {
  process.stderr.write(`pulumi-resource-codearts: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
