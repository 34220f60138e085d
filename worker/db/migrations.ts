/** The D1 migrations applied (`d1_migrations`, wrangler's own table): the health check's proof that D1 answers. */
export async function appliedMigrations(db: D1Database): Promise<{ count: number; last: string | null }> {
  const row = await db
    .prepare("SELECT COUNT(*) AS n, MAX(name) AS last FROM d1_migrations")
    .first<{ n: number; last: string | null }>();
  return { count: row?.n ?? 0, last: row?.last ?? null };
}
