import { formatMinor } from "../../../../shared/money";
import { varianceRow } from "../../plan";
import type { VarianceRow } from "../../types";
import type { ClosureFigures } from "../figures";
import { depositTypes } from "../payment-types";
import {
  type ClosureRule,
  type PaymentsLine,
  type PostedClosure,
  postedPayments,
  postedSales,
  type RoledType,
} from "../rule";

/**
 * Payments: each payment type's account receives what was counted, less the payments that post
 * against their invoices (on-account and layby sales). Gift-card and store-credit redemptions are
 * their liabilities' lines; an "On Account" charge is not money.
 */
export const payments: ClosureRule = ({ closure, figures, types }) => {
  const paymentsLines: PaymentsLine[] = [];
  let moves = false;
  for (const t of depositTypes(types)) {
    const counted = t.f.countedMinor;
    if (counted === null) continue;
    const amountMinor = counted - t.f.onAccountMinor;
    if (amountMinor !== 0) moves = true;
    if (!t.account) continue;
    const less = t.f.onAccountMinor !== 0 ? ` less on-account payments ${formatMinor(t.f.onAccountMinor)}` : "";
    paymentsLines.push({
      source: t.f.id,
      account: t.account,
      debitMinor: amountMinor,
      description: `${t.f.name}: counted ${formatMinor(counted)}${less} (register ${closure.registerName}, closure #${closure.sequenceNumber})`,
      label: `${t.f.name} → ${t.account.name}`,
    });
  }
  return {
    paymentsLines,
    needs: { paymentsJournal: moves },
    lineUp: (posted) => [...depositRows(types, posted), ...liabilityTypeRows(types, figures, posted)],
  };
};

/** Per deposit type: closure postings + on-account payments = the POS payments summary (SPEC §1.1). */
function depositRows(types: readonly RoledType[], posted: PostedClosure): VarianceRow[] {
  const rows: VarianceRow[] = [];
  for (const { role, f } of types) {
    if (role !== "deposit") continue;
    let till = 0;
    for (const l of posted.salesLines) if (l.kind === "till" && l.paymentTypeId === f.id) till += l.amountMinor;
    const landed = postedPayments(posted, f.id) + f.onAccountMinor;
    rows.push(varianceRow("payment", `${f.name} (expected)`, f.expectedMinor, landed - till));
    rows.push(varianceRow("payment", `${f.name} (counted)`, f.countedMinor ?? 0, landed));
  }
  return rows;
}

/**
 * Gift-card and store-credit types move their liability by the POS's figures: redemptions lower it
 * (payments journal), refunds onto a card and credit issued through returns raise it (sales document).
 */
function liabilityTypeRows(types: readonly RoledType[], f: ClosureFigures, posted: PostedClosure): VarianceRow[] {
  const rows: VarianceRow[] = [];
  for (const role of ["gift_card", "store_credit"] as const) {
    const ofRole = types.filter((t) => t.role === role);
    if (ofRole.length === 0) continue;
    const raised =
      role === "gift_card"
        ? postedSales(posted, "gift_card") - f.giftCardsSoldMinor
        : postedSales(posted, "store_credit");
    let expected = 0;
    let onAccount = 0;
    for (const t of ofRole) {
      expected += t.f.expectedMinor;
      onAccount += t.f.onAccountMinor;
    }
    const label = `${ofRole.map((t) => t.f.name).join(", ")} (expected)`;
    rows.push(varianceRow("payment", label, expected, postedPayments(posted, role) - raised + onAccount));
  }
  return rows;
}
