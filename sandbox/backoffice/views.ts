import type { ClosureRecord, PoStatus, PurchaseOrderRec, SaleRec, StoreState } from "../pos/types";
import type { ConsignmentRec } from "../pos/inventory-types";
import { centsToDecimal, dateTime, html, money, raw, subtractDecimals, type Raw } from "./format";
import {
  CONSIGNMENT_TYPE,
  consignmentRow,
  inventoryCount,
  inventoryCounts,
  returnOrTransfer,
  stockAdjustments,
  stockConsignments,
} from "./views-inventory";

/**
 * The replica's pages, rendered from the POS sandbox's demo store. Markup follows what is known of
 * the real back office (reference/pos-api-notes.md §2): Vend's `vd-` design classes, the closures
 * table (`item_list`, Register and `#` columns, rows linking to /register/closure/summary/<id>, an
 * Export CSV link), stock control with a status filter and a "Receive order" action, and the sales
 * history whose rows open a sale with `#<sale_id>`.
 */

export const PAGE_SIZE = 25;

export interface View {
  status: number;
  title: string;
  html: string;
}

export interface ViewInput {
  store: StoreState;
  closures: ClosureRecord[];
  /** "/<prefix>": what every link starts with */
  base: string;
  /** The path after the prefix, e.g. "/register/closures" */
  path: string;
  search: URLSearchParams;
}

const notFound = (what: string): View => ({
  status: 404,
  title: "Page not found",
  html: html`<section class="vd-section"><h1 class="vd-page-title">Page not found</h1><p class="vd-text">${what}</p></section>`
    .raw,
});

function pageOf(search: URLSearchParams, total: number): { page: number; pages: number; from: number } {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const asked = Number.parseInt(search.get("page") ?? "1", 10);
  const page = Number.isFinite(asked) ? Math.min(Math.max(1, asked), pages) : 1;
  return { page, pages, from: (page - 1) * PAGE_SIZE };
}

function pagination(base: string, path: string, search: URLSearchParams, page: number, pages: number): Raw {
  if (pages <= 1) return raw("");
  const link = (p: number) => {
    const q = new URLSearchParams(search);
    q.set("page", String(p));
    return `${base}${path}?${q.toString()}`;
  };
  return html`<nav class="vd-pagination" aria-label="Pagination">
    ${page > 1 ? html`<a class="vd-btn vd-btn--supplementary" rel="prev" href="${link(page - 1)}">Previous</a>` : ""}
    <span class="vd-pagination-status">Page ${page} of ${pages}</span>
    ${page < pages ? html`<a class="vd-btn vd-btn--supplementary" rel="next" href="${link(page + 1)}">Next</a>` : ""}
  </nav>`;
}

function header(title: string, actions: Raw = raw("")): Raw {
  return html`<div class="vd-page-header"><h1 class="vd-page-title">${title}</h1><div class="vd-page-actions">${actions}</div></div>`;
}

// ---- Reporting > Register closures --------------------------------------------------------------

function closuresList({ store, closures, base, path, search }: ViewInput): View {
  const symbol = store.retailer.currencySymbol;
  const newestFirst = [...closures].reverse();
  const { page, pages, from } = pageOf(search, newestFirst.length);
  const rows = newestFirst.slice(from, from + PAGE_SIZE).map((c) => {
    const total = c.payments.reduce((sum, p) => subtractDecimals(sum, negate(p.expected)), "0.00");
    return html`<tr>
      <td>${c.outletName}</td>
      <td><a href="${base}/register/closure/summary/${c.id}">${c.registerName}</a></td>
      <td class="vd-align-right">${c.sequenceNumber}</td>
      <td>${dateTime(c.openedAt, c.timeZone)}</td>
      <td>${dateTime(c.closedAt, c.timeZone)}</td>
      <td class="vd-align-right">${money(total, symbol)}</td>
    </tr>`;
  });
  const body = html`<section class="vd-section">
    ${header("Register closures", html`<a class="vd-btn vd-btn--supplementary" href="${base}/register/closures.csv">Export CSV</a>`)}
    ${
      rows.length
        ? html`<table class="item_list table-fixed headers-sortable static-aside vd-table">
            <thead><tr><th>Outlet</th><th>Register</th><th>#</th><th>Opening time</th><th>Closing time</th><th>Total</th></tr></thead>
            <tbody>${rows}</tbody>
          </table>`
        : html`<p class="vd-empty-state">No register closures yet.</p>`
    }
    ${pagination(base, path, search, page, pages)}
  </section>`;
  return { status: 200, title: "Register closures", html: body.raw };
}

