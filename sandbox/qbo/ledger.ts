/**
 * The general ledger behind the sandbox's books. Postings are derived from the stored documents each
 * time, so a void (amounts zeroed) reverses and a delete removes without any bookkeeping of their own.
 * Debit is positive, in integer cents.
 */
import { mulDec, parseDec, toMinor } from "../../shared/money";
import { cents } from "./amounts";
import { defaultAccount } from "./documents";
import { type Doc, type RealmState, allOf, getDoc } from "./state";

export interface Posting {
  accountId: string;
  minor: number;
}

export interface TrialBalanceRow {
  accountId: string;
  name: string;
  accountType: string;
  balanceMinor: number;
}

const SALES_SIGN: Record<string, 1 | -1> = { SalesReceipt: 1, Invoice: 1, RefundReceipt: -1, CreditMemo: -1 };

function itemOf(realm: RealmState, ref: Doc | undefined): Doc | undefined {
  return ref ? getDoc(realm, "Item", String(ref.value)) : undefined;
}

function agencyAccount(realm: RealmState, rateId: string, side: "sales" | "purchase"): string {
  const rate = getDoc(realm, "TaxRate", rateId);
  const agency = rate ? getDoc(realm, "TaxAgency", String(rate.AgencyRef?.value)) : undefined;
  const ref =
    side === "sales"
      ? agency?.TaxTrackedOnSalesAccountRef
      : (agency?.TaxOnPurchasesAccountRef ?? agency?.TaxTrackedOnSalesAccountRef);
  if (!ref) throw new Error(`tax rate ${rateId} has no agency account`);
  return String(ref.value);
}

function taxPostings(realm: RealmState, doc: Doc, side: "sales" | "purchase", sign: number, out: Posting[]): void {
  for (const [i, line] of ((doc.TxnTaxDetail?.TaxLine ?? []) as Doc[]).entries()) {
    const rateId = line.TaxLineDetail?.TaxRateRef?.value;
    if (rateId === undefined) continue;
    out.push({
      accountId: agencyAccount(realm, String(rateId), side),
      minor: sign * cents(line.Amount, `TaxLine[${i}].Amount`),
    });
  }
}

/** Inventory items sold also move cost: Dr COGS / Cr inventory asset at Qty × PurchaseCost. */
function inventoryCost(item: Doc, detail: Doc, sign: number, out: Posting[]): void {
  if (item.Type !== "Inventory" || !item.ExpenseAccountRef || !item.AssetAccountRef) return;
  const cost = toMinor(mulDec(parseDec(detail.Qty ?? 1), parseDec(item.PurchaseCost ?? 0)), "half-up");
  if (cost === 0) return;
  out.push({ accountId: String(item.ExpenseAccountRef.value), minor: sign * cost });
  out.push({ accountId: String(item.AssetAccountRef.value), minor: -sign * cost });
}

function salesPostings(realm: RealmState, entity: string, doc: Doc, out: Posting[]): void {
  const s = SALES_SIGN[entity]!;
  const header =
    entity === "SalesReceipt" || entity === "RefundReceipt"
      ? String(doc.DepositToAccountRef?.value ?? defaultAccount(realm, "UndepositedFunds").Id)
      : String(doc.ARAccountRef?.value ?? defaultAccount(realm, "AccountsReceivable").Id);
  out.push({ accountId: header, minor: s * cents(doc.TotalAmt, "TotalAmt") });
  for (const [i, line] of ((doc.Line ?? []) as Doc[]).entries()) {
    const amount = line.Amount === undefined ? 0 : cents(line.Amount, `Line[${i}].Amount`);
    if (line.DetailType === "SalesItemLineDetail") {
      const detail = line.SalesItemLineDetail as Doc;
      const item = itemOf(realm, detail.ItemRef);
      const account = detail.ItemAccountRef?.value ?? item?.IncomeAccountRef?.value;
      if (account === undefined) throw new Error(`item ${String(detail.ItemRef?.value)} has no income account`);
      out.push({ accountId: String(account), minor: -s * amount });
      if (item) inventoryCost(item, detail, s, out);
    } else if (line.DetailType === "DiscountLineDetail") {
      const account =
        line.DiscountLineDetail?.DiscountAccountRef?.value ?? defaultAccount(realm, "DiscountsRefundsGiven").Id;
      out.push({ accountId: String(account), minor: s * amount });
    }
  }
  taxPostings(realm, doc, "sales", -s, out);
}

