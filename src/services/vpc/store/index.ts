// VPC's state, one typed store per resource family over one database. SQL lives only in this folder.
import type { Database } from "better-sqlite3";
import { DocumentStore } from "./documents.ts";
import { NetworkStore } from "./networks.ts";
import { NeutronStore } from "./neutron.ts";
import { PortStore } from "./ports.ts";
import { PublicIpStore } from "./publicips.ts";
import { SecurityStore } from "./security.ts";
import { Sql } from "./sql.ts";
import { TagStore } from "./tags.ts";

export { VPC_MIGRATIONS } from "./migrations.ts";
export type { Page, PageRequest } from "./sql.ts";
export type { DocKind, DocRow } from "./documents.ts";
export type { TagTarget, Tagged } from "./tags.ts";
export type * from "./rows.ts";

export class VpcStore {
  private readonly sql: Sql;
  readonly networks: NetworkStore;
  readonly security: SecurityStore;
  readonly ports: PortStore;
  readonly publicIps: PublicIpStore;
  readonly neutron: NeutronStore;
  readonly documents: DocumentStore;
  readonly tags: TagStore;

  constructor(db: Database) {
    this.sql = new Sql(db);
    this.networks = new NetworkStore(this.sql);
    this.security = new SecurityStore(this.sql);
    this.ports = new PortStore(this.sql);
    this.publicIps = new PublicIpStore(this.sql);
    this.neutron = new NeutronStore(this.sql);
    this.documents = new DocumentStore(this.sql);
    this.tags = new TagStore(this.sql);
  }

  /** Runs fn in a transaction (a savepoint when a caller, e.g. another service, already has one open). */
  tx<T>(fn: () => T): T {
    return this.sql.tx(fn);
  }
}
