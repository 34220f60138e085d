import { PurchaseOrderReceipt } from "../../shared/domain/pos";
import type { QboAccount, QboTaxCode } from "../../shared/domain/qbo";
import { formatMinor, minorToDec, mulDec, parseDec, toMinor, toQboAmount } from "../../shared/money";
import { Blockers } from "./blockers";
import { dateOf, outletHeader, parseInput } from "./common";
import { businessDate } from "./dates";
import { billDocNumber, docNumber } from "./doc-number";
import { EffectSheet } from "./effects";
import { MAX_LINES } from "./form";
import { clip, idempotencyKey, privateNote } from "./keys";
import { vendorDisplayName } from "./names";
import { draft, type PlanBase, postingPlan, varianceRow } from "./plan";
import { ACCOUNT_SETTINGS, type AccountSetting, RefChecker } from "./refs";
import { percentText } from "./tax";
import { type LedgerContext, PLACEHOLDER, type PostingPlan, type PostingResult, type VarianceRow } from "./types";

/** Each cost and discount a bill carries (SPEC §1.2): the account chosen for it, and its sign on the bill. */
const CHARGES: Record<string, { setting: AccountSetting; sign: 1 | -1 }> = {
  "cost:SHIPPING": { setting: ACCOUNT_SETTINGS.shipping, sign: 1 },
  "cost:DUTIES": { setting: ACCOUNT_SETTINGS.duties, sign: 1 },
  "discount:DISCOUNT": { setting: ACCOUNT_SETTINGS.purchaseDiscount, sign: -1 },
};

type Receipt = PurchaseOrderReceipt;
type Charge = Receipt["costs"][number] & { side: "cost" | "discount" };

interface BillLine {
  account: QboAccount;
  amountMinor: number;
  description: string;
}

type ChargeLine = BillLine & { label: string; posMinor: number };

/**
 * Whether a supplier order received anything on or after the first day Tillbridge syncs (by each
 * delivery's business date in its outlet's zone). One received wholly before that day is left to a
 * backfill, like a supplier return, stocktake or transfer of those days: sending received orders by
 * themselves must not post the months before the connection.
 */
export function receivedSince(
  receipts: readonly { receivedAt: string; timeZone: string }[],
  syncFrom: string,
): boolean {
  return receipts.some((r) => businessDate(r.receivedAt, r.timeZone) >= syncFrom);
}

/**
 * One received delivery of a supplier purchase order → a Bill (DESIGN §1.2): received products at
 * cost to Inventory Asset, shipping / duties / discount each to its account, tax left to QBO through
 * the purchase tax code (non-US).
 */
