-- Tillbridge schema. One tenant = one POS retailer (its domain_prefix). Every row that belongs to a
-- merchant carries tenant_id, and every query is scoped by it.

CREATE TABLE tenants (
  id TEXT PRIMARY KEY,                    -- the POS domain_prefix
  name TEXT NOT NULL DEFAULT '',
  webhook_secret_hash TEXT,               -- SHA-256 of the per-tenant secret in the POS webhook URL
  settings_json TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- OAuth connections to the POS and to QBO. Tokens are AES-GCM encrypted (key id kept for rotation).
-- `generation` increases on every token write: refresh is compare-and-set on it, so a rotated
-- refresh token is never overwritten by an older one.
CREATE TABLE connections (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  provider TEXT NOT NULL CHECK (provider IN ('pos', 'qbo')),
  status TEXT NOT NULL CHECK (status IN ('connected', 'needs_reconnect', 'disconnected')),
  external_id TEXT,                       -- QBO realmId; POS domain_prefix
  environment TEXT,                       -- QBO: sandbox | production
  display_name TEXT,                      -- company / store name
  access_token_enc TEXT,
  refresh_token_enc TEXT,
  key_id TEXT,
  access_expires_at TEXT,
  refresh_expires_at TEXT,
  generation INTEGER NOT NULL DEFAULT 0,
  refresh_lease_until TEXT,               -- single-flight refresh: holder's lease
  refresh_lease_owner TEXT,
  status_reason TEXT,
  connected_at TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, provider)
);
CREATE UNIQUE INDEX connections_qbo_realm ON connections (external_id) WHERE provider = 'qbo' AND status != 'disconnected';

-- Extension sessions: random 256-bit tokens, stored as SHA-256 hashes, expiring and revocable.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  user_label TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  last_seen_at TEXT,
  revoked_at TEXT
);
CREATE INDEX sessions_tenant ON sessions (tenant_id);

-- OAuth state: single-use, short-lived, bound to the session (QBO) or the extension's nonce (POS).
CREATE TABLE oauth_states (
  state_hash TEXT PRIMARY KEY,
  provider TEXT NOT NULL CHECK (provider IN ('pos', 'qbo')),
  tenant_id TEXT,
  session_hash TEXT,
  nonce_hash TEXT,
  return_to TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT,
  result_json TEXT                        -- the outcome of the first callback, replayed on a duplicate
);

-- One-time handoff codes: the POS callback gives the extension a code it exchanges (with its nonce) for a session.
CREATE TABLE session_handoffs (
  code_hash TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  nonce_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);

-- Mappings: the current document per tenant plus every change.
CREATE TABLE mappings (
  tenant_id TEXT PRIMARY KEY REFERENCES tenants(id),
  version INTEGER NOT NULL,
  json TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE TABLE mapping_changes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  before_json TEXT NOT NULL,
  after_json TEXT NOT NULL,
  actor TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX mapping_changes_tenant ON mapping_changes (tenant_id, version);

-- Version cursors per tenant and POS resource (sales, registers, purchase_orders, gift_cards, ...).
CREATE TABLE cursors (
  tenant_id TEXT NOT NULL,
  resource TEXT NOT NULL,
  cursor TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, resource)
);

-- POS payloads Tillbridge keeps to build postings (sales seen through the version cursor, etc.).
CREATE TABLE pos_objects (
  tenant_id TEXT NOT NULL,
  kind TEXT NOT NULL,                     -- sale | register | purchase_order | ...
  id TEXT NOT NULL,
  version TEXT NOT NULL,
  sequence_ids TEXT NOT NULL DEFAULT '',  -- sales: ',seq1,seq2,' open sequences it touches
  json TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, kind, id)
);
CREATE INDEX pos_objects_seq ON pos_objects (tenant_id, kind, sequence_ids);

-- Register closures as announced (webhook) or discovered (register polling), with counted totals.
CREATE TABLE closures (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,                       -- the open-sequence id
  register_id TEXT NOT NULL,
  outlet_id TEXT,
  sequence_number INTEGER,
  opened_at TEXT,
  closed_at TEXT,
  payments_json TEXT,                     -- [{paymentTypeId, name, expected, counted}] as announced
  counted_source TEXT,                    -- webhook | backoffice | null (unknown yet)
  discovered_via TEXT NOT NULL,           -- webhook | poll
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

-- The sync items: one per POS object version. The state machine lives here.
CREATE TABLE sync_items (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  pos_id TEXT NOT NULL,
  pos_version TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('ready', 'posting', 'posted', 'blocked', 'failed', 'rejected', 'not_applicable', 'superseded')),
  reason_code TEXT,
  reason_detail TEXT,
  blocked_on TEXT,                        -- what heals it: mapping:<key> | connection:qbo | connection:pos | counted | period
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  last_attempt_at TEXT,
  lease_owner TEXT,
  lease_until TEXT,
  idem_key TEXT NOT NULL,
  docs_json TEXT NOT NULL DEFAULT '[]',   -- [{part, entity, id, docNumber}] posted so far
  txn_date TEXT,
  amount_minor INTEGER,
  mapping_version INTEGER,
  payload_hash TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  posted_at TEXT,
  UNIQUE (tenant_id, kind, pos_id, pos_version)
);
CREATE UNIQUE INDEX sync_items_key ON sync_items (idem_key);
CREATE INDEX sync_items_due ON sync_items (state, next_attempt_at);
CREATE INDEX sync_items_object ON sync_items (tenant_id, kind, pos_id);

-- Audit trail: who sent or retried what, when, with the payload hash and QBO ids.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,                    -- user:<label> | cron | webhook | system
  action TEXT NOT NULL,                   -- send | retry | post | fail | block | adopt | mapping | connect | disconnect ...
  kind TEXT,
  pos_id TEXT,
  pos_version TEXT,
  qbo_entity TEXT,
  qbo_id TEXT,
  payload_hash TEXT,
  detail TEXT
);
CREATE INDEX audit_log_tenant ON audit_log (tenant_id, at);

-- Webhook deliveries already seen (replay protection).
CREATE TABLE webhook_events (
  tenant_id TEXT NOT NULL,
  event_hash TEXT NOT NULL,
  received_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, event_hash)
);

-- Per-QBO-company request budget: requests counted per minute window (Intuit allows 500/min, 10/s).
CREATE TABLE qbo_rate (
  realm_id TEXT NOT NULL,
  window_start TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (realm_id, window_start)
);

-- Backfills by date range, with progress.
CREATE TABLE backfills (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT NOT NULL,
  from_date TEXT NOT NULL,
  to_date TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'paused', 'done', 'cancelled')),
  total INTEGER NOT NULL DEFAULT 0,
  done INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
