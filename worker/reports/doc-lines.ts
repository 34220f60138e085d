import type { QboRefs } from "../../shared/domain/qbo";
import { formatMinor, parseMinor } from "../../shared/money";
import { QboDoc } from "./qbo-doc";
import type { QboPort } from "../qbo/port";

/**
 * A QBO document (as stored in QBO, or as a draft Tillbridge would send) reduced to what the books
 * see: its lines as (what it is for, where it posts, signed amount). The drift check compares two
 * such views of one document; the re-send diff compares the posted documents with the new ones.
 * Amounts are signed so that a SalesReceipt and the RefundReceipt replacing it line up: on sales
 * forms positive raises what the customer owes, on journal entries positive is a debit.
 */

export { QboDoc } from "./qbo-doc";

export interface DocLine {
  /** What the line is for (its Description as Tillbridge wrote it), numbered when repeated */
  key: string;
  /** Where it posts: "item:35|tax:31", "account:12|Customer:72", "taxRate:4", "Invoice:80" */
  ref: string;
  amountMinor: number;
}

export interface DocView {
  entity: string;
  txnDate: string | null;
  totalMinor: number;
  lines: DocLine[];
}

const SALES_SIGN: Record<string, 1 | -1> = { SalesReceipt: 1, Invoice: 1, RefundReceipt: -1, CreditMemo: -1 };
const VOIDABLE = new Set(["Invoice", "SalesReceipt", "Payment", "RefundReceipt", "CreditMemo"]);

/** QBO voids these by a void operation; every other transaction Tillbridge posts is deleted instead. */
export const canVoid = (entity: string): boolean => VOIDABLE.has(entity);

const cents = (a: number | string | undefined): number => (a === undefined ? 0 : parseMinor(a));
const qualified = (head: string, ...parts: (string | undefined)[]) => [head, ...parts.filter(Boolean)].join("|");

/** QBO marks a void by TxnStatus (most entities) and by "Voided" at the start of PrivateNote. */
export function isVoided(doc: QboDoc): boolean {
  return doc.TxnStatus === "Voided" || (doc.PrivateNote ?? "").startsWith("Voided");
}

export function viewOf(entity: string, raw: unknown): DocView {
  const doc = QboDoc.parse(raw);
  const lines: { label: string; ref: string; amountMinor: number }[] = [];
  const add = (label: string, ref: string, amountMinor: number) => lines.push({ label, ref, amountMinor });
  const taxLines = (sign: number) => {
    const detail = doc.TxnTaxDetail;
    const list = detail?.TaxLine ?? [];
    for (const t of list) {
      const rate = t.TaxLineDetail?.TaxRateRef.value;
      if (rate && cents(t.Amount) !== 0) add(`Tax ${rate}`, `taxRate:${rate}`, sign * cents(t.Amount));
    }
    if (!list.some((t) => t.TaxLineDetail) && detail?.TotalTax !== undefined && cents(detail.TotalTax) !== 0) {
      add("Sales tax", `taxCode:${detail.TxnTaxCodeRef?.value ?? "-"}`, sign * cents(detail.TotalTax));
    }
  };

  const sign = SALES_SIGN[entity];
  if (sign !== undefined) {
    for (const l of doc.Line) {
      const d = l.SalesItemLineDetail;
      if (l.DetailType === "SalesItemLineDetail" && d) {
        add(
          l.Description ?? d.ItemRef?.name ?? "item",
          qualified(
            `item:${d.ItemRef?.value ?? "-"}`,
            d.TaxCodeRef && `tax:${d.TaxCodeRef.value}`,
            d.ClassRef && `class:${d.ClassRef.value}`,
          ),
          sign * cents(l.Amount),
        );
      } else if (l.DetailType === "DiscountLineDetail") {
        add(
          l.Description ?? "Discount",
          `account:${l.DiscountLineDetail?.DiscountAccountRef?.value ?? "discount"}`,
          -sign * cents(l.Amount),
        );
      }
    }
    taxLines(sign);
  } else if (entity === "JournalEntry") {
    for (const l of doc.Line) {
      const d = l.JournalEntryLineDetail;
      if (!d) continue;
      const party = d.Entity?.EntityRef ? `${d.Entity.Type ?? "Entity"}:${d.Entity.EntityRef.value}` : undefined;
      add(
        l.Description ?? d.AccountRef.name ?? "journal line",
        qualified(`account:${d.AccountRef.value}`, party, d.ClassRef && `class:${d.ClassRef.value}`),
        (d.PostingType === "Debit" ? 1 : -1) * cents(l.Amount),
      );
    }
  } else if (entity === "Bill" || entity === "VendorCredit") {
    // a vendor credit is a bill's mirror: its lines take value out of their accounts
    const side = entity === "Bill" ? 1 : -1;
    for (const l of doc.Line) {
      const a = l.AccountBasedExpenseLineDetail;
      const i = l.ItemBasedExpenseLineDetail;
      const d = a ?? i;
      if (!d) continue;
      const head = a ? `account:${a.AccountRef.value}` : `item:${i!.ItemRef.value}`;
      add(
        l.Description ?? "bill line",
        qualified(head, d.TaxCodeRef && `tax:${d.TaxCodeRef.value}`, d.ClassRef && `class:${d.ClassRef.value}`),
        side * cents(l.Amount),
      );
    }
    taxLines(side);
  } else if (entity === "Payment") {
    add("Deposited to", `account:${doc.DepositToAccountRef?.value ?? "undeposited"}`, cents(doc.TotalAmt));
    for (const l of doc.Line)
      for (const t of l.LinkedTxn ?? []) add(`Applied to ${t.TxnType}`, `${t.TxnType}:${t.TxnId}`, cents(l.Amount));
  }

  const seen = new Map<string, number>();
  const keyed = lines.map((l) => {
    const n = (seen.get(l.label) ?? 0) + 1;
    seen.set(l.label, n);
    return { key: n === 1 ? l.label : `${l.label} (${n})`, ref: l.ref, amountMinor: l.amountMinor };
  });
  const total =
    sign !== undefined || entity === "Bill"
      ? keyed.reduce((s, l) => s + l.amountMinor, 0)
      : entity === "VendorCredit"
        ? -keyed.reduce((s, l) => s + l.amountMinor, 0)
        : entity === "JournalEntry"
          ? keyed.reduce((s, l) => s + Math.max(0, l.amountMinor), 0)
          : cents(doc.TotalAmt);
  return { entity, txnDate: doc.TxnDate ?? null, totalMinor: total, lines: keyed };
}

