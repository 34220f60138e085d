import { StockTransfer } from "../../shared/domain/pos";
import type { QboAccount } from "../../shared/domain/qbo";
import { addDec, type Dec, mulDec, parseDec, toMinor } from "../../shared/money";
import { Blockers } from "./blockers";
import { dateOf, parseInput } from "./common";
import { docNumber } from "./doc-number";
import { buildJournal, type JournalLine } from "./journal";
import { idempotencyKey, privateNote } from "./keys";
import { draft, type PlanBase, postingPlan, varianceRow } from "./plan";
import { ACCOUNT_SETTINGS, ACCOUNT_TYPES, RefChecker } from "./refs";
import type { LedgerContext, PostingResult } from "./types";

/**
 * A transfer between outlets once received (SPEC §4.5). One Inventory Asset account holds both
 * outlets' stock, so a transfer moves nothing in the books unless the outlets map to different
 * classes: then one JournalEntry takes the value sent out of the source's class and puts the value
 * received into the destination's. Stock lost in transit (received short) is a loss either way: it
 * goes to the default shrinkage account. Sent = Σ count × cost and received = Σ received × cost (the
 * cost fixed when sent), each rounded half-up once. QBO keeps one location per journal entry, so a
 * journal between outlets of different locations carries none (classes tell them apart).
 */
export function buildStockTransferPosting(input: StockTransfer, ctx: LedgerContext): PostingResult {
  const parsed = parseInput(StockTransfer, input, "the transfer");
  if (!parsed.ok) return parsed;
  const t = parsed.value;
  const blockers = new Blockers();
  const refs = new RefChecker(ctx, blockers);
  const key = idempotencyKey(ctx.tenantId, "stock_transfer", t.id, t.version);
  const what = `transfer ${t.name ?? t.id}`;
  const txnDate = dateOf(t.receivedAt, t.timeZone, `${what}: its received date`, blockers);
  const base: PlanBase = { kind: "stock_transfer", posId: t.id, posVersion: t.version, key, txnDate };
  const { sentMinor, receivedMinor } = valuesOf(t);
  const lostMinor = sentMinor - receivedMinor;
  const ends = endsOf(t, ctx, refs);
  if (blockers.any) return { ok: false, blockers: blockers.all() };
  const moves = ends.from.classId !== ends.to.classId;
  if (!moves && lostMinor === 0) return { ok: true, plan: postingPlan(base) };

  const inventory = refs.accountFor(ACCOUNT_SETTINGS.inventoryAsset);
  const shrinkage = lostMinor !== 0 ? shrinkageAccount(refs, ctx) : undefined;
  if (blockers.any || !inventory) return { ok: false, blockers: blockers.all() };

  const amounts = { sentMinor, receivedMinor, lostMinor };
  const lines = transferLines(ends, { inventory, shrinkage }, amounts, what);
  const journal = buildJournal(journalHeader(t, ctx, ends, { key, txnDate }), lines);
  classPerLine(journal.body, lines);
  const plan = postingPlan(base, {
    documents: [draft(key, "transfer", "JournalEntry", journal.body)],
    variance: [varianceRow("transfer", "Sent less received (lost in transit)", sentMinor - receivedMinor, lostMinor)],
    effects: journal.effects,
    summary: journal.summary,
  });
  return { ok: true, plan };
}

type Transfer = StockTransfer;
type Line = JournalLine & { classId: string | undefined };
type OutletRefs = { classId?: string; departmentId?: string };

/** The two outlets of a transfer, each with its class and location. */
interface Ends {
  source: { id: string; name: string };
  dest: { id: string; name: string };
  from: OutletRefs;
  to: OutletRefs;
}

/** Sent = Σ count × cost, received = Σ received × cost, each rounded half-up once. */
function valuesOf(t: Transfer): { sentMinor: number; receivedMinor: number } {
  const value = (pick: (l: Transfer["lines"][number]) => string): Dec =>
    t.lines.reduce((s, l) => addDec(s, mulDec(parseDec(pick(l)), parseDec(l.unitCost))), parseDec("0"));
  return {
    sentMinor: toMinor(
      value((l) => l.sent),
      "half-up",
    ),
    receivedMinor: toMinor(
      value((l) => l.received),
      "half-up",
    ),
  };
}

