// One hwlocal per data folder. Two processes on one database would each keep their own caches, ids and
// engine and silently undo each other's work, so the second one must refuse to start.
//
// The lock itself is SQLite's: the database is opened in EXCLUSIVE locking mode (database.ts), so the
// operating system holds the lock for as long as the process lives and drops it however the process ends,
// SIGKILL included. A pid file checked for staleness could not do that safely: after a crash the pid may
// belong to another process (containers restart with the same small pids). hwlocal.lock, next to the
// database, only tells the refused process whom it met: the owner's pid and endpoint, written once
// hwlocal listens and removed when it closes. Deleting it by hand unlocks nothing and harms nothing.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "../kernel/zod.ts";

export const LOCK_FILE = "hwlocal.lock";

const Owner = z.object({ pid: z.number().int().positive(), port: z.number().int().min(0), endpoint: z.string() });
export type LockOwner = z.output<typeof Owner>;

/** Thrown when another process holds the data folder's database. */
export class DataDirInUseError extends Error {
  constructor(readonly dataDir: string, readonly owner: LockOwner | undefined) {
    super(describe(dataDir, owner));
    this.name = "DataDirInUseError";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function describe(dataDir: string, owner: LockOwner | undefined): string {
  const db = join(dataDir, "hwlocal.db");
  const advice = "stop it, or start this one with another --data-dir (or --in-memory)";
  if (owner && alive(owner.pid)) {
    return `another hwlocal (pid ${owner.pid}, port ${owner.port}, ${owner.endpoint}) is running on the data folder ${dataDir}: ${advice}`;
  }
  // No owner file yet (the other one is still starting) or a stale one: someone else holds the database.
  return `another process holds ${db} (a hwlocal still starting, or a tool with the database open): ${advice}`;
}

export function readOwner(dataDir: string): LockOwner | undefined {
  try {
    const r = Owner.safeParse(JSON.parse(readFileSync(join(dataDir, LOCK_FILE), "utf8")));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

/** Records this process as the data folder's owner (call once listening, while holding the database). */
export function writeOwner(dataDir: string, owner: Omit<LockOwner, "pid">): void {
  writeFileSync(join(dataDir, LOCK_FILE), `${JSON.stringify({ pid: process.pid, ...owner })}\n`);
}

/** Removes the owner file if it still names this process. */
export function removeOwner(dataDir: string): void {
  if (readOwner(dataDir)?.pid !== process.pid) return;
  rmSync(join(dataDir, LOCK_FILE), { force: true });
}
