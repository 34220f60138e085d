-- What the sync engine must remember across attempts, beyond the state machine of 0001.
--
-- txn_date_override: a person chose to post a document dated in a closed period into the first
--   open day (POST /api/sync/resolve); documents dated before it are re-dated to it, the original
--   date noted in PrivateNote.
-- sends: how many times a create was about to leave for QBO (written before it leaves). Any value
--   above zero means a document may exist in QBO that D1 does not know about yet, so the next
--   attempt looks it up before creating anything (the Worker may have died in between).
-- request_gen: which QBO requestid generation the documents are sent with. QBO answers a repeated
--   requestid with its first answer, refusals included, so after a definite refusal (610, 6210,
--   a throttle) or a re-date the next send must use a new requestid; after an unknown outcome
--   (timeout, 5xx) it must keep the same one.
ALTER TABLE sync_items ADD COLUMN txn_date_override TEXT;
ALTER TABLE sync_items ADD COLUMN sends INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_items ADD COLUMN request_gen INTEGER NOT NULL DEFAULT 0;
CREATE INDEX sync_items_blocked ON sync_items (tenant_id, state, blocked_on);

-- Discovery reads the sales stored since it last looked, by POS version (see worker/sync/discover.ts).
CREATE INDEX pos_objects_version ON pos_objects (tenant_id, kind, CAST(version AS INTEGER));