export function buildPurchaseOrderPosting(
  input: Receipt,
  ctx: LedgerContext,
  resolved?: { vendorId?: string },
): PostingResult {
  const parsed = parseInput(PurchaseOrderReceipt, input, "the purchase order");
  if (!parsed.ok) return parsed;
  const po = parsed.value;
  const blockers = new Blockers();
  const refs = new RefChecker(ctx, blockers);
  const posId = po.deliveryId === null ? po.purchaseOrderId : `${po.purchaseOrderId}:${po.deliveryId}`;
  const key = idempotencyKey(ctx.tenantId, "purchase_order", posId, po.version);
  const what = `purchase order ${po.orderNumber ?? po.purchaseOrderId}`;
  const txnDate = dateOf(po.receivedAt, po.timeZone, `${what}: its received date`, blockers);
  const base: PlanBase = { kind: "purchase_order", posId, posVersion: po.version, key, txnDate };

  const received = po.lines.filter((l) => l.totalMinor !== 0 || parseDec(l.receivedQuantity).m !== 0n);
  const charges = chargesOf(po, what, blockers);
  if (received.length === 0 && charges.length === 0)
    return blockers.any ? { ok: false, blockers: blockers.all() } : { ok: true, plan: postingPlan(base) };
  const productLines = receivedProducts(received, refs);
  const chargeLines = purchaseCharges(charges, what, refs, blockers);
  const lines = [...productLines, ...chargeLines];
  const totalMinor = lines.reduce((s, l) => s + l.amountMinor, 0);
  checkBill(lines.length, totalMinor, what, blockers);
  const { purchaseTaxCodeId, accounts } = ctx.mappings;
  const taxCode = refs.isUS ? undefined : refs.taxCode(purchaseTaxCodeId, "the purchase tax code", "purchaseTaxCodeId");
  const ap = accounts.accountsPayable ? refs.accountFor(ACCOUNT_SETTINGS.accountsPayable) : undefined;
  const outlet = ctx.outlets.find((o) => o.id === po.outletId) ?? { id: po.outletId, name: po.outletId };
  const { header, classId } = outletHeader(refs, blockers, outlet);
  if (blockers.any) return { ok: false, blockers: blockers.all() };

  const body = billBody(po, lines, { key, txnDate, header, classId, taxCode, ap, vendorId: resolved?.vendorId });
  const variance: VarianceRow[] = [
    varianceRow("bill_products", "Received products at cost", po.linesTotalMinor, sum(productLines)),
    ...chargeLines.map((c) => varianceRow("bill_charge", c.label, c.posMinor, c.amountMinor)),
  ];
  const payable = ap ?? refs.defaultAccountOfType("Accounts Payable");
  const plan = postingPlan(base, {
    documents: [draft(key, "bill", "Bill", body)],
    variance,
    ...billEffects(lines, totalMinor, taxCode, payable),
    needs: resolved?.vendorId ? {} : { vendor: po.supplier },
  });
  return { ok: true, plan };
}

const sum = (lines: readonly BillLine[]) => lines.reduce((s, l) => s + l.amountMinor, 0);

/** The delivery's costs and discounts that move money; the POS's own figures checked first. */
function chargesOf(po: Receipt, what: string, blockers: Blockers): Charge[] {
  const linesTotal = po.lines.reduce((s, l) => s + l.totalMinor, 0);
  if (linesTotal !== po.linesTotalMinor) {
    blockers.add(
      "pos_payload_invalid",
      `${what}: its lines total ${formatMinor(linesTotal)} but its received cost is ${formatMinor(po.linesTotalMinor)}`,
    );
  }
  const charges: Charge[] = [
    ...po.costs.map((c) => ({ ...c, side: "cost" as const })),
    ...po.discounts.map((c) => ({ ...c, side: "discount" as const })),
  ].filter((c) => c.amountMinor !== 0);
  for (const c of charges)
    if (c.amountMinor < 0) blockers.add("pos_payload_invalid", `${what}: ${c.side} ${c.type} is negative`);
  return charges;
}

/** Received products at cost (received quantity × unit cost, ex tax) to the Inventory Asset account. */
function receivedProducts(received: Receipt["lines"], refs: RefChecker): BillLine[] {
  if (received.length === 0) return [];
  const inventory = refs.accountFor(ACCOUNT_SETTINGS.inventoryAsset);
  if (!inventory) return [];
  return received.map((l) => {
    const name = l.sku ? `${l.productName} (${l.sku})` : l.productName;
    const description = `${name} – received ${l.receivedQuantity} × ${l.unitCost}`;
    return { account: inventory, amountMinor: l.totalMinor, description };
  });
}

/** Shipping, duties and supplier discounts, each to the account mapped for it; another type needs a mapping. */
function purchaseCharges(charges: Charge[], what: string, refs: RefChecker, blockers: Blockers): ChargeLine[] {
  const lines: ChargeLine[] = [];
  for (const c of charges) {
    const rule = CHARGES[`${c.side}:${c.type.toUpperCase()}`];
    if (!rule) {
      blockers.add("needs_mapping", `purchase-order ${c.side} type '${c.type}'`);
      continue;
    }
    const account = refs.accountFor(rule.setting);
    const words = c.side === "cost" ? c.type.toLowerCase() : "supplier discount";
    const amountMinor = rule.sign * c.amountMinor;
    const description = `${words[0]!.toUpperCase()}${words.slice(1)} (${what})`;
    if (account) lines.push({ account, amountMinor, description, label: `${c.side} ${c.type}`, posMinor: amountMinor });
  }
  return lines;
}

