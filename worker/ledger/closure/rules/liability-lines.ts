import type { FormLine } from "../../form";
import { liability } from "../../liabilities";
import type { ClosureRuleInput, ClosureRuleLines, PaymentsLine } from "../rule";

/** How one liability (gift cards, store credit) shows on the closure's documents. */
export interface LiabilityWords {
  which: "giftCard" | "storeCredit";
  /** The sales-document line kind, and the payments-journal source of its redemptions */
  kind: "gift_card" | "store_credit";
  /** The sales-document line that raises the liability */
  raised: string;
  /** The payments-journal line that lowers it */
  redeemed: string;
}

/**
 * A liability's two moves: up on the sales document (through the liability service, non-taxable),
 * down in the payments journal by what was redeemed with its payment types.
 */
export function liabilityLines(
  { refs, blockers }: ClosureRuleInput,
  words: LiabilityWords,
  raisedMinor: number,
  redeemedMinor: number,
): ClosureRuleLines {
  if (raisedMinor === 0 && redeemedMinor === 0) return {};
  const mapped = liability(refs, blockers, words.which);
  const item = raisedMinor !== 0 ? mapped.itemNeeded() : undefined;
  const salesLines: FormLine[] = [];
  const paymentsLines: PaymentsLine[] = [];
  if (item) {
    const label = words.raised;
    salesLines.push({ kind: words.kind, item, amountMinor: raisedMinor, description: label, label, tax: null });
  }
  if (mapped.account && redeemedMinor !== 0) {
    const label = words.redeemed;
    paymentsLines.push({
      source: words.kind,
      account: mapped.account,
      debitMinor: redeemedMinor,
      description: label,
      label,
    });
  }
  const raised = raisedMinor !== 0;
  return {
    salesLines,
    paymentsLines,
    needs: { salesDocument: raised, nonTaxableCode: raised, paymentsJournal: redeemedMinor !== 0 },
  };
}
