// SMN's smaller resources (message templates, topic attributes, tags, applications and their endpoints,
// logtanks, KMS keys, notify policies, subscription filter policies) as JSON documents in one table, each
// kind parsed with its own schema when read back. Every query names the project; `parent` is the topic (or
// application, or subscription) a document belongs to, so deleting that parent deletes them.
// The table's code is shared with the other services that keep documents (src/store/docs.ts).
import type { Database } from "better-sqlite3";
import { DocTable as Documents, docsMigration } from "../../store/docs.ts";

export type { Doc, DocKind } from "../../store/docs.ts";

export const SMN_DOCS_MIGRATION = docsMigration("smn_docs");

export class DocTable extends Documents {
  constructor(db: Database) {
    super(db, "smn_docs");
  }
}
