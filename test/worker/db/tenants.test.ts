import { describe, expect, it } from "vitest";
import { qboRealms, saveConnected, tenantConnections } from "../../../worker/db/connections";
import { appliedMigrations } from "../../../worker/db/migrations";
import { createSession, liveSessionLabel, revokeSession } from "../../../worker/db/sessions";
import { getTenant, setSyncFrom, setWebhookSecretHash } from "../../../worker/db/tenants";
import { webhookEventStatement } from "../../../worker/db/webhook-events";
import { db, freshTenant, later, t0 } from "./helpers";

const tokens = {
  accessTokenEnc: "a",
  refreshTokenEnc: "r",
  keyId: "k1",
  accessExpiresAt: later(3600).toISOString(),
  refreshExpiresAt: later(86_400).toISOString(),
};

describe("tenants: a store's settings and webhook secret", () => {
  it("records the day its history starts and the hash its webhooks are checked with", async () => {
    const t = await freshTenant();
    await setSyncFrom(db, t, "2026-11-01", later(1));
    await setWebhookSecretHash(db, t, "hash-1", later(2));
    expect(JSON.parse((await getTenant(db, t))!.settings_json)).toMatchObject({ syncFrom: "2026-11-01" });
    const secret = () =>
      db.prepare("SELECT webhook_secret_hash AS h FROM tenants WHERE id = ?1").bind(t).first<{ h: string | null }>();
    expect((await secret())?.h).toBe("hash-1");
    await setWebhookSecretHash(db, t, null, later(3));
    expect((await secret())?.h).toBeNull();
  });
});

describe("sessions: the one that started a connection", () => {
  it("names a live session by its label; expired, revoked or absent: null", async () => {
    const t = await freshTenant();
    const { session } = await createSession(db, t, "Ana", t0);
    expect(await liveSessionLabel(db, session.tokenHash, later(60))).toBe("Ana");
    expect(await liveSessionLabel(db, session.tokenHash, new Date(Date.parse(session.expiresAt) + 1))).toBeNull();
    expect(await liveSessionLabel(db, null, t0)).toBeNull();
    await revokeSession(db, session.tokenHash, later(61));
    expect(await liveSessionLabel(db, session.tokenHash, later(62))).toBeNull();
  });
});

describe("connections across tenants", () => {
  it("lists every tenant with its connections, one or all, and maps QBO companies to tenants", async () => {
    const t = await freshTenant();
    const bare = await freshTenant();
    const realm = `9${Date.now()}${Math.floor(Math.random() * 1000)}`;
    await saveConnected(
      db,
      { tenantId: t, provider: "pos", externalId: t, environment: null, displayName: t, tokens },
      t0,
    );
    await saveConnected(
      db,
      { tenantId: t, provider: "qbo", externalId: realm, environment: "sandbox", displayName: "Co", tokens },
      t0,
    );
    const rows = await tenantConnections(db, t);
    expect(rows.map((r) => [r.id, r.provider, r.status]).sort()).toEqual([
      [t, "pos", "connected"],
      [t, "qbo", "connected"],
    ]);
    expect(await tenantConnections(db, bare)).toEqual([
      { id: bare, provider: null, status: null, status_reason: null, refresh_expires_at: null },
    ]);
    const all = await tenantConnections(db);
    expect(all.filter((r) => r.id === t || r.id === bare)).toHaveLength(3);
    expect(all.map((r) => r.id)).toEqual([...all.map((r) => r.id)].sort());
    expect((await qboRealms(db)).get(realm)).toBe(t);
  });
});

describe("webhook events and migrations", () => {
  it("records a delivery once: the same body again changes nothing", async () => {
    const t = await freshTenant();
    const [first] = await db.batch([webhookEventStatement(db, t, "h1", t0)]);
    const [again, other] = await db.batch([
      webhookEventStatement(db, t, "h1", later(5)),
      webhookEventStatement(db, t, "h2", later(5)),
    ]);
    expect([first!.meta.changes, again!.meta.changes, other!.meta.changes]).toEqual([1, 0, 1]);
  });

  it("counts the migrations applied and names the last", async () => {
    const applied = await appliedMigrations(db);
    expect(applied.count).toBeGreaterThan(0);
    expect(applied.last).toMatch(/^\d{4}_.+\.sql$/);
  });
});
