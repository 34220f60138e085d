/**
 * Page detection: the ONLY place that knows the back office's URLs. The real back office lives at
 * `https://<prefix>.retail.lightspeed.app/<path>`; the local replica (sandbox/backoffice) at
 * `http://127.0.0.1:8789/<prefix>/<path>` (or localhost). The replica's port is not checked so tests
 * can serve it on any free port; nothing else answers those paths on a developer's loopback.
 */

export type PageKind =
  | "closures"
  | "closure"
  | "consignments"
  | "consignment"
  | "counts"
  | "count"
  | "adjustments"
  | "history";

export interface BackOfficePage {
  host: "real" | "replica";
  /** The store's domain prefix */
  prefix: string;
  kind: PageKind;
  /** The object id in the path: a closure id (closure summary) or a consignment id */
  id?: string;
  /** The path after the prefix, e.g. "/register/closures" */
  path: string;
  search: URLSearchParams;
  /** Origin (+ "/<prefix>" on the replica): prepend to a back-office path to link to it */
  base: string;
}

const REAL_HOST = /^([a-z0-9][a-z0-9-]{0,62})\.retail\.lightspeed\.app$/i;
const REPLICA_HOSTS = new Set(["127.0.0.1", "localhost"]);
const ID = "([A-Za-z0-9][A-Za-z0-9_-]{0,99})";

const PAGES: { kind: PageKind; path: RegExp }[] = [
  { kind: "closures", path: /^\/register\/closures\/?$/ },
  { kind: "closure", path: new RegExp(`^/register/closure/summary/${ID}/?$`) },
  { kind: "consignments", path: /^\/consignment\/?$/ },
  { kind: "consignment", path: new RegExp(`^/consignment/${ID}/?$`) },
  { kind: "counts", path: /^\/inventory_count\/?$/ },
  { kind: "count", path: new RegExp(`^/inventory_count/${ID}/?$`) },
  { kind: "adjustments", path: /^\/inventory\/stock-adjustments\/?$/ },
  { kind: "history", path: /^\/history\/?$/ },
];

/** Words the back office uses in paths that are not object ids. */
const NOT_IDS = new Set(["new", "create", "edit", "import", "export"]);

export function detectPage(input: string | URL): BackOfficePage | null {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return null;
  }
  let prefix: string;
  let path: string;
  let host: BackOfficePage["host"];
  let base: string;
  const real = url.protocol === "https:" ? REAL_HOST.exec(url.hostname) : null;
  if (real?.[1] && real[1].toLowerCase() !== "secure") {
    host = "real";
    prefix = real[1].toLowerCase();
    path = url.pathname;
    base = url.origin;
  } else if (url.protocol === "http:" && REPLICA_HOSTS.has(url.hostname)) {
    const m = /^\/([a-z0-9][a-z0-9-]{0,62})(\/.*)$/i.exec(url.pathname);
    if (!m?.[1] || !m[2]) return null;
    host = "replica";
    prefix = m[1].toLowerCase();
    path = m[2];
    base = `${url.origin}/${m[1]}`;
  } else {
    return null;
  }
  for (const page of PAGES) {
    const m = page.path.exec(path);
    if (!m) continue;
    const id = m[1];
    if (id && NOT_IDS.has(id.toLowerCase())) return null;
    return { host, prefix, kind: page.kind, ...(id ? { id } : {}), path, search: url.searchParams, base };
  }
  return null;
}

/** True for any page of a back office (real or replica), whatever the path: where content-script messages may come from. */
export function isBackOfficeUrl(input: string | undefined): boolean {
  if (!input) return false;
  try {
    const url = new URL(input);
    if (url.protocol === "https:") return REAL_HOST.test(url.hostname);
    return url.protocol === "http:" && REPLICA_HOSTS.has(url.hostname);
  } catch {
    return false;
  }
}

/** A link the back office itself would write: relative, or http(s) — never javascript:, data: and the like. */
const linkable = (href: string | null): href is string =>
  !!href && (!/^[a-z][a-z0-9+.-]*:/i.test(href.trim()) || /^https?:/i.test(href.trim()));

// built once: these run for every row of a page (500 on a long closures list)
const CLOSURE_HREF = new RegExp(`(?:^|/)register/closure/summary/${ID}(?:[/?#]|$)`);
const CONSIGNMENT_HREF = new RegExp(`/consignment/${ID}(?:[/?#]|$)`);
const COUNT_HREF = new RegExp(`/inventory_count/${ID}(?:[/?#]|$)`);
const SALE_HREF = new RegExp(`^(?:[^#]*/history)?#${ID}$`);

/** The closure id in a back-office link (a closures-list row), e.g. "/register/closure/summary/abc". */
export function closureIdOfHref(href: string | null): string | null {
  const m = linkable(href) ? CLOSURE_HREF.exec(href) : null;
  return m?.[1] ?? null;
}

/** The consignment id in a link to its detail page. */
export function consignmentIdOfHref(href: string | null): string | null {
  const m = linkable(href) ? CONSIGNMENT_HREF.exec(href) : null;
  return m?.[1] && !NOT_IDS.has(m[1].toLowerCase()) ? m[1] : null;
}

/** The stocktake id in a link to an inventory count (a public Vend client links a STOCKTAKE there). */
export function countIdOfHref(href: string | null): string | null {
  const m = linkable(href) ? COUNT_HREF.exec(href) : null;
  return m?.[1] && !NOT_IDS.has(m[1].toLowerCase()) ? m[1] : null;
}

/** The sale id in a sales-history link: the history page opens a sale with `#<sale_id>`. */
export function saleIdOfHref(href: string | null): string | null {
  const m = linkable(href) ? SALE_HREF.exec(href) : null;
  return m?.[1] ?? null;
}
