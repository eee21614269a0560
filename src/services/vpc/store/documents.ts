// Resources kept as JSON documents in vpc_documents (migration 5): each model (model/*.ts) parses its own
// document shape on every read. A document belongs to a project; a peering is also seen by its accepting
// project (peer_project_id). Tags live beside the document (store/tags.ts edits them).
import { all, int, maybe, oneOf, text, textOrNull, type SqlRow } from "../../../store/rows.ts";
import { parseTags, type Tag } from "./rows.ts";
import type { Page, PageRequest, Sql } from "./sql.ts";

export const DOC_KINDS = [
  "peering",
  "route",
  "routetable",
  "flowlog",
  "addressgroup",
  "firewall",
  "subni",
  "mirrorfilter",
  "mirrorrule",
  "mirrorsession",
  "clouddcn",
] as const;
export type DocKind = (typeof DOC_KINDS)[number];

export interface DocRow {
  seq: number;
  id: string;
  project_id: string;
  kind: DocKind;
  peer_project_id: string | null;
  doc: unknown;
  tags: Tag[];
  created_at: number;
  updated_at: number;
}

const toDoc = (r: SqlRow): DocRow => ({
  seq: int(r, "seq"),
  id: text(r, "id"),
  project_id: text(r, "project_id"),
  kind: oneOf(r, "kind", DOC_KINDS),
  peer_project_id: textOrNull(r, "peer_project_id"),
  doc: JSON.parse(text(r, "doc")),
  tags: parseTags(text(r, "tags")),
  created_at: int(r, "created_at"),
  updated_at: int(r, "updated_at"),
});

export interface NewDoc {
  id: string;
  projectId: string;
  kind: DocKind;
  peerProjectId?: string;
  doc: unknown;
  tags?: Tag[];
  now: number;
}

export class DocumentStore {
  constructor(private readonly sql: Sql) {}

  /** The project's own document of that kind, or (withPeer) one it is the peer of. */
  get(projectId: string, kind: DocKind, id: string, withPeer = false): DocRow | undefined {
    const who = withPeer ? "(project_id = ? OR peer_project_id = ?)" : "(project_id = ? AND ? IS NOT NULL)";
    return maybe(toDoc, this.sql.st(`SELECT * FROM vpc_documents WHERE id = ? AND kind = ? AND ${who}`).get(id, kind, projectId, projectId));
  }

  /** Every document of that kind the project owns (or, withPeer, is the peer of), in creation order. */
  all(projectId: string, kind: DocKind, withPeer = false): DocRow[] {
    const sql = withPeer
      ? "SELECT * FROM vpc_documents WHERE kind = ? AND (project_id = ? OR peer_project_id = ?) ORDER BY seq"
      : "SELECT * FROM vpc_documents WHERE kind = ? AND project_id = ? AND ? IS NOT NULL ORDER BY seq";
    return all(toDoc, this.sql.st(sql).all(kind, projectId, projectId));
  }

  count(projectId: string, kind: DocKind): number {
    const n: unknown = this.sql.st("SELECT count(*) FROM vpc_documents WHERE project_id = ? AND kind = ?").pluck().get(projectId, kind);
    return typeof n === "number" ? n : 0;
  }

  insert(d: NewDoc): void {
    this.sql
      .st(`INSERT INTO vpc_documents (id, project_id, kind, peer_project_id, doc, tags, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(d.id, d.projectId, d.kind, d.peerProjectId ?? null, JSON.stringify(d.doc), JSON.stringify(d.tags ?? []), d.now, d.now);
  }

  update(id: string, doc: unknown, now: number): void {
    this.sql.st("UPDATE vpc_documents SET doc = ?, updated_at = ? WHERE id = ?").run(JSON.stringify(doc), now, id);
  }

  delete(id: string): void {
    this.sql.st("DELETE FROM vpc_documents WHERE id = ?").run(id);
  }
}

/** Marker paging over an already filtered list: the items after the marker's, at most limit of them. */
export function pageList<T extends { id: string }>(items: T[], page: PageRequest): Page<T> {
  let start = 0;
  if (page.marker !== undefined) {
    const i = items.findIndex((x) => x.id === page.marker);
    if (i < 0) return "bad-marker";
    start = i + 1;
  }
  return page.limit === undefined ? items.slice(start) : items.slice(start, start + page.limit);
}
