// Tags of every taggable VPC resource: the JSON `tags` column of VPCs, subnets, security groups, ports and
// documents (store/documents.ts), read and written whole. Lists by tags filter in the model (few rows).
import { all, text, type SqlRow } from "../../../store/rows.ts";
import type { DocKind } from "./documents.ts";
import { parseTags, type Tag } from "./rows.ts";
import type { Sql } from "./sql.ts";

export type TagTable = "vpc_vpcs" | "vpc_subnets" | "vpc_security_groups" | "vpc_ports" | "vpc_documents";

/** Where a kind of resource keeps its tags: a table, and the document kind for vpc_documents. */
export interface TagTarget {
  table: TagTable;
  kind?: DocKind;
}

export interface Tagged {
  id: string;
  name: string;
  tags: Tag[];
}

const toTagged = (r: SqlRow): Tagged => ({ id: text(r, "id"), name: text(r, "name"), tags: parseTags(text(r, "tags")) });

function where(t: TagTarget): string {
  return t.table === "vpc_documents" ? "project_id = ? AND kind = ?" : "project_id = ? AND ? IS NULL";
}

function nameColumn(t: TagTarget): string {
  return t.table === "vpc_documents" ? "coalesce(json_extract(doc, '$.name'), '')" : "name";
}

export class TagStore {
  constructor(private readonly sql: Sql) {}

  /** The resource's tags, or undefined when the project has no such resource. */
  tags(t: TagTarget, projectId: string, id: string): Tag[] | undefined {
    const v: unknown = this.sql.st(`SELECT tags FROM ${t.table} WHERE id = ? AND ${where(t)}`).pluck().get(id, projectId, t.kind ?? null);
    return typeof v === "string" ? parseTags(v) : undefined;
  }

  setTags(t: TagTarget, id: string, tags: Tag[]): void {
    this.sql.st(`UPDATE ${t.table} SET tags = ? WHERE id = ?`).run(JSON.stringify(tags), id);
  }

  /** Every resource of the kind in the project, with its name and tags, in creation order. */
  tagged(t: TagTarget, projectId: string): Tagged[] {
    const rows = this.sql.st(`SELECT id, ${nameColumn(t)} AS name, tags FROM ${t.table} WHERE ${where(t)} ORDER BY seq`).all(projectId, t.kind ?? null);
    return all(toTagged, rows);
  }
}
