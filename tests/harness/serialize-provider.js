"use strict";
/**
 * Makes a `__provider` text the way @pulumi/pulumi's dynamic.Resource does
 * (pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })), in a plain Node process:
 * inside jest's VM the closure serializer would see jest's module wrappers and coverage counters.
 *
 *   node tests/harness/serialize-provider.js kind <Kind>   the package's shim, from dist/sdk/provider.js
 *   node tests/harness/serialize-provider.js noop          tests/harness/noop-provider.js
 *
 * Prints one JSON line: { "text": "...", "containsSecrets": false, "bytes": N }.
 */
const path = require("path");

async function main(argv) {
  const repo = path.resolve(__dirname, "..", "..");
  let provider;
  if (argv[0] === "kind" && argv[1]) {
    // By absolute path: the package's exports map hides dist/sdk/provider.js from `pulumi-codearts/...`.
    const shim = path.join(repo, "dist", "sdk", "provider.js");
    provider = require(shim).dynamicProvider(argv[1]);
  } else if (argv[0] === "noop") {
    provider = require("./noop-provider.js");
  } else {
    throw new Error("usage: serialize-provider.js kind <Kind> | noop");
  }
  const pulumi = require("@pulumi/pulumi");
  const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  process.stdout.write(JSON.stringify({ text: sf.text, containsSecrets: sf.containsSecrets, bytes: Buffer.byteLength(sf.text) }) + "\n");
}

main(process.argv.slice(2)).catch((e) => {
  process.stderr.write(String((e && e.stack) || e) + "\n");
  process.exit(1);
});
