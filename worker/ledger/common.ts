import {
  isSaleLine,
  isSalePayment,
  RegisterClosure as RegisterClosureSchema,
  Sale as SaleSchema,
  type RegisterClosure,
} from "../../shared/domain/pos";
import type { Blockers } from "./blockers";
import { businessDate } from "./dates";
import type { RefChecker } from "./refs";
import type { Blocker } from "./types";

/** The part of a zod schema the ledger uses (shared/domain's schemas), without importing zod itself. */
interface Schema<T> {
  safeParse(
    input: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[] }[] } };
}

/** Reads a POS object through its schema: bad input becomes pos_payload_invalid naming the fields. */
export function parseInput<T>(
  schema: Schema<T>,
  input: unknown,
  what: string,
): { ok: true; value: T } | { ok: false; blockers: Blocker[] } {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const fields = [...new Set(parsed.error.issues.map((i) => i.path.map(String).join(".") || "(root)"))].slice(0, 8);
  return { ok: false, blockers: [{ code: "pos_payload_invalid", detail: `${what}: invalid ${fields.join(", ")}` }] };
}

/**
 * Reads a closure: the envelope (closure, sales' headers) through its schema, the thousands of lines
 * and payments through the fast structural guards; a sale that fails them is read through the full
 * schema so the blocker still names the field.
 */
export function parseClosure(
  input: RegisterClosure,
  what: string,
): { ok: true; value: RegisterClosure } | { ok: false; blockers: Blocker[] } {
  if (typeof input !== "object" || input === null || !Array.isArray((input as { sales?: unknown }).sales))
    return parseInput(RegisterClosureSchema, input, what);
  const sales = input.sales;
  const shallow = {
    ...input,
    sales: sales.map((s) => (typeof s === "object" && s !== null ? { ...s, lines: [], payments: [] } : s)),
  };
  const envelope = parseInput(RegisterClosureSchema, shallow, what);
  if (!envelope.ok) return envelope;
  const out: RegisterClosure["sales"] = [];
  for (const [i, sale] of sales.entries()) {
    const header = envelope.value.sales[i]!;
    if (
      Array.isArray(sale.lines) &&
      Array.isArray(sale.payments) &&
      sale.lines.every(isSaleLine) &&
      sale.payments.every(isSalePayment)
    ) {
      // the header is the schema's own fresh copy: it takes the checked lines and payments in place
      header.lines = sale.lines;
      header.payments = sale.payments;
      out.push(header);
      continue;
    }
    const full = parseInput(SaleSchema, sale, `${what}: sale ${header.invoiceNumber ?? header.id}`);
    if (!full.ok) return full;
    out.push(full.value);
  }
  return { ok: true, value: { ...envelope.value, sales: out } };
}

/** The business date of an instant, or a blocker naming what could not be dated. */
export function dateOf(instant: string, timeZone: string, what: string, blockers: Blockers): string {
  try {
    return businessDate(instant, timeZone);
  } catch (e) {
    blockers.add("pos_payload_invalid", `${what}: ${e instanceof Error ? e.message : String(e)}`);
    return "";
  }
}

/**
 * Header refs every document of an outlet carries: DepartmentRef (location) when tracked, and
 * CurrencyRef when the company is multi-currency. A currency other than the home currency would
 * need an exchange rate the POS does not give, so it blocks.
 */
export function outletHeader(
  refs: RefChecker,
  blockers: Blockers,
  outlet: { id: string; name: string; currency?: string | undefined } | undefined,
): { header: Record<string, unknown>; classId?: string } {
  const header: Record<string, unknown> = {};
  const { homeCurrency, multiCurrency } = refs.ctx.refs;
  const currency = outlet?.currency ?? homeCurrency;
  if (currency !== homeCurrency) {
    blockers.add(
      "unsupported_event",
      `outlet '${outlet?.name}' sells in ${currency} but the QuickBooks company's home currency is ${homeCurrency}`,
    );
  }
  if (multiCurrency) header.CurrencyRef = { value: homeCurrency };
  if (!outlet) return { header };
  const { classId, departmentId } = refs.outletRefs(outlet.id, outlet.name);
  if (departmentId) header.DepartmentRef = { value: departmentId };
  return classId ? { header, classId } : { header };
}
