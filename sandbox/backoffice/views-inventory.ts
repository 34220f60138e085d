import { addDec, cmpDec, type Dec, formatDec, mulDec, parseDec, roundDec, subDec } from "../../shared/money";
import type {
  ConsignmentRec,
  InventoryConsignmentStatus,
  StockAdjustmentReason,
  StockAdjustmentRec,
} from "../pos/inventory-types";
import type { StoreState } from "../pos/types";
import { dateTime, html, money, raw, type Raw } from "./format";

/**
 * The stock control pages for what the POS does besides purchase orders (SPEC §4.5): supplier returns
 * and transfers between outlets (consignments of type RETURN and OUTLET, listed in Inventory > Stock
 * control beside the orders and opened at `/consignment/<id>` like them), stocktakes (STOCKTAKE
 * consignments: Inventory > Inventory counts, `/inventory_count` and `/inventory_count/<id>`, the path a
 * public Vend client builds from a stocktake's consignment id) and the stock adjustments list
 * (`/inventory/stock-adjustments`: the back office's path for it is not known, see the README). The
 * markup is the replica's purchase-order style: a titled `vd-section`, a `dl.vd-details` whose
 * `<dt>Status</dt>` the extension reads, `vd-table`s with a Status column, rows linking by id.
 */

export interface InventoryView {
  status: number;
  title: string;
  html: string;
}

const d = (x: string | number) => parseDec(x);
/** A 5-place quantity or cost as the page writes it: "12", "9.5". */
const qty = (x: string | null) => (x === null ? "—" : formatDec(d(x)));
/** An exact amount as money, rounded half-up to the cent once. */
const cash = (x: Dec, symbol: string) => money(formatDec(roundDec(x, 2, "half-up"), 2), symbol);
const zoneOf = (store: StoreState, outletId: string | null) =>
  (outletId ? store.outlets[outletId]?.timeZone : undefined) ?? "UTC";
const outletName = (store: StoreState, id: string | null) => (id ? (store.outlets[id]?.name ?? "") : "");
const productName = (store: StoreState, id: string) => store.products[id]?.name ?? id;

export const CONSIGNMENT_STATUS: Record<InventoryConsignmentStatus, string> = {
  OPEN: "Open",
  SENT: "Sent",
  RECEIVED: "Received",
  CANCELLED: "Cancelled",
  STOCKTAKE_SCHEDULED: "Scheduled",
  STOCKTAKE_IN_PROGRESS: "In progress",
  STOCKTAKE_IN_PROGRESS_PROCESSED: "In review",
  STOCKTAKE_COMPLETE: "Completed",
};

export const CONSIGNMENT_TYPE: Record<"RETURN" | "OUTLET", string> = {
  RETURN: "Supplier return",
  OUTLET: "Transfer",
};

function header(title: string, actions: Raw = raw("")): Raw {
  return html`<div class="vd-page-header"><h1 class="vd-page-title">${title}</h1><div class="vd-page-actions">${actions}</div></div>`;
}

const notFound = (what: string): InventoryView => ({
  status: 404,
  title: "Page not found",
  html: html`<section class="vd-section"><h1 class="vd-page-title">Page not found</h1><p class="vd-text">${what}</p></section>`
    .raw,
});

/** Supplier returns and transfers: what Stock control lists beside the purchase orders. */
export function stockConsignments(store: StoreState): ConsignmentRec[] {
  return Object.values(store.inventory?.consignments ?? {}).filter((c) => c.type === "RETURN" || c.type === "OUTLET");
}

/** A return's or transfer's row in Stock control (the same columns as a purchase order's). */
export function consignmentRow(store: StoreState, base: string, c: ConsignmentRec): Raw {
  const type = c.type as "RETURN" | "OUTLET";
  const where =
    type === "OUTLET"
      ? `${outletName(store, c.sourceOutletId)} → ${outletName(store, c.outletId)}`
      : outletName(store, c.outletId);
  const action =
    type === "OUTLET" && c.status === "SENT"
      ? html`<button type="button" class="vd-btn vd-btn--supplementary" data-action="receive">Receive transfer</button>`
      : "";
  return html`<tr>
      <td><a href="${base}/consignment/${c.id}">${c.reference ?? ""}</a> <span class="vd-text--secondary">${c.name}</span></td>
      <td>${CONSIGNMENT_TYPE[type]}</td>
      <td>${c.supplierId ? (store.suppliers[c.supplierId]?.name ?? "") : ""}</td>
      <td>${where}</td>
      <td><span class="vd-status-label">${CONSIGNMENT_STATUS[c.status]}</span></td>
      <td>${dateTime(c.updatedAt, zoneOf(store, c.outletId))}</td>
      <td class="vd-row-actions">${action}</td>
    </tr>`;
}

