// OBS's error catalogue: codes and statuses from Huawei's OBS API reference (错误码.md, table 2); the English
// messages are S3's where OBS answers in S3's words, otherwise an English rendering of the reference's text.
//
// How hwlocal's universal error_code / error_msg rule maps onto OBS (to move into index.ts's header):
// - OBS answers errors as XML, `Content-Type: application/xml`,
//   `<Error><Code/><Message/><RequestId/><HostId/>[<Resource/>]</Error>` (xml.ts `xmlError`). Its clients
//   (esdk-obs, the AWS SDKs, rclone, s3cmd) parse that body, so no JSON is added to it.
// - The error code and message also travel as headers on every error answer, which is what HEAD errors
//   (no body) rely on: `x-obs-error-code` / `x-obs-error-message` (OBS dialect) and `x-amz-error-code` /
//   `x-amz-error-message` (esdk in V2 mode reads these; facts §3.1 and sdk-wire-facts §6.4). These headers
//   are hwlocal's error_code / error_msg for OBS: the same code and message, under OBS's names.
// - ObsError is an ApiError, so an OBS error that ever reaches the JSON gateway still renders as
//   {"error_code","error_msg","request_id"} rather than a 500.
import { ApiError } from "../../kernel/api-error.ts";

export class ObsError extends ApiError {
  /** The bucket or object the error is about (`/bucket/key`), rendered as `<Resource>`. */
  readonly resource: string | undefined;

  constructor(status: number, code: string, message: string, resource?: string, headers?: Record<string, string>) {
    super({ status, code, message, shape: "plain", ...(headers ? { headers } : {}) });
    this.resource = resource;
  }

  /** The same error with extra headers on its answer (a delete marker's x-obs-delete-marker and version id). */
  withHeaders(headers: Record<string, string>): ObsError {
    return new ObsError(this.status, this.code, this.message, this.resource, { ...this.headers, ...headers });
  }
}

function res(bucket: string, key?: string): string {
  return key === undefined ? `/${bucket}` : `/${bucket}/${key}`;
}

const e = (status: number, code: string, message: string, resource?: string) => new ObsError(status, code, message, resource);

