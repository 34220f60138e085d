import { TillbridgeError } from "../../shared/errors";
import { audit } from "../db/audit";
import { getConnection } from "../db/connections";
import {
  type ClosureOpening,
  closureOpenings,
  getClosureRecord,
  rebuiltClosureStatement,
  storeAssumedCounted,
} from "../db/closures";
import { openSequenceIds, seenOpenSequences, sequenceSpans, ungroupedPayments } from "../db/register-sequences";
import { currentItem } from "../db/sync-items";
import { buildClosurePosting, withClosureCogs } from "../ledger";
import { businessDate } from "../ledger/dates";
import { closuresOnlySalesKnow } from "../pos/lost-closures";
import { atOrAfterConnection, toIsoInstant } from "../pos/read";
import { countSequenceNumbers, type TimelineEntry } from "../pos/sequence-numbers";
import { defineKind, type Discovery, type HistoryRange, type RangeObject, type SettleContext } from "./kind";
import { itemOnClick } from "./record";

/**
 * A register closure (one register's open → close sequence): a SalesReceipt (or RefundReceipt) and
 * a JournalEntry (DESIGN §1.1), and with cost of goods sold on, a JournalEntry of its cost (SPEC §4.5). Announced by its webhook (pos/hooks.ts wires that to the engine),
 * found by register polling, or found from the sequence ids on its sales when both were missed.
 */
export default defineKind({
  kind: "closure",
  entities: ["SalesReceipt", "RefundReceipt", "JournalEntry"],

  discover: async (d) => {
    let created = 0;
    for (const id of (await d.changes()).closures) if (await recordIfRecent(d, id)) created++;
    const { sequenceIds } = await d.storedSales();
    for (const id of await closuresOnlySalesKnow(d.s, d.tenantId, sequenceIds, d.connectedAt))
      if (await recordIfRecent(d, id)) created++;
    return created;
  },

  // a regular sale voided after its closure was sent: the closure now posts without it
  changedSince: async (d) => {
    const out: { posId: string; reason: string }[] = [];
    for (const sale of (await d.storedSales()).sales) {
      if (sale.state !== "voided" || sale.kind !== "regular") continue;
      for (const seq of new Set(sale.sequenceIds ?? [])) {
        const item = await currentItem(d.s.db, d.tenantId, "closure", seq);
        if (item && item.state !== "not_applicable")
          out.push({ posId: seq, reason: `sale ${sale.id} voided (POS version ${sale.version})` });
      }
    }
    return out;
  },

  onClick: (c, posId) =>
    itemOnClick(c, "closure", posId, async () => {
      if (!(await getClosureRecord(c.s.db, c.tenantId, posId)))
        throw new TillbridgeError("not_found", `closure ${posId} is not known yet`);
    }),

  build: async (b, posId) => {
    const closure = await b.pos.loadClosure(posId);
    // cost of goods sold (its own ledger module) rides with the closure's documents: part "cogs"
    return [withClosureCogs(buildClosurePosting(closure, b.ledger), closure, b.ledger)];
  },

  backfill: {
    rank: 1,
    objectsIn: async (r) => {
      const known = await closureOpenings(r.s.db, r.tenantId);
      const objects: RangeObject[] = [];
      for (const c of known) {
        const day = r.localDay(c.opened_at, r.zoneOfOutlet(c.outlet_id ?? r.outletOfRegister(c.register_id)));
        if (day && r.inRange(day)) objects.push({ kind: "closure", posId: c.id, businessDate: day });
      }
      const rebuilt = await rebuildFromSales(r, known);
      const ungrouped = await ungroupedPayments(r.s.db, r.tenantId, r.lo, r.hi);
      const notes = [`${rebuilt.length} closures rebuilt from sales`];
      if (ungrouped) notes.push(`${ungrouped} payments without a register sequence left out`);
      return { objects: [...objects, ...rebuilt], notes };
    },
    settle: {
      blockedOn: (bf) => (bf.counted_policy === "expected" ? "counted" : null),
      run: (x, posId) => assumeCounted(x, posId),
    },
  },
});

/**
 * The one history rule, for webhooks and polling alike: a closure that closed before Tillbridge was
 * connected belongs to the store's history, posted by a backfill the merchant starts, never at once.
 */
export async function closedBeforeConnection(db: D1Database, tenantId: string, closureId: string): Promise<boolean> {
  const [record, conn] = await Promise.all([
    getClosureRecord(db, tenantId, closureId),
    getConnection(db, tenantId, "pos"),
  ]);
  return !!record && !!conn?.connected_at && !atOrAfterConnection(record.closedAt, conn.connected_at);
}

async function recordIfRecent(d: Discovery, closureId: string): Promise<boolean> {
  const record = await getClosureRecord(d.s.db, d.tenantId, closureId);
  if (!record || !atOrAfterConnection(record.closedAt, d.connectedAt)) return false;
  return d.record("closure", closureId);
}

/**
 * The POS lists no past closures (pos-api-notes §1.5), so a closure no webhook or poll announced is
 * rebuilt from the stored sales: their payments grouped by `register_open_sequence_id`. It is dated
 * by when it opened if polling saw it open, else by its first payment; it "closed" at its last
 * payment; its sequence number stays unknown unless polling saw it.
 */
