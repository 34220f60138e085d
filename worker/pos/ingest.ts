import type { RegisterClosure, Sale } from "../../shared/domain/pos";
import { TillbridgeError } from "../../shared/errors";
import { getClosureRecord, recordPolledClosure } from "../db/closures";
import { advanceCursorStatement, getCursor } from "../db/cursors";
import { getObject, objectsOfSequences, type StoredObject, upsertObjectStatement } from "../db/pos-objects";
import { PosClient } from "./client";
import type { ClosureRecordPayment } from "./mappers/closure";
import { toClosure } from "./mappers/closure";
import { saleContext } from "./mappers/context";
import { cents } from "./mappers/exact";
import { toSale } from "./mappers/sale";
import { readObject } from "./read";
import { customersByIds, loadReference, productsByIds, type PosReference } from "./reference";
import { RawPaymentsSummary, RawRegister } from "./schemas";
import type { PosServices } from "./tokens";

/**
 * Discovery and loading: sales (and registers) paged from each tenant's stored version cursor into
 * `pos_objects`, the cursor advancing in the same D1 batch as the page it covers; register polling
 * that finds closures whose webhook never came; and `loadClosure`, which catches the sales up and
 * builds the domain RegisterClosure.
 */

const SALES_PAGE = 200;

/** A nested value of an unparsed payload, or undefined. */
function at(raw: unknown, ...path: string[]): unknown {
  let v = raw;
  for (const k of path) v = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}
const text = (v: unknown) => (typeof v === "string" && v ? v : typeof v === "number" ? String(v) : null);
const list = (v: unknown) => (Array.isArray(v) ? (v as unknown[]) : []);

/** The sequences a raw sale touches (completion + payments), read leniently: indexing must not fail. */
export function saleIndex(raw: unknown): { id: string; version: string; sequenceIds: string[] } | null {
  const id = text(at(raw, "id"));
  if (!id) return null;
  const v = text(at(raw, "_metadata", "version")) ?? text(at(raw, "version"));
  const version = v && /^\d+$/.test(v) ? v : "0";
  const seqs = new Set<string>();
  const add = (x: unknown) => void (typeof x === "string" && x && seqs.add(x));
  add(at(raw, "_metadata", "complete_open_sequence_id"));
  for (const p of list(at(raw, "payments"))) {
    add(at(p, "_metadata", "register_open_sequence_id"));
    add(at(p, "register_open_sequence_id"));
  }
  if (!seqs.size) {
    const register = text(at(raw, "register_id")) ?? text(at(raw, "source", "register_id"));
    if (register) seqs.add(`@${register}`);
  }
  return { id, version, sequenceIds: [...seqs] };
}

export interface SyncResult {
  pages: number;
  objects: number;
  /** Ids of the objects stored (changed since the cursor) */
  ids: string[];
  cursor: string | null;
}

/** Pages sales from the stored cursor to the end (or `maxPages`). */
export async function syncSales(
  s: PosServices,
  tenantId: string,
  client: PosClient,
  opts: { maxPages?: number; pageSize?: number } = {},
): Promise<SyncResult> {
  const out: SyncResult = { pages: 0, objects: 0, ids: [], cursor: await getCursor(s.db, tenantId, "sales") };
  for await (const page of client.pages("/sales", {
    after: out.cursor ?? "0",
    pageSize: opts.pageSize ?? SALES_PAGE,
  })) {
    const stmts: D1PreparedStatement[] = [];
    for (const raw of page.items) {
      const idx = saleIndex(raw);
      if (!idx) {
        s.log.warn("pos sale without an id skipped");
        continue;
      }
      stmts.push(
        upsertObjectStatement(
          s.db,
          tenantId,
          "sale",
          { id: idx.id, version: idx.version, sequenceIds: idx.sequenceIds, json: raw },
          s.now(),
        ),
      );
      out.ids.push(idx.id);
    }
    stmts.push(advanceCursorStatement(s.db, tenantId, "sales", page.max, s.now()));
    await s.db.batch(stmts);
    out.pages++;
    out.objects += stmts.length - 1;
    out.cursor = page.max;
    if (opts.maxPages && out.pages >= opts.maxPages) break;
  }
  return out;
}

/** When each client last caught the sales cursor up: loading many closures in one run pages once. */
const caughtUp = new WeakMap<PosClient, number>();
const CATCH_UP_FRESH_MS = 30_000;

