-- Backfill by date range (issue 10) and the operator's counters.

-- How a backfill treats closures whose counted totals the POS never gave (see docs/GOING-LIVE.md):
-- 'expected' posts them with counted = expected (no till discrepancy, marked 'assumed'), 'wait'
-- leaves them blocked until the back office's closure summary page gives the counted totals.
ALTER TABLE backfills ADD COLUMN counted_policy TEXT NOT NULL DEFAULT 'expected' CHECK (counted_policy IN ('expected', 'wait'));
-- planning (listing the range's objects) → posting → finished
ALTER TABLE backfills ADD COLUMN phase TEXT NOT NULL DEFAULT 'planning' CHECK (phase IN ('planning', 'posting', 'finished'));
-- When it last started or resumed, and how many objects were settled then: the ETA's rate
ALTER TABLE backfills ADD COLUMN run_started_at TEXT;
ALTER TABLE backfills ADD COLUMN run_settled_start INTEGER NOT NULL DEFAULT 0;
-- Why it is not progressing (QBO not connected, throttled…), for the operator
ALTER TABLE backfills ADD COLUMN note TEXT;
ALTER TABLE backfills ADD COLUMN finished_at TEXT;
CREATE INDEX backfills_tenant ON backfills (tenant_id, status);

-- The objects of a backfill, in posting order. `sync_item_id` is set when the object's sync item is
-- linked (it already existed) or released (recorded and sent by the backfill); `maybe_posted` when
-- a QBO document carrying its Tillbridge marker was found, so it is looked up before any create.
CREATE TABLE backfill_items (
  backfill_id INTEGER NOT NULL,           -- backfills.id
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  pos_id TEXT NOT NULL,
  business_date TEXT NOT NULL,
  sync_item_id INTEGER,
  maybe_posted INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (backfill_id, kind, pos_id)
);
CREATE INDEX backfill_items_next ON backfill_items (backfill_id, sync_item_id, seq);

-- Counters of events nothing else records (QBO 429s, 5xx, answers that never came), per scope (a
-- QBO realm id) and UTC hour. Posting outcomes are counted from audit_log and sync_items instead.
CREATE TABLE op_counters (
  scope TEXT NOT NULL,
  name TEXT NOT NULL,
  hour TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (scope, name, hour)
);
CREATE INDEX op_counters_hour ON op_counters (hour);
