import type { AttentionItem, AttentionResponse } from "../../shared/api";
import type { Lang } from "../../shared/i18n/translate";
import { digestWords, kindKey } from "./words";

/** The most objects one email lists; the rest are counted ("…and 12 more") and wait in the list. */
export const MAX_LISTED = 50;

export interface DigestEmail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/** A day as the merchant reads it, in the store's time zone ("Nov 2, 2026", "2 nov. 2026"). */
function dayOf(iso: string, lang: Lang, timeZone: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(lang === "fr" ? "fr-CA" : "en-CA", { dateStyle: "medium", timeZone }).format(at);
  } catch {
    return iso.slice(0, 10);
  }
}

/**
 * The digest of what needs attention, pure: a subject, a plain-text body and the same in HTML, in
 * the merchant's language. Each object by its POS name (or its kind and id), its state, the reason
 * and what to do; then the link to the options page's list.
 */
export function composeDigest(
  list: AttentionResponse,
  opts: { lang: Lang; storeName: string; link: string },
): DigestEmail {
  const t = digestWords(opts.lang);
  const n = list.total;
  const subject = n === 1 ? t("subject.one") : t("subject.many", { n });
  const intro = n === 1 ? t("intro.one", { store: opts.storeName }) : t("intro.many", { n, store: opts.storeName });
  const counts = t("counts", list.counts);
  const listed = list.items.slice(0, MAX_LISTED);
  const more = n - listed.length;
  const nameOf = (i: AttentionItem) => i.posName ?? `${t(kindKey(i.kind))} ${i.posId}`;
  const stateOf = (i: AttentionItem) => t(`state.${i.state}`);
  const since = (i: AttentionItem) => t("since", { when: dayOf(i.since, opts.lang, list.timeZone) });

  const text = [
    intro,
    counts,
    "",
    ...listed.flatMap((i, k) => [
      `${k + 1}. ${nameOf(i)} — ${stateOf(i)} (${since(i)})`,
      `   ${i.reason.message}`,
      `   ${t("todo")} ${i.reason.action}`,
      "",
    ]),
    ...(more > 0 ? [t("more", { n: more }), ""] : []),
    t("openAt", { link: opts.link }),
    t("openHint"),
    "",
    "--",
    t("footer"),
    "",
  ].join("\n");

  const e = escapeHtml;
  const html = [
    `<!doctype html><html lang="${opts.lang}"><head><meta charset="utf-8"><title>${e(subject)}</title></head>`,
    `<body style="font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2328;line-height:1.45">`,
    `<p>${e(intro)}<br>${e(counts)}</p>`,
    "<ol>",
    ...listed.map(
      (i) =>
        `<li style="margin-bottom:12px"><strong>${e(nameOf(i))}</strong> — ${e(stateOf(i))} <span style="color:#57606a">(${e(since(i))})</span><br>` +
        `${e(i.reason.message)}<br><em>${e(t("todo"))}</em> ${e(i.reason.action)}</li>`,
    ),
    "</ol>",
    more > 0 ? `<p>${e(t("more", { n: more }))}</p>` : "",
    `<p><a href="${e(opts.link)}">${e(t("open"))}</a><br><small>${e(t("openHint"))}<br>${e(opts.link)}</small></p>`,
    `<hr><p style="color:#57606a;font-size:small">${e(t("footer"))}</p>`,
    "</body></html>",
  ].join("\n");
  return { subject, text, html };
}
