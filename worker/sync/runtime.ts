import { TillbridgeError } from "../../shared/errors";
import { getSetup, isHeld } from "../db/setup";
import type { ObjectKind, ObjectRef } from "../../shared/sync";
import { getConnection } from "../db/connections";
import { getMappings } from "../db/mappings";
import type { SyncItemRow } from "../db/sync-items";
import { kindOf } from "../kinds";
import type { Build, Parties } from "../kinds/kind";
import {
  customerDisplayName,
  keyTag,
  vendorDisplayName,
  type Blocker,
  type LedgerContext,
  type PostingPlan,
  type PostingResult,
} from "../ledger";
import { createPosConnector, type PosPort } from "../pos/port";
import { openQboPort, type QboPort } from "../qbo/port";
import type { Services } from "../services";
import type { MappingsDocument } from "../../shared/api";
import { discoverTenant, recheckBlocked } from "./discover";
import type { EngineDeps, PostContext } from "./engine";
import type { PlanOutcome, PlannedDocument } from "./plan";

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
  // worded in each language only when every blocker says what it is about (else `detail` says it all)
  const about = blockers.every((b) => b.about) ? blockers.map((b) => b.about!) : undefined;
  return new TillbridgeError(first.code, detail.slice(0, 2000), {
    ...(first.mappingKey ? { mappingKey: first.mappingKey } : {}),
    ...(about ? { about } : {}),
  });
}

export async function openTenant(s: Services, tenantId: string, actor: string): Promise<TenantRuntime> {
  const pos = createPosConnector(s, tenantId);
  const qboPort = lazyQboPort(s, tenantId);
  const mappingsDoc = getMappings(s.db, tenantId);
  const build = builder({ s, tenantId, pos, qboPort, ledger: ledgerContext(tenantId, mappingsDoc, pos) });
  return {
    tenantId,
    engineDeps: {
      db: s.db,
      now: s.now,
      log: s.log.child({ tenant: tenantId }),
      random: Math.random,
      owner: ownerId(actor),
      actor,
    },
    pos,
    build,
    discover: () => discoverTenant(s, tenantId, pos),
    recheckBlocked: () => recheckBlocked(s, tenantId, qboPort),
    postContext: () => postContext(s, tenantId, qboPort, mappingsDoc, build),
  };
}

/** The QBO port, opened once on first use; a connection that cannot be used is its error. */
function lazyQboPort(s: Services, tenantId: string): () => Promise<QboPort | TillbridgeError> {
  let qbo: Promise<QboPort | TillbridgeError> | undefined;
  return () =>
    (qbo ??= openQboPort(s, tenantId).then(
      (p): QboPort => p,
      (e) =>
        e instanceof TillbridgeError
          ? e
          : new TillbridgeError("qbo_transient", e instanceof Error ? e.message : String(e)),
    ));
}

/**
 * The ledger's context, read once: the mappings, QBO's reference data and the POS's lists. The POS
 * lists are read again (once per run) when a posting names a payment type, tax, category or outlet
 * they do not know: the POS added it after they were cached.
 */
function ledgerContext(tenantId: string, mappingsDoc: Promise<MappingsDocument>, pos: PosPort): LedgerSource {
  let ctx: Promise<LedgerContext> | undefined;
  let reloaded = false;
  const read = (port: QboPort, reload: boolean) =>
    (async () => {
      const [doc, refs, lists] = await Promise.all([mappingsDoc, port.refs(), pos.referenceLists({ reload })]);
      return { tenantId, mappings: doc.mappings, mappingVersion: doc.version, refs, ...lists };
    })();
  return {
    get: (port) => (ctx ??= read(port, false)),
    async reloadPosLists(port) {
      if (reloaded) return false;
      reloaded = true;
      ctx = read(port, true);
      await ctx;
      return true;
    },
  };
}

interface LedgerSource {
  get(port: QboPort): Promise<LedgerContext>;
  /** Reads the POS lists again, at most once per run; false when already done. */
  reloadPosLists(port: QboPort): Promise<boolean>;
}

const LIST_OF_KEY = {
  paymentTypes: "paymentTypes",
  taxes: "taxes",
  categories: "categories",
  outlets: "outlets",
} as const;

