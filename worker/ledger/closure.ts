import type { RegisterClosure } from "../../shared/domain/pos";
import { formatMinor } from "../../shared/money";
import { Blockers } from "./blockers";
import { type ClosureFigures, collectClosure } from "./closure-figures";
import { type ClosureLines, closureLines, roleTypes } from "./closure-lines";
import { dateOf, outletHeader, parseClosure } from "./common";
import { docNumber } from "./doc-number";
import { EffectSheet } from "./effects";
import { buildSalesForm, type FormLineKind, type SalesForm } from "./form";
import { buildJournal } from "./journal";
import { idempotencyKey, privateNote, requestIdFor } from "./keys";
import { ACCOUNT_TYPES, RefChecker } from "./refs";
import { TaxResolver } from "./tax";
import type { LedgerContext, PostingPlan, PostingResult, VarianceRow } from "./types";

/**
 * A register closure → a SalesReceipt (RefundReceipt when net-negative) into the clearing account,
 * and a JournalEntry that empties the clearing account into where the money went (DESIGN §1.1).
 */
export function buildClosurePosting(input: RegisterClosure, ctx: LedgerContext): PostingResult {
  const parsed = parseClosure(input, "the closure");
  if (!parsed.ok) return parsed;
  const closure = parsed.value;
  const blockers = new Blockers();
  const refs = new RefChecker(ctx, blockers);
  const taxes = new TaxResolver(refs, blockers);
  const posVersion = ctx.revision ?? "1";
  const key = idempotencyKey(ctx.tenantId, "closure", closure.id, posVersion);
  const txnDate = dateOf(closure.openedAt, closure.timeZone, "the closure's opening time", blockers);

  const figures = collectClosure(closure, ctx, blockers);
  const types = roleTypes(figures, refs, blockers);
  const lines = closureLines(closure, figures, types, refs, taxes, blockers);
  const plan = (extra: Partial<PostingPlan>): PostingPlan => ({
    kind: "closure",
    posId: closure.id,
    posVersion,
    key,
    txnDate,
    documents: [],
    variance: [],
    effects: [],
    needs: {},
    summary: [],
    ...extra,
  });
  const hasForm = lines.needs.form;
  const hasJournal = lines.needs.journal;
  if (!hasForm && !hasJournal) {
    if (blockers.any) return { ok: false, blockers: blockers.all() };
    return { ok: true, plan: plan({ variance: variance(figures, lines, undefined, ctx) }) };
  }

  // The documents' own mappings are checked even when a line's mapping failed: every blocker at once.
  const outlet = ctx.outlets.find((o) => o.id === closure.outletId);
  const { header, classId } = outletHeader(refs, blockers, {
    id: closure.outletId,
    name: closure.outletName,
    currency: outlet?.currency,
  });
  const clearing = refs.account(
    ctx.mappings.accounts.closureClearing,
    "the closure clearing account",
    "accounts.closureClearing",
    ACCOUNT_TYPES.clearing,
  );
  const customerId = ctx.mappings.closureCustomerId;
  if (hasForm && !customerId) blockers.add("needs_mapping", "the closure customer", "closureCustomerId");
  const nonTaxableCode = lines.needs.untaxedLines ? taxes.nonTaxableCode() : undefined;
  if (blockers.any || !clearing) return { ok: false, blockers: blockers.all() };

  const facts = [
    `closure ${closure.id}`,
    `register ${closure.registerName} (${closure.registerId})`,
    `sequence #${closure.sequenceNumber}`,
    `outlet ${closure.outletName} (${closure.outletId})`,
    `opened ${closure.openedAt}`,
    `closed ${closure.closedAt}`,
    `mapping v${ctx.mappingVersion}`,
  ];
  const headerOf = (part: string, readable: string) => ({
    TxnDate: txnDate,
    DocNumber: docNumber(readable, key, part),
    PrivateNote: privateNote(key, part, facts),
    ...header,
  });
  let form: SalesForm | undefined;
  if (hasForm) {
    form = buildSalesForm(
      {
        entities: { positive: "SalesReceipt", negative: "RefundReceipt" },
        header: {
          ...headerOf("sales", `Z${closure.sequenceNumber}-S`),
          CustomerRef: { value: customerId },
          DepositToAccountRef: { value: clearing.id, name: clearing.name },
        },
        lines: lines.formLines,
        taxes: lines.formTaxes,
        nonTaxableCode,
        classId,
        isUS: refs.isUS,
        totalAccount: { id: clearing.id, name: clearing.name },
        what: "the closure",
        accountName: (id) => refs.accountById(id)?.name ?? id,
      },
      blockers,
    );
    if (!form) return { ok: false, blockers: blockers.all() };
  }
  const total = form?.totalMinor ?? 0;
  const journal = buildJournal(
    headerOf("payments", `Z${closure.sequenceNumber}-P`),
    [
      ...lines.journalLines,
      {
        account: clearing,
        debitMinor: -total,
        description: `Clears the closure's sales ${form?.entity ?? "document"}`,
        label: `Clearing – ${clearing.name}`,
      },
    ],
    classId,
  );
  if (journal.debitsMinor !== journal.creditsMinor) {
    // Unreachable when the POS figures tie out (checked above); never send an unbalanced entry.
    blockers.add(
      "internal",
      `closure payments do not balance: debits ${formatMinor(journal.debitsMinor)}, credits ${formatMinor(journal.creditsMinor)}`,
    );
    return { ok: false, blockers: blockers.all() };
  }

  const documents: PostingPlan["documents"] = [];
  const effects = new EffectSheet();
  const summary: PostingPlan["summary"] = [];
  if (form) {
    documents.push({
      part: "sales",
      entity: form.entity,
      docNumber: String(form.body.DocNumber),
      requestId: requestIdFor(key, "sales"),
      body: form.body,
    });
    effects.addAll(form.effects);
    summary.push(...form.summary);
  }
  if (journal.debitsMinor > 0) {
    documents.push({
      part: "payments",
      entity: "JournalEntry",
      docNumber: String(journal.body.DocNumber),
      requestId: requestIdFor(key, "payments"),
      body: journal.body,
    });
    effects.addAll(journal.effects);
    summary.push(...journal.summary);
  }
  return {
    ok: true,
    plan: plan({ documents, effects: effects.list(), summary, variance: variance(figures, lines, form, ctx) }),
  };
}

