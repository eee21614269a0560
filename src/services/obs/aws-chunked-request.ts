// What an aws-chunked request (`x-amz-content-sha256: STREAMING-…`) becomes. By default it is refused as real
// OBS refuses it (400 XAmzContentSHA256Mismatch, obs-facts §3.2) with a message that names the fix; with
// `--obs-aws-chunked accept` its body is decoded (aws-chunked.ts) and the operation sees the decoded bytes,
// their length (x-amz-decoded-content-length) as Content-Length, and Content-Encoding without aws-chunked.
import type { Readable } from "node:stream";
import { pipeline } from "node:stream";
import type { V4ChunkSigning } from "./auth/types.ts";
import { AwsChunkedDecoder } from "./aws-chunked.ts";
import { header, type ObsCall } from "./call.ts";
import { ObsError, obsErrors } from "./errors.ts";

/** Checksum trailers the decoder knows (others are refused: a trailer it cannot read could hide anything). */
const TRAILERS = new Set(["x-amz-checksum-crc32", "x-amz-checksum-crc32c", "x-amz-checksum-crc64nvme", "x-amz-checksum-sha1", "x-amz-checksum-sha256"]);

export function decodeAwsChunked(c: ObsCall, signing: V4ChunkSigning | undefined): Readable {
  if (c.svc.awsChunked !== "accept") {
    throw new ObsError(
      400,
      "XAmzContentSHA256Mismatch",
      "OBS does not accept aws-chunked (STREAMING-…) uploads: set AWS_REQUEST_CHECKSUM_CALCULATION=when_required and " +
        "AWS_RESPONSE_CHECKSUM_VALIDATION=when_required (or requestChecksumCalculation: 'WHEN_REQUIRED'), or start hwlocal with " +
        "--obs-aws-chunked accept.",
    );
  }
  const h = c.req.headers;
  const decoded = header(c.req, "x-amz-decoded-content-length");
  if (decoded === undefined) throw obsErrors.missingContentLength();
  if (!/^\d{1,15}$/.test(decoded)) throw obsErrors.invalidArgument("x-amz-decoded-content-length is not a number.");
  const trailer = header(c.req, "x-amz-trailer");
  const trailerNames = trailer === undefined ? [] : trailer.split(",").map((t) => t.trim().toLowerCase()).filter((t) => t !== "");
  for (const t of trailerNames) if (!TRAILERS.has(t)) throw obsErrors.invalidArgument(`The trailer ${t} is not supported.`);
  h["content-length"] = decoded;
  delete h["transfer-encoding"];
  const encoding = header(c.req, "content-encoding");
  if (encoding !== undefined) {
    const rest = encoding.split(",").map((e) => e.trim()).filter((e) => e !== "" && e.toLowerCase() !== "aws-chunked");
    if (rest.length > 0) h["content-encoding"] = rest.join(",");
    else delete h["content-encoding"];
  }
  const decoder = new AwsChunkedDecoder(signing, trailerNames);
  // A client that goes away fails the decoder too, so the store sees the same error as with a plain body.
  pipeline(c.req, decoder, () => undefined);
  return decoder;
}
