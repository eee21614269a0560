// Cloud Eye's smaller resources (alarm templates, resource groups, events, v2 alarm rules, notification
// masks, dashboards and widgets, one-click alarms) as JSON documents in one table, each kind parsed with its
// own schema when read back. Every query names the project; `parent` ties a document to the one it belongs to
// (a widget to its dashboard), so deleting that parent deletes them.
// The table's code is shared with the other services that keep documents (src/store/docs.ts).
import type { Database } from "better-sqlite3";
import { DocTable as Documents, docsMigration } from "../../store/docs.ts";

export type { Doc, DocKind } from "../../store/docs.ts";

export const CES_DOCS_MIGRATION = docsMigration("ces_docs");

export class DocTable extends Documents {
  constructor(db: Database) {
    super(db, "ces_docs");
  }
}
