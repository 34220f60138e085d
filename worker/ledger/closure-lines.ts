import type { RegisterClosure } from "../../shared/domain/pos";
import type { QboAccount } from "../../shared/domain/qbo";
import { formatMinor } from "../../shared/money";
import type { Blockers } from "./blockers";
import type { ClosureFigures, PaymentTypeFigures } from "./closure-figures";
import type { FormLine, FormTax } from "./form";
import type { JournalLine } from "./journal";
import { liability } from "./liabilities";
import { ACCOUNT_TYPES, type RefChecker } from "./refs";
import type { TaxResolver } from "./tax";

/** A payment type of the closure with its mapped role. */
export interface RoledType {
  f: PaymentTypeFigures;
  role: "deposit" | "gift_card" | "store_credit" | "on_account";
  account?: QboAccount;
}

/** The lines of a closure's two documents, before they become JSON (DESIGN §1.1). */
export interface ClosureLines {
  types: RoledType[];
  formLines: FormLine[];
  formTaxes: FormTax[];
  /** Signed amounts of each line kind, for the variance */
  amounts: {
    sales: number;
    discounts: number;
    giftCards: number;
    storeCredit: number;
    rounding: number;
    till: number;
    tax: number;
  };
  /** What the documents will need, known from the POS figures even when a mapping is missing */
  needs: { form: boolean; journal: boolean; untaxedLines: boolean };
  giftCardRefundsMinor: number;
  storeCreditIssuedMinor: number;
  /** Payments document lines except the clearing line; source = a payment type id, "gift_card" or "store_credit" */
  journalLines: (JournalLine & { source: string })[];
}

const involved = (t: PaymentTypeFigures) =>
  t.expectedMinor !== 0 ||
  (t.countedMinor ?? 0) !== 0 ||
  t.regularInMinor !== 0 ||
  t.regularOutMinor !== 0 ||
  t.onAccountMinor !== 0;

/** Resolves each payment type that moved money to its role, and each deposit type to its account. */
export function roleTypes(f: ClosureFigures, refs: RefChecker, blockers: Blockers): RoledType[] {
  const out: RoledType[] = [];
  for (const t of f.paymentTypes.values()) {
    if (!involved(t)) continue;
    const key = `paymentTypes.${t.id}`;
    const m = refs.ctx.mappings.paymentTypes[t.id];
    if (!m) {
      blockers.add("needs_mapping", t.thing, key);
      continue;
    }
    if (m.role === "deposit") {
      const account = refs.account(m.accountId, t.thing, key, ACCOUNT_TYPES.deposit);
      if (t.countedMinor === null) blockers.add("needs_counted_totals", `the counted total of ${t.thing}`);
      if (account) out.push({ f: t, role: "deposit", account });
      continue;
    }
    if (m.role === "on_account" && (t.regularInMinor !== 0 || t.regularOutMinor !== 0)) {
      blockers.add(
        "needs_mapping",
        `${t.thing} (regular sales were paid with it, so it is money, not an on-account charge)`,
        key,
      );
      continue;
    }
    out.push({ f: t, role: m.role });
  }
  return out;
}

