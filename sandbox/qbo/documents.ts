/**
 * Transactions: QBO's business rules for each document and the fields it computes (TotalAmt, Balance,
 * TxnTaxDetail, defaults). The request has already passed the schema and reference checks.
 */
import { amt, cents } from "./amounts";
import { PURCHASE_DOCS, SALES_DOCS } from "./entities";
import { F } from "./faults";
import { normaliseLines } from "./lines";
import { lookup } from "./refs";
import { type Doc, type RealmState, allOf, getDoc } from "./state";
import { computeGlobalTax } from "./global-tax";
import { type TaxResult, computeUsTax, lineSigned, taxableDetail } from "./tax";

const MAX_TAXABLE_LINES = 750;

export interface TxnContext {
  today: string;
  selfId?: string | undefined;
  /** The stored DocNumber of the record being updated: an unchanged number is not re-checked */
  previousDocNumber?: string | undefined;
  allowDuplicateDocNumber: boolean;
}

function accountOfType(realm: RealmState, ref: Doc | undefined, element: string, types: string[], what: string): void {
  if (!ref) return;
  const account = lookup(realm, "Account", String(ref.value), element);
  if (!types.includes(account.AccountType))
    throw F.business(`${element} must be ${what}; "${account.Name}" is ${account.AccountType}`, element);
}

export function defaultAccount(realm: RealmState, subType: string): Doc {
  const found = allOf(realm, "Account").find((a) => a.AccountSubType === subType && a.Active !== false);
  if (!found) throw F.business(`The company has no ${subType} account`);
  return found;
}

const refTo = (a: Doc) => ({ value: a.Id as string, name: a.Name as string });

/** QBO's names for the home currencies of the seeded companies. */
export const CURRENCY_NAMES: Record<string, string> = {
  CAD: "Canadian Dollar",
  USD: "United States Dollar",
  AUD: "Australian Dollar",
  NZD: "New Zealand Dollar",
  GBP: "British Pound Sterling",
};

/** What QBO calls the tax in its messages, by the company's country. */
function taxName(realm: RealmState): string {
  const country = String(realm.companyInfo.Country);
  return country === "CA" ? "GST/HST" : country === "GB" ? "VAT" : "GST";
}

export function prepareTxn(realm: RealmState, entity: string, input: Doc, ctx: TxnContext): Doc {
  const doc: Doc = { ...input };
  const home = realm.preferences.CurrencyPrefs?.HomeCurrency?.value as string;
  if (
    doc.CurrencyRef &&
    doc.CurrencyRef.value !== home &&
    realm.preferences.CurrencyPrefs?.MultiCurrencyEnabled !== true
  ) {
    throw F.business(
      `Multicurrency is not enabled: CurrencyRef ${String(doc.CurrencyRef.value)} is not the home currency ${home}`,
      "CurrencyRef",
    );
  }
  doc.CurrencyRef = { value: home, name: CURRENCY_NAMES[home] ?? home };
  doc.TxnDate ??= ctx.today;
  checkDocNumber(realm, entity, doc, ctx);
  if (typeof doc.PrivateNote === "string" && doc.PrivateNote.length > 4000) throw F.stringLength("PrivateNote", 4000);
  if (entity !== "Payment" && (!Array.isArray(doc.Line) || doc.Line.length === 0)) throw F.required("Line");
  doc.Line = normaliseLines(entity, doc.Line);
  checkTaxModel(realm, entity, doc);

  if (SALES_DOCS.has(entity)) return salesDoc(realm, entity, doc, ctx.selfId);
  switch (entity) {
    case "Bill":
    case "VendorCredit":
      return purchase(realm, entity, doc);
    case "JournalEntry":
      return journal(realm, doc);
    case "Payment":
      return payment(realm, doc, ctx.selfId);
    case "Deposit":
      return deposit(realm, doc);
    default:
      throw new Error(`no rules for ${entity}`);
  }
}

