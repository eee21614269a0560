// Federation objects of a domain (identity providers, mappings, protocols, OpenID Connect configurations,
// SAML metadata), each a JSON document under (domain, kind, key). Federated tokens from OIDC ID tokens:
// operations/federation-tokens.ts and store/federated-tokens.ts.
import type { Database, Statement } from "better-sqlite3";
import { int, text, type SqlRow } from "../../../store/rows.ts";

export const FEDERATION_MIGRATION = `
  CREATE TABLE iam_federation (
    domain_id TEXT NOT NULL REFERENCES iam_domains(id), kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
    created_at INTEGER NOT NULL, PRIMARY KEY (domain_id, kind, key));
`;

export type FederationKind = "idp" | "mapping" | "protocol" | "oidc" | "metadata";

export interface FederationRow {
  key: string;
  value: Record<string, unknown>;
  created_at: number;
}

const toRow = (r: SqlRow): FederationRow => {
  const v: unknown = JSON.parse(text(r, "value"));
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error("iam_federation.value is not a JSON object");
  return { key: text(r, "key"), value: v as Record<string, unknown>, created_at: int(r, "created_at") };
};

export class FederationStore {
  private readonly st: Record<string, Statement>;

  constructor(
    db: Database,
    private readonly changed: () => void,
  ) {
    const p = (sql: string) => db.prepare(sql);
    this.st = {
      get: p("SELECT * FROM iam_federation WHERE domain_id = ? AND kind = ? AND key = ?"),
      domainsWith: p("SELECT domain_id FROM iam_federation WHERE kind = ? AND key = ? ORDER BY created_at, domain_id"),
      list: p("SELECT * FROM iam_federation WHERE domain_id = ? AND kind = ? ORDER BY created_at, key"),
      insert: p("INSERT INTO iam_federation (domain_id, kind, key, value, created_at) VALUES (?, ?, ?, ?, ?)"),
      update: p("UPDATE iam_federation SET value = ? WHERE domain_id = ? AND kind = ? AND key = ?"),
      delete: p("DELETE FROM iam_federation WHERE domain_id = ? AND kind = ? AND key = ?"),
      deletePrefix: p("DELETE FROM iam_federation WHERE domain_id = ? AND kind = ? AND key LIKE ? ESCAPE '\\'"),
    };
  }

  private s(name: string): Statement {
    const st = this.st[name];
    if (!st) throw new Error(`no statement ${name}`);
    return st;
  }

  get(domainId: string, kind: FederationKind, key: string): FederationRow | undefined {
    const r = this.s("get").get(domainId, kind, key);
    return r === undefined ? undefined : toRow(r as SqlRow);
  }
  /** The domains holding an object of this kind and key (an identity provider named by an unsigned request). */
  domainsWith(kind: FederationKind, key: string): string[] {
    return this.s("domainsWith").all(kind, key).map((r) => text(r as SqlRow, "domain_id"));
  }
  list(domainId: string, kind: FederationKind): FederationRow[] {
    return this.s("list").all(domainId, kind).map((r) => toRow(r as SqlRow));
  }
  insert(domainId: string, kind: FederationKind, key: string, value: Record<string, unknown>, now: number): void {
    this.changed();
    this.s("insert").run(domainId, kind, key, JSON.stringify(value), now);
  }
  update(domainId: string, kind: FederationKind, key: string, value: Record<string, unknown>): void {
    this.changed();
    this.s("update").run(JSON.stringify(value), domainId, kind, key);
  }
  delete(domainId: string, kind: FederationKind, key: string): boolean {
    this.changed();
    return this.s("delete").run(domainId, kind, key).changes > 0;
  }
  /** Deletes the rows of a kind whose key starts with `prefix` (an identity provider's protocols, ...). */
  deletePrefix(domainId: string, kind: FederationKind, prefix: string): void {
    this.changed();
    this.s("deletePrefix").run(domainId, kind, `${prefix.replace(/[\\%_]/g, "\\$&")}%`);
  }
}