export async function catchUpSales(s: PosServices, tenantId: string, client: PosClient): Promise<void> {
  const last = caughtUp.get(client);
  if (last !== undefined && s.now().getTime() - last < CATCH_UP_FRESH_MS) return;
  await syncSales(s, tenantId, client);
  caughtUp.set(client, s.now().getTime());
}

/** The stored raw sales of a closure (by sequence id; 2.0-shaped sales by register, placed by time later). */
export async function salesOfSequence(
  s: Pick<PosServices, "db">,
  tenantId: string,
  closureId: string,
  registerId?: string,
): Promise<StoredObject[]> {
  return objectsOfSequences(s.db, tenantId, "sale", registerId ? [closureId, `@${registerId}`] : [closureId]);
}

interface OpenSequenceInfo {
  id: string;
  registerId: string;
  sequenceNumber: number | null;
  openedAt: string | null;
}

/**
 * Polls registers from their cursor. A sequence seen open that is now closed (is_open false) or
 * replaced (a new register_open_sequence_id) is a closure: if no webhook announced it, it is
 * recorded with discovered_via 'poll' and counted totals unknown. Returns the closures found.
 */
export async function pollRegisters(s: PosServices, tenantId: string, client: PosClient): Promise<string[]> {
  const found: string[] = [];
  const after = (await getCursor(s.db, tenantId, "registers")) ?? "0";
  for await (const page of client.pages("/registers", { after, pageSize: 1000 })) {
    const stmts: D1PreparedStatement[] = [];
    for (const raw of page.items) {
      let r: RawRegister;
      try {
        r = readObject(RawRegister, raw, "register");
      } catch (e) {
        s.log.warn("pos register skipped", { error: e instanceof TillbridgeError ? e.detail : String(e) });
        continue;
      }
      const prev = (await getObject(s.db, tenantId, "register", r.id))?.json as RawRegister | undefined;
      const closed = await closureSincePrevious(s, tenantId, client, r, prev);
      if (closed) found.push(closed);
      const opened = await newOpenSequence(s, tenantId, client, r, prev);
      if (opened) stmts.push(opened);
      stmts.push(
        upsertObjectStatement(s.db, tenantId, "register", { id: r.id, version: r.version ?? "0", json: raw }, s.now()),
      );
    }
    stmts.push(advanceCursorStatement(s.db, tenantId, "registers", page.max, s.now()));
    await s.db.batch(stmts);
  }
  return found;
}

/**
 * The closure a register's change reveals, recorded if no webhook announced it: the sequence seen
 * open before is now closed, or replaced by a new one. Returns its id when this call recorded it.
 */
async function closureSincePrevious(
  s: PosServices,
  tenantId: string,
  client: PosClient,
  r: RawRegister,
  prev: RawRegister | undefined,
): Promise<string | null> {
  const prevSeq = prev?.register_open_sequence_id ?? null;
  const nowSeq = r.register_open_sequence_id ?? null;
  const closedNow = prevSeq !== null && prev?.is_open !== false && (nowSeq !== prevSeq || r.is_open === false);
  if (!closedNow || (await getClosureRecord(s.db, tenantId, prevSeq))) return null;
  const sameSeqClosed = nowSeq === prevSeq && r.is_open === false;
  const known = (await getObject(s.db, tenantId, "open_sequence", prevSeq))?.json as OpenSequenceInfo | undefined;
  // The summary of a register that just closed is that closure's (sequence number, expected).
  const summary = sameSeqClosed ? await summaryOf(client, r.id, prevSeq) : null;
  const created = await recordPolledClosure(
    s.db,
    tenantId,
    {
      id: prevSeq,
      registerId: r.id,
      outletId: r.outlet_id,
      sequenceNumber: summary?.sequenceNumber ?? known?.sequenceNumber ?? null,
      openedAt: summary?.openedAt ?? known?.openedAt ?? prev?.register_open_time ?? null,
      // Reopened before we looked: it closed no later than the new opening.
      closedAt: sameSeqClosed
        ? (r.register_close_time ?? s.now().toISOString())
        : (r.register_open_time ?? s.now().toISOString()),
    },
    s.now(),
    summary?.payments ?? null,
  );
  return created ? prevSeq : null;
}

