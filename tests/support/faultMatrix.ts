import type { Fault } from "../../emulator";
import { DEFAULT_ACCOUNT } from "../../emulator";
import { stackConfig as emulatorStackConfig } from "../../emulator";
import { claimed, Env, heldAsRecorded, inventory, KINDS_UNDER_TEST, KindUnderTest, Operation, Step } from "../harness/kinds";
import { provenConfig } from "./provenDialect";
import { startWorld, World } from "./world";

/**
 * The fault matrix (issue 8): every kind × mutating operation × fault. Each cell injects one fault on
 * the request the operation mutates with, runs the step as `pulumi up`/`destroy` would, and, when the
 * step failed, runs it once more as a GitOps pipeline's retry would. Then the service's inventory of
 * that kind must be exactly what the state claims (no duplicate, nothing unknown to the state, nothing
 * the state claims that is gone) and the declared inputs must need no further change.
 */
export const FAULTS: Array<[string, Fault]> = [
  ["5xx before the change", { type: "status", status: 503 }],
  ["commit then fail", { type: "commit-then-fail" }],
  ["timeout after the change", { type: "hang-after-commit" }],
  ["connection reset", { type: "reset" }],
  ["429 with Retry-After", { type: "rate-limit", retryAfter: 1 }],
  ["expired token (401 once)", { type: "expire-token" }],
];

/**
 * IAM token authentication, so the "expired token" column means something (AK/SK requests carry no
 * token); a 1 s request timeout, so "timeout after the change" is quick; 3 retries.
 */
export function tokenConfig(emu: { url: string }) {
  const { "huaweicloud:accessKey": _ak, "huaweicloud:secretKey": _sk, ...rest } = emulatorStackConfig(emu, DEFAULT_ACCOUNT);
  const user = DEFAULT_ACCOUNT.users[0];
  return {
    ...rest,
    "huaweicloud:userName": user.name,
    "huaweicloud:password": { secret: user.password },
    "huaweicloud:domainName": DEFAULT_ACCOUNT.domainName,
    "huaweicloud:maxRetries": "3",
    "huaweicloud:requestTimeout": "1",
  };
}

export interface Cell {
  kind: string;
  operation: Operation;
  fault: string;
  outcome: string;
}

export class FaultMatrix {
  readonly cells: Cell[] = [];
  private env = new Map<string, Env>();
  private n = 0;
  /** Objects destroyed on purpose that the service keeps by design (TestPlan). */
  private forgotten = new Set<string>();

  private constructor(readonly w: World) {}

  /** `dialect`: readings of the docs' ambiguous passages the emulator speaks (emulator/dialects.ts). */
  /** `proven`: the provider is also told (provenReadings) that the service speaks `dialect`, so it drops the guards against the other readings. */
  static async start(dialect?: Record<string, string>, proven = false): Promise<FaultMatrix> {
    const config = proven && dialect ? (emu: { url: string }) => ({ ...tokenConfig(emu), ...provenConfig(dialect) }) : tokenConfig;
    return new FaultMatrix(await startWorld({ config, dialect }));
  }

  async close(): Promise<void> {
    await this.w.close();
  }

  /** The rows of one operation's column: each kind with it, then each later step of it; and the reasons of kinds without it. */
  static plan(operation: Operation): { rows: Array<{ k: KindUnderTest; step?: Step; label: string }>; without: string[] } {
    const rows = KINDS_UNDER_TEST.filter((k) => k.routes[operation]).map((k) => ({ k, label: k.type }) as { k: KindUnderTest; step?: Step; label: string });
    for (const k of KINDS_UNDER_TEST) {
      for (const step of k.steps ?? []) if (step.operation === operation) rows.push({ k, step, label: `${k.type} (${step.what})` });
    }
    const without = KINDS_UNDER_TEST.filter((k) => !k.routes[operation]).map((k) => `| ${k.type} | all | n/a: ${k.without?.[operation] ?? "no such operation"} |`);
    return { rows, without };
  }