function endsOf(t: Transfer, ctx: LedgerContext, refs: RefChecker): Ends {
  const name = (id: string) => ctx.outlets.find((o) => o.id === id)?.name ?? id;
  const source = { id: t.sourceOutletId, name: name(t.sourceOutletId) };
  const dest = { id: t.outletId, name: name(t.outletId) };
  const from = refs.outletRefs(source.id, source.name);
  const to = refs.outletRefs(dest.id, dest.name);
  return { source, dest, from, to };
}

function shrinkageAccount(refs: RefChecker, ctx: LedgerContext): QboAccount | undefined {
  return refs.account(
    ctx.mappings.shrinkage.default,
    "the default shrinkage account",
    "shrinkage.default",
    ACCOUNT_TYPES.shrinkage,
  );
}

/** Between classes: out of the source's, into the destination's; within one class: only what was lost. */
function transferLines(
  { source, dest, from, to }: Ends,
  { inventory, shrinkage }: { inventory: QboAccount; shrinkage: QboAccount | undefined },
  { sentMinor, receivedMinor, lostMinor }: { sentMinor: number; receivedMinor: number; lostMinor: number },
  what: string,
): Line[] {
  const lines: Line[] =
    from.classId !== to.classId
      ? [
          {
            account: inventory,
            debitMinor: -sentMinor,
            description: `Sent from ${source.name} (${what})`,
            label: `Sent from ${source.name} → ${inventory.name}`,
            classId: from.classId,
          },
          {
            account: inventory,
            debitMinor: receivedMinor,
            description: `Received at ${dest.name} (${what})`,
            label: `Received at ${dest.name} → ${inventory.name}`,
            classId: to.classId,
          },
        ]
      : [
          {
            account: inventory,
            debitMinor: -lostMinor,
            description: `Lost in transit from ${source.name} (${what})`,
            label: `Lost in transit → ${inventory.name}`,
            classId: from.classId,
          },
        ];
  if (shrinkage)
    lines.push({
      account: shrinkage,
      debitMinor: lostMinor,
      description: `Lost in transit from ${source.name} to ${dest.name} (${what})`,
      label: `Lost in transit → ${shrinkage.name}`,
      classId: from.classId,
    });
  return lines;
}

/** The journal's header; a location only when both outlets share it (QBO keeps one per journal entry). */
function journalHeader(
  t: Transfer,
  ctx: LedgerContext,
  { source, dest, from, to }: Ends,
  { key, txnDate }: { key: string; txnDate: string },
): Record<string, unknown> {
  const header: Record<string, unknown> = {
    TxnDate: txnDate,
    DocNumber: docNumber(`TR-${t.name ?? ""}`, key, "transfer"),
    PrivateNote: privateNote(key, "transfer", [
      `transfer ${t.name ?? "-"} (${t.id})`,
      `from ${source.name} (${source.id})`,
      `to ${dest.name} (${dest.id})`,
      `received ${t.receivedAt}`,
    ]),
  };
  if (ctx.refs.multiCurrency) header.CurrencyRef = { value: ctx.refs.homeCurrency };
  if (from.departmentId && from.departmentId === to.departmentId) header.DepartmentRef = { value: from.departmentId };
  return header;
}

/** Each line in its own outlet's class (buildJournal gives one class to all). */
function classPerLine(body: Record<string, unknown>, lines: Line[]): void {
  const used = lines.filter((l) => l.debitMinor !== 0);
  (body.Line as { JournalEntryLineDetail: Record<string, unknown> }[]).forEach((l, i) => {
    const classId = used[i]?.classId;
    if (classId) l.JournalEntryLineDetail.ClassRef = { value: classId };
  });
}
