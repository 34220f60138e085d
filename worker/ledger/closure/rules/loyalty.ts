import { varianceRow } from "../../plan";
import { ACCOUNT_SETTINGS } from "../../refs";
import { paidWith } from "../payment-types";
import { type ClosureRule, type PaymentsLine, postedPayments } from "../rule";

/**
 * Loyalty (SPEC §4.3): a Loyalty payment is value the store gives away. It debits the account mapped
 * for loyalty redemptions, never a bank account; a counted figure for it is ignored, as for gift cards.
 */
export const loyalty: ClosureRule = ({ types, refs }) => {
  const paid = paidWith(types, "loyalty");
  const amountMinor = paid.inMinor + paid.outMinor;
  const names = types.filter((t) => t.role === "loyalty").map((t) => t.f.name);
  if (names.length === 0) return {};
  const account = amountMinor !== 0 ? refs.accountFor(ACCOUNT_SETTINGS.loyalty) : undefined;
  const label = `Loyalty redemptions (${names.join(", ")})`;
  const paymentsLines: PaymentsLine[] = account
    ? [{ source: "loyalty", account, debitMinor: amountMinor, description: label, label }]
    : [];
  return {
    paymentsLines,
    needs: { paymentsJournal: amountMinor !== 0 },
    lineUp: (posted) => [varianceRow("payment", label, amountMinor, postedPayments(posted, "loyalty"))],
  };
};
