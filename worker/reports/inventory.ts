import { z } from "zod";
import type { InventoryRollForwardResponse } from "../../shared/api";
import { parseMinor } from "../../shared/money";
import { getMappings } from "../db/mappings";
import { postedInPeriod, waitingInPeriod } from "../db/sync-items";
import { COGS_PART } from "../ledger/cogs";
import { PosClient } from "../pos/client";
import { inventoryValueNow } from "../pos/inventory";
import { openQboPort } from "../qbo/port";
import type { Services } from "../services";
import { isVoided, type QboDoc, readDocs, viewOf } from "./doc-lines";

/**
 * The Inventory Asset roll-forward (SPEC §4.5), beside the liability roll-forward: over [from, to]
 * (business days, as postings are dated), what Tillbridge's own postings did to the Inventory Asset
 * account, read back from QBO, term by term — bills, cost of goods sold, supplier returns,
 * stocktakes, stock adjustments, anything else — so opening + the terms = closing. The closing is
 * the account's balance in QBO now less what Tillbridge posted after `to`; the opening, the closing
 * less the period. Beside it, the POS's own inventory value now against the account's balance now:
 * the difference is what the books hold that the POS does not (stock bought before Tillbridge, entries
 * made by hand, stock lost in transit between outlets, sub-cent rounding), shown, never hidden.
 */

type Term = "bills" | "cogs" | "supplierReturns" | "stocktakes" | "adjustments" | "other";

const KINDS = [
  "purchase_order",
  "closure",
  "sale",
  "supplier_return",
  "stocktake",
  "stock_adjustment",
  "stock_transfer",
];
const Docs = z.array(z.object({ entity: z.string(), id: z.string(), part: z.string() }));
const AccountRow = z
  .object({ Id: z.string(), Name: z.string(), CurrentBalance: z.union([z.number(), z.string()]).optional() })
  .passthrough();
const FAR_FUTURE = "9999-12-31";

/** Which term a document's effect on Inventory Asset belongs to (a closure's or a sale's COGS journal by its part). */
function termOf(kind: string, part: string): Term {
  if (kind === "purchase_order") return "bills";
  if ((kind === "closure" || kind === "sale") && part === COGS_PART) return "cogs";
  if (kind === "supplier_return") return "supplierReturns";
  if (kind === "stocktake") return "stocktakes";
  if (kind === "stock_adjustment") return "adjustments";
  return "other";
}

const dayAfter = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export async function inventoryReport(
  s: Services,
  tenantId: string,
  from: string,
  to: string,
): Promise<InventoryRollForwardResponse> {
  const { mappings } = await getMappings(s.db, tenantId);
  const accountId = mappings.accounts.inventoryAsset;
  const port = await openQboPort(s, tenantId);
  const refs = await port.refs();
  const pos = await inventoryValueNow(s, tenantId, PosClient.forTenant(s, tenantId));
  const asOf = s.now().toISOString();

  const effects = async (lo: string, hi: string) => {
    const sums: Record<Term, number> = {
      bills: 0,
      cogs: 0,
      supplierReturns: 0,
      stocktakes: 0,
      adjustments: 0,
      other: 0,
    };
    let documents = 0;
    if (!accountId) return { sums, documents };
    const items = await postedInPeriod(s.db, tenantId, KINDS, lo, hi);
    const docs = items.flatMap((r) => Docs.parse(JSON.parse(r.docs_json)).map((d) => ({ kind: r.kind, ...d })));
    const byEntity = new Map<string, string[]>();
    for (const d of docs) byEntity.set(d.entity, [...(byEntity.get(d.entity) ?? []), d.id]);
    const read = new Map<string, QboDoc>();
    for (const [entity, ids] of byEntity)
      for (const [id, doc] of await readDocs(port, entity, ids)) read.set(`${entity}:${id}`, doc);
    for (const d of docs) {
      const raw = read.get(`${d.entity}:${d.id}`);
      if (!raw || isVoided(raw)) continue;
      let touched = false;
      for (const l of viewOf(d.entity, raw).lines) {
        if (l.ref.split("|")[0] !== `account:${accountId}`) continue;
        // bills and journals read debit-positive; a vendor credit's lines come back negative
        sums[termOf(d.kind, d.part)] += l.amountMinor;
        touched = true;
      }
      if (touched) documents++;
    }
    return { sums, documents };
  };
  const inPeriod = await effects(from, to);
  const after = await effects(dayAfter(to), FAR_FUTURE);
  const total = (x: Record<Term, number>) => Object.values(x).reduce((a, b) => a + b, 0);

  const row = accountId
    ? (await port.readDocuments("Account", [accountId])).map((r) => AccountRow.parse(r))[0]
    : undefined;
  const balanceMinor = row?.CurrentBalance !== undefined ? parseMinor(row.CurrentBalance) : null;
  const closingMinor = (balanceMinor ?? 0) - total(after.sums);
  const t = inPeriod.sums;
  const openingMinor = closingMinor - total(t);
  const waiting = await waitingInPeriod(s.db, tenantId, KINDS, from, to);
  const name = row?.Name ?? refs.accounts.find((a) => a.id === accountId)?.name ?? accountId;

  return {
    from,
    to,
    account: accountId ? { id: accountId, name: name ?? accountId } : null,
    books: {
      openingMinor,
      billsMinor: t.bills,
      // costs and returns as the positive amounts that left stock
      cogsMinor: -t.cogs,
      supplierReturnsMinor: -t.supplierReturns,
      stocktakesMinor: t.stocktakes,
      adjustmentsMinor: t.adjustments,
      otherMinor: t.other,
      closingMinor,
      documents: inPeriod.documents,
      waiting,
    },
    qbo: { balanceMinor, asOf },
    pos,
    differences:
      balanceMinor === null
        ? []
        : [
            {
              line: "balance",
              label: "Inventory now: the QuickBooks Online account vs the POS's own inventory value",
              posMinor: pos.valueNowMinor,
              otherMinor: balanceMinor,
              diffMinor: balanceMinor - pos.valueNowMinor,
            },
          ],
  };
}
