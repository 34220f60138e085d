/**
 * The write and read operations of the Accounting API, independent of HTTP so single requests and
 * batch items share them: create, update (full or sparse, SyncToken-checked), delete, void, read.
 */
import { amt } from "./amounts";
import { type Change, type ChangeOperation, pruneTombstones, tombstone } from "./changes";
import { refreshInvoices, prepareTxn } from "./documents";
import { type EntityInfo, entityInfo } from "./entities";
import { F } from "./faults";
import { balances, currentBalance } from "./ledger";
import { prepareList } from "./lists";
import { checkRefs } from "./refs";
import { checkSchema } from "./schema-check";
import { type Doc, type RealmState, clone, entityStore, getDoc, nextId } from "./state";

export type WriteOp = "create" | "update" | "delete" | "void";

export interface OpContext {
  now: Date;
  allowDuplicateDocNumber: boolean;
  /** Told of every change the operation makes (webhooks); CDC reads the records themselves */
  changed?: ((c: Change) => void) | undefined;
}

const READ_ONLY = ["Id", "SyncToken", "MetaData", "domain", "sparse", "status"];
const VOIDABLE = new Set(["Invoice", "SalesReceipt", "Payment", "RefundReceipt", "CreditMemo"]);

export function timestamp(d: Date): string {
  return d
    .toISOString()
    .replace(/\.\d{3}Z$/, "-00:00")
    .replace("Z", "-00:00");
}
const today = (d: Date) => d.toISOString().slice(0, 10);

export function writableEntity(name: string): EntityInfo {
  const info = entityInfo(name);
  if (!info) throw F.unsupportedOperation(`Could not find resource for relative : ${name}`);
  if (!info.writable) throw F.unsupportedOperation(`create/update on ${info.name} (use the TaxService endpoint)`);
  return info;
}

function closedOn(realm: RealmState, txnDate: unknown): void {
  const close = realm.preferences.AccountingInfoPrefs?.BookCloseDate as string | undefined;
  if (close && typeof txnDate === "string" && txnDate.slice(0, 10) <= close) throw F.periodClosed(close);
}

function existing(realm: RealmState, entity: string, body: Doc): Doc {
  if (body.Id === undefined || body.Id === null) throw F.required("Id");
  const doc = getDoc(realm, entity, String(body.Id));
  if (!doc) throw F.notFound(`${entity} Id ${String(body.Id)}`, "Id");
  if (body.SyncToken === undefined || body.SyncToken === null) throw F.required("SyncToken");
  if (String(body.SyncToken) !== String(doc.SyncToken)) throw F.stale(String(body.Id));
  return doc;
}

function prepare(realm: RealmState, info: EntityInfo, doc: Doc, ctx: OpContext, prev?: Doc): Doc {
  checkRefs(realm, doc);
  const selfId = prev?.Id as string | undefined;
  if (info.kind === "txn") {
    closedOn(realm, doc.TxnDate ?? today(ctx.now));
    return prepareTxn(realm, info.name, doc, {
      today: today(ctx.now),
      selfId,
      previousDocNumber: prev?.DocNumber as string | undefined,
      allowDuplicateDocNumber: ctx.allowDuplicateDocNumber,
    });
  }
  return prepareList(realm, info.name, doc, selfId);
}

/** What a write is, for webhooks: making a name-list record inactive is how QBO "deletes" it. */
function operationOf(entity: string, doc: Doc, prev: Doc | undefined): ChangeOperation {
  if (!prev) return "Create";
  if (entityInfo(entity)?.kind !== "txn" && prev.Active !== false && doc.Active === false) return "Delete";
  return "Update";
}

/** Stores a record already checked by QBO's rules as a new version, and reports the change. */
export function storeChange(realm: RealmState, entity: string, doc: Doc, operation: ChangeOperation, ctx: OpContext) {
  const prev = getDoc(realm, entity, String(doc.Id));
  return store(realm, entity, doc, prev, ctx, operation);
}

