/**
 * How the back office writes money and dates. Money arrives as integer cents or exact decimal
 * strings and is formatted by string operations only (never through floats).
 */

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

/** Tagged template that escapes every interpolated value unless it is `raw(...)`. */
export interface Raw {
  readonly raw: string;
}
export const raw = (html: string): Raw => ({ raw: html });
export function html(strings: TemplateStringsArray, ...values: unknown[]): Raw {
  let out = strings[0] ?? "";
  values.forEach((v, i) => {
    const piece = Array.isArray(v)
      ? v.map((x) => (isRaw(x) ? x.raw : escapeHtml(String(x)))).join("")
      : isRaw(v)
        ? v.raw
        : v === null || v === undefined || v === false
          ? ""
          : escapeHtml(String(v));
    out += piece + (strings[i + 1] ?? "");
  });
  return raw(out);
}
function isRaw(v: unknown): v is Raw {
  return typeof v === "object" && v !== null && "raw" in v && typeof (v as Raw).raw === "string";
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** "-1234.5" → "-$1,234.50" */
export function money(decimal: string, symbol = "$"): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal.trim());
  if (!m) return decimal;
  const [, sign, whole = "0", frac = ""] = m;
  const cents = `${frac}00`.slice(0, 2);
  const isZero = /^0+$/.test(whole) && /^0*$/.test(cents);
  return `${sign && !isZero ? "-" : ""}${symbol}${groupThousands(whole.replace(/^0+(?=\d)/, ""))}.${cents}`;
}

/** Integer cents → "12.34" (exact). */
export function centsToDecimal(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const digits = String(Math.abs(cents)).padStart(3, "0");
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** Exact difference of two 2-decimal strings, as a decimal string. */
export function subtractDecimals(a: string, b: string): string {
  const toCents = (s: string) => {
    const m = /^(-?)(\d+)(?:\.(\d{1,2}))?/.exec(s.trim());
    if (!m) return 0;
    const cents = Number(m[2]) * 100 + Number(`${m[3] ?? ""}00`.slice(0, 2));
    return m[1] ? -cents : cents;
  };
  return centsToDecimal(toCents(a) - toCents(b));
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** "Nov 3, 2026, 9:05 PM" in the outlet's zone, as the back office writes it. */
export function dateTime(iso: string | null, timeZone: string): string {
  if (!iso) return "";
  let f = dateFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      month: "short",
      day: "numeric",
      year: "numeric",
      hour: "numeric",
      minute: "2-digit",
    });
    dateFormats.set(timeZone, f);
  }
  return f.format(new Date(iso));
}