function negate(decimal: string): string {
  return decimal.startsWith("-") ? decimal.slice(1) : `-${decimal}`;
}

export function closuresCsv(closures: ClosureRecord[]): string {
  const lines = ["outlet,register,sequence,opened_at,closed_at,payment_type,expected,counted"];
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  for (const c of closures)
    for (const p of c.payments)
      lines.push(
        [
          q(c.outletName),
          q(c.registerName),
          c.sequenceNumber,
          c.openedAt,
          c.closedAt ?? "",
          q(p.name),
          p.expected,
          p.counted ?? "",
        ].join(","),
      );
  return `${lines.join("\n")}\n`;
}

function closureSummary({ store, closures, base }: ViewInput, id: string): View {
  const c = closures.find((x) => x.id === id);
  if (!c) return notFound(`No register closure ${id}.`);
  const symbol = store.retailer.currencySymbol;
  const rows = c.payments.map(
    (p) => html`<tr>
      <td>${p.name}</td>
      <td class="vd-align-right">${money(p.expected, symbol)}</td>
      <td class="vd-align-right">${p.counted === null ? "—" : money(p.counted, symbol)}</td>
      <td class="vd-align-right">${p.counted === null ? "—" : money(subtractDecimals(p.counted, p.expected), symbol)}</td>
    </tr>`,
  );
  const body = html`<section class="vd-section">
    ${header("Register Closure Summary", html`<a class="vd-btn vd-btn--supplementary" href="${base}/register/closures">Back to register closures</a>`)}
    <dl class="vd-details">
      <dt>Outlet</dt><dd>${c.outletName}</dd>
      <dt>Register</dt><dd>${c.registerName}</dd>
      <dt>Closure #</dt><dd>${c.sequenceNumber}</dd>
      <dt>Opening time</dt><dd>${dateTime(c.openedAt, c.timeZone)}</dd>
      <dt>Closing time</dt><dd>${dateTime(c.closedAt, c.timeZone)}</dd>
    </dl>
    <h2 class="vd-section-title">Payments</h2>
    <table class="vd-table">
      <thead><tr><th>Payment type</th><th>Expected</th><th>Counted</th><th>Differences</th></tr></thead>
      <tbody>${rows}</tbody>
    </table>
  </section>`;
  return { status: 200, title: "Register Closure Summary", html: body.raw };
}

// ---- Inventory > Stock control ------------------------------------------------------------------

const PO_STATUS: Record<PoStatus, string> = {
  OPEN: "Open",
  SENT: "Sent",
  PARTIALLY_RECEIVED: "Partially received",
  RECEIVED: "Received",
  CANCELLED: "Cancelled",
};
const PO_FILTERS: PoStatus[] = ["OPEN", "SENT", "PARTIALLY_RECEIVED", "RECEIVED", "CANCELLED"];

function orders(store: StoreState): PurchaseOrderRec[] {
  return Object.values(store.purchaseOrders).sort((a, b) =>
    a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1,
  );
}

/**
 * Stock control: purchase orders, and — in a store that keeps inventory documents — supplier returns
 * and transfers, newest first, with a type filter and links to inventory counts and stock adjustments.
 * A store without them shows exactly what it always did (the saved fixtures).
 */