function checkDocNumber(realm: RealmState, entity: string, doc: Doc, ctx: TxnContext): void {
  if (doc.DocNumber === "AUTO_GENERATE") {
    const used = allOf(realm, entity)
      .map((d) => Number(d.DocNumber))
      .filter((n) => Number.isInteger(n));
    doc.DocNumber = String(Math.max(1000, ...used) + 1);
  }
  if (doc.DocNumber === undefined || doc.DocNumber === null) return;
  if (typeof doc.DocNumber !== "string") throw F.unsupportedProperty("DocNumber");
  if (doc.DocNumber.length > 21) throw F.stringLength(`DocNumber (${doc.DocNumber.length})`, 21);
  if (
    ctx.allowDuplicateDocNumber ||
    entity === "Payment" ||
    entity === "Deposit" ||
    doc.DocNumber === ctx.previousDocNumber
  )
    return;
  const clash = allOf(realm, entity).find((d) => d.Id !== ctx.selfId && d.DocNumber === doc.DocNumber);
  if (clash) throw F.duplicateDocNumber(doc.DocNumber);
}

/** Rule 9: the global model needs GlobalTaxCalculation and a tax code on every line; the US model TAX/NON. */
function checkTaxModel(realm: RealmState, entity: string, doc: Doc): void {
  const side = SALES_DOCS.has(entity) ? "sales" : PURCHASE_DOCS.has(entity) ? "purchase" : undefined;
  const usingTax = realm.preferences.TaxPrefs?.UsingSalesTax === true;
  if (realm.model === "us") {
    if (doc.GlobalTaxCalculation !== undefined && doc.GlobalTaxCalculation !== "NotApplicable") {
      throw F.business("GlobalTaxCalculation is not applicable to US companies", "GlobalTaxCalculation");
    }
    if (side) {
      (doc.Line as Doc[]).forEach((line) => {
        const code = taxableDetail(line, side)?.TaxCodeRef?.value;
        if (code !== undefined && code !== "TAX" && code !== "NON") throw F.usLineTaxCode(String(code));
      });
    }
    return;
  }
  if (!side || !usingTax) return;
  if (doc.GlobalTaxCalculation === undefined || doc.GlobalTaxCalculation === null) {
    throw F.business(
      "GlobalTaxCalculation (TaxExcluded, TaxInclusive or NotApplicable) is required for this company",
      "GlobalTaxCalculation",
    );
  }
  if (doc.GlobalTaxCalculation === "NotApplicable") return;
  (doc.Line as Doc[]).forEach((line, i) => {
    if (line.DetailType === "DiscountLineDetail") return;
    const detail = taxableDetail(line, side);
    if (detail && !detail.TaxCodeRef) {
      throw F.business(
        `Make sure all your transactions have a ${taxName(realm)} rate before you save (Line[${i}] has no TaxCodeRef)`,
        `Line[${i}].TaxCodeRef`,
      );
    }
  });
}

function tax(realm: RealmState, doc: Doc, side: "sales" | "purchase"): TaxResult {
  if (realm.preferences.TaxPrefs?.UsingSalesTax !== true) return { taxLines: [], totalTax: 0, netOverride: new Map() };
  if (realm.model === "us")
    return side === "sales" ? computeUsTax(realm, doc) : { taxLines: [], totalTax: 0, netOverride: new Map() };
  return computeGlobalTax(realm, doc, side);
}

function applyTax(realm: RealmState, doc: Doc, side: "sales" | "purchase"): number {
  const result = tax(realm, doc, side);
  const lines = doc.Line as Doc[];
  let net = 0;
  lines.forEach((line, i) => {
    if (line.DetailType === "DescriptionOnly") return;
    const override = result.netOverride.get(i);
    if (override !== undefined) {
      // Tax-inclusive: the request's Amount was gross; QBO keeps the net in Amount and the gross aside.
      const detail = line[line.DetailType as string] as Doc;
      if (line.DetailType !== "DiscountLineDetail") detail.TaxInclusiveAmt ??= line.Amount;
      line.Amount = amt(line.DetailType === "DiscountLineDetail" ? -override : override);
    }
    net += lineSigned(line, i);
  });
  if (result.taxLines.length > 0 && lines.length > MAX_TAXABLE_LINES) {
    throw F.business(
      `A taxable transaction can have at most ${MAX_TAXABLE_LINES} lines (${lines.length} given)`,
      "Line",
    );
  }
  const given: Doc = doc.TxnTaxDetail ?? {};
  doc.TxnTaxDetail = {
    ...(given.TxnTaxCodeRef ? { TxnTaxCodeRef: given.TxnTaxCodeRef } : {}),
    TotalTax: amt(result.totalTax),
    TaxLine: result.taxLines,
  };
  return net + result.totalTax;
}

