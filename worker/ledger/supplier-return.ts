import { SupplierReturn } from "../../shared/domain/pos";
import type { QboAccount, QboTaxCode } from "../../shared/domain/qbo";
import { minorToDec, mulDec, parseDec, toMinor, toQboAmount } from "../../shared/money";
import { Blockers } from "./blockers";
import { dateOf, outletHeader, parseInput } from "./common";
import { docNumber } from "./doc-number";
import { EffectSheet } from "./effects";
import { MAX_LINES } from "./form";
import { clip, idempotencyKey, privateNote } from "./keys";
import { vendorDisplayName } from "./names";
import { draft, type PlanBase, postingPlan, varianceRow } from "./plan";
import { ACCOUNT_SETTINGS, RefChecker } from "./refs";
import { percentText } from "./tax";
import { type LedgerContext, PLACEHOLDER, type PostingResult } from "./types";

type Return = SupplierReturn;
type ReturnLine = Return["lines"][number];

/** The QBO objects a supplier return posts to; each one missing is a blocker. */
interface Targets {
  inventory: QboAccount | undefined;
  taxCode: QboTaxCode | undefined;
  ap: QboAccount | undefined;
  header: Record<string, unknown>;
  classId: string | undefined;
}

/**
 * A supplier return once sent (SPEC §4.5) → a VendorCredit to the supplier: each product returned
 * at its cost (count × unit credit price, each line to the cent) out of Inventory Asset, with the
 * purchase tax code (so QBO reverses the input tax the bill claimed), and A/P down by the total.
 * Matched to the supplier like a bill (the vendor placeholder the engine resolves).
 */
export function buildSupplierReturnPosting(
  input: SupplierReturn,
  ctx: LedgerContext,
  resolved?: { vendorId?: string },
): PostingResult {
  const parsed = parseInput(SupplierReturn, input, "the supplier return");
  if (!parsed.ok) return parsed;
  const r = parsed.value;
  const blockers = new Blockers();
  const refs = new RefChecker(ctx, blockers);
  const key = idempotencyKey(ctx.tenantId, "supplier_return", r.id, r.version);
  const what = `supplier return ${r.reference ?? r.id}`;
  const txnDate = dateOf(r.sentAt, r.timeZone, `${what}: its sent date`, blockers);
  const base: PlanBase = { kind: "supplier_return", posId: r.id, posVersion: r.version, key, txnDate };
  const lines = r.lines.filter((l) => l.totalMinor !== 0);
  if (lines.length === 0)
    return blockers.any ? { ok: false, blockers: blockers.all() } : { ok: true, plan: postingPlan(base) };
  if (lines.length > MAX_LINES)
    blockers.add(
      "unsupported_event",
      `${what} needs ${lines.length} lines; QuickBooks Online accepts at most ${MAX_LINES}`,
    );
  const targets = targetsOf(r, ctx, refs, blockers);
  const { inventory, taxCode, ap } = targets;
  if (blockers.any || !inventory) return { ok: false, blockers: blockers.all() };

  const totalMinor = lines.reduce((s, l) => s + l.totalMinor, 0);
  const body = creditBody(r, lines, { ...targets, inventory }, { key, txnDate, vendorId: resolved?.vendorId });
  const payable = ap ?? refs.defaultAccountOfType("Accounts Payable");
  const plan = postingPlan(base, {
    documents: [draft(key, "credit", "VendorCredit", body)],
    variance: [varianceRow("supplier_return", "Returned products at cost", totalMinor, totalMinor)],
    ...creditEffects(inventory, totalMinor, taxCode, payable),
    needs: resolved?.vendorId ? {} : { vendor: r.supplier },
  });
  return { ok: true, plan };
}