function store(
  realm: RealmState,
  entity: string,
  doc: Doc,
  prev: Doc | undefined,
  ctx: OpContext,
  operation = operationOf(entity, doc, prev),
): Doc {
  const at = timestamp(ctx.now);
  const id = prev ? (prev.Id as string) : nextId(realm);
  const stored: Doc = {
    ...doc,
    domain: "QBO",
    sparse: false,
    Id: id,
    SyncToken: prev ? String(Number(prev.SyncToken) + 1) : "0",
    MetaData: { CreateTime: prev?.MetaData?.CreateTime ?? at, LastUpdatedTime: at },
  };
  delete stored.status;
  entityStore(realm, entity)[id] = stored;
  refreshInvoices(realm);
  ctx.changed?.({ realmId: realm.realmId, entity, id, operation, at });
  return clone(entityStore(realm, entity)[id]!);
}

export function create(realm: RealmState, entityName: string, body: Doc, ctx: OpContext): Doc {
  const info = writableEntity(entityName);
  checkSchema(body, info.name);
  if (body.Id !== undefined && body.Id !== null) return update(realm, entityName, body, ctx);
  const doc = clone(body);
  for (const k of READ_ONLY) delete doc[k];
  return store(realm, info.name, prepare(realm, info, doc, ctx), undefined, ctx);
}

/**
 * The tax detail a sparse update without one keeps: the transaction tax code, and the amounts the caller
 * once overrode (they carry OverrideDeltaAmount) as long as the lines stay; the rest is recomputed.
 */
function keptTaxDetail(prev: Doc, linesChanged: boolean): Doc | undefined {
  const kept: Doc = {};
  if (prev.TxnTaxDetail?.TxnTaxCodeRef) kept.TxnTaxCodeRef = prev.TxnTaxDetail.TxnTaxCodeRef;
  const overridden = ((prev.TxnTaxDetail?.TaxLine ?? []) as Doc[]).filter(
    (l) => l.TaxLineDetail?.OverrideDeltaAmount !== undefined,
  );
  if (!linesChanged && overridden.length > 0) kept.TaxLine = clone(overridden);
  return Object.keys(kept).length > 0 ? kept : undefined;
}

export function update(realm: RealmState, entityName: string, body: Doc, ctx: OpContext): Doc {
  const info = writableEntity(entityName);
  checkSchema(body, info.name);
  const prev = existing(realm, info.name, body);
  if (info.kind === "txn") closedOn(realm, prev.TxnDate);
  const given = clone(body);
  for (const k of READ_ONLY) delete given[k];
  // Sparse: only the given top-level fields change. Full: the request is the whole new record.
  const merged: Doc = body.sparse === true ? { ...clone(prev), ...given } : given;
  for (const k of READ_ONLY) delete merged[k];
  // Computed fields are QBO's; only a Payment's TotalAmt is the caller's.
  const computed =
    info.name === "Payment" ? ["UnappliedAmt"] : ["TotalAmt", "Balance", "RemainingCredit", "UnappliedAmt"];
  if (info.kind === "txn") for (const k of computed) delete merged[k];
  if (info.kind === "txn" && body.sparse === true && !("TxnTaxDetail" in given))
    merged.TxnTaxDetail = keptTaxDetail(prev, "Line" in given);
  if (merged.TxnTaxDetail === undefined) delete merged.TxnTaxDetail;
  return store(realm, info.name, prepare(realm, info, merged, ctx, prev), prev, ctx);
}