export const obsErrors = {
  // 400
  badDigest: (bucket: string, key: string) =>
    e(400, "BadDigest", "The Content-MD5 you specified did not match what we received.", res(bucket, key)),
  invalidDigest: () => e(400, "InvalidDigest", "The Content-MD5 you specified is not valid."),
  contentSha256Mismatch: () =>
    e(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed."),
  entityTooLarge: (max: number) =>
    e(400, "EntityTooLarge", `Your proposed upload exceeds the maximum allowed object size (${max} bytes).`),
  entityTooSmall: (partNumber: number, min: number) =>
    e(400, "EntityTooSmall", `Part ${partNumber} is smaller than the minimum allowed size of ${min} bytes; only the last part may be smaller.`),
  incompleteBody: (expected: number, got: number) =>
    e(400, "IncompleteBody", `You did not provide the number of bytes specified by the Content-Length HTTP header (${expected}, received ${got}).`),
  invalidArgument: (message: string) => e(400, "InvalidArgument", message),
  malformedPostRequest: () => e(400, "MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data."),
  uploadTooSmall: (min: number) => e(400, "EntityTooSmall", `Your proposed upload is smaller than the minimum allowed size (${min} bytes).`),
  invalidBucketName: (bucket: string) =>
    e(400, "InvalidBucketName", "The specified bucket is not valid.", res(bucket)),
  invalidLocationConstraint: (location: string) =>
    e(400, "InvalidLocationConstraint", `The specified location constraint is not valid: ${location}.`),
  invalidPart: (partNumber: number) =>
    e(400, "InvalidPart", `One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag (part ${partNumber}).`),
  invalidPartOrder: () =>
    e(400, "InvalidPartOrder", "The list of parts was not in ascending order. The parts list must be specified in order by part number."),
  invalidPartNumber: (given: string) =>
    e(400, "InvalidArgument", `Part number must be an integer between 1 and 10000, inclusive (given: ${given}).`),
  invalidRequest: (message: string) => e(400, "InvalidRequest", message),
  keyTooLong: (bytes: number, max: number) =>
    e(400, "KeyTooLongError", `Your key is too long: ${bytes} bytes, the maximum is ${max}.`),
  malformedXml: (detail?: string) =>
    e(400, "MalformedXML", `The XML you provided was not well-formed or did not validate against our published schema.${detail ? ` ${detail}` : ""}`),
  metadataTooLarge: (bytes: number, max: number) =>
    e(400, "MetadataTooLarge", `Your metadata headers exceed the maximum allowed metadata size: ${bytes} bytes, the maximum is ${max}.`),
  missingRequestBody: () => e(400, "MissingRequestBodyError", "Request Body is empty."),
  // access (ACLs and bucket policy)
  malformedAcl: () =>
    e(400, "MalformedACLError", "The XML you provided was not well-formed or did not validate against our published schema."),
  malformedPolicy: (message: string) => e(400, "MalformedPolicy", message),
  // 403
  accessDenied: (message = "Access Denied") => e(403, "AccessDenied", message),
  signatureDoesNotMatch: (message = "The request signature we calculated does not match the signature you provided. Check your key and signing method.") =>
    e(403, "SignatureDoesNotMatch", message),
  invalidAccessKeyId: () =>
    e(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."),
  requestTimeTooSkewed: () =>
    e(403, "RequestTimeTooSkewed", "The difference between the request time and the server's time is too large."),
  // bucket configuration (CORS and its preflight, tags, storage class, quota)
  corsNotAllowed: (message = "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Requet-Headers are not whitelisted by the resource's CORS spec.") =>
    e(403, "AccessForbidden", message),
  corsBadRequest: (message: string) => e(400, "BadRequest", message),
  noSuchCorsConfiguration: (bucket: string) =>
    e(404, "NoSuchCORSConfiguration", "The CORS configuration does not exist", res(bucket)),
  noSuchTagSet: (bucket: string) => e(404, "NoSuchTagSet", "The TagSet does not exist", res(bucket)),
  invalidTag: (message: string) => e(400, "InvalidTagError", message),
  invalidStorageClass: (value: string) => e(400, "InvalidStorageClass", `The storage class you specified is not valid: ${value}.`),
  insufficientStorageSpace: (bucket: string) =>
    e(403, "InsufficientStorageSpace", "Bucket storage space is not enough: the bucket quota would be exceeded.", res(bucket)),
  // 404
  noSuchBucket: (bucket: string) => e(404, "NoSuchBucket", "The specified bucket does not exist", res(bucket)),
  noSuchBucketPolicy: (bucket: string) => e(404, "NoSuchBucketPolicy", "The bucket policy does not exist", res(bucket)),
  noSuchKey: (bucket: string, key: string) =>
    e(404, "NoSuchKey", "The resource you requested does not exist", res(bucket, key)),
  noSuchVersion: (bucket: string, key: string) => e(404, "NoSuchVersion", "The specified version does not exist.", res(bucket, key)),
  noSuchUpload: (bucket: string, key: string, uploadId: string) =>
    e(404, "NoSuchUpload", `The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed (${uploadId}).`, res(bucket, key)),
  noSuchLifecycleConfiguration: (bucket: string) =>
    e(404, "NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist.", res(bucket)),
  // 405, 409, 411, 412, 416, 501
  methodNotAllowed: () => e(405, "MethodNotAllowed", "Specified method is not supported."),
  bucketAlreadyExists: (bucket: string) =>
    e(409, "BucketAlreadyExists", "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.", res(bucket)),
  bucketAlreadyOwnedByYou: (bucket: string) =>
    e(409, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.", res(bucket)),
  bucketNotEmpty: (bucket: string) =>
    e(409, "BucketNotEmpty", "The bucket you tried to delete is not empty", res(bucket)),
  objectNotAppendable: (bucket: string, key: string) =>
    e(409, "ObjectNotAppendable", "This object is not appendable (a normal object, 10,000 appends already, or a cold storage class).", res(bucket, key)),
  positionNotEqualToLength: (bucket: string, key: string, length: number) =>
    e(409, "PositionNotEqualToLength", `The position is not equal to the object's length (${length}).`, res(bucket, key)),
  operationAborted: (message: string) =>
    e(409, "OperationAborted", `A conflicting conditional operation is currently in progress against this resource. ${message}`),
  missingContentLength: () => e(411, "MissingContentLength", "You must provide the Content-Length HTTP header."),
  preconditionFailed: (condition: string) =>
    e(412, "PreconditionFailed", `At least one of the pre-conditions you specified did not hold (${condition}).`),
  invalidRange: (size: number) =>
    e(416, "InvalidRange", `The requested range is not satisfiable (object size ${size}).`),
  serviceNotImplemented: (operation: string) =>
    e(501, "ServiceNotImplemented", `hwlocal does not implement the OBS operation ${operation} yet.`),
};

/** Header values may carry only visible ASCII: anything else (a non-ASCII key in a message) is %-escaped. */
function headerSafe(s: string): string {
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x20 && c < 0x7f) out += ch;
    else out += c >= 0xd800 && c <= 0xdfff ? "%EF%BF%BD" : encodeURIComponent(ch); // a lone surrogate would make it throw
  }
  return out;
}

/** The code and message as headers, for every error answer (the only carrier on a HEAD). */
export function errorHeaders(err: ApiError): Record<string, string> {
  const message = headerSafe(err.message);
  return {
    "x-obs-error-code": err.code,
    "x-obs-error-message": message,
    "x-amz-error-code": err.code,
    "x-amz-error-message": message,
  };
}
