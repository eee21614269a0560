// PostObject: a browser form upload (multipart/form-data POST to a bucket), authenticated by its policy
// and signature fields instead of a header (auth/post-policy.ts). OBS requires `file` to be the last
// field; the fields before it are collected, the policy is verified against them, then the file streams
// into the store like a PUT. `success_action_status` 200, 201 (with a PostResponse document) or 204
// (the default), or success_action_redirect: a 303 to that URL with bucket, key and etag in its query;
// `${filename}` in the key is the uploaded file's name.
import type busboy from "busboy";
import { createRequire } from "node:module";
import type { Readable } from "node:stream";
import { verifyPostPolicy } from "../auth/index.ts";
import { requireIamPermission } from "../iam.ts";
import { header, ns, send, type ObsCall } from "../call.ts";
import { ObsError, obsErrors } from "../errors.ts";
import { esc } from "../xml.ts";

// busboy is loaded on the first form upload, not with hwlocal: few runs upload forms (cold start).
let parse: typeof busboy | undefined;
const load = createRequire(import.meta.url);

/** The form's fields up to the file, and the file's stream (or none). */
function readForm(c: ObsCall): Promise<{ fields: Record<string, string>; file?: Readable; filename?: string }> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parse ??= load("busboy") as typeof busboy;
      parser = parse({ headers: c.req.headers, limits: { fieldSize: 1 << 20, fields: 100, files: 1 } });
    } catch {
      reject(obsErrors.malformedPostRequest());
      return;
    }
    const fields: Record<string, string> = {};
    let settled = false;
    parser.on("field", (name, value) => {
      fields[name] = value;
    });
    parser.on("file", (_name, stream, info) => {
      settled = true;
      resolve({ fields, file: stream, filename: info.filename });
    });
    parser.on("close", () => {
      if (!settled) resolve({ fields });
    });
    parser.on("error", () => {
      if (!settled) reject(obsErrors.malformedPostRequest());
    });
    c.req.pipe(parser);
  });
}

export async function postObject(c: ObsCall): Promise<void> {
  const type = header(c.req, "content-type") ?? "";
  if (!/^multipart\/form-data/i.test(type)) throw obsErrors.serviceNotImplemented("PostObject (only multipart/form-data forms)");
  const form = await readForm(c);
  if (!form.file) throw obsErrors.invalidArgument("POST requires exactly one file upload per request.");
  const bucket = c.target.bucket!;
  const auth = verifyPostPolicy({
    fields: form.fields,
    bucket,
    wallNowMs: c.svc.clock.wallNow(),
    lookup: (ak) => c.r.identity.accessKey(ak),
    strict: c.r.strict,
    defaultPrincipal: () => c.r.identity.defaultPrincipal(),
  });
  if (!auth.ok) {
    form.file.resume();
    throw new ObsError(auth.status, auth.code, auth.message);
  }
  const b = c.svc.store.headBucket(bucket);
  if (b.domain_id !== auth.principal.domainId) {
    form.file.resume();
    throw obsErrors.accessDenied();
  }
  try {
    requireIamPermission(c, auth.principal);
  } catch (err) {
    form.file.resume();
    throw err;
  }
  const fields = new Map(Object.entries(form.fields).map(([k, v]) => [k.toLowerCase(), v]));
  const key = (fields.get("key") ?? "").replace(/\$\{filename\}/g, form.filename ?? "");
  const metadata: Record<string, string> = {};
  for (const [k, v] of fields) if (k.startsWith("x-obs-meta-") || k.startsWith("x-amz-meta-")) metadata[k.slice(11)] = v;
  const contentType = fields.get("content-type");
  const acl = fields.get("x-obs-acl") ?? fields.get("acl");
  const range = auth.contentLengthRange;
  const row = await c.svc.store.putObject(bucket, key, form.file, {
    metadata,
    ...(contentType !== undefined ? { contentType } : {}),
    ...(acl !== undefined ? { acl } : {}),
    ...(range ? { maxBytes: range.max, minBytes: range.min } : {}),
  });
  c.principal = auth.principal;
  const status = fields.get("success_action_status");
  const location = `/${bucket}/${key}`;
  const redirect = redirectTarget(fields.get("success_action_redirect") ?? fields.get("redirect"), bucket, key, row.etag);
  if (redirect !== undefined) send(c, 303, { ETag: row.etag, Location: redirect });
  else if (status === "201") {
    const xml =
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><PostResponse xmlns="${ns(c)}"><Location>${esc(location)}</Location>` +
      `<Bucket>${esc(bucket)}</Bucket><Key>${esc(key)}</Key><ETag>${esc(row.etag)}</ETag></PostResponse>`;
    send(c, 201, { ETag: row.etag, Location: location }, xml);
  } else send(c, status === "200" ? 200 : 204, { ETag: row.etag, Location: location });
}

/**
 * success_action_redirect: a 303 to the URL with bucket, key and etag added to its query (POST上传.md);
 * a value that is not an absolute http(s) URL is ignored, and success_action_status applies.
 */
function redirectTarget(raw: string | undefined, bucket: string, key: string, etag: string): string | undefined {
  if (raw === undefined || raw === "") return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  url.searchParams.set("bucket", bucket);
  url.searchParams.set("key", key);
  url.searchParams.set("etag", etag);
  return url.toString();
}