/** A bill credits A/P and debits its lines and input tax; a vendor credit (sign -1) is its mirror. */
function purchasePostings(realm: RealmState, doc: Doc, sign: 1 | -1, out: Posting[]): void {
  const ap = String(doc.APAccountRef?.value ?? defaultAccount(realm, "AccountsPayable").Id);
  out.push({ accountId: ap, minor: -sign * cents(doc.TotalAmt, "TotalAmt") });
  for (const [i, line] of ((doc.Line ?? []) as Doc[]).entries()) {
    const amount = cents(line.Amount ?? 0, `Line[${i}].Amount`);
    if (line.DetailType === "AccountBasedExpenseLineDetail") {
      out.push({ accountId: String(line.AccountBasedExpenseLineDetail.AccountRef.value), minor: sign * amount });
    } else if (line.DetailType === "ItemBasedExpenseLineDetail") {
      const item = itemOf(realm, line.ItemBasedExpenseLineDetail.ItemRef);
      const account = item?.Type === "Inventory" ? item.AssetAccountRef?.value : item?.ExpenseAccountRef?.value;
      if (account === undefined) throw new Error(`item ${String(item?.Id)} has no expense account`);
      out.push({ accountId: String(account), minor: sign * amount });
    }
  }
  taxPostings(realm, doc, "purchase", sign, out);
}

export function postings(realm: RealmState, entity: string, doc: Doc): Posting[] {
  const out: Posting[] = [];
  if (entity in SALES_SIGN) salesPostings(realm, entity, doc, out);
  else if (entity === "Bill") purchasePostings(realm, doc, 1, out);
  else if (entity === "VendorCredit") purchasePostings(realm, doc, -1, out);
  else if (entity === "JournalEntry") {
    for (const [i, line] of ((doc.Line ?? []) as Doc[]).entries()) {
      if (line.DetailType !== "JournalEntryLineDetail") continue;
      const d = line.JournalEntryLineDetail as Doc;
      const amount = cents(line.Amount, `Line[${i}].Amount`);
      out.push({ accountId: String(d.AccountRef.value), minor: d.PostingType === "Debit" ? amount : -amount });
    }
  } else if (entity === "Payment") {
    const total = cents(doc.TotalAmt, "TotalAmt");
    out.push({
      accountId: String(doc.DepositToAccountRef?.value ?? defaultAccount(realm, "UndepositedFunds").Id),
      minor: total,
    });
    out.push({
      accountId: String(doc.ARAccountRef?.value ?? defaultAccount(realm, "AccountsReceivable").Id),
      minor: -total,
    });
  } else if (entity === "Deposit") {
    out.push({ accountId: String(doc.DepositToAccountRef.value), minor: cents(doc.TotalAmt, "TotalAmt") });
    for (const [i, line] of ((doc.Line ?? []) as Doc[]).entries()) {
      const account = line.DepositLineDetail?.AccountRef?.value ?? defaultAccount(realm, "UndepositedFunds").Id;
      out.push({ accountId: String(account), minor: -cents(line.Amount, `Line[${i}].Amount`) });
    }
    if (doc.CashBack?.AccountRef)
      out.push({
        accountId: String(doc.CashBack.AccountRef.value),
        minor: cents(doc.CashBack.Amount ?? 0, "CashBack.Amount"),
      });
  }
  return out;
}

const TXNS = [
  "SalesReceipt",
  "Invoice",
  "RefundReceipt",
  "CreditMemo",
  "Payment",
  "JournalEntry",
  "Bill",
  "VendorCredit",
  "Deposit",
];

/** Balance per account id (Dr positive). */
export function balances(realm: RealmState): Map<string, number> {
  const out = new Map<string, number>();
  for (const entity of TXNS) {
    for (const doc of allOf(realm, entity)) {
      for (const p of postings(realm, entity, doc)) out.set(p.accountId, (out.get(p.accountId) ?? 0) + p.minor);
    }
  }
  return out;
}

export function trialBalance(realm: RealmState): TrialBalanceRow[] {
  const b = balances(realm);
  return allOf(realm, "Account")
    .map((a) => ({
      accountId: a.Id as string,
      name: a.Name as string,
      accountType: a.AccountType as string,
      balanceMinor: b.get(a.Id as string) ?? 0,
    }))
    .sort((x, y) => Number(x.accountId) - Number(y.accountId));
}

/** QBO's CurrentBalance of a balance-sheet account: natural sign (liabilities and equity credit-positive). */
export function currentBalance(account: Doc, drMinor: number): number {
  const credit = ["Liability", "Equity"].includes(account.Classification as string);
  return credit ? -drMinor : drMinor;
}
