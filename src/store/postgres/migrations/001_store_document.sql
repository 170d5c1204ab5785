-- The store is one validated JSON document, as in the file store: the unit every write replaces.
-- version goes up by one per committed write, so a replica knows it is behind with one indexed read.
-- json, not jsonb: jsonb reorders object keys, and the order is part of what users see (history
-- --json prints before/after values as they were written) and of an export's exact bytes.
create table store_document (
  id int primary key check (id = 1),
  version bigint not null,
  doc json not null,
  updated_at timestamptz not null default now()
);

-- Keys that must exist once across every replica (a digest per channel and week), mirrored from
-- the document in the same transaction: a second claim fails on the primary key even if the
-- logic that reads the document first ever slipped.
create table unique_keys (
  kind text not null,
  key text not null,
  primary key (kind, key)
);
