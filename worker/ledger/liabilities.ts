import type { QboAccount } from "../../shared/domain/qbo";
import type { Blockers } from "./blockers";
import { ACCOUNT_SETTINGS, type RefChecker, type SalesItem } from "./refs";

/**
 * The gift-card or store-credit liability account, and (on demand) the service that sales documents
 * post through. The two must agree: the service's income account IS the liability account, or what a
 * closure raises would not be what redemptions lower.
 */
export function liability(
  refs: RefChecker,
  blockers: Blockers,
  which: "giftCard" | "storeCredit",
): { account?: QboAccount; itemNeeded: () => SalesItem | undefined } {
  const words = which === "giftCard" ? "gift card" : "store credit";
  const key = which === "giftCard" ? "giftCardLiability" : "storeCreditLiability";
  const account = refs.accountFor(ACCOUNT_SETTINGS[key]);
  const itemNeeded = () => {
    const item = refs.salesItem(refs.ctx.mappings.items[key], `the ${words} liability service`, `items.${key}`);
    if (item && account && item.incomeAccountId !== account.id) {
      const posts = refs.accountById(item.incomeAccountId)?.name ?? item.incomeAccountId;
      blockers.add(
        "qbo_invalid_reference",
        `the ${words} liability service: QBO product/service '${item.name}' posts to '${posts}', not to the ${words} liability account '${account.name}'`,
        `items.${key}`,
        {
          thing: `items.${key}`,
          problem: {
            kind: "posts_elsewhere",
            qboName: item.name,
            postsTo: posts,
            account: `accounts.${key}`,
            accountName: account.name,
          },
        },
      );
      return undefined;
    }
    return item;
  };
  return account ? { account, itemNeeded } : { itemNeeded };
}
