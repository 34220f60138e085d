import { DATE_HEADER, selectFirst } from "./selectors";

/**
 * Reading what the back office shows: table rows and cells by their column header, money as the
 * page writes it, the status words of orders and sales. With selectors.ts, the only DOM knowledge.
 */

/** The table row (or ARIA row) an element sits in. */
export function rowOf(el: Element): Element | null {
  return el.closest('tr, [role="row"]');
}

/** A table's header texts, read once per table head (a page of 500 rows asks for them 1,500 times). */
const headerCache = new WeakMap<Element, { texts: string[]; at: Map<RegExp, number> }>();
function headerIndex(table: Element, header: RegExp): number {
  const head = table.querySelector("thead");
  let known = head ? headerCache.get(head) : undefined;
  if (!known) {
    const cells = [...new Set(table.querySelectorAll("thead tr:first-child > *, thead th"))];
    known = { texts: cells.map((th) => th.textContent?.trim() ?? ""), at: new Map() };
    if (head) headerCache.set(head, known);
  }
  let i = known.at.get(header);
  if (i === undefined) {
    i = known.texts.findIndex((text) => header.test(text));
    known.at.set(header, i);
  }
  return i;
}

/** The table a row's section belongs to, found once per section (not once per row and column). */
const tableOfSection = new WeakMap<Element, Element | null>();
function tableOf(row: Element): Element | null {
  const section = row.parentElement;
  if (!section) return row.closest("table");
  let table = tableOfSection.get(section);
  if (table === undefined) tableOfSection.set(section, (table = section.closest("table")));
  return table;
}

/** The text of a row's cell under the column whose header matches. */
export function cellText(row: Element, header: RegExp): string | null {
  const table = tableOf(row);
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

const TYPE = /^type$/i;

/** A stock control row's type (Supplier order, Supplier return, Transfer); null on pages without the column. */
export function rowType(row: Element): string | null {
  return cellText(row, TYPE);
}

const ddAfter = (dt: Element | null) => {
  const dd = dt?.nextElementSibling;
  return dd?.tagName === "DD" ? (dd.textContent?.trim() ?? null) : null;
};

/** The status on a detail page (<dt>Status</dt><dd>Received</dd>). */
export function detailStatus(root: ParentNode = document): string | null {
  return ddAfter(selectFirst("detailStatus", root));
}

/** The type on a consignment's page (<dt>Type</dt><dd>Supplier return</dd>); null on a purchase order's. */
export function detailType(root: ParentNode = document): string | null {
  return ddAfter(selectFirst("detailType", root));
}

/**
 * What a stock control consignment posts as, from its type and status as the page says them: a
 * received supplier order a bill, a sent supplier return a vendor credit, a received transfer a
 * journal (SPEC §1.2, §4.5); anything else (open, cancelled, on its way) nothing yet. No type: a
 * supplier order (the pages before returns and transfers had no Type column).
 */
export function consignmentKind(
  type: string | null,
  status: string | null,
): "purchase_order" | "supplier_return" | "stock_transfer" | null {
  const t = type?.trim() ?? "";
  const st = status?.trim() ?? "";
  if (!t || /^(supplier order|commande fournisseur)$/i.test(t)) return isReceivedStatus(st) ? "purchase_order" : null;
  if (/^(supplier return|retour fournisseur)$/i.test(t))
    return /^(sent|envoyée?)$/i.test(st) ? "supplier_return" : null;
  if (/^(transfer|transfert)$/i.test(t)) return /^(received|reçue?)$/i.test(st) ? "stock_transfer" : null;
  return null;
}

/** A stocktake posts once completed. */
export function isCompletedCount(status: string | null): boolean {
  return !!status && /^(completed|complete|terminée?)$/i.test(status.trim());
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

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
  janv: 1,
  févr: 2,
  fevr: 2,
  mars: 3,
  avr: 4,
  mai: 5,
  juin: 6,
  juil: 7,
  août: 8,
  aout: 8,
  sept: 9,
  déc: 12,
};

/** YYYY-MM-DD when it is a real calendar day (Feb 30 is not), else null. */
function day(y: number, m: number | undefined, d: number): string | null {
  if (!m) return null;
  const text = `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  const at = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(at) && new Date(at).toISOString().startsWith(text) ? text : null;
}

/**
 * The calendar day of a date as the back office writes it — "Oct 10, 2026, 9:10 PM" (pos-api-notes
 * §2.2: `%b %d, %Y`), "10 oct. 2026, 21 h 10" in French, or ISO "2026-10-10" — as YYYY-MM-DD.
 */
export function parseBackOfficeDate(text: string | null | undefined): string | null {
  const t = (text ?? "").trim().toLowerCase();
  // a list's rows share a handful of days: each is read once
  const known = parsedDates.get(t);
  if (known !== undefined) return known;
  const read = readDate(t);
  if (parsedDates.size > 1000) parsedDates.clear();
  parsedDates.set(t, read);
  return read;
}

const parsedDates = new Map<string, string | null>();
function readDate(t: string): string | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?!\d)/.exec(t);
  if (iso) return day(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const en = /^([a-zé]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\b/.exec(t);
  if (en) return day(Number(en[3]), MONTHS[en[1]!.slice(0, 3)], Number(en[2]));
  const fr = /^(\d{1,2})(?:er)?\s+([a-zéû]{3,9})\.?\s+(\d{4})\b/.exec(t);
  if (fr)
    return day(
      Number(fr[3]),
      MONTHS[fr[2]!] ?? MONTHS[fr[2]!.slice(0, 4)] ?? MONTHS[fr[2]!.slice(0, 3)],
      Number(fr[1]),
    );
  return null;
}

/** A closures-list or sales-history row's day (YYYY-MM-DD), from its date column. */
export function rowDate(row: Element): string | null {
  return parseBackOfficeDate(cellText(row, DATE_HEADER));
}

/** A closure summary's closing day (<dt>Closing time</dt><dd>…</dd>). */
export function detailClosingDate(root: ParentNode = document): string | null {
  const dt = selectFirst("detailClosingTime", root);
  const dd = dt?.nextElementSibling;
  return dd?.tagName === "DD" ? parseBackOfficeDate(dd.textContent) : null;
}

/**
 * How a person names a row: its link's words, with the closure's sequence number where the list has a
 * "#" column ("Caisse 1 #10"), for screen readers and announcements.
 */
export function rowName(row: Element | null, link: Element): string | undefined {
  const name = link.textContent?.replace(/\s+/g, " ").trim() ?? "";
  const number = row ? cellText(row, /^(#|n°|no)$/i) : null;
  const text = number && /^\d+$/.test(number) ? `${name} #${number}` : name;
  return text ? text.slice(0, 80) : undefined;
}

/** Where a row's action button goes: its last cell (the stock list's actions column). */
export function actionCell(row: Element): Element | null {
  return row.lastElementChild;
}

/** The stock adjustment a row shows (Inventory > Stock adjustments). */
export function adjustmentIdOf(row: Element): string | null {
  return row.getAttribute("data-stock-adjustment-id");
}
