// GetObject's bytes on the wire. Up to 1 MiB (what one read of the stream's buffer would hold anyway) the
// range is read with one call and written with the headers in one go: no stream, no pipeline, no
// per-response AbortController. Larger ranges are read 1 MiB at a time into buffers that downloads reuse:
// each goes to the socket while the next is read, and is read into again once the socket has sent it.
// Fresh 1 MiB buffers per read (a file stream's way) were most of the server's CPU for a 200 MiB download:
// V8 ran a full GC per ~64 MiB of them, and every one faulted in its pages.
import { read } from "node:fs";
import type { ServerResponse } from "node:http";
import { promisify } from "node:util";
import { sendBytes, sendWritten, type ObsCall } from "../call.ts";
import { closeObject, type ObjectBody } from "../store/index.ts";

const readFd = promisify(read);
const WHOLE_READ_MAX = 1 << 20;
/** Read size, buffers one download has at once (one sending, one being read), and idle ones kept. */
const READ = 1 << 20;
const IN_FLIGHT = 2;
const SPARE = 8;
const spare: Buffer[] = [];

export async function sendObject(c: ObsCall, status: number, headers: Record<string, string>, body: ObjectBody): Promise<void> {
  if (c.req.method === "HEAD" || body.length > WHOLE_READ_MAX) {
    return sendWritten(c, status, headers, (res) => sendRange(body, res), () => closeObject(body));
  }
  const bytes = Buffer.allocUnsafe(body.length);
  let at = 0;
  try {
    while (at < body.length) {
      const { bytesRead } = await readFd(body.fd, bytes, at, body.length - at, body.start + at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
  } finally {
    closeObject(body);
  }
  // Blobs never change after they are written, so a short read means the file is damaged: say so, don't pad.
  if (at < body.length) throw new Error(`blob ${body.path}: ${at} of ${body.length} bytes readable`);
  sendBytes(c, status, headers, bytes);
}

/** Sends the body's range and ends the response; closes the fd. Rejects if the client goes away first. */
async function sendRange(body: ObjectBody, res: ServerResponse): Promise<void> {
  const free: Buffer[] = [];
  let sending = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const changed = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const gone = () => {
    failure ??= new Error("the client went away before the body was sent");
    changed();
  };
  res.once("close", gone);
  try {
    for (let at = 0; at < body.length; ) {
      while (sending >= IN_FLIGHT && !failure) await new Promise<void>((r) => (wake = r));
      if (failure) throw failure;
      const buf = free.pop() ?? spare.pop() ?? Buffer.allocUnsafeSlow(READ);
      const n = Math.min(READ, body.length - at);
      const { bytesRead } = await readFd(body.fd, buf, 0, n, body.start + at);
      if (bytesRead === 0) throw new Error(`blob ${body.path}: ${at} of ${body.length} bytes readable`);
      at += bytesRead;
      sending++;
      // The socket holds `buf` until this callback: only then may it be read into again.
      res.write(buf.subarray(0, bytesRead), (err) => {
        sending--;
        if (err) failure ??= err;
        else free.push(buf);
        changed();
      });
    }
    // Settled by the end's callback, or by a failure first (a client gone: then no callback may come).
    await new Promise<void>((resolve, reject) => {
      const onChange = () => {
        if (failure) reject(failure);
        else wake = onChange; // a write's callback: still waiting for the end
      };
      wake = onChange;
      res.end(() => (failure ? reject(failure) : resolve()));
    });
  } finally {
    res.off("close", gone);
    closeObject(body);
    for (const buf of free) if (spare.length < SPARE) spare.push(buf);
  }
}
