// What every SMN handler gets as ctx.svc, and the lookups and checks they share: URNs, names, endpoints,
// paging. A topic of another project is "not found", never data.
import type { Clock } from "../../kernel/clock.ts";
import type { Ids } from "../../kernel/ids.ts";
import { operationsFor, type Scope } from "../../kernel/service.ts";
import { smnErrors, smnServiceErrors } from "./errors.ts";
import type { SmnDocs } from "./resources.ts";
import { PROTOCOLS, type Protocol, type SmnStore, type Subscription, type Topic } from "./store.ts";

export interface SmnContext {
  store: SmnStore;
  docs: SmnDocs;
  clock: Clock;
  ids: Ids;
  /** Delivery ids whose HTTP request is under way (in memory: a restart retries them). */
  inFlight: Set<string>;
}

export const smnOperation = operationsFor<SmnContext>(smnServiceErrors);

export const TOPIC_LIMIT = 3000;
export const SUBSCRIPTION_LIMIT = 10000;

export interface ProjectScope {
  projectId: string;
  region: string;
}

export function requireProject(scope: Scope | undefined): ProjectScope {
  if (!scope?.projectId || !scope.region) throw smnErrors.noPermission("The request names no project.");
  return { projectId: scope.projectId, region: scope.region };
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/;
const TOPIC_URN = /^urn:smn:([a-z0-9-]+):([0-9a-f]{32}):([A-Za-z0-9][A-Za-z0-9_-]{0,254})$/;
const SUBSCRIPTION_URN = /^(urn:smn:[a-z0-9-]+:[0-9a-f]{32}:[A-Za-z0-9][A-Za-z0-9_-]{0,254}):[0-9a-f]{32}$/;

export function checkTopicName(name: unknown): string {
  if (typeof name !== "string" || !NAME.test(name)) throw smnErrors.nameInvalid();
  return name;
}

export function checkDisplayName(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v !== "string" || Buffer.byteLength(v) > 192) throw smnErrors.displayNameInvalid();
  return v;
}

export const topicUrnOf = (p: ProjectScope, name: string) => `urn:smn:${p.region}:${p.projectId}:${name}`;

export function requireTopic(svc: SmnContext, projectId: string, urn: string): Topic {
  if (!TOPIC_URN.test(urn)) throw smnErrors.topicUrnInvalid();
  const t = svc.store.topic(projectId, urn);
  if (!t) throw smnErrors.topicNotFound();
  return t;
}

export function requireSubscription(svc: SmnContext, projectId: string, urn: string): Subscription {
  if (!SUBSCRIPTION_URN.test(urn)) throw smnErrors.subscriptionUrnInvalid();
  const s = svc.store.subscription(projectId, urn);
  if (!s) throw smnErrors.subscriptionNotFound();
  return s;
}

export function checkProtocol(v: unknown): Protocol {
  if (typeof v !== "string" || !(PROTOCOLS as readonly string[]).includes(v)) throw smnErrors.protocolInvalid();
  return v as Protocol;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const PHONE = /^\+?[0-9]{5,20}$/;
const FUNCTION_URN = /^urn:fss:[a-z0-9-]+:[0-9a-f]{32}:function:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+(:[A-Za-z0-9_.-]+)?$/;

function isUrl(v: string, scheme: "http:" | "https:"): boolean {
  try {
    const u = new URL(v);
    return u.protocol === scheme && u.hostname !== "";
  } catch {
    return false;
  }
}

/** The endpoint as the protocol requires it: an address, a phone number, a URL of its scheme, a function URN. */
export function checkEndpoint(protocol: Protocol, v: unknown): string {
  if (typeof v !== "string" || v.length === 0 || v.length > 2048) throw smnErrors.endpointInvalid();
  const ok =
    protocol === "email" ? EMAIL.test(v)
    : protocol === "sms" ? PHONE.test(v)
    : protocol === "http" ? isUrl(v, "http:")
    : protocol === "https" ? isUrl(v, "https:")
    : FUNCTION_URN.test(v); // functionstage and functiongraph
  if (!ok) throw smnErrors.endpointInvalid();
  return v;
}

/** offset (default 0) and limit (1–100, default 100), SMN.0015 otherwise. */
export function paging(q: { offset?: string | undefined; limit?: string | undefined }): { offset: number; limit: number } {
  const num = (v: string | undefined, dflt: number, min: number, max: number) => {
    if (v === undefined) return dflt;
    if (!/^[0-9]{1,9}$/.test(v)) throw smnErrors.pagingInvalid();
    const n = Number(v);
    if (n < min || n > max) throw smnErrors.pagingInvalid();
    return n;
  };
  return { offset: num(q.offset, 0, 0, 1e9), limit: num(q.limit, 100, 1, 100) };
}
