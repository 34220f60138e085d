-- What a sync item's reason is about, as data (a JSON array of shared/errors.ts `About`), so each
-- language words it in whole sentences of its own; reason_detail keeps the English words. NULL on
-- rows written before, and on reasons that are not about a mapping.
ALTER TABLE sync_items ADD COLUMN reason_about TEXT;
