import type { RegisterClosure, Sale, SaleLine } from "../../shared/domain/pos";
import type { QboAccount } from "../../shared/domain/qbo";
import { addDec, type Dec, formatMinor, parseDec, toMinor } from "../../shared/money";
import { Blockers } from "./blockers";
import { outletHeader } from "./common";
import { docNumber } from "./doc-number";
import { EffectSheet } from "./effects";
import { buildJournal, type JournalLine } from "./journal";
import { privateNote } from "./keys";
import { draft, varianceRow } from "./plan";
import { ACCOUNT_SETTINGS, RefChecker } from "./refs";
import type { LedgerContext, PostingPlan, PostingResult } from "./types";

/**
 * Cost of goods sold (SPEC §4.5): a JournalEntry Dr Cost of Goods Sold, Cr Inventory Asset at the
 * POS's own cost of each line sold (its `cost_total`), added to the posting of what sold it — a
 * closure (its regular sales) or an on-account / layby sale (with its invoice's date). Returns
 * reverse it; gift cards, sale discounts, services and products without inventory carry no cost (the
 * POS gives them 0). The cost is summed exactly per category and rounded half-up once per category,
 * as the POS's own figures are. Its own part ("cogs") of the posting's key: posted at most once per
 * version of the object, and seen on its badge with the other documents.
 *
 * Off while no COGS account is mapped or when the merchant turned `options.postCogs` off; with
 * `options.cogsPerCategory` a category's cost goes to its mapped product/service's expense account
 * when that is a Cost of Goods Sold account (else to the one COGS account).
 */

export const COGS_PART = "cogs";

/** One category's exact cost and its cents. */
export interface CategoryCost {
  categoryId: string | null;
  exact: Dec;
  minor: number;
}

/** Whether cost of goods sold posts for this company's mappings. */
export const postsCogs = (ctx: LedgerContext): boolean =>
  ctx.mappings.options.postCogs && Boolean(ctx.mappings.accounts.cogs);

const carriesCost = (l: SaleLine): boolean => l.kind === "product" && l.costTotal !== undefined;

/** The lines' cost per category, exact then rounded half-up once per category; first-seen order. */
export function costByCategory(lines: readonly SaleLine[]): CategoryCost[] {
  const totals = new Map<string, { categoryId: string | null; exact: Dec }>();
  for (const l of lines) {
    if (!carriesCost(l)) continue;
    const k = l.categoryId ?? "";
    const cost = parseDec(l.costTotal!);
    const t = totals.get(k);
    if (t) t.exact = addDec(t.exact, cost);
    else totals.set(k, { categoryId: l.categoryId, exact: cost });
  }
  return [...totals.values()].map((t) => ({ ...t, minor: toMinor(t.exact, "half-up") }));
}

/** What a closure's own sales took out of stock: its regular sales completed in it, not voided or parked. */
export function closureCosts(closure: RegisterClosure): CategoryCost[] {
  const lines = closure.sales
    .filter((s) => s.kind === "regular" && s.state === "closed" && s.completedSequenceId === closure.id)
    .flatMap((s) => s.lines);
  return costByCategory(lines);
}

/** An on-account or layby sale's cost, net of its returned and cancelling lines. */
export const saleCosts = (sale: Sale): CategoryCost[] =>
  sale.state === "voided" || sale.state === "parked" ? [] : costByCategory(sale.lines);

interface CogsSource {
  costs: CategoryCost[];
  outlet: { id: string; name: string };
  /** "Z12-C": the readable start of the DocNumber */
  readable: string;
  what: string;
  facts: string[];
}

/** A closure's posting with its cost of goods sold journal added (unchanged when COGS is off). */
export function withClosureCogs(result: PostingResult, closure: RegisterClosure, ctx: LedgerContext): PostingResult {
  return withCogs(result, ctx, {
    costs: closureCosts(closure),
    outlet: { id: closure.outletId, name: closure.outletName },
    readable: `Z${closure.sequenceNumber}-C`,
    what: `closure #${closure.sequenceNumber}`,
    facts: [
      `closure ${closure.id}`,
      `register ${closure.registerName} (${closure.registerId})`,
      `sequence #${closure.sequenceNumber}`,
      `mapping v${ctx.mappingVersion}`,
    ],
  });
}

