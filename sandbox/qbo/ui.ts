/**
 * The few HTML pages of the sandbox: Intuit's consent page, OAuth error pages, and a read-only
 * "QuickBooks" view of a document so a "View on QuickBooks Online" link can be followed end to end.
 */
import type { Doc } from "./state";

const esc = (s: unknown) =>
  String(s ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:56rem;color:#393a3d}h1{color:#2ca01c}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left}
td.n,th.n{text-align:right}.muted{color:#6b6c72}button{padding:.5rem 1.2rem;margin-right:.5rem}</style></head>
<body><p class="muted">Intuit QuickBooks — local sandbox</p>${body}</body></html>`;
}

export function errorPage(error: string, description: string): string {
  return page(
    "Error",
    `<h1>Something went wrong</h1><p id="error" data-error="${esc(error)}">${esc(error)}: ${esc(description)}</p>`,
  );
}

export function consentPage(p: {
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string;
  companies: { realmId: string; name: string }[];
}): string {
  const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${esc(value)}">`;
  const companies = p.companies
    .map(
      (co, i) =>
        `<label><input type="radio" name="realmId" value="${esc(co.realmId)}"${i === 0 ? " checked" : ""}> ${esc(co.name)} <span class="muted">(${esc(co.realmId)})</span></label><br>`,
    )
    .join("");
  return page(
    "Connect to QuickBooks",
    `<h1>Connect your QuickBooks company</h1><p>The app <b>${esc(p.clientId)}</b> wants to access your QuickBooks Online accounting data.</p>
<form method="post" action="/connect/oauth2/consent">${hidden("client_id", p.clientId)}${hidden("redirect_uri", p.redirectUri)}${hidden("scope", p.scope)}${hidden("state", p.state)}
<fieldset><legend>Choose a company</legend>${companies}</fieldset><p>
<button type="submit" name="decision" value="authorize" id="authorize">Authorize</button>
<button type="submit" name="decision" value="cancel" id="cancel">Cancel</button></p></form>`,
  );
}

const money = (v: unknown) => (v === undefined || v === null ? "" : esc(v));

/** The read-only document view behind /app/<entity>?txnId=&realm=. */
export function documentPage(
  entity: string,
  doc: Doc,
  companyName: string,
  accountName: (id: string) => string,
): string {
  const rows = ((doc.Line ?? []) as Doc[])
    .filter((l) => l.DetailType !== "SubTotalLineDetail")
    .map((l) => {
      const d = (l[l.DetailType as string] ?? {}) as Doc;
      const what =
        d.ItemRef?.name ?? d.ItemRef?.value ?? (d.AccountRef ? accountName(String(d.AccountRef.value)) : "") ?? "";
      const side = d.PostingType ? ` (${esc(d.PostingType)})` : "";
      return `<tr><td>${esc(l.LineNum)}</td><td>${esc(what)}${side}</td><td>${esc(l.Description)}</td><td class="n">${money(d.Qty)}</td><td class="n">${money(d.UnitPrice)}</td><td class="n">${money(l.Amount)}</td><td>${esc(d.TaxCodeRef?.value)}</td></tr>`;
    })
    .join("");
  const taxes = ((doc.TxnTaxDetail?.TaxLine ?? []) as Doc[])
    .map(
      (t) =>
        `<tr><td colspan="5">Tax rate ${esc(t.TaxLineDetail?.TaxRateRef?.value)} (${esc(t.TaxLineDetail?.TaxPercent)}%) on ${money(t.TaxLineDetail?.NetAmountTaxable)}</td><td class="n">${money(t.Amount)}</td><td></td></tr>`,
    )
    .join("");
  return page(
    `${entity} ${doc.DocNumber ?? doc.Id}`,
    `<h1 id="doc-title">${esc(entity)} no. <span id="doc-number">${esc(doc.DocNumber ?? "")}</span></h1>
<p>${esc(companyName)} · Id <span id="doc-id">${esc(doc.Id)}</span> · Date <span id="doc-date">${esc(doc.TxnDate)}</span>${doc.TxnStatus === "Voided" ? ' · <b id="doc-voided">VOIDED</b>' : ""}</p>
<p class="muted">${esc(doc.PrivateNote)}</p>
<table><thead><tr><th>#</th><th>Product/service or account</th><th>Description</th><th class="n">Qty</th><th class="n">Rate</th><th class="n">Amount</th><th>Tax</th></tr></thead>
<tbody>${rows}${taxes}</tbody></table>
<p>Total tax: <span id="doc-tax">${money(doc.TxnTaxDetail?.TotalTax ?? 0)}</span> · Total: <b id="doc-total">${money(doc.TotalAmt)}</b>${doc.Balance !== undefined ? ` · Balance: <span id="doc-balance">${money(doc.Balance)}</span>` : ""}</p>`,
  );
}

export function notFoundPage(what: string): string {
  return page("Not found", `<h1>We can't find that</h1><p id="not-found">${esc(what)}</p>`);
}