/** A sequence newly open on the register, remembered with its number and opening (for the closure to come). */
async function newOpenSequence(
  s: PosServices,
  tenantId: string,
  client: PosClient,
  r: RawRegister,
  prev: RawRegister | undefined,
): Promise<D1PreparedStatement | null> {
  const nowSeq = r.register_open_sequence_id ?? null;
  if (r.is_open === false || !nowSeq || nowSeq === (prev?.register_open_sequence_id ?? null)) return null;
  if (await getObject(s.db, tenantId, "open_sequence", nowSeq)) return null;
  const summary = await summaryOf(client, r.id, nowSeq);
  const info: OpenSequenceInfo = {
    id: nowSeq,
    registerId: r.id,
    sequenceNumber: summary?.sequenceNumber ?? null,
    openedAt: summary?.openedAt ?? r.register_open_time ?? null,
  };
  return upsertObjectStatement(s.db, tenantId, "open_sequence", { id: nowSeq, version: "0", json: info }, s.now());
}

/** A register's latest sequence as the POS numbers it: the anchor past closures are numbered from. */
export interface SequenceAnchor {
  registerId: string;
  sequenceId: string;
  sequenceNumber: number;
  openedAt: string | null;
}

/**
 * Each register's latest sequence (open now, or the one that last closed) with its number, from its
 * payments summary: one read per register. A register never opened, or a summary without a number,
 * gives none.
 */
export async function sequenceAnchors(s: PosServices, tenantId: string, client: PosClient): Promise<SequenceAnchor[]> {
  const ref = await loadReference(s, tenantId, client);
  const out: SequenceAnchor[] = [];
  for (const r of ref.registers) {
    try {
      const sum = readObject(
        RawPaymentsSummary,
        await client.getOne(`/registers/${encodeURIComponent(r.id)}/payments_summary`),
        "payments summary",
      );
      if (sum.register_closure_id && sum.register_closure_sequence_number != null)
        out.push({
          registerId: r.id,
          sequenceId: sum.register_closure_id,
          sequenceNumber: sum.register_closure_sequence_number,
          openedAt: sum.register_open_time ?? null,
        });
    } catch (e) {
      if (e instanceof TillbridgeError && (e.code === "pos_not_found" || e.code === "pos_payload_invalid")) continue;
      throw e;
    }
  }
  return out;
}

/** The payments summary of a register, if it is still about `sequenceId`. */
async function summaryOf(
  client: PosClient,
  registerId: string,
  sequenceId: string,
): Promise<{ sequenceNumber: number | null; openedAt: string | null; payments: ClosureRecordPayment[] } | null> {
  try {
    const sum = readObject(
      RawPaymentsSummary,
      await client.getOne(`/registers/${encodeURIComponent(registerId)}/payments_summary`),
      "payments summary",
    );
    if (sum.register_closure_id && sum.register_closure_id !== sequenceId) return null;
    return {
      sequenceNumber: sum.register_closure_sequence_number ?? null,
      openedAt: sum.register_open_time ?? null,
      payments: sum.payments.map((p) => ({
        paymentTypeId: p.payment_type_id,
        name: p.payment_type_name ?? p.payment_type_id,
        expectedMinor: cents(p.total),
        countedMinor: null,
      })),
    };
  } catch (e) {
    if (e instanceof TillbridgeError && (e.code === "pos_not_found" || e.code === "pos_payload_invalid")) return null;
    throw e;
  }
}

/** Maps raw sales with the store's reference data, reading any product or customer not yet stored. */
export async function mapSales(
  s: PosServices,
  tenantId: string,
  client: PosClient,
  raws: readonly unknown[],
  ref: PosReference,
): Promise<Sale[]> {
  const productIds = new Set<string>();
  const customerIds = new Set<string>();
  for (const raw of raws) {
    const customer = text(at(raw, "customer_id"));
    if (customer) customerIds.add(customer);
    for (const l of list(at(raw, "line_items"))) {
      const id = text(at(l, "product", "id")) ?? text(at(l, "product_id"));
      if (id) productIds.add(id);
    }
  }
  const [products, customers] = await Promise.all([
    productsByIds(s, tenantId, client, productIds),
    customersByIds(s, tenantId, client, customerIds),
  ]);
  const ctx = saleContext({
    discountProductId: ref.retailer.discountProductId,
    taxInclusive: ref.retailer.taxInclusive === true,
    giftCardProductIds: products.filter((p) => p.giftCard).map((p) => p.id),
    products,
    paymentTypes: ref.paymentTypes,
    customers,
    taxes: ref.taxes,
  });
  return raws.map((raw) => toSale(raw, ctx));
}