function productRows(store: StoreState, c: ConsignmentRec, symbol: string): { rows: Raw[]; total: Dec } {
  let total = d(0);
  const rows = c.products.map((p) => {
    const moved = c.type === "OUTLET" && c.status === "RECEIVED" ? p.received : p.count;
    const line = p.cost === null || moved === null ? null : mulDec(d(moved), d(p.cost));
    if (line) total = addDec(total, line);
    return html`<tr>
      <td>${productName(store, p.productId)}</td>
      <td>${store.products[p.productId]?.sku ?? ""}</td>
      <td class="vd-align-right">${qty(p.count)}</td>
      ${c.type === "OUTLET" ? html`<td class="vd-align-right">${qty(p.received)}</td>` : ""}
      <td class="vd-align-right">${p.cost === null ? "—" : cash(d(p.cost), symbol)}</td>
      <td class="vd-align-right">${line ? cash(line, symbol) : "—"}</td>
    </tr>`;
  });
  return { rows, total };
}

/** `/consignment/<id>` for a supplier return or a transfer. */
export function returnOrTransfer(store: StoreState, base: string, c: ConsignmentRec): InventoryView {
  const symbol = store.retailer.currencySymbol;
  const zone = zoneOf(store, c.outletId);
  const isReturn = c.type === "RETURN";
  const title = `${isReturn ? "Return" : "Transfer"} ${c.reference ?? ""}`.trim();
  const { rows, total } = productRows(store, c, symbol);
  const parties = isReturn
    ? html`<dt>Supplier</dt><dd>${c.supplierId ? (store.suppliers[c.supplierId]?.name ?? "") : ""}</dd>
      <dt>Return from</dt><dd>${outletName(store, c.outletId)}</dd>`
    : html`<dt>Source outlet</dt><dd>${outletName(store, c.sourceOutletId)}</dd>
      <dt>Destination outlet</dt><dd>${outletName(store, c.outletId)}</dd>`;
  const body = html`<section class="vd-section">
    ${header(title, html`<a class="vd-btn vd-btn--supplementary" href="${base}/consignment">Back to stock control</a>`)}
    <dl class="vd-details">
      <dt>Name</dt><dd>${c.name}</dd>
      <dt>Type</dt><dd>${CONSIGNMENT_TYPE[c.type as "RETURN" | "OUTLET"]}</dd>
      <dt>Status</dt><dd><span class="vd-status-label">${CONSIGNMENT_STATUS[c.status]}</span></dd>
      ${parties}
      <dt>Order number</dt><dd>${c.reference ?? "—"}</dd>
      <dt>Sent</dt><dd>${c.sentAt ? dateTime(c.sentAt, zone) : "—"}</dd>
      ${isReturn ? "" : html`<dt>Received</dt><dd>${c.receivedAt ? dateTime(c.receivedAt, zone) : "—"}</dd>`}
      ${c.status === "CANCELLED" ? html`<dt>Cancelled</dt><dd>${dateTime(c.cancelledAt, zone)}</dd>` : ""}
    </dl>
    <table class="vd-table">
      <thead><tr><th>Product</th><th>SKU</th><th>${isReturn ? "Quantity" : "Sent"}</th>${isReturn ? "" : html`<th>Received</th>`}<th>${isReturn ? "Credit price" : "Cost price"}</th><th>Total</th></tr></thead>
      <tbody>${rows}</tbody>
      <tfoot><tr><th colspan="${isReturn ? 4 : 5}">Total</th><td class="vd-align-right">${cash(total, symbol)}</td></tr></tfoot>
    </table>
  </section>`;
  return { status: 200, title, html: body.raw };
}

