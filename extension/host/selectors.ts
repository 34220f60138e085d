import { closureIdOfHref, consignmentIdOfHref, countIdOfHref, saleIdOfHref } from "./urls";

/**
 * Every selector the extension uses on the back office, next to its evidence: saved pages in
 * ./fixtures and how many elements it must match there (test/ext/selectors.test.ts checks each).
 * Objects are found by the ids in their links, not by styling classes. When the back office
 * changes, add the new variant beside the old one (and its fixture) rather than replacing it; a
 * selector that stops matching is reported (features/report.ts), never fatal.
 */

export interface SelectorSpec {
  what: string;
  /** CSS variants, old and new side by side; matches are the union in document order */
  css: readonly string[];
  /** A further test where CSS cannot say it (an id in the href, a header's text) */
  keep?: (el: Element) => boolean;
  evidence: readonly (readonly [fixture: string, count: number])[];
}

/** The column a list dates its rows by: closing time (closures; "Closed" in the Vend era) or date (sales). */
export const DATE_HEADER = /^(closing time|closed|date|heure de fermeture|fermeture)$/i;
const CLOSING_TIME = /^(closing time|closed|heure de fermeture|fermeture)$/i;

const headerTexts = (table: Element) =>
  [...table.querySelectorAll("thead th, tr:first-child th")].map((th) => th.textContent?.trim().toLowerCase() ?? "");
const hrefOf = (el: Element) => el.getAttribute("href");