/** A mapper's refusal that a reference list older than the sale explains: worth one reload. */
const UNKNOWN_REFERENCE = /unknown (payment type|customer)|tax_components/;

/**
 * Maps raw sales; when one names something the cached reference lists do not know (a payment type
 * added in the POS after they were read), the lists are reloaded once. A payment type still unknown
 * after that waits on its mapping (needs_mapping): the POS is not at fault, the lists are behind.
 */
async function mapWithReload(
  s: PosServices,
  tenantId: string,
  client: PosClient,
  raws: readonly unknown[],
): Promise<{ sales: Sale[]; ref: PosReference }> {
  let ref = await loadReference(s, tenantId, client);
  try {
    return { sales: await mapSales(s, tenantId, client, raws, ref), ref };
  } catch (e) {
    if (!(e instanceof TillbridgeError) || e.code !== "pos_payload_invalid" || !UNKNOWN_REFERENCE.test(e.detail ?? ""))
      throw e;
  }
  ref = await loadReference(s, tenantId, client, { force: true });
  try {
    return { sales: await mapSales(s, tenantId, client, raws, ref), ref };
  } catch (e) {
    const unknownType = e instanceof TillbridgeError && /unknown payment type (\S+)/.exec(e.detail ?? "");
    if (!unknownType) throw e;
    const id = unknownType[1]!;
    throw new TillbridgeError("needs_mapping", `payment type ${id} (not in the Retail POS's list yet)`, {
      mappingKey: `paymentTypes.${id}`,
    });
  }
}

/**
 * A closure as the ledger needs it: the sales cursor caught up first, then the closure's sales
 * mapped (a reference list older than the sales is reloaded once when a sale names something it
 * does not know), then the RegisterClosure.
 */
export async function loadClosure(
  s: PosServices,
  tenantId: string,
  closureId: string,
  client = PosClient.forTenant(s, tenantId),
): Promise<RegisterClosure> {
  await catchUpSales(s, tenantId, client);
  const record = await getClosureRecord(s.db, tenantId, closureId);
  // not a closure the POS lost: one Tillbridge has not been told of yet (still open, or not announced)
  if (!record) throw new TillbridgeError("pos_not_read_yet", `closure ${closureId}`);
  const raws = (await salesOfSequence(s, tenantId, closureId, record.registerId)).map((o) => o.json);
  const mapped = await mapWithReload(s, tenantId, client, raws);
  let ref = mapped.ref;
  const placeOf = (r: PosReference) => {
    const register = r.registers.find((x) => x.id === record.registerId);
    const outletId = record.outletId ?? register?.outletId;
    return { register, outletId, outlet: r.outlets.find((o) => o.id === outletId) };
  };
  let place = placeOf(ref);
  if (!place.register || !place.outlet) {
    // a register or outlet added in the POS after the lists were read
    ref = await loadReference(s, tenantId, client, { force: true });
    place = placeOf(ref);
  }
  const { register, outletId, outlet } = place;
  if (!register) throw new TillbridgeError("pos_not_found", `register ${record.registerId} of closure ${closureId}`);
  if (!outlet) throw new TillbridgeError("pos_not_found", `outlet ${outletId} of closure ${closureId}`);
  return toClosure(record, mapped.sales, register, outlet);
}

/** One sale, read fresh from the POS (an on-account or layby invoice, a webhook hint). */
export async function loadSale(
  s: PosServices,
  tenantId: string,
  saleId: string,
  client = PosClient.forTenant(s, tenantId),
): Promise<Sale> {
  const raw = await client.getOne(`/sales/${encodeURIComponent(saleId)}`);
  const idx = saleIndex(raw);
  if (idx)
    await upsertObjectStatement(
      s.db,
      tenantId,
      "sale",
      { id: idx.id, version: idx.version, sequenceIds: idx.sequenceIds, json: raw },
      s.now(),
    ).run();
  const [sale] = (await mapWithReload(s, tenantId, client, [raw])).sales;
  return sale!;
}
