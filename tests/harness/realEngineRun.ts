/**
 * One operation of the engine-test program on a new stack, in a process of its own:
 *
 *   node dist/tests/harness/realEngineRun.js <preview|up|…> <event-log file> '<stack config JSON>'
 *
 * For what cannot run inside jest: a program that throws is reported by the Automation API's language
 * server, in-process, where jest takes it for the test's own uncaught error. Prints the run as JSON
 * (ok, error) and leaves the event log in the file.
 */
import * as fs from "fs";
import { engineTestProgram } from "./engineProgram";
import type { ConfigValue } from "./host";
import { RealStack, type RealOperation } from "./realEngine";

async function main(operation: RealOperation, logFile: string, config: Record<string, ConfigValue>): Promise<void> {
  const stack = await RealStack.create({ program: engineTestProgram(), config });
  try {
    const r = await stack.run(operation);
    if (fs.existsSync(r.eventLog)) fs.copyFileSync(r.eventLog, logFile);
    process.stdout.write(JSON.stringify({ ok: r.ok, error: r.error }) + "\n");
  } finally {
    await stack.dispose();
  }
}

if (require.main === module) {
  const [operation, logFile, config] = process.argv.slice(2);
  main(operation as RealOperation, logFile, JSON.parse(config) as Record<string, ConfigValue>).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
