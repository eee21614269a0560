// XML bodies of the bucket-configuration operations: CORS, tagging (bucket and object), storage class
// (OBS's `<StorageClass>` and S3/V2's `<StoragePolicy><DefaultStorageClass>`), quota and storage info.
// Requests are parsed with fast-xml-parser after a well-formedness check (a bad body is 400, never a
// 500); answers are strings in the order of Huawei's API reference examples.
import { ObsError, obsErrors } from "./errors.ts";
import { bodyParser, esc, parseXmlBody } from "./xml.ts";

const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

function doc(root: string, ns: string, body: string): string {
  return `${DECLARATION}<${root} xmlns="${ns}">${body}</${root}>`;
}

function el(name: string, value: string | number | undefined): string {
  if (value === undefined) return "";
  const text = typeof value === "string" ? esc(value) : String(value);
  return text === "" ? `<${name}/>` : `<${name}>${text}</${name}>`;
}

// ---- parsing ----------------------------------------------------------------------------------------------

const ARRAYS = new Set(["CORSRule", "AllowedMethod", "AllowedOrigin", "AllowedHeader", "ExposeHeader", "Tag"]);

const parser = bodyParser({ arrays: ARRAYS });

type Node = Record<string, unknown>;

/** The root element's children ({} for an empty root), or MalformedXML (`code` lets tagging say MalformedXMLError). */
function parseRoot(body: Buffer, root: string, malformed: (detail?: string) => ObsError = obsErrors.malformedXml): Node {
  const xml = body.toString("utf8").replace(/^\uFEFF/, "");
  if (xml.trim() === "") throw obsErrors.missingRequestBody();
  const parsed = parseXmlBody(xml, parser, malformed);
  const top = (parsed as Node)[root];
  if (top === "") return {};
  if (typeof top !== "object" || top === null || Array.isArray(top)) throw malformed(`The root element must be ${root}.`);
  return top as Node;
}

function texts(node: Node, name: string, malformed: (detail?: string) => ObsError = obsErrors.malformedXml): string[] {
  const v = node[name];
  if (v === undefined) return [];
  const list = Array.isArray(v) ? (v as unknown[]) : [v];
  return list.map((item) => {
    if (typeof item !== "string") throw malformed(`${name} must be text.`);
    return item;
  });
}

function nodes(node: Node, name: string, malformed: (detail?: string) => ObsError = obsErrors.malformedXml): Node[] {
  const v = node[name];
  if (v === undefined) return [];
  const list = Array.isArray(v) ? (v as unknown[]) : [v];
  return list.map((item) => {
    if (item === "") return {};
    if (typeof item !== "object" || item === null) throw malformed(`${name} must have elements.`);
    return item as Node;
  });
}

function one(node: Node, name: string): string | undefined {
  const all = texts(node, name);
  if (all.length > 1) throw obsErrors.malformedXml(`At most one ${name} is allowed.`);
  return all[0];
}

// ---- CORS -------------------------------------------------------------------------------------------------

export interface CorsRule {
  id?: string;
  allowedMethods: string[];
  allowedOrigins: string[];
  allowedHeaders: string[];
  maxAgeSeconds?: number;
  exposeHeaders: string[];
}

const CORS_METHODS = new Set(["GET", "PUT", "HEAD", "POST", "DELETE"]);
export const MAX_CORS_RULES = 100;
export const MAX_CORS_BYTES = 64 * 1024;

/** `<CORSConfiguration><CORSRule>…` with OBS's limits (设置桶的CORS配置.md): ≤ 100 rules, one `*` per origin/header. */
export function parseCorsConfiguration(body: Buffer): CorsRule[] {
  if (body.length > MAX_CORS_BYTES) throw obsErrors.malformedXml(`A CORS configuration is at most ${MAX_CORS_BYTES} bytes.`);
  const root = parseRoot(body, "CORSConfiguration");
  const rules = nodes(root, "CORSRule");
  if (rules.length === 0) throw obsErrors.malformedXml("A CORSConfiguration needs at least one CORSRule.");
  if (rules.length > MAX_CORS_RULES) throw obsErrors.malformedXml(`A CORSConfiguration has at most ${MAX_CORS_RULES} CORSRules.`);
  return rules.map((r) => {
    const id = one(r, "ID");
    if (id !== undefined && id.length > 255) throw obsErrors.invalidArgument("A CORSRule ID has at most 255 characters.");
    const allowedMethods = texts(r, "AllowedMethod").map((m) => m.trim());
    const allowedOrigins = texts(r, "AllowedOrigin").map((o) => o.trim());
    const allowedHeaders = texts(r, "AllowedHeader").map((h) => h.trim());
    const exposeHeaders = texts(r, "ExposeHeader").map((h) => h.trim());
    if (allowedMethods.length === 0 || allowedOrigins.length === 0) {
      throw obsErrors.malformedXml("Every CORSRule needs an AllowedMethod and an AllowedOrigin.");
    }
    for (const m of allowedMethods) {
      if (!CORS_METHODS.has(m)) throw obsErrors.invalidArgument(`Found unsupported HTTP method in CORS config. Unsupported method is ${m}`);
    }
    for (const o of allowedOrigins) {
      if (o === "" || o.split("*").length > 2) throw obsErrors.invalidArgument(`AllowedOrigin "${o}" can not have more than one wildcard.`);
    }
    for (const h of allowedHeaders) {
      if (h === "" || h.split("*").length > 2 || /\s/.test(h)) throw obsErrors.invalidArgument(`AllowedHeader "${h}" can not have more than one wildcard or a space.`);
    }
    for (const h of exposeHeaders) {
      if (h === "" || /\s/.test(h)) throw obsErrors.invalidArgument(`ExposeHeader "${h}" can not be empty or contain a space.`);
    }
    const age = one(r, "MaxAgeSeconds")?.trim();
    if (age !== undefined && !/^-?\d{1,10}$/.test(age)) throw obsErrors.invalidArgument("MaxAgeSeconds must be an integer.");
    return {
      ...(id !== undefined ? { id } : {}),
      allowedMethods,
      allowedOrigins,
      allowedHeaders,
      ...(age !== undefined ? { maxAgeSeconds: Number(age) } : {}),
      exposeHeaders,
    };
  });
}