function salesDoc(realm: RealmState, entity: string, doc: Doc, selfId?: string): Doc {
  if ((entity === "Invoice" || entity === "CreditMemo") && !doc.CustomerRef) throw F.required("CustomerRef");
  const total = applyTax(realm, doc, "sales");
  if (total < 0) throw F.business(`Transaction total cannot be negative (${entity} total ${amt(total)})`, "TotalAmt");
  doc.TotalAmt = amt(total);
  // QBO appends its own subtotal line to sales forms.
  const subtotal = (doc.Line as Doc[]).reduce(
    (a: number, l: Doc, i: number) => (l.DetailType === "SalesItemLineDetail" ? a + lineSigned(l, i) : a),
    0,
  );
  doc.Line.push({ Amount: amt(subtotal), DetailType: "SubTotalLineDetail", SubTotalLineDetail: {} });
  switch (entity) {
    case "SalesReceipt":
      doc.DepositToAccountRef ??= refTo(defaultAccount(realm, "UndepositedFunds"));
      accountOfType(
        realm,
        doc.DepositToAccountRef,
        "DepositToAccountRef",
        ["Bank", "Other Current Asset"],
        "a Bank or Other Current Asset account",
      );
      doc.Balance = 0;
      break;
    case "RefundReceipt":
      if (!doc.DepositToAccountRef) throw F.required("DepositToAccountRef");
      accountOfType(
        realm,
        doc.DepositToAccountRef,
        "DepositToAccountRef",
        ["Bank", "Other Current Asset"],
        "a Bank or Other Current Asset account",
      );
      doc.Balance = 0;
      break;
    case "Invoice":
      accountOfType(realm, doc.ARAccountRef, "ARAccountRef", ["Accounts Receivable"], "an Accounts Receivable account");
      if (selfId !== undefined && total < appliedTo(realm, selfId)) {
        throw F.business(
          `The invoice total ${amt(total)} is less than the payments applied to it (${amt(appliedTo(realm, selfId))})`,
          "TotalAmt",
        );
      }
      doc.DueDate ??= doc.TxnDate;
      doc.Balance = doc.TotalAmt;
      break;
    case "CreditMemo":
      accountOfType(realm, doc.ARAccountRef, "ARAccountRef", ["Accounts Receivable"], "an Accounts Receivable account");
      doc.RemainingCredit = doc.TotalAmt;
      doc.Balance = doc.TotalAmt;
      break;
  }
  return doc;
}

/** Bill and VendorCredit: the vendor's document on A/P, taxed on the codes' purchase rates. */
function purchase(realm: RealmState, entity: string, doc: Doc): Doc {
  if (!doc.VendorRef) throw F.required("VendorRef");
  accountOfType(realm, doc.APAccountRef, "APAccountRef", ["Accounts Payable"], "an Accounts Payable account");
  const total = applyTax(realm, doc, "purchase");
  if (total < 0) throw F.business(`${entity} total cannot be negative (${amt(total)})`, "TotalAmt");
  doc.TotalAmt = amt(total);
  doc.Balance = doc.TotalAmt;
  if (entity === "Bill") doc.DueDate ??= doc.TxnDate;
  return doc;
}