function stockControl({ store, base, path, search }: ViewInput): View {
  const status = search.get("status")?.toUpperCase() as PoStatus | undefined;
  const type = search.get("type")?.toUpperCase();
  const others = stockConsignments(store);
  const full = store.inventory?.enabled === true || others.length > 0;
  const listed: ({ at: string; id: string } & ({ po: PurchaseOrderRec } | { c: ConsignmentRec }))[] = [
    ...orders(store)
      .filter((o) => (!status || o.status === status) && (!type || type === "SUPPLIER"))
      .map((po) => ({ at: po.createdAt, id: po.id, po })),
    ...others
      .filter((c) => (!status || c.status === status) && (!type || type === c.type))
      .map((c) => ({ at: c.createdAt, id: c.id, c })),
  ].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? 1 : -1));
  const { page, pages, from } = pageOf(search, listed.length);
  const rows = listed
    .slice(from, from + PAGE_SIZE)
    .map((x) => ("po" in x ? orderRow(store, base, x.po) : consignmentRow(store, base, x.c)));
  const options = PO_FILTERS.map(
    (s) => html`<option value="${s}"${raw(s === status ? " selected" : "")}>${PO_STATUS[s]}</option>`,
  );
  const types = (["SUPPLIER", "RETURN", "OUTLET"] as const).map(
    (t) =>
      html`<option value="${t}"${raw(t === type ? " selected" : "")}>${t === "SUPPLIER" ? "Supplier order" : CONSIGNMENT_TYPE[t]}</option>`,
  );
  const actions = full
    ? html`<a class="vd-btn vd-btn--supplementary" href="${base}/inventory_count">Inventory counts</a> <a class="vd-btn vd-btn--supplementary" href="${base}/inventory/stock-adjustments">Stock adjustments</a> <a class="vd-btn" href="${base}/consignment/new">Order stock</a>`
    : html`<a class="vd-btn" href="${base}/consignment/new">Order stock</a>`;
  const body = html`<section class="vd-section">
    ${header("Stock control", actions)}
    <form class="vd-filters" data-filter-form>
      <label class="vd-label">Status
        <select class="vd-select" name="status"><option value="">All</option>${options}</select>
      </label>${
        full
          ? html`
      <label class="vd-label">Type
        <select class="vd-select" name="type"><option value="">All</option>${types}</select>
      </label>`
          : ""
      }
    </form>
    ${
      rows.length
        ? html`<table class="vd-table"><thead><tr><th>Order</th><th>Type</th><th>Supplier</th><th>Outlet</th><th>Status</th><th>Last updated</th><th></th></tr></thead><tbody>${rows}</tbody></table>`
        : html`<p class="vd-empty-state">No stock orders match.</p>`
    }
    ${pagination(base, path, search, page, pages)}
  </section>`;
  return { status: 200, title: "Stock control", html: body.raw };
}

function orderRow(store: StoreState, base: string, o: PurchaseOrderRec): Raw {
  const outletName = (id: string) => store.outlets[id]?.name ?? "";
  const receivable = o.status === "SENT" || o.status === "OPEN" || o.status === "PARTIALLY_RECEIVED";
  return html`<tr>
      <td><a href="${base}/consignment/${o.id}">${o.orderNumber}</a> <span class="vd-text--secondary">${o.name}</span></td>
      <td>Supplier order</td>
      <td>${store.suppliers[o.supplierId]?.name ?? ""}</td>
      <td>${outletName(o.outletId)}</td>
      <td><span class="vd-status-label">${PO_STATUS[o.status]}</span></td>
      <td>${dateTime(o.updatedAt, store.outlets[o.outletId]?.timeZone ?? "UTC")}</td>
      <td class="vd-row-actions">${receivable ? html`<button type="button" class="vd-btn vd-btn--supplementary" data-action="receive">Receive order</button>` : ""}</td>
    </tr>`;
}

