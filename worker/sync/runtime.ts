import type { Sale } from "../../shared/domain/pos";
import { TillbridgeError } from "../../shared/errors";
import type { ObjectKind, ObjectRef } from "../../shared/sync";
import { getClosureRecord } from "../db/closures";
import { getConnection } from "../db/connections";
import { getMappings } from "../db/mappings";
import { currentItem, docsOf, type SyncItemRow } from "../db/sync-items";
import {
  buildClosurePosting,
  buildGiftCardExpiryPosting,
  buildPurchaseOrderPosting,
  buildSaleInvoicePosting,
  buildSalePaymentPosting,
  buildStoreCreditIssuePosting,
  customerDisplayName,
  keyTag,
  vendorDisplayName,
  type Blocker,
  type LedgerContext,
  type PostingPlan,
  type PostingResult,
} from "../ledger";
import { createPosConnector, type PosPort } from "../pos/port";
import { openQboPort } from "../qbo/port";
import type { Services } from "../services";
import { discoverTenant, recheckBlocked } from "./discover";
import type { EngineDeps, PostContext } from "./engine";
import type { PlanOutcome, PlannedDocument } from "./plan";
import type { QboPort } from "../qbo/port";

/**
 * Everything the engine needs for one tenant during one request or cron run: its POS connector
 * (one client, so the sales cursor is caught up once), its QBO port (opened lazily: a missing QBO
 * connection blocks postings, not discovery), its mappings, and the posting plans built from them.
 */
export interface TenantRuntime {
  tenantId: string;
  engineDeps: EngineDeps;
  pos: PosPort;
  /** What changed in the POS: records one sync item per object version. Returns how many were new. */
  discover(): Promise<number>;
  /** Blocked items whose cause went away unseen (a connection back, the books reopened) become ready. */
  recheckBlocked(): Promise<number>;
  /** The context postItem needs, or the reason nothing can be posted now (not connected…) */
  postContext(): Promise<PostContext | TillbridgeError>;
  /** Builds an object's postings; with `resolve` it finds or creates customers/vendors in QBO first. */
  build(kind: ObjectKind, posId: string, posVersion: string, opts: { resolve: boolean }): Promise<Built>;
}

export type Built = { ok: true; plans: PostingPlan[] } | { ok: false; blockers: Blocker[]; error: TillbridgeError };