/**
 * The preview's line-up. The POS side comes from the sales and the payments summary; the posted side
 * from the lines the documents carry, so a line lost or doubled on the way shows as a difference.
 */
function variance(
  f: ClosureFigures,
  lines: ClosureLines,
  form: SalesForm | undefined,
  ctx: LedgerContext,
): VarianceRow[] {
  const rows: VarianceRow[] = [];
  const row = (line: string, label: string, posMinor: number, postedMinor: number) =>
    rows.push({ line, label, posMinor, postedMinor, diffMinor: postedMinor - posMinor });
  const posted = (...kinds: FormLineKind[]) =>
    lines.formLines.filter((l) => kinds.includes(l.kind)).reduce((s, l) => s + l.amountMinor, 0);
  const journal = (source: string) =>
    lines.journalLines.filter((j) => j.source === source).reduce((s, j) => s + j.debitMinor, 0);

  row("net_sales", "Net sales (sales − discounts)", f.netSalesPosMinor, posted("sales", "discount"));
  const postedTax = new Map<string, number>();
  for (const t of lines.formTaxes) postedTax.set(t.posRateId, (postedTax.get(t.posRateId) ?? 0) + t.amountMinor);
  const rateNames = new Map(ctx.taxes.flatMap((t) => t.rates.map((r) => [r.id, r.name] as const)));
  for (const id of new Set([...f.saleTaxByRate.keys(), ...postedTax.keys()])) {
    const pos = f.saleTaxByRate.get(id) ?? 0;
    const out = postedTax.get(id) ?? 0;
    if (pos !== 0 || out !== 0) row("tax", `Tax – POS rate ${rateNames.get(id) ?? id}`, pos, out);
  }
  for (const t of form?.taxRows ?? []) {
    if (t.qboMinor !== null) row("tax_override", `tax rounding (override) – ${t.label}`, t.posMinor, t.qboMinor);
  }
  row(
    "gift_cards",
    "Gift cards sold or reloaded, and refunds onto cards",
    f.giftCardsSoldMinor + lines.giftCardRefundsMinor,
    posted("gift_card"),
  );
  row("store_credit", "Store credit issued through returns", lines.storeCreditIssuedMinor, posted("store_credit"));
  row("rounding", "Cash rounding", f.roundingMinor, posted("rounding"));

  // Per payment type: closure postings + on-account payments = the POS payments summary (SPEC §1.1)
  for (const t of lines.types) {
    if (t.role !== "deposit") continue;
    const x = t.f;
    const till = lines.formLines
      .filter((l) => l.kind === "till" && l.paymentTypeId === x.id)
      .reduce((s, l) => s + l.amountMinor, 0);
    row("payment", `${x.name} (expected)`, x.expectedMinor, journal(x.id) - till + x.onAccountMinor);
    row("payment", `${x.name} (counted)`, x.countedMinor ?? 0, journal(x.id) + x.onAccountMinor);
  }
  for (const role of ["gift_card", "store_credit"] as const) {
    const types = lines.types.filter((t) => t.role === role);
    if (types.length === 0) continue;
    const sum = (pick: (t: (typeof types)[number]) => number) => types.reduce((s, t) => s + pick(t), 0);
    // redemptions lower the liability (journal); refunds onto it / credit issued through returns raise it (sales document)
    const raised = role === "gift_card" ? posted("gift_card") - f.giftCardsSoldMinor : posted("store_credit");
    const label = types.map((t) => t.f.name).join(", ");
    row(
      "payment",
      `${label} (expected)`,
      sum((t) => t.f.expectedMinor),
      journal(role) - raised + sum((t) => t.f.onAccountMinor),
    );
  }
  return rows;
}