/** Inventory Asset, the purchase tax code (not in the US), A/P when mapped, the outlet's header. */
function targetsOf(r: Return, ctx: LedgerContext, refs: RefChecker, blockers: Blockers): Targets {
  const inventory = refs.accountFor(ACCOUNT_SETTINGS.inventoryAsset);
  const taxCode = refs.isUS
    ? undefined
    : refs.taxCode(ctx.mappings.purchaseTaxCodeId, "the purchase tax code", "purchaseTaxCodeId");
  const ap = ctx.mappings.accounts.accountsPayable ? refs.accountFor(ACCOUNT_SETTINGS.accountsPayable) : undefined;
  const outlet = ctx.outlets.find((o) => o.id === r.outletId) ?? { id: r.outletId, name: r.outletId };
  const { header, classId } = outletHeader(refs, blockers, outlet);
  return { inventory, taxCode, ap, header, classId };
}

/** The VendorCredit: one expense line per product returned, out of Inventory Asset. */
function creditBody(
  r: Return,
  lines: ReturnLine[],
  targets: Targets & { inventory: QboAccount },
  doc: { key: string; txnDate: string; vendorId: string | undefined },
): Record<string, unknown> {
  const { ap, taxCode, header } = targets;
  const facts = [
    `supplier return ${r.reference ?? "-"} (${r.id})`,
    `supplier ${vendorDisplayName(r.supplier)} (${r.supplier.id})`,
    `sent ${r.sentAt}`,
    ...(r.name ? [`note ${r.name}`] : []),
  ];
  const body: Record<string, unknown> = {
    VendorRef: { value: doc.vendorId ?? PLACEHOLDER.vendor },
    TxnDate: doc.txnDate,
    DocNumber: docNumber(r.reference ?? "RTN", doc.key, "credit"),
    PrivateNote: privateNote(doc.key, "credit", facts),
    ...header,
    Line: lines.map((l) => creditLine(l, targets)),
  };
  if (ap) body.APAccountRef = { value: ap.id, name: ap.name };
  if (taxCode) body.GlobalTaxCalculation = "TaxExcluded";
  return body;
}

function creditLine(l: ReturnLine, { inventory, taxCode, classId }: Targets & { inventory: QboAccount }) {
  const detail: Record<string, unknown> = { AccountRef: { value: inventory.id, name: inventory.name } };
  if (taxCode) detail.TaxCodeRef = { value: taxCode.id };
  if (classId) detail.ClassRef = { value: classId };
  const name = l.sku ? `${l.productName} (${l.sku})` : l.productName;
  return {
    DetailType: "AccountBasedExpenseLineDetail",
    Amount: toQboAmount(l.totalMinor),
    Description: clip(`${name} – returned ${l.quantity} × ${l.unitCost}`, 4000),
    AccountBasedExpenseLineDetail: detail,
  };
}

/** A/P down by the credit with its input tax (QBO computes it, half-up per rate), Inventory Asset down at cost. */
function creditEffects(
  inventory: QboAccount,
  totalMinor: number,
  taxCode: QboTaxCode | undefined,
  payable: { id: string; name: string },
) {
  const effects = new EffectSheet();
  const summary = [{ label: `Returned at cost → ${inventory.name}`, amountMinor: -totalMinor }];
  effects.add(inventory.id, inventory.name, -totalMinor);
  let inputTax = 0;
  for (const rate of taxCode?.purchaseRates ?? []) {
    const percent = parseDec(rate.ratePercent);
    const minor = toMinor(mulDec(mulDec(minorToDec(totalMinor), percent), parseDec("0.01")), "half-up");
    if (minor === 0) continue;
    inputTax += minor;
    const label = `Input tax reversed – ${rate.name} ${percentText(percent)} (computed by QuickBooks)`;
    effects.add(`tax:${rate.rateId}`, label, -minor);
    summary.push({ label, amountMinor: -minor });
  }
  effects.add(payable.id, payable.name, totalMinor + inputTax);
  summary.push({ label: "Vendor credit total", amountMinor: totalMinor + inputTax });
  return { effects: effects.list(), summary };
}
