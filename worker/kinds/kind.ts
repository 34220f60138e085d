import type { Mappings } from "../../shared/mappings";
import type { ObjectKind, QboEntity } from "../../shared/sync";
import type { BackfillRow } from "../db/backfills";
import type { SyncItemRow } from "../db/sync-items";
import type { LedgerContext, PostingPlan, PostingResult } from "../ledger";
import type { ChangedSale, PosChanges, PosPort } from "../pos/port";
import type { Services } from "../services";

/**
 * One kind of POS object Tillbridge posts: how it is found, sent on a click, loaded and built into
 * QBO drafts, and what re-send, drift and backfill need to know of it. The engine, status, preview,
 * re-send, drift check and backfill look kinds up in the registry (./index.ts) and never switch on
 * them. Everything optional is a thing some kinds simply do not do: a kind with no `discover` comes
 * only from clicks (or with another kind), one with no `onClick` is never sent by a person, one with
 * no `backfill` is not part of a backfill's date range.
 */
export interface Kind {
  readonly kind: ObjectKind;
  /** The QBO entities its documents can be (a backfill looks for earlier postings among them) */
  readonly entities: readonly QboEntity[];
  /** Records the objects that appeared since the last run; returns how many items were new. */
  discover?(d: Discovery): Promise<number>;
  /**
   * Objects of this kind Tillbridge already has an item for whose POS content changed with no new
   * version of their own (a sale voided after its closure posted): their postings are replaced by
   * themselves (sync/revise.ts, SPEC §4.4), with why in plain words for the audit trail.
   */
  changedSince?(d: Discovery): Promise<{ posId: string; reason: string }[]>;
  /** A person's click: checks the object exists and posts on its own, then returns its sync item. */
  onClick?(c: Click, posId: string): Promise<SyncItemRow>;
  /** Loads the object from the POS and runs the ledger: one posting, or several (a bill per delivery). */
  build(b: Build, posId: string): Promise<PostingResult[]>;
  /** The name a document's part keeps in the item (default: the ledger's own part name). */
  part?(plan: PostingPlan, part: string): string;
  /** What follows once an item of this kind is posted (objects waiting for its documents can go). */
  afterPosted?(x: { db: D1Database; now: Date }, row: SyncItemRow): Promise<void>;
  /** Objects of another kind whose documents apply to this one's (the payments of an on-account sale). */
  readonly appliedBy?: AppliedBy;
  /** Why a re-send cannot replace this kind's posting; absent: it can. */
  readonly cannotReplace?: string;
  /**
   * Objects whose QBO Payments may apply a credit on account to this one's documents (kinds/account-
   * credit.ts: a return's credit, to the sale's invoice and from the return's credit memo; a cancelled
   * layby's). QBO voids neither document under such a payment: a re-send deletes them first and
   * applies them again once this one's new documents are posted, as it does `appliedBy`'s.
   */
  creditsOn?(db: D1Database, tenantId: string, posId: string): Promise<{ kind: ObjectKind; posId: string }[]>;
  readonly backfill?: KindBackfill;
}

/**
 * Objects of `kind`, keyed `<this object's id>:<their id>`, post a `entity` applied to this object's
 * `to` document: they wait for it to be posted, are voided and posted again with it on a re-send,
 * and an `entity` applied to it in QBO rather than by Tillbridge shows on this object's badge.
 */
export interface AppliedBy {
  kind: ObjectKind;
  entity: QboEntity;
  to: QboEntity;
}

/** A run's discovery as every kind sees it: what changed in the POS, read once and shared. */
export interface Discovery {
  s: Services;
  tenantId: string;
  pos: PosPort;
  /** Objects dated before this day (the day Tillbridge connected) are left to a backfill. */
  syncFrom: string;
  /** When the POS was connected: a closure that closed before then belongs to the store's history. */
  connectedAt: string;
  /** What changed in the POS since its cursors: closures found by polling, sales, purchase orders. */
  changes(): Promise<PosChanges>;
  /** The sales stored since discovery last looked, whoever stored them, and the register sequences they name. */
  storedSales(): Promise<{ sales: ChangedSale[]; sequenceIds: ReadonlySet<string> }>;
  mappings(): Promise<Mappings>;
  /** Whether a scan of objects with no version cursor is due: true at most every `seconds` per `name`. */
  scanDue(name: string, seconds: number): Promise<boolean>;
  /** Records one object version (once, however often it is found); true when it is new. */
  record(kind: ObjectKind, posId: string, posVersion?: string): Promise<boolean>;
}

export interface Click {
  s: Services;
  tenantId: string;
  pos: PosPort;
  /** The object's current sync item, if Tillbridge has one. */
  existing: SyncItemRow | null;
}

export type Parties = { customerId?: string; vendorId?: string };

export interface Build {
  s: Services;
  tenantId: string;
  pos: PosPort;
  /** The mappings, QBO's reference data and the POS's lists, with `revision` set to the item's version. */
  ledger: LedgerContext;
  posVersion: string;
  /** Building to post (resolve customers, vendors and invoices in QBO); false for a preview or a diff. */
  resolve: boolean;
  /** Runs a ledger builder; when resolving and it needs a customer or vendor, finds or creates it and runs again. */
  withParties(run: (parties: Parties) => PostingResult): Promise<PostingResult>;
}

/** One object of a backfill's date range. */
export interface RangeObject {
  kind: ObjectKind;
  posId: string;
  /** The local business day it posts on (the outlet's time zone) */
  businessDate: string;
  /** Its place in the day when not its kind's rank: an object after another of its own kind that it waits for */
  rank?: number;
}

/** A backfill's date range, with the store's time zones, as each kind enumerates it. */
export interface HistoryRange {
  s: Services;
  tenantId: string;
  pos: PosPort;
  from: string;
  to: string;
  /** Text bounds wide enough for any time zone (`lo` ≤ any instant of the range's days ≤ `hi`) */
  lo: string;
  hi: string;
  inRange(day: string): boolean;
  zoneOfOutlet(outletId: string | null | undefined): string;
  outletOfRegister(registerId: string | null): string | null;
  /** The local business day of a POS instant in a time zone (null: no usable instant). */
  localDay(at: string | null | undefined, zone: string): string | null;
}

export interface KindBackfill {
  /** Posting order within a day: lower first (an invoice before the payments applied to it). */
  rank: number;
  /** The objects of the range (for some kinds, those of another kind with them); `notes` go into the audit line. */
  objectsIn?(r: HistoryRange): Promise<{ objects: RangeObject[]; notes?: string[] }>;
  /** The POS id the ledger keys this object's documents by, when it is not the item's (a payment: its own id). */
  keyId?(posId: string): string;
  /** What the backfill settles itself before releasing an object, by the merchant's choice. */
  settle?: BackfillSettle;
}

/**
 * A blocked state a backfill may resolve itself (a closure's counted totals never given, when the
 * merchant chose counted = expected). An existing item blocked on `blockedOn` is released again
 * rather than only followed; `run` returns true when it resolved it.
 */
export interface BackfillSettle {
  blockedOn(bf: BackfillRow): string | null;
  run(x: SettleContext, posId: string): Promise<boolean>;
}

export interface SettleContext {
  s: Services;
  tenantId: string;
  pos: PosPort;
  bf: BackfillRow;
}

/** A kind module's default export: checked against the interface, nothing more. */
export const defineKind = <K extends Kind>(kind: K): K => kind;

/** The heal key of an object waiting for another one's documents (`waiting_for` with mappingKey `<kind>:<id>`). */
export const waitingFor = (kind: ObjectKind, posId: string) => `waiting:${kind}:${posId}`;
