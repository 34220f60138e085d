-- "Paid in QBO" moves from one KV key per sale to the invoice's drift row, so the status endpoint
-- reads every note of a page in the same single query as the drift flags.
ALTER TABLE drift_docs ADD COLUMN paid_in_qbo_minor INTEGER;
