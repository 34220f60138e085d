import { selectFirst } from "./selectors";

/**
 * Reading what the back office shows: table rows and cells by their column header, money as the
 * page writes it, the status words of orders and sales. With selectors.ts, the only DOM knowledge.
 */

/** The table row (or ARIA row) an element sits in. */
export function rowOf(el: Element): Element | null {
  return el.closest('tr, [role="row"]');
}

function headerIndex(table: Element, header: RegExp): number {
  const cells = [...table.querySelectorAll("thead tr:first-child > *, thead th")];
  const unique = [...new Set(cells)];
  return unique.findIndex((th) => header.test(th.textContent?.trim() ?? ""));
}

/** The text of a row's cell under the column whose header matches. */
export function cellText(row: Element, header: RegExp): string | null {
  const table = row.closest("table");
  if (!table) return null;
  const i = headerIndex(table, header);
  if (i < 0) return null;
  const cell = row.children[i];
  return cell?.textContent?.trim() ?? null;
}

const STATUS = /^(status|statut)$/i;

/** A stock order is sendable once (fully or partly) received. */
export function isReceivedStatus(text: string | null): boolean {
  return !!text && /^(received|partially received|reçue?|partiellement reçue?)$/i.test(text.trim());
}

/** On-account and layby sales (open or closed) are the ones Tillbridge posts as invoices. */
export function isAccountSaleStatus(text: string | null): boolean {
  return !!text && /^(on account|layby|à crédit|mise de côté)/i.test(text.trim());
}

export function rowStatus(row: Element): string | null {
  return cellText(row, STATUS);
}

/** The status on a detail page (<dt>Status</dt><dd>Received</dd>). */
export function detailStatus(root: ParentNode = document): string | null {
  const dt = selectFirst("detailStatus", root);
  const dd = dt?.nextElementSibling;
  return dd?.tagName === "DD" ? (dd.textContent?.trim() ?? null) : null;
}

/**
 * Money as the back office writes it ("$1,234.56", "-$1.50", "($1.50)", "1 234,56 $") → integer
 * cents, by string operations only. null when the cell holds no amount ("—", empty).
 */
export function parseMoney(text: string | null | undefined): number | null {
  if (!text) return null;
  const t = text.replace(/\u00a0|\u202f/g, " ").trim();
  const negative = /^[-−–]|^\(.*\)$|[-−]$/.test(t) || /^[^\d]*[-−]/.test(t);
  const digits = t.replace(/[^\d.,]/g, "");
  if (!/\d/.test(digits)) return null;
  const m = /^(.*?)(?:[.,](\d{1,2}))?$/.exec(digits);
  if (!m) return null;
  const whole = (m[1] ?? "").replace(/[.,]/g, "") || "0";
  const frac = `${m[2] ?? ""}00`.slice(0, 2);
  if (!/^\d+$/.test(whole) || whole.length > 13) return null;
  const cents = Number(whole) * 100 + Number(frac);
  return negative ? -cents : cents;
}

export interface CountedRow {
  name: string;
  countedMinor: number;
}

/** The counted total per payment type from the closure summary's payments table; null when none is counted yet. */
export function readCountedTotals(table: Element): CountedRow[] | null {
  const nameAt = headerIndex(table, /^(payment|paiement|mode)/i);
  const countedAt = headerIndex(table, /^(counted|compté)/i);
  if (nameAt < 0 || countedAt < 0) return null;
  const out: CountedRow[] = [];
  for (const row of table.querySelectorAll("tbody tr")) {
    const name = row.children[nameAt]?.textContent?.trim();
    const counted = parseMoney(row.children[countedAt]?.textContent);
    if (name && counted !== null) out.push({ name, countedMinor: counted });
  }
  return out.length ? out : null;
}