// ---- Inventory > Inventory counts ---------------------------------------------------------------

const COUNT_FILTERS: InventoryConsignmentStatus[] = [
  "STOCKTAKE_SCHEDULED",
  "STOCKTAKE_IN_PROGRESS",
  "STOCKTAKE_IN_PROGRESS_PROCESSED",
  "STOCKTAKE_COMPLETE",
  "CANCELLED",
];

const stocktakes = (store: StoreState) =>
  Object.values(store.inventory?.consignments ?? {})
    .filter((c) => c.type === "STOCKTAKE")
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1));

/** Count gained and lost, and their cost, once the counts are processed (null before). */
function countTotals(c: ConsignmentRec) {
  if (c.products.every((p) => p.count === null)) return null;
  let gain = d(0);
  let loss = d(0);
  for (const p of c.products) {
    if (p.count === null || p.cost === null) continue;
    const value = mulDec(subDec(d(p.received ?? "0"), d(p.count)), d(p.cost));
    if (cmpDec(value, d(0)) > 0) gain = addDec(gain, value);
    else loss = subDec(loss, value);
  }
  return { gain, loss };
}

export function inventoryCounts(
  store: StoreState,
  base: string,
  search: URLSearchParams,
  paging: (total: number) => { from: number; size: number; nav: Raw },
): InventoryView {
  const symbol = store.retailer.currencySymbol;
  const status = search.get("status")?.toUpperCase();
  const all = stocktakes(store).filter((c) => !status || c.status === status);
  const { from, size, nav } = paging(all.length);
  const rows = all.slice(from, from + size).map((c) => {
    const totals = countTotals(c);
    const zone = zoneOf(store, c.outletId);
    return html`<tr>
      <td><a href="${base}/inventory_count/${c.id}">${c.name}</a></td>
      <td>${outletName(store, c.outletId)}</td>
      <td><span class="vd-status-label">${CONSIGNMENT_STATUS[c.status]}</span></td>
      <td>${dateTime(c.createdAt, zone)}</td>
      <td>${c.completedAt ? dateTime(c.completedAt, zone) : "—"}</td>
      <td class="vd-align-right">${totals ? cash(totals.gain, symbol) : "—"}</td>
      <td class="vd-align-right">${totals ? cash(totals.loss, symbol) : "—"}</td>
    </tr>`;
  });
  const options = COUNT_FILTERS.map(
    (s) => html`<option value="${s}"${raw(s === status ? " selected" : "")}>${CONSIGNMENT_STATUS[s]}</option>`,
  );
  const body = html`<section class="vd-section">
    ${header("Inventory counts", html`<a class="vd-btn vd-btn--supplementary" href="${base}/consignment">Stock control</a>`)}
    <form class="vd-filters" data-filter-form>
      <label class="vd-label">Status
        <select class="vd-select" name="status"><option value="">All</option>${options}</select>
      </label>
    </form>
    ${
      rows.length
        ? html`<table class="vd-table"><thead><tr><th>Count</th><th>Outlet</th><th>Status</th><th>Created</th><th>Completed</th><th>Cost gained</th><th>Cost lost</th></tr></thead><tbody>${rows}</tbody></table>`
        : html`<p class="vd-empty-state">No inventory counts match.</p>`
    }
    ${nav}
  </section>`;
  return { status: 200, title: "Inventory counts", html: body.raw };
}

