import { afterEach, describe, expect, it } from "vitest";
import type { LiabilitiesResponse, LiabilityRow, MappingsDocument } from "../../../shared/api";
import type { ApiError } from "../../../shared/errors";
import { businessDate } from "../../../worker/ledger";
import { forgetEverything, trade } from "../drift/helpers";
import { createStack, type Stack, TENANT } from "../support/stack";

afterEach(forgetEverything);

const TZ = "America/Toronto";

/** The roll-forward computed straight from the sandbox's own records, not through the POS API. */
function fromStore(stack: Stack, which: "gift_card" | "store_credit", from: string, to: string) {
  const store = stack.pos.store(TENANT);
  const txns =
    which === "gift_card"
      ? Object.values(store.giftCards).flatMap((g) =>
          g.transactions.map((t) => ({ type: t.type, amount: t.amount, at: t.createdAt })),
        )
      : Object.values(store.storeCredits).flatMap((c) =>
          c.transactions.map((t) => ({ type: t.type, amount: t.amount, at: t.createdAt })),
        );
  const out = {
    openingMinor: 0,
    issuedMinor: 0,
    redeemedMinor: 0,
    expiredMinor: 0,
    otherMinor: 0,
    closingMinor: 0,
    balanceNowMinor: 0,
  };
  for (const t of txns) {
    const day = businessDate(t.at, TZ);
    out.balanceNowMinor += t.amount;
    if (day > to) continue;
    out.closingMinor += t.amount;
    if (day < from) out.openingMinor += t.amount;
    else if (["ACTIVATION", "RELOADING", "ISSUE"].includes(t.type)) out.issuedMinor += t.amount;
    else if (["REDEEMING", "REVERSING", "REDEMPTION"].includes(t.type)) out.redeemedMinor -= t.amount;
    else if (t.type === "EXPIRING") out.expiredMinor -= t.amount;
    else out.otherMinor += t.amount;
  }
  return out;
}

const report = (stack: Stack, from: string, to: string) =>
  stack.api<LiabilitiesResponse & ApiError>(`/api/reports/liabilities?from=${from}&to=${to}`);
const row = (r: LiabilitiesResponse, which: string) => r.liabilities.find((l) => l.liability === which)!;
const diff = (l: LiabilityRow, line: string) => l.differences.find((d) => d.line === line)?.diffMinor;