export const SELECTORS = {
  closureLink: {
    what: "a register closure's link in Reporting > Register closures (one per row)",
    css: [
      'a[href*="/register/closure/summary/"]', // retail.lightspeed.app and the replica
      'a[href^="register/closure/summary/"]', // Vend era: relative links (pos-api-notes §2.2)
    ],
    keep: (el) => closureIdOfHref(hrefOf(el)) !== null,
    evidence: [
      ["closures-list.html", 25],
      ["closures-list-page-2.html", 5],
      ["closures-list-vend.html", 3],
      ["closure-summary.html", 0],
      ["stock-control.html", 0],
    ],
  },
  pageTitle: {
    what: "the page's title, where a page-level badge or button goes",
    css: ["main h1", "#app h1", "h1"],
    evidence: [
      ["closure-summary.html", 1],
      ["closure-summary-uncounted.html", 1],
      ["consignment-received.html", 1],
      ["consignment-sent.html", 1],
      ["closures-list.html", 1],
      ["inventory/supplier-return-sent.html", 1],
      ["inventory/transfer-received.html", 1],
      ["inventory/inventory-count-complete.html", 1],
    ],
  },
  closurePaymentsTable: {
    what: "the closure summary's table of payment types with expected / counted / differences",
    css: ["table"],
    keep: (el) => headerTexts(el).some((t) => /^(counted|compté)/.test(t)),
    evidence: [
      ["closure-summary.html", 1],
      ["closure-summary-uncounted.html", 1],
      ["closures-list.html", 0],
    ],
  },
  consignmentLink: {
    what: "a stock order's link in Inventory > Stock control (one per row)",
    css: ['a[href*="/consignment/"]'],
    keep: (el) => consignmentIdOfHref(hrefOf(el)) !== null && el.closest("table") !== null,
    evidence: [
      ["stock-control.html", 5],
      ["stock-control-received.html", 2],
      ["inventory/stock-control-returns.html", 4],
      ["inventory/stock-control-transfers.html", 3],
      ["inventory/stock-control-inventory.html", 17],
      ["consignment-received.html", 0],
      ["closures-list.html", 0],
    ],
  },
  countLink: {
    what: "an inventory count's (stocktake's) link in Inventory > Inventory counts (one per row)",
    css: ['a[href*="/inventory_count/"]'],
    keep: (el) => countIdOfHref(hrefOf(el)) !== null && el.closest("table") !== null,
    evidence: [
      ["inventory/inventory-counts.html", 2],
      ["inventory/inventory-count-complete.html", 0],
      ["inventory/inventory-count-in-review.html", 0],
      ["stock-control.html", 0],
    ],
  },
  adjustmentRow: {
    what: "a stock adjustment's row in Inventory > Stock adjustments (UNCONFIRMED page: rows carry data-stock-adjustment-id)",
    css: ["tr[data-stock-adjustment-id]"],
    keep: (el) => /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(el.getAttribute("data-stock-adjustment-id") ?? ""),
    evidence: [
      ["inventory/stock-adjustments.html", 14],
      ["stock-control.html", 0],
    ],
  },
  typeHeader: {
    what: "the Type column's header in stock control (Supplier order, Supplier return, Transfer): a row's kind",
    css: ["table thead th"],
    keep: (el) => /^(type)$/i.test(el.textContent?.trim() ?? ""),
    evidence: [
      ["inventory/stock-control-returns.html", 1],
      ["inventory/stock-control-transfers.html", 1],
      ["stock-control.html", 1],
      ["closures-list.html", 0],
    ],
  },
  detailType: {
    what: "the type on a consignment's page (the <dd> after <dt>Type</dt>): a supplier return or a transfer",
    css: ["dl dt"],
    keep: (el) => /^(type)$/i.test(el.textContent?.trim() ?? ""),
    evidence: [
      ["inventory/supplier-return-sent.html", 1],
      ["inventory/supplier-return-open.html", 1],
      ["inventory/supplier-return-cancelled.html", 1],
      ["inventory/transfer-sent.html", 1],
      ["inventory/transfer-received.html", 1],
      ["consignment-received.html", 0],
    ],
  },
  statusHeader: {
    what: "the Status column's header in the stock control and sales history tables (rows are read by it)",
    css: ["table thead th"],
    keep: (el) => /^(status|statut)$/i.test(el.textContent?.trim() ?? ""),
    evidence: [
      ["stock-control.html", 1],
      ["stock-control-received.html", 1],
      ["sales-history.html", 1],
      ["inventory/inventory-counts.html", 1],
      ["inventory/stock-adjustments.html", 0],
      ["closures-list.html", 0],
    ],
  },
  detailStatus: {
    what: "the status on a stock order's detail page (the <dd> after <dt>Status</dt>)",
    css: ["dl dt"],
    keep: (el) => /^(status|statut)$/i.test(el.textContent?.trim() ?? ""),
    evidence: [
      ["consignment-received.html", 1],
      ["consignment-sent.html", 1],
      ["inventory/inventory-count-complete.html", 1],
      ["inventory/inventory-count-in-review.html", 1],
      ["closure-summary.html", 0],
    ],
  },
  dateHeader: {
    what: "the date column's header of the closures list (Closing time; Closed in the Vend era) and sales history (Date): a grey row's backfill starts on its day",
    css: ["table thead th"],
    keep: (el) => DATE_HEADER.test(el.textContent?.trim() ?? ""),
    evidence: [
      ["closures-list.html", 1],
      ["closures-list-vend.html", 1],
      ["sales-history.html", 1],
      ["sales-history-on-account.html", 1],
      ["stock-control.html", 0],
    ],
  },
  detailClosingTime: {
    what: "the closing time on a closure summary (the <dd> after <dt>Closing time</dt>): its backfill starts on that day",
    css: ["dl dt"],
    keep: (el) => CLOSING_TIME.test(el.textContent?.trim() ?? ""),
    evidence: [
      ["closure-summary.html", 1],
      ["closure-summary-uncounted.html", 1],
      ["consignment-received.html", 0],
    ],
  },
  saleLink: {
    what: "a sale's link in the sales history (opens it with #<sale_id>; one per row)",
    css: ['table a[href^="#"]', 'table a[href*="/history#"]'],
    keep: (el) => saleIdOfHref(hrefOf(el)) !== null,
    evidence: [
      ["sales-history.html", 25],
      ["sales-history-on-account.html", 3],
      ["sales-history-layby.html", 1],
      ["closures-list.html", 0],
    ],
  },
} as const satisfies Record<string, SelectorSpec>;

export type SelectorName = keyof typeof SELECTORS;

/** All elements matching a selector (every variant, in document order, once each). */
export function selectAll(name: SelectorName, root: ParentNode = document): Element[] {
  const spec: SelectorSpec = SELECTORS[name];
  const found = new Set<Element>();
  let variants = 0;
  for (const css of spec.css) {
    const before = found.size;
    for (const el of root.querySelectorAll(css)) found.add(el);
    if (found.size > before) variants++;
  }
  const all = [...found].filter((el) => !spec.keep || spec.keep(el));
  // one variant's matches are in document order already; only a union needs sorting
  if (variants < 2) return all;
  return all.sort((a, b) => (a === b ? 0 : a.compareDocumentPosition(b) & 4 /* FOLLOWING */ ? -1 : 1));
}

export function selectFirst(name: SelectorName, root: ParentNode = document): Element | null {
  // The title variants are ordered best first: take the first variant that matches, not the first in the document.
  const spec: SelectorSpec = SELECTORS[name];
  for (const css of spec.css) for (const el of root.querySelectorAll(css)) if (!spec.keep || spec.keep(el)) return el;
  return null;
}