/** `/inventory_count/<id>`: what was expected and counted per product, and what that cost or gained. */
export function inventoryCount(store: StoreState, base: string, id: string): InventoryView {
  const c = store.inventory?.consignments[id];
  if (c?.type !== "STOCKTAKE") return notFound(`No inventory count ${id}.`);
  const symbol = store.retailer.currencySymbol;
  const zone = zoneOf(store, c.outletId);
  const totals = countTotals(c);
  const rows = c.products.map((p) => {
    const diff = p.count === null ? null : subDec(d(p.received ?? "0"), d(p.count));
    return html`<tr>
      <td>${productName(store, p.productId)}</td>
      <td>${store.products[p.productId]?.sku ?? ""}</td>
      <td class="vd-align-right">${qty(p.count)}</td>
      <td class="vd-align-right">${qty(p.received)}</td>
      <td class="vd-align-right">${diff ? formatDec(diff) : "—"}</td>
      <td class="vd-align-right">${p.cost === null ? "—" : cash(d(p.cost), symbol)}</td>
      <td class="vd-align-right">${diff && p.cost !== null ? cash(mulDec(diff, d(p.cost)), symbol) : "—"}</td>
    </tr>`;
  });
  const body = html`<section class="vd-section">
    ${header(c.name, html`<a class="vd-btn vd-btn--supplementary" href="${base}/inventory_count">Back to inventory counts</a>`)}
    <dl class="vd-details">
      <dt>Outlet</dt><dd>${outletName(store, c.outletId)}</dd>
      <dt>Status</dt><dd><span class="vd-status-label">${CONSIGNMENT_STATUS[c.status]}</span></dd>
      <dt>Created</dt><dd>${dateTime(c.createdAt, zone)}</dd>
      <dt>Completed</dt><dd>${c.completedAt ? dateTime(c.completedAt, zone) : "—"}</dd>
      <dt>Cost gained</dt><dd>${totals ? cash(totals.gain, symbol) : "—"}</dd>
      <dt>Cost lost</dt><dd>${totals ? cash(totals.loss, symbol) : "—"}</dd>
    </dl>
    <table class="vd-table">
      <thead><tr><th>Product</th><th>SKU</th><th>Expected</th><th>Counted</th><th>Difference</th><th>Cost price</th><th>Cost difference</th></tr></thead>
      <tbody>${rows}</tbody>
    </table>
  </section>`;
  return { status: 200, title: c.name, html: body.raw };
}

// ---- Inventory > Stock adjustments --------------------------------------------------------------

const REASON: Record<StockAdjustmentReason, string> = {
  DAMAGE: "Damaged",
  EXPIRY: "Expired",
  INTERNAL_USE: "Internal use",
  THEFT: "Theft",
  DONATION: "Donation",
  STOCK_FOUND: "Stock found",
  SAMPLE_FOR_SALE: "Sample for sale",
  CUSTOM: "Custom",
};

function reasonName(store: StoreState, a: StockAdjustmentRec): string {
  if (a.reason !== "CUSTOM") return REASON[a.reason];
  return (a.customReasonId && store.inventory.customReasons[a.customReasonId]?.name) || REASON.CUSTOM;
}

export function stockAdjustments(
  store: StoreState,
  search: URLSearchParams,
  paging: (total: number) => { from: number; size: number; nav: Raw },
): InventoryView {
  const wanted = search.get("reason")?.toUpperCase();
  const all = Object.values(store.inventory?.adjustments ?? {})
    .filter((a) => !wanted || a.reason === wanted)
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1));
  const { from, size, nav } = paging(all.length);
  const rows = all.slice(from, from + size).map(
    (a) => html`<tr data-stock-adjustment-id="${a.id}">
      <td>${dateTime(a.createdAt, zoneOf(store, a.outletId))}</td>
      <td>${productName(store, a.productId)}</td>
      <td>${store.products[a.productId]?.sku ?? ""}</td>
      <td>${outletName(store, a.outletId)}</td>
      <td>${reasonName(store, a)}</td>
      <td class="vd-align-right">${qty(a.quantity)}</td>
    </tr>`,
  );
  const options = (Object.keys(REASON) as StockAdjustmentReason[]).map(
    (r) => html`<option value="${r}"${raw(r === wanted ? " selected" : "")}>${REASON[r]}</option>`,
  );
  const body = html`<section class="vd-section">
    ${header("Stock adjustments")}
    <form class="vd-filters" data-filter-form>
      <label class="vd-label">Reason
        <select class="vd-select" name="reason"><option value="">All</option>${options}</select>
      </label>
    </form>
    ${
      rows.length
        ? html`<table class="vd-table"><thead><tr><th>Date</th><th>Product</th><th>SKU</th><th>Outlet</th><th>Reason</th><th>Quantity</th></tr></thead><tbody>${rows}</tbody></table>`
        : html`<p class="vd-empty-state">No stock adjustments match.</p>`
    }
    ${nav}
  </section>`;
  return { status: 200, title: "Stock adjustments", html: body.raw };
}