function checkBill(lineCount: number, totalMinor: number, what: string, blockers: Blockers): void {
  if (lineCount > MAX_LINES)
    blockers.add(
      "unsupported_event",
      `${what} needs ${lineCount} bill lines; QuickBooks Online accepts at most ${MAX_LINES}`,
    );
  if (!blockers.any && totalMinor < 0)
    blockers.add(
      "unsupported_event",
      `${what}: discounts exceed the bill (${formatMinor(totalMinor)}); record a vendor credit by hand`,
    );
}

interface BillFrame {
  key: string;
  txnDate: string;
  header: Record<string, unknown>;
  classId: string | undefined;
  taxCode: QboTaxCode | undefined;
  ap: QboAccount | undefined;
  vendorId: string | undefined;
}

function billBody(po: Receipt, lines: BillLine[], f: BillFrame): Record<string, unknown> {
  const facts = [
    `purchase order ${po.orderNumber ?? "-"} (${po.purchaseOrderId})`,
    `delivery ${po.deliveryId ?? "whole order"}`,
    `supplier invoice ${po.supplierInvoice ?? "-"}`,
    `supplier ${vendorDisplayName(po.supplier)} (${po.supplier.id})`,
    `received ${po.receivedAt}`,
  ];
  const body: Record<string, unknown> = {
    VendorRef: { value: f.vendorId ?? PLACEHOLDER.vendor },
    TxnDate: f.txnDate,
    DocNumber: po.supplierInvoice?.trim()
      ? billDocNumber(po.supplierInvoice)
      : docNumber(po.orderNumber ?? "PO", f.key, "bill"),
    PrivateNote: privateNote(f.key, "bill", facts),
    ...f.header,
    Line: lines.map((l) => {
      const detail: Record<string, unknown> = { AccountRef: { value: l.account.id, name: l.account.name } };
      if (f.taxCode) detail.TaxCodeRef = { value: f.taxCode.id };
      if (f.classId) detail.ClassRef = { value: f.classId };
      return {
        DetailType: "AccountBasedExpenseLineDetail",
        Amount: toQboAmount(l.amountMinor),
        Description: clip(l.description, 4000),
        AccountBasedExpenseLineDetail: detail,
      };
    }),
  };
  if (f.ap) body.APAccountRef = { value: f.ap.id, name: f.ap.name };
  if (f.taxCode) body.GlobalTaxCalculation = "TaxExcluded";
  return body;
}

/** QBO computes the input tax itself (half-up of Σ net × rate per rate); shown so the effects balance. */
function billEffects(
  lines: BillLine[],
  totalMinor: number,
  taxCode: QboTaxCode | undefined,
  payable: { id: string; name: string },
): Pick<PostingPlan, "effects" | "summary"> {
  const effects = new EffectSheet();
  const summary = lines.map((l) => ({ label: `${l.description} → ${l.account.name}`, amountMinor: l.amountMinor }));
  for (const l of lines) effects.add(l.account.id, l.account.name, l.amountMinor);
  let inputTax = 0;
  for (const r of taxCode?.purchaseRates ?? []) {
    const percent = parseDec(r.ratePercent);
    const minor = toMinor(mulDec(mulDec(minorToDec(totalMinor), percent), parseDec("0.01")), "half-up");
    if (minor === 0) continue;
    inputTax += minor;
    const label = `Input tax – ${r.name} ${percentText(percent)} (computed by QuickBooks)`;
    effects.add(`tax:${r.rateId}`, label, minor);
    summary.push({ label, amountMinor: minor });
  }
  effects.add(payable.id, payable.name, -(totalMinor + inputTax));
  summary.push({ label: "Bill total", amountMinor: totalMinor + inputTax });
  return { effects: effects.list(), summary };
}