export function closureLines(
  closure: RegisterClosure,
  f: ClosureFigures,
  types: RoledType[],
  refs: RefChecker,
  taxes: TaxResolver,
  blockers: Blockers,
): ClosureLines {
  const { mappings } = refs.ctx;
  const categories = new Map(refs.ctx.categories.map((c) => [c.id, c]));
  const formLines: FormLine[] = [];
  const amounts = { sales: 0, discounts: 0, giftCards: 0, storeCredit: 0, rounding: 0, till: 0, tax: 0 };
  let untaxedLines = false;
  let journalMoves = false;

  // Sales – category: one line per (mapped item × POS tax), at the undiscounted price
  const sales = new Map<string, FormLine & { names: string[] }>();
  for (const c of f.categoryLines.values()) {
    if (c.listMinor === 0) continue;
    amounts.sales += c.listMinor;
    if (c.taxId === null) untaxedLines = true;
    const cat = categories.get(c.categoryId);
    const catName = cat?.path || cat?.name || c.categoryId;
    const item = refs.salesItem(
      mappings.categories[c.categoryId],
      `category '${catName}'`,
      `categories.${c.categoryId}`,
    );
    const tax = c.taxId === null ? null : taxes.resolve(c.taxId, "the closure");
    if (!item || tax === undefined) continue;
    const k = `${item.id}\u0000${c.taxId ?? ""}`;
    const line = sales.get(k);
    if (line) {
      line.amountMinor += c.listMinor;
      if (!line.names.includes(catName)) line.names.push(catName);
    } else
      sales.set(k, {
        kind: "sales",
        item,
        amountMinor: c.listMinor,
        description: "",
        label: "",
        tax,
        names: [catName],
      });
  }
  const sorted = [...sales.values()].sort(
    (a, b) =>
      cmp(a.item.name, b.item.name) ||
      cmp(taxes.nameOf(a.tax?.posTaxId ?? null), taxes.nameOf(b.tax?.posTaxId ?? null)),
  );
  for (const l of sorted) {
    const taxName = taxes.nameOf(l.tax?.posTaxId ?? null);
    const names = l.names.sort(cmp).join(", ");
    formLines.push({ ...l, description: `Sales – ${names} (${taxName})`, label: `Sales – ${names} (${taxName})` });
  }

  // Discounts given, one line per POS tax
  const discounts = [...f.discounts.values()]
    .filter((d) => d.minor !== 0)
    .sort((a, b) => cmp(taxes.nameOf(a.taxId), taxes.nameOf(b.taxId)));
  if (discounts.length > 0) {
    const item = refs.salesItem(mappings.items.discount, "the discount item", "items.discount");
    for (const d of discounts) {
      amounts.discounts -= d.minor;
      if (d.taxId === null) untaxedLines = true;
      const tax = d.taxId === null ? null : taxes.resolve(d.taxId, "the closure");
      const label = `Discounts given (${taxes.nameOf(d.taxId)})`;
      if (item && tax !== undefined)
        formLines.push({ kind: "discount", item, amountMinor: -d.minor, description: label, label, tax });
    }
  }

  const byRole = (role: RoledType["role"]) => types.filter((t) => t.role === role);
  const sum = (ts: RoledType[], pick: (f: PaymentTypeFigures) => number) => ts.reduce((s, t) => s + pick(t.f), 0);
  const giftTypes = byRole("gift_card");
  const creditTypes = byRole("store_credit");
  const giftCardRefundsMinor = -sum(giftTypes, (t) => t.regularOutMinor);
  const storeCreditIssuedMinor = -sum(creditTypes, (t) => t.regularOutMinor);
  const giftRedeemed = sum(giftTypes, (t) => t.regularInMinor);
  const creditRedeemed = sum(creditTypes, (t) => t.regularInMinor);
  const journalLines: ClosureLines["journalLines"] = [];

  // Gift card liability: cards sold or reloaded, plus refunds onto a card
  amounts.giftCards = f.giftCardsSoldMinor + giftCardRefundsMinor;
  if (amounts.giftCards !== 0 || giftRedeemed !== 0) {
    const gc = liability(refs, blockers, "giftCard");
    const item = amounts.giftCards !== 0 ? gc.itemNeeded() : undefined;
    const label = "Gift card liability (cards sold or reloaded, refunds onto cards)";
    if (item)
      formLines.push({ kind: "gift_card", item, amountMinor: amounts.giftCards, description: label, label, tax: null });
    if (gc.account && giftRedeemed !== 0) {
      journalLines.push({
        source: "gift_card",
        account: gc.account,
        debitMinor: giftRedeemed,
        description: "Gift card redemptions",
        label: "Gift card redemptions",
      });
    }
  }

  // Store credit liability: issued through returns (negative Store Credit payments)
  amounts.storeCredit = storeCreditIssuedMinor;
  if (storeCreditIssuedMinor !== 0 || creditRedeemed !== 0) {
    const sc = liability(refs, blockers, "storeCredit");
    const item = storeCreditIssuedMinor !== 0 ? sc.itemNeeded() : undefined;
    const label = "Store credit liability (issued through returns)";
    if (item)
      formLines.push({
        kind: "store_credit",
        item,
        amountMinor: storeCreditIssuedMinor,
        description: label,
        label,
        tax: null,
      });
    if (sc.account && creditRedeemed !== 0) {
      journalLines.push({
        source: "store_credit",
        account: sc.account,
        debitMinor: creditRedeemed,
        description: "Store credit redemptions",
        label: "Store credit redemptions",
      });
    }
  }

  // Till discrepancies: counted − expected, per deposit payment type
  const deposits = byRole("deposit").sort((a, b) => cmp(a.f.name, b.f.name));
  const short = deposits.filter((t) => t.f.countedMinor !== null && t.f.countedMinor !== t.f.expectedMinor);
  if (short.length > 0) {
    const item = refs.salesItem(mappings.items.tillDiscrepancy, "the till discrepancy item", "items.tillDiscrepancy");
    for (const t of short) {
      const counted = t.f.countedMinor!;
      amounts.till += counted - t.f.expectedMinor;
      const label = `Till discrepancy – ${t.f.name} (counted ${formatMinor(counted)}, expected ${formatMinor(t.f.expectedMinor)})`;
      if (item)
        formLines.push({
          kind: "till",
          paymentTypeId: t.f.id,
          item,
          amountMinor: counted - t.f.expectedMinor,
          description: label,
          label,
          tax: null,
        });
    }
  }

  // Rounding: the sales' cash rounding
  amounts.rounding = f.roundingMinor;
  if (f.roundingMinor !== 0) {
    const item = refs.salesItem(mappings.items.rounding, "the rounding item", "items.rounding");
    if (item)
      formLines.push({
        kind: "rounding",
        item,
        amountMinor: f.roundingMinor,
        description: "Cash rounding",
        label: "Rounding",
        tax: null,
      });
  }

  // Each deposit payment type's account receives what was counted, less what posts against invoices
  for (const t of deposits) {
    if (t.f.countedMinor === null) continue;
    const amount = t.f.countedMinor - t.f.onAccountMinor;
    if (amount !== 0) journalMoves = true;
    if (!t.account) continue;
    const less = t.f.onAccountMinor !== 0 ? ` less on-account payments ${formatMinor(t.f.onAccountMinor)}` : "";
    journalLines.push({
      source: t.f.id,
      account: t.account,
      debitMinor: amount,
      description: `${t.f.name}: counted ${formatMinor(t.f.countedMinor)}${less} (register ${closure.registerName}, closure #${closure.sequenceNumber})`,
      label: `${t.f.name} → ${t.account.name}`,
    });
  }

  const formTaxes: FormTax[] = [];
  for (const t of f.lineTaxes.values()) {
    if (t.minor === 0) continue;
    amounts.tax += t.minor;
    const tax = taxes.resolve(t.taxId, "the closure");
    if (tax) formTaxes.push({ tax, posRateId: t.rateId, amountMinor: t.minor });
  }
  if (amounts.giftCards !== 0 || amounts.storeCredit !== 0 || amounts.till !== 0 || amounts.rounding !== 0)
    untaxedLines = true;
  if (giftRedeemed !== 0 || creditRedeemed !== 0) journalMoves = true;
  const form = Object.values(amounts).some((x) => x !== 0) || [...f.lineTaxes.values()].some((t) => t.minor !== 0);
  return {
    types,
    formLines,
    formTaxes,
    amounts,
    needs: { form, journal: journalMoves, untaxedLines },
    giftCardRefundsMinor,
    storeCreditIssuedMinor,
    journalLines,
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
