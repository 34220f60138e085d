import { businessDate } from "../../ledger/dates";
import { ALL_KINDS, findKind } from "../../kinds";
import type { HistoryRange, RangeObject } from "../../kinds/kind";
import type { PosPort } from "../../pos/port";
import { toIsoInstant } from "../../pos/read";
import type { Services } from "../../services";

/**
 * What a date range of the store's history holds: each kind with a backfill lists its objects of
 * the range (closures, on-account and layby sales with their payments and credits, gift-card expiries, manual
 * store credit…), read from what the POS connector already stores plus the event lists the POS
 * serves, then everything is put in posting order.
 */

export type { RangeObject };

export interface RangeHistory {
  objects: RangeObject[];
  /** What the kinds said of their listing (closures rebuilt from sales…), for the audit line */
  notes: string[];
}

/**
 * Posting order: day by day, and within a day by rank (an invoice before the payments applied to
 * it, a credit memo before its application): the object's own, else its kind's.
 */
export function sortForPosting(objects: RangeObject[]): RangeObject[] {
  const rank = (o: RangeObject) => o.rank ?? findKind(o.kind)?.backfill?.rank ?? 99;
  return [...objects].sort(
    (a, b) => a.businessDate.localeCompare(b.businessDate) || rank(a) - rank(b) || a.posId.localeCompare(b.posId),
  );
}

export async function historyInRange(
  s: Services,
  tenantId: string,
  pos: PosPort,
  from: string,
  to: string,
): Promise<RangeHistory> {
  const range = await rangeOf(s, tenantId, pos, from, to);
  const objects: RangeObject[] = [];
  const notes: string[] = [];
  for (const kind of ALL_KINDS) {
    const found = await kind.backfill?.objectsIn?.(range);
    objects.push(...(found?.objects ?? []));
    notes.push(...(found?.notes ?? []));
  }
  return { objects: sortForPosting(objects), notes };
}

const day = (iso: string, offsetDays: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + offsetDays * 86_400_000).toISOString().slice(0, 10);

/** The range with the store's time zones: an object's day is its outlet's local day. */
async function rangeOf(s: Services, tenantId: string, pos: PosPort, from: string, to: string): Promise<HistoryRange> {
  const ref = await pos.reference();
  return {
    s,
    tenantId,
    pos,
    from,
    to,
    // Text bounds wide enough for any time zone; exact days are decided per object.
    lo: day(from, -2),
    hi: `${day(to, 2)}~`,
    inRange: (d) => d >= from && d <= to,
    zoneOfOutlet: (id) => ref.outlets.find((o) => o.id === id)?.timeZone ?? ref.retailer.timeZone ?? "UTC",
    outletOfRegister: (id) => ref.registers.find((r) => r.id === id)?.outletId ?? null,
    localDay: (at, zone) => {
      const iso = at ? toIsoInstant(at) : null;
      return iso ? businessDate(iso, zone) : null;
    },
  };
}