describe("gift card and store credit liability roll-forward", () => {
  it("rolls the POS's liabilities forward, and sets what Tillbridge posted and the QBO account beside them", {
    timeout: 180_000,
  }, async () => {
    const stack = await createStack();
    await trade(stack, 2);
    const store = stack.pos.store(TENANT);
    const card = Object.values(store.giftCards).find(
      (g) => g.status === "ACTIVE" && g.transactions.reduce((s, t) => s + t.amount, 0) > 0,
    )!;
    const expiring = card.transactions.reduce((s, t) => s + t.amount, 0);
    stack.pos.expireGiftCard(TENANT, card.number);
    stack.pos.issueStoreCredit(TENANT, Object.values(store.customers)[0]!.id, "15.00", "goodwill");
    stack.advance(20 * 60_000); // gift-card and store-credit transactions are scanned every few minutes
    await stack.cron();
    await stack.cron();
    const today = businessDate(stack.now().toISOString(), TZ);

    // the period since Tillbridge was connected: every movement posted, to the cent
    const since = await report(stack, "2026-10-31", today);
    expect(since.status).toBe(200);
    expect(since.body).toMatchObject({ from: "2026-10-31", to: today, timeZone: TZ, syncFrom: "2026-10-31" });
    const mappings = (await stack.api<MappingsDocument>("/api/mappings")).body.mappings;
    for (const which of ["gift_card", "store_credit"] as const) {
      const l = row(since.body, which);
      expect(l.pos, which).toEqual(fromStore(stack, which, "2026-10-31", today));
      expect(l.pos.openingMinor + l.pos.issuedMinor - l.pos.redeemedMinor - l.pos.expiredMinor + l.pos.otherMinor).toBe(
        l.pos.closingMinor,
      );
      expect(l.account!.id).toBe(
        which === "gift_card" ? mappings.accounts.giftCardLiability : mappings.accounts.storeCreditLiability,
      );
      expect([diff(l, "issued"), diff(l, "redeemed"), diff(l, "expired")], which).toEqual([0, 0, 0]);
      expect(l.posted.waiting).toBe(0);
      // QBO's account is credit-positive; the sandbox's trial balance debit-positive
      const trial = stack.qbo.trialBalance(stack.realmId).find((a) => a.accountId === l.account!.id)!.balanceMinor;
      expect(l.qbo.balanceMinor).toBe(-trial);
      expect(diff(l, "balance")).toBe(l.qbo.balanceMinor! - l.pos.balanceNowMinor);
    }
    const gc = row(since.body, "gift_card");
    expect(gc.pos.expiredMinor).toBe(expiring);
    expect(gc.posted.expiredMinor).toBe(expiring);
    expect(gc.posted.issuedMinor).toBeGreaterThan(0);
    expect(gc.posted.redeemedMinor).toBeGreaterThan(0);
    const sc = row(since.body, "store_credit");
    expect(sc.posted.issuedMinor).toBeGreaterThanOrEqual(1500);

    // the whole year: the 30 days before Tillbridge was connected are in the POS, not in QBO, and it says so
    const year = await report(stack, "2026-01-01", "2026-12-31");
    for (const which of ["gift_card", "store_credit"] as const) {
      const l = row(year.body, which);
      expect(l.pos).toEqual(fromStore(stack, which, "2026-01-01", "2026-12-31"));
      expect(l.pos.closingMinor).toBe(l.pos.balanceNowMinor);
      // everything Tillbridge posted to the account is everything in it
      expect(l.posted.netMinor).toBe(l.qbo.balanceMinor);
    }
    expect(diff(row(year.body, "gift_card"), "issued")).toBeLessThan(0);

    // a period before anything was posted: the POS's movements, none posted, each difference shown
    const early = await report(stack, "2026-10-05", "2026-10-12");
    const e = row(early.body, "gift_card");
    expect(e.pos).toEqual(fromStore(stack, "gift_card", "2026-10-05", "2026-10-12"));
    expect(e.posted).toMatchObject({ issuedMinor: 0, redeemedMinor: 0, expiredMinor: 0, documents: 0 });
    expect(diff(e, "issued")).toBe(-e.pos.issuedMinor);
  });

  it("checks its dates and says when a liability account is not mapped", { timeout: 120_000 }, async () => {
    const stack = await createStack();
    const backwards = await report(stack, "2026-11-02", "2026-11-01");
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.fields).toEqual({ to: "from must not be after to" });
    expect((await report(stack, "2025-01-01", "2026-11-01")).body.error.fields).toEqual({
      to: "at most 366 days after from",
    });
    expect((await stack.api<ApiError>("/api/reports/liabilities?from=yesterday&to=2026-11-01")).status).toBe(400);

    const doc = (await stack.api<MappingsDocument>("/api/mappings")).body;
    const { storeCreditLiability: _gone, ...accounts } = doc.mappings.accounts;
    expect(
      (
        await stack.api("/api/mappings", {
          method: "PUT",
          body: { version: doc.version, mappings: { ...doc.mappings, accounts } },
        })
      ).status,
    ).toBe(200);
    const r = await report(stack, "2026-10-01", "2026-10-31");
    expect(r.status).toBe(200);
    const sc = row(r.body, "store_credit");
    expect(sc.account).toBeNull();
    expect(sc.qbo.balanceMinor).toBeNull();
    expect(sc.differences.map((d) => d.line)).toEqual(["issued", "redeemed", "expired"]);
    expect(sc.pos).toEqual(fromStore(stack, "store_credit", "2026-10-01", "2026-10-31"));
  });
});
