// aws-chunked bodies (`x-amz-content-sha256: STREAMING-…`), which the AWS SDKs send by default for streamed
// uploads and which real OBS refuses (obs-facts §3.2). With `--obs-aws-chunked accept` hwlocal decodes them
// instead, as MinIO does: a Transform from the framed body to the object's bytes, checked as it streams.
//
// Framing (AWS's "Signature Calculations for the Authorization Header: Transferring Payload in Multiple
// Chunks" and "…Trailing Headers"): chunks of `<hex size>[;chunk-signature=<64 hex>]\r\n<bytes>\r\n`, then
// a zero-size chunk, then (the -TRAILER modes) trailer lines `name:value\r\n` (the checksum, and for signed
// trailers `x-amz-trailer-signature`), then `\r\n`. Checked here: the framing, every chunk signature
// (STREAMING-AWS4-HMAC-SHA256-PAYLOAD*: HMAC over "AWS4-HMAC-SHA256-PAYLOAD", the date, the scope, the
// previous signature, SHA-256 of "" and of the chunk), the trailer signature, a CRC32, SHA-1 or SHA-256
// trailer checksum against the bytes, and at most 16 MiB a chunk. Any failure fails the stream with OBS's
// 400/403 codes, so the store commits nothing.
// Doubts: CRC32C and CRC64NVME trailers are accepted unverified (Node has no implementation of them).
// ECDSA (SigV4a) chunk signatures are refused: hwlocal verifies no SigV4a signature.
import { createHash, createHmac, type Hash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import { lazyZlib } from "../../kernel/builtins.ts";
import type { V4ChunkSigning } from "./auth/types.ts";
import { ObsError, obsErrors } from "./errors.ts";

const MAX_CHUNK = 16 << 20;
const MAX_LINE = 4096;
const EMPTY_SHA256 = createHash("sha256").update("").digest("hex");

type Phase = "size" | "data" | "data-crlf" | "trailer" | "done";

function malformed(detail: string): ObsError {
  return obsErrors.invalidArgument(`Malformed aws-chunked body: ${detail}.`);
}

export class AwsChunkedDecoder extends Transform {
  private phase: Phase = "size";
  private line = "";
  private left = 0;
  private chunkSignature: string | undefined;
  private chunkHash: Hash | undefined;
  private previousSignature: string;
  private readonly trailers = new Map<string, string>();
  private crc = 0;
  private readonly sha1 = createHash("sha1");
  private readonly sha256 = createHash("sha256");
  /** Decoded bytes so far. */
  decoded = 0;

  constructor(
    private readonly signing: V4ChunkSigning | undefined,
    private readonly trailerNames: readonly string[],
  ) {
    super();
    this.previousSignature = signing?.seedSignature ?? "";
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      let at = 0;
      while (at < chunk.length) {
        if (this.phase === "data") {
          const n = Math.min(this.left, chunk.length - at);
          const piece = chunk.subarray(at, at + n);
          this.consume(piece);
          at += n;
          this.left -= n;
          if (this.left === 0) {
            this.verifyChunk();
            this.phase = "data-crlf";
          }
          continue;
        }
        if (this.phase === "done") throw malformed("bytes after the final chunk");
        const nl = chunk.indexOf(10, at);
        const end = nl < 0 ? chunk.length : nl + 1;
        this.line += chunk.toString("latin1", at, end);
        at = end;
        if (this.line.length > MAX_LINE) throw malformed("a header line is too long");
        if (nl < 0) break;
        if (!this.line.endsWith("\r\n")) throw malformed("a line does not end with CRLF");
        const line = this.line.slice(0, -2);
        this.line = "";
        this.onLine(line);
      }
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }

  override _flush(cb: TransformCallback): void {
    if (this.phase !== "done") return cb(malformed("the body ended before its final chunk"));
    cb();
  }

  private onLine(line: string): void {
    switch (this.phase) {
      case "data-crlf":
        if (line !== "") throw malformed("a chunk is longer than its size");
        this.phase = "size";
        return;
      case "size":
        return this.onSize(line);
      case "trailer":
        if (line === "") return this.finishTrailers();
        return this.onTrailer(line);
      default:
        throw malformed("unexpected line");
    }
  }

  private onSize(line: string): void {
    const semi = line.indexOf(";");
    const hex = semi < 0 ? line : line.slice(0, semi);
    if (!/^[0-9a-fA-F]{1,8}$/.test(hex)) throw malformed(`bad chunk size "${hex.slice(0, 20)}"`);
    const size = parseInt(hex, 16);
    if (size > MAX_CHUNK) throw malformed(`a chunk of ${size} bytes is over the ${MAX_CHUNK}-byte limit`);
    if (this.signing) {
      const m = /^chunk-signature=([0-9a-f]{64})$/.exec(semi < 0 ? "" : line.slice(semi + 1));
      if (!m) throw malformed("a chunk has no chunk-signature");
      this.chunkSignature = m[1]!;
      this.chunkHash = createHash("sha256");
    }
    if (size === 0) {
      // The final chunk (signed over no bytes), then the trailers if any, then an empty line.
      this.verifyChunk();
      this.phase = "trailer";
      return;
    }
    this.left = size;
    this.phase = "data";
  }

  private consume(piece: Buffer): void {
    this.decoded += piece.length;
    this.crc = lazyZlib().crc32(piece, this.crc);
    this.sha1.update(piece);
    this.sha256.update(piece);
    this.chunkHash?.update(piece);
    this.push(piece);
  }

  /** The signature of the chunk just read (STREAMING-AWS4-HMAC-SHA256-PAYLOAD*). */
  private verifyChunk(): void {
    if (!this.signing || !this.chunkHash || this.chunkSignature === undefined) return;
    const s = this.signing;
    const toSign = ["AWS4-HMAC-SHA256-PAYLOAD", s.amzDate, s.scope, this.previousSignature, EMPTY_SHA256, this.chunkHash.digest("hex")].join("\n");
    const expected = createHmac("sha256", s.signingKey).update(toSign).digest("hex");
    if (expected !== this.chunkSignature) {
      throw new ObsError(403, "SignatureDoesNotMatch", "The chunk signature we calculated does not match the signature you provided.");
    }
    this.previousSignature = expected;
    this.chunkHash = undefined;
  }

  private onTrailer(line: string): void {
    const colon = line.indexOf(":");
    if (colon <= 0) throw malformed("a trailer is not name:value");
    this.trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }

  private finishTrailers(): void {
    for (const name of this.trailerNames) {
      const value = this.trailers.get(name);
      if (value === undefined) throw malformed(`the trailer ${name} is missing`);
      const actual =
        name === "x-amz-checksum-crc32"
          ? Buffer.from([this.crc >>> 24, (this.crc >>> 16) & 255, (this.crc >>> 8) & 255, this.crc & 255]).toString("base64")
          : name === "x-amz-checksum-sha1"
            ? this.sha1.digest("base64")
            : name === "x-amz-checksum-sha256"
              ? this.sha256.digest("base64")
              : undefined;
      if (actual !== undefined && actual !== value) {
        throw new ObsError(400, "BadDigest", `The ${name} you specified did not match the calculated checksum.`);
      }
    }
    if (this.signing && this.trailerNames.length > 0) {
      const provided = this.trailers.get("x-amz-trailer-signature");
      if (provided === undefined) throw malformed("the trailer signature is missing");
      const canonical = this.trailerNames.map((n) => `${n}:${this.trailers.get(n) ?? ""}\n`).join("");
      const s = this.signing;
      const toSign = ["AWS4-HMAC-SHA256-TRAILER", s.amzDate, s.scope, this.previousSignature, createHash("sha256").update(canonical).digest("hex")].join("\n");
      if (createHmac("sha256", s.signingKey).update(toSign).digest("hex") !== provided) {
        throw new ObsError(403, "SignatureDoesNotMatch", "The trailer signature we calculated does not match the signature you provided.");
      }
    }
    this.phase = "done";
  }
}
