import { PosSandboxError } from "./store";

/**
 * Time helpers that work in workerd and Node alike (Intl only, no Node APIs). Trading is generated in
 * each outlet's local time and stored as UTC instants, the way the POS stores them.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(timeZone: string, at: Date): Record<string, number> {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(at)) if (p.type !== "literal") out[p.type] = Number(p.value);
  return out;
}

/** The zone's offset from UTC at an instant, in minutes (e.g. -240 for EDT). */
export function offsetMinutes(timeZone: string, at: Date): number {
  const p = partsIn(timeZone, at);
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60000);
}

/**
 * The UTC instant of a local wall-clock time. `minutes` counts from local midnight of `date` and may
 * exceed 24 h (00:35 the next morning is 24 * 60 + 35), which is how an after-midnight close is said.
 */
export function localToUtc(date: string, minutes: number, timeZone: string): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, 0, minutes, 0);
  let guess = wall - offsetMinutes(timeZone, new Date(wall)) * 60000;
  guess = wall - offsetMinutes(timeZone, new Date(guess)) * 60000;
  return new Date(guess);
}

/** The local calendar date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(at: Date | string, timeZone: string): string {
  const p = partsIn(timeZone, typeof at === "string" ? new Date(at) : at);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** "2026-10-01T13:05:00+00:00": the classic X-Series timestamp (registers, sales, consignments). */
export function isoClassic(at: Date | string): string {
  const d = typeof at === "string" ? new Date(at) : at;
  return d.toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

/** "2026-10-01T13:05:00Z": the newer resources' timestamp (purchase orders, gift cards, store credit). */
export function isoZ(at: Date | string): string {
  const d = typeof at === "string" ? new Date(at) : at;
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Parses an ISO instant; a 400 on nonsense so a call with a bad date fails loudly. */
export function parseInstant(text: string): Date {
  const d = /^\d{4}-\d{2}-\d{2}T/.test(text) ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(d.getTime())) throw new PosSandboxError(400, `not an ISO date-time: "${text}"`);
  return d;
}
