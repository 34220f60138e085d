const INSTANT_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // throws RangeError for a zone the runtime does not know
    f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * The calendar date (YYYY-MM-DD) of an instant in an IANA time zone. The instant must carry its
 * offset: a bare local time would be read in the machine's zone, which is not pure.
 */
export function businessDate(instant: string, timeZone: string): string {
  if (!INSTANT_WITH_OFFSET.test(instant)) throw new RangeError(`not an instant with an offset: "${instant}"`);
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: "${instant}"`);
  const parts = formatterFor(timeZone).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

const timeFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The wall-clock time of an instant in a zone, "YYYY-MM-DD HH:MM", as the back office shows a
 * closure's open and close times. Null when the instant has no offset or the zone is unknown.
 */
export function localDateTime(instant: string, timeZone: string): string | null {
  if (!INSTANT_WITH_OFFSET.test(instant)) return null;
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return null;
  let f = timeFormatters.get(timeZone);
  try {
    f ??= new Intl.DateTimeFormat("en-CA", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    });
  } catch {
    return null;
  }
  timeFormatters.set(timeZone, f);
  const parts = f.formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}`;
}