export function xmlCors(p: { ns: string; rules: readonly CorsRule[] }): string {
  const rules = p.rules
    .map(
      (r) =>
        "<CORSRule>" +
        el("ID", r.id) +
        r.allowedMethods.map((m) => el("AllowedMethod", m)).join("") +
        r.allowedOrigins.map((o) => el("AllowedOrigin", o)).join("") +
        r.allowedHeaders.map((h) => el("AllowedHeader", h)).join("") +
        el("MaxAgeSeconds", r.maxAgeSeconds) +
        r.exposeHeaders.map((h) => el("ExposeHeader", h)).join("") +
        "</CORSRule>",
    )
    .join("");
  return doc("CORSConfiguration", p.ns, rules);
}

// ---- tagging ----------------------------------------------------------------------------------------------

const malformedTagging = (detail?: string) =>
  new ObsError(400, "MalformedXMLError", `The XML you provided was not well-formed or did not validate against our published schema.${detail ? ` ${detail}` : ""}`);

/** `<Tagging><TagSet><Tag><Key/><Value/></Tag>…` as ordered pairs (validated by the caller's limits). */
export function parseTagging(body: Buffer): [string, string][] {
  const root = parseRoot(body, "Tagging", malformedTagging);
  const sets = nodes(root, "TagSet", malformedTagging);
  if (sets.length !== 1) throw malformedTagging("A Tagging has one TagSet.");
  return nodes(sets[0]!, "Tag", malformedTagging).map((t) => {
    const key = texts(t, "Key", malformedTagging);
    const value = texts(t, "Value", malformedTagging);
    if (key.length !== 1 || value.length > 1) throw malformedTagging("Every Tag has one Key and at most one Value.");
    return [key[0]!, value[0] ?? ""];
  });
}

export function xmlTagging(p: { ns: string; tags: Record<string, string> }): string {
  const tags = Object.entries(p.tags)
    .map(([k, v]) => `<Tag>${el("Key", k)}${el("Value", v)}</Tag>`)
    .join("");
  return doc("Tagging", p.ns, `<TagSet>${tags}</TagSet>`);
}

// ---- storage class, quota, storage info ---------------------------------------------------------------------

/** OBS's `<StorageClass>X</StorageClass>` or V2's `<StoragePolicy><DefaultStorageClass>X</…></StoragePolicy>`. */
export function parseStorageClass(body: Buffer): string {
  const xml = body.toString("utf8").replace(/^\uFEFF/, "");
  if (xml.trim() === "") throw obsErrors.missingRequestBody();
  const parsed = parseXmlBody(xml, parser) as Node;
  const obs = parsed["StorageClass"];
  if (typeof obs === "string") return obs.trim();
  const policy = parsed["StoragePolicy"];
  if (typeof policy === "object" && policy !== null && !Array.isArray(policy)) {
    const value = one(policy as Node, "DefaultStorageClass");
    if (value !== undefined) return value.trim();
  }
  throw obsErrors.malformedXml("The body must be <StorageClass> or <StoragePolicy><DefaultStorageClass>.");
}

/** `?storageClass` answers OBS's shape, `?storagePolicy` V2's. */
export function xmlStorageClass(p: { ns: string; policy: boolean; storageClass: string }): string {
  return p.policy ? doc("StoragePolicy", p.ns, el("DefaultStorageClass", p.storageClass)) : doc("StorageClass", p.ns, esc(p.storageClass));
}

/** `<Quota><StorageQuota>bytes</StorageQuota></Quota>`: a non-negative integer (0: no quota). */
export function parseQuota(body: Buffer): number {
  const root = parseRoot(body, "Quota");
  const raw = one(root, "StorageQuota")?.trim();
  if (raw === undefined) throw obsErrors.malformedXml("StorageQuota is missing.");
  if (!/^\d{1,19}$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw obsErrors.invalidArgument("StorageQuota must be a non-negative integer number of bytes.");
  return Number(raw);
}

export function xmlQuota(p: { ns: string; quota: number }): string {
  return doc("Quota", p.ns, el("StorageQuota", p.quota));
}

export function xmlStorageInfo(p: { ns: string; size: number; objects: number }): string {
  return doc("GetBucketStorageInfoResult", p.ns, el("Size", p.size) + el("ObjectNumber", p.objects));
}
