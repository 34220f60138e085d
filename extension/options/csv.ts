/**
 * CSV for the reports' exports (RFC 4180, CRLF): every cell quoted, and never read as a formula by a
 * spreadsheet (= + - @ first, even after blanks, gets a leading quote — except plain numbers).
 */
export function csvCell(v: string | number | null): string {
  if (v === null) return "";
  const s = String(v);
  const number = /^-?\d+(\.\d+)?$/.test(s);
  const safe = !number && /^[\s]*[=+\-@]|^[\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function toCsv(rows: readonly (readonly (string | number | null)[])[]): string {
  return `${rows.map((r) => r.map(csvCell).join(",")).join("\r\n")}\r\n`;
}

/** Integer cents → "1234.56" for a spreadsheet (no thousands separator). */
export function csvMoney(cents: number | null): string | null {
  if (cents === null) return null;
  const sign = cents < 0 ? "-" : "";
  const digits = String(Math.abs(cents)).padStart(3, "0");
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** Offers `text` as a file download. */
export function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