  private async envOf(k: KindUnderTest): Promise<Env> {
    if (!this.env.has(k.type)) this.env.set(k.type, k.setup ? await k.setup(this.w) : {});
    return this.env.get(k.type)!;
  }

  /** Runs one cell; throws (failing the test) when an invariant breaks. */
  async run(k: KindUnderTest, operation: Operation, label: string, fault: Fault, step?: Step): Promise<Cell> {
    const { w } = this;
    const env = await this.envOf(k);
    const n = ++this.n;
    const name = `cell-${n}`;
    k.seed?.(w, n);
    const initial = (step?.inputs ?? k.inputs)(env, n);
    const declared = operation === "update" ? (step?.updated ?? k.updated!)(env, n) : initial;
    if (operation !== "create") await w.engine.up(k.type, name, initial);

    const route = step?.route ?? k.routes[operation]!;
    const hostLogStart = w.host.logs.length;
    const mark = w.emu.log.mark();
    w.emu.faults.inject({ method: route.method, path: route.path, fault, times: 1 });
    const apply = () => (operation === "delete" ? w.engine.destroy(k.type, name) : w.engine.up(k.type, name, declared));
    let firstError: string | undefined;
    try {
      await apply();
    } catch (e) {
      firstError = (e as Error).message;
    }
    // The log names the faulted request's operation: every request of the cell to that operation is counted below.
    const op = w.emu.log.since(mark).find((e) => e.fault)?.operation;
    w.emu.faults.clear();
    let partial = false;
    let orphaned = 0;
    if (firstError !== undefined) {
      partial = !!w.engine.state.get(w.engine.urn(k.type, name))?.initErrors?.length;
      if (operation === "create" && k.createUnfindable)
        orphaned = this.acceptUnfindable(k, firstError, w.emu.log.since(mark).filter((e) => e.method === route.method && e.operation === op).length);
      await apply(); // the retry: must succeed
    }
    if (op === undefined) throw new Error(`${k.type} ${operation}: the fault on ${route.method} ${route.path} never fired; the route is wrong`);

    this.expectHeldAsClaimed(k, `${k.type} ${operation} ${label}`);
    if (operation === "delete") {
      expect(w.engine.state.has(w.engine.urn(k.type, name))).toBe(false);
    } else {
      // Converged: the declared inputs need nothing more, now and after a refresh.
      expect((await w.engine.preview(k.type, name, declared)).op).toBe("same");
      await w.engine.refresh(k.type, name);
      expect((await w.engine.preview(k.type, name, declared)).op).toBe("same");
    }

    const sent = w.emu.log.since(mark).filter((e) => e.method === route.method && e.operation === op);
    const logs = w.host.logs.slice(hostLogStart).join("\n");
    const outcome = outcomeOf(
      fault,
      firstError,
      partial,
      sent.map((e) => e.status),
      logs,
      orphaned,
    );
    if (operation !== "delete") await this.cleanUp(k, name);
    const cell = { kind: step ? `${k.type} (${step.what})` : k.type, operation, fault: label, outcome };
    this.cells.push(cell);
    return cell;
  }

  /**
   * A kind whose ambiguous create cannot be looked up (KindUnderTest.createUnfindable): the failed create was sent
   * once, not repeated blindly; it made at most one object, and then its error said a suite may exist. That object
   * is known to be left behind, as the error told the user; returns how many (0 or 1).
   */
  private acceptUnfindable(k: KindUnderTest, firstError: string, requests: number): number {
    expect({ kind: k.type, requests }).toEqual({ kind: k.type, requests: 1 });
    const claims = claimed(this.w, k);
    const orphans = inventory(this.w, k).filter((id) => !claims.includes(id) && !this.forgotten.has(id));
    expect(orphans.length).toBeLessThanOrEqual(1);
    expect(firstError).toMatch(/may have generated .* anyway.*not repeated/s);
    for (const id of orphans) this.forgotten.add(id);
    return orphans.length;
  }