/** An on-account or layby sale's invoice posting with its cost of goods sold journal, on the invoice's date. */
export function withSaleCogs(result: PostingResult, sale: Sale, ctx: LedgerContext): PostingResult {
  const outlet = ctx.outlets.find((o) => o.id === sale.outletId) ?? { id: sale.outletId, name: sale.outletId };
  const number = sale.invoiceNumber ?? sale.id;
  return withCogs(result, ctx, {
    costs: saleCosts(sale),
    outlet,
    readable: `${number}-C`,
    what: `sale ${number}`,
    facts: [`sale ${number} (${sale.id})`, `version ${sale.version}`, `mapping v${ctx.mappingVersion}`],
  });
}

function withCogs(result: PostingResult, ctx: LedgerContext, src: CogsSource): PostingResult {
  if (!postsCogs(ctx)) return result;
  const costs = src.costs.filter((c) => c.minor !== 0);
  if (costs.length === 0) return result;
  const blockers = new Blockers();
  const refs = new RefChecker(ctx, blockers);
  const inventory = refs.accountFor(ACCOUNT_SETTINGS.inventoryAsset);
  const cogs = refs.accountFor(ACCOUNT_SETTINGS.cogs);
  const { header, classId } = outletHeader(refs, blockers, src.outlet);
  if (!result.ok) return { ok: false, blockers: [...result.blockers, ...blockers.all()] };
  if (blockers.any || !inventory || !cogs) return { ok: false, blockers: blockers.all() };

  const plan = result.plan;
  const lines: JournalLine[] = costs.map((c) => {
    const name = c.categoryId ? refs.categoryName(c.categoryId) : "(no category)";
    const account = cogsAccountOf(c.categoryId, ctx, refs, cogs);
    const description = `Cost of goods sold – ${name} (${src.what})`;
    return { account, debitMinor: c.minor, description, label: `${description} → ${account.name}` };
  });
  const totalMinor = costs.reduce((s, c) => s + c.minor, 0);
  lines.push({
    account: inventory,
    debitMinor: -totalMinor,
    description: `Inventory sold (${src.what})`,
    label: `Inventory sold → ${inventory.name}`,
  });
  const journal = buildJournal(
    {
      TxnDate: plan.txnDate,
      DocNumber: docNumber(src.readable, plan.key, COGS_PART),
      PrivateNote: privateNote(plan.key, COGS_PART, src.facts),
      ...header,
    },
    lines,
    classId,
  );
  if (journal.debitsMinor !== journal.creditsMinor)
    return {
      ok: false,
      blockers: [
        {
          code: "internal",
          detail: `${src.what}: cost of goods sold does not balance (${formatMinor(journal.debitsMinor)} against ${formatMinor(journal.creditsMinor)})`,
        },
      ],
    };
  const effects = new EffectSheet();
  effects.addAll(plan.effects);
  effects.addAll(journal.effects);
  const next: PostingPlan = {
    ...plan,
    documents: [...plan.documents, draft(plan.key, COGS_PART, "JournalEntry", journal.body)],
    effects: effects.list(),
    summary: [...plan.summary, ...journal.summary],
    variance: [...plan.variance, varianceRow("cogs", "Cost of goods sold (POS cost)", totalMinor, totalMinor)],
  };
  return { ok: true, plan: next };
}

/** Per category when chosen: its item's expense account if that is a COGS account; else the one COGS account. */
function cogsAccountOf(categoryId: string | null, ctx: LedgerContext, refs: RefChecker, fallback: QboAccount) {
  if (!ctx.mappings.options.cogsPerCategory || !categoryId) return fallback;
  const itemId = ctx.mappings.categories[categoryId];
  const item = itemId ? refs.lookup.items.get(itemId) : undefined;
  const account = item?.expenseAccountId ? refs.accountById(item.expenseAccountId) : undefined;
  return account?.active && account.accountType === "Cost of Goods Sold" ? account : fallback;
}
