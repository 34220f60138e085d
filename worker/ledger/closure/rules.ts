import { Blockers } from "../blockers";
import type { FormLine, FormTax, TaxRow } from "../form";
import { CompanyLookup, RefChecker } from "../refs";
import { TaxResolutions, TaxResolver } from "../tax";
import type { Blocker, LedgerContext, VarianceRow } from "../types";
import type { AppliedRule, ClosureRule, ClosureRuleInput, PaymentsLine } from "./rule";
import { charges } from "./rules/charges";
import { discountsGiven } from "./rules/discounts-given";
import { giftCardLiability } from "./rules/gift-card-liability";
import { loyalty } from "./rules/loyalty";
import { payments } from "./rules/payments";
import { rounding } from "./rules/rounding";
import { salesByCategory } from "./rules/sales-by-category";
import { storeCreditLiability } from "./rules/store-credit-liability";
import { taxCollected } from "./rules/tax-collected";
import { tillDiscrepancies } from "./rules/till-discrepancies";
import { tips } from "./rules/tips";

/**
 * A register closure's posting, line by line of SPEC §1.1's table. Each rule reads the closure's
 * figures and the mappings and answers its own lines; the sales document lists them in this order.
 * A new kind of line is one rule (a file in rules/) and one entry here.
 */
export const CLOSURE_RULES: readonly ClosureRule[] = [
  salesByCategory, // Sales – category: income of each category's item, at the undiscounted price
  discountsGiven, // Discounts given: contra-income through the discount item
  charges, // Surcharges, fees, custom charges: income through their type's item, with the POS's tax (§4.2)
  tips, // Tips: owed to staff, through the non-taxable Tips service to tips payable (§4.2)
  taxCollected, // Tax: per POS tax rate, through the mapped tax code (or as US sales tax)
  giftCardLiability, // Gift card liability: up by cards sold, down by redemptions
  storeCreditLiability, // Store credit liability: up by credit issued through returns, down by redemptions
  tillDiscrepancies, // Till discrepancies: counted − expected, per payment type, through the over/short item
  rounding, // Rounding: cash rounding, through the rounding item
  payments, // Payments: each payment type's counted money into its mapped account
  loyalty, // Loyalty: Loyalty payments debit the loyalty account, never a bank (§4.3)
];

/** The closure's lines, every rule's put together in the table's order. */
export interface ClosureLines {
  salesLines: FormLine[];
  taxes: FormTax[];
  paymentsLines: PaymentsLine[];
  needs: { salesDocument: boolean; paymentsJournal: boolean; nonTaxableCode: boolean };
  /** Every rule's blockers, in the table's order */
  blockers: Blocker[];
  /** The preview's line-up, given the tax rows of the sales document as built */
  lineUp: (taxRows: readonly TaxRow[]) => VarianceRow[];
}

type ClosureSide = Pick<ClosureRuleInput, "closure" | "figures" | "types">;

/** What the rules of one closure share: the company's lookups and each POS tax resolved once. */
export interface SharedLookups {
  company: CompanyLookup;
  taxes: TaxResolutions;
}

export function sharedLookups(ctx: LedgerContext): SharedLookups {
  const company = new CompanyLookup(ctx);
  return { company, taxes: new TaxResolutions(ctx, company) };
}

/** One rule on its own: its own checkers over the mappings, so its blockers are its own. */
export function applyRule(
  rule: ClosureRule,
  side: ClosureSide,
  ctx: LedgerContext,
  shared = sharedLookups(ctx),
): AppliedRule {
  const blockers = new Blockers();
  const refs = new RefChecker(ctx, blockers, shared.company);
  const { closure, figures, types } = side;
  const lines = rule({ closure, figures, types, refs, taxes: new TaxResolver(refs, blockers, shared.taxes), blockers });
  return { lines, blockers: blockers.all() };
}

/**
 * Applies each rule on its own and puts their answers together in the list's order: the documents'
 * lines, what they call for, the blockers, and the line-up once the sales document is built.
 */
export function closureLines(
  side: ClosureSide,
  ctx: LedgerContext,
  rules: readonly ClosureRule[] = CLOSURE_RULES,
): ClosureLines {
  const shared = sharedLookups(ctx);
  const applied = rules.map((rule) => applyRule(rule, side, ctx, shared));
  const salesLines = applied.flatMap((r) => r.lines.salesLines ?? []);
  const taxes = applied.flatMap((r) => r.lines.taxes ?? []);
  const paymentsLines = applied.flatMap((r) => r.lines.paymentsLines ?? []);
  const needs = (what: "salesDocument" | "paymentsJournal" | "nonTaxableCode") =>
    applied.some((r) => r.lines.needs?.[what] === true);
  return {
    salesLines,
    taxes,
    paymentsLines,
    needs: {
      salesDocument: needs("salesDocument"),
      paymentsJournal: needs("paymentsJournal"),
      nonTaxableCode: needs("nonTaxableCode"),
    },
    blockers: applied.flatMap((r) => r.blockers),
    lineUp: (taxRows) => {
      const posted = { salesLines, taxes, paymentsLines, taxRows };
      return applied.flatMap((r) => r.lines.lineUp?.(posted) ?? []);
    },
  };
}
