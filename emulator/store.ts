import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

/**
 * The emulated services' data: named collections of plain JSON objects, partitioned by tenant (the
 * account or CodeArts project the objects belong to) and keyed by id. Values are copied in and out,
 * so a handler cannot change stored data without `put`, and every `put`/`remove` is written
 * through to the data file when there is one.
 */
export type StoreData = Record<string, Record<string, Record<string, unknown>>>;

interface DataFile {
  version: 1;
  collections: StoreData;
}

/** A data file that cannot be used; the emulator's command line reports it as a usage error. */
export class DataFileError extends Error {}

export class Store {
  private constructor(
    private readonly data: StoreData,
    private readonly file: string | undefined,
  ) {}

  /** An empty store, or the one saved in `file` if that exists. */
  static open(file?: string): Store {
    if (!file) return new Store({}, file);
    let store: Store;
    if (!existsSync(file)) store = new Store({}, file);
    else {
      const saved = JSON.parse(readFileSync(file, "utf8")) as DataFile;
      if (saved.version !== 1 || typeof saved.collections !== "object") throw new DataFileError(`${file} is not an emulator data file`);
      store = new Store(saved.collections, file);
    }
    // Written once now: a data file that cannot be written is refused at start, not at the first change.
    try {
      store.persist();
    } catch (e) {
      throw new DataFileError(`cannot write the data file ${file}: ${(e as Error).message}`);
    }
    return store;
  }

  collection<T>(name: string): Collection<T> {
    return new Collection<T>(this, name);
  }

  /** A copy of everything (the admin API's GET /__emulator/state). */
  snapshot(): StoreData {
    return structuredClone(this.data);
  }

  /** A copy of one collection, by tenant: what an inventory of one kind needs, without copying the rest. */
  snapshotOf(collection: string): Record<string, Record<string, unknown>> {
    return structuredClone(this.data[collection] ?? {});
  }

  /** @internal The tenant's id → value map of a collection; `create` adds it when missing (writes only, so reads leave no empty maps behind). */
  partition(collection: string, tenant: string, create = false): Record<string, unknown> {
    if (!create) return this.data[collection]?.[tenant] ?? {};
    const c = (this.data[collection] ??= {});
    return (c[tenant] ??= {});
  }

  /** @internal Writes the data file: a temporary file renamed over the old one, so a crash never leaves half a file. */
  persist(): void {
    if (!this.file) return;
    const tmp = `${this.file}.${process.pid}.tmp`;
    const content: DataFile = { version: 1, collections: this.data };
    writeFileSync(tmp, JSON.stringify(content));
    renameSync(tmp, this.file);
  }
}

export class Collection<T> {
  constructor(
    private readonly store: Store,
    private readonly name: string,
  ) {}

  list(tenant: string): T[] {
    return Object.values(this.store.partition(this.name, tenant)).map((v) => structuredClone(v) as T);
  }

  get(tenant: string, id: string): T | undefined {
    const v = this.store.partition(this.name, tenant)[id];
    return v === undefined ? undefined : (structuredClone(v) as T);
  }

  put(tenant: string, id: string, value: T): void {
    this.store.partition(this.name, tenant, true)[id] = structuredClone(value);
    this.store.persist();
  }

  /** False when there was nothing to remove. */
  remove(tenant: string, id: string): boolean {
    const p = this.store.partition(this.name, tenant);
    if (!(id in p)) return false;
    delete p[id];
    this.store.persist();
    return true;
  }
}