function consignment({ store, base }: ViewInput, id: string): View {
  const o = store.purchaseOrders[id];
  const other = store.inventory?.consignments[id];
  if (!o && other && (other.type === "RETURN" || other.type === "OUTLET")) return returnOrTransfer(store, base, other);
  if (!o) return notFound(`No stock order ${id}.`);
  const symbol = store.retailer.currencySymbol;
  const zone = store.outlets[o.outletId]?.timeZone ?? "UTC";
  const received = new Map<string, number>();
  for (const d of o.deliveries)
    for (const l of d.lines) received.set(l.poLineId, (received.get(l.poLineId) ?? 0) + Number(l.received));
  const lines = o.lines.map(
    (l) => html`<tr>
      <td>${store.products[l.productId]?.name ?? l.productId}</td>
      <td class="vd-align-right">${l.quantity}</td>
      <td class="vd-align-right">${String(received.get(l.id) ?? 0)}</td>
      <td class="vd-align-right">${money(l.costPrice, symbol)}</td>
    </tr>`,
  );
  const charges = o.deliveries.flatMap((d) => [
    ...d.costs,
    ...d.discounts.map((x) => ({ ...x, amount: negate(x.amount) })),
  ]);
  const lastReceived =
    o.deliveries
      .map((d) => d.receivedAt)
      .sort()
      .at(-1) ?? null;
  const body = html`<section class="vd-section">
    ${header(`Order ${o.orderNumber}`, html`<a class="vd-btn vd-btn--supplementary" href="${base}/consignment">Back to stock control</a>`)}
    <dl class="vd-details">
      <dt>Name</dt><dd>${o.name}</dd>
      <dt>Status</dt><dd><span class="vd-status-label">${PO_STATUS[o.status]}</span></dd>
      <dt>Supplier</dt><dd>${store.suppliers[o.supplierId]?.name ?? ""}</dd>
      <dt>Deliver to</dt><dd>${store.outlets[o.outletId]?.name ?? ""}</dd>
      <dt>Supplier invoice</dt><dd>${o.supplierInvoice ?? o.deliveries.find((d) => d.supplierInvoice)?.supplierInvoice ?? "—"}</dd>
      <dt>Received</dt><dd>${lastReceived ? dateTime(lastReceived, zone) : "—"}</dd>
    </dl>
    <table class="vd-table">
      <thead><tr><th>Product</th><th>Ordered</th><th>Received</th><th>Cost price</th></tr></thead>
      <tbody>${lines}</tbody>
    </table>
    ${
      charges.length
        ? html`<table class="vd-table"><thead><tr><th>Cost or discount</th><th>Amount</th></tr></thead><tbody>${charges.map(
            (x) => html`<tr><td>${x.type}</td><td class="vd-align-right">${money(x.amount, symbol)}</td></tr>`,
          )}</tbody></table>`
        : ""
    }
  </section>`;
  return { status: 200, title: `Order ${o.orderNumber}`, html: body.raw };
}

// ---- Sales history ------------------------------------------------------------------------------

export function saleStatus(s: SaleRec): string {
  if (s.state === "voided") return "Voided";
  if (s.state === "parked") return "Parked";
  const closed = s.state === "closed";
  if (s.attributes.includes("layby")) return closed ? "Layby closed" : "Layby";
  if (s.attributes.includes("onaccount")) return closed ? "On account closed" : "On account";
  return "Completed";
}

function customerName(store: StoreState, id: string | null): string {
  const c = id ? store.customers[id] : undefined;
  if (!c) return "";
  return c.companyName || [c.firstName, c.lastName].filter(Boolean).join(" ");
}

