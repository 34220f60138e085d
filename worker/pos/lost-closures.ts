import { getClosureRecord, recordPolledClosure } from "../db/closures";
import { suspectSequences, updateSuspects } from "../db/cursors";
import { openSequenceIds, type SequenceSpan, seenOpenSequences, sequenceSpans } from "../db/register-sequences";
import { atOrAfterConnection, toIsoInstant } from "./read";
import type { PosServices } from "./tokens";

/**
 * Closures nobody announced: a register that opened and closed between two polls while its webhook
 * was lost leaves no trace but the sequence ids on its sales' payments. A sequence seen there that
 * is neither a known closure nor a register's open sequence is remembered (a "suspect", kept beside
 * the cursors, since the sales cursor moves on); once its last payment is a quarter of an hour old
 * and still nothing announced it, it has closed: it is recorded like a polled closure (dated by its
 * payments, counted totals unknown until the back office gives them).
 */
const SALES_ONLY_GRACE_MS = 15 * 60_000;
/** A suspect sequence nothing resolves (no register on its payments) is dropped, with a warning, after this */
const SUSPECT_TTL_MS = 7 * 86_400_000;

type Verdict = "found" | "settled" | "waiting";

/** The closures found this time among the sequences the new sales named and those remembered. */
export async function closuresOnlySalesKnow(
  s: PosServices,
  tenantId: string,
  sequenceIds: ReadonlySet<string>,
  connectedAt: string,
): Promise<string[]> {
  const now = s.now();
  const suspects = await suspectSequences(s.db, tenantId);
  const remembered = new Set(suspects.keys());
  for (const seq of sequenceIds) if (!suspects.has(seq)) suspects.set(seq, now.toISOString());
  if (suspects.size === 0) return [];

  const { candidates, settled } = await unexplained(s.db, tenantId, [...suspects.keys()]);
  const spans = new Map((await sequenceSpans(s.db, tenantId, { ids: candidates })).map((g) => [g.seq, g]));
  const seenOpen = await seenOpenSequences(s.db, tenantId, candidates);
  const found: string[] = [];
  const waiting: string[] = [];
  for (const seq of candidates) {
    const span = spans.get(seq);
    const verdict = await judge(s, tenantId, { seq, span, firstSeen: suspects.get(seq)!, connectedAt }, seenOpen);
    if (verdict === "waiting") waiting.push(seq);
    else settled.push(seq);
    if (verdict === "found") found.push(seq);
  }
  await updateSuspects(s.db, tenantId, {
    forget: settled.filter((seq) => remembered.has(seq)),
    remember: waiting.filter((seq) => !remembered.has(seq)).map((seq) => [seq, suspects.get(seq)!] as const),
  });
  return found;
}

/** Sequences a register still has open, or already known as closures, are explained: settled. */
async function unexplained(
  db: D1Database,
  tenantId: string,
  seqs: readonly string[],
): Promise<{ candidates: string[]; settled: string[] }> {
  const open = await openSequenceIds(db, tenantId);
  const candidates: string[] = [];
  const settled: string[] = [];
  for (const seq of seqs) {
    if (open.has(seq) || (await getClosureRecord(db, tenantId, seq))) settled.push(seq);
    else candidates.push(seq);
  }
  return { candidates, settled };
}

/** What to make of one unexplained sequence now: a closure to record, nothing more to wait for, or not yet. */
async function judge(
  s: PosServices,
  tenantId: string,
  c: { seq: string; span: SequenceSpan | undefined; firstSeen: string; connectedAt: string },
  seenOpen: Map<string, { sequenceNumber: number | null; openedAt: string | null }>,
): Promise<Verdict> {
  const now = s.now();
  const first = c.span ? toIsoInstant(c.span.first_at) : null;
  const last = c.span ? toIsoInstant(c.span.last_at) : null;
  // sales from before the connection are history: a backfill brings their closure in, with its own record
  if (last && !atOrAfterConnection(last, c.connectedAt)) return "settled";
  if (!c.span?.register_id || !first || !last) {
    if (now.getTime() - Date.parse(c.firstSeen) <= SUSPECT_TTL_MS) return "waiting";
    s.log.warn("register sequence seen on sales never resolved to a closure", { sequence: c.seq });
    return "settled";
  }
  // the closure's own webhook usually follows its sales' by seconds: give it time to arrive
  if (now.getTime() - Date.parse(last) < SALES_ONLY_GRACE_MS) return "waiting";
  const seen = seenOpen.get(c.seq);
  const created = await recordPolledClosure(
    s.db,
    tenantId,
    {
      id: c.seq,
      registerId: c.span.register_id,
      outletId: c.span.outlet_id,
      sequenceNumber: seen?.sequenceNumber ?? null,
      openedAt: toIsoInstant(seen?.openedAt ?? "") ?? first,
      closedAt: last,
    },
    now,
  );
  if (!created) return "settled";
  s.log.info("closure found from its sales (no webhook, not seen by polling)", { closure: c.seq });
  return "found";
}
