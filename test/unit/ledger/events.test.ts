import { describe, expect, it } from "vitest";
import type { GiftCardExpiry, StoreCreditIssue } from "../../../shared/domain/pos";
import { buildClosurePosting, buildGiftCardExpiryPosting, buildStoreCreditIssuePosting } from "../../../worker/ledger";
import { ACCOUNTS as A, caContext, CUSTOMER, quebecClosure } from "./fixtures";
import { blockersOf, doc, effectMap, expectSound, journalSides, planOf } from "./helpers";

const expiry = (amountMinor = 2500): GiftCardExpiry => ({
  transactionId: "gct-9",
  giftCardId: "gc-9",
  giftCardNumber: "GC-0009",
  amountMinor,
  occurredAt: "2026-12-01T04:30:00Z",
  timeZone: "America/Toronto",
});

const issue = (amountMinor = 4000): StoreCreditIssue => ({
  transactionId: "sct-4",
  customer: CUSTOMER,
  amountMinor,
  occurredAt: "2026-03-14T15:00:00Z",
  timeZone: "America/Toronto",
  notes: "Goodwill: late delivery",
});

describe("gift card expiry → JournalEntry: liability down, breakage income up", () => {
  it("by the expired balance, dated the local day it expired", () => {
    const plan = planOf(buildGiftCardExpiryPosting(expiry(), caContext()));
    expectSound(plan);
    const je = doc(plan, "expiry");
    expect(je.entity).toBe("JournalEntry");
    expect(Object.fromEntries(journalSides(je).byAccount)).toEqual({
      [A.giftCardLiability]: 2500,
      [A.breakage]: -2500,
    });
    expect(effectMap(plan)).toEqual({ [A.giftCardLiability]: 2500, [A.breakage]: -2500 });
    expect(plan.txnDate).toBe("2026-11-30"); // 23:30 in Montréal
    expect(je.docNumber).toMatch(/^GCXGC-0009-[0-9A-Z]{8}$/);
    expect(String(je.body.PrivateNote)).toContain("gift card GC-0009 (gc-9)");
    expect(plan.variance).toEqual([
      { line: "expiry", label: "Gift card GC-0009 expired", posMinor: 2500, postedMinor: 2500, diffMinor: 0 },
    ]);
  });

  it("an unmapped breakage account blocks only the expiry, never the closure", () => {
    const ctx = caContext();
    ctx.mappings.accounts.giftCardBreakage = undefined;
    expect(blockersOf(buildGiftCardExpiryPosting(expiry(), ctx))).toEqual([
      {
        code: "needs_mapping",
        detail: "the gift card breakage income account",
        mappingKey: "accounts.giftCardBreakage",
      },
    ]);
    expect(buildClosurePosting(quebecClosure(), ctx).ok).toBe(true);
  });

  it("a breakage account must be income; a zero balance posts nothing; a negative one is refused", () => {
    const ctx = caContext();
    ctx.mappings.accounts.giftCardBreakage = A.cash;
    expect(blockersOf(buildGiftCardExpiryPosting(expiry(), ctx))[0]).toMatchObject({
      code: "qbo_invalid_reference",
      mappingKey: "accounts.giftCardBreakage",
    });
    expect(planOf(buildGiftCardExpiryPosting(expiry(0), caContext())).documents).toEqual([]);
    expect(blockersOf(buildGiftCardExpiryPosting(expiry(-5), caContext()))).toEqual([
      { code: "pos_payload_invalid", detail: "gift card GC-0009 expiry: a negative amount" },
    ]);
  });
});

describe("manual store credit → JournalEntry: expense up, liability up", () => {
  it("names the customer and the reason", () => {
    const plan = planOf(buildStoreCreditIssuePosting(issue(), caContext()));
    expectSound(plan);
    const je = doc(plan, "issue");
    expect(Object.fromEntries(journalSides(je).byAccount)).toEqual({
      [A.storeCreditExpense]: 4000,
      [A.storeCreditLiability]: -4000,
    });
    expect((je.body.Line as { Description: string }[])[0]!.Description).toBe(
      "Store credit issued to Atelier Tremblay (Goodwill: late delivery)",
    );
    expect(plan.key).toBe("tb1|laurier|store_credit_issue|sct-4|1");
    expect(plan.txnDate).toBe("2026-03-14");
  });

  it("both accounts are required", () => {
    const ctx = caContext();
    ctx.mappings.accounts.storeCreditExpense = undefined;
    ctx.mappings.accounts.storeCreditLiability = undefined;
    expect(blockersOf(buildStoreCreditIssuePosting(issue(), ctx))).toEqual([
      { code: "needs_mapping", detail: "the store credit expense account", mappingKey: "accounts.storeCreditExpense" },
      {
        code: "needs_mapping",
        detail: "the store credit liability account",
        mappingKey: "accounts.storeCreditLiability",
      },
    ]);
  });
});
