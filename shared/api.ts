import { z } from "zod";
import { PAYMENT_ROLES } from "./mapping-catalog";
import { Mappings } from "./mappings";
import { ObjectKind, ObjectRef, ObjectStatus, PostedDoc, SyncState } from "./sync";
import { About, ErrorCode, Lang } from "./errors";

/** A real calendar day, YYYY-MM-DD (2026-02-30 is refused, not rolled over). */
export function isCalendarDate(d: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return false;
  const ms = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === d;
}
const IsoDate = z.string().refine(isCalendarDate, "not a calendar date");

/**
 * The Worker's HTTP API: the one typed contract both programs use. Every /api route needs the
 * extension's session (Authorization: Bearer tbs_…) and acts on that session's tenant only.
 * Errors answer with shared/errors.ts ApiError.
 */

// ---- sessions and connections -------------------------------------------------------------------

/** POST /auth/pos/start → the POS authorize URL (the extension opens it in a tab). */
export const PosConnectRequest = z.object({
  /** Where the Worker sends the browser back: an extension page (must be an allowed extension origin) */
  returnTo: z.string().url().max(500),
  /** SHA-256 (hex) of a random nonce the extension keeps; it proves the handoff code is its own */
  nonceHash: z.string().regex(/^[0-9a-f]{64}$/),
});
export const ConnectResponse = z.object({ authorizeUrl: z.string().url() });

/** POST /auth/session: exchange the one-time code from the POS callback (+ the nonce) for a session. */
export const SessionExchangeRequest = z.object({
  code: z.string().min(20).max(200),
  nonce: z.string().min(20).max(200),
  /** The guided setup: hold the store's postings until a person has seen its first closure and gone live */
  reviewFirst: z.boolean().optional(),
});
export const SessionResponse = z.object({
  session: z.string(),
  tenantId: z.string(),
  storeName: z.string(),
  expiresAt: z.string(),
});

export const QboConnectRequest = z.object({ returnTo: z.string().url().max(500) });

export const ConnectionStatus = z.object({
  status: z.enum(["connected", "needs_reconnect", "disconnected", "not_connected"]),
  externalId: z.string().optional(), // realmId / domain_prefix
  displayName: z.string().optional(), // company / store name
  environment: z.string().optional(),
  connectedAt: z.string().optional(),
  reason: z.string().optional(),
});
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

/** GET /api/me */
export const MeResponse = z.object({
  tenantId: z.string(),
  storeName: z.string(),
  pos: ConnectionStatus,
  qbo: ConnectionStatus,
  counts: z.record(SyncState, z.number().int()),
});
export type MeResponse = z.infer<typeof MeResponse>;

// ---- status, send, retry ------------------------------------------------------------------------

/** POST /api/status: the states of many objects in one request (one per page view). */
export const StatusRequest = z.object({ objects: z.array(ObjectRef).min(1).max(500) });
export const StatusResponse = z.object({ objects: z.array(ObjectStatus) });
export type StatusResponse = z.infer<typeof StatusResponse>;

/** POST /api/sync/send and /api/sync/retry: answer at once with the job's state. */
export const SendRequest = ObjectRef;
export const SendResponse = z.object({ object: ObjectStatus });

/**
 * POST /api/sync/resolve: a person's choice for an item that waits on them. `post_in_open_period`
 * (an item blocked by closed_period): its documents are dated the first open day after the books'
 * closing date, the original date kept in the PrivateNote; `txnDate` is that day (null when the
 * books had opened meanwhile and the documents keep their own dates).
 */
export const ResolveRequest = ObjectRef.extend({ action: z.enum(["post_in_open_period"]) });
export const ResolveResponse = z.object({ object: ObjectStatus, txnDate: z.string().nullable() });

// ---- guided setup -------------------------------------------------------------------------------

/**
 * GET /api/setup, POST /api/setup/go-live: where the store stands in the guided setup. A store first
 * connected through the extension is `held` (nothing posts) until a person goes live; `firstClosure`
 * is the first closure Tillbridge met since the store was connected, the one the setup previews.
 */
