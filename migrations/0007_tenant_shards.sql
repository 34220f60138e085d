-- Tenants sharded across D1 databases (docs/SCALE.md, "Past one database"). Every database gets the
-- whole schema; the home database (the `DB` binding) keeps what must be found before the tenant is
-- known — the directory below, sessions, session handoffs, OAuth states, the realm → tenant map and
-- the per-address rate windows — and each tenant's own rows live in its shard (`DB_SHARD_<n>`).

-- The directory: which shard holds a tenant. A tenant without a row lives at home (shard 0), so every
-- tenant from before this migration keeps working with no data moved. `moving`: its rows are being
-- copied to another shard; its work waits (webhooks get a 503 the POS retries).
CREATE TABLE tenant_shards (
  tenant_id TEXT PRIMARY KEY,
  shard INTEGER NOT NULL CHECK (shard >= 0),
  state TEXT NOT NULL CHECK (state IN ('active', 'moving')),
  updated_at TEXT NOT NULL
);
CREATE INDEX tenant_shards_shard ON tenant_shards (shard);

-- QBO company (realm id) → the tenant connected to it, whichever shard holds the tenant: Intuit's
-- webhooks name the realm only, and a company is connected to one tenant at a time across all shards.
CREATE TABLE qbo_realms (
  realm_id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
INSERT INTO qbo_realms (realm_id, tenant_id, updated_at)
  SELECT external_id, tenant_id, updated_at FROM connections
  WHERE provider = 'qbo' AND status != 'disconnected' AND external_id IS NOT NULL;

-- Sessions live at home while their tenant's rows may live in a shard: the foreign key to tenants(id)
-- goes (SQLite cannot drop a constraint in place, so the table is rebuilt with the same rows).
CREATE TABLE sessions_homed (
  token_hash TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  user_label TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  last_seen_at TEXT,
  revoked_at TEXT
);
INSERT INTO sessions_homed (token_hash, tenant_id, user_label, created_at, expires_at, last_seen_at, revoked_at)
  SELECT token_hash, tenant_id, user_label, created_at, expires_at, last_seen_at, revoked_at FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_homed RENAME TO sessions;
CREATE INDEX sessions_tenant ON sessions (tenant_id);
