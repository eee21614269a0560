// The export file: a plain POSIX tar (ustar), so that `tar tf state.tar` shows what is in it. hwlocal writes
// only regular files with short names (hwlocal.db, hwlocal-state.json, obs/<blob>) and reads back only
// those: a few dozen lines each way rather than a dependency.
import { closeSync, createReadStream, openSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";

const BLOCK = 512;

function header(name: string, size: number, mtimeS: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  const put = (s: string, off: number, len: number) => h.write(s, off, len, "latin1");
  const octal = (n: number, len: number) => n.toString(8).padStart(len - 1, "0");
  put(name, 0, 100);
  put(`${octal(0o644, 8)}\0`, 100, 8);
  put(`${octal(0, 8)}\0`, 108, 8);
  put(`${octal(0, 8)}\0`, 116, 8);
  put(`${octal(size, 12)}\0`, 124, 12);
  put(`${octal(Math.floor(mtimeS), 12)}\0`, 136, 12);
  put("        ", 148, 8);
  put("0", 156, 1);
  put("ustar\0", 257, 6);
  put("00", 263, 2);
  let sum = 0;
  for (const b of h) sum += b;
  put(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8);
  return h;
}

function write(out: Writable, chunk: Buffer): Promise<void> {
  return out.write(chunk) ? Promise.resolve() : new Promise((resolve) => out.once("drain", resolve));
}

/** Streams the files (name in the archive → path on disk) as a tar to `out`, then ends it. */
export async function writeTar(out: Writable, files: { name: string; path: string }[], mtimeS: number): Promise<void> {
  for (const f of files) {
    const size = statSync(f.path).size;
    await write(out, header(f.name, size, mtimeS));
    for await (const chunk of createReadStream(f.path, { highWaterMark: 1 << 20 })) await write(out, chunk as Buffer);
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (pad > 0) await write(out, Buffer.alloc(pad));
  }
  out.end(Buffer.alloc(2 * BLOCK));
}

/** A tar that hwlocal cannot read back; its message says why (answered as a 400). */
export class BadTarError extends Error {}

/**
 * Reads a tar from `input` into `dir`, keeping each entry under the name `accept` maps it to (undefined:
 * refused, BadTarError). Returns the names written.
 */
export async function readTar(input: Readable, dir: string, accept: (name: string) => string | undefined): Promise<string[]> {
  const written: string[] = [];
  let buf: Buffer = Buffer.alloc(0);
  let fd: number | undefined;
  let left = 0;
  let pad = 0;
  let ended = false;
  const take = () => {
    while (!ended) {
      if (fd !== undefined || left > 0) {
        if (buf.length === 0) return;
        const n = Math.min(left, buf.length);
        if (fd !== undefined) writeSync(fd, buf, 0, n);
        buf = buf.subarray(n);
        left -= n;
        if (left > 0) return;
        if (fd !== undefined) closeSync(fd);
        fd = undefined;
        continue;
      }
      if (pad > 0) {
        const n = Math.min(pad, buf.length);
        buf = buf.subarray(n);
        pad -= n;
        if (pad > 0) return;
      }
      if (buf.length < BLOCK) return;
      const h = buf.subarray(0, BLOCK);
      buf = buf.subarray(BLOCK);
      if (h.every((b) => b === 0)) {
        ended = true;
        return;
      }
      const field = (off: number, len: number) => h.toString("latin1", off, off + len).replace(/\0.*$/s, "").trim();
      const prefix = h.toString("latin1", 257, 262) === "ustar" ? field(345, 155) : "";
      const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
      const size = parseInt(field(124, 12) || "0", 8);
      const type = field(156, 1) || "0";
      if (!Number.isFinite(size) || size < 0) throw new BadTarError(`an entry (${JSON.stringify(name.slice(0, 100))}) has no valid size`);
      if (type === "5" || type === "x" || type === "g") {
        // folders and pax headers carry nothing hwlocal needs
      } else {
        const target = type === "0" ? accept(name) : undefined;
        if (target === undefined) throw new BadTarError(`the archive holds ${JSON.stringify(name.slice(0, 100))}, which is not part of a hwlocal state`);
        fd = openSync(join(dir, target), "w");
        written.push(target);
      }
      left = size;
      pad = (BLOCK - (size % BLOCK)) % BLOCK;
      if (left === 0 && fd !== undefined) {
        closeSync(fd);
        fd = undefined;
      }
    }
  };
  try {
    for await (const chunk of input) {
      buf = buf.length === 0 ? (chunk as Buffer) : Buffer.concat([buf, chunk as Buffer]);
      take();
    }
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (!ended && (left > 0 || pad > 0 || buf.length > 0)) throw new BadTarError("the archive ends in the middle of an entry");
  return written;
}
