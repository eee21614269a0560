// The <AccessControlPolicy> bodies of GetBucketAcl / GetObjectAcl (rendered) and SetBucketAcl /
// SetObjectAcl (parsed), in both dialects (esdk-obs-nodejs's obsModel.js and v2Model.js, the AWS SDK):
//
//   S3 (V2/V4 clients):  <Grant><Grantee xmlns:xsi="…" xsi:type="CanonicalUser"><ID/></Grantee>
//                        or xsi:type="Group" with <URI>http://acs.amazonaws.com/groups/global/AllUsers</URI>
//   OBS (OBS-signed):    <Grant><Grantee><ID/></Grantee> or <Grantee><Canned>Everyone</Canned></Grantee>,
//                        each bucket grant with <Delivered>; an object's ACL has one <Delivered> after <Owner>.
//
// Parsing accepts either shape in either dialect (ID, URI or Canned), reads no attributes (xsi:type is
// implied by the child), and refuses a DTD, as xml.ts does for every request body.
import type { Acl, Grant, Group } from "./access-check.ts";
import { PERMISSIONS, type Permission } from "./access-check.ts";
import { obsErrors } from "./errors.ts";
import { bodyParser, esc, parseXmlBody, type Dialect } from "./xml.ts";

const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const XSI = "http://www.w3.org/2001/XMLSchema-instance";

const GROUP_URIS: Record<Group, string> = {
  AllUsers: "http://acs.amazonaws.com/groups/global/AllUsers",
  AuthenticatedUsers: "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
  LogDelivery: "http://acs.amazonaws.com/groups/s3/LogDelivery",
};

/** OBS's names for the groups (esdk's obsAllowedUri: Everyone, LogDelivery). */
const OBS_CANNED: Record<Group, string> = { AllUsers: "Everyone", AuthenticatedUsers: "AuthenticatedUsers", LogDelivery: "LogDelivery" };

function grantee(g: Grant, dialect: Dialect): string {
  if (dialect === "obs") {
    return "id" in g.grantee ? `<Grantee><ID>${esc(g.grantee.id)}</ID></Grantee>` : `<Grantee><Canned>${OBS_CANNED[g.grantee.group]}</Canned></Grantee>`;
  }
  return "id" in g.grantee
    ? `<Grantee xmlns:xsi="${XSI}" xsi:type="CanonicalUser"><ID>${esc(g.grantee.id)}</ID></Grantee>`
    : `<Grantee xmlns:xsi="${XSI}" xsi:type="Group"><URI>${GROUP_URIS[g.grantee.group]}</URI></Grantee>`;
}

export function xmlAccessControlPolicy(p: { ns: string; dialect: Dialect; owner: string; acl: Acl; level: "bucket" | "object" }): string {
  const obs = p.dialect === "obs";
  const grants = p.acl.grants
    .map((g) => {
      const delivered = obs && p.level === "bucket" ? `<Delivered>${g.delivered === true}</Delivered>` : "";
      return `<Grant>${grantee(g, p.dialect)}<Permission>${g.permission}</Permission>${delivered}</Grant>`;
    })
    .join("");
  const objectDelivered = obs && p.level === "object" ? `<Delivered>${p.acl.delivered === true}</Delivered>` : "";
  return (
    `${DECLARATION}<AccessControlPolicy xmlns="${p.ns}"><Owner><ID>${esc(p.owner)}</ID></Owner>${objectDelivered}` +
    `<AccessControlList>${grants}</AccessControlList></AccessControlPolicy>`
  );
}

const parser = bodyParser({ arrays: new Set(["Grant"]), trimValues: true });

type Node = Record<string, unknown>;

function child(node: unknown, name: string): unknown {
  return typeof node === "object" && node !== null && !Array.isArray(node) ? (node as Node)[name] : undefined;
}

function textChild(node: unknown, name: string): string | undefined {
  const v = child(node, name);
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw obsErrors.malformedAcl();
  return v;
}

function groupOf(value: string): Group {
  for (const [group, uri] of Object.entries(GROUP_URIS) as [Group, string][]) if (value === uri || value === group) return group;
  if (value === "Everyone") return "AllUsers";
  throw obsErrors.invalidArgument(`Invalid group uri: ${value}`);
}

function parseGrant(g: unknown): Grant {
  const who = child(g, "Grantee");
  const permission = textChild(g, "Permission");
  if (who === undefined || permission === undefined) throw obsErrors.malformedAcl();
  if (!(PERMISSIONS as readonly string[]).includes(permission)) throw obsErrors.malformedAcl();
  const id = textChild(who, "ID");
  const group = textChild(who, "URI") ?? textChild(who, "Canned");
  let out: Grant;
  if (id !== undefined && id !== "") out = { grantee: { id }, permission: permission as Permission };
  else if (group !== undefined && group !== "") out = { grantee: { group: groupOf(group) }, permission: permission as Permission };
  else if (textChild(who, "EmailAddress") !== undefined) throw obsErrors.invalidArgument("Grantees by e-mail address are not supported.");
  else throw obsErrors.malformedAcl();
  if (textChild(g, "Delivered")?.toLowerCase() === "true") out.delivered = true;
  return out;
}

/** An <AccessControlPolicy> body: its grants (and OBS's object-level Delivered); MalformedACLError otherwise. */
export function parseAccessControlPolicy(body: Buffer): Acl {
  const parsed = parseXmlBody(body, parser);
  const root = child(parsed, "AccessControlPolicy");
  if (root === undefined) throw obsErrors.malformedAcl();
  const list = child(root, "AccessControlList");
  if (list !== undefined && list !== "" && (typeof list !== "object" || list === null)) throw obsErrors.malformedAcl();
  const raw = child(list, "Grant");
  const grants = raw === undefined ? [] : Array.isArray(raw) ? raw.map(parseGrant) : [parseGrant(raw)];
  const acl: Acl = { grants };
  const delivered = textChild(root, "Delivered");
  if (delivered !== undefined) acl.delivered = delivered.toLowerCase() === "true";
  return acl;
}

/**
 * Grants given as headers (`x-obs-grant-read: id=…` or `x-amz-grant-read: uri="…", id="…"`): the AWS SDK's
 * GrantRead/GrantWrite/… and esdk's GrantRead/… parameters.
 */
export function grantsFromHeaders(get: (name: string) => string | undefined): Grant[] | undefined {
  const names: [string, Permission][] = [
    ["grant-read", "READ"],
    ["grant-write", "WRITE"],
    ["grant-read-acp", "READ_ACP"],
    ["grant-write-acp", "WRITE_ACP"],
    ["grant-full-control", "FULL_CONTROL"],
  ];
  let out: Grant[] | undefined;
  for (const [name, permission] of names) {
    const value = get(name);
    if (value === undefined) continue;
    out ??= [];
    for (const part of value.split(",")) {
      const m = /^\s*(id|uri|emailAddress)\s*=\s*"?([^"]*)"?\s*$/i.exec(part);
      if (!m) throw obsErrors.invalidArgument(`Invalid grant header value: ${value}`);
      if (m[1]!.toLowerCase() === "emailaddress") throw obsErrors.invalidArgument("Grantees by e-mail address are not supported.");
      out.push(m[1]!.toLowerCase() === "id" ? { grantee: { id: m[2]! }, permission } : { grantee: { group: groupOf(m[2]!) }, permission });
    }
  }
  return out;
}