export function remove(realm: RealmState, entityName: string, body: Doc, ctx: OpContext): Doc {
  const info = writableEntity(entityName);
  checkSchema(body, info.name);
  if (info.kind !== "txn") throw F.unsupportedOperation(`delete on ${info.name} (make it inactive with Active false)`);
  const prev = existing(realm, info.name, body);
  closedOn(realm, prev.TxnDate);
  if (info.name === "Invoice" && (prev.LinkedTxn ?? []).some((l: Doc) => l.TxnType === "Payment")) {
    throw F.business(`Invoice ${prev.Id as string} has payments applied; delete or void the payments first`, "Id");
  }
  if (info.name === "CreditMemo" && (prev.LinkedTxn ?? []).some((l: Doc) => l.TxnType === "Payment")) {
    throw F.business(`Credit memo ${prev.Id as string} is applied by payments; delete or void them first`, "Id");
  }
  delete entityStore(realm, info.name)[prev.Id as string];
  refreshInvoices(realm);
  const at = timestamp(ctx.now);
  pruneTombstones(realm, ctx.now.getTime());
  tombstone(realm, info.name, String(prev.Id), at);
  ctx.changed?.({ realmId: realm.realmId, entity: info.name, id: String(prev.Id), operation: "Delete", at });
  return { Id: prev.Id, status: "Deleted", domain: "QBO" };
}

export function voidTxn(realm: RealmState, entityName: string, body: Doc, ctx: OpContext): Doc {
  const info = writableEntity(entityName);
  checkSchema(body, info.name);
  if (!VOIDABLE.has(info.name)) throw F.unsupportedOperation(`void on ${info.name}`);
  const prev = existing(realm, info.name, body);
  closedOn(realm, prev.TxnDate);
  if (info.name === "Invoice" && (prev.LinkedTxn ?? []).some((l: Doc) => l.TxnType === "Payment")) {
    throw F.business(`Invoice ${prev.Id as string} has payments applied; void the payments first`, "Id");
  }
  if (info.name === "CreditMemo" && (prev.LinkedTxn ?? []).some((l: Doc) => l.TxnType === "Payment")) {
    throw F.business(`Credit memo ${prev.Id as string} is applied by payments; void them first`, "Id");
  }
  const voided = clone(prev);
  // QBO keeps the record, zeroes every amount and says so in the memo.
  for (const line of (voided.Line ?? []) as Doc[]) {
    line.Amount = 0;
    const detail = line[line.DetailType as string] as Doc | undefined;
    if (detail && "Qty" in detail) detail.Qty = 0;
    if (detail && "TaxInclusiveAmt" in detail) detail.TaxInclusiveAmt = 0;
  }
  if (voided.TxnTaxDetail) {
    voided.TxnTaxDetail.TotalTax = 0;
    for (const l of (voided.TxnTaxDetail.TaxLine ?? []) as Doc[]) {
      l.Amount = 0;
      if (l.TaxLineDetail) l.TaxLineDetail.NetAmountTaxable = 0;
    }
  }
  for (const k of ["TotalAmt", "Balance", "RemainingCredit", "UnappliedAmt", "HomeTotalAmt"])
    if (k in voided) voided[k] = amt(0);
  voided.PrivateNote = prev.PrivateNote ? `Voided - ${prev.PrivateNote as string}` : "Voided";
  voided.TxnStatus = "Voided";
  return store(realm, info.name, voided, prev, ctx, "Void");
}

/** A stored record as the API returns it (accounts carry their current balance). */
export function present(realm: RealmState, entity: string, doc: Doc, bal?: Map<string, number>): Doc {
  const out = clone(doc);
  if (entity === "Account" && ["Asset", "Liability", "Equity"].includes(doc.Classification as string)) {
    const b = (bal ?? balances(realm)).get(doc.Id as string) ?? 0;
    out.CurrentBalance = amt(currentBalance(doc, b));
    out.CurrentBalanceWithSubAccounts = out.CurrentBalance;
  }
  return out;
}

export function read(realm: RealmState, entityName: string, id: string): { entity: string; doc: Doc } {
  const info = entityInfo(entityName);
  if (!info) throw F.unsupportedOperation(`Could not find resource for relative : ${entityName}`);
  const doc = getDoc(realm, info.name, id);
  if (!doc) throw F.notFound(`${info.name} Id ${id}`, "Id");
  return { entity: info.name, doc: present(realm, info.name, doc) };
}
