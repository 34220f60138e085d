import { formatMinor, parseDec, toMinorExact } from "../../../shared/money";
import { must, newId, nextVersion, PosSandboxError, type Ctx } from "../store";
import { isoClassic } from "../time";
import type { Cents, ClosureRecord, SequenceRec, StoreState } from "../types";

/**
 * Opening and closing registers. A closure is one register's open→close sequence; its id is the
 * register's open-sequence id while open. Expected per payment type = the payments taken in the
 * sequence (their `register_open_sequence_id`), on every sale that is not voided — on-account and
 * layby payments included, as the POS's payments summary does.
 */

export function openRegister(ctx: Ctx, registerId: string, at?: Date): SequenceRec {
  const { store } = ctx;
  const register = must(store.registers[registerId], `register ${registerId}`);
  if (register.isOpen) throw new PosSandboxError(409, `register ${register.name} is already open`);
  const openedAt = isoClassic(at ?? ctx.now());
  const seq: SequenceRec = {
    id: newId(store),
    registerId,
    outletId: register.outletId,
    sequenceNumber: register.sequenceCount + 1,
    openedAt,
    closedAt: null,
    counted: null,
  };
  store.sequences[seq.id] = seq;
  register.sequenceCount = seq.sequenceNumber;
  register.isOpen = true;
  register.openTime = openedAt;
  register.closeTime = null;
  register.openSequenceId = seq.id;
  register.version = nextVersion(store);
  return seq;
}

/** Expected totals of a sequence per payment type id, from the raw payments. */
export function expectedBySequence(store: StoreState, sequenceId: string): Map<string, Cents> {
  const out = new Map<string, Cents>();
  for (const sale of Object.values(store.sales)) {
    if (sale.state === "voided") continue;
    for (const p of sale.payments) {
      if (p.sequenceId === sequenceId) out.set(p.paymentTypeId, (out.get(p.paymentTypeId) ?? 0) + p.amount);
    }
  }
  return out;
}

/**
 * The payment types a summary lists: every payment type that is not deleted (with 0.00 when unused,
 * as the POS's example shows), plus a deleted one only when the sequence has payments of it. A closed
 * sequence with a sale voided after close answers its totals as they were at close (the POS's closure
 * record is not altered by later voids).
 */
export function summaryRows(store: StoreState, sequenceId: string): { id: string; name: string; expected: Cents }[] {
  const frozen = store.sequences[sequenceId]?.expectedAtClose;
  const expected = frozen ? new Map(Object.entries(frozen)) : expectedBySequence(store, sequenceId);
  const closedAt = store.sequences[sequenceId]?.closedAt ?? null;
  return Object.values(store.paymentTypes)
    .filter((pt) => pt.deletedAt === null || expected.has(pt.id))
    .filter((pt) => closedAt === null || pt.createdAt <= closedAt || expected.has(pt.id))
    .map((pt) => ({ id: pt.id, name: pt.name, expected: expected.get(pt.id) ?? 0 }));
}

/**
 * Closes the register's open sequence with the counted totals. A payment type left out of `counted`
 * is taken as counted = expected (nobody counts gift-card or store-credit redemptions).
 */
export function closeRegister(
  ctx: Ctx,
  registerId: string,
  counted?: Record<string, string>,
  at?: Date,
): ClosureRecord {
  const { store } = ctx;
  const register = must(store.registers[registerId], `register ${registerId}`);
  if (!register.isOpen || !register.openSequenceId)
    throw new PosSandboxError(409, `register ${register.name} is not open`);
  const seq = must(store.sequences[register.openSequenceId], "open sequence");
  const closedAt = isoClassic(at ?? ctx.now());
  if (closedAt < seq.openedAt) throw new PosSandboxError(400, "a register cannot close before it opened");
  const countedCents: Record<string, Cents> = {};
  for (const [ptId, total] of Object.entries(counted ?? {})) {
    if (!store.paymentTypes[ptId]) throw new PosSandboxError(400, `unknown payment type ${ptId}`);
    try {
      countedCents[ptId] = toMinorExact(parseDec(total));
    } catch {
      throw new PosSandboxError(400, `counted total for ${ptId} is not an amount: "${total}"`);
    }
  }
  for (const row of summaryRows(store, seq.id)) countedCents[row.id] ??= row.expected;
  seq.counted = countedCents;
  seq.closedAt = closedAt;
  register.isOpen = false;
  register.closeTime = closedAt;
  register.version = nextVersion(store);
  ctx.hooks.registerClosed(store, seq.id);
  return closureRecord(store, seq);
}

export function closureRecord(store: StoreState, seq: SequenceRec): ClosureRecord {
  const register = must(store.registers[seq.registerId], "register");
  const outlet = must(store.outlets[seq.outletId], "outlet");
  return {
    id: seq.id,
    registerId: seq.registerId,
    registerName: register.name,
    outletId: seq.outletId,
    outletName: outlet.name,
    timeZone: outlet.timeZone,
    sequenceNumber: seq.sequenceNumber,
    openedAt: seq.openedAt,
    closedAt: seq.closedAt,
    payments: summaryRows(store, seq.id).map((row) => {
      const counted = seq.counted?.[row.id];
      return {
        payment_type_id: row.id,
        name: row.name,
        expected: formatMinor(row.expected),
        counted: counted === undefined ? null : formatMinor(counted),
      };
    }),
  };
}

/** Closed sequences (closures), oldest first. */
export function closures(store: StoreState): ClosureRecord[] {
  return Object.values(store.sequences)
    .filter((s) => s.closedAt !== null)
    .sort((a, b) => (a.closedAt! < b.closedAt! ? -1 : a.closedAt! > b.closedAt! ? 1 : a.id < b.id ? -1 : 1))
    .map((s) => closureRecord(store, s));
}

/**
 * The sequence a register is taking payments in right now; 409 when it is closed, 400 when `at`
 * (the sale or payment time) is before the register opened.
 */
export function openSequenceOf(store: StoreState, registerId: string, at?: string): SequenceRec {
  const register = must(store.registers[registerId], `register ${registerId}`);
  if (!register.isOpen || !register.openSequenceId)
    throw new PosSandboxError(409, `register ${register.name} is closed`);
  const seq = must(store.sequences[register.openSequenceId], "open sequence");
  if (at !== undefined && at < seq.openedAt)
    throw new PosSandboxError(400, `${at} is before register ${register.name} opened (${seq.openedAt})`);
  return seq;
}
