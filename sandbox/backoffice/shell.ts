import { html, raw } from "./format";
import type { View } from "./views";

/**
 * The back office's HTML shell: header navigation and an empty `#app` that the client (client.ts)
 * fills after fetching the view, as the real single-page app does. `renderDocument` can also put a
 * view in directly: that is what the page looks like once rendered (the saved fixtures).
 */

const STYLE = `
:root { --vd-colour--framing: #2a2a2a; --vd-colour--keyline: #e0e0e0; --vd-colour--supplementary-rgb: 111, 66, 193; }
* { box-sizing: border-box; }
body.vd-app { margin: 0; font: 14px/1.45 -apple-system, "Segoe UI", Roboto, sans-serif; color: #2a2a2a; background: #f6f6f6; }
.vd-header { background: var(--vd-colour--framing); color: #fff; display: flex; align-items: center; gap: 24px; padding: 0 20px; height: 52px; }
.vd-header a { color: #fff; text-decoration: none; }
.vd-nav { display: flex; gap: 18px; }
.vd-nav a[aria-current="page"] { border-bottom: 2px solid #fff; }
.vd-main { max-width: 1180px; margin: 24px auto; padding: 0 20px; }
.vd-section { background: #fff; border: 1px solid var(--vd-colour--keyline); border-radius: 6px; padding: 20px 24px; }
.vd-page-header { display: flex; align-items: center; justify-content: space-between; margin-bottom: 16px; }
.vd-page-title { font-size: 24px; margin: 0; }
.vd-section-title { font-size: 17px; margin: 20px 0 8px; }
.vd-btn { display: inline-block; padding: 7px 14px; border-radius: 4px; border: 1px solid #3f7d3f; background: #4c9a4c; color: #fff; text-decoration: none; cursor: pointer; font: inherit; }
.vd-btn--supplementary { background: #fff; color: rgb(var(--vd-colour--supplementary-rgb)); border-color: rgba(var(--vd-colour--supplementary-rgb), .5); }
.vd-table { width: 100%; border-collapse: collapse; margin: 8px 0; }
.vd-table th, .vd-table td { text-align: left; padding: 9px 10px; border-bottom: 1px solid var(--vd-colour--keyline); vertical-align: middle; }
.vd-table th { font-size: 12px; text-transform: uppercase; color: #6b6b6b; }
.vd-align-right { text-align: right !important; }
.vd-details { display: grid; grid-template-columns: 160px 1fr; gap: 6px 16px; margin: 0 0 12px; }
.vd-details dt { color: #6b6b6b; }
.vd-details dd { margin: 0; }
.vd-filters { margin: 0 0 12px; }
.vd-select { margin-left: 8px; padding: 5px; }
.vd-status-label { display: inline-block; padding: 2px 8px; border-radius: 10px; background: #eef; font-size: 12px; }
.vd-text--secondary { color: #6b6b6b; }
.vd-pagination { display: flex; gap: 12px; align-items: center; margin-top: 12px; }
.vd-empty-state { color: #6b6b6b; padding: 24px 0; }
.vd-loader { color: #6b6b6b; padding: 40px; text-align: center; }
.vd-sale-detail { margin-top: 16px; border-top: 2px solid var(--vd-colour--keyline); }
`;

export interface ShellOptions {
  /** "/<prefix>" */
  base: string;
  storeName: string;
  /** The view already in place (a rendered snapshot); omitted, the client fetches it */
  view?: View;
  /** Leave the script out (saved fixtures are inert) */
  script?: boolean;
}

export function renderDocument({ base, storeName, view, script = true }: ShellOptions): string {
  const nav = [
    ["/register/closures", "Register closures"],
    ["/consignment", "Stock control"],
    ["/history", "Sales history"],
  ].map(([path, label]) => html`<a class="vd-nav-item" href="${base}${path}">${label}</a>`);
  const doc = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${view ? `${view.title} | ` : ""}${storeName} | Retail POS</title>
<style>${raw(STYLE)}</style>
</head>
<body class="vd-app">
<header class="vd-header"><a class="vd-logo" href="${base}/register/closures">${storeName}</a><nav class="vd-nav" aria-label="Main">${nav}</nav></header>
<main id="app" class="vd-main" data-base="${base}"${raw(view ? "" : ' aria-busy="true"')}>${view ? raw(view.html) : html`<div class="vd-loader">Loading…</div>`}</main>
${script ? html`<script src="${base}/_backoffice/app.js" defer></script>` : ""}
</body>
</html>
`;
  return doc.raw;
}
