import { StockAdjustment, Stocktake } from "../../shared/domain/pos";
import type { QboAccount } from "../../shared/domain/qbo";
import { addDec, cmpDec, type Dec, formatMinor, mulDec, parseDec, subDec, toMinor } from "../../shared/money";
import type { ObjectKind } from "../../shared/sync";
import { Blockers } from "./blockers";
import { dateOf, outletHeader, parseInput } from "./common";
import { docNumber } from "./doc-number";
import { buildJournal } from "./journal";
import { idempotencyKey, privateNote } from "./keys";
import { draft, type PlanBase, postingPlan, varianceRow } from "./plan";
import { ACCOUNT_SETTINGS, ACCOUNT_TYPES, RefChecker } from "./refs";
import type { LedgerContext, PostingResult } from "./types";

/**
 * Stock lost or found (SPEC §4.5) → a JournalEntry between Inventory Asset and the shrinkage account
 * mapped for its reason (`shrinkage.<reason>`, else `shrinkage.default`): a completed stocktake at
 * its net gain or loss (Σ (counted − expected) × unit cost, exact, rounded half-up once), a stock
 * adjustment at quantity × the average cost the POS answered for it (rounded half-up once).
 */

/** The shrinkage mapping of each reason (Mappings `shrinkage.<key>`). */
export const SHRINKAGE_KEYS = {
  STOCKTAKE: "stocktake",
  DAMAGE: "damage",
  EXPIRY: "expiry",
  INTERNAL_USE: "internalUse",
  THEFT: "theft",
  DONATION: "donation",
  STOCK_FOUND: "stockFound",
  SAMPLE_FOR_SALE: "sampleForSale",
  CUSTOM: "custom",
} as const;

type ShrinkageKey = (typeof SHRINKAGE_KEYS)[keyof typeof SHRINKAGE_KEYS];

/** The account of a reason, else the default one; a blocker on the default when neither is mapped. */
function shrinkageAccount(key: ShrinkageKey, refs: RefChecker, ctx: LedgerContext): QboAccount | undefined {
  const own = ctx.mappings.shrinkage[key];
  if (own) return refs.account(own, `the shrinkage account for ${key}`, `shrinkage.${key}`, ACCOUNT_TYPES.shrinkage);
  return refs.account(
    ctx.mappings.shrinkage.default,
    "the default shrinkage account",
    "shrinkage.default",
    ACCOUNT_TYPES.shrinkage,
  );
}

interface Movement {
  kind: ObjectKind;
  posId: string;
  posVersion: string;
  part: string;
  readable: string;
  /** Inventory Asset's change: positive when stock was found, negative when lost */
  amountMinor: number;
  occurredAt: string;
  timeZone: string;
  outlet: { id: string; name: string };
  reasonKey: ShrinkageKey;
  what: string;
  describe: string;
  facts: string[];
  /** The POS's own figure for the line-up */
  posMinor: number;
}

function movementPosting(m: Movement, ctx: LedgerContext): PostingResult {
  const blockers = new Blockers();
  const refs = new RefChecker(ctx, blockers);
  const key = idempotencyKey(ctx.tenantId, m.kind, m.posId, m.posVersion);
  const txnDate = dateOf(m.occurredAt, m.timeZone, `${m.what}: its date`, blockers);
  const base: PlanBase = { kind: m.kind, posId: m.posId, posVersion: m.posVersion, key, txnDate };
  if (blockers.any) return { ok: false, blockers: blockers.all() };
  if (m.amountMinor === 0) return { ok: true, plan: postingPlan(base) };
  const inventory = refs.accountFor(ACCOUNT_SETTINGS.inventoryAsset);
  const shrinkage = shrinkageAccount(m.reasonKey, refs, ctx);
  const { header, classId } = outletHeader(refs, blockers, m.outlet);
  if (blockers.any || !inventory || !shrinkage) return { ok: false, blockers: blockers.all() };
  const journal = buildJournal(
    {
      TxnDate: txnDate,
      DocNumber: docNumber(m.readable, key, m.part),
      PrivateNote: privateNote(key, m.part, m.facts),
      ...header,
    },
    [
      {
        account: inventory,
        debitMinor: m.amountMinor,
        description: m.describe,
        label: `${m.describe} → ${inventory.name}`,
      },
      {
        account: shrinkage,
        debitMinor: -m.amountMinor,
        description: m.describe,
        label: `${m.describe} → ${shrinkage.name}`,
      },
    ],
    classId,
  );
  const plan = postingPlan(base, {
    documents: [draft(key, m.part, "JournalEntry", journal.body)],
    variance: [varianceRow(m.part, m.describe, m.posMinor, journal.effects[0]?.debitMinor ?? 0)],
    effects: journal.effects,
    summary: journal.summary,
  });
  return { ok: true, plan };
}