  private async cleanUp(k: KindUnderTest, name: string): Promise<void> {
    const st = this.w.engine.state.get(this.w.engine.urn(k.type, name));
    await this.w.engine.destroy(k.type, name);
    if (k.deleteKeeps && st) this.forgotten.add(st.id);
    this.expectHeldAsClaimed(k, `${k.type} clean-up of ${name}`);
  }

  /** The service holds exactly what the state claims (plus what destroy leaves by design): no duplicate, nothing unknown, nothing gone. */
  private expectHeldAsClaimed(k: KindUnderTest, cell: string): void {
    const held = inventory(this.w, k)
      .filter((id) => !this.forgotten.has(id))
      .sort();
    expect({ cell, held }).toEqual({ cell, held: claimed(this.w, k).sort() });
    expect({ cell, problem: heldAsRecorded(this.w, k) }).toEqual({ cell, problem: undefined });
  }

  table(title: string, without: string[]): string {
    return [title, "| kind | fault | outcome |", "|---|---|---|", ...this.cells.map((c) => `| ${c.kind} | ${c.fault} | ${c.outcome} |`), ...without].join("\n");
  }
}

function outcomeOf(fault: Fault, firstError: string | undefined, partial: boolean, statuses: Array<number | undefined>, logs: string, orphaned = 0): string {
  const notes: string[] = [];
  if (orphaned > 0) notes.push("no look-up API: the failed create made one the error warned of, left in the service; the next up made another");
  if (/but the object was created: recorded/.test(logs)) notes.push("found by its key after the failed create, recorded");
  if (/nothing was created: creating again/.test(logs)) notes.push("looked up by its key: nothing made, created again");
  if (/but the version is released/.test(logs)) notes.push("read back after the failure: already released, done");
  if (/still a draft: publishing again/.test(logs)) notes.push("read back after the failure: still a draft, sent again");
  if (notes.length === 0 && statuses.length > 1 && firstError === undefined) {
    const repeat = statuses[statuses.length - 1];
    notes.push(
      fault.type === "expire-token"
        ? "new token fetched, request repeated"
        : fault.type === "rate-limit"
          ? "waited Retry-After, request repeated"
          : fault.type === "commit-then-fail" || fault.type === "hang-after-commit"
            ? `the first request applied it; the client's repeat (idempotent) found it done (answered ${repeat ?? "nothing"})`
            : "repeated by the client (idempotent request)",
    );
  }
  const first =
    firstError === undefined
      ? "ok in one step"
      : partial
        ? "step failed, object kept in the state; the next up converged it"
        : "step failed, nothing recorded; the next up completed it";
  return `${first}${notes.length ? `: ${notes.join("; ")}` : ""} (${statuses.length} request${statuses.length === 1 ? "" : "s"} to the route)`;
}

/**
 * One column of the matrix as a jest suite: every kind with that operation × every fault; the table
 * prints after. With `dialect`, the emulator speaks those readings of the docs' ambiguous passages.
 */
export function faultMatrixSuite(operation: Operation, dialect?: Record<string, string>, opts: { proven?: boolean } = {}): void {
  let m: FaultMatrix;
  const { rows, without } = FaultMatrix.plan(operation);
  const speaking = dialect
    ? `, dialect ${Object.entries(dialect)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ")}${opts.proven ? " (proven: provenReadings set)" : ""}`
    : "";
  beforeAll(async () => {
    m = await FaultMatrix.start(dialect, opts.proven);
  });
  afterAll(async () => {
    console.log(m.table(`Fault matrix, ${operation}${speaking} (kind × fault → outcome):`, without));
    await m.close();
  });
  describe.each(rows.map((r) => [r.label, r] as const))(`%s ${operation}`, (_label, r) => {
    test.each(FAULTS)("%s: nothing lost, nothing duplicated, converged", async (label, fault) => {
      await m.run(r.k, operation, label, fault, r.step);
    });
  });
}
