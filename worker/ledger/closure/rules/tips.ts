import { varianceRow } from "../../plan";
import { ACCOUNT_SETTINGS } from "../../refs";
import { type ClosureRule, postedSales } from "../rule";

/**
 * Tips (SPEC §4.2): owed to staff, never income. One line through the non-taxable Tips service,
 * whose income account must be the tips payable liability; the payments that carried the tips land
 * in their accounts as usual.
 */
export const tips: ClosureRule = ({ figures, refs, blockers }) => {
  const amountMinor = figures.tipsMinor;
  const lineUp = () => [];
  if (amountMinor === 0) return { lineUp };
  const account = refs.accountFor(ACCOUNT_SETTINGS.tipsPayable);
  let item = refs.salesItem(refs.ctx.mappings.items.tips, "the tips service", "items.tips");
  if (item && account && item.incomeAccountId !== account.id) {
    const posts = refs.accountById(item.incomeAccountId)?.name ?? item.incomeAccountId;
    blockers.add(
      "qbo_invalid_reference",
      `the tips service: QBO product/service '${item.name}' posts to '${posts}', not to the tips payable account '${account.name}'`,
      "items.tips",
      {
        thing: "items.tips",
        problem: {
          kind: "posts_elsewhere",
          qboName: item.name,
          postsTo: posts,
          account: "accounts.tipsPayable",
          accountName: account.name,
        },
      },
    );
    item = undefined;
  }
  const label = "Tips (owed to staff)";
  return {
    salesLines: item ? [{ kind: "tips", item, amountMinor, description: label, label, tax: null }] : [],
    needs: { salesDocument: true, nonTaxableCode: true },
    lineUp: (posted) => [varianceRow("tips", "Tips", amountMinor, postedSales(posted, "tips"))],
  };
};
