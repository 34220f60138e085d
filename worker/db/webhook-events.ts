/**
 * Webhook deliveries already handled (`webhook_events`), by a hash of their body: a POS that
 * delivers the same event twice gets "duplicate" the second time.
 */

/** Records a delivery; in a batch, its `meta.changes` is 0 when the same body came before. */
export function webhookEventStatement(
  db: D1Database,
  tenantId: string,
  bodyHash: string,
  now: Date,
): D1PreparedStatement {
  return db
    .prepare(
      "INSERT INTO webhook_events (tenant_id, event_hash, received_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
    )
    .bind(tenantId, bodyHash, now.toISOString());
}
