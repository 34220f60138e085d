import { varianceRow } from "../../plan";
import { paidWith } from "../payment-types";
import { type ClosureRule, postedSales } from "../rule";
import { liabilityLines } from "./liability-lines";

/**
 * Store credit liability: up by the credit issued through returns (negative Store Credit payments);
 * down by the redemptions (positive Store Credit payments), which land here rather than in a bank
 * account.
 */
export const storeCreditLiability: ClosureRule = (input) => {
  const paid = paidWith(input.types, "store_credit");
  const issued = -paid.outMinor;
  const words = {
    which: "storeCredit",
    kind: "store_credit",
    raised: "Store credit liability (issued through returns)",
    redeemed: "Store credit redemptions",
  } as const;
  return {
    ...liabilityLines(input, words, issued, paid.inMinor),
    lineUp: (posted) => [
      varianceRow("store_credit", "Store credit issued through returns", issued, postedSales(posted, "store_credit")),
    ],
  };
};