/**
 * The material content of a document: its date and how much goes where, by posting target. A
 * changed memo or line description is not drift; a changed amount, account, item or tax code is.
 */
export function materialOf(view: DocView): { txnDate: string | null; byRef: [string, number][] } {
  const byRef = new Map<string, number>();
  for (const l of view.lines) byRef.set(l.ref, (byRef.get(l.ref) ?? 0) + l.amountMinor);
  return {
    txnDate: view.txnDate,
    byRef: [...byRef].filter(([, v]) => v !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  };
}

export type Material = ReturnType<typeof materialOf>;

/** The name a bookkeeper knows a posting target by ("Sales", "Cash on hand", "GST (sales)"). */
export function refName(ref: string, refs: Pick<QboRefs, "accounts" | "items" | "taxCodes">): string {
  const [head = ""] = ref.split("|");
  const [type, id = ""] = head.split(":");
  if (type === "item") return refs.items.find((i) => i.id === id)?.name ?? `item ${id}`;
  if (type === "account") return refs.accounts.find((a) => a.id === id)?.name ?? `account ${id}`;
  if (type === "taxRate")
    return (
      refs.taxCodes.flatMap((c) => [...c.salesRates, ...c.purchaseRates]).find((r) => r.rateId === id)?.name ??
      `tax rate ${id}`
    );
  if (type === "taxCode") return refs.taxCodes.find((c) => c.id === id)?.name ?? `tax code ${id}`;
  return head.replace(":", " ");
}

/** "Sales: 1636.20 → 1500.00; date 2026-10-31 → 2026-11-01", what differs between two material views. */
export function describeChange(before: Material, after: Material, name: (ref: string) => string): string {
  const out: string[] = [];
  if (before.txnDate !== after.txnDate) out.push(`date ${before.txnDate ?? "-"} → ${after.txnDate ?? "-"}`);
  const a = new Map(before.byRef);
  const b = new Map(after.byRef);
  for (const ref of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(ref) ?? 0;
    const y = b.get(ref) ?? 0;
    if (x !== y) out.push(`${name(ref)}: ${formatMinor(x)} → ${formatMinor(y)}`);
  }
  return out.join("; ");
}

export const sameMaterial = (a: Material, b: Material): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Reads documents of one entity by id; ids QBO no longer has are absent (deleted). */
export async function readDocs(
  port: Pick<QboPort, "readDocuments">,
  entity: string,
  ids: readonly string[],
): Promise<Map<string, QboDoc>> {
  const out = new Map<string, QboDoc>();
  for (const r of await port.readDocuments(entity, ids)) {
    const doc = QboDoc.parse(r);
    if (doc.Id) out.set(doc.Id, doc);
  }
  return out;
}
