// OBS's tables. Append only: a later change is a new string at the end, never an edit of an old one.
//
// Keys are TEXT under SQLite's BINARY collation, which compares the stored UTF-8 with memcmp: that is the
// order of the keys' UTF-8 bytes, the order OBS and S3 list in, so `ORDER BY key` and `key > ?` page
// correctly for any Unicode (JavaScript's own string order, by UTF-16 units, differs above U+FFFF).
//
// Every object and part row names its blob file (`blobs/<blob>` under the OBS folder). A blob is written
// whole and renamed into place before the row that names it is committed, and never modified after, so a
// row never names a missing or partial file. UNIQUE(blob) keeps two rows from sharing one file (copies are
// hard links under a new name) and makes the start-up sweep's "is this file referenced?" one index probe.
//
// Room left for later: obs_buckets has versioning/acl/policy/cors/lifecycle/tagging columns (NULL: not
// set); obs_objects holds the current version of each key with its version_id (NULL: unversioned, OBS's
// "null" version); noncurrent versions and delete markers will live in a table of their own, so that
// listing the current keys stays one range scan of this table's primary key.
export const OBS_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE obs_buckets (
    name TEXT PRIMARY KEY,
    domain_id TEXT NOT NULL,
    location TEXT NOT NULL,
    storage_class TEXT NOT NULL DEFAULT 'STANDARD',
    acl TEXT NOT NULL DEFAULT 'private',
    versioning TEXT,
    policy TEXT,
    cors TEXT,
    lifecycle TEXT,
    tagging TEXT,
    created_at INTEGER NOT NULL) WITHOUT ROWID;
  CREATE INDEX obs_buckets_domain ON obs_buckets(domain_id, name);

  CREATE TABLE obs_objects (
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    version_id TEXT,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    content_type TEXT NOT NULL,
    metadata TEXT NOT NULL DEFAULT '{}',
    headers TEXT NOT NULL DEFAULT '{}',
    storage_class TEXT NOT NULL DEFAULT 'STANDARD',
    acl TEXT,
    last_modified INTEGER NOT NULL,
    blob TEXT NOT NULL UNIQUE,
    PRIMARY KEY (bucket, key)) WITHOUT ROWID;

  CREATE TABLE obs_uploads (
    upload_id TEXT PRIMARY KEY,
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    initiator TEXT NOT NULL,
    content_type TEXT NOT NULL,
    metadata TEXT NOT NULL DEFAULT '{}',
    headers TEXT NOT NULL DEFAULT '{}',
    storage_class TEXT NOT NULL DEFAULT 'STANDARD',
    acl TEXT,
    initiated INTEGER NOT NULL);
  CREATE INDEX obs_uploads_key ON obs_uploads(bucket, key, initiated, upload_id);

  CREATE TABLE obs_parts (
    upload_id TEXT NOT NULL REFERENCES obs_uploads(upload_id) ON DELETE CASCADE,
    part_number INTEGER NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    last_modified INTEGER NOT NULL,
    blob TEXT NOT NULL UNIQUE,
    PRIMARY KEY (upload_id, part_number)) WITHOUT ROWID;
  `,
  // 2: object tags (XML <Tagging> as JSON pairs), appendable objects (OBS's object type and append count),
  // bucket quota in bytes (0: none).
  `
  ALTER TABLE obs_objects ADD COLUMN tagging TEXT;
  ALTER TABLE obs_objects ADD COLUMN object_type TEXT NOT NULL DEFAULT 'Normal';
  ALTER TABLE obs_objects ADD COLUMN append_count INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE obs_buckets ADD COLUMN quota INTEGER NOT NULL DEFAULT 0;
  `,
  // 3: versioning (store/versions.ts): noncurrent versions and delete markers, each key's newest first by
  // seq; version_id 'null' is the null version; a delete marker has no blob (UNIQUE allows many NULLs).
  `
  CREATE TABLE obs_versions (
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    version_id TEXT NOT NULL,
    delete_marker INTEGER NOT NULL DEFAULT 0,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    content_type TEXT NOT NULL,
    metadata TEXT NOT NULL DEFAULT '{}',
    headers TEXT NOT NULL DEFAULT '{}',
    storage_class TEXT NOT NULL DEFAULT 'STANDARD',
    acl TEXT,
    last_modified INTEGER NOT NULL,
    blob TEXT UNIQUE,
    tagging TEXT,
    object_type TEXT NOT NULL DEFAULT 'Normal',
    append_count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (bucket, key, seq)) WITHOUT ROWID;
  CREATE UNIQUE INDEX obs_versions_id ON obs_versions(bucket, key, version_id);
  `,
];
