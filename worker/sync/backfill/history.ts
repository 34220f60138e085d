import type { ObjectKind } from "../../../shared/sync";
import { businessDate } from "../../ledger/dates";
import { classifySale } from "../../pos/mappers/sale-state";
import type { PosPort } from "../../pos/port";
import { toIsoInstant } from "../../pos/read";
import { closureOpenings, rebuiltClosureStatement } from "../../db/closures";
import {
  accountSales,
  openSequenceIds,
  seenOpenSequences,
  sequenceSpans,
  ungroupedPayments,
} from "../../db/register-sequences";
import type { Services } from "../../services";

/**
 * What a date range of the store's history holds: its register closures, on-account and layby
 * sales with their payments, gift-card expiries and manual store credit — read from what the POS
 * connector already stores (`pos_objects`, `closures`) plus the two event lists the POS serves.
 *
 * The POS lists no past closures (pos-api-notes §1.5), so a closure no webhook or poll announced
 * is rebuilt from the stored sales: their payments grouped by `register_open_sequence_id`. It is
 * dated by when it opened if polling saw it open, else by its first payment; it "closed" at its
 * last payment; its sequence number stays unknown unless polling saw it. Sales stored without
 * sequence ids (older API shapes) cannot be grouped and are counted in `ungroupedPayments`.
 */

export interface RangeObject {
  kind: ObjectKind;
  posId: string;
  /** The local business day it posts on (the outlet's time zone) */
  businessDate: string;
}

export interface RangeHistory {
  objects: RangeObject[];
  /** Closures recorded now from the sales (they had never been announced) */
  rebuiltClosures: number;
  ungroupedPayments: number;
}

/** Posting order within a day: an invoice before the payments applied to it. */
const RANK: Record<ObjectKind, number> = {
  sale: 0,
  closure: 1,
  sale_payment: 2,
  purchase_order: 3,
  gift_card_expiry: 3,
  store_credit_issue: 3,
};

export function sortForPosting(objects: RangeObject[]): RangeObject[] {
  return [...objects].sort(
    (a, b) =>
      a.businessDate.localeCompare(b.businessDate) || RANK[a.kind] - RANK[b.kind] || a.posId.localeCompare(b.posId),
  );
}

const day = (iso: string, offsetDays: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + offsetDays * 86_400_000).toISOString().slice(0, 10);

export async function historyInRange(
  s: Services,
  tenantId: string,
  pos: PosPort,
  from: string,
  to: string,
): Promise<RangeHistory> {
  const ref = await pos.reference();
  const zoneOfOutlet = (id: string | null | undefined) =>
    ref.outlets.find((o) => o.id === id)?.timeZone ?? ref.retailer.timeZone ?? "UTC";
  const outletOfRegister = (id: string | null) => ref.registers.find((r) => r.id === id)?.outletId ?? null;
  const inRange = (d: string) => d >= from && d <= to;
  const localDay = (at: string | null | undefined, zone: string) => {
    const iso = at ? toIsoInstant(at) : null;
    return iso ? businessDate(iso, zone) : null;
  };
  // Text bounds wide enough for any time zone; exact days are decided per object below.
  const lo = day(from, -2);
  const hi = `${day(to, 2)}~`;
  const objects: RangeObject[] = [];

  // ---- closures ------------------------------------------------------------------------------
  const known = new Map((await closureOpenings(s.db, tenantId)).map((c) => [c.id, c]));
  for (const c of known.values()) {
    const d = localDay(c.opened_at, zoneOfOutlet(c.outlet_id ?? outletOfRegister(c.register_id)));
    if (d && inRange(d)) objects.push({ kind: "closure", posId: c.id, businessDate: d });
  }

  const stillOpen = await openSequenceIds(s.db, tenantId);
  const seenOpen = await seenOpenSequences(s.db, tenantId);
  const groups = await sequenceSpans(s.db, tenantId, { between: [lo, hi] });

  const rebuilt: D1PreparedStatement[] = [];
  for (const g of groups) {
    if (known.has(g.seq) || stillOpen.has(g.seq) || !g.register_id) continue;
    const outletId = g.outlet_id ?? outletOfRegister(g.register_id);
    const seen = seenOpen.get(g.seq);
    const openedAt = toIsoInstant(seen?.openedAt ?? g.first_at);
    const closedAt = toIsoInstant(g.last_at);
    if (!openedAt || !closedAt) continue;
    const d = businessDate(openedAt, zoneOfOutlet(outletId));
    if (!inRange(d)) continue;
    rebuilt.push(
      rebuiltClosureStatement(
        s.db,
        tenantId,
        {
          id: g.seq,
          registerId: g.register_id,
          outletId,
          sequenceNumber: seen?.sequenceNumber ?? null,
          openedAt,
          closedAt,
        },
        s.now(),
      ),
    );
    objects.push({ kind: "closure", posId: g.seq, businessDate: d });
  }
  for (let i = 0; i < rebuilt.length; i += 50) await s.db.batch(rebuilt.slice(i, i + 50));

  const ungrouped = await ungroupedPayments(s.db, tenantId, lo, hi);

  // ---- on-account and layby sales, each with every payment taken on it -------------------------
  const sales = await accountSales(s.db, tenantId);
  for (const sale of sales) {
    const attrs = sale.attributes
      ? (JSON.parse(sale.attributes) as unknown[]).filter((a): a is string => typeof a === "string")
      : null;
    const c = classifySale(sale.state, attrs, sale.status);
    if ("error" in c || c.kind === "regular" || (c.state !== "pending" && c.state !== "closed")) continue;
    const zone = zoneOfOutlet(sale.outlet_id);
    const saleDay = localDay(sale.sale_date, zone);
    const payments = (JSON.parse(sale.payments) as [unknown, unknown, unknown][]).map(([id, amount, at]) => ({
      id: typeof id === "string" || typeof id === "number" ? String(id) : null,
      zero: amount === null || /^-?0*(\.0*)?$/.test(String(amount)),
      day: localDay(typeof at === "string" ? at : null, zone),
    }));
    if (!saleDay || !(inRange(saleDay) || payments.some((p) => p.day && inRange(p.day)))) continue;
    objects.push({ kind: "sale", posId: sale.id, businessDate: saleDay });
    for (const p of payments) {
      if (p.id && !p.zero)
        objects.push({ kind: "sale_payment", posId: `${sale.id}:${p.id}`, businessDate: p.day ?? saleDay });
    }
  }

  // ---- gift-card expiries and manual store credit (no version cursor: asked of the POS) ---------
  for (const e of await pos.giftCardExpiries()) {
    const d = businessDate(e.occurredAt, e.timeZone);
    if (inRange(d)) objects.push({ kind: "gift_card_expiry", posId: e.transactionId, businessDate: d });
  }
  for (const e of await pos.storeCreditIssues()) {
    const d = businessDate(e.occurredAt, e.timeZone);
    if (inRange(d)) objects.push({ kind: "store_credit_issue", posId: e.transactionId, businessDate: d });
  }

  return { objects: sortForPosting(objects), rebuiltClosures: rebuilt.length, ungroupedPayments: ungrouped };
}
