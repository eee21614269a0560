// The kinds of document SMN keeps in smn_docs (docs.ts), with the schemas their rows are parsed with.
// Times are ms on hwlocal's clock.
import type { Database } from "better-sqlite3";
import { z } from "../../kernel/zod.ts";
import { DocTable, type DocKind } from "./docs.ts";

const template = () => z.object({ name: z.string(), protocol: z.string(), content: z.string(), updatedAt: z.number() });
const attribute = () => z.object({ name: z.string(), value: z.string(), updatedAt: z.number() });
const tags = () => z.object({ tags: z.array(z.object({ key: z.string(), value: z.string() })) });
const application = () =>
  z.object({
    name: z.string(),
    platform: z.string(),
    principal: z.string(),
    credential: z.string(),
    applicationId: z.string(),
    enabled: z.string(),
  });
const endpoint = () => z.object({ token: z.string(), userData: z.string(), enabled: z.string() });
const logtank = () => z.object({ logGroupId: z.string(), logStreamId: z.string(), updatedAt: z.number() });
const kms = () => z.object({ keyId: z.string() });
const notifyPolicy = () =>
  z.object({ protocol: z.string(), polling: z.array(z.object({ order: z.number(), subscriptionUrns: z.array(z.string()) })) });
const filter = () => z.object({ policies: z.array(z.object({ name: z.string(), string_equals: z.array(z.string()) })) });
const detection = () => z.object({ status: z.number(), httpCode: z.number(), httpResponse: z.string() });

export type Template = z.output<ReturnType<typeof template>>;
export type Application = z.output<ReturnType<typeof application>>;
export type AppEndpoint = z.output<ReturnType<typeof endpoint>>;
export type Logtank = z.output<ReturnType<typeof logtank>>;
export type NotifyPolicy = z.output<ReturnType<typeof notifyPolicy>>;
export type FilterPolicies = z.output<ReturnType<typeof filter>>["policies"];
export type ResourceTag = { key: string; value: string };

export interface SmnDocs {
  table: DocTable;
  templates: DocKind<Template>;
  /** id `${topicUrn}|${name}`, parent the topic. */
  attributes: DocKind<z.output<ReturnType<typeof attribute>>>;
  /** id and parent: the topic URN. */
  tags: DocKind<{ tags: ResourceTag[] }>;
  applications: DocKind<Application>;
  /** parent: the application URN. */
  endpoints: DocKind<AppEndpoint>;
  logtanks: DocKind<Logtank>;
  kms: DocKind<z.output<ReturnType<typeof kms>>>;
  notifyPolicies: DocKind<NotifyPolicy>;
  /** id: the subscription URN; parent: its topic. */
  filters: DocKind<{ policies: FilterPolicies }>;
  /** HTTP detection tasks; parent: the topic. */
  detections: DocKind<z.output<ReturnType<typeof detection>>>;
}

export function smnDocs(db: Database): SmnDocs {
  const table = new DocTable(db);
  return {
    table,
    templates: table.kind("template", template()),
    attributes: table.kind("attribute", attribute()),
    tags: table.kind("tags", tags()),
    applications: table.kind("application", application()),
    endpoints: table.kind("endpoint", endpoint()),
    logtanks: table.kind("logtank", logtank()),
    kms: table.kind("kms", kms()),
    notifyPolicies: table.kind("notify_policy", notifyPolicy()),
    filters: table.kind("filter", filter()),
    detections: table.kind("detection", detection()),
  };
}
