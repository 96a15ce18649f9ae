import type { Fault } from "./faults";

/**
 * Every API request the emulator answered (or dropped), in arrival order of completion. Holds no
 * secrets: no bodies, no headers, no tokens; the access key id is not secret.
 */
export interface LogEntry {
  /** 1, 2, 3… for the emulator's lifetime; `clear()` does not restart it, so marks stay valid. */
  seq: number;
  /** ISO time the request arrived. */
  time: string;
  method: string;
  /** As sent, without the query string. */
  path: string;
  /** The raw query string, without "?". */
  query: string;
  /** Undefined when no answer was sent (connection reset or hang). */
  status?: number;
  /** The route's name, e.g. "PipelineGroup.create"; undefined for unknown APIs. */
  operation?: string;
  accessKey?: string;
  requestId: string;
  /** Milliseconds from arrival to answer (or to the reset / hang). */
  ms: number;
  /** The injected fault that fired, if any. */
  fault?: Fault;
}

export type LogFilter = (Partial<Pick<LogEntry, "method" | "path" | "operation" | "status" | "accessKey">> & { fault?: Fault["type"] }) | ((entry: LogEntry) => boolean);

function matches(entry: LogEntry, filter: LogFilter): boolean {
  if (typeof filter === "function") return filter(entry);
  const { fault, ...fields } = filter;
  if (fault !== undefined && entry.fault?.type !== fault) return false;
  return Object.entries(fields).every(([k, v]) => v === undefined || entry[k as keyof LogEntry] === v);
}

export class RequestLog {
  private list: LogEntry[] = [];
  private seq = 0;

  get entries(): readonly LogEntry[] {
    return this.list;
  }

  add(entry: Omit<LogEntry, "seq">): LogEntry {
    const e = { seq: ++this.seq, ...entry };
    this.list.push(e);
    return e;
  }

  /** The seq of the last entry so far; `since(mark)` then returns what came after. */
  mark(): number {
    return this.seq;
  }

  since(mark: number): LogEntry[] {
    return this.list.filter((e) => e.seq > mark);
  }

  count(filter?: LogFilter): number {
    return filter ? this.list.filter((e) => matches(e, filter)).length : this.list.length;
  }

  clear(): void {
    this.list = [];
  }
}