export const SetupResponse = z.object({
  held: z.boolean(),
  liveAt: z.string().nullable(),
  liveBy: z.string().nullable(),
  firstClosure: z.object({ posId: z.string(), name: z.string().nullable(), state: SyncState }).nullable(),
  /** Objects released by this go-live (0 on GET) */
  released: z.number().int().nonnegative(),
  /** The store's time zone, for showing when it went live */
  timeZone: z.string(),
});
export type SetupResponse = z.infer<typeof SetupResponse>;

// ---- mappings -----------------------------------------------------------------------------------

export const MappingsDocument = z.object({
  version: z.number().int().nonnegative(),
  mappings: Mappings,
  updatedAt: z.string().optional(),
  updatedBy: z.string().optional(),
});
export type MappingsDocument = z.infer<typeof MappingsDocument>;

/** PUT /api/mappings: `version` is the version being replaced (optimistic concurrency) */
export const SaveMappingsRequest = z.object({ version: z.number().int().nonnegative(), mappings: Mappings });

const Option = z.object({
  id: z.string(),
  name: z.string(),
  detail: z.string().optional(),
  active: z.boolean().default(true),
});
export type Option = z.infer<typeof Option>;

/** GET /api/mappings/options[?reload=1]: what the drop-downs offer, from both systems. */
export const MappingOptions = z.object({
  qbo: z.object({
    companyName: z.string(),
    country: z.string(),
    accounts: z.array(Option.extend({ accountType: z.string(), accountSubType: z.string().nullable() })),
    items: z.array(Option.extend({ type: z.string(), incomeAccountId: z.string().nullable() })),
    taxCodes: z.array(Option),
    classes: z.array(Option),
    departments: z.array(Option),
    customers: z.array(Option),
    fetchedAt: z.string(),
  }),
  pos: z.object({
    paymentTypes: z.array(Option.extend({ deleted: z.boolean() })),
    categories: z.array(Option),
    taxes: z.array(Option),
    outlets: z.array(Option),
  }),
  /**
   * QBO cannot be read (not connected, or its connection needs to be made again): the lists are the
   * last ones read (qbo.fetchedAt says when; empty when none was ever read) and the mappings are shown
   * read-only until QBO is connected again.
   */
  offline: z.object({ code: ErrorCode }).optional(),
});
export type MappingOptions = z.infer<typeof MappingOptions>;

/** GET /api/mappings/unmapped: what is missing and what it blocks. */
export const UnmappedResponse = z.object({
  missing: z.array(
    z.object({
      mappingKey: z.string(), // e.g. "paymentTypes.<posId>", "items.discount"
      label: z.string(), // "payment type 'Afterpay'"
      required: z.boolean(), // needed before anything of its kind can post
      blockedCount: z.number().int(), // sync items waiting on it now
      blocks: z.array(ObjectKind), // kinds of postings it blocks
    }),
  ),
});
export type UnmappedResponse = z.infer<typeof UnmappedResponse>;

/** GET /api/mappings/suggestions: a proposed value per unmapped key, with why. */
export const SuggestionsResponse = z.object({
  suggestions: z.array(z.object({ mappingKey: z.string(), value: z.unknown(), label: z.string(), why: z.string() })),
});

/** POST /api/mappings/create-standard: create the standard accounts and items in QBO (idempotent). */
export const CreateStandardResponse = z.object({
  created: z.array(z.object({ entity: z.string(), id: z.string(), name: z.string() })),
  existing: z.array(z.object({ entity: z.string(), id: z.string(), name: z.string() })),
  mappings: MappingsDocument,
});

// ---- preview, closures, audit -------------------------------------------------------------------

export const VarianceRow = z.object({
  line: z.string(),
  label: z.string(),
  posMinor: z.number().int(),
  postedMinor: z.number().int(),
  diffMinor: z.number().int(),
});
export type VarianceRow = z.infer<typeof VarianceRow>;

/** GET /api/preview?kind=&posId=: exactly what would be posted, the variance, and what blocks it. */
/** GET /api/preview/recent?kind=: the objects Tillbridge met lately, to preview one without typing its id. */
export const RecentObjectsResponse = z.object({
  objects: z.array(
    z.object({
      kind: ObjectKind,
      posId: z.string(),
      name: z.string().nullable(),
      state: SyncState,
      txnDate: z.string().nullable(),
    }),
  ),
});
export type RecentObjectsResponse = z.infer<typeof RecentObjectsResponse>;

