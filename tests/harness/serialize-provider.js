"use strict";
/**
 * Makes a `__provider` text in a plain Node process: for a kind, the text the package's resource classes
 * store (dist/sdk/provider.js providerText); for the no-op provider, the way @pulumi/pulumi's
 * dynamic.Resource does (pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })), where
 * inside jest's VM the closure serializer would see jest's module wrappers and coverage counters.
 *
 *   node tests/harness/serialize-provider.js kind <Kind>   the package's text, from dist/sdk/provider.js
 *   node tests/harness/serialize-provider.js shim <Kind>   the protocol-2 shim (dynamicProvider), serialized
 *   node tests/harness/serialize-provider.js noop          tests/harness/noop-provider.js
 *
 * Prints one JSON line: { "text": "...", "containsSecrets": false, "bytes": N }.
 */
const path = require("path");

async function main(argv) {
  const repo = path.resolve(__dirname, "..", "..");
  let provider;
  // By absolute path: the package's exports map hides dist/sdk/provider.js from `pulumi-codearts/...`.
  const sdk = path.join(repo, "dist", "sdk", "provider.js");
  if (argv[0] === "kind" && argv[1]) {
    const text = require(sdk).providerText(argv[1]);
    process.stdout.write(JSON.stringify({ text, containsSecrets: false, bytes: Buffer.byteLength(text) }) + "\n");
    return;
  } else if (argv[0] === "shim" && argv[1]) {
    provider = require(sdk).dynamicProvider(argv[1]);
  } else if (argv[0] === "noop") {
    provider = require("./noop-provider.js");
  } else {
    throw new Error("usage: serialize-provider.js kind <Kind> | shim <Kind> | noop");
  }
  const pulumi = require("@pulumi/pulumi");
  const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  process.stdout.write(JSON.stringify({ text: sf.text, containsSecrets: sf.containsSecrets, bytes: Buffer.byteLength(sf.text) }) + "\n");
}

main(process.argv.slice(2)).catch((e) => {
  process.stderr.write(String((e && e.stack) || e) + "\n");
  process.exit(1);
});