function journal(realm: RealmState, doc: Doc): Doc {
  let debits = 0;
  let credits = 0;
  (doc.Line as Doc[]).forEach((line, i) => {
    if (line.DetailType !== "JournalEntryLineDetail") return;
    const d = line.JournalEntryLineDetail as Doc;
    const c = cents(line.Amount, `Line[${i}].Amount`);
    if (d.PostingType === "Debit") debits += c;
    else credits += c;
    const account = lookup(realm, "Account", String(d.AccountRef.value), `Line[${i}].AccountRef`);
    const entityType = d.Entity?.Type;
    if (account.AccountType === "Accounts Receivable" && entityType !== "Customer") {
      throw F.business(
        `When you use Accounts Receivable, you must choose a customer in the Name field (Line[${i}])`,
        `Line[${i}].JournalEntryLineDetail.Entity`,
      );
    }
    if (account.AccountType === "Accounts Payable" && entityType !== "Vendor") {
      throw F.business(
        `When you use Accounts Payable, you must choose a vendor in the Name field (Line[${i}])`,
        `Line[${i}].JournalEntryLineDetail.Entity`,
      );
    }
  });
  if (debits !== credits) {
    throw F.business(
      `Journal Entry must balance: the total debits (${amt(debits)}) must equal the total credits (${amt(credits)})`,
      "Line",
    );
  }
  doc.TotalAmt = 0;
  return doc;
}

function payment(realm: RealmState, doc: Doc, selfId?: string): Doc {
  if (!doc.CustomerRef) throw F.required("CustomerRef");
  if (doc.TotalAmt === undefined || doc.TotalAmt === null) throw F.required("TotalAmt");
  const total = cents(doc.TotalAmt, "TotalAmt");
  if (total < 0) throw F.business("A payment amount cannot be negative", "TotalAmt");
  doc.DepositToAccountRef ??= refTo(defaultAccount(realm, "UndepositedFunds"));
  accountOfType(
    realm,
    doc.DepositToAccountRef,
    "DepositToAccountRef",
    ["Bank", "Other Current Asset"],
    "a Bank or Other Current Asset account",
  );
  accountOfType(realm, doc.ARAccountRef, "ARAccountRef", ["Accounts Receivable"], "an Accounts Receivable account");
  // Invoice lines take money (and credit); CreditMemo lines give the customer's credit to them, so
  // the money of a payment is Σ invoice lines − Σ credit memo lines (a credit applied alone: 0).
  let applied = 0;
  let credits = 0;
  (doc.Line as Doc[]).forEach((line, i) => {
    const amount = cents(line.Amount, `Line[${i}].Amount`);
    const type = String(line.LinkedTxn[0].TxnType);
    const id = String(line.LinkedTxn[0].TxnId);
    const linked = getDoc(realm, type, id)!;
    if (String(linked.CustomerRef?.value) !== String(doc.CustomerRef.value)) {
      throw F.business(`${type} ${id} belongs to another customer than the payment's`, `Line[${i}].LinkedTxn`);
    }
    if (type === "CreditMemo") {
      credits += amount;
      const left = cents(linked.TotalAmt, "TotalAmt") - creditUsed(realm, id, selfId);
      if (amount > left)
        throw F.business(
          `The payment applies ${amt(amount)} of credit memo ${id}, whose remaining credit is ${amt(left)}`,
          `Line[${i}].Amount`,
        );
      return;
    }
    applied += amount;
    const open = cents(linked.TotalAmt, "TotalAmt") - appliedTo(realm, id, selfId);
    if (amount > open)
      throw F.business(
        `The payment applies ${amt(amount)} to invoice ${id}, whose open balance is ${amt(open)}`,
        `Line[${i}].Amount`,
      );
  });
  if (credits > applied)
    throw F.business(
      `The credits applied (${amt(credits)}) exceed the invoices they are applied to (${amt(applied)})`,
      "Line",
    );
  if (applied - credits > total)
    throw F.business(
      `The amounts applied (${amt(applied - credits)}) exceed the payment amount (${amt(total)})`,
      "TotalAmt",
    );
  doc.UnappliedAmt = amt(total - (applied - credits));
  return doc;
}

