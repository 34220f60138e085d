/**
 * The replica's single-page-app client, served as one small script (no build step). It routes with
 * history.pushState, fetches each view as JSON from the sandbox, and replaces the rows in place, so
 * the extension meets what it meets on the real back office: content that arrives after load and
 * changes without a page reload.
 */
export const CLIENT_JS = String.raw`(() => {
  "use strict";
  const app = document.getElementById("app");
  if (!app) return;
  const base = app.dataset.base || "";
  let seq = 0;

  function inApp(url) {
    return url.origin === location.origin && url.pathname.startsWith(base + "/") && !url.pathname.startsWith(base + "/_backoffice/") && !url.pathname.endsWith(".csv") && !url.pathname.includes("/api/");
  }

  async function render(href, push) {
    const url = new URL(href, location.href);
    const mine = ++seq;
    if (push) history.pushState({}, "", url.pathname + url.search + url.hash);
    app.setAttribute("aria-busy", "true");
    const q = new URLSearchParams({ path: url.pathname.slice(base.length) || "/", search: url.search.replace(/^\?/, "") });
    let view;
    try {
      const res = await fetch(base + "/_backoffice/view?" + q.toString(), { headers: { accept: "application/json" } });
      view = await res.json();
    } catch (e) {
      view = { title: "Error", html: '<section class="vd-section"><h1 class="vd-page-title">Could not load this page</h1></section>' };
    }
    if (mine !== seq) return; // a later navigation won
    document.title = view.title + " | Retail POS";
    app.innerHTML = view.html;
    app.removeAttribute("aria-busy");
    for (const a of document.querySelectorAll(".vd-nav a")) {
      if (url.pathname.startsWith(new URL(a.href).pathname)) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
    openSaleFromHash();
  }

  async function openSaleFromHash() {
    const panel = app.querySelector("[data-sale-detail]");
    if (!panel) return;
    const id = decodeURIComponent(location.hash.slice(1));
    if (!id) { panel.hidden = true; panel.innerHTML = ""; return; }
    const res = await fetch(base + "/_backoffice/sale/" + encodeURIComponent(id), { headers: { accept: "application/json" } });
    const view = await res.json();
    panel.innerHTML = view.html;
    panel.hidden = false;
  }

  document.addEventListener("click", (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const target = e.target instanceof Element ? e.target : null;
    const receive = target && target.closest("[data-action=receive]");
    if (receive) {
      receive.textContent = "Receiving happens through the POS sandbox API";
      receive.disabled = true;
      return;
    }
    const a = target && target.closest("a[href]");
    if (!a || a.target) return;
    const url = new URL(a.getAttribute("href"), location.href);
    if (!inApp(url)) return;
    if (url.pathname === location.pathname && url.search === location.search && url.hash) return; // opens a sale: hashchange
    e.preventDefault();
    render(url.href, true);
  });

  document.addEventListener("change", (e) => {
    const field = e.target;
    const form = field && field.closest && field.closest("form[data-filter-form]");
    if (!form) return;
    const url = new URL(location.href);
    url.hash = "";
    if (field.value) url.searchParams.set(field.name, field.value); else url.searchParams.delete(field.name);
    url.searchParams.delete("page");
    render(url.href, true);
  });
  document.addEventListener("submit", (e) => { if (e.target.closest("form[data-filter-form]")) e.preventDefault(); });

  addEventListener("popstate", () => render(location.href, false));
  addEventListener("hashchange", openSaleFromHash);
  render(location.href, false);
})();
`;