async function rebuildFromSales(r: HistoryRange, closures: readonly ClosureOpening[]): Promise<RangeObject[]> {
  const { db } = r.s;
  const known = new Set(closures.map((c) => c.id));
  const stillOpen = await openSequenceIds(db, r.tenantId);
  const seenOpen = await seenOpenSequences(db, r.tenantId);
  let numbers: Map<string, number> | undefined;
  const statements: D1PreparedStatement[] = [];
  const objects: RangeObject[] = [];
  for (const g of await sequenceSpans(db, r.tenantId, { between: [r.lo, r.hi] })) {
    if (known.has(g.seq) || stillOpen.has(g.seq) || !g.register_id) continue;
    const outletId = g.outlet_id ?? r.outletOfRegister(g.register_id);
    const seen = seenOpen.get(g.seq);
    const openedAt = toIsoInstant(seen?.openedAt ?? g.first_at);
    const closedAt = toIsoInstant(g.last_at);
    if (!openedAt || !closedAt) continue;
    const day = businessDate(openedAt, r.zoneOfOutlet(outletId));
    if (!r.inRange(day)) continue;
    const closure = { id: g.seq, registerId: g.register_id, outletId, openedAt, closedAt };
    numbers ??= await countedNumbers(r, closures, seenOpen);
    const sequenceNumber = seen?.sequenceNumber ?? numbers.get(g.seq) ?? null;
    statements.push(rebuiltClosureStatement(db, r.tenantId, { ...closure, sequenceNumber }, r.s.now()));
    objects.push({ kind: "closure", posId: g.seq, businessDate: day });
  }
  for (let i = 0; i < statements.length; i += 50) await db.batch(statements.slice(i, i + 50));
  return objects;
}

/**
 * The POS's numbers of the sequences a backfill rebuilds, counted along each register's sequences
 * from the numbers known: each register's latest (its payments summary), closures announced or
 * polled, sequences polling saw open (pos/sequence-numbers.ts). None when the POS cannot be asked.
 */
async function countedNumbers(
  r: HistoryRange,
  closures: readonly ClosureOpening[],
  seenOpen: Map<string, { sequenceNumber: number | null; openedAt: string | null }>,
): Promise<Map<string, number>> {
  let anchors: Awaited<ReturnType<typeof r.pos.sequenceAnchors>> = [];
  try {
    anchors = await r.pos.sequenceAnchors();
  } catch (e) {
    r.s.log.warn("backfill could not read the registers' sequence numbers", {
      code: e instanceof TillbridgeError ? e.code : "internal",
    });
  }
  const entries = new Map<string, TimelineEntry>();
  const add = (seq: string, registerId: string | null, at: string | null | undefined, number: number | null) => {
    const when = at ? toIsoInstant(at) : null;
    if (!registerId) return;
    const was = entries.get(seq);
    entries.set(seq, {
      seq,
      registerId: was?.registerId ?? registerId,
      at: [was?.at, when].filter((x): x is string => !!x).sort()[0] ?? "9999",
      number: was?.number ?? number,
    });
  };
  for (const g of await sequenceSpans(r.s.db, r.tenantId, { between: ["0", "9"] })) {
    const seen = seenOpen.get(g.seq);
    add(g.seq, g.register_id, seen?.openedAt ?? g.first_at, seen?.sequenceNumber ?? null);
  }
  for (const c of closures) add(c.id, c.register_id, c.opened_at, c.sequence_number);
  for (const a of anchors) add(a.sequenceId, a.registerId, a.openedAt, a.sequenceNumber);
  return countSequenceNumbers([...entries.values()]);
}

/**
 * Counted = expected for a closure whose counted totals were never given, as the merchant chose
 * for this backfill: the expected figures are the connector's own (the payments summary or the
 * sequence's payments), so the posting has no till discrepancy. `counted_source = 'assumed'` and
 * the audit trail say so. False when counted totals are known (or the closure cannot be read: its
 * posting meets the same error and records it).
 */
async function assumeCounted(x: SettleContext, closureId: string): Promise<boolean> {
  const { s, tenantId, bf } = x;
  const record = await getClosureRecord(s.db, tenantId, closureId);
  if (!record || record.countedSource !== null) return false;
  let payments: Awaited<ReturnType<typeof x.pos.loadClosure>>["payments"];
  try {
    payments = (await x.pos.loadClosure(closureId)).payments;
  } catch (e) {
    s.log.warn("backfill could not read a closure", {
      closure: closureId,
      code: e instanceof TillbridgeError ? e.code : "internal",
    });
    return false;
  }
  const assumed = payments.map((p) => ({
    paymentTypeId: p.paymentTypeId,
    name: p.name,
    expectedMinor: p.expectedMinor,
    countedMinor: p.expectedMinor,
  }));
  if (!(await storeAssumedCounted(s.db, tenantId, closureId, assumed, s.now()))) return false;
  const detail = `backfill #${bf.id}: counted totals never given; posted with counted = expected (no till discrepancy) for ${assumed.length} payment types`;
  await audit(
    s.db,
    { tenantId, actor: "backfill", action: "counted_assumed", kind: "closure", posId: closureId, detail },
    s.now(),
  );
  return true;
}
