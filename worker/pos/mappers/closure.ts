import type { ClosurePayment, PosOutlet, RegisterClosure, Sale } from "../../../shared/domain/pos";
import type { Minor } from "../../../shared/money";
import { payloadError } from "../read";

/** A closure as Tillbridge recorded it (webhook or register polling), amounts in cents. */
export interface ClosureRecord {
  id: string;
  registerId: string;
  outletId: string | null;
  sequenceNumber: number | null;
  openedAt: string | null;
  closedAt: string | null;
  /** As announced; expected null = not announced (computed from the sequence's payments) */
  payments: ClosureRecordPayment[] | null;
  countedSource: "webhook" | "backoffice" | "assumed" | null;
  discoveredVia: "webhook" | "poll" | "backfill";
}

export interface ClosureRecordPayment {
  paymentTypeId: string;
  name: string;
  expectedMinor: Minor | null;
  countedMinor: Minor | null;
}

export interface ClosureRegister {
  id: string;
  name: string;
}

/**
 * Does a sale belong to the closure: completed in its sequence, or a payment taken in it? A voided
 * sale does not: the POS leaves its payments out of the sequence's expected totals.
 */
export function touchesClosure(
  sale: Sale,
  closure: Pick<ClosureRecord, "id" | "registerId" | "openedAt" | "closedAt">,
): boolean {
  if (sale.state === "voided") return false;
  if (sale.completedSequenceId === closure.id) return true;
  return sale.payments.some((p) => paymentIn(p, sale, closure));
}

/**
 * A payment is in the closure when it carries the closure's sequence id. A payload without sequence
 * ids (older API shapes) falls back to the register and the open→close window.
 */
function paymentIn(
  p: Sale["payments"][number],
  sale: Sale,
  c: Pick<ClosureRecord, "id" | "registerId" | "openedAt" | "closedAt">,
): boolean {
  if (p.sequenceId !== null) return p.sequenceId === c.id;
  if (sale.completedSequenceId !== null || !c.openedAt || !c.closedAt) return false;
  const register = p.registerId ?? sale.registerId;
  return register === c.registerId && p.paidAt >= c.openedAt && p.paidAt <= c.closedAt;
}

/**
 * The API sometimes leaves a sale's completing sequence out (`_metadata.complete_open_sequence_id`).
 * A closed regular sale was completed in this sequence when that is unambiguous: it is this register's
 * and dated inside the sequence's open→close window, or every payment of it that moved money was
 * taken in this sequence. Otherwise it stays unknown.
 */
export function withInferredCompletion(
  sale: Sale,
  c: Pick<ClosureRecord, "id" | "registerId" | "openedAt" | "closedAt">,
): Sale {
  if (sale.completedSequenceId !== null || sale.state !== "closed" || sale.kind !== "regular") return sale;
  const inWindow =
    sale.registerId === c.registerId &&
    c.openedAt !== null &&
    c.closedAt !== null &&
    Date.parse(sale.saleDate) >= Date.parse(c.openedAt) &&
    Date.parse(sale.saleDate) <= Date.parse(c.closedAt);
  const paid = sale.payments.filter((p) => p.amountMinor !== 0);
  const paidHere = paid.length > 0 && paid.every((p) => p.sequenceId === c.id);
  return inWindow || paidHere ? { ...sale, completedSequenceId: c.id } : sale;
}

/**
 * What sales voided after the closure closed had taken in it, per payment type. The POS's closure
 * record is not altered by later voids (pos-api-notes §8; the help centre: a closure "is not altered
 * by later returns or voids"), so its expected and counted totals still hold that money, which the
 * void gave back. Taken out of both, the closure posts as if the sale had never been made and its
 * till discrepancy stays what was counted at close (SPEC §4.4).
 */
function voidedAfterClose(
  sales: readonly Sale[],
  record: Pick<ClosureRecord, "id" | "registerId" | "openedAt" | "closedAt">,
): Map<string, Minor> {
  const back = new Map<string, Minor>();
  const closedAt = record.closedAt ? Date.parse(record.closedAt) : Number.NaN;
  for (const sale of sales) {
    if (sale.state !== "voided" || !sale.voidedAt || !(Date.parse(sale.voidedAt) > closedAt)) continue;
    for (const p of sale.payments)
      if (paymentIn(p, sale, record)) back.set(p.paymentTypeId, (back.get(p.paymentTypeId) ?? 0) + p.amountMinor);
  }
  return back;
}

/**
 * The domain RegisterClosure: payments from the record (expected as announced, counted or null);
 * a payment type the record does not list, or a record without expected figures, takes its
 * expected total from the payments taken in the sequence; a sale voided after close is taken out of
 * the record's figures. Sales are those completed in the
 * sequence or with a payment in it, voided sales excepted.
 */
export function toClosure(
  record: ClosureRecord,
  sales: readonly Sale[],
  register: ClosureRegister,
  outlet: PosOutlet,
): RegisterClosure {
  const fail = (field: string, what: string) => payloadError("closure", record.id, field, what);
  if (register.id !== record.registerId)
    throw fail("register_id", `register ${register.id} is not the closure's register ${record.registerId}`);
  if (record.outletId !== null && outlet.id !== record.outletId)
    throw fail("outlet_id", `outlet ${outlet.id} is not the closure's outlet ${record.outletId}`);
  if (!record.openedAt) throw fail("register_open_time", "unknown");
  if (!record.closedAt) throw fail("register_close_time", "unknown");

  const inClosure = sales.filter((s) => touchesClosure(s, record)).map((s) => withInferredCompletion(s, record));
  const taken = new Map<string, { name: string; total: Minor }>();
  for (const sale of inClosure) {
    for (const p of sale.payments) {
      if (!paymentIn(p, sale, record)) continue;
      const t = taken.get(p.paymentTypeId) ?? { name: p.paymentTypeName, total: 0 };
      t.total += p.amountMinor;
      taken.set(p.paymentTypeId, t);
    }
  }

  // figures a backfill assumed (counted = expected) were read from this very mapping, late voids already out
  const late = record.countedSource === "assumed" ? new Map<string, Minor>() : voidedAfterClose(sales, record);
  const payments: ClosurePayment[] = (record.payments ?? []).map((p) => {
    // the record keeps its figures at close; the void gave that money back (card reversal, cash out)
    const back = p.expectedMinor === null ? 0 : (late.get(p.paymentTypeId) ?? 0);
    return {
      paymentTypeId: p.paymentTypeId,
      name: p.name,
      expectedMinor: p.expectedMinor === null ? (taken.get(p.paymentTypeId)?.total ?? 0) : p.expectedMinor - back,
      countedMinor: p.countedMinor === null ? null : p.countedMinor - back,
    };
  });
  for (const [paymentTypeId, t] of taken) {
    if (payments.some((p) => p.paymentTypeId === paymentTypeId)) continue;
    payments.push({ paymentTypeId, name: t.name, expectedMinor: t.total, countedMinor: null });
  }

  return {
    id: record.id,
    registerId: record.registerId,
    registerName: register.name,
    outletId: outlet.id,
    outletName: outlet.name,
    timeZone: outlet.timeZone,
    // Unknown only for a closure found by polling whose webhook never came and whose number the
    // back office did not give either: 0 marks it.
    sequenceNumber: record.sequenceNumber ?? 0,
    openedAt: record.openedAt,
    closedAt: record.closedAt,
    payments,
    sales: [...inClosure],
  };
}