/** A document as a bookkeeper reads it: each account it debits or credits, in cents (worker/reports/debits-credits.ts). */
export const JournalView = z.object({
  lines: z.array(
    z.object({
      account: z.string(),
      accountId: z.string().nullable(),
      memo: z.string(),
      debitMinor: z.number().int().nonnegative(),
      creditMinor: z.number().int().nonnegative(),
    }),
  ),
  debitMinor: z.number().int(),
  creditMinor: z.number().int(),
});
export type JournalView = z.infer<typeof JournalView>;

export const PreviewResponse = z.object({
  kind: ObjectKind,
  posId: z.string(),
  state: SyncState,
  txnDate: z.string().optional(),
  documents: z.array(
    z.object({
      part: z.string(),
      entity: z.string(),
      docNumber: z.string().optional(),
      body: z.unknown(),
      /** The document as debits and credits by account (absent when QBO's lists could not be read) */
      journal: JournalView.optional(),
    }),
  ),
  summary: z.array(z.object({ label: z.string(), amountMinor: z.number().int() })),
  variance: z.array(VarianceRow),
  blockers: z.array(
    z.object({ code: ErrorCode, message: z.string(), action: z.string(), mappingKey: z.string().optional() }),
  ),
  posted: z.array(PostedDoc),
});
export type PreviewResponse = z.infer<typeof PreviewResponse>;

/** POST /api/closures/:id/counted: counted totals read from the back office's closure summary page. */
export const CountedTotalsRequest = z.object({
  registerId: z.string().min(1).max(100).optional(),
  sequenceNumber: z.number().int().optional(),
  payments: z
    .array(
      z.object({
        paymentTypeId: z.string().min(1).max(100).optional(),
        name: z.string().min(1).max(200),
        countedMinor: z.number().int(),
      }),
    )
    .min(1)
    .max(50),
});