let seq = 0;
export const ownerId = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}-${(++seq).toString(36)}-${crypto.randomUUID().slice(0, 6)}`;

/** The ledger's blockers as one error: the first decides the state; all are named. */
export function blockersError(blockers: Blocker[]): TillbridgeError {
  const first = blockers[0]!;
  const detail =
    blockers.length === 1
      ? first.detail
      : `${first.detail} (and ${blockers.length - 1} more: ${blockers
          .slice(1)
          .map((b) => b.detail)
          .join("; ")})`;
  return new TillbridgeError(
    first.code,
    detail.slice(0, 2000),
    first.mappingKey ? { mappingKey: first.mappingKey } : {},
  );
}

/** Sale-payment items are keyed `<saleId>:<paymentId>` so the badge of a sale can find them. */
export const salePaymentId = (saleId: string, paymentId: string) => `${saleId}:${paymentId}`;
function splitSalePayment(posId: string): { saleId: string; paymentId: string } {
  const at = posId.indexOf(":");
  if (at <= 0) throw new TillbridgeError("bad_request", `sale payment id ${posId}`);
  return { saleId: posId.slice(0, at), paymentId: posId.slice(at + 1) };
}

export async function openTenant(s: Services, tenantId: string, actor: string): Promise<TenantRuntime> {
  const pos = createPosConnector(s, tenantId);
  let qbo: Promise<QboPort | TillbridgeError> | undefined;
  const qboPort = () =>
    (qbo ??= openQboPort(s, tenantId).then(
      (p): QboPort => p,
      (e) =>
        e instanceof TillbridgeError
          ? e
          : new TillbridgeError("qbo_transient", e instanceof Error ? e.message : String(e)),
    ));
  const mappingsDoc = getMappings(s.db, tenantId);
  let ledgerCtx: Promise<LedgerContext> | undefined;

  const engineDeps: EngineDeps = {
    db: s.db,
    now: s.now,
    log: s.log.child({ tenant: tenantId }),
    random: Math.random,
    owner: ownerId(actor),
    actor,
  };

  async function context(port: QboPort): Promise<LedgerContext> {
    ledgerCtx ??= (async () => {
      const [doc, refs, lists] = await Promise.all([mappingsDoc, port.refs(), pos.referenceLists()]);
      return { tenantId, mappings: doc.mappings, mappingVersion: doc.version, refs, ...lists };
    })();
    return ledgerCtx;
  }

  async function requirePort(): Promise<QboPort> {
    const port = await qboPort();
    if (port instanceof TillbridgeError) throw port;
    return port;
  }

  /** Runs a ledger builder; when it needs a customer/vendor and `resolve` is set, finds or creates it and runs again. */
  async function withParties(
    port: QboPort,
    resolve: boolean,
    run: (resolved: { customerId?: string; vendorId?: string }) => PostingResult,
  ): Promise<PostingResult> {
    const first = run({});
    if (!first.ok || !resolve) return first;
    const { customer, vendor } = first.plan.needs;
    if (!customer && !vendor) return first;
    const resolved: { customerId?: string; vendorId?: string } = {};
    if (customer) resolved.customerId = await port.findOrCreateCustomer(customer, customerDisplayName(customer));
    if (vendor) resolved.vendorId = await port.findOrCreateVendor(vendor, vendorDisplayName(vendor));
    return run(resolved);
  }

  async function invoiceOf(saleId: string): Promise<string> {
    const item = await currentItem(s.db, tenantId, "sale", saleId);
    const invoice =
      item && item.state === "posted"
        ? docsOf(item).find((d) => d.part === "invoice" || d.entity === "Invoice" || d.entity === "CreditMemo")
        : undefined;
    if (!invoice)
      throw new TillbridgeError("waiting_for", `the invoice of sale ${saleId}`, { mappingKey: `sale:${saleId}` });
    return invoice.id;
  }

  async function build(
    kind: ObjectKind,
    posId: string,
    posVersion: string,
    opts: { resolve: boolean },
  ): Promise<Built> {
    const port = await requirePort();
    const ctx = { ...(await context(port)), revision: posVersion };
    const results: PostingResult[] = [];
    switch (kind) {
      case "closure": {
        results.push(buildClosurePosting(await pos.loadClosure(posId), ctx));
        break;
      }
      case "purchase_order": {
        const receipts = await pos.loadPurchaseOrderReceipts(posId);
        if (receipts.length === 0)
          throw new TillbridgeError("conflict", `purchase order ${posId} has nothing received yet`);
        // a received delivery never changes: its bill is keyed by the delivery, whatever the order's version
        for (const receipt of receipts)
          results.push(
            await withParties(port, opts.resolve, (r) =>
              buildPurchaseOrderPosting({ ...receipt, version: "1" }, ctx, r),
            ),
          );
        break;
      }
      case "sale": {
        const sale: Sale = { ...(await pos.loadSale(posId)), version: posVersion };
        results.push(await withParties(port, opts.resolve, (r) => buildSaleInvoicePosting(sale, ctx, r)));
        break;
      }
      case "sale_payment": {
        const { saleId, paymentId } = splitSalePayment(posId);
        const sale = await pos.loadSale(saleId);
        const invoiceId = opts.resolve ? await invoiceOf(saleId) : undefined;
        results.push(
          await withParties(port, opts.resolve, (r) =>
            buildSalePaymentPosting(sale, paymentId, ctx, { ...r, ...(invoiceId ? { invoiceId } : {}) }),
          ),
        );
        break;
      }
      case "gift_card_expiry":
        results.push(buildGiftCardExpiryPosting(await pos.loadGiftCardExpiry(posId), ctx));
        break;
      case "store_credit_issue":
        results.push(buildStoreCreditIssuePosting(await pos.loadStoreCreditIssue(posId), ctx));
        break;
    }
    const blockers = results.flatMap((r) => (r.ok ? [] : r.blockers));
    if (blockers.length > 0) return { ok: false, blockers, error: blockersError(blockers) };
    return { ok: true, plans: results.map((r) => (r as { ok: true; plan: PostingPlan }).plan) };
  }

  async function plan(row: SyncItemRow): Promise<PlanOutcome> {
    const built = await build(row.kind as ObjectKind, row.pos_id, row.pos_version, { resolve: true });
    if (!built.ok) return { ok: false, error: built.error };
    const documents: PlannedDocument[] = [];
    for (const p of built.plans) {
      // a purchase order holds a bill per received delivery: parts are named by delivery, stable as more arrive
      const prefix = row.kind === "purchase_order" ? `${p.posId}/` : "";
      for (const d of p.documents)
        documents.push({
          ...d,
          part: `${prefix}${d.part}`,
          marker: `Tillbridge ${keyTag(p.key)} | key ${p.key} | part ${d.part}`,
        });
    }
    const txnDate = built.plans.map((p) => p.txnDate).sort()[0] ?? "";
    return { ok: true, plan: { txnDate, documents } };
  }

  return {
    tenantId,
    engineDeps,
    pos,
    build,
    discover: () => discoverTenant(s, tenantId, pos),
    recheckBlocked: () => recheckBlocked(s, tenantId, qboPort),
    async postContext() {
      const [posConn, port] = await Promise.all([getConnection(s.db, tenantId, "pos"), qboPort()]);
      if (!posConn || posConn.status === "disconnected") return new TillbridgeError("pos_not_connected");
      if (posConn.status === "needs_reconnect")
        return new TillbridgeError("pos_needs_reconnect", posConn.status_reason ?? "");
      if (port instanceof TillbridgeError) return port;
      const doc = await mappingsDoc;
      return { qbo: port, plan, mappingVersion: doc.version, mappings: doc.mappings };
    },
  };
}

/** Closures exist as sync items only once the POS announced or Tillbridge discovered them. */
export async function closureKnown(s: Services, tenantId: string, closureId: string): Promise<boolean> {
  return (await getClosureRecord(s.db, tenantId, closureId)) !== null;
}

export type { ObjectRef };
