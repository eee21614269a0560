// The shapes that go in and out of OBS/S3 request authentication. Pure data: the gateway builds the input
// from the IncomingMessage (before reading any body) and renders a failure as OBS's XML <Error>.
import type { AccessKeyRecord, Principal } from "../../../kernel/identity.ts";

/** Lower-case header names as Node gives them; pass `req.headersDistinct` to keep repeated headers apart. */
export type RawHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** Which credential a request carries, judged from its headers and query alone (classifyObsAuth). */
export type ObsCredentialKind = "v2" | "obs" | "v4" | "v2-query" | "obs-query" | "v4-query" | "post";

export type ObsAuthScheme = "v2" | "obs" | "v4" | "v2-query" | "obs-query" | "v4-query" | "post-v2" | "post-v4";

/** What every verifier needs besides the request itself. */
export interface ObsAuthContext {
  /** Real time in epoch ms (clock.wallNow()): clients sign with their own clock. */
  wallNowMs: number;
  lookup: (accessKey: string) => AccessKeyRecord | undefined;
  /** false is `--auth off`: any well-formed credential is accepted, an unknown key as defaultPrincipal(). */
  strict: boolean;
  /** The caller `--auth off` substitutes for a key hwlocal does not know (IdentityProvider.defaultPrincipal). */
  defaultPrincipal?: () => Principal;
}

export interface ObsAuthInput extends ObsAuthContext {
  method: string;
  /** The path exactly as it arrived, still percent-encoded, without the query. */
  rawPath: string;
  /** The query exactly as it arrived, without "?". */
  rawQuery: string;
  headers: RawHeaders;
  /** Virtual-host style: the bucket the Host header names (`<bucket>.obs.<region>.<domain>`). */
  bucketFromHost?: string;
}

/** The V4 values a decoder of signed aws-chunked bodies needs to check each chunk's signature. */
export interface V4ChunkSigning {
  seedSignature: string;
  signingKey: Buffer;
  amzDate: string;
  scope: string;
}

export interface ObsAuthSuccess {
  ok: true;
  principal: Principal;
  accessKey: string;
  scheme: ObsAuthScheme;
  /**
   * V4 with a hex `x-amz-content-sha256`: the declared SHA-256 of the body, lower-case. The body streams
   * later, so the caller hashes it and answers XAmzContentSHA256Mismatch when they differ (facts §3.2).
   */
  payloadHash?: string;
  /** V4 `STREAMING-*` payloads: the body is aws-chunked, which OBS refuses (facts §3.2, point 2). */
  awsChunked?: boolean;
  /** The declared `x-amz-content-sha256` of an aws-chunked body (which STREAMING-… variant). */
  streamingMode?: string;
  /** STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER] only: what verifying the chunk signatures needs. */
  chunkSigning?: V4ChunkSigning;
  /** POST policy with `content-length-range`, when no file size was given: check it after streaming. */
  contentLengthRange?: { min: number; max: number };
}

/** OBS's error codes used by authentication (错误码.md table 2; obs_errorcode_0009/0012 for messages). */
export type ObsAuthErrorCode =
  | "AccessDenied"
  | "AuthorizationHeaderMalformed"
  | "EntityTooLarge"
  | "EntityTooSmall"
  | "InvalidAccessKeyId"
  | "InvalidArgument"
  | "InvalidPolicyDocument"
  | "MissingSecurityHeader"
  | "RequestTimeTooSkewed"
  | "SignatureDoesNotMatch";

export interface ObsAuthFailure {
  ok: false;
  code: ObsAuthErrorCode;
  status: 400 | 403;
  message: string;
  /** SignatureDoesNotMatch: the string the server signed, which S3 shows in <StringToSign>. */
  stringToSign?: string;
  /** SignatureDoesNotMatch on V4: the canonical request behind stringToSign (<CanonicalRequest>). */
  canonicalRequest?: string;
  /**
   * Extra <Error> elements S3 adds after <Message>, in order (AWSAccessKeyId, StringToSign,
   * SignatureProvided, CanonicalRequest, RequestTime, ServerTime, Expires, …). Values are plain text.
   */
  details?: Array<[string, string]>;
}

export type ObsAuthResult = ObsAuthSuccess | ObsAuthFailure;
