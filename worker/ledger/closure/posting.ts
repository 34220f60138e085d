import type { RegisterClosure } from "../../../shared/domain/pos";
import { Blockers } from "../blockers";
import { dateOf, parseClosure } from "../common";
import { idempotencyKey } from "../keys";
import { type PlanBase, postingPlan } from "../plan";
import { RefChecker } from "../refs";
import type { LedgerContext, PostingResult } from "../types";
import { closureDocuments } from "./documents";
import { collectClosure } from "./figures";
import { roleTypes } from "./payment-types";
import { closureLines } from "./rules";

/**
 * A register closure → a SalesReceipt (RefundReceipt when net-negative) into the clearing account,
 * and a JournalEntry that empties the clearing account into where the money went (DESIGN §1.1).
 * The lines are SPEC §1.1's table, one rule each (rules.ts).
 */
export function buildClosurePosting(input: RegisterClosure, ctx: LedgerContext): PostingResult {
  const parsed = parseClosure(input, "the closure");
  if (!parsed.ok) return parsed;
  const closure = parsed.value;
  const blockers = new Blockers();
  const refs = new RefChecker(ctx, blockers);
  const posVersion = ctx.revision ?? "1";
  const key = idempotencyKey(ctx.tenantId, "closure", closure.id, posVersion);
  const txnDate = dateOf(closure.openedAt, closure.timeZone, "the closure's opening time", blockers);
  const base: PlanBase = { kind: "closure", posId: closure.id, posVersion, key, txnDate };

  const figures = collectClosure(closure, ctx, blockers);
  const types = roleTypes(figures, refs, blockers);
  const lines = closureLines({ closure, figures, types }, ctx);
  for (const b of lines.blockers) blockers.add(b.code, b.detail, b.mappingKey, b.about);
  if (!lines.needs.salesDocument && !lines.needs.paymentsJournal) {
    if (blockers.any) return { ok: false, blockers: blockers.all() };
    return { ok: true, plan: postingPlan(base, { variance: lines.lineUp([]) }) };
  }
  const documents = closureDocuments(closure, lines, { ctx, refs, blockers, key, txnDate });
  if (!documents) return { ok: false, blockers: blockers.all() };
  const { form, ...parts } = documents;
  return { ok: true, plan: postingPlan(base, { ...parts, variance: lines.lineUp(form?.taxRows ?? []) }) };
}
