import { env } from "cloudflare:workers";
import { afterAll, describe, expect, it } from "vitest";
import type { DigestResponse } from "../../../shared/api";
import type { OutgoingEmail } from "../../../worker/services";
import { runScheduled } from "../../../worker/sync/cron";
import { forgetEverything, trade, unmapCash } from "../drift/helpers";
import { createStack, TENANT } from "../support/stack";

afterAll(forgetEverything);

describe("the daily digest of a store placed on another shard", () => {
  it("is read, sent and recorded on the store's own shard, once", { timeout: 240_000 }, async () => {
    const stack = await createStack({ env: { SHARD_PLACEMENT: "1" } });
    const outbox: OutgoingEmail[] = [];
    stack.deps.sendEmail = async (m: OutgoingEmail) => void outbox.push(m);
    // cash unmapped: the day's closures need the merchant
    await unmapCash(stack);
    await trade(stack);
    const ok = await stack.api<DigestResponse>("/api/digest", {
      method: "PUT",
      body: { enabled: true, recipient: "owner@boutique.example", lang: "en" },
    });
    expect(ok.status).toBe(200);

    const day = stack.now().toISOString().slice(0, 10);
    stack.advance(Date.parse(`${day}T07:05:00-05:00`) - stack.now().getTime());
    await runScheduled(env, { scheduledTime: stack.now() }, stack.deps);
    await runScheduled(env, { scheduledTime: stack.now() }, stack.deps);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]!.to).toBe("owner@boutique.example");
    expect((await stack.api<DigestResponse>("/api/digest")).body.last).toMatchObject({ day, status: "sent" });

    // the store's rows are on shard 1; home holds none of its settings
    const at = (db: D1Database) =>
      db.prepare("SELECT COUNT(*) AS n FROM tenants WHERE id = ?1").bind(TENANT).first<{ n: number }>();
    expect((await at(env.DB_SHARD_1))!.n).toBe(1);
    expect((await at(env.DB))!.n).toBe(0);
  });
});
