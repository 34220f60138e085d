/**
 * Reference checks: every ref in a request must point at a record that exists (else 610 Object Not
 * Found) and is active (else 2500 Invalid Reference Id), as QBO answers when a mapped account or item
 * was deleted or made inactive.
 */
import { REF_TARGETS } from "./entities";
import { F } from "./faults";
import { type Doc, type RealmState, getDoc } from "./state";

const SKIP = new Set(["MetaData", "CurrencyRef", "ParentRef", "TxnTaxDetail", "LinkedTxn"]);
const US_PSEUDO = new Set(["TAX", "NON"]);

export function lookup(realm: RealmState, entity: string, id: string, element: string): Doc {
  const doc = getDoc(realm, entity, id);
  if (!doc) throw F.notFound(`${element} ${entity} Id ${id}`, element);
  if (doc.Active === false)
    throw F.inactive(`${element} ${entity} "${doc.Name ?? doc.DisplayName ?? id}" (Id ${id}) is inactive`, element);
  return doc;
}

function refValue(ref: unknown, element: string): string {
  const value = (ref as Doc | null)?.value;
  if (typeof value !== "string" || value === "") throw F.required(`${element}.value`);
  return value;
}

/** Walks a document and checks each ref it knows (US TAX/NON pseudo codes are not records). */
export function checkRefs(realm: RealmState, body: Doc, path = ""): void {
  for (const [key, value] of Object.entries(body)) {
    if (value === null || value === undefined || SKIP.has(key)) continue;
    const at = path ? `${path}.${key}` : key;
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        if (typeof v === "object" && v !== null) checkRefs(realm, v as Doc, `${at}[${i}]`);
      });
      continue;
    }
    if (typeof value !== "object") continue;
    const target = REF_TARGETS[key];
    if (target) {
      const id = refValue(value, at);
      if (key === "TaxCodeRef" && realm.model === "us" && US_PSEUDO.has(id)) continue;
      lookup(realm, target, id, at);
      continue;
    }
    if (key === "Entity" && typeof (value as Doc).Type === "string") {
      // JournalEntryLineDetail.Entity: { Type: "Customer" | "Vendor" | "Employee", EntityRef }
      const type = (value as Doc).Type as string;
      if (["Customer", "Vendor", "Employee"].includes(type))
        lookup(realm, type, refValue((value as Doc).EntityRef, `${at}.EntityRef`), `${at}.EntityRef`);
      continue;
    }
    checkRefs(realm, value as Doc, at);
  }
  checkLinked(realm, body, path);
  const taxLines: Doc[] = body.TxnTaxDetail?.TaxLine ?? [];
  taxLines.forEach((l, i) => {
    const ref = l?.TaxLineDetail?.TaxRateRef;
    if (ref) lookup(realm, "TaxRate", refValue(ref, `TxnTaxDetail.TaxLine[${i}].TaxRateRef`), "TaxRateRef");
  });
  const code = body.TxnTaxDetail?.TxnTaxCodeRef;
  if (code) lookup(realm, "TaxCode", refValue(code, "TxnTaxDetail.TxnTaxCodeRef"), "TxnTaxCodeRef");
}

const TXN_TYPES = new Set([
  "Invoice",
  "SalesReceipt",
  "Payment",
  "CreditMemo",
  "RefundReceipt",
  "JournalEntry",
  "Bill",
  "VendorCredit",
  "Deposit",
]);

function checkLinked(realm: RealmState, body: Doc, path: string): void {
  const linked: Doc[] = Array.isArray(body.LinkedTxn) ? body.LinkedTxn : [];
  linked.forEach((l, i) => {
    const at = `${path ? `${path}.` : ""}LinkedTxn[${i}]`;
    const type = String(l?.TxnType ?? "");
    const id = String(l?.TxnId ?? "");
    if (!type) throw F.required(`${at}.TxnType`);
    if (!id) throw F.required(`${at}.TxnId`);
    if (!TXN_TYPES.has(type) || !getDoc(realm, type, id)) throw F.notFound(`${at} ${type} Id ${id}`, "LinkedTxn");
  });
}