export const AuditQuery = z.object({
  from: z.string().optional(),
  to: z.string().optional(),
  kind: ObjectKind.optional(),
  action: z.string().max(40).optional(),
  posId: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export const AuditEntryOut = z.object({
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  kind: z.string().nullable(),
  posId: z.string().nullable(),
  posVersion: z.string().nullable(),
  qboEntity: z.string().nullable(),
  qboId: z.string().nullable(),
  payloadHash: z.string().nullable(),
  detail: z.string().nullable(),
  /** The object's own name in the POS ("Register 1 #31", a PO's number), when known */
  posName: z.string().nullable().optional(),
  /** A block, failure or refusal: its reason in the request's language */
  reason: z.object({ code: ErrorCode, message: z.string(), action: z.string() }).nullable().optional(),
});
export const AuditResponse = z.object({
  entries: z.array(AuditEntryOut),
  /** The store's time zone: the page shows times in it */
  timeZone: z.string().optional(),
});
export type AuditResponse = z.infer<typeof AuditResponse>;

// ---- backfill -----------------------------------------------------------------------------------

export const BackfillRequest = z.object({
  from: IsoDate,
  to: IsoDate,
  /**
   * Past closures whose counted totals the POS never gave: "expected" posts them with counted =
   * expected (no till discrepancy, said in the audit trail); "wait" posts each once its summary page
   * has been opened in the back office.
   */
  counted: z.enum(["expected", "wait"]).default("expected"),
});
export const Backfill = z.object({
  id: z.number().int(),
  from: z.string(),
  to: z.string(),
  status: z.enum(["running", "paused", "done", "cancelled"]),
  total: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  remaining: z.number().int(),
  etaSeconds: z.number().int().nullable(),
  createdAt: z.string(),
});
export const BackfillResponse = z.object({ backfill: Backfill.nullable() });

/** GET /api/mappings/changes: every saved version, who saved it and when, with before and after */
export const MappingChangesResponse = z.object({
  changes: z.array(
    z.object({ version: z.number().int(), actor: z.string(), at: z.string(), before: Mappings, after: Mappings }),
  ),
});

// ---- re-send, drift, liability roll-forward ------------------------------------------------------

/** GET /api/revisions/diff?kind=&posId= and POST /api/revisions/replace */
export const RevisionQuery = ObjectRef;
const DiffSide = z.object({ ref: z.string(), refName: z.string(), amountMinor: z.number().int() });
export const LineDiff = z.object({
  /** What the line is for (its description), the same on both sides */
  key: z.string(),
  old: DiffSide.nullable(),
  new: DiffSide.nullable(),
  change: z.enum(["same", "changed", "added", "removed"]),
});
export type LineDiff = z.infer<typeof LineDiff>;
export const DocumentDiff = z.object({
  part: z.string(),
  /** The document in QBO now (its status as the drift check would see it), null when there was none */
  old: z
    .object({
      entity: z.string(),
      id: z.string(),
      docNumber: z.string().optional(),
      txnDate: z.string().nullable(),
      totalMinor: z.number().int(),
      status: z.enum(["live", "voided", "deleted"]),
    })
    .nullable(),
  /** What Tillbridge would post now, null when the part is no longer needed */
  new: z
    .object({
      entity: z.string(),
      docNumber: z.string().optional(),
      txnDate: z.string().nullable(),
      totalMinor: z.number().int(),
    })
    .nullable(),
  changed: z.boolean(),
  lines: z.array(LineDiff),
});
export type DocumentDiff = z.infer<typeof DocumentDiff>;
export const RevisionDiffResponse = z.object({
  kind: ObjectKind,
  posId: z.string(),
  /** The version posted now, and the one a replacement would post */
  posVersion: z.string(),
  nextVersion: z.string(),
  changed: z.boolean(),
  documents: z.array(DocumentDiff),
  blockers: z.array(
    z.object({ code: ErrorCode, message: z.string(), action: z.string(), mappingKey: z.string().optional() }),
  ),
  /** Objects re-posted with it (a sale's payments follow its invoice) */
  related: z.array(ObjectRef),
});
export type RevisionDiffResponse = z.infer<typeof RevisionDiffResponse>;
/** `fromVersion`: the version the person saw in the diff; a second click for it answers the first result */
export const ReplaceRequest = ObjectRef.extend({ fromVersion: z.string().min(1).max(40).optional() });
export const ReplaceResponse = z.object({
  object: ObjectStatus,
  fromVersion: z.string(),
  toVersion: z.string(),
  voided: z.array(
    z.object({
      kind: ObjectKind,
      posId: z.string(),
      part: z.string(),
      entity: z.string(),
      id: z.string(),
      how: z.enum(["void", "delete", "gone"]),
    }),
  ),
  related: z.array(ObjectStatus),
});
export type ReplaceResponse = z.infer<typeof ReplaceResponse>;

/** GET /api/reports/liabilities?from=&to= (dates in the store's time zone, both included) */
export const LiabilitiesQuery = z
  .object({ from: IsoDate, to: IsoDate })
  .refine((q) => q.from <= q.to, { message: "from must not be after to", path: ["to"] });
const Movements = { issuedMinor: z.number().int(), redeemedMinor: z.number().int(), expiredMinor: z.number().int() };
export const LiabilityRow = z.object({
  liability: z.enum(["gift_card", "store_credit"]),
  account: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** The POS's own transactions: opening + issued − redeemed − expired + other = closing */
  pos: z.object({
    openingMinor: z.number().int(),
    ...Movements,
    otherMinor: z.number().int(),
    closingMinor: z.number().int(),
    balanceNowMinor: z.number().int(),
  }),
  /** Tillbridge's postings dated in the period, as QBO holds them; `waiting` = items not posted yet */
  posted: z.object({
    ...Movements,
    netMinor: z.number().int(),
    documents: z.number().int(),
    waiting: z.number().int(),
  }),
  /** The liability account's balance in QBO (now) */
  qbo: z.object({ balanceMinor: z.number().int().nullable(), asOf: z.string() }),
  differences: z.array(
    z.object({
      line: z.string(),
      label: z.string(),
      posMinor: z.number().int(),
      otherMinor: z.number().int(),
      diffMinor: z.number().int(),
    }),
  ),
});
export type LiabilityRow = z.infer<typeof LiabilityRow>;
export const LiabilitiesResponse = z.object({
  from: IsoDate,
  to: IsoDate,
  timeZone: z.string(),
  syncFrom: z.string().nullable(),
  liabilities: z.array(LiabilityRow),
});
export type LiabilitiesResponse = z.infer<typeof LiabilitiesResponse>;

/**
 * GET /api/reports/inventory: the Inventory Asset roll-forward (SPEC §4.5) over [from, to] (business
 * days): opening + bills − cost of goods sold − supplier returns ± stocktakes ± adjustments (+ other)
 * = closing, from what Tillbridge posted to the Inventory Asset account (read back from QBO); beside
 * the account's balance in QBO now and the POS's own inventory value now, with their difference.
 */
export const InventoryRollForwardResponse = z.object({
  from: IsoDate,
  to: IsoDate,
  account: z.object({ id: z.string(), name: z.string() }).nullable(),
  books: z.object({
    openingMinor: z.number().int(),
    billsMinor: z.number().int(),
    cogsMinor: z.number().int(),
    supplierReturnsMinor: z.number().int(),
    stocktakesMinor: z.number().int(),
    adjustmentsMinor: z.number().int(),
    otherMinor: z.number().int(),
    closingMinor: z.number().int(),
    /** Documents dated in the period that touched the account */
    documents: z.number().int(),
    /** Items dated in the period still on their way (not posted yet) */
    waiting: z.number().int(),
  }),
  qbo: z.object({ balanceMinor: z.number().int().nullable(), asOf: z.string() }),
  pos: z.object({ valueNowMinor: z.number().int(), products: z.number().int() }),
  differences: z.array(
    z.object({
      line: z.string(),
      label: z.string(),
      posMinor: z.number().int(),
      otherMinor: z.number().int(),
      diffMinor: z.number().int(),
    }),
  ),
});
export type InventoryRollForwardResponse = z.infer<typeof InventoryRollForwardResponse>;

/** GET /api/reports/drift: documents the drift check found changed in QBO */
export const DriftResponse = z.object({
  documents: z.array(
    z.object({
      kind: ObjectKind,
      posId: z.string(),
      part: z.string(),
      entity: z.string(),
      id: z.string(),
      docNumber: z.string().nullable(),
      status: z.enum(["edited", "voided", "deleted"]),
      detail: z.string().nullable(),
      flaggedAt: z.string().nullable(),
      checkedAt: z.string(),
      /** The object's own name in the POS ("Register 1 #31"), when known */
      posName: z.string().nullable().optional(),
    }),
  ),
  /** The store's time zone: the page shows times in it */
  timeZone: z.string().optional(),
});
export type DriftResponse = z.infer<typeof DriftResponse>;

/** GET /api/reports/reconciliation?from=&to=: per day and payment type, closures only (dates in the store's zone) */
export const ReconciliationQuery = LiabilitiesQuery;
export const ReconciliationRow = z.object({
  /** The closures' business day (the day they opened, in the store's time zone) */
  date: IsoDate,
  paymentTypeId: z.string(),
  name: z.string(),
  /** How the mappings treat it; null when it is not mapped */
  role: z.enum(PAYMENT_ROLES).nullable(),
  /** The QBO account its money lands in (deposit types) */
  account: z.object({ id: z.string(), name: z.string() }).nullable(),
  closures: z.number().int(),
  /** Taken in the POS (the closures' expected totals) */
  takenMinor: z.number().int(),
  /** Counted at closing; `countedUnknown` closures have no counted figure yet (left out of the sum) */
  countedMinor: z.number().int(),
  countedUnknown: z.number().int(),
  /** Posted to the deposit account by Tillbridge, as QBO holds the journal entries now (deposit types only) */
  postedMinor: z.number().int().nullable(),
  /** Closures of that day not posted yet */
  waiting: z.number().int(),
});
export type ReconciliationRow = z.infer<typeof ReconciliationRow>;
export const ReconciliationResponse = z.object({
  from: IsoDate,
  to: IsoDate,
  timeZone: z.string(),
  rows: z.array(ReconciliationRow),
});
export type ReconciliationResponse = z.infer<typeof ReconciliationResponse>;

// ---- needs attention -----------------------------------------------------------------------------

/** One object that will not post without someone: blocked (waits for a fix), failed (retried by itself), rejected. */
export const AttentionItem = z.object({
  kind: ObjectKind,
  posId: z.string(),
  /** The object's own name in the POS ("Register 1 #31", "MTL-1003", a sale's invoice number); null when unknown */
  posName: z.string().nullable(),
  state: z.enum(["blocked", "failed", "rejected"]),
  reason: z.object({
    code: ErrorCode,
    /** Plain words in the request's language, and what to do */
    message: z.string(),
    action: z.string(),
    /** The machine detail (English; QBO's verbatim text, ids) */
    detail: z.string().nullable(),
    /** The options page section that holds the fix, when there is one */
    fixAt: z.string().nullable(),
    /** What it waits on ("mapping:paymentTypes.pt-1", "counted", "closed_period") */
    blockedOn: z.string().nullable(),
    /** What it is about, for a client to word in its own language (`detail` then holds the English words) */
    about: z.array(About).max(20).optional(),
  }),
  attempts: z.number().int().nonnegative(),
  /** Stuck since (its last change), its last try and, for a failed one, its next automatic try */
  since: z.string(),
  lastTryAt: z.string().nullable(),
  nextTryAt: z.string().nullable(),
  txnDate: z.string().nullable(),
  amountMinor: z.number().int().nullable(),
  /** The object in the POS back office, when it has a page there */
  backOfficeUrl: z.string().url().nullable(),
  /** Documents already in QBO for it (a partly posted object), with their links */
  docs: z.array(PostedDoc),
});
export type AttentionItem = z.infer<typeof AttentionItem>;
/** GET /api/attention: every stuck object, oldest first, and the counts (the toolbar icon's number) */
export const AttentionResponse = z.object({
  counts: z.object({ blocked: z.number().int(), failed: z.number().int(), rejected: z.number().int() }),
  total: z.number().int(),
  /** The store's time zone: times are shown in it */
  timeZone: z.string(),
  items: z.array(AttentionItem),
});
export type AttentionResponse = z.infer<typeof AttentionResponse>;
/** GET /api/attention/count: the count alone, cheap enough for the background to poll */
export const AttentionCountResponse = AttentionResponse.pick({ counts: true, total: true });
/** POST /api/attention/retry-all: every stuck object is due now; the Worker starts on the first few */
export const RetryAllResponse = z.object({ retried: z.number().int() });

/**
 * GET / PUT /api/digest: the optional daily email of what needs attention. Sent once a day (the first
 * cron run after 07:00 in the store's time zone) when something does, to one address, in `lang`.
 */
export const DigestSettings = z
  .object({
    enabled: z.boolean(),
    recipient: z.string().trim().max(254).email().nullable(),
    lang: Lang,
  })
  .refine((d) => !d.enabled || d.recipient !== null, {
    path: ["recipient"],
    message: "an address is needed to send the digest",
  });
export type DigestSettings = z.infer<typeof DigestSettings>;
/** The last day the digest was looked at: sent, not needed (nothing to say) or failed (and why) */
export const DigestLast = z.object({
  day: IsoDate,
  at: z.string(),
  status: z.enum(["sent", "nothing", "failed"]),
  count: z.number().int().nonnegative(),
  error: z.string().nullable(),
});
export type DigestLast = z.infer<typeof DigestLast>;
export const DigestResponse = z.object({
  settings: DigestSettings,
  last: DigestLast.nullable(),
  /** False when this Worker has no way to send email (no send_email binding or sender address) */
  available: z.boolean(),
});
export type DigestResponse = z.infer<typeof DigestResponse>;

/** POST /api/reports/drift/check: "check now", for one object's documents (a badge) or the next few (the options page) */
export const DriftCheckRequest = z.discriminatedUnion("scope", [
  z.object({ scope: z.literal("next") }).strict(),
  z.object({ scope: z.literal("object"), kind: ObjectKind, posId: z.string().min(1).max(200) }).strict(),
]);

// ---- the route table: both programs use it (the Worker to validate, the extension to call) -------

type Method = "GET" | "POST" | "PUT";
export interface RouteSpec<Req extends z.ZodType | null, Res extends z.ZodType> {
  method: Method;
  path: string;
  request: Req;
  response: Res;
  /** Needs the extension's session */
  session: boolean;
}
const route = <Req extends z.ZodType | null, Res extends z.ZodType>(
  method: Method,
  path: string,
  request: Req,
  response: Res,
  session = true,
): RouteSpec<Req, Res> => ({
  method,
  path,
  request,
  response,
  session,
});

const Ok = z.object({ ok: z.literal(true) });

export const Routes = {
  posStart: route("POST", "/auth/pos/start", PosConnectRequest, ConnectResponse, false),
  sessionExchange: route("POST", "/auth/session", SessionExchangeRequest, SessionResponse, false),
  me: route("GET", "/api/me", null, MeResponse),
  posDisconnect: route("POST", "/api/pos/disconnect", null, Ok),
  qboConnect: route("POST", "/api/qbo/connect", QboConnectRequest, ConnectResponse),
  qboConnection: route("GET", "/api/qbo/connection", null, ConnectionStatus),
  qboDisconnect: route("POST", "/api/qbo/disconnect", null, Ok),
  status: route("POST", "/api/status", StatusRequest, StatusResponse),
  send: route("POST", "/api/sync/send", SendRequest, SendResponse),
  retry: route("POST", "/api/sync/retry", SendRequest, SendResponse),
  resolve: route("POST", "/api/sync/resolve", ResolveRequest, ResolveResponse),
  getMappings: route("GET", "/api/mappings", null, MappingsDocument),
  saveMappings: route("PUT", "/api/mappings", SaveMappingsRequest, MappingsDocument),
  mappingOptions: route("GET", "/api/mappings/options", null, MappingOptions),
  unmapped: route("GET", "/api/mappings/unmapped", null, UnmappedResponse),
  suggestions: route("GET", "/api/mappings/suggestions", null, SuggestionsResponse),
  createStandard: route("POST", "/api/mappings/create-standard", null, CreateStandardResponse),
  preview: route("GET", "/api/preview", null, PreviewResponse),
  recentObjects: route("GET", "/api/preview/recent", null, RecentObjectsResponse),
  setup: route("GET", "/api/setup", null, SetupResponse),
  goLive: route("POST", "/api/setup/go-live", null, SetupResponse),
  counted: route(
    "POST",
    "/api/closures/:id/counted",
    CountedTotalsRequest,
    z.object({ ok: z.boolean(), counted: z.string() }),
  ),
  audit: route("GET", "/api/audit", null, AuditResponse),
  backfillStart: route("POST", "/api/backfill", BackfillRequest, BackfillResponse),
  backfillGet: route("GET", "/api/backfill", null, BackfillResponse),
  backfillPause: route("POST", "/api/backfill/pause", null, BackfillResponse),
  backfillResume: route("POST", "/api/backfill/resume", null, BackfillResponse),
  mappingChanges: route("GET", "/api/mappings/changes", null, MappingChangesResponse),
  revisionDiff: route("GET", "/api/revisions/diff", null, RevisionDiffResponse),
  revisionReplace: route("POST", "/api/revisions/replace", ReplaceRequest, ReplaceResponse),
  liabilities: route("GET", "/api/reports/liabilities", null, LiabilitiesResponse),
  inventory: route("GET", "/api/reports/inventory", null, InventoryRollForwardResponse),
  drift: route("GET", "/api/reports/drift", null, DriftResponse),
  driftCheck: route("POST", "/api/reports/drift/check", DriftCheckRequest, DriftResponse),
  reconciliation: route("GET", "/api/reports/reconciliation", null, ReconciliationResponse),
  attention: route("GET", "/api/attention", null, AttentionResponse),
  attentionCount: route("GET", "/api/attention/count", null, AttentionCountResponse),
  retryAll: route("POST", "/api/attention/retry-all", null, RetryAllResponse),
  getDigest: route("GET", "/api/digest", null, DigestResponse),
  saveDigest: route("PUT", "/api/digest", DigestSettings, DigestResponse),
} as const;
export type RouteName = keyof typeof Routes;
/** The CSV export of the audit trail (text/csv), same query as Routes.audit */
export const AUDIT_CSV_PATH = "/api/audit.csv";
