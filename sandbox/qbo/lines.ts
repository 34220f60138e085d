/**
 * Transaction lines: which line types each document takes, the detail object matching DetailType,
 * amounts exact to the cent, Amount = Qty × UnitPrice (6070), description lengths.
 */
import { cmpDec, mulDec, roundDec } from "../../shared/money";
import { cents, decimal } from "./amounts";
import { F, QboFault } from "./faults";
import type { Doc } from "./state";

const SALES_LINES = [
  "SalesItemLineDetail",
  "DiscountLineDetail",
  "DescriptionOnly",
  "SubTotalLineDetail",
  "GroupLineDetail",
];
const LINE_TYPES: Record<string, string[]> = {
  SalesReceipt: SALES_LINES,
  Invoice: SALES_LINES,
  CreditMemo: SALES_LINES,
  RefundReceipt: SALES_LINES,
  JournalEntry: ["JournalEntryLineDetail", "DescriptionOnly"],
  Bill: ["AccountBasedExpenseLineDetail", "ItemBasedExpenseLineDetail"],
  VendorCredit: ["AccountBasedExpenseLineDetail", "ItemBasedExpenseLineDetail"],
  Deposit: ["DepositLineDetail"],
};

/** The JSON key of a DetailType's detail object. */
export const detailKey = (detailType: string) =>
  detailType === "DescriptionOnly" ? "DescriptionLineDetail" : detailType;

/** Validates and numbers the request's lines; QBO's own SubTotal lines in a request are dropped. */
export function normaliseLines(entity: string, lines: unknown): Doc[] {
  if (lines === undefined || lines === null) lines = [];
  if (!Array.isArray(lines)) throw F.unsupportedProperty("Line", "Property Name:Line must be an array");
  const allowed = LINE_TYPES[entity];
  const out: Doc[] = [];
  for (const [i, raw] of (lines as Doc[]).entries()) {
    const line: Doc = { ...raw };
    const at = `Line[${i}]`;
    if (entity === "Payment") {
      out.push(checkPaymentLine(line, at));
      continue;
    }
    const type = line.DetailType as string | undefined;
    if (!type) throw F.required(`${at}.DetailType`);
    if (type === "SubTotalLineDetail") continue;
    if (!allowed?.includes(type))
      throw F.unsupportedProperty(`${at}.DetailType`, `Property Name:DetailType ${type} is not supported on ${entity}`);
    if (type === "GroupLineDetail")
      throw F.business("Group lines (bundles) are not supported by this sandbox", `${at}.DetailType`);
    const key = detailKey(type);
    for (const k of Object.keys(line)) {
      if (k.endsWith("LineDetail") && k !== key)
        throw F.unsupportedProperty(`${at}.${k}`, `Property Name:${k} does not match DetailType ${type}`);
    }
    if (type !== "DescriptionOnly") {
      if (!line[key]) throw F.required(`${at}.${key}`);
      if (
        type === "DiscountLineDetail" &&
        (line.Amount ?? null) === null &&
        (line[key].DiscountPercent ?? null) === null
      ) {
        throw new QboFault(
          400,
          "6090",
          "Discount Line missing required info",
          "Discount amount or percent should be provided",
          `${at}.DiscountLineDetail`,
        );
      }
      if (line.Amount === undefined || line.Amount === null) throw F.required(`${at}.Amount`);
      cents(line.Amount, `${at}.Amount`);
    }
    if (typeof line.Description === "string" && line.Description.length > 4000)
      throw F.stringLength(`${at}.Description`, 4000);
    if (type === "SalesItemLineDetail" || type === "ItemBasedExpenseLineDetail")
      checkQtyPrice(line, line[key] as Doc, at);
    if (type === "SalesItemLineDetail" && !line[key].ItemRef) throw F.required(`${at}.SalesItemLineDetail.ItemRef`);
    if (type === "ItemBasedExpenseLineDetail" && !line[key].ItemRef)
      throw F.required(`${at}.ItemBasedExpenseLineDetail.ItemRef`);
    if (type === "AccountBasedExpenseLineDetail" && !line[key].AccountRef)
      throw F.required(`${at}.AccountBasedExpenseLineDetail.AccountRef`);
    if (type === "JournalEntryLineDetail") checkJournalLine(line, line[key] as Doc, at);
    out.push(line);
  }
  return out.map((l, i) => ({ ...l, Id: String(i + 1), LineNum: i + 1 }));
}

function checkQtyPrice(line: Doc, detail: Doc, at: string): void {
  if (detail.Qty === undefined || detail.UnitPrice === undefined || detail.Qty === null || detail.UnitPrice === null)
    return;
  const qty = decimal(detail.Qty, `${at}.Qty`);
  const price = decimal(detail.UnitPrice, `${at}.UnitPrice`);
  const expected = roundDec(mulDec(qty, price), 2, "half-up");
  const amount = decimal(line.Amount, `${at}.Amount`);
  if (cmpDec(expected, amount) !== 0) {
    throw F.amountCalc(
      `${at}: Qty ${String(detail.Qty)} × UnitPrice ${String(detail.UnitPrice)} ≠ Amount ${String(line.Amount)}`,
    );
  }
}

function checkJournalLine(line: Doc, detail: Doc, at: string): void {
  if (!detail.PostingType) throw F.required(`${at}.JournalEntryLineDetail.PostingType`);
  if (!detail.AccountRef) throw F.required(`${at}.JournalEntryLineDetail.AccountRef`);
  if (cents(line.Amount, `${at}.Amount`) < 0)
    throw F.business(
      `Journal entry line amounts must not be negative; use PostingType to choose the side (${at})`,
      `${at}.Amount`,
    );
  if (detail.TaxCodeRef && (detail.TaxApplicableOn === undefined || detail.TaxAmount === undefined)) {
    throw F.business(
      `A journal line with a TaxCodeRef needs TaxApplicableOn and TaxAmount (${at})`,
      `${at}.JournalEntryLineDetail`,
    );
  }
}

function checkPaymentLine(line: Doc, at: string): Doc {
  if (line.Amount === undefined || line.Amount === null) throw F.required(`${at}.Amount`);
  if (cents(line.Amount, `${at}.Amount`) < 0)
    throw F.business(`A payment line amount must not be negative (${at})`, `${at}.Amount`);
  if (!Array.isArray(line.LinkedTxn) || line.LinkedTxn.length !== 1)
    throw F.business(`Each payment line must link exactly one transaction (${at}.LinkedTxn)`, `${at}.LinkedTxn`);
  const type = line.LinkedTxn[0]?.TxnType;
  // a CreditMemo line applies the customer's credit (QBO's receive payment: credits offset invoices)
  if (type !== "Invoice" && type !== "CreditMemo")
    throw F.business(
      `This sandbox applies payments to invoices and credit memos only, not ${String(type)} (${at})`,
      `${at}.LinkedTxn`,
    );
  return line;
}