function salesHistory({ store, base, path, search }: ViewInput): View {
  const wanted = search.get("status");
  const sales = Object.values(store.sales)
    .filter((s) => s.state !== "parked" || wanted === "parked")
    .filter((s) => !wanted || saleStatus(s).toLowerCase().replace(/ /g, "_").startsWith(wanted))
    .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.id < b.id ? 1 : -1));
  const { page, pages, from } = pageOf(search, sales.length);
  const symbol = store.retailer.currencySymbol;
  const rows = sales.slice(from, from + PAGE_SIZE).map((s) => {
    const zone = store.outlets[s.outletId]?.timeZone ?? "UTC";
    return html`<tr>
      <td>${dateTime(s.date, zone)}</td>
      <td><a href="#${s.id}">${s.receiptNumber}</a></td>
      <td>${customerName(store, s.customerId)}</td>
      <td><span class="vd-status-label">${saleStatus(s)}</span></td>
      <td class="vd-align-right">${money(centsToDecimal(s.totalPrice + s.totalTax), symbol)}</td>
    </tr>`;
  });
  const filters = ["on_account", "layby", "completed", "voided"].map(
    (v) =>
      html`<option value="${v}"${raw(v === wanted ? " selected" : "")}>${v.replace("_", " ").replace(/^./, (c) => c.toUpperCase())}</option>`,
  );
  const body = html`<section class="vd-section">
    ${header("Sales history")}
    <form class="vd-filters" data-filter-form>
      <label class="vd-label">Status <select class="vd-select" name="status"><option value="">All</option>${filters}</select></label>
    </form>
    ${
      rows.length
        ? html`<table class="vd-table"><thead><tr><th>Date</th><th>Receipt</th><th>Customer</th><th>Status</th><th>Total</th></tr></thead><tbody>${rows}</tbody></table>`
        : html`<p class="vd-empty-state">No sales match.</p>`
    }
    ${pagination(base, path, search, page, pages)}
    <aside class="vd-sale-detail" data-sale-detail hidden></aside>
  </section>`;
  return { status: 200, title: "Sales history", html: body.raw };
}

/** One sale's detail, opened from the history with `#<sale_id>`. */
export function saleDetail(store: StoreState, id: string): View {
  const s = store.sales[id];
  if (!s) return notFound(`No sale ${id}.`);
  const symbol = store.retailer.currencySymbol;
  const lines = s.lines.map(
    (l) =>
      html`<tr><td>${store.products[l.productId]?.name ?? l.productId}</td><td class="vd-align-right">${l.quantity}</td><td class="vd-align-right">${money(centsToDecimal(l.total), symbol)}</td></tr>`,
  );
  const payments = s.payments.map(
    (p) => html`<tr><td>${p.name}</td><td class="vd-align-right">${money(centsToDecimal(p.amount), symbol)}</td></tr>`,
  );
  const body = html`<h2 class="vd-section-title">Sale ${s.receiptNumber} · ${saleStatus(s)}</h2>
    <table class="vd-table"><thead><tr><th>Product</th><th>Quantity</th><th>Total</th></tr></thead><tbody>${lines}</tbody></table>
    <table class="vd-table"><thead><tr><th>Payment</th><th>Amount</th></tr></thead><tbody>${payments}</tbody></table>`;
  return { status: 200, title: `Sale ${s.receiptNumber}`, html: body.raw };
}

// ---- routing ------------------------------------------------------------------------------------

export function renderView(input: ViewInput): View {
  const p = input.path.replace(/\/+$/, "") || "/";
  if (p === "/register/closures") return closuresList(input);
  const summary = /^\/register\/closure\/summary\/([^/]+)$/.exec(p);
  if (summary?.[1]) return closureSummary(input, decodeURIComponent(summary[1]));
  if (p === "/consignment") return stockControl(input);
  const detail = /^\/consignment\/([^/]+)$/.exec(p);
  if (detail?.[1]) return consignment(input, decodeURIComponent(detail[1]));
  if (p === "/history") return salesHistory(input);
  const { store, base, search } = input;
  const paging = (total: number) => {
    const { page, pages, from } = pageOf(search, total);
    return { from, size: PAGE_SIZE, nav: pagination(base, p, search, page, pages) };
  };
  if (p === "/inventory_count") return inventoryCounts(store, base, search, paging);
  const count = /^\/inventory_count\/([^/]+)$/.exec(p);
  if (count?.[1]) return inventoryCount(store, base, decodeURIComponent(count[1]));
  if (p === "/inventory/stock-adjustments") return stockAdjustments(store, search, paging);
  return notFound(`Nothing at ${p}.`);
}
