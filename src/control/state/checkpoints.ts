// Checkpoints, export and import of hwlocal's whole state: every service's tables, the jobs, the clock's
// offset (all in SQLite) and OBS's object files. A checkpoint is a folder under `<data>/checkpoints/`
// (a temporary folder with --in-memory, removed when hwlocal stops):
//   <id>/hwlocal.db        the database, made by VACUUM INTO (sqlite-copy.ts)
//   <id>/obs/<blob>        OBS's blob files, hard-linked (blobs are immutable, so a link is a copy that
//                          costs nothing; a copy where links fail)
//   <id>/checkpoint.json   id, name, when
// A restore replaces every row in one synchronous transaction, links back the blobs the rows name, then
// reloads the clock and drops the services' caches as a reset does (afterReset). Blobs that only the old
// state named are swept by OBS. The export file is a tar of the same three parts (tar.ts).
import { copyFileSync, createReadStream, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";
import type { Database } from "better-sqlite3";
import type { Clock } from "../../kernel/clock.ts";
import type { Ids } from "../../kernel/ids.ts";
import { isoSeconds } from "../../kernel/time.ts";
import { z } from "../../kernel/zod.ts";
import { stateErrors } from "./errors.ts";
import { restoreFrom, snapshotTo, SnapshotMismatchError } from "./sqlite-copy.ts";
import { BadTarError, readTar, writeTar } from "./tar.ts";

export interface CheckpointInfo {
  id: string;
  name: string;
  created_at: string;
  /** hwlocal's clock when the checkpoint was made. */
  clock: string;
  /** Bytes: the database file plus OBS's files. */
  size: number;
}

const Info = z.object({ id: z.string(), name: z.string(), created_at: z.string(), clock: z.string(), size: z.number() });

export interface StateOptions {
  db: Database;
  dataDir: string;
  inMemory: boolean;
  clock: Clock;
  ids: Ids;
  version: string;
  /** Before a snapshot or a restore: starts every service, so that both sides hold every table. */
  prepare: () => void;
  /** OBS's blob folder, or undefined when OBS is not served. */
  blobDir: () => string | undefined;
  /** Waits for the engine's work in progress before rows are replaced. */
  quiesce: () => Promise<void>;
  /** After rows were replaced: the clock from the state, the services' caches dropped. */
  reload: () => void;
}

const DB_FILE = "hwlocal.db";
const META_FILE = "hwlocal-state.json";
/** A blob's name as OBS makes them; never "." or "..", never a path. */
const SAFE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** Links (or copies) every file of `from` into `to` that `to` lacks; returns the bytes seen. */
function linkAll(from: string, to: string): number {
  if (!existsSync(from)) return 0;
  mkdirSync(to, { recursive: true });
  let bytes = 0;
  for (const name of readdirSync(from)) {
    const src = join(from, name);
    const dst = join(to, name);
    bytes += statSync(src).size;
    if (existsSync(dst)) continue;
    try {
      linkSync(src, dst);
    } catch {
      copyFileSync(src, dst);
    }
  }
  return bytes;
}

export class StateManager {
  private dir: string | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private removeRoot: (() => void) | undefined;

  constructor(private readonly o: StateOptions) {
    if (!o.inMemory) this.dir = join(o.dataDir, "checkpoints");
  }

  /**
   * Where checkpoints live. With --in-memory, a temporary folder made on first use (most runs never save
   * one) and removed when hwlocal closes or the process exits.
   */
  get root(): string {
    if (this.dir === undefined) {
      const dir = mkdtempSync(join(tmpdir(), "hwlocal-checkpoints-"));
      const remove = () => rmSync(dir, { recursive: true, force: true });
      process.once("exit", remove);
      this.removeRoot = () => {
        process.off("exit", remove);
        remove();
      };
      this.dir = dir;
    }
    return this.dir;
  }

  close(): void {
    this.removeRoot?.();
  }

  /** One state change at a time (a save never lands in the middle of a restore's wait). */
  private serial<T>(fn: () => Promise<T> | T): Promise<T> {
    const next = this.queue.then(fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  list(): CheckpointInfo[] {
    if (this.dir === undefined || !existsSync(this.root)) return [];
    const out: CheckpointInfo[] = [];
    for (const id of readdirSync(this.root)) {
      if (id.startsWith(".")) continue;
      try {
        const r = Info.safeParse(JSON.parse(readFileSync(join(this.root, id, "checkpoint.json"), "utf8")));
        if (r.success) out.push(r.data);
      } catch {
        // a folder being written or removed
      }
    }
    return out.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.name.localeCompare(b.name));
  }

  /** By id, else by name. */
  find(idOrName: string): CheckpointInfo | undefined {
    const all = this.list();
    return all.find((c) => c.id === idOrName) ?? all.find((c) => c.name === idOrName);
  }

  save(name: string): Promise<CheckpointInfo> {
    return this.serial(() => {
      if (this.list().some((c) => c.name === name)) throw stateErrors.nameTaken(name);
      const id = `ckpt-${this.o.ids.hex32().slice(0, 16)}`;
      const dir = join(this.root, id);
      const size = this.snapshot(dir);
      const info: CheckpointInfo = {
        id,
        name,
        created_at: new Date(this.o.clock.wallNow()).toISOString(),
        clock: isoSeconds(this.o.clock.now()),
        size,
      };
      writeFileSync(join(dir, "checkpoint.json"), `${JSON.stringify(info)}\n`);
      return info;
    });
  }

  remove(idOrName: string): Promise<CheckpointInfo> {
    return this.serial(() => {
      const c = this.find(idOrName);
      if (!c) throw stateErrors.checkpointNotFound(idOrName);
      rmSync(join(this.root, c.id), { recursive: true, force: true });
      return c;
    });
  }

  restore(idOrName: string): Promise<CheckpointInfo> {
    return this.serial(async () => {
      const c = this.find(idOrName);
      if (!c) throw stateErrors.checkpointNotFound(idOrName);
      await this.o.quiesce();
      this.load(join(this.root, c.id));
      return c;
    });
  }

  /** Streams the whole state to `out` as a tar (hwlocal-state.json, hwlocal.db, obs/<blob>). */
  export(out: Writable): Promise<void> {
    let dir = "";
    const files = () =>
      [
        { name: META_FILE, path: join(dir, META_FILE) },
        { name: DB_FILE, path: join(dir, DB_FILE) },
        ...(existsSync(join(dir, "obs")) ? readdirSync(join(dir, "obs")).map((b) => ({ name: `obs/${b}`, path: join(dir, "obs", b) })) : []),
      ];
    return this.serial(() => {
      dir = this.scratch("export");
      this.snapshot(dir);
      const meta = { format: "hwlocal-state", version: this.o.version, clock: isoSeconds(this.o.clock.now()) };
      writeFileSync(join(dir, META_FILE), `${JSON.stringify(meta)}\n`);
    }).then(async () => {
      try {
        await writeTar(out, files(), Math.floor(this.o.clock.wallNow() / 1000));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  /**
   * Replaces the state by an exported one read from `input`; throws stateErrors.badState when unusable.
   * `check` runs once the file is read, before anything is loaded; `atStart` (hwlocal start --state) skips
   * waiting for the engine, which has not run yet.
   */
  async import(input: Readable, opts: { check?: () => void; atStart?: boolean } = {}): Promise<void> {
    const dir = this.scratch("import");
    try {
      mkdirSync(join(dir, "obs"));
      const accept = (name: string) => {
        const n = name.replace(/^\.\//, "");
        if (n === DB_FILE || n === META_FILE) return n;
        const m = /^obs\/(.+)$/.exec(n);
        return m && SAFE_NAME.test(m[1]!) ? n : undefined;
      };
      try {
        await readTar(input, dir, accept);
      } catch (err) {
        if (err instanceof BadTarError) throw stateErrors.badState(err.message);
        throw err;
      }
      opts.check?.();
      if (!existsSync(join(dir, DB_FILE))) throw stateErrors.badState(`the archive has no ${DB_FILE}`);
      await this.serial(async () => {
        if (!opts.atStart) await this.o.quiesce();
        this.load(dir);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** hwlocal start --state FILE: loads an exported state before anything runs; throws an Error saying why not. */
  async importFile(path: string): Promise<void> {
    if (!existsSync(path)) throw new Error(`--state ${path}: no such file`);
    try {
      await this.import(createReadStream(path), { atStart: true });
    } catch (err) {
      throw new Error(`--state ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** A fresh folder under the root for an export or import, removed by its caller. */
  private scratch(kind: string): string {
    mkdirSync(this.root, { recursive: true });
    return mkdtempSync(join(this.root, `.${kind}-`));
  }

  /** The database and OBS's files into `dir`; returns their bytes. */
  private snapshot(dir: string): number {
    this.o.prepare();
    mkdirSync(dir, { recursive: true });
    const file = join(dir, DB_FILE);
    snapshotTo(this.o.db, file);
    const blobs = this.o.blobDir();
    return statSync(file).size + (blobs ? linkAll(blobs, join(dir, "obs")) : 0);
  }

  /** Synchronous from the row copy to the reload: no request runs in between. */
  private load(dir: string): void {
    this.o.prepare();
    try {
      restoreFrom(this.o.db, join(dir, DB_FILE));
    } catch (err) {
      if (err instanceof SnapshotMismatchError) throw stateErrors.badState(err.message);
      throw err;
    }
    const blobs = this.o.blobDir();
    if (blobs) linkAll(join(dir, "obs"), blobs);
    this.o.reload();
  }
}
