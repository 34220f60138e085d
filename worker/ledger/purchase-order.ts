import { PurchaseOrderReceipt } from "../../shared/domain/pos";
import { formatMinor, minorToDec, mulDec, parseDec, toMinor, toQboAmount } from "../../shared/money";
import type { QboAccount } from "../../shared/domain/qbo";
import { Blockers } from "./blockers";
import { dateOf, outletHeader, parseInput } from "./common";
import { billDocNumber, docNumber } from "./doc-number";
import { EffectSheet } from "./effects";
import { MAX_LINES } from "./form";
import { clip, idempotencyKey, privateNote, requestIdFor } from "./keys";
import { vendorDisplayName } from "./names";
import { ACCOUNT_TYPES, RefChecker } from "./refs";
import { percentText } from "./tax";
import { type LedgerContext, PLACEHOLDER, type PostingResult, type VarianceRow } from "./types";

const CHARGES: Record<
  string,
  { thing: string; key: "shipping" | "duties" | "purchaseDiscount"; sign: 1 | -1; types: readonly string[] }
> = {
  "cost:SHIPPING": { thing: "the shipping account", key: "shipping", sign: 1, types: ACCOUNT_TYPES.purchaseCharge },
  "cost:DUTIES": { thing: "the customs duties account", key: "duties", sign: 1, types: ACCOUNT_TYPES.purchaseCharge },
  "discount:DISCOUNT": {
    thing: "the purchase discount account",
    key: "purchaseDiscount",
    sign: -1,
    types: ACCOUNT_TYPES.purchaseDiscount,
  },
};

interface BillLine {
  account: QboAccount;
  amountMinor: number;
  description: string;
}

/**
 * One received delivery of a supplier purchase order → a Bill (DESIGN §1.2): received products at
 * cost to Inventory Asset, shipping / duties / discount each to its account, tax left to QBO through
 * the purchase tax code (non-US).
 */
