// GetObject's bytes on the wire. Up to 1 MiB (what one read of the stream's buffer would hold anyway) the
// range is read with one call and written with the headers in one go: no stream, no pipeline, no
// per-response AbortController. Larger ranges stream with backpressure, never held whole.
import { read } from "node:fs";
import { promisify } from "node:util";
import { sendBytes, sendStream, type ObsCall } from "../call.ts";
import { closeObject, objectStream, type ObjectBody } from "../store/index.ts";

const readFd = promisify(read);
const WHOLE_READ_MAX = 1 << 20;

export async function sendObject(c: ObsCall, status: number, headers: Record<string, string>, body: ObjectBody): Promise<void> {
  if (c.req.method === "HEAD" || body.length > WHOLE_READ_MAX) return sendStream(c, status, headers, objectStream(body));
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
