import { varianceRow } from "../../plan";
import { paidWith } from "../payment-types";
import { type ClosureRule, postedSales } from "../rule";
import { liabilityLines } from "./liability-lines";

/**
 * Gift card liability: up by the cards sold or reloaded and the refunds paid onto a card (negative
 * Gift Card payments); down by the redemptions (positive Gift Card payments), which land here
 * rather than in a bank account.
 */
export const giftCardLiability: ClosureRule = (input) => {
  const paid = paidWith(input.types, "gift_card");
  const raised = input.figures.giftCardsSoldMinor - paid.outMinor;
  const words = {
    which: "giftCard",
    kind: "gift_card",
    raised: "Gift card liability (cards sold or reloaded, refunds onto cards)",
    redeemed: "Gift card redemptions",
  } as const;
  return {
    ...liabilityLines(input, words, raised, paid.inMinor),
    lineUp: (posted) => [
      varianceRow(
        "gift_cards",
        "Gift cards sold or reloaded, and refunds onto cards",
        raised,
        postedSales(posted, "gift_card"),
      ),
    ],
  };
};
