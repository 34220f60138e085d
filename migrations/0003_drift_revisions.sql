-- Drift check (SPEC §3.6): every document Tillbridge posted, read back from QBO now and then. The
-- baseline is what the document looked like as posted; a later read that differs, or finds it
-- voided or deleted, flags it (the badge note and the audit trail say so).
CREATE TABLE drift_docs (
  tenant_id TEXT NOT NULL,
  entity TEXT NOT NULL,
  qbo_id TEXT NOT NULL,
  item_id INTEGER NOT NULL,               -- the sync item that posted it
  kind TEXT NOT NULL,
  pos_id TEXT NOT NULL,
  part TEXT NOT NULL,
  doc_number TEXT,
  baseline_json TEXT,                     -- the document's material content as posted (refs, amounts, date)
  sync_token TEXT,                        -- QBO's SyncToken at the last read
  status TEXT NOT NULL CHECK (status IN ('ok', 'edited', 'deleted', 'voided')),
  detail TEXT,
  checked_at TEXT NOT NULL,
  flagged_at TEXT,
  PRIMARY KEY (tenant_id, entity, qbo_id)
);
CREATE INDEX drift_docs_object ON drift_docs (tenant_id, kind, pos_id);

-- Re-sends (SPEC §3.5): one row per replacement of a posted object, so a double click or a retry
-- after a crash resumes the same replacement instead of starting a second one.
CREATE TABLE revisions (
  tenant_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  pos_id TEXT NOT NULL,
  from_item_id INTEGER NOT NULL,          -- the posted item being replaced
  from_version TEXT NOT NULL,
  to_version TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('voiding', 'posting', 'done')),
  voided_json TEXT NOT NULL DEFAULT '[]', -- [{part, entity, id, how: void|delete|gone}]
  actor TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, kind, pos_id, from_item_id)
);