/** A stocktake's net value: Σ (counted − expected) × unit cost, exact. */
export function stocktakeNet(s: Stocktake): Dec {
  return s.lines.reduce(
    (acc, l) => addDec(acc, mulDec(subDec(parseDec(l.counted), parseDec(l.expected)), parseDec(l.unitCost))),
    parseDec("0"),
  );
}

/** A completed stocktake → Inventory Asset up (gains) or down (losses) against the stocktake's shrinkage account. */
export function buildStocktakePosting(input: Stocktake, ctx: LedgerContext): PostingResult {
  const parsed = parseInput(Stocktake, input, "the stocktake");
  if (!parsed.ok) return parsed;
  const s = parsed.value;
  const amountMinor = toMinor(stocktakeNet(s), "half-up");
  const outlet = ctx.outlets.find((o) => o.id === s.outletId) ?? { id: s.outletId, name: s.outletId };
  const counted = s.lines.filter((l) => cmpDec(parseDec(l.counted), parseDec(l.expected)) !== 0);
  return movementPosting(
    {
      kind: "stocktake",
      posId: s.id,
      posVersion: s.version,
      part: "stocktake",
      readable: "COUNT",
      amountMinor,
      occurredAt: s.completedAt,
      timeZone: s.timeZone,
      outlet,
      reasonKey: SHRINKAGE_KEYS.STOCKTAKE,
      what: `stocktake ${s.name ?? s.id}`,
      describe: `Stocktake ${s.name ?? s.id}: ${amountMinor >= 0 ? "net gain" : "net loss"} ${formatMinor(Math.abs(amountMinor))} at cost`,
      facts: [
        `stocktake ${s.name ?? "-"} (${s.id})`,
        `outlet ${outlet.name} (${s.outletId})`,
        `completed ${s.completedAt}`,
        `${counted.length} products counted differently`,
      ],
      posMinor: amountMinor,
    },
    ctx,
  );
}

/** A stock adjustment → Inventory Asset against its reason's shrinkage account, at the POS's average cost. */
export function buildStockAdjustmentPosting(input: StockAdjustment, ctx: LedgerContext): PostingResult {
  const parsed = parseInput(StockAdjustment, input, "the stock adjustment");
  if (!parsed.ok) return parsed;
  const a = parsed.value;
  const amountMinor = toMinor(mulDec(parseDec(a.quantity), parseDec(a.unitCost)), "half-up");
  const outlet = ctx.outlets.find((o) => o.id === a.outletId) ?? { id: a.outletId, name: a.outletId };
  const reason =
    a.reason === "CUSTOM" && a.customReasonName ? a.customReasonName : a.reason.toLowerCase().replace("_", " ");
  const name = a.sku ? `${a.productName} (${a.sku})` : a.productName;
  return movementPosting(
    {
      kind: "stock_adjustment",
      posId: a.id,
      posVersion: ctx.revision ?? "1",
      part: "adjustment",
      readable: `ADJ-${a.reason.slice(0, 6)}`,
      amountMinor,
      occurredAt: a.createdAt,
      timeZone: a.timeZone,
      outlet,
      reasonKey: SHRINKAGE_KEYS[a.reason],
      what: `stock adjustment ${a.id}`,
      describe: `Stock adjustment (${reason}): ${name} ${a.quantity} × ${a.unitCost}`,
      facts: [
        `stock adjustment ${a.id}`,
        `reason ${a.reason}${a.customReasonName ? ` (${a.customReasonName})` : ""}`,
        `outlet ${outlet.name} (${a.outletId})`,
        `product ${name} (${a.productId})`,
        `average cost ${a.unitCost}`,
        `recorded ${a.createdAt}`,
      ],
      posMinor: amountMinor,
    },
    ctx,
  );
}