/** Cents of a credit memo used by stored payments (the payment being updated excluded). */
export function creditUsed(realm: RealmState, creditMemoId: string, exceptPaymentId?: string): number {
  let sum = 0;
  for (const p of allOf(realm, "Payment")) {
    if (p.Id === exceptPaymentId) continue;
    for (const [i, line] of ((p.Line ?? []) as Doc[]).entries()) {
      if ((line.LinkedTxn ?? []).some((l: Doc) => l.TxnType === "CreditMemo" && String(l.TxnId) === creditMemoId))
        sum += cents(line.Amount, `Line[${i}].Amount`);
    }
  }
  return sum;
}

/** Cents applied to an invoice by stored payments (the payment being updated excluded). */
export function appliedTo(realm: RealmState, invoiceId: string, exceptPaymentId?: string): number {
  let sum = 0;
  for (const p of allOf(realm, "Payment")) {
    if (p.Id === exceptPaymentId) continue;
    for (const [i, line] of ((p.Line ?? []) as Doc[]).entries()) {
      if ((line.LinkedTxn ?? []).some((l: Doc) => l.TxnType === "Invoice" && String(l.TxnId) === invoiceId))
        sum += cents(line.Amount, `Line[${i}].Amount`);
    }
  }
  return sum;
}

function deposit(realm: RealmState, doc: Doc): Doc {
  if (!doc.DepositToAccountRef) throw F.required("DepositToAccountRef");
  accountOfType(
    realm,
    doc.DepositToAccountRef,
    "DepositToAccountRef",
    ["Bank", "Other Current Asset"],
    "a Bank or Other Current Asset account",
  );
  let total = 0;
  (doc.Line as Doc[]).forEach((line, i) => {
    const linked = (line.LinkedTxn ?? []) as Doc[];
    if (!line.DepositLineDetail?.AccountRef && linked.length === 0)
      throw F.required(`Line[${i}].DepositLineDetail.AccountRef`);
    total += cents(line.Amount, `Line[${i}].Amount`);
  });
  if (doc.CashBack?.Amount !== undefined) total -= cents(doc.CashBack.Amount, "CashBack.Amount");
  if (total < 0) throw F.business("A deposit total cannot be negative", "TotalAmt");
  doc.TotalAmt = amt(total);
  return doc;
}

/**
 * After any write: invoices' Balance and LinkedTxn follow the payments applied to them; credit
 * memos' Balance and RemainingCredit follow the payments that applied their credit.
 */
export function refreshInvoices(realm: RealmState): void {
  const links = new Map<string, Doc[]>();
  for (const p of allOf(realm, "Payment")) {
    for (const line of (p.Line ?? []) as Doc[]) {
      for (const l of (line.LinkedTxn ?? []) as Doc[]) {
        if (l.TxnType === "Invoice" || l.TxnType === "CreditMemo") {
          const k = `${l.TxnType as string}:${String(l.TxnId)}`;
          links.set(k, [...(links.get(k) ?? []), { TxnId: p.Id, TxnType: "Payment" }]);
        }
      }
    }
  }
  for (const cm of allOf(realm, "CreditMemo")) {
    if (cm.TxnStatus === "Voided") continue;
    const left = amt(cents(cm.TotalAmt, "TotalAmt") - creditUsed(realm, cm.Id as string));
    cm.Balance = left;
    cm.RemainingCredit = left;
    const own = ((cm.LinkedTxn ?? []) as Doc[]).filter((l) => l.TxnType !== "Payment");
    const used = links.get(`CreditMemo:${cm.Id as string}`) ?? [];
    const linked = [...own, ...used.filter((l, i) => used.findIndex((m) => m.TxnId === l.TxnId) === i)];
    if (linked.length > 0) cm.LinkedTxn = linked;
    else delete cm.LinkedTxn;
  }
  for (const inv of allOf(realm, "Invoice")) {
    const applied = appliedTo(realm, inv.Id as string);
    inv.Balance = amt(cents(inv.TotalAmt, "TotalAmt") - applied);
    const own = ((inv.LinkedTxn ?? []) as Doc[]).filter((l) => l.TxnType !== "Payment");
    const paid = links.get(`Invoice:${inv.Id as string}`) ?? [];
    inv.LinkedTxn = [...own, ...paid.filter((l, i) => paid.findIndex((m) => m.TxnId === l.TxnId) === i)];
  }
}