export function buildPurchaseOrderPosting(
  input: PurchaseOrderReceipt,
  ctx: LedgerContext,
  resolved?: { vendorId?: string },
): PostingResult {
  const parsed = parseInput(PurchaseOrderReceipt, input, "the purchase order");
  if (!parsed.ok) return parsed;
  const po = parsed.value;
  const blockers = new Blockers();
  const refs = new RefChecker(ctx, blockers);
  const { mappings } = ctx;
  const posId = po.deliveryId === null ? po.purchaseOrderId : `${po.purchaseOrderId}:${po.deliveryId}`;
  const key = idempotencyKey(ctx.tenantId, "purchase_order", posId, po.version);
  const what = `purchase order ${po.orderNumber ?? po.purchaseOrderId}`;
  const txnDate = dateOf(po.receivedAt, po.timeZone, `${what}: its received date`, blockers);
  const base = { kind: "purchase_order" as const, posId, posVersion: po.version, key, txnDate };

  const received = po.lines.filter((l) => l.totalMinor !== 0 || parseDec(l.receivedQuantity).m !== 0n);
  const linesTotal = po.lines.reduce((s, l) => s + l.totalMinor, 0);
  if (linesTotal !== po.linesTotalMinor) {
    blockers.add(
      "pos_payload_invalid",
      `${what}: its lines total ${formatMinor(linesTotal)} but its received cost is ${formatMinor(po.linesTotalMinor)}`,
    );
  }
  const charges = [
    ...po.costs.map((c) => ({ ...c, side: "cost" })),
    ...po.discounts.map((c) => ({ ...c, side: "discount" })),
  ].filter((c) => c.amountMinor !== 0);
  for (const c of charges)
    if (c.amountMinor < 0) blockers.add("pos_payload_invalid", `${what}: ${c.side} ${c.type} is negative`);
  if (received.length === 0 && charges.length === 0) {
    return blockers.any
      ? { ok: false, blockers: blockers.all() }
      : { ok: true, plan: { ...base, documents: [], variance: [], effects: [], needs: {}, summary: [] } };
  }

  const productLines: BillLine[] = [];
  const chargeLines: (BillLine & { label: string; posMinor: number })[] = [];
  const inventory =
    received.length > 0
      ? refs.account(
          mappings.accounts.inventoryAsset,
          "the inventory asset account",
          "accounts.inventoryAsset",
          ACCOUNT_TYPES.inventoryAsset,
        )
      : undefined;
  for (const l of received) {
    const name = l.sku ? `${l.productName} (${l.sku})` : l.productName;
    if (inventory)
      productLines.push({
        account: inventory,
        amountMinor: l.totalMinor,
        description: `${name} – received ${l.receivedQuantity} × ${l.unitCost}`,
      });
  }
  for (const c of charges) {
    const rule = CHARGES[`${c.side}:${c.type.toUpperCase()}`];
    if (!rule) {
      blockers.add("needs_mapping", `purchase-order ${c.side} type '${c.type}'`);
      continue;
    }
    const account = refs.account(mappings.accounts[rule.key], rule.thing, `accounts.${rule.key}`, rule.types);
    const words = c.side === "cost" ? c.type.toLowerCase() : "supplier discount";
    const amountMinor = rule.sign * c.amountMinor;
    if (account)
      chargeLines.push({
        account,
        amountMinor,
        description: `${words[0]!.toUpperCase()}${words.slice(1)} (${what})`,
        label: `${c.side} ${c.type}`,
        posMinor: amountMinor,
      });
  }
  const lines: BillLine[] = [...productLines, ...chargeLines];
  if (lines.length > MAX_LINES)
    blockers.add(
      "unsupported_event",
      `${what} needs ${lines.length} bill lines; QuickBooks Online accepts at most ${MAX_LINES}`,
    );
  const total = lines.reduce((s, l) => s + l.amountMinor, 0);
  if (!blockers.any && total < 0)
    blockers.add(
      "unsupported_event",
      `${what}: discounts exceed the bill (${formatMinor(total)}); record a vendor credit by hand`,
    );
  const taxCode = refs.isUS
    ? undefined
    : refs.taxCode(mappings.purchaseTaxCodeId, "the purchase tax code", "purchaseTaxCodeId");
  const ap = mappings.accounts.accountsPayable
    ? refs.account(
        mappings.accounts.accountsPayable,
        "the accounts payable account",
        "accounts.accountsPayable",
        ACCOUNT_TYPES.accountsPayable,
      )
    : undefined;
  const outlet = ctx.outlets.find((o) => o.id === po.outletId) ?? { id: po.outletId, name: po.outletId };
  const { header, classId } = outletHeader(refs, blockers, outlet);
  if (blockers.any) return { ok: false, blockers: blockers.all() };

  const facts = [
    `purchase order ${po.orderNumber ?? "-"} (${po.purchaseOrderId})`,
    `delivery ${po.deliveryId ?? "whole order"}`,
    `supplier invoice ${po.supplierInvoice ?? "-"}`,
    `supplier ${vendorDisplayName(po.supplier)} (${po.supplier.id})`,
    `received ${po.receivedAt}`,
  ];
  const body: Record<string, unknown> = {
    VendorRef: { value: resolved?.vendorId ?? PLACEHOLDER.vendor },
    TxnDate: txnDate,
    DocNumber: po.supplierInvoice?.trim()
      ? billDocNumber(po.supplierInvoice)
      : docNumber(po.orderNumber ?? "PO", key, "bill"),
    PrivateNote: privateNote(key, "bill", facts),
    ...header,
    Line: lines.map((l) => {
      const detail: Record<string, unknown> = { AccountRef: { value: l.account.id, name: l.account.name } };
      if (taxCode) detail.TaxCodeRef = { value: taxCode.id };
      if (classId) detail.ClassRef = { value: classId };
      return {
        DetailType: "AccountBasedExpenseLineDetail",
        Amount: toQboAmount(l.amountMinor),
        Description: clip(l.description, 4000),
        AccountBasedExpenseLineDetail: detail,
      };
    }),
  };
  if (ap) body.APAccountRef = { value: ap.id, name: ap.name };
  if (taxCode) body.GlobalTaxCalculation = "TaxExcluded";

  // QBO computes the input tax itself (half-up of Σ net × rate per rate); shown so the effects balance.
  const effects = new EffectSheet();
  const summary = lines.map((l) => ({ label: `${l.description} → ${l.account.name}`, amountMinor: l.amountMinor }));
  for (const l of lines) effects.add(l.account.id, l.account.name, l.amountMinor);
  let inputTax = 0;
  for (const r of taxCode?.purchaseRates ?? []) {
    const percent = parseDec(r.ratePercent);
    const minor = toMinor(mulDec(mulDec(minorToDec(total), percent), parseDec("0.01")), "half-up");
    if (minor === 0) continue;
    inputTax += minor;
    effects.add(`tax:${r.rateId}`, `Input tax – ${r.name} ${percentText(percent)} (computed by QuickBooks)`, minor);
    summary.push({
      label: `Input tax – ${r.name} ${percentText(percent)} (computed by QuickBooks)`,
      amountMinor: minor,
    });
  }
  const payable = ap ?? refs.defaultAccountOfType("Accounts Payable");
  effects.add(payable.id, payable.name, -(total + inputTax));
  summary.push({ label: "Bill total", amountMinor: total + inputTax });

  const variance: VarianceRow[] = [];
  const row = (line: string, label: string, pos: number, posted: number) =>
    variance.push({ line, label, posMinor: pos, postedMinor: posted, diffMinor: posted - pos });
  row(
    "bill_products",
    "Received products at cost",
    po.linesTotalMinor,
    productLines.reduce((s, l) => s + l.amountMinor, 0),
  );
  for (const c of chargeLines) row("bill_charge", c.label, c.posMinor, c.amountMinor);
  return {
    ok: true,
    plan: {
      ...base,
      documents: [
        { part: "bill", entity: "Bill", docNumber: String(body.DocNumber), requestId: requestIdFor(key, "bill"), body },
      ],
      variance,
      effects: effects.list(),
      needs: resolved?.vendorId ? {} : { vendor: po.supplier },
      summary,
    },
  };
}