/** A blocker waiting on a mapping for a POS thing the lists do not have: the lists are behind the POS. */
export function namesUnknownPosThing(b: Blocker, ctx: Pick<LedgerContext, keyof typeof LIST_OF_KEY>): boolean {
  if (b.code !== "needs_mapping" || !b.mappingKey) return false;
  const dot = b.mappingKey.indexOf(".");
  const list = LIST_OF_KEY[b.mappingKey.slice(0, dot) as keyof typeof LIST_OF_KEY];
  if (!list) return false;
  const id = b.mappingKey.slice(dot + 1);
  return !(ctx[list] as readonly { id: string }[]).some((x) => x.id === id);
}

/** Runs a ledger builder; when it needs a customer/vendor and `resolve` is set, finds or creates it and runs again. */
async function withParties(
  port: QboPort,
  resolve: boolean,
  run: (resolved: Parties) => PostingResult,
): Promise<PostingResult> {
  const first = run({});
  if (!first.ok || !resolve) return first;
  const { customer, vendor } = first.plan.needs;
  if (!customer && !vendor) return first;
  const resolved: Parties = {};
  if (customer) resolved.customerId = await port.findOrCreateCustomer(customer, customerDisplayName(customer));
  if (vendor) resolved.vendorId = await port.findOrCreateVendor(vendor, vendorDisplayName(vendor));
  return run(resolved);
}

/** Builds an object's postings through its kind: the engine's, the preview's and the re-send diff's one way. */
function builder(t: {
  s: Services;
  tenantId: string;
  pos: PosPort;
  qboPort: () => Promise<QboPort | TillbridgeError>;
  ledger: LedgerSource;
}): TenantRuntime["build"] {
  return async (kind, posId, posVersion, opts) => {
    const port = await t.qboPort();
    if (port instanceof TillbridgeError) throw port;
    const once = async () => {
      const ledger = await t.ledger.get(port);
      const b: Build = {
        s: t.s,
        tenantId: t.tenantId,
        pos: t.pos,
        ledger: { ...ledger, revision: posVersion },
        posVersion,
        resolve: opts.resolve,
        withParties: (run) => withParties(port, opts.resolve, run),
      };
      const results = await kindOf(kind).build(b, posId);
      return { ledger, results, blockers: results.flatMap((r) => (r.ok ? [] : r.blockers)) };
    };
    let built = await once();
    if (built.blockers.some((b) => namesUnknownPosThing(b, built.ledger)) && (await t.ledger.reloadPosLists(port)))
      built = await once();
    const { results, blockers } = built;
    if (blockers.length > 0) return { ok: false, blockers, error: blockersError(blockers) };
    return { ok: true, plans: results.map((r) => (r as { ok: true; plan: PostingPlan }).plan) };
  };
}

/** An item's documents as the engine sends them: named by the kind, each marked so it can be found again. */
async function plan(build: TenantRuntime["build"], row: SyncItemRow): Promise<PlanOutcome> {
  const built = await build(row.kind as ObjectKind, row.pos_id, row.pos_version, { resolve: true });
  if (!built.ok) return { ok: false, error: built.error };
  const kind = kindOf(row.kind);
  const documents: PlannedDocument[] = built.plans.flatMap((p) =>
    p.documents.map((d) => ({
      ...d,
      part: kind.part ? kind.part(p, d.part) : d.part,
      marker: `Tillbridge ${keyTag(p.key)} | key ${p.key} | part ${d.part}`,
    })),
  );
  const txnDate = built.plans.map((p) => p.txnDate).sort()[0] ?? "";
  return { ok: true, plan: { txnDate, documents } };
}

async function postContext(
  s: Services,
  tenantId: string,
  qboPort: () => Promise<QboPort | TillbridgeError>,
  mappingsDoc: Promise<MappingsDocument>,
  build: TenantRuntime["build"],
): Promise<PostContext | TillbridgeError> {
  const [posConn, port, setup] = await Promise.all([
    getConnection(s.db, tenantId, "pos"),
    qboPort(),
    getSetup(s.db, tenantId),
  ]);
  if (!posConn || posConn.status === "disconnected") return new TillbridgeError("pos_not_connected");
  if (posConn.status === "needs_reconnect")
    return new TillbridgeError("pos_needs_reconnect", posConn.status_reason ?? "");
  if (port instanceof TillbridgeError) return port;
  // a store in its guided setup posts nothing before a person has seen its first closure and said go
  if (isHeld(setup)) return new TillbridgeError("not_live");
  const doc = await mappingsDoc;
  return { qbo: port, plan: (row) => plan(build, row), mappingVersion: doc.version, mappings: doc.mappings };
}

export type { ObjectRef };
