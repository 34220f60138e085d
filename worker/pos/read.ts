import { z } from "zod";
import { type Dec, MoneyError, parseDec } from "../../shared/money";
import { TillbridgeError } from "../../shared/errors";

/**
 * Reading POS payloads: field types that accept what real stores and faithful simulators send
 * (money and quantities as JSON numbers or decimal strings, ids as strings or integers), and the
 * one way a payload that cannot be read fails — `pos_payload_invalid` naming the object, its id and
 * the field, for that object only. Pure: no Workers APIs, so unit tests run it under plain Node.
 */

/**
 * Amounts of 10^12 units (e.g. dollars) or more are not money a retailer moves: a corrupt value.
 * |m / 10^s| ≥ 10^12 is |m| ≥ 10^(12 + s); the limits per scale are computed once, as every amount
 * of every line is checked.
 */
const TOO_LARGE = Array.from({ length: 13 }, (_, s) => 10n ** BigInt(12 + s));
const tooLarge = (d: Dec) => (d.m < 0n ? -d.m : d.m) >= (TOO_LARGE[d.s] ?? 10n ** BigInt(12 + d.s));

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return v.length > 40 ? `"${v.slice(0, 40)}…"` : `"${v}"`;
  return typeof v === "object" ? "an object" : `${typeof v} ${String(v)}`;
}

/** An exact decimal from a JSON number or a decimal string ("25.30", 25.3, "-0.5", "1e-7"). */
export const PosDecimal = z.unknown().transform((v, ctx): Dec => {
  if (typeof v !== "number" && typeof v !== "string") {
    ctx.addIssue({
      code: "custom",
      message: v === undefined ? "missing" : `expected a number or a decimal string, got ${describe(v)}`,
    });
    return z.NEVER;
  }
  try {
    const d = parseDec(v);
    if (tooLarge(d)) {
      ctx.addIssue({ code: "custom", message: `${describe(v)} is out of range` });
      return z.NEVER;
    }
    return d;
  } catch (e) {
    ctx.addIssue({ code: "custom", message: e instanceof MoneyError ? e.message : `cannot read ${describe(v)}` });
    return z.NEVER;
  }
});

/** Ids: the POS sends UUID strings; some legacy fields are integers. Always a non-empty string out. */
export const PosId = z
  .union([z.string().trim().min(1, "empty id").max(200, "id longer than 200 characters"), z.number().int()], {
    error: (iss) => `expected an id, got ${describe(iss.input)}`,
  })
  .transform(String);

/** Names people typed: any Unicode, kept as written (NFC), but not megabytes of it. */
export const PosName = z
  .string({ error: (iss) => `expected text, got ${describe(iss.input)}` })
  .max(2000, "longer than 2000 characters")
  .transform((s) => s.normalize("NFC"));

/** An ISO-8601 instant ("2026-11-03T22:15:00Z", "2015-03-16T22:21:50+00:00", "2026-11-03 22:15:00"). */
export const PosInstant = z
  .string({ error: (iss) => `expected a date-time, got ${describe(iss.input)}` })
  .transform((s, ctx) => {
    const iso = toIsoInstant(s);
    if (iso === null) {
      ctx.addIssue({ code: "custom", message: `not a date-time: ${describe(s)}` });
      return z.NEVER;
    }
    return iso;
  });

/**
 * UTC text ("2026-11-03T22:15:00Z") of the POS's date-time spellings; a time without a zone is UTC,
 * as the API documents its timestamps. Null when it is not a date-time.
 */
export function toIsoInstant(s: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(s)) return null;
  const t = s.replace(" ", "T");
  const ms = Date.parse(/([zZ]|[+-]\d\d:?\d\d)$/.test(t) ? t : `${t}Z`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().replace(".000Z", "Z");
}

/**
 * Whether a POS time is at or after Tillbridge's connection. The POS says its times to the second
 * while the connection's time has milliseconds: a closure closed in the very second Tillbridge was
 * connected is after it, not history.
 */
export function atOrAfterConnection(posTime: string | null | undefined, connectedAt: string): boolean {
  const at = Date.parse(posTime ?? "");
  const connected = Date.parse(connectedAt);
  return !Number.isNaN(at) && at >= Math.floor(connected / 1000) * 1000;
}

/** How a mapper refuses the object it is reading: the field and what is wrong with it. */
export type Fail = (field: string, what: string) => Error;

/** The failure of one POS object: "<object> <id>: <field>: <what>". */
export function payloadError(object: string, id: string | undefined, field: string, what: string): TillbridgeError {
  return new TillbridgeError("pos_payload_invalid", `${object} ${id ?? "(no id)"}: ${field}: ${what}`, {
    fields: { [field]: what },
  });
}

/** "line_items[2].pricing.price" from a zod issue path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || "(object)";
}

function idOf(raw: unknown): string | undefined {
  if (raw && typeof raw === "object") {
    const r = raw as Record<string, unknown>;
    for (const k of ["id", "register_closure_id", "number"]) {
      const v = r[k];
      if (typeof v === "string" || typeof v === "number") return String(v);
    }
  }
  return undefined;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let at = raw;
  for (const p of path) {
    if (at === null || typeof at !== "object") return undefined;
    at = (at as Record<PropertyKey, unknown>)[p];
  }
  return at;
}

/** Parses one POS object with its schema; a failure names the object, its id and the first bad field. */
export function readObject<S extends z.ZodType>(schema: S, raw: unknown, object: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  // A type error on an absent field says "missing"; a check of our own (a custom issue) says what it found.
  const what = issue.code !== "custom" && valueAt(raw, issue.path) === undefined ? "missing" : issue.message;
  throw payloadError(object, idOf(raw), fieldPath(issue.path), what);
}
